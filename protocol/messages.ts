// Every custom request and notification between the extension (client/src) and the language server
// (server/src), declared once with its parameters and result, as rust-analyzer's lsp_ext.ts does.
// Both sides pass these objects to sendRequest / onRequest / sendNotification / onNotification, so a
// method name is written nowhere else and each side's types follow from here.
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { AstView, Cue, FileSummary, ModelInfo, PredictionRecord, Range0 } from './records';
import type { CompareReport, JudgedReport } from './report';

// ---------------------------------------------------------------------------------------------
// Structure: summaries and syntax trees of open documents (client → server).

export interface DocumentParams {
  textDocument: { uri: string };
}

export interface VisualizeAstParams extends DocumentParams {
  maxDepth?: number;
  maxNodes?: number;
}

/** Either a result or the reason there is none (unsupported, too large, binary, disabled language). */
export type StructureSummaryResult = ({ uri: string } & FileSummary) | { uri: string; error: string };
export type VisualizeAstResult = ({ uri: string } & AstView) | { uri: string; error: string };

export const StructureSummaryRequest = new RequestType<DocumentParams, StructureSummaryResult, void>('codeOrigin/structureSummary');
export const VisualizeAstRequest = new RequestType<VisualizeAstParams, VisualizeAstResult, void>('codeOrigin/visualizeAst');

// ---------------------------------------------------------------------------------------------
// Similarity: the workspace index and on-demand comparisons (client → server).

/** A report as the server keeps it: judged once the judge has run on it. */
export type StoredReport = CompareReport | JudgedReport;

export type AnalyzeWorkspaceResult = { analysis_id: string; summary: CompareReport['summary'] } | { error: string };
export const AnalyzeWorkspaceRequest = new RequestType<Record<string, never>, AnalyzeWorkspaceResult, void>('codeOrigin/analyzeWorkspace');

/** A stored report (default: the workspace's); `withoutCode` leaves out the regions' code. */
export interface SimilarityReportParams {
  analysis_id?: string;
  withoutCode?: boolean;
}
export const SimilarityReportRequest = new RequestType<SimilarityReportParams | undefined, StoredReport | null, void>('codeOrigin/similarityReport');

export interface CompareInputsParams {
  inputs: string[];
  template?: string[];
  /** Earlier submissions (folders, .zip archives, saved archive indexes): compared with the inputs only. */
  archive?: string[];
}

export interface CompareReposParams {
  repositories: string[];
}

export type ComparisonResult = { report: StoredReport } | { error: string };
export const CompareInputsRequest = new RequestType<CompareInputsParams, ComparisonResult, void>('codeOrigin/compareInputs');
export const CompareRepositoriesRequest = new RequestType<CompareReposParams, ComparisonResult, void>('codeOrigin/compareRepositories');

export interface RenderReportParams {
  analysis_id: string;
  /** csv: one row per listed pair; csv-files: one row per document with its highest match (similarity/csv.ts). */
  format: 'html' | 'json' | 'csv' | 'csv-files';
}
export type RenderReportResult = { text: string } | { error: string };
export const RenderReportRequest = new RequestType<RenderReportParams, RenderReportResult, void>('codeOrigin/renderReport');

export interface SetTemplateParams { paths?: string[] }
export const SetTemplateRequest = new RequestType<SetTemplateParams, { template: string[] }, void>('codeOrigin/setTemplate');

/**
 * Server → client: a new workspace report is ready; `judging`: structural results, the judged report
 * (same id) follows.
 */
export interface ReportChangedParams {
  analysis_id: string;
  summary: CompareReport['summary'];
  origin: 'workspace';
  judging: boolean;
}
export const ReportChangedNotification = new NotificationType<ReportChangedParams>('codeOrigin/reportChanged');

// ---------------------------------------------------------------------------------------------
// Origin: verdicts, explanations and the prediction history.

/** The diagnostic code of an LLM verdict, and where its explanation lives. */
export const ORIGIN_DIAGNOSTIC_CODE = 'llm-generated';
export const ORIGIN_DOCS_URL = 'https://github.com/code-origin/code-origin#how-the-origin-verdict-works';

export type OriginLabelOrNone = 'llm' | 'human' | 'inconclusive' | 'too-short';

export interface OriginVerdict {
  label: OriginLabelOrNone;
  /** Raw model p(LLM); absent when too short to judge. */
  p_llm?: number;
  /** Calibrated probability of the stated verdict (P(llm) for llm and inconclusive, 1 − P(llm) for human). */
  confidence?: number;
  /** Why the verdict is inconclusive ("not evaluated for Go", "between thresholds..."). */
  reason?: string;
  /** Model tokens of the judged text (of its classified prefix when truncated). */
  tokens: number;
  windows?: number;
  /** Only the first `windows` windows were classified. */
  truncated?: boolean;
}

