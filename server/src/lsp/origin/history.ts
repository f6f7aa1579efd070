// The prediction history of the language server: every verdict shown (a file when opened or when its
// verdict changes, a selection, a pasted snippet, an explanation) recorded once in the extension's storage,
// and the two requests that list and export it.
import path from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { HISTORY_FILE_NAME, PredictionHistory } from '../../store/history';
import type { ExportPredictionHistoryResult, OriginVerdict, PredictionHistoryParams, PredictionHistoryResult } from './protocol';
import type { ModelInfo } from './workerProtocol';

const UNAVAILABLE = 'the prediction history is unavailable (no storage folder)';

export class OriginHistory {
  private history: Promise<PredictionHistory | undefined> | undefined;
  private storagePath: string | undefined;

  constructor(private readonly connection: Connection) {}

  /** initializationOptions.globalStoragePath (else storagePath) holds the prediction history. */
  initialize(initOptions: unknown): void {
    const o = (initOptions ?? {}) as { globalStoragePath?: unknown; storagePath?: unknown };
    this.storagePath = typeof o.globalStoragePath === 'string' ? o.globalStoragePath : typeof o.storagePath === 'string' ? o.storagePath : undefined;
  }

  private open(): Promise<PredictionHistory | undefined> {
    if (!this.history) {
      const dir = this.storagePath;
      if (!dir) return Promise.resolve(undefined);
      this.history = PredictionHistory.open(path.join(dir, HISTORY_FILE_NAME)).then((h) => {
        if (h.warning) {
          this.connection.console.warn(h.warning);
          void this.connection.window.showWarningMessage(`Code Origin: ${h.warning}`);
        }
        return h;
      }, (e: unknown) => {
        this.connection.console.error(`prediction history unavailable: ${(e as Error).message}`);
        return undefined;
      });
    }
    return this.history;
  }

  record(file: string, hash: string, language: string, info: ModelInfo, subject: string, v: OriginVerdict, top?: Array<{ text: string; score: number }>): void {
    void this.open().then((h) => {
      if (!h) return;
      const last = h.lastFor(file, subject);
      // The same text and model with the same verdict is stored once; a new verdict (settings changed) is stored.
      if (last && last.content_hash === hash && last.model_version === info.version && last.model === info.name && last.label === v.label && !top) return;
      h.add({
        file, content_hash: hash, language, model: info.name, model_version: info.version, subject,
        label: v.label, p_llm: v.p_llm ?? null, confidence: v.confidence, top_tokens: top?.map((t) => ({ text: t.text, score: t.score })),
      });
    }).catch((e: unknown) => this.connection.console.error(`could not record a prediction: ${(e as Error).message}`));
  }

  async list(p: PredictionHistoryParams): Promise<PredictionHistoryResult> {
    const h = await this.open();
    if (!h) return { error: UNAVAILABLE };
    return { rows: h.list(typeof p?.limit === 'number' ? p.limit : 500), total: h.count(), file: h.file, warning: h.warning };
  }

  async export(): Promise<ExportPredictionHistoryResult> {
    const h = await this.open();
    if (!h) return { error: UNAVAILABLE };
    return { csv: h.toCsv(), rows: h.count() };
  }

  async dispose(): Promise<void> {
    const h = await this.history?.catch(() => undefined);
    try {
      h?.close();
    } catch (e) {
      this.connection.console.error(`could not save the prediction history: ${(e as Error).message}`);
    }
  }
}
