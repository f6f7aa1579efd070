// The refined verdict: the judge's classification combined with the structural score into a risk level.
// Standard algorithm → NONE, template → LOW, copy → MEDIUM / HIGH / CRITICAL by score band.
import type { Confidence, RefinedVerdict, RiskLevel, Verdict } from './types';

/** Lower edges of the copy bands (inclusive). */
export const RISK_BANDS = { high: 0.85, critical: 0.95 } as const;

/** Risk of a likely copy (or of a pair the judge could not classify) from its structural score. */
export function copyRisk(score: number): RiskLevel {
  if (score >= RISK_BANDS.critical) return 'CRITICAL';
  if (score >= RISK_BANDS.high) return 'HIGH';
  return 'MEDIUM';
}

export function riskLevel(v: Pick<Verdict, 'classification'>, score: number): RiskLevel {
  switch (v.classification) {
    case 'STANDARD_ALGORITHM': return 'NONE';
    case 'TEMPLATE_OR_BOILERPLATE': return 'LOW';
    // The judge failed: keep the structural risk rather than hide it.
    case 'LIKELY_COPY': case 'UNKNOWN': return copyRisk(score);
  }
}

const RECOMMENDATIONS: Record<RiskLevel, string> = {
  NONE: 'No action: the overlap is a standard algorithm that independent solutions share.',
  LOW: 'No action needed: the overlap is template or boilerplate code.',
  MEDIUM: 'Review the matching regions; the overlap goes beyond standard or template code.',
  HIGH: 'Manual review recommended: substantial copied structure.',
  CRITICAL: 'Investigate: the files are near-identical in structure.',
};

export function refine(v: Verdict, score: number): RefinedVerdict {
  const level = riskLevel(v, score);
  const unknown = v.classification === 'UNKNOWN';
  return {
    refined_classification: v.classification,
    refined_risk_level: level,
    original_structural_score: score,
    llm_confidence: v.confidence as Confidence,
    algorithm_detected: v.algorithm_detected,
    reasoning: v.reasoning,
    recommendation: unknown ? `The judge gave no verdict (${v.error ?? 'unknown error'}); risk is from the structural score. ${RECOMMENDATIONS[level]}` : RECOMMENDATIONS[level],
  };
}

/** "Flag as copy": what the judge leaves at MEDIUM risk or above. */
export function isFlagged(level: RiskLevel): boolean {
  return level === 'MEDIUM' || level === 'HIGH' || level === 'CRITICAL';
}
