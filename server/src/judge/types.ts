// Shapes shared by the semantic judge: what it is given (pairs with their sources) and what it returns
// (the verdict on each pair, the refined risk level, and the summary the report gains).
import type { LanguageId } from '../core/languages';

export { JUDGE_PROVIDERS, type JudgeProvider } from '../../../protocol/config';

// The verdicts and the summary are part of the report: protocol/report.ts declares them.
export {
  CLASSIFICATIONS, CONFIDENCES, type Classification, type Confidence, type JudgedPair, type LlmSummary, type RefinedVerdict,
  type RiskLevel, type Verdict, type VerdictClassification,
} from '../../../protocol/report';

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
  /**
   * What the comparison already made of these documents (its run's records, similarity/record.ts):
   * content hashes by text, and the local judge's keys by content key, used instead of hashing and
   * parsing them again.
   */
  known?: { hashes: ReadonlyMap<string, string>; judgeKeys: ReadonlyMap<string, DocKeys> };
}

/** A document's keys for the local judge's common-code counts (k-gram, name and line hashes, sorted), made in `local/context.ts`. */
export interface DocKeys { hashes: Float64Array; names: Float64Array; lines: Float64Array }
