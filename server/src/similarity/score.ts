// Pair scoring: AST coverage by maximal shared subtrees, and Jaccard of CFG and data-flow edge sets,
// all after template and common-code evidence is removed.
import type { FileFeatures } from './features';
import { countNotIgnored, intersectCount } from './hash';

export interface Weights { ast: number; cfg: number; dataflow: number }
export const DEFAULT_WEIGHTS: Weights = { ast: 0.4, cfg: 0.3, dataflow: 0.3 };

/** Evidence to leave out: keys from the template and keys too common to mean anything. */
export interface Ignored { ast: Set<number>; cfg: Set<number>; df: Set<number> }

/** A comparison unit: one file, or a submission of several files. */
export interface DocEvidence {
  files: FileFeatures[];
  /** Sorted unique keys over all files of the document. */
  astSet: Float64Array;
  cfg: Float64Array;
  df: Float64Array;
  /** Hashed nodes not inside ignored subtrees. */
  effectiveTotal: number;
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

export function jaccard(a: Float64Array, b: Float64Array, ignored: Set<number>): number | undefined {
  const na = countNotIgnored(a, ignored);
  const nb = countNotIgnored(b, ignored);
  if (na + nb === 0) return undefined;
  const inter = intersectCount(a, b, ignored);
  return inter / (na + nb - inter);
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
  const denom = a.effectiveTotal + b.effectiveTotal;
  const ast = denom > 0 ? Math.min(1, cov / denom) : undefined;
  const cfg = jaccard(a.cfg, b.cfg, ignored.cfg);
  const dataflow = jaccard(a.df, b.df, ignored.df);
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
