// The comparison pipeline: collect inputs, compute (or load cached) features, drop template and
// common evidence, propose candidate pairs from the index, score them, and assemble the report.
import crypto from 'node:crypto';
import type { LanguageId } from '../core/languages';
import { FeatureCache } from './cache';
import { buildIndex, commonKeys } from './candidates';
import { DEFAULT_FEATURE_OPTIONS, featuresOfSource, type FeatureOptions, type FileFeatures } from './features';
import { sortedUnique } from './hash';
import { collectInputs, type SourceFile } from './inputs';
import { lineMatches, toRegions, type MatchingRegion } from './regions';
import { clustersOf } from './clusters';
import { DEFAULT_WEIGHTS, effectiveTotal, prepare, scorePair, type DocEvidence, type Ignored, type Weights } from './score';
import * as workerPool from './workers';

export interface CompareOptions {
  inputs: string[];
  template?: string[];
  submissions?: boolean;
  cross?: boolean;
  minScore?: number;
  clusterThreshold?: number;
  allPairs?: boolean;
  language?: LanguageId;
  exclude?: string[];
  maxBytes?: number;
  weights?: Weights;
  /** Evidence in more than this share of documents is ignored (0 or less: off). */
  commonShare?: number;
  /** ...but never when it is in this many documents or fewer (small inputs keep their evidence). */
  commonMinDocs?: number;
  cachePath?: string;
  features?: FeatureOptions;
  /** Worker threads for parsing (0: parse in this thread). */
  workers?: number;
}

export interface ReportPair {
  file1: string;
  file2: string;
  similarity_score: number;
  components: { ast: number; cfg: number; dataflow: number };
  matching_regions: Array<MatchingRegion & { file1?: string; file2?: string }>;
}

export interface CompareReport {
  analysis_id: string;
  summary: { total_files: number; total_documents: number; suspicious_pairs_count: number; highest_similarity: number; cluster_count: number; candidate_pairs: number };
  files: Array<{ path: string; language?: string; error?: string; submission?: string }>;
  similarity: { pairs: ReportPair[] };
  graph: { nodes: Array<{ id: string; files: number }>; edges: Array<{ source: string; target: string; weight: number }> };
  matrix: { files: string[]; values: number[][] } | { files: string[]; values: null; note: string };
  clusters: Array<{ id: number; files: string[]; max_similarity: number }>;
  metadata: {
    analysis_type: 'similarity';
    timestamp: string;
    llm_enabled: false;
    weights: Weights;
    thresholds: { min_score: number; cluster: number; common_share: number; common_min_documents: number; min_subtree: number; kgram: number; window: number };
    submissions: boolean;
    cross: boolean;
    cache?: { path: string; hits: number; misses: number };
    timings_ms: Record<string, number>;
    /** Worker threads that parsed files in this run (0: all in the main thread). */
    workers_used: number;
  };
}

/** Above this many documents the full matrix is left out of the JSON (it grows as n²). */
export const MATRIX_MAX_DOCS = 1000;

interface Doc { name: string; input: number; files: SourceFile[]; feats: FileFeatures[]; ev: DocEvidence }

const round = (x: number) => Math.round(x * 10000) / 10000;

