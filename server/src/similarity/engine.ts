// The comparison pipeline: collect inputs, compute (or load cached) features, drop template and
// common evidence, propose candidate pairs from the index, score them, and assemble the report.
//
// Pair scores depend only on the two documents and on the "context" (ignored evidence, weights,
// candidate cap, kept-score floor). They are remembered per context (in memory across runs of one
// `CompareState`, and in the feature cache's database across restarts), so a run where nothing
// changed scores no pair and a run after one edit scores only the edited document's pairs.
import crypto from 'node:crypto';
import v8 from 'node:v8';
import type { LanguageId } from '../core/languages';
import { resolveWorkers, type WorkerCount } from '../core/workerPool';
import { FeatureCache } from './cache';
import { buildIndex, Postings, sharesProposingKey } from './candidates';
import { candidatesOf, evidenceOf } from './changedPairs';
import { DEFAULT_FEATURE_OPTIONS, featuresOfSource, type FeatureOptions, type FileFeatures } from './features';
import { sortedUnique } from './hash';
import { collectInputs, type SourceFile } from './inputs';
import { PairScorer, type EvidencePostings } from './pairScores';
import { PairMemory } from './pairMemory';
import { lineMatches, toRegions, type Region } from './regions';
import { clustersOf } from './clusters';
import { commonEvidence, COMMON_MIN_GROUPS, GROUP_PASS_MAX_DOCS, GROUP_SCORE, regroup, type CommonInfo } from './common';
import { backgroundOf, isReported, nearCopyGroups, reportRule, significanceOf } from './significance';
import { DEFAULT_WEIGHTS, scorePair, type DocEvidence, type Ignored, type PairScore, type Weights } from './score';
import * as workerPool from './workers';
import { DEFAULT_CLUSTER_THRESHOLD, DEFAULT_MAX_FILE_BYTES, DEFAULT_REPORT_THRESHOLD } from '../../../protocol/config';

export interface CompareProgress {
  phase: 'features' | 'scoring';
  /** Files (features) or documents (scoring) done so far, of `total`. */
  done: number;
  total: number;
}

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
  /** ...but never when it is in this many groups of near-copies or fewer (small inputs keep their evidence; default 10). */
  commonMinDocs?: number;
  cachePath?: string;
  features?: FeatureOptions;
  /** Worker threads for parsing (0: parse in this thread; 'auto': by the size of what must be parsed). */
  workers?: WorkerCount;
  /** Analyse at most this many files (the first ones in input order); the rest are counted as skipped. */
  maxFiles?: number;
  /** Called as features are computed and documents scored (for progress reports). */
  onProgress?: (p: CompareProgress) => void;
  /** Kept by a caller that compares the same inputs again (the language server): features and pair scores in memory. */
  state?: CompareState;
  /**
   * Paths changed since the last run of `state` (modified or deleted; not new). Only they are read
   * again, and the previous run's ignored evidence is kept, so only their pairs are scored. The
   * result is marked `metadata.incremental`; a full run afterwards gives the exact result.
   */
  changed?: string[];
  /**
   * Earlier submissions (archive.ts), with their features already computed: compared with the inputs'
   * documents, never with each other. Their files come after the inputs' in the report, marked `archive`.
   */
  archive?: ArchiveSet;
}

export interface ArchiveSet { files: SourceFile[]; feats: Array<FileFeatures | undefined>; keys: string[]; sources: string[] }

// The report's shapes are the contract's (protocol/report.ts), shared with the extension and the panel.
import type { CompareReport, ReportPair } from '../../../protocol/report';

export type { CompareReport, ReportPair };

/** Above this many documents the full matrix is left out of the JSON (it grows as n²). */
export const MATRIX_MAX_DOCS = 1000;

/** What a caller keeps between runs over the same inputs. */
export interface CompareState {
  /** Features by feature-cache key. */
  features: Map<string, FileFeatures>;
  pairs?: PairMemory;
  last?: LastRun;
  /** Documents' evidence prepared for direct scoring in one context (quick updates). */
  evidence?: { ctx: string; map: Map<string, DocEvidence> };
  /** The last fully indexed run's context, by the documents and options it was for. */
  recorded?: RecordedRun;
  /** The feature cache, kept across runs (its files are closed between them). */
  cache?: FeatureCache;
  /** Matching regions of reported pairs in one context, by the pair's documents and their identities. */
  regions?: { ctx: string; map: Map<string, Region[]> };
}

