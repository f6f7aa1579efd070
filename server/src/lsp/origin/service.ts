// Origin analysis in the language server: per-document verdicts for the file and each function, method and
// class, diagnostics on LLM verdicts, hovers with Integrated Gradients top tokens, the codeOrigin/classify and
// codeOrigin/explain requests, and the prediction history. This file wires the parts together:
//   modelHost.ts  the model (worker engine, hot reload from the folder's manifest, caches)
//   scheduler.ts  when documents are judged, and what a refresh publishes; analysis.ts  what judging one is
//   requests.ts   hover, classify, explain;  history.ts  the prediction history and its requests
// All inference runs in the worker thread (engine.ts).
import type { Connection, Hover, HoverParams, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DiagnosticsPublisher } from '../diagnostics';
import type { OriginContext, OriginHostSettings } from './context';
import { OriginHistory } from './history';
import { ModelHost } from './modelHost';
import {
  ExportPredictionHistoryRequest, OriginClassifyRequest, OriginExplainRequest, PredictionHistoryRequest,
  type OriginClassifyParams, type OriginExplainParams, type PredictionHistoryParams,
} from './protocol';
import { OriginRequests } from './requests';
import { OriginScheduler } from './scheduler';
import { DEFAULT_ORIGIN_SETTINGS } from './settings';

export type { OriginHostSettings } from './context';

export class OriginService {
  private readonly ctx: OriginContext;
  private readonly scheduler: OriginScheduler;
  private readonly requests: OriginRequests;
  private lastSettings = '';

  constructor(connection: Connection, documents: TextDocuments<TextDocument>, hostSettings: () => OriginHostSettings, diagnostics: DiagnosticsPublisher) {
    const settings = () => hostSettings().origin ?? DEFAULT_ORIGIN_SETTINGS;
    const models = new ModelHost({ connection, settings, onReplaced: () => this.scheduler.rejudgeAll() });
    this.ctx = { connection, documents, settings, host: hostSettings, models, history: new OriginHistory(connection) };
    this.scheduler = new OriginScheduler(this.ctx, (uri, d) => diagnostics.set('origin', uri, d));
    this.requests = new OriginRequests(this.ctx, (uri, priority) => this.scheduler.analysis(uri, priority));
    documents.onDidOpen((e) => this.scheduler.opened(e.document.uri));
    documents.onDidChangeContent((e) => this.scheduler.changed(e.document.uri));
    documents.onDidClose((e) => this.scheduler.closed(e.document.uri));
    connection.onRequest(OriginClassifyRequest, (p: OriginClassifyParams) => this.requests.classify(p));
    connection.onRequest(OriginExplainRequest, (p: OriginExplainParams) => this.requests.explain(p));
    connection.onRequest(PredictionHistoryRequest, (p: PredictionHistoryParams) => this.ctx.history.list(p));
    connection.onRequest(ExportPredictionHistoryRequest, () => this.ctx.history.export());
    connection.onShutdown(() => this.dispose());
  }

  /** initializationOptions.globalStoragePath (else storagePath) holds the prediction history. */
  initialize(initOptions: unknown): void {
    this.ctx.history.initialize(initOptions);
  }

  /** Called after the settings were (re)read: a new model path restarts the worker; everything is re-judged. */
  settingsChanged(): void {
    const s = this.ctx.host();
    const key = JSON.stringify({ o: s.origin, l: s.enabledLanguages, m: s.maxFileSize });
    if (key === this.lastSettings) return;
    this.lastSettings = key;
    this.ctx.models.ensure(true);
    this.scheduler.rejudgeAll();
  }

  hover(params: HoverParams): Promise<Hover | null> {
    return this.requests.hover(params);
  }

  async dispose(): Promise<void> {
    this.scheduler.dispose();
    await this.ctx.history.dispose();
    await this.ctx.models.dispose();
  }
}
