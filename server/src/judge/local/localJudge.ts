// The local judge: no network. Overlap explained by the template or by code common to many files is
// boilerplate; overlap inside functions both files implement as the same standard algorithm is that
// algorithm; long identical runs, identical lines and shared distinctive names are a copy. When the
// evidence is thin it answers STANDARD_ALGORITHM with LOW confidence (conservative by design).
import type { LanguageId } from '../../core/languages';
import type { WorkerCount } from '../../core/workerPool';
import type { Confidence, JudgeContext, JudgePairInput, Verdict, Classification } from '../types';
import { contentKey, LocalJudgeCache } from './cache';
import { commonMinDocs, templateCode, type ExplainedCode } from './context';
import type { LocalJudgeStore, VerdictEntry } from './diskStore';
import { explainedDigest, keysDigest, pairEvidence, type FileAnalysis, type PairEvidence } from './evidence';
import { analysed, fileWorkAll } from './fileWork';
import { tokenize, type TokenizedFile } from './tokens';

/** Bumped whenever the local judge's decisions change (part of the verdict cache key). */
export const LOCAL_JUDGE_VERSION = 1;

/** Files per batch of per-file work (each batch starts its workers): bounds the results held at once. */
const WORK_CHUNK = 4096;

export const LOCAL_THRESHOLDS = {
  /** Share of shared tokens the template or common code explains for TEMPLATE_OR_BOILERPLATE. */
  template: 0.7,
  /** Copy evidence for LIKELY_COPY outright. */
  copy: 0.6,
  /** Copy evidence that still tips an unexplained pair to LIKELY_COPY (LOW). */
  weakCopy: 0.35,
  /** Share of the unexplained shared tokens inside a common standard algorithm for STANDARD_ALGORITHM. */
  algorithm: 0.5,
  /** Structural score above which near-identical structure alone is a (LOW) copy. */
  nearIdentical: 0.95,
};

/**
 * One run's judge: the template and common code of its context, over a cache that may be kept
 * between runs (the language server's). A shared cache is used by one run at a time
 * (`cache.exclusive`, as judgePairs does). Verdicts do not depend on what the cache holds.
 */
export class LocalJudge {
  private readonly keys = new Map<LanguageId, Map<string, string>>();
  private readonly pending = new Map<string, Promise<FileAnalysis>>();
  private explained: ExplainedCode = { hashes: new Set(), lines: new Set(), names: new Set() };
  /** This run's verdicts with their digests, for the store; and whether any was computed anew. */
  private readonly judged: VerdictEntry[] = [];
  private computed = false;
  private constructor(private readonly cache: LocalJudgeCache, private readonly workers: WorkerCount, private readonly store?: LocalJudgeStore,
    private readonly known?: JudgeContext['known']) {}

  /**
   * `pairs`: the pairs about to be judged, whose files are then analysed from the parse the common code
   * needs anyway; `workers`: threads for that per-file work (0: this thread); `store`: documents' keys
   * and verdicts kept on disk between processes (`persist` writes them).
   */
  static async create(ctx?: JudgeContext, cache = new LocalJudgeCache(), pairs: JudgePairInput[] = [], workers: WorkerCount = 0, store?: LocalJudgeStore): Promise<LocalJudge> {
    const judge = new LocalJudge(cache, workers, store, ctx?.known);
    const templates = ctx?.templates ?? [];
    const tkey = templates.map((t) => judge.keyOf(t.source, t.language)).join(',');
    if (cache.template?.key !== tkey) cache.template = { key: tkey, code: await templateCode(templates) };

    const corpus = ctx?.corpus ?? [];
    const minDocs = commonMinDocs(ctx ?? {}, corpus.length);
    const active = !!ctx && corpus.length >= minDocs;
    const from = `${tkey}|${active ? minDocs : 'no common code'}`;
    let changed = cache.explainedFrom !== from;
    cache.explainedFrom = undefined; // until the counts are brought up to date
    if (active) {
      const wanted = new Set(pairs.flatMap((p) => [judge.keyOf(p.source1, p.language1), judge.keyOf(p.source2, p.language2)]));
      cache.common.track(!changed);
      await judge.count(corpus, wanted);
      if (cache.common.crossed(minDocs)) changed = true;
    }
    // Unchanged explained code: the files' digests (and so the cached verdicts) stand without recomputing them.
    if (changed) cache.explainedGen++;
    judge.explained = cache.common.explained(cache.template.code, minDocs, active);
    await judge.prefetch(pairs);
    cache.explainedFrom = from;
    return judge;
  }