/** The files (and template files) the last run of `state` analysed, for callers that need their text. */
export function lastRunSources(state: CompareState | undefined): { files: SourceFile[]; template: SourceFile[] } | undefined {
  const last = state?.last;
  return last ? { files: last.files, template: last.template } : undefined;
}

interface LastRun {
  files: SourceFile[];
  template: SourceFile[];
  ctx: Context;
  /** Its candidate count and fingerprint postings, with each document's index and input (to update the count). */
  candidates: number;
  fpSets: Float64Array[];
  docIndex: Map<string, number>;
  inputs: number[];
}

/** Everything besides the two documents that a pair's score depends on. */
interface Context {
  ignored: Ignored;
  templateFp: Set<number>;
  capDocs: number;
  id: string;
  /** What the common-code filter did (for the report). */
  common?: CommonInfo;
}

export function newCompareState(): CompareState {
  return { features: new Map() };
}

interface Doc { name: string; input: number; archive: boolean; files: SourceFile[]; feats: FileFeatures[]; keys: string[]; hash: string; astSet: Float64Array; fpSet: Float64Array; cfg: Float64Array; df: Float64Array }

const round = (x: number) => Math.round(x * 10000) / 10000;

export async function compare(opts: CompareOptions): Promise<CompareReport> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const mark = (name: string) => { timings[name] = Date.now() - t0 - Object.values(timings).reduce((a, b) => a + b, 0); };
  const weights = opts.weights ?? DEFAULT_WEIGHTS;
  const minScore = opts.minScore ?? DEFAULT_REPORT_THRESHOLD;
  const clusterThreshold = opts.clusterThreshold ?? DEFAULT_CLUSTER_THRESHOLD;
  const commonShare = opts.commonShare ?? 0.1;
  const commonMinDocs = opts.commonMinDocs ?? COMMON_MIN_GROUPS;
  const fopts = opts.features ?? DEFAULT_FEATURE_OPTIONS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const collectOpts = { submissions: !!opts.submissions, exclude: opts.exclude ?? [], language: opts.language, maxBytes };
  const state = opts.state;
  const last = state?.last;
  const incremental = !!(opts.changed && last && !opts.submissions);

  let files: SourceFile[];
  let template: SourceFile[];
  let skipped = 0;
  if (incremental) {
    ({ files, template } = await refresh(last!, opts.changed!, collectOpts));
  } else {
    files = (await collectInputs(opts.inputs, collectOpts)).files;
    template = opts.template?.length ? (await collectInputs(opts.template, { ...collectOpts, submissions: false })).files : [];
    if (opts.maxFiles !== undefined && files.length > opts.maxFiles) {
      skipped = files.length - opts.maxFiles;
      files = files.slice(0, opts.maxFiles);
    }
  }
  mark('collect');

  // A caller's state keeps the cache between runs (its database files are opened as a run needs them).
  let cache: FeatureCache | undefined;
  // This run's cache warnings: those of a cache reused from the caller's state start after its old ones;
  // a cache opened now reports those of its opening too (a replaced main file).
  let warned0 = 0;
  if (opts.cachePath) {
    const reused = state?.cache?.file === opts.cachePath;
    cache = reused ? state!.cache! : await FeatureCache.open(opts.cachePath);
    if (reused) warned0 = cache.warnings.length;
    if (state && state.cache !== cache) {
      state.cache?.close();
      state.cache = cache;
    }
  }
  const [hits0, misses0] = [cache?.hits ?? 0, cache?.misses ?? 0];
  const all = [...files, ...template];
  const { feats, keys, memoHits } = await featuresFor(all, fopts, cache, opts.workers ?? 0, state, opts.onProgress);
  const workersUsed = workerPool.lastWorkersUsed;
  // Archived files follow the inputs' (before the template's), features as given; an archived document
  // named as a new one is that submission again, and left out.
  const archive = opts.archive;
  let archivedDup = 0;
  if (archive) {
    const fresh = new Set(files.map((f) => f.doc));
    const take = archive.files.flatMap((f, i) => (fresh.has(f.doc) ? [] : [i]));
    archivedDup = archive.files.length - take.length;
    feats.splice(files.length, 0, ...take.map((i) => archive.feats[i]));
    keys.splice(files.length, 0, ...take.map((i) => archive.keys[i]!));
    files = [...files, ...take.map((i) => archive.files[i]!)];
  }
  mark('features');

  // Documents, in input order.
  const docs: Doc[] = [];
  const byName = new Map<string, Doc>();
  files.forEach((f, i) => {
    const ft = feats[i];
    if (!ft) return;
    let d = byName.get(f.doc);
    if (!d) {
      d = { name: f.doc, input: f.input, archive: !!f.archive, files: [], feats: [], keys: [], hash: '', astSet: ft.astSet, fpSet: ft.fpSet, cfg: ft.cfg, df: ft.df };
      byName.set(f.doc, d);
      docs.push(d);
    }
    d.files.push(f);
    d.feats.push(ft);
    d.keys.push(keys[i]!);
  });
  const union = (d: Doc, pick: (f: FileFeatures) => Float64Array) =>
    d.feats.length === 1 ? pick(d.feats[0]!) : sortedUnique(d.feats.flatMap((f) => [...pick(f)]));
  for (const d of docs) {
    if (d.feats.length > 1) {
      d.astSet = union(d, (f) => f.astSet);
      d.fpSet = union(d, (f) => f.fpSet);
      d.cfg = union(d, (f) => f.cfg);
      d.df = union(d, (f) => f.df);
    }
    // A document's identity for the pair memory: its files' feature keys (content, language, options).
    d.hash = crypto.createHash('sha256').update(d.keys.join('\n')).digest('base64').slice(0, 16);
  }
  const templateFeats = template.map((_, i) => feats[files.length + i]).filter((f): f is FileFeatures => !!f);

  // Candidate pairs, then the common-code filter counted over groups of near-copies.
  const n = docs.length;
  const inputsOnly = opts.cross ? (i: number, j: number) => docs[i]!.input !== docs[j]!.input : () => true;
  const allowed = archive ? (i: number, j: number) => !(docs[i]!.archive && docs[j]!.archive) && inputsOnly(i, j) : inputsOnly;
  // Built only when something must be indexed or scored (a warm run over unchanged files needs none).
  // The fingerprint postings serve the index and the candidate checks; the other three only the
  // common-code count and the bulk scorer, so they are built one at a time and dropped unless the
  // bulk scorer needs them (together they were ~60 MB at 5,000 files, held through the exact run after an edit).
  let fpPostings: Postings | undefined;
  let built: EvidencePostings | undefined;
  const fpPost = () => (fpPostings ??= new Postings(docs.map((d) => d.fpSet)));
  const postings = () => (built ??= {
    fp: fpPost(), ast: new Postings(docs.map((d) => d.astSet)), cfg: new Postings(docs.map((d) => d.cfg)), df: new Postings(docs.map((d) => d.df)),
  });
  const postingsOf = (kind: 'ast' | 'cfg' | 'df') => built?.[kind] ?? new Postings(docs.map((d) => (kind === 'ast' ? d.astSet : d[kind])));
  // The context is a function of the documents' contents and the options: the same documents as a
  // recorded run give that run's context and candidate count without indexing again.
  const keepAll = !!opts.allPairs || n <= MATRIX_MAX_DOCS;
  const floor = keepAll ? 0 : Math.min(minScore, clusterThreshold);
  const runKey = crypto.createHash('sha256').update(JSON.stringify([
    docs.map((d) => (opts.cross ? `${d.hash}:${d.input}` : d.hash) + (d.archive ? ':a' : '')).sort(), template.map((f, i) => keys[files.length + i] ?? f.error ?? ''),
    weights, fopts, floor, commonShare, commonMinDocs, !!opts.submissions, !!opts.cross,
  ])).digest('base64');
  const recorded = !incremental && !opts.allPairs ? recordedRun(state, cache, runKey) : undefined;
  let ctx: Context;
  let candidateCount: number;
  if (recorded) {
    ctx = recorded.ctx;
    candidateCount = recorded.candidates;
  } else if (incremental) {
    ctx = last!.ctx;
    // The last count, less the changed documents' pairs then, plus theirs now.
    const names = new Set(opts.changed);
    const before = [...names].map((p) => last!.docIndex.get(p)).filter((i): i is number => i !== undefined);
    const now = docs.flatMap((d, i) => (names.has(d.name) ? [i] : []));
    const allowedBefore = opts.cross ? (i: number, j: number) => last!.inputs[i] !== last!.inputs[j] : () => true;
    candidateCount = last!.candidates - pairsTouching(last!.fpSets, before, ctx.capDocs, ctx.templateFp, allowedBefore)
      + pairsTouching(docs.map((d) => d.fpSet), now, ctx.capDocs, ctx.templateFp, allowed);
  } else {
    const ignored: Ignored = {
      ast: new Set(templateFeats.flatMap((f) => [...f.astSet])),
      fp: new Set(templateFeats.flatMap((f) => [...f.fpSet])),
      cfg: new Set(templateFeats.flatMap((f) => [...f.cfg])),
      df: new Set(templateFeats.flatMap((f) => [...f.df])),
    };
    const templateFp = new Set(ignored.fp);
    const maxGroups = commonShare > 0 ? Math.max(commonMinDocs, Math.floor(commonShare * n)) : Number.POSITIVE_INFINITY;
    // Keys in more than half of the documents (at most 500) are too common to propose pairs at all...
    const groupCap = Number.isFinite(maxGroups) ? Math.max(maxGroups, commonMinDocs, Math.min(Math.ceil(n / 2), 500)) : n;
    // ...except in classes (up to GROUP_PASS_MAX_DOCS), where 40 copies of one source in 55 files may
    // share only such keys and their pairs must be scored (here and in the first pass, or the copies form
    // no group and the common filter erases what they share). The index's fingerprint groups keep the cap.
    const capDocs = n <= GROUP_PASS_MAX_DOCS ? n : groupCap;
    const fp = fpPost();
    const index = buildIndex(fp, groupCap, fp.flags(templateFp), allowed);
    candidateCount = capDocs === groupCap ? index.candidates : buildIndex(fp, capDocs, fp.flags(templateFp), allowed).candidates;
    // Near-copies the fingerprints miss (disguised copies) are found by a first scoring pass (common.ts).
    let groups = index;
    if (commonShare > 0 && n <= GROUP_PASS_MAX_DOCS && index.groupCount > Math.max(commonMinDocs, Math.floor(commonShare * index.groupCount))) {
      const first = new PairScorer(docs, { capDocs, templateFp, ignored, weights, allowed }, postings());
      const near: Array<[number, number, number]> = [];
      for (let a = 0; a < n; a++) first.scoreDoc(a, (b) => b > a, (b, s) => { if (s.score >= GROUP_SCORE) near.push([a, b, s.score]); });
      groups = regroup(index, near);
    }
    const common = commonEvidence(groups, n, commonShare, commonMinDocs, ignored, { fp, of: postingsOf });
    ctx = { ignored, templateFp, capDocs, id: '', common };
    ctx.id = contextId(ctx, weights, fopts, floor, opts);
    if (!incremental && !opts.allPairs) recordRun(state, cache, runKey, ctx, candidateCount);
  }
  mark('index');

  // Scores below `floor` are only kept where the report shows them (the matrix, --all-pairs).
  const memory = opts.allPairs ? undefined : await pairMemoryFor(state, cache, ctx.id, opts.cachePath);
  const known = memory ? memory.knownOf(docs.map((d) => d.hash)) : docs.map(() => false);
  let scorer: PairScorer | undefined;
  const scorerFor = () => (scorer ??= new PairScorer(docs, { capDocs: ctx.capDocs, templateFp: ctx.templateFp, ignored: ctx.ignored, weights, allowed }, postings()));
  // The same documents as the recorded run: every stored pair is still a candidate.
  // A quick update keeps the other pairs as they were (the exact run that follows checks them).
  const templateFlags = incremental || (recorded && known.every(Boolean)) ? undefined : fpPost().flags(ctx.templateFp);
  // A few documents the pair memory does not know (a quick update's changed ones; the same in the exact
  // run after it) are scored by direct merges: no postings of the workspace for the bulk scorer.
  const unknown = docs.map((_, i) => i).filter((i) => !known[i]);
  const direct = unknown.length <= 20 && unknown.length < n;
  // Prepared evidence is kept from one quick update to the next only: a full run drops it (after an edit it
  // held thousands of documents' evidence, ~17 MB at 5,000 files, for the next edit's few pairs).
  const evMemo = incremental && state?.evidence?.ctx === ctx.id ? state.evidence.map : new Map<string, DocEvidence>();
  if (state) state.evidence = incremental ? { ctx: ctx.id, map: evMemo } : undefined;
  const ev = (i: number) => {
    const d = docs[i]!;
    let e = evMemo.get(d.hash);
    if (!e) evMemo.set(d.hash, (e = evidenceOf(d.feats, d, ctx.ignored)));
    return e;
  };
  const scores = new Map<number, PairScore>();
  let highest = 0;
  let pairScored = 0;
  let pairHits = 0;
  const keep = (i: number, j: number, s: PairScore) => {
    if (s.score > highest) highest = s.score;
    if (s.score >= floor && (s.score > 0 || opts.allPairs)) scores.set(i < j ? i * n + j : j * n + i, s);
  };
  // Pairs between two documents the memory knows come from it; the rest are scored.
  if (memory) {
    memory.pairsAmong(docs.map((d) => d.hash), known, (i, j, s) => {
      // Still a candidate? (another document can push a shared key past the cap.)
      if (allowed(Math.min(i, j), Math.max(i, j)) && (!templateFlags || sharesProposingKey(fpPost(), i, j, ctx.capDocs, templateFlags))) keep(i, j, s);
    });
  }
  const fresh: Array<[number, number, PairScore]> = [];
  const step = Math.max(1, Math.floor(n / 100));
  const fpSets = direct ? docs.map((d) => d.fpSet) : [];
  // Archived documents come last and never meet each other: from their side there is nothing left to
  // score, unless a new document the pair memory knows left its pairs to them.
  const archivedLast = !!archive && !known.some((k, i) => k && !docs[i]!.archive);
  for (let a = 0; a < n; a++) {
    if (known[a] || (archivedLast && docs[a]!.archive)) {
      // Its pairs with unknown documents are scored from their side.
    } else if (direct) {
      const bs = candidatesOf(a, fpSets, ctx.capDocs, ctx.templateFp, (b) => (b > a || known[b]!) && allowed(Math.min(a, b), Math.max(a, b)));
      for (const b of bs) {
        const s = scorePair(ev(a), ev(b), ctx.ignored, weights);
        keep(a, b, s);
        if (memory && s.score > 0 && s.score >= floor) fresh.push([a, b, s]);
      }
      pairScored += bs.length;
    } else {
      pairScored += scorerFor().scoreDoc(a, (b) => b > a || known[b]!, (b, s) => {
        keep(a, b, s);
        if (memory && s.score > 0 && s.score >= floor) fresh.push([a, b, s]);
      });
    }
    if (opts.onProgress && (a % step === 0 || a === n - 1)) opts.onProgress({ phase: 'scoring', done: a + 1, total: n });
  }
  if (memory) {
    pairHits = Math.max(0, candidateCount - pairScored);
    memory.update(docs.map((d) => d.hash), fresh);
    // A quick update leaves writing to the exact run that follows it.
    if (cache && !incremental) memory.persist(cache);
  }
  // A long-lived caller's cache (the language server's) keeps only what its inputs use now.
  if (!incremental && state && cache) cache.prune(new Set(keys.filter((k): k is string => !!k)));
  // Written back and closed: sql.js would hold the databases in memory until the next run.
  if (!incremental) cache?.release();
  mark('score');

  // Pairs to report, best first.
  const pairs: ReportPair[] = [];
  // Remembered regions read their code from this run's files from now on (same paths, same content).
  const byPath = new Map<string, SourceFile>(files.map((f) => [f.path, f]));
  const zero: PairScore = { score: 0, ast: 0, cfg: 0, dataflow: 0 };
  const oldRegions = state?.regions?.ctx === ctx.id ? state.regions.map : undefined;
  const newRegions = new Map<string, Region[]>();
  // Each pair against the background of this run (significance.ts); the rule decides what is reported.
  const strong: Array<[number, number, number]> = [...scores.keys()].sort((x, y) => x - y).map((id) => [Math.floor(id / n), id % n, scores.get(id)!.score]);
  const groupOf = nearCopyGroups(n, strong);
  const inputs = docs.map((d) => d.input);
  const archived = docs.map((d) => d.archive);
  const rule = reportRule(minScore, partnersPerDoc(inputs, !!opts.cross, archived).reduce((a, b) => a + b, 0) / 2);
  const bg = backgroundOf(n, strong, partnersPerDoc(inputs, !!opts.cross, archived, groupOf), groupOf);
  const sigOf = (i: number, j: number, s: number) => significanceOf(bg, i, j, s);
  const reportedIds = new Set<number>();
  for (const [i, j, s] of strong) if (isReported(s, sigOf(i, j, s), rule)) reportedIds.add(i * n + j);
  const emit = (i: number, j: number) => {
    const s = scores.get(i * n + j) ?? zero;
    const reported = reportedIds.has(i * n + j);
    const sig = sigOf(i, j, s.score);
    // Only reported pairs are listed (every consumer of the report then shows the same ones); the
    // matrix keeps every raw score, and --all-pairs lists every pair with its flag.
    const listed = reported;
    if (!opts.allPairs && !listed) return;
    const a = docs[i]!;
    const b = docs[j]!;
    const key = state && listed ? `${a.name}\0${b.name}\0${a.hash}\0${b.hash}` : '';
    const known = key ? oldRegions?.get(key) : undefined;
    if (known) for (const r of known) r.rebind(byPath);
    const regions: Region[] = known ?? [];
    if (key) newRegions.set(key, regions);
    if (listed && !known) {
      for (let x = 0; x < a.files.length; x++) {
        for (let y = 0; y < b.files.length; y++) {
          const ms = lineMatches(a.feats[x]!, b.feats[y]!, ctx.ignored.ast);
          regions.push(...toRegions(ms, a.files[x]!, b.files[y]!, !!opts.submissions));
        }
      }
    }
    pairs.push({
      file1: a.name, file2: b.name, similarity_score: round(s.score), ...(sig === undefined ? {} : { significance: round(sig) }), reported,
      components: { ast: round(s.ast), cfg: round(s.cfg), dataflow: round(s.dataflow) }, matching_regions: regions,
    });
  };
  const ids = strong.map(([i, j]) => i * n + j);
  if (state) state.regions = { ctx: ctx.id, map: newRegions };
  if (opts.allPairs) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (allowed(i, j)) emit(i, j);
  } else {
    for (const id of ids) emit(Math.floor(id / n), id % n);
  }
  // Reported first, then by score.
  pairs.sort((p, q) => Number(!!q.reported) - Number(!!p.reported) || q.similarity_score - p.similarity_score || (p.file1 < q.file1 ? -1 : p.file1 > q.file1 ? 1 : 0));

  // `strong` is in pair-id order, so ties come out the same however the scores were reached.
  const clusters = clustersOf(n, strong, clusterThreshold).map((c, k) => ({
    id: k + 1, files: c.members.map((m) => docs[m]!.name), max_similarity: round(c.max),
  }));
  const edges = strong.filter(([i, j]) => reportedIds.has(i * n + j)).sort((x, y) => y[2] - x[2])
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
  const suspicious = reportedIds.size;
  mark('report');
  timings.total = Date.now() - t0;
  if (!state) cache?.close();
  if (state) {
    state.last = { files, template, ctx, candidates: candidateCount, fpSets: docs.map((d) => d.fpSet), docIndex: new Map(docs.map((d, i) => [d.name, i])), inputs: docs.map((d) => d.input) };
  }

  return {
    analysis_id: crypto.randomUUID(),
    summary: {
      total_files: files.length, total_documents: n, suspicious_pairs_count: suspicious, highest_similarity: round(highest),
      cluster_count: clusters.length, candidate_pairs: candidateCount,
    },
    files: files.map((f, i) => ({
      path: f.path,
      ...(f.language ? { language: f.language } : {}),
      ...(f.error ? { error: f.error } : {}),
      ...(feats[i]?.warnings ? { warnings: feats[i]!.warnings } : {}),
      ...(feats[i]?.syntaxErrors ? { syntax_errors: true } : {}),
      ...(opts.submissions ? { submission: f.doc } : {}),
      ...(f.archive ? { archive: true } : {}),
    })),
    similarity: { pairs },
    graph: { nodes: docs.map((d) => ({ id: d.name, files: d.files.length, ...(d.archive ? { archive: true } : {}) })), edges },
    matrix,
    clusters,
    metadata: {
      analysis_type: 'similarity', timestamp: new Date().toISOString(), llm_enabled: false, weights,
      thresholds: {
        min_score: minScore, cluster: clusterThreshold, common_share: commonShare, common_min_documents: commonMinDocs,
        min_subtree: fopts.minSubtree, kgram: fopts.k, window: fopts.w,
      },
      report_rule: rule,
      ...(ctx.common ? { common: ctx.common } : {}),
      submissions: !!opts.submissions, cross: !!opts.cross,
      ...(cache || memory ? {
        cache: {
          ...(opts.cachePath ? { path: opts.cachePath } : {}), hits: (cache?.hits ?? 0) - hits0 + memoHits, misses: (cache?.misses ?? 0) - misses0, pair_hits: pairHits, pair_scored: pairScored,
          ...(cache && cache.warnings.length > warned0 ? { warnings: cache.warnings.slice(warned0) } : {}),
        },
      } : {}),
      timings_ms: timings, workers_used: workersUsed,
      ...(skipped ? { skipped_files: skipped } : {}),
      ...(incremental ? { incremental: true } : {}),
      ...(archive ? {
        archive: { sources: archive.sources, files: files.filter((f) => f.archive).length, documents: docs.filter((d) => d.archive).length, ...(archivedDup ? { left_out_as_new: archivedDup } : {}) },
      } : {}),
    },
  };
}

