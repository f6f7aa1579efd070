// The inverted index over fingerprints: candidate pairs (only pairs sharing evidence are scored in
// full; every other pair scores 0) and the common-code filter.
//
// Common code is counted in *groups* of near-copies, not in files: a cluster of ten copies of one
// submission must not make its own code "common" and hide itself. Groups are the connected
// components of pairs whose fingerprint sets overlap strongly (Dice ≥ GROUP_DICE).
import { clustersOf } from './clusters';

export const GROUP_DICE = 0.5;

export interface IndexResult {
  /** Candidate pairs as i * n + j (i < j), with the number of shared fingerprints. */
  pairs: Map<number, number>;
  /** Group id of each document (near-copies share one). */
  groupOf: Int32Array;
  groupCount: number;
}

/**
 * `sets[d]`: sorted unique fingerprints of document d. Keys in more than `capDocs` documents are
 * not used to propose pairs (they are boilerplate at any threshold); `allowed` filters pairs.
 */
export function buildIndex(sets: Float64Array[], capDocs: number, ignored: Set<number>, allowed: (i: number, j: number) => boolean): IndexResult {
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
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => keys[a]! - keys[b]! || a - b);
  const pairs = new Map<number, number>();
  const n = sets.length;
  let i = 0;
  while (i < total) {
    const k = keys[order[i]!]!;
    let j = i + 1;
    while (j < total && keys[order[j]!]! === k) j++;
    const df = j - i;
    if (df > 1 && df <= capDocs && !ignored.has(k)) {
      for (let a = i; a < j; a++) {
        const da = docs[order[a]!]!;
        for (let b = a + 1; b < j; b++) {
          const db = docs[order[b]!]!;
          const x = da < db ? da : db;
          const y = da < db ? db : da;
          if (x === y || !allowed(x, y)) continue;
          const id = x * n + y;
          pairs.set(id, (pairs.get(id) ?? 0) + 1);
        }
      }
    }
    i = j;
  }
  const strong: Array<[number, number, number]> = [];
  for (const [id, shared] of pairs) {
    const x = Math.floor(id / n);
    const y = id % n;
    const dice = (2 * shared) / Math.max(1, sets[x]!.length + sets[y]!.length);
    if (dice >= GROUP_DICE) strong.push([x, y, dice]);
  }
  const groupOf = new Int32Array(n).fill(-1);
  let g = 0;
  for (const c of clustersOf(n, strong, GROUP_DICE)) {
    for (const m of c.members) groupOf[m] = g;
    g++;
  }
  for (let d = 0; d < n; d++) if (groupOf[d]! < 0) groupOf[d] = g++;
  return { pairs, groupOf, groupCount: g };
}

/** Keys found in more than `maxGroups` groups of documents. */
export function commonKeys(sets: Float64Array[], groupOf: Int32Array, maxGroups: number): Set<number> {
  const byGroup = Array.from(sets.keys()).sort((a, b) => groupOf[a]! - groupOf[b]!);
  const count = new Map<number, number>();
  const lastGroup = new Map<number, number>();
  for (const d of byGroup) {
    const g = groupOf[d]!;
    for (const k of sets[d]!) {
      if (lastGroup.get(k) === g) continue;
      lastGroup.set(k, g);
      count.set(k, (count.get(k) ?? 0) + 1);
    }
  }
  const out = new Set<number>();
  for (const [k, c] of count) if (c > maxGroups) out.add(k);
  return out;
}