  /** The content key, computed once per source in a run (from the comparison's hash of the text, when it has one). */
  private keyOf(source: string, language: LanguageId): string {
    let m = this.keys.get(language);
    if (!m) this.keys.set(language, (m = new Map()));
    let k = m.get(source);
    if (k === undefined) m.set(source, (k = contentKey(source, language, this.known?.hashes.get(source))));
    return k;
  }

  /** Brings the common-code counts to `corpus`: only documents added or removed since the last run are counted. */
  private async count(corpus: NonNullable<JudgeContext['corpus']>, wanted: Set<string>): Promise<void> {
    const { cache } = this;
    const now = new Map<string, { n: number; source: string; language: LanguageId }>();
    for (const d of corpus) {
      const key = this.keyOf(d.source, d.language);
      const e = now.get(key);
      if (e) e.n++;
      else now.set(key, { n: 1, source: d.source, language: d.language });
    }
    for (const [key, c] of [...cache.common.counted]) {
      const n = now.get(key)?.n ?? 0;
      if (n < c.n) {
        cache.docKeys.set(key, c.keys);
        cache.common.add(key, c.keys, n - c.n);
        cache.stats.commonUpdates++;
      }
    }
    // Documents new to the counts and not seen recently: their stored keys if the store has them, else
    // parsed on the worker threads, a chunk at a time (each chunk's results go into the counts and caches
    // at once, so they are never all held together).
    let todo = [...now].filter(([key, d]) => d.n > (cache.common.counted.get(key)?.n ?? 0) && !cache.docKeys.has(key));
    const { store } = this;
    if (store) {
      todo = todo.filter(([key, d]) => {
        const keys = store.getKeys(key);
        if (!keys) return true;
        cache.docKeys.set(key, keys);
        cache.common.add(key, keys, d.n - (cache.common.counted.get(key)?.n ?? 0));
        cache.stats.commonUpdates++;
        cache.stats.keysLoaded++;
        return false;
      });
    }
    // Then the keys the comparison made from its own parse of the file (its record), unless the file is
    // to be analysed now: that parse gives its keys too.
    const { known } = this;
    if (known) {
      todo = todo.filter(([key, d]) => {
        const keys = known.judgeKeys.get(key);
        if (!keys || (wanted.has(key) && !cache.analyses.has(key))) return true;
        cache.docKeys.set(key, keys);
        store?.putKeys(key, keys);
        cache.common.add(key, keys, d.n - (cache.common.counted.get(key)?.n ?? 0));
        cache.stats.commonUpdates++;
        cache.stats.keysFromRecords++;
        return false;
      });
    }
    for (let c0 = 0; c0 < todo.length; c0 += WORK_CHUNK) {
      const chunk = todo.slice(c0, c0 + WORK_CHUNK);
      const done = await fileWorkAll(chunk.map(([key, d]) => ({ source: d.source, language: d.language, analyse: wanted.has(key) && !cache.analyses.has(key) })), this.workers);
      chunk.forEach(([key, d], i) => {
        const work = done[i]!;
        cache.docKeys.set(key, work.keys);
        store?.putKeys(key, work.keys);
        if (work.analysis && !cache.analyses.has(key)) cache.analyses.set(key, work.analysis);
        cache.common.add(key, work.keys, d.n - (cache.common.counted.get(key)?.n ?? 0));
        cache.stats.commonUpdates++;
      });
    }
    cache.stats.tokenized += todo.length;
    store?.saveKeys(new Set(now.keys()));
    for (const [key, d] of now) {
      const have = cache.common.counted.get(key)?.n ?? 0;
      if (d.n <= have) continue;
      const keys = cache.docKeys.get(key);
      if (!keys) throw new Error('local judge: no keys for a counted document');
      cache.common.add(key, keys, d.n - have);
      cache.stats.commonUpdates++;
    }
  }