/**
 * How many documents each document may be paired with (all others; with `cross`, those of other
 * inputs; an archived one, only the inputs' documents), less those in its own group of near-copies
 * when `groupOf` is given.
 */
function partnersPerDoc(inputs: number[], cross: boolean, archived: boolean[], groupOf?: Int32Array): Int32Array {
  const n = inputs.length;
  const count = (key: (d: number) => string, only?: (d: number) => boolean) => {
    const m = new Map<string, number>();
    for (let d = 0; d < n; d++) if (!only || only(d)) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
    return (d: number) => m.get(key(d)) ?? 0;
  };
  const fresh = archived.filter((a) => !a).length;
  const input = cross ? count((d) => `${inputs[d]}`) : () => 1;
  const group = groupOf ? count((d) => `${groupOf[d]}`) : () => 1;
  const both = groupOf && cross ? count((d) => `${groupOf[d]}:${inputs[d]}`) : () => 1;
  const freshInGroup = groupOf ? count((d) => `${groupOf[d]}`, (d) => !archived[d]) : () => 0;
  // An archived document pairs only with fresh ones; a fresh one with all others (cross: other inputs).
  // Allowed partners inside the group: group(d) − both(d) for a fresh one, the group's fresh for an archived one.
  return Int32Array.from(inputs, (_, d) =>
    Math.max(0, archived[d] ? fresh - freshInGroup(d) : n - input(d) - (groupOf ? group(d) - both(d) : 0)),
  );
}

