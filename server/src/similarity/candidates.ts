// The inverted index over fingerprints: candidate pairs (only pairs sharing evidence are scored in
// full; every other pair scores 0) and the common-code filter.
//
// Common code is counted in *groups* of near-copies, not in files: a cluster of ten copies of one
// submission must not make its own code "common" and hide itself. Groups are the connected
// components of pairs whose fingerprint sets overlap strongly (Dice ≥ GROUP_DICE).
//
// Pairs are never held in one map (at 5,000 files that is millions of entries): each document's
// partners are found from the postings of its keys and counted in arrays reused per document.
import { clustersOf } from './clusters';

export const GROUP_DICE = 0.5;

/** Documents per key: key ids are positions in the sorted unique `keys`. */
export class Postings {
  readonly keys: Float64Array;
  /** Postings of key id k: `docs[start[k] .. start[k + 1])`, ascending. */
  readonly start: Int32Array;
  readonly docs: Int32Array;
  /** Per document, the key id of each element of its sorted unique set. */
  readonly kidsOf: Int32Array[];

  /** Postings made elsewhere (`mergeStored`): the same fields as the constructor's. */
  static fromParts(keys: Float64Array, start: Int32Array, docs: Int32Array, kidsOf: Int32Array[]): Postings {
    const p = Object.create(Postings.prototype) as { -readonly [K in keyof Postings]: Postings[K] };
    Object.assign(p, { keys, start, docs, kidsOf });
    return p as Postings;
  }

  /** `sets[d]`: sorted unique keys of document d. */
  constructor(sets: Float64Array[]) {
    let total = 0;
    for (const s of sets) total += s.length;
    const all = new Float64Array(total);
    let o = 0;
    for (const s of sets) {
      all.set(s, o);
      o += s.length;
    }
    all.sort();
    let u = 0;
    for (let i = 0; i < total; i++) if (i === 0 || all[i] !== all[u - 1]) all[u++] = all[i]!;
    this.keys = all.slice(0, u);
    const count = new Int32Array(u + 1);
    const keys = this.keys;
    this.kidsOf = sets.map((s) => {
      const kids = new Int32Array(s.length);
      // Both sorted: each id is found by binary search above the previous one.
      let lo = 0;
      for (let i = 0; i < s.length; i++) {
        const x = s[i]!;
        let hi = u;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (keys[mid]! < x) lo = mid + 1;
          else hi = mid;
        }
        kids[i] = lo;
        count[lo + 1]!++;
      }
      return kids;
    });
    for (let k = 0; k < u; k++) count[k + 1]! += count[k]!;
    this.start = count;
    this.docs = new Int32Array(total);
    const fill = count.slice(0, u);
    sets.forEach((_, d) => {
      for (const k of this.kidsOf[d]!) this.docs[fill[k]!++] = d;
    });
  }

  /** Per-document values (aligned with each document's set) laid out in posting order. */
  alongPostings(values: Int32Array[]): Int32Array {
    const out = new Int32Array(this.docs.length);
    const fill = this.start.slice(0, this.keys.length);
    this.kidsOf.forEach((kids, d) => {
      for (let i = 0; i < kids.length; i++) out[fill[kids[i]!]!++] = values[d]![i]!;
    });
    return out;
  }

  df(kid: number): number {
    return this.start[kid + 1]! - this.start[kid]!;
  }

  /** Per key id, 1 where the key is in `set`. */
  flags(set: Set<number>): Uint8Array {
    const f = new Uint8Array(this.keys.length);
    if (set.size) for (let k = 0; k < f.length; k++) if (set.has(this.keys[k]!)) f[k] = 1;
    return f;
  }
}

export interface IndexResult {
  /** Candidate pairs (i < j sharing a proposing key). */
  candidates: number;
  /** Group id of each document (near-copies share one). */
  groupOf: Int32Array;
  groupCount: number;
}