  /** Analyses of the files of pairs without a standing verdict that are not kept yet, on the worker threads. */
  private async prefetch(pairs: JudgePairInput[]): Promise<void> {
    const todo = new Map<string, { source: string; language: LanguageId }>();
    for (const p of pairs) {
      const k1 = this.keyOf(p.source1, p.language1);
      const k2 = this.keyOf(p.source2, p.language2);
      if (this.standing(verdictKey(k1, k2, p.similarity_score), k1, k2)) continue;
      if (!this.cache.analyses.has(k1)) todo.set(k1, { source: p.source1, language: p.language1 });
      if (!this.cache.analyses.has(k2)) todo.set(k2, { source: p.source2, language: p.language2 });
    }
    const all = [...todo];
    for (let c0 = 0; c0 < all.length; c0 += WORK_CHUNK) {
      const chunk = all.slice(c0, c0 + WORK_CHUNK);
      const done = await fileWorkAll(chunk.map(([, d]) => ({ ...d, analyse: true })), this.workers);
      chunk.forEach(([key], i) => {
        const r = done[i]!;
        if (!this.cache.docKeys.has(key)) this.cache.docKeys.set(key, r.keys);
        this.cache.analyses.set(key, r.analysis!);
      });
    }
    this.cache.stats.tokenized += all.length;
  }

  private tokenize(source: string, language: LanguageId): Promise<TokenizedFile> {
    this.cache.stats.tokenized++;
    return tokenize(source, language);
  }

