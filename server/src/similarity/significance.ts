// How far a pair stands above the background of its own run, and the one rule that decides which
// pairs are reported (CLI, editor diagnostics and tree view, HTML report all call `isReported`).
//
// A raw score means different things in different classes: independent solutions of a 10-line task
// share most of their structure (0.5+), while a refactored copy of a long program may score 0.15
// against 0.01 for its class. The background of a pair is where its two documents usually stand
// (the median of each one's scores against the documents outside its group of near-copies) and how
// widely the class's pairs between groups spread (a median absolute deviation or an upper quantile,
// floored so a class of near-zero scores does not make every shared line look significant). Pairs
// inside a group are left out so that a source copied by most of the class (40 copies beside 15 own
// solutions) does not become the background its copies are measured against.

import { clustersOf } from './clusters';
import { lowerBound } from './hash';

/** The rule's name and parameters, as the report's metadata records them. */
import type { ReportRule } from '../../../protocol/report';

export type { ReportRule };

/**
 * A pair at or above min_score needs to stand this far above its class (tiny tasks: every pair is
 * high): one spread above the largest of P independent normal pairs' expected maximum, √(2 ln P),
 * and at least Z_RAW_MIN (10 files: 4.0; 50: 4.9; 200: 5.5).
 */
export const Z_RAW_MIN = 3;
export function zRawFor(pairs: number): number {
  return Math.max(Z_RAW_MIN, Math.round((1 + Math.sqrt(2 * Math.log(Math.max(1, pairs)))) * 100) / 100);
}
/** Below min_score, a pair needs to stand this far above its class: rarer than any independent pair of a class. */
export const Z_LOW = 10;
/**
 * Below this raw score, a significant pair must also be each document's clear best partner (see
 * `standoutOf`). Here lie heavily disguised copies (refactored or rewritten by an LLM: 0.15-0.4
 * against 0.01-0.05 for their class), and also two files that share one helper.
 */
export const FLOOR = 0.4;
/**
 * Below FLOOR, a pair must score this many times each document's next-best partner outside the two
 * documents' groups of near-copies: a copy stands out from everything else its two files resemble,
 * while a small task's independent solutions resemble many others about as much.
 */
export const STANDOUT = 2;
/**
 * The significance a pair under FLOOR needs beside its standout: lower than Z_LOW because standing
 * out from both files' other partners is itself rare in a class, and never below the raw bar for the
 * run's number of pairs. With the spread's minimum (MIN_SPREAD) it is also the band's floor: a pair
 * must score 0.16 above its background, so a few shared lines are never reported.
 */
export const Z_STANDOUT = 8;
/** Raw scores at or above this are reported in any class. */
export const IDENTICAL = 0.9;
/** The class's spread is never taken below this (a class of unrelated files spreads ~0). */
export const MIN_SPREAD = 0.02;

/** The rule for a run with `pairs` pairs that may be compared. */
export function reportRule(minScore: number, pairs: number): ReportRule {
  const zRaw = zRawFor(pairs);
  const zLow = Math.max(Z_LOW, zRaw);
  const zStandout = Math.max(Z_STANDOUT, zRaw);
  return {
    name: 'raw-and-significance', min_score: minScore, z_raw: zRaw, z_low: zLow, floor: FLOOR, identical: IDENTICAL,
    standout: STANDOUT, z_standout: zStandout,
    description: `reported when score ≥ ${IDENTICAL}, or score ≥ ${minScore} and significance ≥ ${zRaw} (1 + √(2 ln ${pairs} pairs)), `
      + `or score ≥ ${FLOOR} and significance ≥ ${zLow}, or significance ≥ ${zStandout} and standout ≥ ${STANDOUT}; `
      + `significance = (score − the pair's background) / the class's spread; standout = score / each file's next-best partner`,
  };
}

/** Whether a report's pair is reported: the engine's decision, or for reports without one (older ones), the raw threshold. */
export function pairReported(p: { similarity_score: number; reported?: boolean }, minScore: number): boolean {
  return p.reported ?? p.similarity_score >= minScore;
}

/**
 * The one reporting rule. Pairs without significance (two or three documents) fall back to the raw
 * threshold; `standout` (see `standoutOf`) decides only below the floor, and rules of older reports
 * without a standout band report nothing there.
 */
export function isReported(score: number, significance: number | undefined,
  rule: Pick<ReportRule, 'min_score' | 'z_raw' | 'z_low' | 'floor' | 'identical' | 'standout' | 'z_standout'>, standout?: number): boolean {
  if (significance === undefined) return score >= rule.min_score;
  if (score >= rule.identical) return true;
  if (score >= rule.min_score) return significance >= rule.z_raw;
  if (score >= rule.floor) return significance >= rule.z_low;
  return rule.standout !== undefined && rule.z_standout !== undefined
    && significance >= rule.z_standout && standout !== undefined && standout >= rule.standout;
}

