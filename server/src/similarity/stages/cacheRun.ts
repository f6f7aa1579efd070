// The feature cache as one run uses it: opened (or the caller's, kept in its state between runs: its
// database files are opened as a run needs them), with what it held before the run, so that the report
// counts this run's hits, misses and warnings.
import type { CompareReport } from '../../../../protocol/report';
import { FeatureCache } from '../cache';

export class CacheRun {
  private readonly hits0: number;
  private readonly misses0: number;

  private constructor(readonly cache: FeatureCache | undefined, private readonly path: string | undefined, private readonly warned0: number) {
    this.hits0 = cache?.hits ?? 0;
    this.misses0 = cache?.misses ?? 0;
  }

  /** The cache at `path` (none without one); `kept` holds the caller's between runs, and takes a newly opened one. */
  static async open(path: string | undefined, kept: { cache?: FeatureCache } | undefined): Promise<CacheRun> {
    if (!path) return new CacheRun(undefined, path, 0);
    // A cache reused from the caller's state reports the warnings after its old ones; a cache opened now
    // reports those of its opening too (a replaced main file).
    const reused = kept?.cache?.file === path;
    const cache = reused ? kept!.cache! : await FeatureCache.open(path);
    if (kept && kept.cache !== cache) {
      kept.cache?.close();
      kept.cache = cache;
    }
    return new CacheRun(cache, path, reused ? cache.warnings.length : 0);
  }

  /** The report's cache counts: features from the cache or `memoHits` from memory, pairs from the pair memory or scored. */
  stats(memoHits: number, pairHits: number, pairScored: number): NonNullable<CompareReport['metadata']['cache']> {
    const c = this.cache;
    return {
      ...(this.path ? { path: this.path } : {}), hits: (c?.hits ?? 0) - this.hits0 + memoHits, misses: (c?.misses ?? 0) - this.misses0, pair_hits: pairHits, pair_scored: pairScored,
      ...(c && c.warnings.length > this.warned0 ? { warnings: c.warnings.slice(this.warned0) } : {}),
    };
  }
}
