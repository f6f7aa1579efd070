// The `codeOrigin.origin.*` settings: read by ../settings.ts into ServerSettings.origin.
import { SETTINGS_DEFAULTS } from '../../../../protocol/config';
import { SEVERITIES } from '../severity';
import { readLanguages, readSeverity } from '../settingValues';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { LanguageId } from '../../core/languages';

export interface OriginSettings {
  enabled: boolean;
  /** A model folder that overrides the shipped one (e.g. a full CodeBERT export); '' for the default. */
  modelPath: string;
  severity: DiagnosticSeverity;
  /** p(LLM) at or above which a unit gets a diagnostic; undefined uses the manifest's threshold. */
  threshold?: number;
  enabledLanguages: LanguageId[];
  /** Units with fewer model tokens get "too short to judge". */
  minTokens: number;
  /** Windows classified per file or unit; longer texts are judged on their first windows and say so. */
  maxWindows: number;
  /** Quiet time after an edit before a document is re-judged. */
  debounceMs: number;
  /** Integrated Gradients steps. */
  steps: number;
  /** Windows explained by Explain Origin on a whole file (IG costs about a second per window). */
  explainMaxWindows: number;
  codeLens: boolean;
  /** Verdicts for languages the model has no LLM evaluation data for (off: those get "inconclusive, not evaluated"). */
  unevaluatedLanguages: boolean;
}

/** protocol/config.ts's defaults, as the server holds them. */
const o = SETTINGS_DEFAULTS.origin;
export const DEFAULT_ORIGIN_SETTINGS: OriginSettings = {
  enabled: o.enabled,
  modelPath: o.modelPath,
  severity: SEVERITIES[o.severity],
  threshold: o.threshold ?? undefined,
  enabledLanguages: [...o.enabledLanguages],
  minTokens: o.minTokens,
  maxWindows: o.maxWindows,
  debounceMs: o.debounceMs,
  steps: o.steps,
  explainMaxWindows: o.explainMaxWindows,
  codeLens: o.codeLens,
  unevaluatedLanguages: o.unevaluatedLanguages,
};

export function readOriginSettings(raw: unknown): OriginSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const d = DEFAULT_ORIGIN_SETTINGS;
  const int = (v: unknown, def: number, min: number, max: number) =>
    (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? Math.floor(v) : def);
  return {
    enabled: typeof s.enabled === 'boolean' ? s.enabled : d.enabled,
    modelPath: typeof s.modelPath === 'string' ? s.modelPath.trim() : d.modelPath,
    severity: readSeverity(s.severity, d.severity),
    threshold: typeof s.threshold === 'number' && s.threshold > 0 && s.threshold < 1 ? s.threshold : undefined,
    enabledLanguages: readLanguages(s.enabledLanguages, d.enabledLanguages),
    minTokens: int(s.minTokens, d.minTokens, 1, 4096),
    maxWindows: int(s.maxWindows, d.maxWindows, 1, 256),
    debounceMs: int(s.debounceMs, d.debounceMs, 0, 60_000),
    steps: int(s.steps, d.steps, 2, 512),
    explainMaxWindows: int(s.explainMaxWindows, d.explainMaxWindows, 1, 64),
    codeLens: typeof s.codeLens === 'boolean' ? s.codeLens : d.codeLens,
    unevaluatedLanguages: typeof s.unevaluatedLanguages === 'boolean' ? s.unevaluatedLanguages : d.unevaluatedLanguages,
  };
}
