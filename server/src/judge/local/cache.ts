// What the local judge keeps between runs (the language server re-judges the workspace after every
// analysis): per file content, its analysis (tokens' k-grams, lines, names, algorithms) and the keys
// it adds to the common-code document frequencies; the frequencies themselves, updated with the
// documents that changed; and verdicts, reused while both files, the score and what the template
// and common code explain in the two files are unchanged. Everything is bounded.
import { contentHash } from '../../core/contentHash';
import type { LanguageId } from '../../core/languages';
import type { Verdict } from '../types';
import { CommonCode, docKeysSize, type DocKeys, type TemplateCode } from './context';
import { Lru } from '../../store/lru';
import type { FileAnalysis } from './evidence';


export interface LocalCacheLimits {
  /** Tokens of analysed files kept (about 30 bytes each). */
  analysisTokens: number;
  /** Document-frequency keys of recently seen documents (about 20 bytes each), besides those of the documents counted now. */
  docKeys: number;
  /** Pair verdicts kept. */
  verdicts: number;
  /**
   * Whether analyses outlive the run that made them. The language server says no: between runs it
   * keeps only each file's digest of them, which is all a cached verdict needs, and a later run
   * re-analyses only the files of pairs it must judge anew (an edit's).
   */
  keepAnalyses: boolean;
}

export const LOCAL_CACHE_LIMITS: LocalCacheLimits = { analysisTokens: 2_000_000, docKeys: 1_000_000, verdicts: 20_000, keepAnalyses: true };

/** Counts of work done, for tests and logs. */
export interface LocalCacheStats {
  /** Files parsed and tokenized (for the analysis, the common code or both). */
  tokenized: number;
  /** Pair verdicts computed, and served from the cache. */
  verdictsComputed: number;
  verdictHits: number;
  /** Documents added to or removed from the common-code counts. */
  commonUpdates: number;
  /** Documents counted from keys stored on disk (diskStore.ts) instead of a parse. */
  keysLoaded: number;
  /** Verdicts served from those stored on disk. */
  verdictsLoaded: number;
  /** Documents counted from keys the comparison made from its own parse (JudgeContext.known) instead of a parse here. */
  keysFromRecords: number;
}

interface CachedVerdict { verdict: Verdict; digest1: string; digest2: string }

/** A document's key: its language and content hash (the analysed-file record's, when the comparison passes it on). */
export const contentKey = (source: string, language: LanguageId, hash = contentHash(source)) => `${language}:${hash}`;

export class LocalJudgeCache {
  readonly limits: LocalCacheLimits;
  readonly analyses: Lru<string, FileAnalysis>;
  /** Keys of documents seen recently, for counting them again without parsing (those counted now are in `common`). */
  readonly docKeys: Lru<string, DocKeys>;
  readonly common = new CommonCode();
  readonly verdicts: Lru<string, CachedVerdict>;
  /** Each file's last `explainedDigest` (by content key) and the generation it was computed for: outlives its analysis. */
  readonly digests: Lru<string, { gen: number; value: string }>;
  template: { key: string; code: TemplateCode } | undefined;
  /** What the explained code was last built from (template, common-code threshold), and a number bumped whenever it changed. */
  explainedFrom: string | undefined;
  explainedGen = 0;
  readonly stats: LocalCacheStats = { tokenized: 0, verdictsComputed: 0, verdictHits: 0, commonUpdates: 0, keysLoaded: 0, verdictsLoaded: 0, keysFromRecords: 0 };
  private tail: Promise<unknown> = Promise.resolve();

  constructor(limits: Partial<LocalCacheLimits> = {}) {
    this.limits = { ...LOCAL_CACHE_LIMITS, ...limits };
    this.analyses = new Lru(this.limits.analysisTokens, (a) => Math.max(1, a.tokenCount));
    this.docKeys = new Lru(this.limits.docKeys, (k) => Math.max(1, docKeysSize(k)));
    this.verdicts = new Lru(this.limits.verdicts);
    this.digests = new Lru(2 * this.limits.verdicts);
  }

  /** A file's digest under the current explained code, if known without its analysis. */
  digestOf(key: string): string | undefined {
    const d = this.digests.get(key);
    return d?.gen === this.explainedGen ? d.value : undefined;
  }

  /** Whether a verdict for this pair key stands under the current explained code (no stats counted). */
  hasVerdict(key: string, k1: string, k2: string): boolean {
    const d1 = this.digestOf(k1);
    const d2 = this.digestOf(k2);
    const hit = d1 !== undefined && d2 !== undefined ? this.verdicts.get(key) : undefined;
    return !!hit && hit.digest1 === d1 && hit.digest2 === d2;
  }

  /** The end of a run: analyses go unless they are to be kept (limits.keepAnalyses). */
  endRun(): void {
    if (!this.limits.keepAnalyses) this.analyses.clear();
  }

  /** Runs `fn` alone: runs that overlap (a superseded analysis, a comparison) take turns with the shared state. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  getVerdict(key: string, digest1: string, digest2: string): Verdict | undefined {
    const hit = this.verdicts.get(key);
    if (!hit || hit.digest1 !== digest1 || hit.digest2 !== digest2) return undefined;
    this.stats.verdictHits++;
    return { ...hit.verdict };
  }

  putVerdict(key: string, digest1: string, digest2: string, verdict: Verdict): void {
    this.verdicts.set(key, { verdict: { ...verdict }, digest1, digest2 });
  }

  /** Memory held, roughly: analysed tokens, document-frequency keys, verdicts. */
  sizes(): { analysisTokens: number; analyses: number; docKeys: number; countedDocs: number; verdicts: number } {
    return {
      analysisTokens: this.analyses.weight, analyses: this.analyses.size, docKeys: this.docKeys.weight,
      countedDocs: this.common.counted.size, verdicts: this.verdicts.size,
    };
  }
}
