// `codeOrigin.judge.*`: which judge runs after each analysis, and its limits.
import { DEFAULT_GEMINI_MODEL, JUDGE_DEFAULTS, JUDGE_PROVIDERS, type JudgeProvider } from '../../judge';

export interface JudgeSettings {
  provider: JudgeProvider;
  model: string;
  threshold: number;
  maxCalls: number;
  concurrency: number;
  timeoutMs: number;
}

export const DEFAULT_JUDGE_SETTINGS: JudgeSettings = {
  provider: 'local',
  model: DEFAULT_GEMINI_MODEL,
  threshold: JUDGE_DEFAULTS.threshold,
  maxCalls: JUDGE_DEFAULTS.maxCalls,
  concurrency: JUDGE_DEFAULTS.concurrency,
  timeoutMs: JUDGE_DEFAULTS.timeoutMs,
};

/** Reads the `judge` section of the `codeOrigin` settings object; malformed values keep their defaults. */
export function readJudgeSettings(codeOrigin: unknown): JudgeSettings {
  const root = (codeOrigin && typeof codeOrigin === 'object' ? codeOrigin : {}) as Record<string, unknown>;
  const j = (root.judge && typeof root.judge === 'object' ? root.judge : {}) as Record<string, unknown>;
  const d = DEFAULT_JUDGE_SETTINGS;
  const int = (v: unknown, min: number, def: number) => (typeof v === 'number' && Number.isInteger(v) && v >= min ? v : def);
  return {
    provider: (JUDGE_PROVIDERS as readonly unknown[]).includes(j.provider) ? (j.provider as JudgeProvider) : d.provider,
    model: typeof j.model === 'string' && j.model.trim() ? j.model.trim() : d.model,
    threshold: typeof j.threshold === 'number' && j.threshold >= 0 && j.threshold <= 1 ? j.threshold : d.threshold,
    maxCalls: int(j.maxCalls, 0, d.maxCalls),
    concurrency: int(j.concurrency, 1, d.concurrency),
    timeoutMs: typeof j.timeoutSeconds === 'number' && j.timeoutSeconds > 0 ? Math.round(j.timeoutSeconds * 1000) : d.timeoutMs,
  };
}