/** Per-document scores and the class spread. */
export interface Background {
  /** Each document's positive scores against others, ascending, and how many of its pairs score 0. */
  scores: Float64Array[];
  zeros: Int32Array;
  /** Robust spread of the class's pair scores (the larger of 1.4826 × MAD and (q70 − median) / 0.5244, at least MIN_SPREAD). */
  spread: number;
  /** Median of all pair scores. */
  median: number;
  /** Each document's group of near-copies (pairs inside one group are not background); absent: every document alone. */
  groupOf?: Int32Array;
  /**
   * Each document's best partners outside its own group, at most one per group and TOP_GROUPS groups,
   * best first, as [score, group] pairs flattened (for `standoutOf`).
   */
  top: Float64Array[];
}

/** Partner groups kept per document: enough that two remain once a pair's own partner group is left out. */
const TOP_GROUPS = 3;

/** Pairs at or above this score join documents into groups of near-copies (as the common filter's first pass, common.ts). */
export const NEAR_COPY = 0.7;

/**
 * Groups of near-copies (connected by pairs at or above NEAR_COPY). A group's inside pairs are not
 * background: when most of a class copied one source, the copies' scores among themselves would
 * otherwise be the class's median and spread, and no copy would stand out.
 */
export function nearCopyGroups(n: number, pairs: Array<[number, number, number]>): Int32Array {
  const groupOf = new Int32Array(n).fill(-1);
  let g = 0;
  for (const c of clustersOf(n, pairs, NEAR_COPY)) {
    for (const m of c.members) groupOf[m] = g;
    g++;
  }
  for (let d = 0; d < n; d++) if (groupOf[d]! < 0) groupOf[d] = g++;
  return groupOf;
}

/** Below this many other pairs on a side, a document has no background to speak of (two or three files compared). */
export const MIN_BACKGROUND = 3;

/**
 * Background from the pairs with a positive score (`pairs`: [i, j, score]); every other pair that
 * `partners` counts scores 0. `partners[i]`: how many documents i may be paired with.
 */
export function backgroundOf(n: number, pairs: Array<[number, number, number]>, partners: ArrayLike<number>, groupOf?: Int32Array): Background {
  const per: number[][] = Array.from({ length: n }, () => []);
  const top: number[][] = Array.from({ length: n }, () => []);
  const all: number[] = [];
  const groupAt = (d: number) => (groupOf ? groupOf[d]! : d);
  for (const [i, j, s] of pairs) {
    if (!(s > 0)) continue;
    if (groupOf && groupOf[i] === groupOf[j]) continue;
    per[i]!.push(s);
    per[j]!.push(s);
    all.push(s);
    keepTop(top[i]!, s, groupAt(j));
    keepTop(top[j]!, s, groupAt(i));
  }
  let totalPairs = 0;
  for (let i = 0; i < n; i++) totalPairs += partners[i]!;
  totalPairs /= 2;
  const median = medianWithZeros(all, totalPairs);
  // Deviations from the median: the implicit zeros all deviate by `median`.
  const dev = all.map((s) => Math.abs(s - median));
  const zeros = Math.max(0, totalPairs - all.length);
  const mad = totalPairs > 0 ? kthWithRepeats(dev, zeros, median, Math.floor((totalPairs - 1) / 2)) : 0;
  // Pair scores are skewed (most near 0, a long upper tail): the spread is also read from the upper
  // quantile that copies cannot reach unless they are 30% of all pairs (5 copies in 10 files: 22%).
  const q70 = totalPairs > 0 ? kthWithRepeats(all, zeros, 0, Math.floor(0.7 * (totalPairs - 1))) : 0;
  return {
    scores: per.map((v) => Float64Array.from(v).sort()),
    zeros: Int32Array.from(per, (v, i) => Math.max(0, partners[i]! - v.length)),
    spread: Math.max(MIN_SPREAD, 1.4826 * mad, (q70 - median) / 0.5244), median,
    ...(groupOf ? { groupOf } : {}),
    top: top.map((t) => Float64Array.from(t)),
  };
}

