// Evidence between two files: how much of their shared token runs the template, common code or a
// standard algorithm explains, and the copy-specific rest (long identical runs, identical lines,
// the same distinctive names, the same comments).
import type { ExplainedCode } from './context';
import { EVIDENCE_K, normLine } from './context';
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

function sum(m: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < m.length; i++) n += m[i]!;
  return n;
}

function lineSet(lines: Set<number>, algs: DetectedAlgorithm[], names: Set<string>): void {
  for (const a of algs) if (names.has(a.name)) for (let l = a.start; l <= a.end; l++) lines.add(l);
}

export function pairEvidence(
  a: TokenizedFile, b: TokenizedFile, srcA: string, srcB: string,
  algA: DetectedAlgorithm[], algB: DetectedAlgorithm[], explained: ExplainedCode,
): PairEvidence {
  const ha = kgramHashes(a.tokens, EVIDENCE_K);
  const hb = kgramHashes(b.tokens, EVIDENCE_K);
  const sharedA = coveredBy(ha, EVIDENCE_K, a.tokens.length, new Set(hb));
  const sharedB = coveredBy(hb, EVIDENCE_K, b.tokens.length, new Set(ha));
  const explA = coveredBy(ha, EVIDENCE_K, a.tokens.length, explained.hashes);
  const explB = coveredBy(hb, EVIDENCE_K, b.tokens.length, explained.hashes);

  const common = new Set(algA.map((x) => x.name).filter((n) => algB.some((y) => y.name === n)));
  const algLinesA = new Set<number>();
  const algLinesB = new Set<number>();
  lineSet(algLinesA, algA, common);
  lineSet(algLinesB, algB, common);

  let shared = 0;
  let explainedShared = 0;
  let rest = 0;
  let inAlg = 0;
  const tally = (sh: Uint8Array, ex: Uint8Array, f: TokenizedFile, alg: Set<number>) => {
    for (let i = 0; i < sh.length; i++) {
      if (!sh[i]) continue;
      shared++;
      if (ex[i]) explainedShared++;
      else {
        rest++;
        if (alg.has(f.tokens[i]!.line)) inAlg++;
      }
    }
  };
  tally(sharedA, explA, a, algLinesA);
  tally(sharedB, explB, b, algLinesB);

  // Long runs, counted only on tokens nothing else explains.
  const ra = kgramHashes(a.tokens, RUN_K);
  const rb = kgramHashes(b.tokens, RUN_K);
  const runA = coveredBy(ra, RUN_K, a.tokens.length, new Set(rb));
  const runB = coveredBy(rb, RUN_K, b.tokens.length, new Set(ra));
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
    shared: (sum(sharedA) + sum(sharedB)) / Math.max(1, a.tokens.length + b.tokens.length),
    templateShare: shared === 0 ? 0 : explainedShared / shared,
    algorithmShare: rest === 0 ? 0 : inAlg / rest,
    algorithms: [...common],
    runs: Math.max(own(runA, explA), own(runB, explB)),
    lines: lineOverlap(srcA, srcB, explained),
    names: nameOverlap(a, b, explained),
    sharedComments: commentOverlap(a, b),
  };
}

function meaningfulLines(src: string, explained: ExplainedCode): Map<string, number> {
  const m = new Map<string, number>();
  for (const raw of src.split('\n')) {
    const l = normLine(raw);
    if (l.length < 12 || !/[A-Za-z]/.test(l) || explained.lines.has(l) || /^(import|#include|using|package|from)/.test(l)) continue;
    m.set(l, (m.get(l) ?? 0) + 1);
  }
  return m;
}

function lineOverlap(srcA: string, srcB: string, explained: ExplainedCode): number {
  const la = meaningfulLines(srcA, explained);
  const lb = meaningfulLines(srcB, explained);
  let na = 0;
  let nb = 0;
  let both = 0;
  for (const [, c] of la) na += c;
  for (const [, c] of lb) nb += c;
  for (const [l, c] of la) both += Math.min(c, lb.get(l) ?? 0);
  const d = Math.min(na, nb);
  return d < 3 ? 0 : both / d;
}

function distinctive(f: TokenizedFile, explained: ExplainedCode): Set<string> {
  const s = new Set<string>();
  for (const t of f.tokens) {
    if (t.t !== 'v' || !t.name || t.name.length < 3 || STOP_NAMES.has(t.name) || explained.names.has(t.name)) continue;
    s.add(t.name);
  }
  return s;
}

function nameOverlap(a: TokenizedFile, b: TokenizedFile, explained: ExplainedCode): number {
  const na = distinctive(a, explained);
  const nb = distinctive(b, explained);
  if (Math.min(na.size, nb.size) < 3) return -1;
  let both = 0;
  for (const n of na) if (nb.has(n)) both++;
  return both / (na.size + nb.size - both);
}

function commentOverlap(a: TokenizedFile, b: TokenizedFile): number {
  const cb = new Set(b.comments.filter((c) => c.length >= 10));
  return a.comments.filter((c) => c.length >= 10 && cb.has(c)).length;
}
