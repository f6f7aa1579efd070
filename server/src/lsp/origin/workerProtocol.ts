// Messages between the language server's main thread and the origin worker thread (worker.ts).
// The worker owns the model: the main thread never tokenizes or runs inference, so typing never waits.
import type { Cue, TokenAttribution } from '../../origin/index';
import type { OriginLanguage } from '../../origin/sourceText';

/** What the worker knows about the loaded model (protocol/records.ts: the extension reads it too). */
import type { ModelInfo } from '../../../../protocol/records';

export type { ModelInfo };

/** One text to judge: its verdict, or why it was not judged. */
export interface TextVerdict {
  /** Content tokens (of the classified prefix when truncated). */
  tokens: number;
  /** Present when the text had at least `minTokens` tokens. */
  p_llm?: number;
  windows?: number;
  truncated?: boolean;
  tooShort?: boolean;
}

export type WorkerRequest =
  | { id: number; kind: 'info'; priority: number }
  | { id: number; kind: 'classify'; priority: number; texts: string[]; languages: OriginLanguage[]; minTokens: number; maxWindows: number }
  | { id: number; kind: 'explain'; priority: number; text: string; language: OriginLanguage; steps: number; maxWindows: number; top: number }
  | { id: number; kind: 'cancel' }
  /** Drop every queued job and answer once the running one (if any) has finished: then terminating is safe. */
  | { id: number; kind: 'drain' };

export interface ExplainResult {
  p_llm: number;
  /** Model tokens of the text (a verdict needs the model's minimum). */
  modelTokens: number;
  windows: number;
  truncated: boolean;
  tokens: TokenAttribution[];
  /** Largest |score|, so the client can scale highlights. */
  maxAbs: number;
  steps: number;
  /** Largest relative completeness error over the explained windows (IG sanity check). */
  completenessError: number;
  /** Named cue groups carrying most of the attribution toward LLM, and toward human. */
  cues: { llm: Cue[]; human: Cue[] };
}

export type WorkerResult =
  | { id: number; ok: true; info: ModelInfo; verdicts?: TextVerdict[]; explanation?: ExplainResult }
  | { id: number; ok: false; error: string; modelError: boolean; cancelled?: boolean };

export interface WorkerData {
  modelDir: string;
  threads?: number;
}