/** Median of document i's scores against all others but one pair scoring `s` (undefined: too few others). */
export function levelWithout(bg: Background, i: number, s: number): number | undefined {
  const v = bg.scores[i]!;
  const z = bg.zeros[i]!;
  const total = v.length + z - (Number.isNaN(s) ? 0 : 1);
  if (total < MIN_BACKGROUND) return undefined;
  const k = Math.floor((total - 1) / 2);
  // Rank of the removed pair in the merged order (zeros first, then v ascending); none removed: past the end.
  const r = Number.isNaN(s) ? Number.POSITIVE_INFINITY : s > 0 ? z + lowerBound(v, s) : 0;
  const at = (x: number) => (x < z ? 0 : v[x - z]!);
  return k < r ? at(k) : at(k + 1);
}

/**
 * How far a pair's score stands above the background of its two documents (their median scores
 * against everyone else), in class spreads; undefined where there is no background (tiny inputs).
 */
export function significanceOf(bg: Background, i: number, j: number, score: number): number | undefined {
  // A pair inside one group is in neither document's background: nothing to leave out.
  const own = bg.groupOf && bg.groupOf[i] === bg.groupOf[j] ? Number.NaN : score;
  const li = levelWithout(bg, i, own);
  const lj = levelWithout(bg, j, own);
  if (li === undefined || lj === undefined) return undefined;
  const m = Math.min(backgroundSize(bg, i), backgroundSize(bg, j)) - (Number.isNaN(own) ? 0 : 1);
  return (score - Math.max(li, lj)) / (bg.spread * levelNoise(m));
}

/**
 * A level read from m scores is itself uncertain (a median's standard error is √(π/2m) spreads), so
 * a document with few others to compare against (a 10-file folder: 8) must stand further out:
 * significance is taken in units of √(spread² + that error²). 8 others: ×1.09; 53: ×1.015.
 */
export function levelNoise(m: number): number {
  return Math.sqrt(1 + Math.PI / (2 * Math.max(1, m)));
}

/**
 * How many times a pair's score is each of its documents' next-best partner (the smaller of the two
 * ratios; Infinity where neither has another partner scoring above 0). Next-best leaves out the
 * document's own group of near-copies and its partner's: when many copied one source, a disguised copy
 * of it scores alike with every one of them, and they are one partner, not several.
 * Undefined for a pair inside one group (its documents' groups decide) or without background.
 */
export function standoutOf(bg: Background, i: number, j: number, score: number): number | undefined {
  if (bg.groupOf && bg.groupOf[i] === bg.groupOf[j]) return undefined;
  if (backgroundSize(bg, i) <= MIN_BACKGROUND || backgroundSize(bg, j) <= MIN_BACKGROUND) return undefined;
  const groupOf = (d: number) => (bg.groupOf ? bg.groupOf[d]! : d);
  const next = Math.max(bestOutside(bg.top[i]!, groupOf(j)), bestOutside(bg.top[j]!, groupOf(i)));
  return next > 0 ? score / next : Number.POSITIVE_INFINITY;
}

/** The best score of flattened [score, group] pairs (best first) with another group than `g`. */
function bestOutside(t: Float64Array, g: number): number {
  for (let k = 0; k < t.length; k += 2) if (t[k + 1] !== g) return t[k]!;
  return 0;
}

/** Keeps a document's best score per partner group, for the TOP_GROUPS best groups, best first. */
function keepTop(t: number[], s: number, g: number): void {
  for (let k = 0; k < t.length; k += 2) {
    if (t[k + 1] !== g) continue;
    if (s <= t[k]!) return;
    t.splice(k, 2);
    break;
  }
  let k = 0;
  while (k < t.length && t[k]! >= s) k += 2;
  if (k >= 2 * TOP_GROUPS) return;
  t.splice(k, 0, s, g);
  if (t.length > 2 * TOP_GROUPS) t.length = 2 * TOP_GROUPS;
}

/** How many scores document i's level is read from. */
function backgroundSize(bg: Background, i: number): number {
  return bg.scores[i]!.length + bg.zeros[i]!;
}

/** Median of `values` (positive) together with `total - values.length` zeros. */
export function medianWithZeros(values: number[], total: number): number {
  if (total <= 0) return 0;
  const zeros = Math.max(0, total - values.length);
  return kthWithRepeats(values, zeros, 0, Math.floor((total - 1) / 2));
}

/** The k-th smallest (0-based) of `values` together with `count` copies of `repeat`. */
function kthWithRepeats(values: number[], count: number, repeat: number, k: number): number {
  const sorted = Float64Array.from(values).sort();
  // Merge position: copies of `repeat` go before equal-or-larger values.
  const lo = lowerBound(sorted, repeat);
  if (k < lo) return sorted[k]!;
  if (k < lo + count) return repeat;
  const r = k - count;
  return r < sorted.length ? sorted[r]! : repeat;
}
