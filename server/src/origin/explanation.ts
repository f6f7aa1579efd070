// Maps per-window token attributions back to the source: one score per character span (byte-level BPE
// offsets from the tokenizer), averaged over the windows that hold the token, then ranked.
import type { IgResult } from './integratedGradients';
import type { ModelWindow } from './windowing';

/** A scored span of the source; start/end are JS string indices (UTF-16), line/column are 1-based. */
export interface TokenAttribution {
  start: number;
  end: number;
  text: string;
  score: number;
  line: number;
  column: number;
}

export interface WindowCompleteness {
  window: number;
  /** f(x) − f(x') of the target logit, the attributions' sum, and |sum − delta| / max(|delta|, 1e-6). */
  delta: number;
  sum: number;
  relative_error: number;
  /** Models with a lexical path: its exact share, part of delta and sum (IG explains the rest). */
  lexical?: number;
}

/** Starts of lines, for offset → line/column. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function positionOf(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/**
 * Token attributions in source order. A token seen by two overlapping windows gets the mean of its two
 * scores; tokens that share one span (pieces of one multi-byte character) are summed into it.
 * `range` keeps only spans that intersect [range.start, range.end).
 */
export function sourceAttributions(
  text: string,
  windows: ModelWindow[],
  results: IgResult[],
  range?: { start: number; end: number },
): TokenAttribution[] {
  const byToken = new Map<number, { start: number; end: number; total: number; n: number }>();
  windows.forEach((w, k) => {
    const r = results[k]!;
    for (let i = 1; i < w.ids.length - 1; i++) {
      const token = w.firstToken + i - 1;
      const e = byToken.get(token) ?? { start: w.starts[i]!, end: w.ends[i]!, total: 0, n: 0 };
      e.total += r.scores[i]!;
      e.n++;
      byToken.set(token, e);
    }
  });
  const spans = new Map<string, { start: number; end: number; score: number }>();
  for (const t of [...byToken.keys()].sort((a, b) => a - b)) {
    const e = byToken.get(t)!;
    if (range && (e.end <= range.start || e.start >= range.end)) continue;
    const key = `${e.start}:${e.end}`;
    const s = spans.get(key);
    if (s) s.score += e.total / e.n;
    else spans.set(key, { start: e.start, end: e.end, score: e.total / e.n });
  }
  const ls = lineStarts(text);
  // Canonical input may reorder (sorted imports): token order is not always source order.
  return [...spans.values()].sort((a, b) => a.start - b.start || a.end - b.end).map((s) => ({ ...s, text: text.slice(s.start, s.end), ...positionOf(ls, s.start) }));
}

/** The k spans that push hardest towards the explained class (highest scores first). */
export function topTokens(tokens: TokenAttribution[], k: number): TokenAttribution[] {
  return [...tokens].sort((a, b) => b.score - a.score || a.start - b.start).slice(0, Math.max(0, k));
}

export function completeness(windows: ModelWindow[], results: IgResult[]): WindowCompleteness[] {
  return results.map((r, k) => ({
    window: windows[k]!.index,
    delta: r.delta,
    sum: r.sum,
    relative_error: Math.abs(r.sum - r.delta) / Math.max(Math.abs(r.delta), 1e-6),
    ...(r.lexical !== undefined ? { lexical: r.lexical } : {}),
  }));
}