export async function compare(opts: CompareOptions): Promise<CompareReport> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const weights = opts.weights ?? DEFAULT_WEIGHTS;
  const minScore = opts.minScore ?? 0.5;
  const clusterThreshold = opts.clusterThreshold ?? 0.75;
  const commonShare = opts.commonShare ?? 0.1;
  const commonMinDocs = opts.commonMinDocs ?? 3;
  const fopts = opts.features ?? DEFAULT_FEATURE_OPTIONS;
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  const collectOpts = { submissions: !!opts.submissions, exclude: opts.exclude ?? [], language: opts.language, maxBytes };

  const { files } = await collectInputs(opts.inputs, collectOpts);
  const template = opts.template?.length ? (await collectInputs(opts.template, { ...collectOpts, submissions: false })).files : [];
  timings.collect = Date.now() - t0;

  const cache = opts.cachePath ? await FeatureCache.open(opts.cachePath) : undefined;
  const all = [...files, ...template];
  const feats = await featuresFor(all, fopts, cache, opts.workers ?? 0);
  const workersUsed = workerPool.lastWorkersUsed;
  cache?.save();
  timings.features = Date.now() - t0 - timings.collect;

  // Documents, in input order.
  const docs: Doc[] = [];
  const byName = new Map<string, Doc>();
  files.forEach((f, i) => {
    const ft = feats[i];
    if (!ft) return;
    let d = byName.get(f.doc);
    if (!d) {
      d = { name: f.doc, input: f.input, files: [], feats: [], ev: undefined as unknown as DocEvidence };
      byName.set(f.doc, d);
      docs.push(d);
    }
    d.files.push(f);
    d.feats.push(ft);
  });
  const templateFeats = template.map((_, i) => feats[files.length + i]).filter((f): f is FileFeatures => !!f);
  const ignored: Ignored = {
    ast: new Set(templateFeats.flatMap((f) => [...f.astSet])),
    fp: new Set(templateFeats.flatMap((f) => [...f.fpSet])),
    cfg: new Set(templateFeats.flatMap((f) => [...f.cfg])),
    df: new Set(templateFeats.flatMap((f) => [...f.df])),
  };
  const union = (d: Doc, pick: (f: FileFeatures) => Float64Array) =>
    d.feats.length === 1 ? pick(d.feats[0]!) : sortedUnique(d.feats.flatMap((f) => [...pick(f)]));
  for (const d of docs) {
    d.ev = {
      files: d.feats, astSet: union(d, (f) => f.astSet), fpSet: union(d, (f) => f.fpSet), cfg: union(d, (f) => f.cfg),
      df: union(d, (f) => f.df), effectiveTotal: 0, fpTotal: 0,
    };
  }

  // Candidate pairs, then the common-code filter counted over groups of near-copies.
  const n = docs.length;
  const allowed = opts.cross ? (i: number, j: number) => docs[i]!.input !== docs[j]!.input : () => true;
  const maxGroups = commonShare > 0 ? Math.max(commonMinDocs, Math.floor(commonShare * n)) : Number.POSITIVE_INFINITY;
  // Keys in more than half of the documents (at most 500) are too common to propose pairs at all.
  const capDocs = Number.isFinite(maxGroups) ? Math.max(maxGroups, commonMinDocs, Math.min(Math.ceil(n / 2), 500)) : n;
  const index = buildIndex(docs.map((d) => d.ev.fpSet), capDocs, ignored.fp, allowed);
  if (Number.isFinite(maxGroups)) {
    const groupMax = Math.max(commonMinDocs, Math.floor(commonShare * index.groupCount));
    const add = (into: Set<number>, pick: (e: DocEvidence) => Float64Array) => {
      for (const k of commonKeys(docs.map((d) => pick(d.ev)), index.groupOf, groupMax)) into.add(k);
    };
    add(ignored.ast, (e) => e.astSet);
    add(ignored.fp, (e) => e.fpSet);
    add(ignored.cfg, (e) => e.cfg);
    add(ignored.df, (e) => e.df);
  }
  for (const d of docs) {
    d.ev.effectiveTotal = d.feats.reduce((s, f) => s + effectiveTotal(f, ignored.ast), 0);
    prepare(d.ev, ignored);
  }
  timings.index = Date.now() - t0 - timings.collect - timings.features;

  // Score candidates.
  const scores = new Map<number, ReturnType<typeof scorePair>>();
  for (const id of index.pairs.keys()) {
    const i = Math.floor(id / n);
    const j = id % n;
    scores.set(id, scorePair(docs[i]!.ev, docs[j]!.ev, ignored, weights));
  }
  timings.score = Date.now() - t0 - timings.collect - timings.features - timings.index;

  // Pairs to report, best first.
  const pairs: ReportPair[] = [];
  const texts = new Map<SourceFile, string[]>();
  const linesOf = (f: SourceFile) => {
    let l = texts.get(f);
    if (!l) texts.set(f, (l = (f.text ?? '').split(/\r?\n/)));
    return l;
  };
  const emit = (i: number, j: number) => {
    const s = scores.get(i * n + j) ?? { score: 0, ast: 0, cfg: 0, dataflow: 0 };
    if (!opts.allPairs && s.score < minScore) return;
    const a = docs[i]!;
    const b = docs[j]!;
    const regions: ReportPair['matching_regions'] = [];
    if (s.score >= minScore) {
      for (let x = 0; x < a.files.length; x++) {
        for (let y = 0; y < b.files.length; y++) {
          const ms = lineMatches(a.feats[x]!, b.feats[y]!, ignored.ast);
          for (const r of toRegions(ms, linesOf(a.files[x]!), linesOf(b.files[y]!))) {
            regions.push(opts.submissions ? { file1: a.files[x]!.path, file2: b.files[y]!.path, ...r } : r);
          }
        }
      }
    }
    pairs.push({
      file1: a.name, file2: b.name, similarity_score: round(s.score),
      components: { ast: round(s.ast), cfg: round(s.cfg), dataflow: round(s.dataflow) }, matching_regions: regions,
    });
  };
  if (opts.allPairs) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (allowed(i, j)) emit(i, j);
  } else {
    for (const id of [...scores.keys()].sort((x, y) => x - y)) emit(Math.floor(id / n), id % n);
  }
  pairs.sort((p, q) => q.similarity_score - p.similarity_score || (p.file1 < q.file1 ? -1 : p.file1 > q.file1 ? 1 : 0));

  const strong: Array<[number, number, number]> = [];
  for (const [id, s] of scores) strong.push([Math.floor(id / n), id % n, s.score]);
  const clusters = clustersOf(n, strong, clusterThreshold).map((c, k) => ({
    id: k + 1, files: c.members.map((m) => docs[m]!.name), max_similarity: round(c.max),
  }));
  const edges = strong.filter(([, , s]) => s >= minScore).sort((x, y) => y[2] - x[2])
    .map(([i, j, s]) => ({ source: docs[i]!.name, target: docs[j]!.name, weight: round(s) }));
  const names = docs.map((d) => d.name);
  let matrix: CompareReport['matrix'];
  if (n <= MATRIX_MAX_DOCS) {
    const values: number[][] = names.map((_, i) => names.map((__, j) => (i === j ? 1 : 0)));
    for (const [i, j, s] of strong) values[i]![j] = values[j]![i] = round(s);
    matrix = { files: names, values };
  } else {
    matrix = { files: names, values: null, note: `matrix left out above ${MATRIX_MAX_DOCS} documents; see similarity.pairs` };
  }
  const suspicious = strong.filter(([, , s]) => s >= minScore).length;
  const highest = strong.reduce((m, [, , s]) => Math.max(m, s), 0);
  timings.total = Date.now() - t0;
  cache?.close();

  return {
    analysis_id: crypto.randomUUID(),
    summary: {
      total_files: files.length, total_documents: n, suspicious_pairs_count: suspicious, highest_similarity: round(highest),
      cluster_count: clusters.length, candidate_pairs: index.pairs.size,
    },
    files: files.map((f) => ({
      path: f.path,
      ...(f.language ? { language: f.language } : {}),
      ...(f.error ? { error: f.error } : {}),
      ...(opts.submissions ? { submission: f.doc } : {}),
    })),
    similarity: { pairs },
    graph: { nodes: docs.map((d) => ({ id: d.name, files: d.files.length })), edges },
    matrix,
    clusters,
    metadata: {
      analysis_type: 'similarity', timestamp: new Date().toISOString(), llm_enabled: false, weights,
      thresholds: {
        min_score: minScore, cluster: clusterThreshold, common_share: commonShare, common_min_documents: commonMinDocs,
        min_subtree: fopts.minSubtree, kgram: fopts.k, window: fopts.w,
      },
      submissions: !!opts.submissions, cross: !!opts.cross,
      ...(cache ? { cache: { path: opts.cachePath!, hits: cache.hits, misses: cache.misses } } : {}),
      timings_ms: timings, workers_used: workersUsed,
    },
  };
}

