// `llm_summary`: how many pairs were judged and how they came out.
import type { JudgedPair, JudgeProvider, LlmSummary, RiskLevel, VerdictClassification } from './types';

export function summarize(
  results: Array<JudgedPair | undefined>, provider: JudgeProvider, model: string | undefined,
  stats: { geminiCalls: number; cacheHits: number; localFallbacks: number; notes: string[] },
): LlmSummary {
  const classes: Record<VerdictClassification, number> = { STANDARD_ALGORITHM: 0, TEMPLATE_OR_BOILERPLATE: 0, LIKELY_COPY: 0, UNKNOWN: 0 };
  const risks: Record<RiskLevel, number> = { NONE: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
  let n = 0;
  for (const r of results) {
    if (!r) continue;
    n++;
    classes[r.llm_verdict.classification]++;
    risks[r.refined_verdict.refined_risk_level]++;
  }
  return {
    provider,
    ...(model ? { model } : {}),
    pairs_evaluated_by_llm: n,
    classification_breakdown: classes,
    risk_level_breakdown: risks,
    likely_copy_count: classes.LIKELY_COPY,
    standard_algorithm_count: classes.STANDARD_ALGORITHM,
    template_count: classes.TEMPLATE_OR_BOILERPLATE,
    unknown_count: classes.UNKNOWN,
    gemini_calls: stats.geminiCalls,
    cache_hits: stats.cacheHits,
    local_fallbacks: stats.localFallbacks,
    notes: stats.notes,
  };
}
