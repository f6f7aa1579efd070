// Origin requests and notifications between the extension and the server (re-exported by ../protocol.ts).
import type { Range0 } from '../../core/summary';
import type { Cue } from '../../origin/cues';
import type { PredictionRecord } from '../../store/history';
import type { ModelInfo } from './workerProtocol';

export type { ModelInfo } from './workerProtocol';

export const OriginClassifyRequest = 'codeOrigin/classify';
export const OriginExplainRequest = 'codeOrigin/explain';
export const PredictionHistoryRequest = 'codeOrigin/predictionHistory';
export const ExportPredictionHistoryRequest = 'codeOrigin/exportPredictionHistory';
/** Server → client: the verdict of an open document changed (status bar, code lenses). */
export const OriginStatusNotification = 'codeOrigin/originStatus';

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
