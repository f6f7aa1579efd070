#!/usr/bin/env bash
# The shipped origin model, end to end (CPU; ~1 h on 2 idle cores): formatting-blind input (tokens-v1),
# human code of real projects beside the pool, leave-one-source-out validation that chooses the verdict
# thresholds and the calibration, then the same recipe on every source.
# Needs Debian's python3-torch, python3-onnx, python3-numpy, libopenblas0-pthread and python3-sklearn (isotonic
# calibration in summarise.py; the TF-IDF baseline).
# Usage: bash models/train/recipe.sh [STEP...]   steps: corpus data loso final export card (default: all but card)
#   card (after export): the origin benches and MODEL.md; CARD_NAME names the bench files (default tokens-v1).
# Each step skips work already done (loso.py resumes per fold), so an interrupted run can be restarted.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
T=models/train
W=$T/work/canon/work          # tokenized pool + real-world human code (git-ignored)
L=$T/work/loso                 # LOSO predictions and summaries (git-ignored; results copied to the model card)
OUT=models/code-origin-small
TOKENS=${TRANSFORMER_TOKENS:-400000}
CARD_NAME=${CARD_NAME:-tokens-v1}
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(corpus data loso final export)
has() { [[ " ${steps[*]} " == *" $1 "* ]]; }

# Debian packages the steps need (installed when missing and root; the card's formatters too).
need=(python3-torch python3-onnx python3-numpy libopenblas0-pthread liblapack3 python3-sklearn)
has card && need+=(black clang-format golang-go)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}"
  else echo "recipe.sh: missing Debian packages: ${missing[*]} (apt-get install them)" >&2; exit 1; fi
fi
if has card; then
  command -v rustfmt >/dev/null || { echo "recipe.sh card: rustfmt is missing (apt-get install rustfmt, or rustup)" >&2; exit 1; }
  PRETTIER=/tmp/code-origin-bench-prettier   # a throwaway install outside the project (test/bench/origin/README.md)
  [ -f $PRETTIER/node_modules/prettier/index.mjs ] || npm install --prefix $PRETTIER prettier@3 >/dev/null
fi

if has corpus; then
  # Debian source packages of real projects released before November 2022 (never the reserved ones)
  $PY $T/realworld/build_corpus.py build
fi

if has data; then
  $PY $T/prepare_data.py --out $T/work/canon --human-extra $T/work/realworld/train.jsonl
  cat $W/train.jsonl $W/dev.jsonl $W/test.jsonl $W/gptsniffer_test.jsonl > $W/all.jsonl
  npm run build >/dev/null
  node dist/tokenize-dataset.js --canonical --text --tokenizer $OUT/tokenizer.json --in $W/all.jsonl --out $W/tok_all
fi

if has loso; then
  # LOSO of the lexical path by default: in the hybrid the transformer adds nothing measurable (dev AUC
  # lexical 0.971, combined 0.971, transformer alone 0.45), and a hybrid LOSO takes ~2.5 h on 2 cores
  # (scoring every window of every held-out file). LOSO_RECIPE=hybrid runs the full one; LOSO_COMPARE=1
  # adds the char-n-gram TF-IDF baseline beside it, on the raw text and on the canonical text.
  R=${LOSO_RECIPE:-lexical}
  (cd $T && $PY loso.py "../../$W" "../../$L" --recipe "$R" --transformer-tokens "$TOKENS")
  cmp=()
  if [ "${LOSO_COMPARE:-0}" = 1 ]; then
    (cd $T && $PY loso.py "../../$W" "../../$L" --recipe tfidf)
    (cd $T && $PY loso.py "../../$W" "../../$L" --recipe tfidf --name tfidf_canonical --code tok_all.text.jsonl)
    cmp=(--compare "tfidf=../../$L/preds_tfidf.jsonl" --compare "tfidf_canonical=../../$L/preds_tfidf_canonical.jsonl")
  fi
  (cd $T && $PY summarise.py "../../$L/preds_$R.jsonl" "../../$L/summary" "${cmp[@]}" --token-counts "../../$W/tok_all.index.jsonl")
fi

if has final; then
  (cd $T && $PY loso.py "../../$W" "../../$L" --recipe hybrid --final --transformer-tokens "$TOKENS")
  (cd $T && $PY evaluate.py "../../$L/final/final.pt" "../../$L/eval.json" --work "../../$W/views/final")
fi

if has export; then
  (cd $T && $PY export.py "../../$L/final/final.pt" "../../$OUT" --eval "../../$L/eval.json" \
    --canonical tokens-v1 --verdict "../../$L/summary.json")
  cp $L/summary.md $OUT/loso.md
  cp $L/summary.json $OUT/loso.json
  cp $L/eval.json $OUT/eval.json
  cp $T/work/canon/splits.json $OUT/splits.json
  # The old pipeline's training log and curves describe another model.
  rm -f $OUT/training-log.jsonl $OUT/learning-curves.png
  node $T/check_onnx.mjs $OUT
fi

if has card; then
  # The benches a user can rerun (test/bench/origin/README.md), then MODEL.md from their files.
  # Needs the formatters of test/bench/origin/README.md for the flips.
  npm run build >/dev/null
  node test/bench/origin-eval.mjs --name "$CARD_NAME" >/dev/null
  node test/bench/origin/realworld-fpr.mjs --limit 400 --name "$CARD_NAME"
  node test/bench/origin/formatter-flips.mjs --limit 120 --name "$CARD_NAME"
  $PY $T/write_model_card.py --bench-name "$CARD_NAME"
fi
