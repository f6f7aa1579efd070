#!/usr/bin/env bash
# LOSO sweep of the lexical path's training settings (issue 19: settings chosen by LOSO, never by the
# in-distribution dev split). Needs `bash models/train/recipe.sh corpus data` first; ~5 min per setting on
# 2 cores. Writes models/train/work/loso/{preds,summary}_NAME.*; results/loso-lexical-sweep.md reads them.
set -euo pipefail
cd "$(dirname "$0")/.."
W=../../models/train/work/canon/work
L=../../models/train/work/loso
run() {
  name=$1; shift
  /usr/bin/python3 loso.py $W $L --recipe lexical --name "$name" --lexical-args "$*"
  /usr/bin/python3 summarise.py $L/preds_$name.jsonl $L/summary_$name > /dev/null
}
run lexical                                   # the shipped recipe (order 4, l2 1e-6, unweighted cells)
run bal --balance cells                       # every (source, label) cell weighs the same
run o2 --order 2                              # fewer, more general n-grams
run o2bal --order 2 --balance cells
run balL2 --balance cells --l2 1e-5           # stronger weight decay
