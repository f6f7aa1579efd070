// The judge for one analysis: pairs at or above the threshold get a verdict (local, or Gemini after
// the local pre-filter), a refined risk level, and the report an `llm_summary`.
import type { WorkerCount } from '../core/workerPool';
import { CallBudget, CallCapError, GeminiJudge, TimeLimitError } from './gemini/geminiJudge';
import { redactVerdict } from './gemini/redact';
import { DEFAULT_GEMINI_MODEL, PROMPT_VERSION } from './gemini/prompt';
import { VerdictCache, verdictKey } from './cache';
import { LocalJudgeCache } from './local/cache';
import { DOC_KEYS_VERSION } from './local/context';
import { LocalJudgeStore } from './local/diskStore';
import { LOCAL_JUDGE_VERSION, LocalJudge } from './local/localJudge';
import { refine } from './refine';
import { mapLimit } from './retry';
import { summarize } from './summary';
import type { JudgeContext, JudgedPair, JudgePairInput, JudgeProvider, LlmSummary, Verdict } from './types';
import { SETTINGS_DEFAULTS } from '../../../protocol/config';

export const JUDGE_DEFAULTS = {
  threshold: SETTINGS_DEFAULTS.judge.threshold,
  maxCalls: SETTINGS_DEFAULTS.judge.maxCalls,
  concurrency: SETTINGS_DEFAULTS.judge.concurrency,
  timeoutMs: SETTINGS_DEFAULTS.judge.timeoutSeconds * 1000,
  maxRetries: 4,
  backoffBaseMs: 1000,
  backoffMaxMs: 30_000,
  /** All Gemini requests of one analysis together (retries and backoff included). */
  totalTimeoutMs: 300_000,
} as const;

export interface JudgeOptions {
  provider: JudgeProvider;
  /** Pairs with at least this structural score are judged (`codeOrigin.judge.threshold`). */
  threshold?: number;
  model?: string;
  /** Gemini requests per analysis, retries and repairs included. */
  maxCalls?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * Overall limit on the Gemini part of one analysis: when it fires, requests in flight are aborted,
   * verdicts obtained so far are kept and the other pairs keep the local verdict, marked unjudged.
   */
  totalTimeoutMs?: number;
  /** Where the key comes from: SecretStorage in the editor, GEMINI_API_KEY in the CLI. */
  apiKey?: () => Promise<string | undefined> | string | undefined;
  /** Asked once before the first Gemini call; false keeps the local verdicts. */
  consent?: () => Promise<boolean> | boolean;
  /** sql.js verdict cache file. */
  cachePath?: string;
  /** Template and the analysis's other documents, for the local judge. */
  context?: JudgeContext;
  /**
   * The local judge's per-file work, common-code counts and verdicts, kept by a caller that judges
   * the same files again (the language server). Verdicts are the same with or without it.
   */
  localCache?: LocalJudgeCache;
  /**
   * Folder keeping the local judge's per-document keys and verdicts between processes (diskStore.ts);
   * `judgeReport` puts it beside the comparison's feature cache (`cachePath` + `.judge`), if it has one.
   */
  storeDir?: string;
  /** Worker threads for the local judge's per-file work (0: this thread; `judgeReport` takes the comparison's). */
  workers?: WorkerCount;
  /** Skip Gemini where the local judge is already sure (default true). */
  prefilter?: boolean;
  log?: (message: string) => void;
  /** Tests: deterministic jitter. */
  random?: () => number;
}

export class JudgeConfigError extends Error {}

export interface JudgeOutcome {
  enabled: boolean;
  /** Per input pair, undefined where not judged (below the threshold, or judge off). */
  results: Array<JudgedPair | undefined>;
  summary: LlmSummary;
}

/** Where the local verdict is sure enough that Gemini is not asked. */
export function localIsDecisive(v: Verdict, score: number): boolean {
  if (v.confidence !== 'HIGH') return false;
  if (v.classification === 'LIKELY_COPY') return score >= 0.95;
  return true;
}

export async function judgePairs(pairs: JudgePairInput[], opts: JudgeOptions): Promise<JudgeOutcome> {
  const threshold = opts.threshold ?? JUDGE_DEFAULTS.threshold;
  const model = opts.provider === 'gemini' ? opts.model ?? DEFAULT_GEMINI_MODEL : undefined;
  const results: Array<JudgedPair | undefined> = new Array(pairs.length).fill(undefined);
  const stats = { geminiCalls: 0, cacheHits: 0, localFallbacks: 0, notes: [] as string[] };
  if (opts.provider === 'off') return { enabled: false, results, summary: summarize(results, 'off', undefined, stats) };

  const selected = pairs.map((p, i) => (p.similarity_score >= threshold ? i : -1)).filter((i) => i >= 0);
  const verdicts = new Map<number, Verdict>();
  const cache = opts.localCache ?? new LocalJudgeCache();
  const store = opts.storeDir ? new LocalJudgeStore(opts.storeDir, `${DOC_KEYS_VERSION}|${LOCAL_VERSION}`) : undefined;
  await cache.exclusive(async () => {
    try {
      const local = await LocalJudge.create(opts.context, cache, selected.map((i) => pairs[i]!), opts.workers ?? 0, store);
      for (const i of selected) verdicts.set(i, await local.judge(pairs[i]!));
      local.persist();
    } finally {
      cache.endRun();
      for (const w of store?.warnings ?? []) opts.log?.(`warning: ${w}`);
    }
  });

  if (opts.provider === 'gemini' && selected.length > 0) {
    await askGemini(pairs, selected, verdicts, opts, model!, stats);
  }
  for (const i of selected) {
    const v = verdicts.get(i)!;
    results[i] = { llm_verdict: v, refined_verdict: refine(v, pairs[i]!.similarity_score) };
  }
  return { enabled: true, results, summary: summarize(results, opts.provider, model, stats) };
}

