// Evidence between two files: how much of their shared token runs the template, common code or a
// standard algorithm explains, and the copy-specific rest (long identical runs, identical lines,
// the same distinctive names, the same comments).
import crypto from 'node:crypto';
import type { DocKeys, ExplainedCode } from './context';
import { EVIDENCE_K, lineKey, nameKey, normLine } from './context';
import type { DetectedAlgorithm } from './detect';
import { coveredBy, kgramHashes } from './kgrams';
import type { TokenizedFile } from './tokens';

/** Runs this long (abstract tokens) are rarely shared by independent code. */
export const RUN_K = 24;

export interface PairEvidence {
  /** Share of the two files' tokens in shared k-gram runs. */
  shared: number;
  /** Share of the shared tokens that the template or common code explains. */
  templateShare: number;
  /** Share of the shared, unexplained tokens inside functions both files implement as the same standard algorithm. */
  algorithmShare: number;
  algorithms: string[];
  /** Containment of long identical runs (the larger of the two directions), unexplained tokens only. */
  runs: number;
  /** Identical non-trivial lines over the smaller file's non-trivial lines. */
  lines: number;
  /** Jaccard of distinctive identifiers, or -1 when too few to tell. */
  names: number;
  sharedComments: number;
}

const STOP_NAMES = new Set([
  'main', 'args', 'argv', 'argc', 'String', 'System', 'out', 'println', 'print', 'printf', 'scanf', 'input', 'range', 'len', 'int',
  'Integer', 'Math', 'max', 'min', 'abs', 'sort', 'Arrays', 'List', 'ArrayList', 'Scanner', 'nextInt', 'next', 'nextLine', 'split',
  'length', 'size', 'add', 'get', 'put', 'push', 'pop', 'append', 'map', 'std', 'cin', 'cout', 'endl', 'vector', 'string', 'fmt',
  'Println', 'Scan', 'console', 'log', 'self', 'this', 'result', 'res', 'ans', 'answer', 'count', 'cnt', 'sum', 'temp', 'tmp',
  'arr', 'num', 'nums', 'index', 'idx', 'value', 'val', 'key', 'str', 'line', 'data', 'list', 'java', 'util', 'io', 'import',
  'BufferedReader', 'InputStreamReader', 'parseInt', 'readLine', 'StringTokenizer', 'nextToken', 'PrintWriter', 'flush', 'close',
  'true', 'false', 'null', 'test', 'solve', 'Main', 'Solution', 'left', 'right', 'mid', 'low', 'high', 'start', 'end',
]);

/**
 * What the evidence reads of one file, computed once per file content and kept between runs (see
 * cache.ts): no token objects, only their lines, the k-gram hashes, and the lines, names and
 * comments that can count as copy evidence (before the template and common code are taken out).
 */
export interface FileAnalysis {
  tokenCount: number;
  /** Zero-based line of each token. */
  tokenLines: Int32Array;
  /** Hashes of the EVIDENCE_K-grams and RUN_K-grams at each position. */
  k: Float64Array;
  runK: Float64Array;
  /** Non-trivial whitespace-free lines (`lineKey`s) with their counts. */
  lines: Map<number, number>;
  /** Distinctive-name candidates (`nameKey`s): identifiers of 3+ characters, not common names. */
  names: Float64Array;
  /** Comments of 10+ characters, in order (repeats kept). */
  comments: string[];
  algorithms: DetectedAlgorithm[];
  /** The last `explainedDigest`, and the cache's generation of the explained code it was computed for. */
  digest?: { gen: number; value: string };
}