/** Candidate pairs with at least one document in `set`. */
function pairsTouching(fpSets: Float64Array[], set: number[], capDocs: number, templateFp: Set<number>, allowed: (i: number, j: number) => boolean): number {
  const inSet = new Set(set);
  let c = 0;
  for (const a of set) c += candidatesOf(a, fpSets, capDocs, templateFp, (b) => (!inSet.has(b) || b > a) && allowed(Math.min(a, b), Math.max(a, b))).length;
  return c;
}

interface RecordedRun { key: string; ctx: Context; candidates: number }

/** The context and candidate count of an earlier run over the same documents and options, if recorded. */
function recordedRun(state: CompareState | undefined, cache: FeatureCache | undefined, key: string): RecordedRun | undefined {
  if (state?.recorded?.key === key) return state.recorded;
  const blob = cache?.getMeta('run');
  if (!blob) return undefined;
  try {
    const r = v8.deserialize(blob) as { key: string; ignored: number[][]; templateFp: number[]; capDocs: number; id: string; candidates: number; common?: CommonInfo };
    if (r.key !== key) return undefined;
    const [ast, fp, cfg, df] = r.ignored.map((a) => new Set(a));
    const run = { key, ctx: { ignored: { ast: ast!, fp: fp!, cfg: cfg!, df: df! }, templateFp: new Set(r.templateFp), capDocs: r.capDocs, id: r.id, common: r.common }, candidates: r.candidates };
    if (state) state.recorded = run;
    return run;
  } catch {
    return undefined;
  }
}

