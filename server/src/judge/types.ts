// Shapes shared by the semantic judge: what it is given (pairs with their sources) and what it returns
// (the verdict on each pair, the refined risk level, and the summary the report gains).
import type { LanguageId } from '../core/languages';
import type { JudgeProvider } from '../../../protocol/config';

export const CLASSIFICATIONS = ['STANDARD_ALGORITHM', 'TEMPLATE_OR_BOILERPLATE', 'LIKELY_COPY'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
/** A verdict that could not be obtained (network failure, blocked response, unreadable reply). */
export type VerdictClassification = Classification | 'UNKNOWN';
export const CONFIDENCES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
export type RiskLevel = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export { JUDGE_PROVIDERS, type JudgeProvider } from '../../../protocol/config';

/** `llm_verdict` on a pair. */
export interface Verdict {
  classification: VerdictClassification;
  confidence: Confidence;
  algorithm_detected: string | null;
  reasoning: string;
  source: 'local' | 'gemini';
  /** Gemini model that answered (gemini only). */
  model?: string;
  /** Served from the verdict cache. */
  cached?: boolean;
  /** Why the verdict is UNKNOWN (or why Gemini was not asked and the local verdict stands). */
  error?: string;
}

/** `refined_verdict` on a pair. */
export interface RefinedVerdict {
  refined_classification: VerdictClassification;
  refined_risk_level: RiskLevel;
  original_structural_score: number;
  llm_confidence: Confidence;
  algorithm_detected: string | null;
  reasoning: string;
  recommendation: string;
}

export interface Components { ast: number; cfg: number; dataflow: number }

export interface MatchingRegionLike {
  file1_lines: [number, number] | number[];
  file2_lines: [number, number] | number[];
}

/** One pair to judge: the structural result plus both sources. */
export interface JudgePairInput {
  file1: string;
  file2: string;
  language1: LanguageId;
  language2: LanguageId;
  source1: string;
  source2: string;
  similarity_score: number;
  components: Components;
  matching_regions?: MatchingRegionLike[];
}

/** Code that overlap may be explained by: the template given to everyone, and the other files analysed. */
export interface JudgeContext {
  templates?: Array<{ source: string; language: LanguageId }>;
  /** Other documents of the analysis (code common to many of them is boilerplate). */
  corpus?: Array<{ source: string; language: LanguageId }>;
  /** Code in more than this share of the corpus is common (default 0.1, as the structural engine)... */
  commonShare?: number;
  /** ...but never code in this many documents or fewer (default 3). */
  commonMinDocs?: number;
}

export interface LlmSummary {
  provider: JudgeProvider;
  model?: string;
  pairs_evaluated_by_llm: number;
  classification_breakdown: Record<VerdictClassification, number>;
  risk_level_breakdown: Record<RiskLevel, number>;
  likely_copy_count: number;
  standard_algorithm_count: number;
  template_count: number;
  unknown_count: number;
  gemini_calls: number;
  cache_hits: number;
  /** Pairs left with the local verdict (call cap reached, consent declined, local pre-filter). */
  local_fallbacks: number;
  notes: string[];
}

export interface JudgedPair {
  llm_verdict: Verdict;
  refined_verdict: RefinedVerdict;
}