/** Features per file (undefined where the file has an error, which is then recorded on it). */
async function featuresFor(files: SourceFile[], fopts: FeatureOptions, cache: FeatureCache | undefined, workers: number): Promise<Array<FileFeatures | undefined>> {
  const out: Array<FileFeatures | undefined> = new Array(files.length);
  const todo: number[] = [];
  const keys: string[] = [];
  files.forEach((f, i) => {
    if (f.error || f.text === undefined || !f.language) return;
    if (cache) {
      keys[i] = FeatureCache.key(f.text, f.language, fopts);
      const hit = cache.get(keys[i]!);
      if (hit) {
        out[i] = hit;
        return;
      }
    }
    todo.push(i);
  });
  workerPool.resetWorkersUsed();
  const computed = workers > 0 && todo.length > 50
    ? await workerPool.computeFeaturesParallel(todo.map((i) => ({ text: files[i]!.text!, language: files[i]!.language! })), fopts, workers)
    : await Promise.all(todo.map(async (i) => {
      try {
        return await featuresOfSource(files[i]!.text!, files[i]!.language!, fopts);
      } catch (e) {
        return `analysis failed: ${(e as Error).message}`;
      }
    }));
  todo.forEach((i, k) => {
    const r = computed[k]!;
    if (typeof r === 'string') files[i]!.error = r;
    else {
      out[i] = r;
      if (cache) cache.put(keys[i]!, r);
    }
  });
  return out;
}