export interface UnitVerdict extends OriginVerdict {
  name: string;
  kind: 'function' | 'method' | 'class';
  range: Range0;
  name_range: Range0;
}

export interface OriginClassifyParams {
  textDocument?: { uri: string };
  /** Classify only this range of the document (a selection). */
  range?: Range0;
  /** Classify this text instead of a document (a pasted snippet); `languageId` names its language. */
  text?: string;
  languageId?: string;
}

export type OriginClassifyResult =
  | {
    uri?: string;
    version?: number;
    language?: string;
    threshold: number;
    /** The document (or the range / text) as a whole. */
    file: OriginVerdict;
    /** Functions, methods and classes (none for a range or a text). */
    units: UnitVerdict[];
    /** Notes for the user: minified code, truncation. */
    notes: string[];
    model: ModelInfo;
  }
  | { uri?: string; error: string };

export interface OriginExplainParams {
  textDocument: { uri: string };
  /** Explain this range (a selection or a unit's range); without it the unit at `position`, else the file. */
  range?: Range0;
  position?: { line: number; character: number };
}

export interface TokenHighlight {
  range: Range0;
  text: string;
  /** Integrated Gradients attribution toward LLM: > 0 pushes toward LLM, < 0 toward human. */
  score: number;
}

export type OriginExplainResult =
  | {
    uri: string;
    version: number;
    /** What was explained. */
    range: Range0;
    subject: string;
    label: 'llm' | 'human' | 'inconclusive';
    p_llm: number;
    /** Calibrated probability of the stated verdict. */
    confidence: number;
    reason?: string;
    /** Named cue groups behind the attribution, toward LLM and toward human. */
    cues: { llm: Cue[]; human: Cue[] };
    threshold: number;
    tokens: TokenHighlight[];
    /** The five tokens with the largest |score|. */
    top: TokenHighlight[];
    maxAbs: number;
    steps: number;
    truncated: boolean;
    windows: number;
    model: ModelInfo;
  }
  | { uri: string; error: string };

export interface OriginStatusParams {
  uri: string;
  version: number;
  state: 'ready' | 'analyzing' | 'unavailable' | 'error';
  file?: OriginVerdict;
  threshold?: number;
  /** Units with an LLM verdict (inconclusive ones are not counted). */
  llmUnits?: number;
  units?: number;
  message?: string;
}

/** A history row as the client lists it: the store's record, unchanged. */
export type PredictionRow = PredictionRecord;

export interface PredictionHistoryParams {
  limit?: number;
}

export type PredictionHistoryResult = { rows: PredictionRow[]; total: number; file: string; warning?: string } | { error: string };
export type ExportPredictionHistoryResult = { csv: string; rows: number } | { error: string };

export const OriginClassifyRequest = new RequestType<OriginClassifyParams, OriginClassifyResult, void>('codeOrigin/classify');
export const OriginExplainRequest = new RequestType<OriginExplainParams, OriginExplainResult, void>('codeOrigin/explain');
export const PredictionHistoryRequest = new RequestType<PredictionHistoryParams, PredictionHistoryResult, void>('codeOrigin/predictionHistory');
export const ExportPredictionHistoryRequest = new RequestType<Record<string, never>, ExportPredictionHistoryResult, void>('codeOrigin/exportPredictionHistory');
/** Server → client: the verdict of an open document changed (status bar, code lenses). */
export const OriginStatusNotification = new NotificationType<OriginStatusParams>('codeOrigin/originStatus');

// ---------------------------------------------------------------------------------------------
// Judge (server → client): the server asks for the Gemini key and for consent only when a run is
// about to call Gemini; the key is never pushed or stored server-side.

export interface JudgeApiKeyResult { key?: string }
/** Server → client: the Gemini API key from SecretStorage, or none. */
export const JudgeApiKeyRequest = new RequestType<Record<string, never>, JudgeApiKeyResult | null, void>('codeOrigin/judgeApiKey');

export interface JudgeConsentParams {
  /** Pairs at or above the judge threshold (an upper bound: cached and locally decided pairs are not sent). */
  pairs: number;
  files: number;
  model: string;
}
export interface JudgeConsentResult { allowed: boolean }
/** Server → client: may code from these files be sent to Google? */
export const JudgeConsentRequest = new RequestType<JudgeConsentParams, JudgeConsentResult | null, void>('codeOrigin/judgeConsent');

/** Client → server: the key was set or cleared; earlier refusals and missing-key notes no longer hold. */
export const JudgeKeyChangedNotification = new NotificationType<Record<string, never>>('codeOrigin/judgeKeyChanged');
