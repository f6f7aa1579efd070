// The similarity report, once: what `code-origin compare --format json` writes, what the language
// server keeps and sends (codeOrigin/similarityReport), what the tree view lists and what the panel
// draws (protocol/panel.ts reads it leniently). The engine (server/src/similarity/engine.ts) and the
// judge (server/src/judge) build it and re-export these shapes. Types and constant lists only.

import type { JudgeProvider } from './config';

export interface Weights { ast: number; cfg: number; dataflow: number }

/** Lines shared by a pair; one-based, inclusive. */
export interface MatchingRegion {
  file1_lines: [number, number];
  file2_lines: [number, number];
  /** The region's source; the CLI prefixes each line with "N: ". Left out when a report is asked `withoutCode`. */
  file1_code: string;
  file2_code: string;
}

export interface ReportPair {
  file1: string;
  file2: string;
  similarity_score: number;
  /** How far the score stands above the pair's background in this run, in class spreads (see significance.ts). */
  significance?: number;
  /**
   * Below the rule's floor, for a pair significant enough to be judged by it: the score over each file's
   * next-best partner outside the two files' groups of near-copies (the smaller ratio); absent where neither has another partner.
   */
  standout?: number;
  /** Whether the report rule (metadata.report_rule) lists the pair as suspicious. */
  reported?: boolean;
  components: { ast: number; cfg: number; dataflow: number };
  /** file1/file2: set in submission mode, where a pair's file1/file2 are submissions and regions name files. */
  matching_regions: Array<MatchingRegion & { file1?: string; file2?: string }>;
}

/** The rule deciding which pairs are reported (the same in the CLI, the editor and the HTML report). */
export interface ReportRule {
  name: 'raw-and-significance';
  /** Pairs at or above this raw score are reported when they are at least `z_raw` above their background. */
  min_score: number;
  z_raw: number;
  /** Pairs below `min_score` are reported when at least `z_low` above their background and at or above `floor`. */
  z_low: number;
  floor: number;
  /** Pairs at or above this raw score are reported whatever the class (near-identical code). */
  identical: number;
  /**
   * Below `floor`, pairs are reported when at least `z_standout` above their background and `standout`
   * times each file's next-best partner (both absent in reports made before this band).
   */
  standout?: number;
  z_standout?: number;
  description: string;
}

/** What the report says about the common-code filter. */
export interface CommonInfo {
  rule: string;
  /** Documents compared, and the groups of near-copies they form (each group votes once). */
  documents: number;
  groups: number;
  /** Documents in the largest group. */
  largest_group: number;
  /** Evidence found in more than this many groups was treated as common (0 when the filter is off). */
  max_groups: number;
  /** Distinct keys left out as common, per kind of evidence (subtrees, fingerprints, control-flow and data-flow edges). */
  ignored: { ast: number; fingerprints: number; cfg: number; dataflow: number };
  /** Keys left out because the template has them. */
  template: { ast: number; fingerprints: number; cfg: number; dataflow: number };
}

export interface CompareReport {
  analysis_id: string;
  summary: { total_files: number; total_documents: number; suspicious_pairs_count: number; highest_similarity: number; cluster_count: number; candidate_pairs: number };
  /** syntax_errors: tree-sitter recovered from errors in the file (its evidence around them is a guess). */
  files: Array<{ path: string; language?: string; error?: string; warnings?: string[]; submission?: string; syntax_errors?: boolean; archive?: boolean }>;
  similarity: { pairs: ReportPair[] };
  graph: { nodes: Array<{ id: string; files: number; archive?: boolean }>; edges: Array<{ source: string; target: string; weight: number }> };
  matrix: { files: string[]; values: number[][] } | { files: string[]; values: null; note: string };
  clusters: Array<{ id: number; files: string[]; max_similarity: number }>;
  metadata: {
    analysis_type: 'similarity';
    timestamp: string;
    /** False from the engine; true once the semantic judge (server/src/judge) has run on the report. */
    llm_enabled: boolean;
    weights: Weights;
    thresholds: { min_score: number; cluster: number; common_share: number; common_min_documents: number; min_subtree: number; kgram: number; window: number };
    /** The rule deciding which pairs are reported (the same in the CLI, the editor and the HTML report). */
    report_rule: ReportRule;
    /** Evidence treated as common code, and why (a quick update keeps, and names, the last full run's). */
    common?: CommonInfo;
    submissions: boolean;
    cross: boolean;
    /**
     * Feature cache hits/misses (files); pair_hits/pair_scored: candidate pairs reused from an earlier run / scored in this one;
     * warnings: cache files found damaged (each replaced by a new one) or that could not be written in this run.
     */
    cache?: { path?: string; hits: number; misses: number; pair_hits: number; pair_scored: number; warnings?: string[] };
    timings_ms: Record<string, number>;
    /** Worker threads that parsed files in this run (0: all in the main thread). */
    workers_used: number;
    /** Files left out by `maxFiles` (present only when some were). */
    skipped_files?: number;
    /** True when the previous run's ignored evidence was kept for a quick update after a change. */
    incremental?: boolean;
    /** Earlier submissions compared with the inputs (never with each other): where from, and how many. */
    archive?: { sources: string[]; files: number; documents: number; left_out_as_new?: number };
  };
}

// ---- the judge's part of the report

export const CLASSIFICATIONS = ['STANDARD_ALGORITHM', 'TEMPLATE_OR_BOILERPLATE', 'LIKELY_COPY'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
/** A verdict that could not be obtained (network failure, blocked response, unreadable reply). */
export type VerdictClassification = Classification | 'UNKNOWN';
export const CONFIDENCES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
export type RiskLevel = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

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

/** `llm_summary` of a judged report. */
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

export type JudgedReportPair = ReportPair & Partial<JudgedPair>;
/** A report after the judge: verdicts on pairs, `llm_summary`, `metadata.llm_enabled` true. */
export type JudgedReport = Omit<CompareReport, 'similarity' | 'metadata'> & {
  similarity: { pairs: JudgedReportPair[] };
  llm_summary?: LlmSummary;
  metadata: Omit<CompareReport['metadata'], 'llm_enabled'> & { llm_enabled: boolean };
};
