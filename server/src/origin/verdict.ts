// Three-way verdicts from a raw p(LLM): `llm` only above a threshold chosen for a low false-positive rate on
// human code, `human` only below one where the evidence is strong the other way, `inconclusive` between
// them and for languages the model was never evaluated on. Confidence is calibrated (isotonic, from
// leave-one-source-out predictions) and never shown as 0% or 100%.
// Pure functions over the manifest's `verdict` block: the CLI, the model and the language server share them.

import type { LanguageRates, VerdictPolicy } from '../../../protocol/records';

// Probabilities as people should read them (whole percent, never 0% or 100%), and the model's
// verdict block: shared with the extension through protocol/records.ts.
export { aboutPercent, shownPercent, type LanguageRates, type VerdictPolicy } from '../../../protocol/records';

export type OriginLabel = 'human' | 'llm' | 'inconclusive';

export interface VerdictOptions {
  /** The document's language ('unknown' when not known). */
  language?: string;
  /** Give verdicts for languages outside evaluated_languages too (setting / CLI flag). */
  unevaluatedLanguages?: boolean;
  /** A user threshold for `llm` (codeOrigin.origin.threshold) instead of the manifest's. */
  llmThreshold?: number;
  /** Model tokens of the text: under the model's `minTokens`, no verdict. */
  tokens?: number;
}

export interface Verdict {
  label: OriginLabel;
  /** Raw p(LLM) from the model (after temperature), as aggregated. */
  p_llm: number;
  /** Calibrated P(llm). */
  p_calibrated: number;
  /** Calibrated probability of the stated verdict: P(llm) for llm, 1 − P(llm) for human, P(llm) when inconclusive. */
  confidence: number;
  /** Why the verdict is inconclusive. */
  reason?: string;
}

export function legacyPolicy(threshold: number): VerdictPolicy {
  return { llmThreshold: threshold, humanThreshold: threshold, perLanguage: {}, legacy: true };
}

const LANGUAGE_NAMES: Record<string, string> = {
  python: 'Python', javascript: 'JavaScript', typescript: 'TypeScript', tsx: 'TypeScript (TSX)', java: 'Java',
  c: 'C', cpp: 'C++', go: 'Go', rust: 'Rust', php: 'PHP', csharp: 'C#', ruby: 'Ruby', unknown: 'an unknown language',
};

export function languageName(language: string): string {
  return LANGUAGE_NAMES[language] ?? language;
}

/** tsx is TypeScript for evaluation purposes: the manifest lists languages as the training data names them. */
function evaluationKey(language: string): string {
  return language === 'tsx' ? 'typescript' : language;
}

export function isEvaluated(policy: VerdictPolicy, language: string | undefined): boolean {
  if (!policy.evaluatedLanguages) return true;
  return policy.evaluatedLanguages.includes(evaluationKey(language ?? 'unknown'));
}

/** Rates measured for the language (or overall when the manifest has none for it). */
export function ratesFor(policy: VerdictPolicy, language: string | undefined): (LanguageRates & { overall: boolean }) | undefined {
  const r = policy.perLanguage[evaluationKey(language ?? 'unknown')];
  if (r) return { ...r, overall: false };
  if (policy.fpr !== undefined) return { fpr: policy.fpr, tpr: policy.tpr ?? NaN, overall: true };
  return undefined;
}

/** Piecewise-linear interpolation through the calibration points, flat beyond the ends; identity without one. */
export function calibrate(policy: VerdictPolicy, p: number): number {
  const c = policy.calibration;
  if (!c) return p;
  const { x, y } = c;
  if (p <= x[0]!) return y[0]!;
  if (p >= x[x.length - 1]!) return y[y.length - 1]!;
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= p) lo = mid;
    else hi = mid;
  }
  const span = x[hi]! - x[lo]!;
  return span > 0 ? y[lo]! + ((p - x[lo]!) / span) * (y[hi]! - y[lo]!) : y[hi]!;
}

/**
 * The `llm` threshold that applies: the user's, else the language's own (set where the language's human
 * code of unseen sources needs a stricter one to stay at the model's false-positive rate), else the model's.
 */
export function llmThresholdFor(policy: VerdictPolicy, language: string | undefined, user?: number): number {
  return user ?? policy.perLanguage[evaluationKey(language ?? 'unknown')]?.llm_threshold ?? policy.llmThreshold;
}

