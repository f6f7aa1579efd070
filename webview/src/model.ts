// The analysis as the views need it: documents by index, a dense score matrix, a cluster-first
// order, pairs by key, sorted edges for clustering at any threshold, histogram bins.
import type { MatchingRegion, ReportPair, SimilarityReport } from './protocol';
import { DEFAULT_CLUSTER_THRESHOLD, DEFAULT_REPORT_THRESHOLD } from '../../protocol/config';

export interface Cluster {
  /** 1-based, in order of strongest link. */
  id: number;
  members: number[];
  max: number;
  /** The strongest link inside the cluster. */
  best: [number, number];
}

export interface Model {
  report: SimilarityReport;
  names: string[];
  index: Map<string, number>;
  n: number;
  /** Dense n×n scores, or undefined when there are too many documents to hold them. */
  scores: Float32Array | undefined;
  /** Edges with a positive score, strongest first: [i, j, score] flattened. */
  edgeI: Int32Array;
  edgeJ: Int32Array;
  edgeS: Float32Array;
  pairs: Map<string, ReportPair>;
  minScore: number;
  clusterThreshold: number;
  submissions: boolean;
  /** Documents from an archive of earlier submissions (compare --archive): paired with the new ones only. */
  archived: Set<string>;
}

/** Above this many documents no dense matrix is built (it takes 4·n² bytes). */
export const MAX_DENSE = 3000;

export const pairKey = (i: number, j: number) => (i < j ? `${i}|${j}` : `${j}|${i}`);

