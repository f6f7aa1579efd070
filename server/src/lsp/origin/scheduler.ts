// When documents are judged: after typing stops (debounced; typing cancels the queued jobs of older versions),
// at once when opened, again when the settings or the model change. Each background refresh publishes the
// document's origin diagnostics and status, records a new file verdict in the history and prefetches the
// top tokens of the first LLM units. Requests share the same analysis of the current version.
import type { Diagnostic } from 'vscode-languageserver';
import { normalizeLineEndings } from '../../core/source';
import { analyseDocument, isAnalysis, type AnalysisOutcome, type DocAnalysis } from './analysis';
import type { OriginContext } from './context';
import { originDiagnostics } from './diagnostics';
import { OriginError, PRIORITY_BACKGROUND } from './engine';
import { OriginStatusNotification, type OriginStatusParams } from './protocol';
import { pathOfUri } from './text';

/** Units whose top tokens are computed in the background after a verdict, so hovers are instant. */
const PREFETCH_UNITS = 3;

interface DocState {
  timer?: NodeJS.Timeout;
  /** Queued model jobs of this document. */
  jobs: { ids: number[] };
  inflight?: { version: number; promise: Promise<AnalysisOutcome> };
  result?: AnalysisOutcome & { version?: number };
  /** The next verdict of the file goes into the history (the document was just opened). */
  recordNext: boolean;
  lastLabel?: string;
}

export class OriginScheduler {
  private readonly docs = new Map<string, DocState>();

  constructor(private readonly ctx: OriginContext, private readonly publish: (uri: string, diagnostics: Diagnostic[]) => void) {}

  opened(uri: string): void {
    this.state(uri).recordNext = true;
    this.schedule(uri, 0);
  }

  changed(uri: string): void {
    this.schedule(uri);
  }

  closed(uri: string): void {
    const st = this.docs.get(uri);
    if (st) {
      clearTimeout(st.timer);
      this.ctx.models.cancel(st.jobs.ids);
    }
    this.docs.delete(uri);
    this.publish(uri, []);
  }

  /** Settings or the model changed: every open document is judged again. */
  rejudgeAll(): void {
    for (const st of this.docs.values()) st.result = undefined;
    for (const d of this.ctx.documents.all()) this.schedule(d.uri, 0);
  }

  /** The analysis of the document's current version (shared by background refreshes and requests). */
  analysis(uri: string, priority: number): Promise<AnalysisOutcome> {
    const doc = this.ctx.documents.get(uri);
    if (!doc) return Promise.resolve({ unavailable: `document not open: ${uri}`, state: 'unavailable' });
    const st = this.state(uri);
    if (st.result && st.result.version === doc.version && !this.ctx.models.replacedNow()) return Promise.resolve(st.result);
    if (st.inflight && st.inflight.version === doc.version) return st.inflight.promise;
    const version = doc.version;
    const promise = analyseDocument(this.ctx, doc, priority, st.jobs).then((r) => {
      if (st.inflight?.promise === promise) st.inflight = undefined;
      st.result = { ...r, version };
      return r;
    }, (e: unknown) => {
      if (st.inflight?.promise === promise) st.inflight = undefined;
      throw e;
    });
    st.inflight = { version, promise };
    return promise;
  }

  dispose(): void {
    for (const st of this.docs.values()) clearTimeout(st.timer);
  }

  private state(uri: string): DocState {
    let s = this.docs.get(uri);
    if (!s) {
      s = { jobs: { ids: [] }, recordNext: false };
      this.docs.set(uri, s);
    }
    return s;
  }

  private schedule(uri: string, delay = this.ctx.settings().debounceMs): void {
    const st = this.state(uri);
    clearTimeout(st.timer);
    // Typing makes queued jobs for older versions stale.
    this.ctx.models.cancel(st.jobs.ids);
    st.jobs.ids = [];
    st.timer = setTimeout(() => {
      st.timer = undefined;
      void this.refresh(uri);
    }, delay);
  }

  /** Background refresh: analyse, publish diagnostics and the status. */
  private async refresh(uri: string): Promise<void> {
    const doc = this.ctx.documents.get(uri);
    if (!doc) return;
    this.notify({ uri, version: doc.version, state: 'analyzing' });
    let r: AnalysisOutcome;
    try {
      r = await this.analysis(uri, PRIORITY_BACKGROUND);
    } catch (e) {
      if (e instanceof OriginError && e.cancelled) return;
      this.ctx.connection.console.error(`origin analysis failed for ${uri}: ${(e as Error).stack ?? e}`);
      this.notify({ uri, version: doc.version, state: 'error', message: `origin analysis failed: ${(e as Error).message}` });
      return;
    }
    const current = this.ctx.documents.get(uri);
    if (!current || current.version !== doc.version) return; // a newer refresh is scheduled
    if (!isAnalysis(r)) {
      this.publish(uri, []);
      this.notify({ uri, version: doc.version, state: r.state, message: r.unavailable });
      return;
    }
    const firstLine = current.getText({ start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }).replace(/\r?\n$/, '');
    this.publish(uri, originDiagnostics(r, this.ctx.settings().severity, firstLine));
    const llmUnits = r.units.filter((u) => u.label === 'llm').length;
    this.notify({ uri, version: r.version, state: 'ready', file: r.file, threshold: r.threshold, llmUnits, units: r.units.length, message: r.notes.join(' ') || undefined });
    const st = this.state(uri);
    if (st.recordNext || (st.lastLabel !== undefined && st.lastLabel !== r.file.label)) {
      this.ctx.history.record(pathOfUri(r.uri), r.hash, r.language, r.info, 'file', r.file);
    }
    st.recordNext = false;
    st.lastLabel = r.file.label;
    this.prefetch(r);
  }

  private notify(p: OriginStatusParams): void {
    void this.ctx.connection.sendNotification(OriginStatusNotification, p);
  }

  /** Top tokens of the first few LLM units, computed while the user reads, so hovers need not wait. */
  private prefetch(a: DocAnalysis): void {
    const info = this.ctx.models.info;
    if (!info || info.explainUnavailable) return;
    const doc = this.ctx.documents.get(a.uri);
    if (!doc) return;
    for (const u of a.units.filter((x) => x.label === 'llm').slice(0, PREFETCH_UNITS)) {
      this.ctx.models.explain(normalizeLineEndings(doc.getText().slice(u.start, u.end)), a.language, PRIORITY_BACKGROUND + 1).catch(() => undefined);
    }
  }
}