async function askGemini(
  pairs: JudgePairInput[], selected: number[], verdicts: Map<number, Verdict>, opts: JudgeOptions, model: string,
  stats: { geminiCalls: number; cacheHits: number; localFallbacks: number; notes: string[] },
): Promise<void> {
  const version = `gemini-p${PROMPT_VERSION}`;
  const cache = opts.cachePath ? await VerdictCache.open(opts.cachePath) : undefined;
  try {
    const todo: number[] = [];
    for (const i of selected) {
      const p = pairs[i]!;
      const hit = cache?.get(verdictKey(p.source1, p.source2, model, version));
      if (hit) verdicts.set(i, hit);
      else if (opts.prefilter !== false && localIsDecisive(verdicts.get(i)!, p.similarity_score)) stats.localFallbacks++;
      else todo.push(i);
    }
    stats.cacheHits = cache?.hits ?? 0;
    if (todo.length === 0) return;

    const key = await opts.apiKey?.();
    if (!key) throw new JudgeConfigError('the Gemini judge needs an API key (GEMINI_API_KEY for the CLI, "Code Origin: Set Gemini API Key" in the editor)');
    if (opts.consent && !(await opts.consent())) {
      stats.localFallbacks += todo.length;
      stats.notes.push('sending code to Google was declined; local verdicts kept');
      for (const i of todo) verdicts.set(i, { ...verdicts.get(i)!, error: 'consent to send code to Google declined' });
      return;
    }
    const maxCalls = opts.maxCalls ?? JUDGE_DEFAULTS.maxCalls;
    const budget = new CallBudget(maxCalls);
    const gemini = new GeminiJudge({
      apiKey: key, model, timeoutMs: opts.timeoutMs ?? JUDGE_DEFAULTS.timeoutMs, maxRetries: opts.maxRetries ?? JUDGE_DEFAULTS.maxRetries,
      backoffBaseMs: opts.backoffBaseMs ?? JUDGE_DEFAULTS.backoffBaseMs, backoffMaxMs: opts.backoffMaxMs ?? JUDGE_DEFAULTS.backoffMaxMs,
      log: opts.log, random: opts.random,
    });
    // Highest scores first, so the cap leaves out the least suspicious pairs.
    todo.sort((x, y) => pairs[y]!.similarity_score - pairs[x]!.similarity_score);
    let capped = 0;
    let late = 0;
    const limitMs = opts.totalTimeoutMs ?? JUDGE_DEFAULTS.totalTimeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), limitMs);
    const limitText = `${+(limitMs / 1000).toFixed(3)} s`;
    try {
      await mapLimit(todo, opts.concurrency ?? JUDGE_DEFAULTS.concurrency, async (i) => {
        const p = pairs[i]!;
        let v: Verdict;
        try {
          if (deadline.signal.aborted) throw new TimeLimitError('judge time limit reached');
          v = await gemini.judge(p, budget, deadline.signal);
        } catch (e) {
          if (e instanceof TimeLimitError) {
            late++;
            verdicts.set(i, { ...verdicts.get(i)!, error: `not judged by Gemini: the judge time limit (${limitText}) was reached; local verdict` });
            return;
          }
          if (!(e instanceof CallCapError)) throw e;
          capped++;
          verdicts.set(i, { ...verdicts.get(i)!, error: `Gemini call cap (${maxCalls}) reached; local verdict` });
          return;
        }
        verdicts.set(i, v);
        if (v.classification !== 'UNKNOWN') cache?.put(verdictKey(p.source1, p.source2, model, version), v);
      });
    } finally {
      clearTimeout(timer);
    }
    stats.geminiCalls = budget.used;
    stats.localFallbacks += capped + late;
    if (capped > 0) stats.notes.push(`Gemini call cap of ${maxCalls} reached: ${capped} pairs keep the local verdict`);
    if (late > 0) {
      const note = `judge time limit of ${limitText} reached: ${late} of ${todo.length} pairs were not judged by Gemini and keep the local verdict`;
      stats.notes.push(note);
      opts.log?.(`warning: ${note}`);
    }
    // Verdicts from the cache too: one written before redaction existed must not bring the key back.
    for (const i of selected) verdicts.set(i, redactVerdict(verdicts.get(i)!, gemini.redact));
    cache?.save();
  } finally {
    cache?.close();
    for (const w of cache?.warnings ?? []) opts.log?.(`warning: ${w}`);
  }
}

/** The local judge's own cache version, for callers that cache local verdicts. */
export const LOCAL_VERSION = `local-v${LOCAL_JUDGE_VERSION}`;