export function buildModel(report: SimilarityReport): Model {
  const names: string[] = [];
  const index = new Map<string, number>();
  const add = (name: string) => {
    if (!index.has(name)) {
      index.set(name, names.length);
      names.push(name);
    }
  };
  if (report.matrix) for (const f of report.matrix.files) add(f);
  if (report.graph) for (const nd of report.graph.nodes) add(nd.id);
  if (!report.metadata?.submissions) for (const f of report.files) if (!f.error) add(f.path);
  for (const p of report.similarity.pairs) {
    add(p.file1);
    add(p.file2);
  }
  for (const c of report.clusters) for (const f of c.files) add(f);
  const n = names.length;

  const pairs = new Map<string, ReportPair>();
  for (const p of report.similarity.pairs) pairs.set(pairKey(index.get(p.file1)!, index.get(p.file2)!), p);

  // Scores: the matrix where the report has one, the pairs and graph edges on top (the highest wins).
  const values = report.matrix?.values;
  const mi = report.matrix ? report.matrix.files.map((f) => index.get(f)!) : [];
  const scores = n <= MAX_DENSE ? new Float32Array(n * n) : undefined;
  let edgeI: Int32Array;
  let edgeJ: Int32Array;
  let edgeS: Float32Array;
  if (scores) {
    // Dense: straight into the matrix, then the edges are read off its upper triangle.
    const set = (i: number, j: number, s: number) => {
      if (i === j || !(s > scores[i * n + j]!)) return;
      scores[i * n + j] = s;
      scores[j * n + i] = s;
    };
    if (values) {
      for (let r = 0; r < values.length; r++) {
        const row = values[r]!;
        const i = mi[r]!;
        for (let c = r + 1; c < row.length; c++) if (row[c]! > 0) set(i, mi[c]!, row[c]!);
      }
    }
    for (const p of report.similarity.pairs) if (p.similarity_score > 0) set(index.get(p.file1)!, index.get(p.file2)!, p.similarity_score);
    if (report.graph) for (const e of report.graph.edges) if (e.weight > 0 && index.has(e.source) && index.has(e.target)) set(index.get(e.source)!, index.get(e.target)!, e.weight);
    let count = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (scores[i * n + j]! > 0) count++;
    // Strongest first, ties by (i, j): one numeric key per edge, sorted natively (i·n + j < 2^24 here).
    const keys = new Float64Array(count);
    let k = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      const v = scores[i * n + j]!;
      if (v > 0) keys[k++] = Math.round((1 - v) * 2 ** 24) * 2 ** 24 + (i * n + j);
    }
    keys.sort();
    edgeI = new Int32Array(count);
    edgeJ = new Int32Array(count);
    edgeS = new Float32Array(count);
    for (let e = 0; e < count; e++) {
      const id = keys[e]! % 2 ** 24;
      const i = Math.floor(id / n);
      const j = id - i * n;
      edgeI[e] = i;
      edgeJ[e] = j;
      edgeS[e] = scores[id]!;
    }
    for (let i = 0; i < n; i++) scores[i * n + i] = 1;
  } else {
    const sparse = new Map<number, number>();
    const set = (i: number, j: number, s: number) => {
      if (i === j) return;
      const id = Math.min(i, j) * n + Math.max(i, j);
      const prev = sparse.get(id);
      if (prev === undefined || s > prev) sparse.set(id, s);
    };
    if (values) {
      for (let r = 0; r < values.length; r++) {
        const row = values[r]!;
        for (let c = r + 1; c < row.length; c++) if (row[c]! > 0) set(mi[r]!, mi[c]!, row[c]!);
      }
    }
    for (const p of report.similarity.pairs) if (p.similarity_score > 0) set(index.get(p.file1)!, index.get(p.file2)!, p.similarity_score);
    if (report.graph) for (const e of report.graph.edges) if (e.weight > 0 && index.has(e.source) && index.has(e.target)) set(index.get(e.source)!, index.get(e.target)!, e.weight);
    const ids = [...sparse.keys()].sort((x, y) => sparse.get(y)! - sparse.get(x)! || x - y);
    edgeI = new Int32Array(ids.length);
    edgeJ = new Int32Array(ids.length);
    edgeS = new Float32Array(ids.length);
    ids.forEach((id, k) => {
      edgeI[k] = Math.floor(id / n);
      edgeJ[k] = id % n;
      edgeS[k] = sparse.get(id)!;
    });
  }

  const th = report.metadata?.thresholds;
  return {
    report, names, index, n, scores, edgeI, edgeJ, edgeS, pairs,
    minScore: typeof th?.min_score === 'number' ? th.min_score : DEFAULT_REPORT_THRESHOLD,
    clusterThreshold: typeof th?.cluster === 'number' ? th.cluster : DEFAULT_CLUSTER_THRESHOLD,
    submissions: !!report.metadata?.submissions,
    archived: new Set((report.graph?.nodes ?? []).filter((nd) => nd.archive).map((nd) => nd.id)),
  };
}

export function scoreOf(m: Model, i: number, j: number): number {
  if (i === j) return 1;
  if (m.scores) return m.scores[i * m.n + j]!;
  const p = m.pairs.get(pairKey(i, j));
  return p ? p.similarity_score : 0;
}

/** Number of edges at or above the threshold (edges are sorted strongest first). */
export function edgesAbove(m: Model, t: number): number {
  let lo = 0;
  let hi = m.edgeS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m.edgeS[mid]! >= t - 1e-9) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Connected components of the edges at or above t, largest strongest link first (like the CLI). */
