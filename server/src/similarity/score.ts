// Pair scoring: AST coverage by maximal shared subtrees, and Jaccard of CFG and data-flow edge sets,
// all after template and common-code evidence is removed.
import type { FileFeatures } from './features';

import type { Weights } from '../../../protocol/report';

export type { Weights } from '../../../protocol/report';
export const DEFAULT_WEIGHTS: Weights = { ast: 0.4, cfg: 0.3, dataflow: 0.3 };

/** Evidence to leave out: keys from the template and keys too common to mean anything. */
export interface Ignored { ast: Set<number>; fp: Set<number>; cfg: Set<number>; df: Set<number> }

/**
 * Share of the AST component taken by winnowed k-grams of the normalized tree; the rest is coverage by
 * shared subtrees. k-grams survive edits that break whole-subtree equality (SOCO Java AUC 0.999 vs
 * 0.992 with subtrees alone, ConPlag 0.94 vs 0.88); subtrees give exact regions and order-insensitive
 * members.
 */
export const KGRAM_SHARE = 0.7;

/** A comparison unit: one file, or a submission of several files. */
export interface DocEvidence {
  files: FileFeatures[];
  /** Sorted unique keys over all files of the document. */
  astSet: Float64Array;
  fpSet: Float64Array;
  cfg: Float64Array;
  df: Float64Array;
  /** Hashed nodes not inside ignored subtrees. */
  effectiveTotal: number;
  /** Fingerprint occurrences that are not ignored. */
  fpTotal: number;
  /** Not-ignored fingerprint occurrences, sorted (repeats kept); filled by `prepare`. */
  fpOcc?: Float64Array;
  /** Not-ignored edge keys; filled by `prepare`. */
  cfgKept?: Float64Array;
  dfKept?: Float64Array;
}

/** Filters ignored evidence out once per document, so pair scoring is plain merges of sorted arrays. */
export function prepare(e: DocEvidence, ignored: Ignored): void {
  const occ: number[] = [];
  for (const f of e.files) for (const h of f.fp.hash) if (!ignored.fp.has(h)) occ.push(h);
  e.fpOcc = Float64Array.from(occ).sort();
  e.fpTotal = occ.length;
  e.cfgKept = e.cfg.filter((k) => !ignored.cfg.has(k));
  e.dfKept = e.df.filter((k) => !ignored.df.has(k));
}

/** Elements of sorted `a` (repeats counted) present in sorted unique `b`. */
function mergeCount(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      n++;
      i++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

function jaccardKept(a: Float64Array, b: Float64Array): number | undefined {
  return jaccardOfCounts(mergeCount(a, b), a.length, b.length);
}

/** Jaccard from |A ∩ B|, |A| and |B| (undefined when both are empty). */
export function jaccardOfCounts(inter: number, na: number, nb: number): number | undefined {
  return na + nb === 0 ? undefined : inter / (na + nb - inter);
}

export function has(sorted: Float64Array, key: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === key) return true;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Nodes of a file left after removing ignored subtrees (template, common code). */
export function effectiveTotal(f: FileFeatures, ignored: Set<number>): number {
  if (ignored.size === 0) return f.total;
  const t = f.tracked;
  let removed = 0;
  let i = 0;
  while (i < t.hash.length) {
    if (ignored.has(t.hash[i]!)) {
      removed += t.size[i]!;
      i = t.next[i]!;
    } else i++;
  }
  return Math.max(0, f.total - removed);
}

/** Nodes of `f` inside maximal subtrees whose hash the other document also has. */
export function coveredNodes(f: FileFeatures, other: Float64Array, ignored: Set<number>): number {
  const t = f.tracked;
  let covered = 0;
  let i = 0;
  while (i < t.hash.length) {
    const h = t.hash[i]!;
    if (ignored.has(h)) i = t.next[i]!;
    else if (has(other, h)) {
      covered += t.size[i]!;
      i = t.next[i]!;
    } else i++;
  }
  return covered;
}

export interface PairScore {
  score: number;
  ast: number;
  cfg: number;
  dataflow: number;
}

export function scorePair(a: DocEvidence, b: DocEvidence, ignored: Ignored, w: Weights): PairScore {
  let cov = 0;
  for (const f of a.files) cov += coveredNodes(f, b.astSet, ignored.ast);
  for (const f of b.files) cov += coveredNodes(f, a.astSet, ignored.ast);
  if (!a.fpOcc) prepare(a, ignored);
  if (!b.fpOcc) prepare(b, ignored);
  const fpCov = mergeCount(a.fpOcc!, b.fpSet) + mergeCount(b.fpOcc!, a.fpSet);
  return finishScore(cov, a.effectiveTotal + b.effectiveTotal, fpCov, a.fpTotal + b.fpTotal,
    jaccardKept(a.cfgKept!, b.cfgKept!), jaccardKept(a.dfKept!, b.dfKept!), w);
}

/**
 * The pair score from its counts: subtree-covered nodes over effective nodes, shared fingerprint
 * occurrences over all, and the two edge Jaccards. One formula for every scorer, so they agree exactly.
 */
export function finishScore(cov: number, denom: number, fpCov: number, fpDenom: number, cfg: number | undefined, dataflow: number | undefined, w: Weights): PairScore {
  const subtrees = denom > 0 ? Math.min(1, cov / denom) : undefined;
  const kgrams = fpDenom > 0 ? Math.min(1, fpCov / fpDenom) : undefined;
  const ast = subtrees === undefined && kgrams === undefined ? undefined
    : kgrams === undefined ? subtrees : subtrees === undefined ? kgrams : KGRAM_SHARE * kgrams + (1 - KGRAM_SHARE) * subtrees;
  // No shared subtree at all: the pair scores 0, as pairs the index never proposed do.
  if (!ast) return { score: 0, ast: 0, cfg: cfg ?? 0, dataflow: dataflow ?? 0 };
  // A component without evidence on either side (no functions, no variables) gives its weight to the others.
  let sum = 0;
  let wsum = 0;
  if (ast !== undefined) { sum += w.ast * ast; wsum += w.ast; }
  if (cfg !== undefined) { sum += w.cfg * cfg; wsum += w.cfg; }
  if (dataflow !== undefined) { sum += w.dataflow * dataflow; wsum += w.dataflow; }
  return { score: wsum > 0 ? sum / wsum : 0, ast: ast ?? 0, cfg: cfg ?? 0, dataflow: dataflow ?? 0 };
}
