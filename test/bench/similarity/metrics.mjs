// Ranking metrics for labelled pairs: ROC AUC (ties averaged) and F1 over thresholds.

/** items: [{score, label: 0|1}] */
export function auc(items) {
  const sorted = items.slice().sort((a, b) => a.score - b.score);
  let pos = 0;
  let neg = 0;
  for (const it of sorted) (it.label ? pos++ : neg++);
  if (pos === 0 || neg === 0) return NaN;
  // Rank-sum with average ranks for ties.
  let rankSum = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const avg = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k].label) rankSum += avg;
    i = j;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function f1At(items, t) {
  let tp = 0, fp = 0, fn = 0;
  for (const it of items) {
    const p = it.score >= t;
    if (p && it.label) tp++;
    else if (p) fp++;
    else if (it.label) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

export function bestF1(items) {
  const sorted = items.slice().sort((a, b) => b.score - a.score);
  const pos = items.filter((x) => x.label).length;
  let tp = 0, fp = 0, best = 0, bestT = 1;
  for (let i = 0; i < sorted.length; i++) {
    sorted[i].label ? tp++ : fp++;
    if (i + 1 < sorted.length && sorted[i + 1].score === sorted[i].score) continue;
    const f = (2 * tp) / (tp + fp + pos);
    if (f > best) { best = f; bestT = sorted[i].score; }
  }
  return { f1: best, threshold: bestT };
}
