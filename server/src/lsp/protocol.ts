// Custom requests between the extension and the server; both sides import these names and shapes.
import type { AstView } from '../core/astView';
import type { FileSummary } from '../core/summary';

export const StructureSummaryRequest = 'codeOrigin/structureSummary';
export const VisualizeAstRequest = 'codeOrigin/visualizeAst';

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

/** Similarity: the workspace index and on-demand comparisons. */
export const AnalyzeWorkspaceRequest = 'codeOrigin/analyzeWorkspace';
/** Params `{ analysis_id?, withoutCode? }`: a stored report (default: the workspace's); `withoutCode` leaves out the regions' code. */
export const SimilarityReportRequest = 'codeOrigin/similarityReport';
export const CompareInputsRequest = 'codeOrigin/compareInputs';
export const CompareRepositoriesRequest = 'codeOrigin/compareRepositories';
export const RenderReportRequest = 'codeOrigin/renderReport';
export const SetTemplateRequest = 'codeOrigin/setTemplate';
/**
 * Server → client: a new workspace report is ready, `{ analysis_id, summary, origin, judging }`;
 * `judging`: structural results, the judged report (same id) follows.
 */
export const ReportChangedNotification = 'codeOrigin/reportChanged';

export interface RenderReportParams {
  analysis_id: string;
  /** csv: one row per listed pair; csv-files: one row per document with its highest match (similarity/csv.ts). */
  format: 'html' | 'json' | 'csv' | 'csv-files';
}

/** Origin verdicts, explanations and the prediction history. */
export * from './origin/protocol';