/**
 * The `llm` threshold for one of `units` functions judged in a file: the file's rate is shared among them,
 * so the threshold rises along the language's LOSO curve until a function's rate is at most the file's
 * divided by their number (the curve's last point at most). The user's threshold, where set, wins.
 */
export function unitThresholdFor(policy: VerdictPolicy, language: string | undefined, units: number, user?: number): number {
  const base = llmThresholdFor(policy, language, user);
  const r = policy.perLanguage[evaluationKey(language ?? 'unknown')];
  if (user !== undefined || !r?.fpr_curve || units <= 1) return base;
  const target = r.fpr / units;
  let t = base;
  for (const [rate, threshold] of r.fpr_curve) {
    t = Math.max(t, threshold);
    if (rate <= target) break;
  }
  return t;
}

/** A function's verdict among `units` judged in its file (unitThresholdFor), saying why when the share made it inconclusive. */
export function decideUnit(policy: VerdictPolicy, p: number, units: number, o: VerdictOptions = {}): Verdict {
  const t = unitThresholdFor(policy, o.language, units, o.llmThreshold);
  const v = decide(policy, p, { ...o, llmThreshold: t });
  if (v.label === 'inconclusive' && v.reason?.startsWith('between thresholds') && p >= llmThresholdFor(policy, o.language, o.llmThreshold)) {
    return { ...v, reason: `one of ${units} functions judged in this file, each needs p(LLM) ≥ ${t.toFixed(3)} so that a human file's functions together are flagged no more often than a file` };
  }
  return v;
}

/** The fewest model tokens a text needs for a verdict: the model's (chosen on LOSO predictions), never below `floor`. */
export function minTokensOf(policy: VerdictPolicy, floor = 0): number {
  return Math.max(floor, policy.minTokens ?? 0);
}

export function decide(policy: VerdictPolicy, p: number, o: VerdictOptions = {}): Verdict {
  const pc = calibrate(policy, p);
  const llmT = llmThresholdFor(policy, o.language, o.llmThreshold);
  // A user threshold below the manifest's human threshold would make both verdicts overlap.
  const humanT = Math.min(policy.humanThreshold, llmT);
  if (!o.unevaluatedLanguages && !isEvaluated(policy, o.language)) {
    const lang = o.language ?? 'unknown';
    const reason = lang === 'unknown' ? 'language unknown, and the model is evaluated per language' : `not evaluated for ${languageName(lang)}`;
    return { label: 'inconclusive', p_llm: p, p_calibrated: pc, confidence: pc, reason };
  }
  if (o.tokens !== undefined && o.tokens < minTokensOf(policy)) {
    return { label: 'inconclusive', p_llm: p, p_calibrated: pc, confidence: pc, reason: `too short to judge: ${o.tokens} tokens (verdicts hold from ${minTokensOf(policy)})` };
  }
  if (p >= llmT) return { label: 'llm', p_llm: p, p_calibrated: pc, confidence: pc };
  // Legacy folders are two-way: everything under the threshold is human, as before. A human threshold
  // of 0 means the model never says `human` (no p(LLM) was evidence enough on unseen sources).
  if (policy.legacy ? p < llmT : humanT > 0 && p <= humanT) return { label: 'human', p_llm: p, p_calibrated: pc, confidence: 1 - pc };
  return { label: 'inconclusive', p_llm: p, p_calibrated: pc, confidence: pc, reason: 'between thresholds: the evidence is not strong either way' };
}


/** How the `human` verdict is given, for hovers and reports: its threshold, or that the model never gives it. */
export function humanRuleText(policy: VerdictPolicy): string {
  return policy.humanThreshold > 0
    ? `human at or below ${Number(policy.humanThreshold.toPrecision(2))}`
    : 'never human (no score was evidence enough for it on code from sources the model never saw)';
}

/** "1 in 110" for a false-positive rate; "fewer than 1 in N" when none was seen among N human files. */
export function oneIn(fpr: number, nHuman?: number): string {
  if (!(fpr > 0)) return nHuman ? `none of ${nHuman}` : 'almost none';
  const n = 1 / fpr;
  const rounded = n >= 100 ? Math.round(n / 10) * 10 : n >= 10 ? Math.round(n) : Math.round(n * 10) / 10;
  return `about 1 in ${rounded}`;
}