export function analyseFile(f: TokenizedFile, source: string, algorithms: DetectedAlgorithm[]): FileAnalysis {
  const tokenLines = new Int32Array(f.tokens.length);
  const names = new Set<number>();
  f.tokens.forEach((t, i) => {
    tokenLines[i] = t.line;
    if (t.t === 'v' && t.name && t.name.length >= 3 && !STOP_NAMES.has(t.name)) names.add(nameKey(t.name));
  });
  const lines = new Map<number, number>();
  for (const raw of source.split('\n')) {
    const l = normLine(raw);
    if (l.length < 12 || !/[A-Za-z]/.test(l) || /^(import|#include|using|package|from)/.test(l)) continue;
    const k = lineKey(l);
    lines.set(k, (lines.get(k) ?? 0) + 1);
  }
  return {
    tokenCount: f.tokens.length, tokenLines,
    k: Float64Array.from(kgramHashes(f.tokens, EVIDENCE_K)), runK: Float64Array.from(kgramHashes(f.tokens, RUN_K)),
    lines, names: Float64Array.from(names), comments: f.comments.filter((c) => c.length >= 10), algorithms,
  };
}

/**
 * Which of the file's k-grams, lines and names the template or common code explains, as a digest:
 * with the file's content, all that the evidence reads of the context (equal digests, equal verdicts).
 */
export function explainedDigest(a: FileAnalysis, explained: ExplainedCode): string {
  const bits = new Uint8Array(a.k.length + a.lines.size + a.names.length);
  let i = 0;
  for (const h of a.k) bits[i++] = explained.hashes.has(h) ? 1 : 0;
  for (const l of a.lines.keys()) bits[i++] = explained.lines.has(l) ? 1 : 0;
  for (const n of a.names) bits[i++] = explained.names.has(n) ? 1 : 0;
  return crypto.createHash('sha1').update(bits).digest('base64');
}

/**
 * `explainedDigest` from a document's keys (context.ts) instead of its analysis: the keys hold every
 * k-gram, line and name the analysis reads (and more), so equal digests still mean equal verdicts, and
 * a document whose keys are known (counted, or stored on disk) needs no parse to tell that its verdicts
 * stand. Prefixed so that it never equals an analysis's digest.
 */
export function keysDigest(k: DocKeys, explained: ExplainedCode): string {
  const bits = new Uint8Array(k.hashes.length + k.lines.length + k.names.length);
  let i = 0;
  for (const h of k.hashes) bits[i++] = explained.hashes.has(h) ? 1 : 0;
  for (const l of k.lines) bits[i++] = explained.lines.has(l) ? 1 : 0;
  for (const n of k.names) bits[i++] = explained.names.has(n) ? 1 : 0;
  return `k:${crypto.createHash('sha1').update(bits).digest('base64')}`;
}

function sum(m: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < m.length; i++) n += m[i]!;
  return n;
}

function lineSet(lines: Set<number>, algs: DetectedAlgorithm[], names: Set<string>): void {
  for (const a of algs) if (names.has(a.name)) for (let l = a.start; l <= a.end; l++) lines.add(l);
}

export function pairEvidence(a: FileAnalysis, b: FileAnalysis, explained: ExplainedCode): PairEvidence {
  const ha = a.k;
  const hb = b.k;
  const sharedA = coveredBy(ha, EVIDENCE_K, a.tokenCount, new Set(hb));
  const sharedB = coveredBy(hb, EVIDENCE_K, b.tokenCount, new Set(ha));
  const explA = coveredBy(ha, EVIDENCE_K, a.tokenCount, explained.hashes);
  const explB = coveredBy(hb, EVIDENCE_K, b.tokenCount, explained.hashes);

  const algA = a.algorithms;
  const algB = b.algorithms;
  const common = new Set(algA.map((x) => x.name).filter((n) => algB.some((y) => y.name === n)));
  const algLinesA = new Set<number>();
  const algLinesB = new Set<number>();
  lineSet(algLinesA, algA, common);
  lineSet(algLinesB, algB, common);

  let shared = 0;
  let explainedShared = 0;
  let rest = 0;
  let inAlg = 0;
  const tally = (sh: Uint8Array, ex: Uint8Array, f: FileAnalysis, alg: Set<number>) => {
    for (let i = 0; i < sh.length; i++) {
      if (!sh[i]) continue;
      shared++;
      if (ex[i]) explainedShared++;
      else {
        rest++;
        if (alg.has(f.tokenLines[i]!)) inAlg++;
      }
    }
  };
  tally(sharedA, explA, a, algLinesA);
  tally(sharedB, explB, b, algLinesB);

  // Long runs, counted only on tokens nothing else explains.
  const ra = a.runK;
  const rb = b.runK;
  const runA = coveredBy(ra, RUN_K, a.tokenCount, new Set(rb));
  const runB = coveredBy(rb, RUN_K, b.tokenCount, new Set(ra));
  const own = (run: Uint8Array, ex: Uint8Array) => {
    let n = 0;
    let d = 0;
    for (let i = 0; i < run.length; i++) {
      if (ex[i]) continue;
      d++;
      n += run[i]!;
    }
    return d === 0 ? 0 : n / d;
  };

  return {
    shared: (sum(sharedA) + sum(sharedB)) / Math.max(1, a.tokenCount + b.tokenCount),
    templateShare: shared === 0 ? 0 : explainedShared / shared,
    algorithmShare: rest === 0 ? 0 : inAlg / rest,
    algorithms: [...common],
    runs: Math.max(own(runA, explA), own(runB, explB)),
    lines: lineOverlap(a, b, explained),
    names: nameOverlap(a, b, explained),
    sharedComments: commentOverlap(a, b),
  };
}

function lineOverlap(a: FileAnalysis, b: FileAnalysis, explained: ExplainedCode): number {
  let na = 0;
  let nb = 0;
  let both = 0;
  for (const [l, c] of a.lines) if (!explained.lines.has(l)) na += c;
  for (const [l, c] of b.lines) if (!explained.lines.has(l)) nb += c;
  for (const [l, c] of a.lines) if (!explained.lines.has(l)) both += Math.min(c, b.lines.get(l) ?? 0);
  const d = Math.min(na, nb);
  return d < 3 ? 0 : both / d;
}

function distinctive(f: FileAnalysis, explained: ExplainedCode): Set<number> {
  return new Set(f.names.filter((n) => !explained.names.has(n)));
}

function nameOverlap(a: FileAnalysis, b: FileAnalysis, explained: ExplainedCode): number {
  const na = distinctive(a, explained);
  const nb = distinctive(b, explained);
  if (Math.min(na.size, nb.size) < 3) return -1;
  let both = 0;
  for (const n of na) if (nb.has(n)) both++;
  return both / (na.size + nb.size - both);
}

function commentOverlap(a: FileAnalysis, b: FileAnalysis): number {
  const cb = new Set(b.comments);
  return a.comments.filter((c) => cb.has(c)).length;
}
