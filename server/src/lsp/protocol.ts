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
