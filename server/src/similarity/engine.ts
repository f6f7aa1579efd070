// The comparison pipeline, one stage a file (stages/):
//
//   collect → analyse → index → candidates → score → judge → regions → clusters → report
//
// collect the inputs' files; analyse them (features, computed or cached); index the documents (the
// scoring context: template and common evidence ignored, the candidate cap and count); propose
// candidate pairs (remembered or to score); score them; judge which are reported; find the reported
// pairs' matching regions; cluster; assemble the report. (Regions follow the judge: only reported
// pairs get them.)
//
// Pair scores depend only on the two documents and on the "context" (ignored evidence, weights,
// candidate cap, kept-score floor). They are remembered per context (in memory across runs of one
// `CompareState`, and in the feature cache's database across restarts), so a run where nothing
// changed scores no pair and a run after one edit scores only the edited document's pairs. A state
// also keeps the last run as a `RunIndex`, from which a quick update (`changed`) starts.
import type { LanguageId } from '../core/languages';
import type { WorkerCount } from '../core/workerPool';
import type { FeatureCache } from './cache';
import type { FeatureOptions, FileFeatures } from './features';
import type { SourceFile } from './sourceFile';
import type { PairMemory } from './pairMemory';
import type { RunRecords } from './record';
import type { Region } from './regions';
import type { DocEvidence, Weights } from './score';
import { analyse } from './stages/analyse';
import { CacheRun } from './stages/cacheRun';
import { candidatePairs, pairMemoryFor } from './stages/candidates';
import { group } from './stages/clusters';
import { collect } from './stages/collect';
import { indexRun, scoreFloor, type RecordedRun } from './stages/context';
import { allowedPairs, documentsOf, LazyPostings, placeStored } from './stages/documents';
import { judge } from './stages/judge';
import { listPairs } from './stages/regions';
import { buildReport } from './stages/report';
import { RunIndex } from './stages/runIndex';
import { evidenceMemo, scorePairs, storeScores } from './stages/score';
import { settingsOf, Timer } from './stages/types';

export { featuresFor } from './stages/analyse';
export { RunRecords } from './record';
export { MATRIX_MAX_DOCS, type ArchiveSet, type CompareProgress } from './stages/types';
import type { ArchiveSet, CompareProgress } from './stages/types';


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
   * Paths changed since the last run of `state` (modified, deleted, or created inside an input folder).
   * Only they are read, and the previous run's ignored evidence is kept, so only their pairs are scored. The
   * result is marked `metadata.incremental`; a full run afterwards gives the exact result.
   */
  changed?: string[];
  /**
   * Earlier submissions (archive.ts), with their features already computed: compared with the inputs'
   * documents, never with each other. Their files come after the inputs' in the report, marked `archive`.
   */
  archive?: ArchiveSet;
  /**
   * Filled by the run for the local judge that follows it (judgeReport): the documents, content hashes
   * and, for the files parsed now, the judge's keys from the same parse (record.ts). Give one only when
   * the judge will run: the keys cost a walk of each parsed file's tree.
   */
  records?: RunRecords;
}


// The report's shapes are the contract's (protocol/report.ts), shared with the extension and the panel.
import type { CompareReport, ReportPair } from '../../../protocol/report';

export type { CompareReport, ReportPair };

/** What a caller keeps between runs over the same inputs. */
export interface CompareState {
  /** Features by feature-cache key. */
  features: Map<string, FileFeatures>;
  pairs?: PairMemory;
  /** The last run: where a quick update starts. */
  last?: RunIndex;
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

export function newCompareState(): CompareState {
  return { features: new Map() };
}

export async function compare(opts: CompareOptions): Promise<CompareReport> {
  const timer = new Timer();
  const s = settingsOf(opts);
  const state = opts.state;
  const archive = !!opts.archive;
  // A quick update starts from the last run, with the changed files removed, read again or added.
  const quick = opts.changed && state?.last && !s.submissions ? await state.last.update(opts.changed, s.collect, opts.inputs) : undefined;

  const collected = await collect(opts.inputs, opts.template, opts.maxFiles, s, quick);
  timer.mark('collect');

  const cacheRun = await CacheRun.open(opts.cachePath, state);
  const cache = cacheRun.cache;
  if (opts.records) {
    // As collected: the analysis marks files it fails on, which the judge's documents still count (as when it read the inputs itself).
    opts.records.files = collected.files.map((f) => ({ ...f }));
    opts.records.template = collected.template.map((f) => ({ ...f }));
  }
  const analysed = await analyse(collected.files, collected.template, s, cache, state?.features, opts.archive, opts.onProgress, opts.records);
  const { files, feats } = analysed;
  timer.mark('features');

  const docs = documentsOf(files, feats, analysed.keys);
  const allowed = allowedPairs(docs, s.cross, archive);
  // An archive index's saved postings stand for the archived documents' (the archive is not sorted again).
  const postings = new LazyPostings(docs, placeStored(docs, opts.archive?.postings));
  const floor = scoreFloor(docs.length, s);
  const template = { feats: analysed.templateFeats, ids: collected.template.map((f, i) => analysed.templateKeys[i] ?? f.error ?? '') };
  const indexed = indexRun(docs, template, s, floor, postings, allowed, quick, { recorded: state?.recorded, cache });
  if (state && indexed.remember) state.recorded = indexed.remember;
  const { ctx } = indexed;
  timer.mark('index');

  const memory = pairMemoryFor(state?.pairs, cache, ctx.id, !s.allPairs && !!(state || opts.cachePath));
  if (state && memory) state.pairs = memory;
  const candidates = candidatePairs(docs, ctx, memory, indexed.recorded, !quick, postings, allowed, archive);

  const scored = scorePairs(docs, ctx, s, floor, candidates, postings, allowed, !!memory, evidenceMemo(state, ctx.id, !!quick), opts.onProgress);
  // A quick update leaves writing to the exact run that follows it.
  storeScores(memory, cache, docs, scored.fresh, !quick, state ? new Set(analysed.keys.filter((k): k is string => !!k)) : undefined);
  timer.mark('score');

  const judged = judge(docs, scored.scores, s.minScore, s.cross);
  const listed = listPairs(docs, files, scored.scores, judged, ctx, s, allowed, state?.regions?.ctx === ctx.id ? state.regions.map : undefined, !!state);
  if (state) state.regions = { ctx: ctx.id, map: listed.regions };
  const grouped = group(docs, judged, s.clusterThreshold);
  timer.mark('report');
  const timings = timer.total();
  if (state) state.last = RunIndex.of(files, collected.template, ctx, indexed.candidates, docs);
  else cache?.close();

  const pairHits = memory ? Math.max(0, indexed.candidates - scored.pairScored) : 0;
  return buildReport({
    s, files, feats, docs, ctx, candidates: indexed.candidates, highest: scored.highest, judged, pairs: listed.pairs, grouped,
    cache: cache || memory ? cacheRun.stats(analysed.memoHits, pairHits, scored.pairScored) : undefined,
    timings, workersUsed: analysed.workersUsed, skipped: collected.skipped, incremental: !!quick,
    archive: opts.archive ? { sources: opts.archive.sources, leftOutAsNew: analysed.archivedDup } : undefined,
  });
}
