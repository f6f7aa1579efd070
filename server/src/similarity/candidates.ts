// Evidence frequencies and candidate pairs from an inverted index over subtree hashes: only pairs
// that share at least one non-ignored subtree are scored in full; every other pair scores 0.

export interface IndexResult {
  /** Keys found in more documents than allowed: common code, ignored as evidence. */
  common: Set<number>;
  /** Candidate pairs as i * n + j (i < j), with the number of shared keys. */
  pairs: Map<number, number>;
}

/**
 * `sets[d]` are the sorted unique keys of document d. A key is common when more than `maxDocs`
 * documents hold it. `allowed(i, j)` filters pairs (cross comparison).
 */
export function buildIndex(sets: Float64Array[], maxDocs: number, ignored: Set<number>, allowed: (i: number, j: number) => boolean): IndexResult {
  let total = 0;
  for (const s of sets) total += s.length;
  const keys = new Float64Array(total);
  const docs = new Int32Array(total);
  let o = 0;
  for (let d = 0; d < sets.length; d++) {
    keys.set(sets[d]!, o);
    docs.fill(d, o, o + sets[d]!.length);
    o += sets[d]!.length;
  }
  // Sort positions by key (typed-array sort of the keys, then grouping by a map from key to docs).
  const order = Uint32Array.from({ length: total }, (_, i) => i);
  order.sort((a, b) => keys[a]! - keys[b]!);
  const common = new Set<number>();
  const pairs = new Map<number, number>();
  const n = sets.length;
  let i = 0;
  while (i < total) {
    const k = keys[order[i]!]!;
    let j = i + 1;
    while (j < total && keys[order[j]!]! === k) j++;
    const df = j - i;
    if (df > maxDocs) common.add(k);
    else if (df > 1 && !ignored.has(k)) {
      for (let a = i; a < j; a++) {
        const da = docs[order[a]!]!;
        for (let b = a + 1; b < j; b++) {
          const db = docs[order[b]!]!;
          const [x, y] = da < db ? [da, db] : [db, da];
          if (x === y || !allowed(x, y)) continue;
          const id = x * n + y;
          pairs.set(id, (pairs.get(id) ?? 0) + 1);
        }
      }
    }
    i = j;
  }
  return { common, pairs };
}

/** Keys held by more than `maxDocs` documents. */
export function commonKeys(sets: Float64Array[], maxDocs: number): Set<number> {
  const count = new Map<number, number>();
  for (const s of sets) for (const k of s) count.set(k, (count.get(k) ?? 0) + 1);
  const out = new Set<number>();
  for (const [k, c] of count) if (c > maxDocs) out.add(k);
  return out;
}