export function clustersAt(m: Model, t: number): Cluster[] {
  const parent = Int32Array.from({ length: m.n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const k = edgesAbove(m, t);
  for (let e = 0; e < k; e++) parent[find(m.edgeI[e]!)] = find(m.edgeJ[e]!);
  const groups = new Map<number, { members: number[]; max: number; best: [number, number] }>();
  for (let e = 0; e < k; e++) {
    const r = find(m.edgeI[e]!);
    if (!groups.has(r)) groups.set(r, { members: [], max: m.edgeS[e]!, best: [m.edgeI[e]!, m.edgeJ[e]!] });
  }
  for (let i = 0; i < m.n; i++) groups.get(find(i))?.members.push(i);
  return [...groups.values()]
    .sort((a, b) => b.max - a.max || a.members[0]! - b.members[0]!)
    .map((g, x) => ({ id: x + 1, ...g }));
}

/** Cluster of each document (0: none). */
export function clusterOfDoc(m: Model, clusters: Cluster[]): Int32Array {
  const of = new Int32Array(m.n);
  for (const c of clusters) for (const i of c.members) of[i] = c.id;
  return of;
}

/** Documents ordered so clusters sit together: clusters in order, each member list by strength, then the rest. */
export function clusterOrder(m: Model, clusters: Cluster[]): number[] {
  const seen = new Uint8Array(m.n);
  const order: number[] = [];
  const strongest = new Float32Array(m.n);
  for (let e = m.edgeS.length - 1; e >= 0; e--) {
    strongest[m.edgeI[e]!] = Math.max(strongest[m.edgeI[e]!]!, m.edgeS[e]!);
    strongest[m.edgeJ[e]!] = Math.max(strongest[m.edgeJ[e]!]!, m.edgeS[e]!);
  }
  for (const c of clusters) {
    const ms = [...c.members].sort((a, b) => strongest[b]! - strongest[a]! || a - b);
    for (const i of ms) if (!seen[i]) {
      seen[i] = 1;
      order.push(i);
    }
  }
  const rest: number[] = [];
  for (let i = 0; i < m.n; i++) if (!seen[i]) rest.push(i);
  rest.sort((a, b) => strongest[b]! - strongest[a]! || (m.names[a]! < m.names[b]! ? -1 : 1));
  return order.concat(rest);
}

export const HISTOGRAM_BINS = 20;

/** Pair scores in HISTOGRAM_BINS equal bins over [0, 1]; 1.0 falls in the last bin. */
export function histogram(m: Model): number[] {
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const p of m.report.similarity.pairs) {
    const s = Math.min(1, Math.max(0, p.similarity_score));
    bins[Math.min(HISTOGRAM_BINS - 1, Math.floor(s * HISTOGRAM_BINS + 1e-9))]!++;
  }
  return bins;
}

/** A pair as shown: the report's entry when there is one, else the matrix score alone. */
export interface PairInfo {
  file1: string;
  file2: string;
  score: number;
  pair?: ReportPair;
}

export function pairInfo(m: Model, a: string, b: string): PairInfo | undefined {
  const i = m.index.get(a);
  const j = m.index.get(b);
  if (i === undefined || j === undefined || i === j) return undefined;
  const p = m.pairs.get(pairKey(i, j));
  if (p) return { file1: p.file1, file2: p.file2, score: p.similarity_score, pair: p };
  return { file1: a, file2: b, score: scoreOf(m, i, j) };
}

/** Pairs of one document at or above t, strongest first. */
export function pairsOfDoc(m: Model, i: number, t: number): Array<{ other: number; score: number }> {
  const out: Array<{ other: number; score: number }> = [];
  const k = edgesAbove(m, t);
  for (let e = 0; e < k; e++) {
    if (m.edgeI[e] === i) out.push({ other: m.edgeJ[e]!, score: m.edgeS[e]! });
    else if (m.edgeJ[e] === i) out.push({ other: m.edgeI[e]!, score: m.edgeS[e]! });
  }
  return out;
}

/** The files a region belongs to (submission mode names them on the region). */
export function regionFiles(p: PairInfo, r: MatchingRegion): [string, string] {
  return [r.file1 ?? p.file1, r.file2 ?? p.file2];
}

/** Lines of a region's code as the CLI writes them ("N: text"), with their numbers. */
export function snippetLines(code: string | undefined, start: number): Array<{ line: number; text: string }> {
  if (code === undefined) return [];
  const raw = code.split(/\r?\n/);
  if (raw.length && raw[raw.length - 1] === '') raw.pop();
  const prefixed = raw.length > 0 && raw.every((l) => /^\d+: ?/.test(l));
  return raw.map((l, k) => {
    if (prefixed) {
      const m = /^(\d+): ?/.exec(l)!;
      return { line: Number(m[1]), text: l.slice(m[0].length) };
    }
    return { line: start + k, text: l };
  });
}