/** Keys a document proposes pairs with: shared, not in more than `capDocs` documents, not template. */
export function proposes(p: Postings, kid: number, capDocs: number, template: Uint8Array): boolean {
  const df = p.df(kid);
  return df > 1 && df <= capDocs && !template[kid];
}

/**
 * Candidates of document `a` among documents accepted by `want`: fills `shared[b]` with the number of
 * proposing keys a and b share, for every b stamped `stamp[b] === a`; returns those b.
 */
export function partners(p: Postings, a: number, capDocs: number, template: Uint8Array, want: (b: number) => boolean,
  stamp: Int32Array, shared: Int32Array): number[] {
  const out: number[] = [];
  for (const kid of p.kidsOf[a]!) {
    if (!proposes(p, kid, capDocs, template)) continue;
    for (let x = p.start[kid]!, end = p.start[kid + 1]!; x < end; x++) {
      const b = p.docs[x]!;
      if (b === a) continue;
      if (stamp[b] !== a) {
        if (!want(b)) continue;
        stamp[b] = a;
        shared[b] = 0;
        out.push(b);
      }
      shared[b]!++;
    }
  }
  return out;
}

/** Whether documents a and b share a key that proposes pairs (so they are a candidate pair). */
export function sharesProposingKey(p: Postings, a: number, b: number, capDocs: number, template: Uint8Array): boolean {
  const x = p.kidsOf[a]!;
  const y = p.kidsOf[b]!;
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i]! < y[j]!) i++;
    else if (x[i]! > y[j]!) j++;
    else {
      if (proposes(p, x[i]!, capDocs, template)) return true;
      i++;
      j++;
    }
  }
  return false;
}

/**
 * Candidate count and near-copy groups. Keys in more than `capDocs` documents are not used to propose
 * pairs (they are boilerplate at any threshold); `allowed` filters pairs.
 */
export function buildIndex(p: Postings, capDocs: number, template: Uint8Array, allowed: (i: number, j: number) => boolean, rows = p.kidsOf.length): IndexResult {
  const n = p.kidsOf.length;
  const stamp = new Int32Array(n).fill(-1);
  const shared = new Int32Array(n);
  const strong: Array<[number, number, number]> = [];
  let candidates = 0;
  // Documents from `rows` on have no allowed partner after them (archived ones, which come last): their
  // rows would only walk the postings of their keys to reject every partner (at 100,000 archived files,
  // most of the query's time).
  for (let a = 0; a < rows; a++) {
    const bs = partners(p, a, capDocs, template, (b) => b > a && allowed(a, b), stamp, shared);
    candidates += bs.length;
    for (const b of bs) {
      const dice = (2 * shared[b]!) / Math.max(1, p.kidsOf[a]!.length + p.kidsOf[b]!.length);
      if (dice >= GROUP_DICE) strong.push([a, b, dice]);
    }
  }
  const groupOf = new Int32Array(n).fill(-1);
  let g = 0;
  for (const c of clustersOf(n, strong, GROUP_DICE)) {
    for (const m of c.members) groupOf[m] = g;
    g++;
  }
  for (let d = 0; d < n; d++) if (groupOf[d]! < 0) groupOf[d] = g++;
  return { candidates, groupOf, groupCount: g };
}

/** Keys found in more than `maxGroups` groups of documents. */
export function commonKeys(p: Postings, groupOf: Int32Array, maxGroups: number): Set<number> {
  const out = new Set<number>();
  const last = new Int32Array(groupOf.length).fill(-1);
  for (let k = 0; k < p.keys.length; k++) {
    const end = p.start[k + 1]!;
    if (end - p.start[k]! <= maxGroups) continue; // cannot be in more groups than documents
    let groups = 0;
    for (let x = p.start[k]!; x < end; x++) {
      const g = groupOf[p.docs[x]!]!;
      if (last[g] !== k) {
        last[g] = k;
        groups++;
      }
    }
    if (groups > maxGroups) out.add(p.keys[k]!);
  }
  return out;
}