function recordRun(state: CompareState | undefined, cache: FeatureCache | undefined, key: string, ctx: Context, candidates: number): void {
  if (state) state.recorded = { key, ctx, candidates };
  const i = ctx.ignored;
  cache?.putMeta('run', v8.serialize({ key, ignored: [i.ast, i.fp, i.cfg, i.df].map((x) => [...x]), templateFp: [...ctx.templateFp], capDocs: ctx.capDocs, id: ctx.id, candidates, common: ctx.common }));
}

/** A stable id of the scoring context: ignored evidence, weights, feature options, candidate cap, floor, pairing mode. */
function contextId(ctx: Context, w: Weights, f: FeatureOptions, floor: number, opts: CompareOptions): string {
  const h = crypto.createHash('sha256');
  const put = (s: Set<number>) => h.update(Float64Array.from(s).sort()).update('|');
  put(ctx.ignored.ast);
  put(ctx.ignored.fp);
  put(ctx.ignored.cfg);
  put(ctx.ignored.df);
  put(ctx.templateFp);
  h.update(JSON.stringify([w, f, ctx.capDocs, floor, !!opts.submissions]));
  return h.digest('base64').slice(0, 22);
}

/** The pair memory for this context: the state's, else the one persisted beside the features. */
async function pairMemoryFor(state: CompareState | undefined, cache: FeatureCache | undefined, ctx: string, cachePath: string | undefined): Promise<PairMemory | undefined> {
  if (!state && !cachePath) return undefined;
  if (state?.pairs?.ctx === ctx) return state.pairs;
  const loaded = cache ? PairMemory.load(cache, ctx) : undefined;
  const m = loaded ?? new PairMemory(ctx);
  if (state) state.pairs = m;
  return m;
}

