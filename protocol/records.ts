// The records that cross the wire between the language server and the extension: structure summaries,
// syntax trees, origin cues, history rows and what the server knows of its origin model. The server's
// modules that produce them (core/summary.ts, core/astView.ts, origin/cues.ts, store/history.ts,
// lsp/origin/workerProtocol.ts) re-export these shapes. Types only.

export interface Position0 { line: number; character: number }
/** Zero-based, LSP-style range (UTF-16 columns). */
export interface Range0 { start: Position0; end: Position0 }

export interface StructureMetrics {
  /** Depth of the tree of named, non-comment nodes; the root counts as 1. */
  ast_depth: number;
  function_count: number;
  class_count: number;
  loop_count: number;
  if_count: number;
  /** 1 + decision points (ifs, loops, non-default cases, catches, ternaries, && and ||). */
  basic_cyclomatic_complexity: number;
  /** Named, non-comment nodes: each roots one subtree. */
  total_subtrees: number;
  /** Distinct subtree shapes (node types and operators; names and literal values ignored). */
  unique_subtrees: number;
  /** Lines holding at least one non-comment token. */
  lines_of_code: number;
  total_lines: number;
}

export interface FunctionSummary {
  name: string;
  kind: string;
  /** One-based, inclusive. */
  start_line: number;
  end_line: number;
  range: Range0;
  name_range: Range0;
  metrics: StructureMetrics;
}

/** A syntax error from tree-sitter's recovery, with 1-based line and column. */
export interface SyntaxProblem {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  message: string;
}

export interface FileSummary {
  language: string;
  metrics: StructureMetrics;
  functions: FunctionSummary[];
  syntax_errors: SyntaxProblem[];
}

/** The labels hovers and the summary view give the metrics, in the order they are listed. */
export const METRIC_LABELS: Array<[keyof StructureMetrics, string]> = [
  ['lines_of_code', 'Lines of code'],
  ['basic_cyclomatic_complexity', 'Cyclomatic complexity'],
  ['ast_depth', 'AST depth'],
  ['loop_count', 'Loops'],
  ['if_count', 'Ifs'],
  ['function_count', 'Nested functions'],
  ['class_count', 'Classes'],
  ['total_subtrees', 'Subtrees'],
  ['unique_subtrees', 'Unique subtrees'],
];

export interface AstJsonNode {
  type: string;
  /** Source text of a leaf (names, literals), shortened. */
  label?: string;
  start_line: number;
  end_line: number;
  children: AstJsonNode[];
  /** Set when children were cut by a cap. */
  truncated_children?: number;
}

/** The normalized syntax tree as lightweight JSON: named nodes only, comments dropped, capped. */
export interface AstView {
  language: string;
  root: AstJsonNode;
  node_count: number;
  total_named_nodes: number;
  truncated: boolean;
  caps: { max_depth: number; max_nodes: number };
  truncated_reason?: string;
}

export type CueGroup = 'comments' | 'naming' | 'strings' | 'structure' | 'punctuation' | 'layout';

export interface Cue {
  group: CueGroup;
  name: string;
  /** Share of the attribution toward the explained side, 0..1. */
  share: number;
}

/** A prediction history row (store/history.ts). */
export interface PredictionRecord {
  id: number;
  time: string;
  file: string;
  content_hash: string;
  language: string;
  model: string;
  model_version: string;
  /** What was judged: "file", "function foo", "selection 3–9"... */
  subject: string;
  /** llm, human, inconclusive or too-short. */
  label: string;
  /** Calibrated probability of the stated verdict (P(llm) for llm and inconclusive, 1 − P(llm) for human), 0 when not judged. */
  confidence: number;
  p_llm: number | null;
  /** JSON array of {text, score}. */
  top_tokens: string;
}

export interface LanguageRates {
  /** The language's own `llm` threshold, where its human code needs a stricter one than the model's. */
  llm_threshold?: number;
  /** [rate, threshold] pairs, rates falling: the threshold at which LOSO human files got `llm` at most at that rate (functions of a file share the file's rate). */
  fpr_curve?: Array<[number, number]>;
  /** Rates of the `llm` verdict at the threshold that applies to the language. */
  fpr: number;
  tpr: number;
  n_human?: number;
  n_llm?: number;
}

/** The manifest's verdict block, validated (manifest.ts); legacy folders get one built from `threshold`. */
export interface VerdictPolicy {
  llmThreshold: number;
  humanThreshold: number;
  /** Monotone piecewise-linear raw p → calibrated P(llm); absent: no calibration (the raw p is shown). */
  calibration?: { x: number[]; y: number[] };
  /** Languages with LLM evaluation data; absent: every language (legacy folders). */
  evaluatedLanguages?: string[];
  perLanguage: Record<string, LanguageRates>;
  /** Texts with fewer model tokens get no verdict: below this, LOSO verdicts told LLM from human code no better than chance. */
  minTokens?: number;
  fpr?: number;
  tpr?: number;
  /** Where the rates come from, in words ("leave-one-source-out predictions"). */
  source?: string;
  /** True for a folder without a verdict block: two-way verdicts at `threshold`, as before. */
  legacy: boolean;
}

/** What the worker knows about the loaded model, for hovers, the status bar and the history. */
export interface ModelInfo {
  dir: string;
  name: string;
  version: string;
  architecture: string;
  parameters?: number;
  threshold: number;
  maxLength: number;
  windowLength: number;
  aggregation: string;
  /** "Integrated Gradients", or why explanations are unavailable for this folder. */
  explainability: string;
  explainUnavailable?: string;
  igBaseline: string;
  /** Thresholds, calibration, evaluated languages and measured rates (legacy folders: two-way at `threshold`). */
  verdict: VerdictPolicy;
  /** The model's input canonicalization ("tokens-v1"), absent for raw text. */
  canonicalization?: string;
  /** Which onnxruntime runs it ("onnxruntime-node" or "onnxruntime-web (WASM)"), and why not native when it fell back. */
  runtime?: string;
  runtimeNotice?: string;
}

/** A probability as shown: a whole percent, never 0 or 100. */
export function shownPercent(p: number): number {
  return Math.min(99, Math.max(1, Math.round(p * 100)));
}

/** "about 87%" */
export function aboutPercent(p: number): string {
  return `about ${shownPercent(p)}%`;
}
