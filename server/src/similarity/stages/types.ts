// What the compare stages pass each other: the run's settings (options with their defaults), its
// documents, and the scoring context. Each stage is a function of these, in its own file.
import type { LanguageId } from '../../core/languages';
import type { WorkerCount } from '../../core/workerPool';
import type { StoredPostings } from '../archivePostings';
import type { CommonInfo } from '../common';
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions, type FileFeatures } from '../features';
import type { SourceFile } from '../sourceFile';
import { DEFAULT_WEIGHTS, type Ignored, type Weights } from '../score';
import { COMMON_MIN_GROUPS } from '../common';
import { DEFAULT_CLUSTER_THRESHOLD, DEFAULT_MAX_FILE_BYTES, DEFAULT_REPORT_THRESHOLD } from '../../../../protocol/config';

/** Progress of a run, for a progress bar. */
export interface CompareProgress {
  phase: 'features' | 'scoring';
  /** Files (features) or documents (scoring) done so far, of `total`. */
  done: number;
  total: number;
}

/** Archived files (earlier submissions): paired only with new ones. */
export interface ArchiveSet {
  files: SourceFile[]; feats: Array<FileFeatures | undefined>; keys: string[]; sources: string[];
  /** The archived documents' postings saved in an index (one index, format 2): merged, not sorted again. */
  postings?: StoredPostings;
}

/** Above this many documents the full matrix is left out of the JSON (it grows as n²). */
export const MATRIX_MAX_DOCS = 1000;

/** The options a run reads, defaults filled in. */
export interface Settings {
  weights: Weights;
  minScore: number;
  clusterThreshold: number;
  commonShare: number;
  commonMinDocs: number;
  fopts: FeatureOptions;
  collect: { submissions: boolean; exclude: string[]; language?: LanguageId; maxBytes: number };
  submissions: boolean;
  cross: boolean;
  allPairs: boolean;
  workers: WorkerCount;
}

export function settingsOf(opts: {
  weights?: Weights; minScore?: number; clusterThreshold?: number; commonShare?: number; commonMinDocs?: number; features?: FeatureOptions;
  maxBytes?: number; submissions?: boolean; exclude?: string[]; language?: LanguageId; cross?: boolean; allPairs?: boolean; workers?: WorkerCount;
}): Settings {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  return {
    weights: opts.weights ?? DEFAULT_WEIGHTS,
    minScore: opts.minScore ?? DEFAULT_REPORT_THRESHOLD,
    clusterThreshold: opts.clusterThreshold ?? DEFAULT_CLUSTER_THRESHOLD,
    commonShare: opts.commonShare ?? 0.1,
    commonMinDocs: opts.commonMinDocs ?? COMMON_MIN_GROUPS,
    fopts: opts.features ?? DEFAULT_FEATURE_OPTIONS,
    collect: { submissions: !!opts.submissions, exclude: opts.exclude ?? [], language: opts.language, maxBytes },
    submissions: !!opts.submissions,
    cross: !!opts.cross,
    allPairs: !!opts.allPairs,
    workers: opts.workers ?? 0,
  };
}

/** A document: one file, or a submission's files, with the union of their evidence. */
export interface Doc { name: string; input: number; archive: boolean; files: SourceFile[]; feats: FileFeatures[]; keys: string[]; hash: string; astSet: Float64Array; fpSet: Float64Array; cfg: Float64Array; df: Float64Array }

/** Whether documents i < j may be paired (cross: of different inputs; never two archived ones). */
export type Allowed = (i: number, j: number) => boolean;

/** Everything besides the two documents that a pair's score depends on. */
export interface Context {
  ignored: Ignored;
  templateFp: Set<number>;
  capDocs: number;
  id: string;
  /** What the common-code filter did (for the report). */
  common?: CommonInfo;
}

/** A score as the report shows it. */
export const round = (x: number) => Math.round(x * 10000) / 10000;

/** Per-stage timings: each mark records the time since the previous one. */
export class Timer {
  readonly t0 = Date.now();
  readonly timings: Record<string, number> = {};
  mark(name: string): void {
    this.timings[name] = Date.now() - this.t0 - Object.values(this.timings).reduce((a, b) => a + b, 0);
  }
  total(): Record<string, number> {
    this.timings.total = Date.now() - this.t0;
    return this.timings;
  }
}
