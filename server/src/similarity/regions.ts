// Matching regions: maximal shared subtrees mapped back to line ranges in both files, then merged
// into maximal runs that advance together in both files.
import type { FileFeatures } from './features';
import { has } from './score';

export interface LineMatch { aStart: number; aEnd: number; bStart: number; bEnd: number }

import type { MatchingRegion } from '../../../protocol/report';

export type { MatchingRegion };

/** Lines two matches may be apart (blank lines, a lone brace) and still merge. */
const MERGE_GAP = 2;

export function lineMatches(a: FileFeatures, b: FileFeatures, ignored: Set<number>): LineMatch[] {
  const ta = a.tracked;
  const tb = b.tracked;
  const shared: number[] = [];
  let i = 0;
  while (i < ta.hash.length) {
    const h = ta.hash[i]!;
    // The whole-file node is not a region: its parts are (so comments and blank edges stay out).
    if (i === 0 && ta.next[0] === ta.hash.length) i++;
    else if (ignored.has(h)) i = ta.next[i]!;
    else if (has(b.astSet, h)) {
      shared.push(i);
      i = ta.next[i]!;
    } else i++;
  }
  if (shared.length === 0) return [];
  const wanted = new Set(shared.map((k) => ta.hash[k]!));
  const where = new Map<number, number[]>();
  for (let k = 0; k < tb.hash.length; k++) {
    const h = tb.hash[k]!;
    if (!wanted.has(h)) continue;
    const l = where.get(h);
    if (l) l.push(k);
    else where.set(h, [k]);
  }
  const used = new Set<number>();
  const out: LineMatch[] = [];
  let lastEnd = -1;
  for (const k of shared) {
    const cands = where.get(ta.hash[k]!) ?? [];
    // Prefer the unused occurrence that continues the previous match; else the first unused one.
    let best = -1;
    for (const c of cands) {
      if (used.has(c)) continue;
      if (best < 0) best = c;
      if (tb.start[c]! >= lastEnd && (tb.start[best]! < lastEnd || tb.start[c]! < tb.start[best]!)) best = c;
    }
    if (best < 0) best = cands[0] ?? -1;
    if (best < 0) continue;
    used.add(best);
    lastEnd = tb.end[best]!;
    out.push({ aStart: ta.start[k]!, aEnd: ta.end[k]!, bStart: tb.start[best]!, bEnd: tb.end[best]! });
  }
  return mergeMatches(out);
}

export function mergeMatches(ms: LineMatch[]): LineMatch[] {
  const sorted = ms.slice().sort((x, y) => x.aStart - y.aStart || x.bStart - y.bStart);
  const out: LineMatch[] = [];
  for (const m of sorted) {
    const cur = out[out.length - 1];
    if (cur && m.aStart <= cur.aEnd + MERGE_GAP && m.bStart <= cur.bEnd + MERGE_GAP && m.bStart >= cur.bStart) {
      cur.aEnd = Math.max(cur.aEnd, m.aEnd);
      cur.bEnd = Math.max(cur.bEnd, m.bEnd);
    } else if (cur && m.aEnd <= cur.aEnd && m.bStart >= cur.bStart && m.bEnd <= cur.bEnd) {
      // Already inside the current region.
    } else out.push({ ...m });
  }
  return out;
}

export function numberedLines(lines: string[], start0: number, end0: number): string {
  const out: string[] = [];
  for (let r = start0; r <= end0 && r < lines.length; r++) out.push(`${r + 1}: ${lines[r]}`);
  return out.join('\n');
}

/** What a region's code is read from: the file, whose text the run keeps anyway. */
export interface RegionSource { path: string; text?: string }

/** The last two files' lines: a pair's regions alternate between its two files. */
const recentLines: Array<{ text: string; lines: string[] }> = [];

function linesOf(text: string): string[] {
  const hit = recentLines.find((e) => e.text === text);
  if (hit) return hit.lines;
  const lines = text.split(/\r?\n/);
  recentLines.unshift({ text, lines });
  recentLines.length = Math.min(recentLines.length, 2);
  return lines;
}

/**
 * A matching region whose code is built when read (and when serialized, through toJSON): a workspace
 * report holds tens of thousands of regions whose code only an export or the report panel reads, and
 * as strings that code was about 50 MB of the language server's heap at 5,000 files.
 */
export class Region implements MatchingRegion {
  declare file1?: string;
  declare file2?: string;
  readonly file1_lines: [number, number];
  readonly file2_lines: [number, number];
  #a: RegionSource;
  #b: RegionSource;

  constructor(m: LineMatch, a: RegionSource, b: RegionSource, paths: boolean) {
    if (paths) {
      this.file1 = a.path;
      this.file2 = b.path;
    }
    this.file1_lines = [m.aStart + 1, m.aEnd + 1];
    this.file2_lines = [m.bStart + 1, m.bEnd + 1];
    this.#a = a;
    this.#b = b;
  }

  get file1_code(): string {
    return numberedLines(linesOf(this.#a.text ?? ''), this.file1_lines[0] - 1, this.file1_lines[1] - 1);
  }

  get file2_code(): string {
    return numberedLines(linesOf(this.#b.text ?? ''), this.file2_lines[0] - 1, this.file2_lines[1] - 1);
  }

  /**
   * Reads the code from these files from now on (a later run's objects for the same paths, with the
   * same content): a remembered region then keeps no earlier run's text alive.
   */
  rebind(byPath: Map<string, RegionSource>): void {
    this.#a = byPath.get(this.#a.path) ?? this.#a;
    this.#b = byPath.get(this.#b.path) ?? this.#b;
  }

  toJSON(): MatchingRegion & { file1?: string; file2?: string } {
    return {
      ...(this.file1 !== undefined ? { file1: this.file1, file2: this.file2 } : {}),
      file1_lines: this.file1_lines, file2_lines: this.file2_lines, file1_code: this.file1_code, file2_code: this.file2_code,
    };
  }
}

/** `paths`: each region names its two files (a pair of multi-file submissions). */
export function toRegions(ms: LineMatch[], a: RegionSource, b: RegionSource, paths = false): Region[] {
  return ms.map((m) => new Region(m, a, b, paths));
}
