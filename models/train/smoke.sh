#!/usr/bin/env bash
# CI smoke test of the origin-model pipeline on a few hundred samples: tokenizer.json rebuild, dataset
# tokenization through server/src/origin/tokenizer.ts, tiny training, a tiny lexical path joined to it,
# evaluation, ONNX export, then the
# tokenizer-agreement test, the export tests and an onnxruntime-node load with shape checks.
# Needs only Debian's python3-torch python3-onnx python3-numpy (+ libopenblas0-pthread) and node_modules.
# Skips (exit 0) when ../shared is absent; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=../shared
PY=/usr/bin/python3
if [ ! -f "$SHARED/datasets/origin/pool.jsonl.gz" ] || [ ! -f "$SHARED/tokenizers/codebert/vocab.json" ]; then
  echo "SKIP models/train/smoke.sh: $SHARED/datasets/origin or $SHARED/tokenizers/codebert not found"
  exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
T=models/train
step() { echo "== smoke: $*"; }

step "tokenizer.json is reproducible from the CodeBERT files"
$PY $T/build_tokenizer.py "$SHARED/tokenizers/codebert" "$TMP/tokenizer.json"
cmp "$TMP/tokenizer.json" models/code-origin-small/tokenizer.json

step "bundle the dataset tokenizer (server/src/origin/tokenizer.ts)"
node_modules/.bin/esbuild $T/tokenize-dataset.ts --bundle --platform=node --target=node20 --format=cjs \
  --outfile="$TMP/tokenize-dataset.js" --log-level=warning

step "tiny grouped split + tokenization"
$PY $T/prepare_data.py --out "$TMP/m" --small 150 > "$TMP/prepare.log"
for s in train dev test gptsniffer_test; do
  node "$TMP/tokenize-dataset.js" --tokenizer "$TMP/tokenizer.json" --in "$TMP/m/work/$s.jsonl" --out "$TMP/m/work/tok_$s"
done

step "tiny training (resumes from its checkpoint on the second call)"
TRAIN=($PY $T/train.py --run smoke --work "$TMP/m/work" --ckpt-dir "$TMP/ckpt" --log "$TMP/log.jsonl"
  --hidden 32 --layers 1 --heads 2 --batch 8 --warmup 2 --eval-tokens 4000 --dev-files 30 --threads 2)
"${TRAIN[@]}" --total-tokens 6000
"${TRAIN[@]}" --total-tokens 12000
test "$(wc -l < "$TMP/log.jsonl")" -ge 2

step "lexical path (hashed n-grams) + combination with the transformer"
$PY $T/lexical.py "$TMP/ckpt/lexical.pt" --work "$TMP/m/work" --buckets 4096 --epochs 2 --threads 2
$PY $T/combine.py "$TMP/ckpt/smoke.pt" "$TMP/ckpt/lexical.pt" "$TMP/ckpt/hybrid.pt" --work "$TMP/m/work"

step "evaluate + export"
$PY $T/evaluate.py "$TMP/ckpt/hybrid.pt" "$TMP/eval.json" --work "$TMP/m/work" --dev-files 30
$PY $T/export.py "$TMP/ckpt/hybrid.pt" "$TMP/export" --eval "$TMP/eval.json"
cp "$TMP/tokenizer.json" "$TMP/export/"

step "tokenizer agreement (Node vs Python reference BPE)"
(cd $T && TOKENIZE_JS="$TMP/tokenize-dataset.js" TOKENIZER_JSON="$TMP/tokenizer.json" $PY test_tokenizer_agreement.py 200)

step "export tests (explicit backward vs autograd, ONNX contract, onnxruntime-node vs PyTorch)"
(cd $T && $PY test_export.py "$TMP/export" "$TMP/ckpt/hybrid.pt")
echo "== smoke: all ok"