/** The last run's files with the changed ones read again (deleted ones dropped). */
async function refresh(last: LastRun, changed: string[], collectOpts: { submissions: boolean; exclude: string[]; language?: LanguageId; maxBytes: number }): Promise<{ files: SourceFile[]; template: SourceFile[] }> {
  const set = new Set(changed);
  const files: SourceFile[] = [];
  for (const f of last.files) {
    if (!set.has(f.path)) {
      files.push(f);
      continue;
    }
    const again = (await collectInputs([f.path], { ...collectOpts, submissions: false })).files[0];
    if (!again || again.error === 'cannot read: ENOENT') continue; // deleted
    files.push({ ...again, input: f.input, doc: f.doc });
  }
  return { files, template: last.template };
}

/** Features per file (undefined where the file has an error, which is then recorded on it), with their cache keys. */
export async function featuresFor(files: SourceFile[], fopts: FeatureOptions, cache: FeatureCache | undefined, workers: WorkerCount,
  state: CompareState | undefined, onProgress: CompareOptions['onProgress']): Promise<{ feats: Array<FileFeatures | undefined>; keys: string[]; memoHits: number }> {
  const out: Array<FileFeatures | undefined> = new Array(files.length);
  const todo: number[] = [];
  const lookup: number[] = [];
  const keys: string[] = [];
  let done = 0;
  const step = Math.max(1, Math.floor(files.length / 100));
  const tick = () => {
    done++;
    if (onProgress && (done % step === 0 || done === files.length)) onProgress({ phase: 'features', done, total: files.length });
  };
  const memo = state?.features;
  const seen = new Set<string>();
  let memoHits = 0;
  files.forEach((f, i) => {
    if (f.error || f.text === undefined || !f.language) {
      tick();
      return;
    }
    keys[i] = FeatureCache.key(f.text, f.language, fopts);
    seen.add(keys[i]!);
    const inMemory = memo?.get(keys[i]!);
    if (inMemory) {
      memoHits++;
      out[i] = inMemory;
      tick();
    } else lookup.push(i);
  });
  // The rest from the database, shard by shard.
  const found = cache ? cache.getMany(lookup.map((i) => keys[i]!)) : [];
  lookup.forEach((i, k) => {
    const hit = found[k];
    if (hit) {
      out[i] = hit;
      memo?.set(keys[i]!, hit);
      tick();
    } else todo.push(i);
  });
  workerPool.resetWorkersUsed();
  const threads = resolveWorkers(workers, todo.length, todo.reduce((n, i) => n + files[i]!.text!.length, 0));
  const computed = threads > 0
    ? await workerPool.computeFeaturesParallel(todo.map((i) => ({ text: files[i]!.text!, language: files[i]!.language! })), fopts, threads, tick)
    : await Promise.all(todo.map(async (i) => {
      try {
        return await featuresOfSource(files[i]!.text!, files[i]!.language!, fopts);
      } catch (e) {
        return `analysis failed: ${(e as Error).message}`;
      } finally {
        tick();
      }
    }));
  todo.forEach((i, k) => {
    const r = computed[k]!;
    if (typeof r === 'string') files[i]!.error = r;
    else {
      out[i] = r;
      memo?.set(keys[i]!, r);
      if (cache) cache.put(keys[i]!, r);
    }
  });
  // Features of files no longer present are dropped from memory (the database keeps them).
  if (memo) for (const k of memo.keys()) if (!seen.has(k)) memo.delete(k);
  return { feats: out, keys, memoHits };
}