  private analyse(key: string, source: string, language: LanguageId): Promise<FileAnalysis> {
    const hit = this.cache.analyses.get(key);
    if (hit) return Promise.resolve(hit);
    let p = this.pending.get(key);
    if (!p) {
      p = this.tokenize(source, language).then((tf) => analysed(tf, source));
      p.then((a) => this.cache.analyses.set(key, a), () => undefined).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  /**
   * A file's digest under the current explained code without its analysis: the one kept from before,
   * or one from its keys when they are known (counted documents: always, once there is common code).
   */
  private knownDigest(key: string): string | undefined {
    const kept = this.cache.digestOf(key);
    if (kept !== undefined) return kept;
    const keys = this.cache.common.counted.get(key)?.keys ?? this.cache.docKeys.get(key);
    if (!keys) return undefined;
    const d = { gen: this.cache.explainedGen, value: keysDigest(keys, this.explained) };
    this.cache.digests.set(key, d);
    return d.value;
  }

  /** A verdict that stands for this pair key and these digests: kept in memory, or stored on disk. */
  private standingVerdict(key: string, d1: string, d2: string): Verdict | undefined {
    const hit = this.cache.getVerdict(key, d1, d2);
    if (hit) return hit;
    const stored = this.store?.verdict(key, d1, d2);
    if (!stored) return undefined;
    this.cache.putVerdict(key, d1, d2, stored);
    this.cache.stats.verdictHits++;
    this.cache.stats.verdictsLoaded++;
    return { ...stored };
  }

  /** Whether a pair's verdict stands without analysing its files (no stats counted). */
  private standing(key: string, k1: string, k2: string): boolean {
    const d1 = this.knownDigest(k1);
    const d2 = this.knownDigest(k2);
    if (d1 === undefined || d2 === undefined) return false;
    return this.cache.hasVerdict(key, k1, k2) || !!this.store?.verdict(key, d1, d2);
  }

  private digest(key: string, a: FileAnalysis): string {
    const known = this.knownDigest(key);
    if (known !== undefined) return known;
    const gen = this.cache.explainedGen;
    if (a.digest?.gen !== gen) {
      const kept = this.cache.digests.get(key);
      a.digest = kept?.gen === gen ? kept : { gen, value: explainedDigest(a, this.explained) };
    }
    this.cache.digests.set(key, a.digest);
    return a.digest.value;
  }

  async evidence(pair: JudgePairInput): Promise<PairEvidence> {
    const [a, b] = await Promise.all([
      this.analyse(this.keyOf(pair.source1, pair.language1), pair.source1, pair.language1),
      this.analyse(this.keyOf(pair.source2, pair.language2), pair.source2, pair.language2),
    ]);
    return pairEvidence(a, b, this.explained);
  }

  async judge(pair: JudgePairInput): Promise<Verdict> {
    const k1 = this.keyOf(pair.source1, pair.language1);
    const k2 = this.keyOf(pair.source2, pair.language2);
    // Everything the verdict depends on: both contents, the score, and what the context explains in each file.
    const key = verdictKey(k1, k2, pair.similarity_score);
    // Digests known without the analyses (they may be gone since the last run): a standing verdict needs no parse.
    const known1 = this.knownDigest(k1);
    const known2 = this.knownDigest(k2);
    const early = known1 !== undefined && known2 !== undefined ? this.standingVerdict(key, known1, known2) : undefined;
    if (early) return this.keep(key, known1!, known2!, early);
    const [a, b] = await Promise.all([this.analyse(k1, pair.source1, pair.language1), this.analyse(k2, pair.source2, pair.language2)]);
    const d1 = this.digest(k1, a);
    const d2 = this.digest(k2, b);
    const hit = this.cache.getVerdict(key, d1, d2);
    if (hit) return this.keep(key, d1, d2, hit);
    const v = decide(pairEvidence(a, b, this.explained), pair.similarity_score);
    this.cache.stats.verdictsComputed++;
    this.computed = true;
    this.cache.putVerdict(key, d1, d2, v);
    return this.keep(key, d1, d2, v);
  }

  private keep(key: string, d1: string, d2: string, v: Verdict): Verdict {
    // Only digests from keys can be checked by a later process without parsing.
    if (d1.startsWith('k:') && d2.startsWith('k:')) this.judged.push([key, d1, d2, { ...v }]);
    return v;
  }

  /** The end of a run: its verdicts go to the store if any was computed anew (else what is stored stands). */
  persist(): void {
    if (this.store && this.computed) this.store.saveVerdicts(this.judged);
  }
}

const verdictKey = (k1: string, k2: string, score: number) => `${k1}|${k2}|${score}`;

export function copyEvidence(e: PairEvidence): number {
  return Math.max(e.runs, e.lines, e.names, e.sharedComments >= 2 ? 0.8 : 0);
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function decide(e: PairEvidence, score: number): Verdict {
  const T = LOCAL_THRESHOLDS;
  const copy = copyEvidence(e);
  const facts = `shared runs ${pct(e.shared)} of tokens, template/common ${pct(e.templateShare)} of that; long identical runs ${pct(e.runs)}, ` +
    `identical lines ${pct(e.lines)}, distinctive names ${e.names < 0 ? 'too few' : pct(e.names)}, shared comments ${e.sharedComments}` +
    (e.algorithms.length ? `; both implement ${e.algorithms.join(', ')} (${pct(e.algorithmShare)} of the unexplained overlap)` : '');
  const v = (classification: Classification, confidence: Confidence, why: string, algorithm: string | null = null): Verdict => ({
    classification, confidence, algorithm_detected: algorithm, reasoning: `${why} (${facts}).`, source: 'local',
  });
  const alg = e.algorithms.length ? e.algorithms.join(', ') : null;

  if (e.shared > 0 && e.templateShare >= T.template && copy < T.copy) {
    return v('TEMPLATE_OR_BOILERPLATE', e.templateShare >= 0.9 ? 'HIGH' : 'MEDIUM', 'The overlap is mostly template or code common to many files');
  }
  if (copy >= T.copy) {
    return v('LIKELY_COPY', copy >= 0.8 ? 'HIGH' : 'MEDIUM', 'Copy-specific evidence beyond shared structure', alg);
  }
  if (alg && e.algorithmShare >= T.algorithm) {
    return v('STANDARD_ALGORITHM', e.algorithmShare >= 0.8 && copy < 0.3 ? 'HIGH' : 'MEDIUM', 'The shared structure is a standard algorithm both files implement', alg);
  }
  if (copy >= T.weakCopy || score >= T.nearIdentical) {
    return v('LIKELY_COPY', 'LOW', 'Some copy-specific evidence and no standard or template explanation', alg);
  }
  return v('STANDARD_ALGORITHM', 'LOW', 'No copy-specific evidence beyond common structure; judged conservatively', alg);
}
