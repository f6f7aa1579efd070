// Origin analysis in the language server: per-document verdicts for the file and each function, method and
// class (debounced, cached by content hash, stale jobs cancelled), diagnostics on LLM verdicts, hovers with
// Integrated Gradients top tokens, the codeOrigin/classify and codeOrigin/explain requests, and the
// prediction history. All inference runs in the worker thread (engine.ts); this file only schedules.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DiagnosticSeverity, MarkupKind,
  type Connection, type Diagnostic, type Hover, type HoverParams, type PublishDiagnosticsParams, type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { detectLanguage, parseLanguage, type LanguageId } from '../../core/languages';
import { checkText, normalizeLineEndings, originalOffset } from '../../core/source';
import type { Range0 } from '../../core/summary';
import { decide, resolveModelDir } from '../../origin/index';
import type { OriginLanguage } from '../../origin/sourceText';
import { HISTORY_FILE_NAME, PredictionHistory, type PredictionRecord } from '../../store/history';
import { OriginEngine, OriginError, PRIORITY_BACKGROUND, PRIORITY_INTERACTIVE } from './engine';
import { originHoverMarkdown, topByMagnitude, verdictText, type TopToken } from './hover';
import {
  ExportPredictionHistoryRequest, ORIGIN_DIAGNOSTIC_CODE, ORIGIN_DOCS_URL, OriginClassifyRequest, OriginExplainRequest,
  OriginStatusNotification, PredictionHistoryRequest,
  type ExportPredictionHistoryResult, type OriginClassifyParams, type OriginClassifyResult, type OriginExplainParams,
  type OriginExplainResult, type OriginStatusParams, type OriginVerdict, type PredictionHistoryParams,
  type PredictionHistoryResult, type TokenHighlight, type UnitVerdict,
} from './protocol';
import { DEFAULT_ORIGIN_SETTINGS, type OriginSettings } from './settings';
import { findUnits, unitAt, unitAtName, type OriginUnit } from '../../origin/units';
import type { ExplainResult, ModelInfo, TextVerdict } from './workerProtocol';

export interface OriginHostSettings {
  maxFileSize: number;
  enabledLanguages: LanguageId[];
  origin?: OriginSettings;
}

/** Lines this long mean minified or generated code, which the model was not trained on. */
const MINIFIED_LINE = 1000;
const MINIFIED_AVG_LINE = 200;
/** Verdicts and explanations kept (by content hash). */
const CACHE_ENTRIES = 4000;
const EXPLAIN_CACHE_ENTRIES = 200;
/** How long a hover waits for Integrated Gradients before answering without top tokens. */
const HOVER_IG_WAIT_MS = 4000;
/** Units whose top tokens are computed in the background after a verdict, so hovers are instant. */
const PREFETCH_UNITS = 3;
/** How often the model folder is checked for a new export. */
const MODEL_CHECK_MS = 5000;

class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(k: K): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: K, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  delete(k: K): void {
    this.map.delete(k);
  }
  clear(): void {
    this.map.clear();
  }
}

export function contentHash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** Merges origin diagnostics with those other features publish (one publishDiagnostics per URI replaces all). */
export class DiagnosticsMux {
  private readonly others = new Map<string, Diagnostic[]>();
  private readonly mine = new Map<string, Diagnostic[]>();
  private readonly send: (p: PublishDiagnosticsParams) => Promise<void>;

  constructor(connection: Connection) {
    const original = connection.sendDiagnostics.bind(connection);
    this.send = original;
    connection.sendDiagnostics = (p: PublishDiagnosticsParams) => {
      if (p.diagnostics.length) this.others.set(p.uri, p.diagnostics);
      else this.others.delete(p.uri);
      return original({ ...p, diagnostics: [...p.diagnostics, ...(this.mine.get(p.uri) ?? [])] });
    };
  }

  setOrigin(uri: string, diagnostics: Diagnostic[]): void {
    if (!diagnostics.length && !this.mine.has(uri)) return;
    if (diagnostics.length) this.mine.set(uri, diagnostics);
    else this.mine.delete(uri);
    void this.send({ uri, diagnostics: [...(this.others.get(uri) ?? []), ...diagnostics] });
  }
}

interface JudgedUnit extends UnitVerdict {
  start: number;
  end: number;
  hash: string;
}

export interface DocAnalysis {
  uri: string;
  version: number;
  language: LanguageId;
  hash: string;
  file: OriginVerdict;
  units: JudgedUnit[];
  notes: string[];
  threshold: number;
  info: ModelInfo;
}

type Unavailable = { unavailable: string; state: 'unavailable' | 'error' };
type AnalysisOutcome = DocAnalysis | Unavailable;

interface DocState {
  timer?: NodeJS.Timeout;
  jobs: number[];
  inflight?: { version: number; promise: Promise<AnalysisOutcome> };
  result?: AnalysisOutcome & { version?: number };
  recordNext: boolean;
  lastLabel?: string;
}

function isAnalysis(o: AnalysisOutcome | undefined): o is DocAnalysis {
  return !!o && !('unavailable' in o);
}

function pathOfUri(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : new URL(uri).pathname;
  } catch {
    return uri;
  }
}

/** The three-way verdict of a raw score, by the model's policy and the user's settings. */
function verdictOf(v: TextVerdict, info: ModelInfo, language: OriginLanguage, s: OriginSettings): OriginVerdict {
  if (v.tooShort || v.p_llm === undefined) return { label: 'too-short', tokens: v.tokens };
  const d = decide(info.verdict, v.p_llm, { language, unevaluatedLanguages: s.unevaluatedLanguages, llmThreshold: s.threshold });
  return {
    label: d.label, p_llm: v.p_llm, confidence: d.confidence, ...(d.reason ? { reason: d.reason } : {}), tokens: v.tokens, windows: v.windows,
    ...(v.truncated ? { truncated: true } : {}),
  };
}

export function looksMinified(text: string): boolean {
  let longest = 0;
  let lines = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); ; i = text.indexOf('\n', i + 1)) {
    const end = i < 0 ? text.length : i;
    longest = Math.max(longest, end - start);
    lines++;
    start = end + 1;
    if (i < 0) break;
  }
  return longest >= MINIFIED_LINE || (text.length >= 2000 && text.length / lines >= MINIFIED_AVG_LINE);
}

function timeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

export class OriginService {
  private engine: OriginEngine | undefined;
  private modelStamp = '';
  private lastModelCheck = 0;
  private errorShown = new Set<string>();
  private info: ModelInfo | undefined;
  private readonly verdicts = new Lru<string, TextVerdict>(CACHE_ENTRIES);
  private readonly explanations = new Lru<string, Promise<ExplainResult>>(EXPLAIN_CACHE_ENTRIES);
  private readonly docs = new Map<string, DocState>();
  private readonly mux: DiagnosticsMux;
  private history: Promise<PredictionHistory | undefined> | undefined;
  private storagePath: string | undefined;
  private lastSettings = '';

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly hostSettings: () => OriginHostSettings,
  ) {
    this.mux = new DiagnosticsMux(connection);
    documents.onDidOpen((e) => {
      this.state(e.document.uri).recordNext = true;
      this.schedule(e.document.uri, 0);
    });
    documents.onDidChangeContent((e) => this.schedule(e.document.uri));
    documents.onDidClose((e) => this.forget(e.document.uri));
    connection.onRequest(OriginClassifyRequest, (p: OriginClassifyParams) => this.classifyRequest(p));
    connection.onRequest(OriginExplainRequest, (p: OriginExplainParams) => this.explainRequest(p));
    connection.onRequest(PredictionHistoryRequest, (p: PredictionHistoryParams) => this.historyRequest(p));
    connection.onRequest(ExportPredictionHistoryRequest, () => this.exportRequest());
    connection.onShutdown(() => this.dispose());
  }

  /** initializationOptions.globalStoragePath (else storagePath) holds the prediction history. */
  initialize(initOptions: unknown): void {
    const o = (initOptions ?? {}) as { globalStoragePath?: unknown; storagePath?: unknown };
    const p = typeof o.globalStoragePath === 'string' ? o.globalStoragePath : typeof o.storagePath === 'string' ? o.storagePath : undefined;
    this.storagePath = p;
  }

  private get settings(): OriginSettings {
    return this.hostSettings().origin ?? DEFAULT_ORIGIN_SETTINGS;
  }

  /** Called after the settings were (re)read: a new model path restarts the worker; everything is re-judged. */
  settingsChanged(): void {
    const s = this.hostSettings();
    const key = JSON.stringify({ o: s.origin, l: s.enabledLanguages, m: s.maxFileSize });
    if (key === this.lastSettings) return;
    this.lastSettings = key;
    this.ensureEngine(true);
    for (const st of this.docs.values()) st.result = undefined;
    for (const d of this.documents.all()) this.schedule(d.uri, 0);
  }

  // ---------------------------------------------------------------- model

  modelDir(): string {
    const p = this.settings.modelPath;
    if (p) return path.resolve(p.startsWith('~') ? path.join(os.homedir(), p.slice(1)) : p);
    return resolveModelDir(undefined, __dirname);
  }

  /** Stamp of the model folder's files: a new export (or a fixed folder) restarts the worker. */
  private folderStamp(dir: string): string {
    return ['manifest.json', 'model.onnx', 'tokenizer.json', 'embeddings.onnx', 'attribution.onnx'].map((f) => {
      try {
        const st = fs.statSync(path.join(dir, f));
        return `${st.size}:${st.mtimeMs}`;
      } catch {
        return '-';
      }
    }).join('|');
  }

  private ensureEngine(force = false): OriginEngine {
    const dir = this.modelDir();
    const now = Date.now();
    if (!force && this.engine && this.engine.modelDir === dir && now - this.lastModelCheck < MODEL_CHECK_MS) return this.engine;
    this.lastModelCheck = now;
    const stamp = this.folderStamp(dir);
    if (this.engine && this.engine.modelDir === dir && stamp === this.modelStamp) return this.engine;
    const replaced = this.engine !== undefined && !force;
    void this.engine?.dispose();
    this.engine = new OriginEngine(dir);
    this.modelStamp = stamp;
    this.info = undefined;
    this.verdicts.clear();
    this.explanations.clear();
    // A new export in the model folder: judge the open documents again with it.
    if (replaced) setTimeout(() => { for (const d of this.documents.all()) this.schedule(d.uri, 0); }, 0);
    return this.engine;
  }

  private reportModelError(message: string): void {
    if (this.errorShown.has(message)) return;
    this.errorShown.add(message);
    this.connection.console.error(`origin model: ${message}`);
    void this.connection.window.showErrorMessage(
      `Code Origin: the origin model could not be loaded, so there are no origin verdicts (similarity features keep working). ${message}`,
    );
  }

  // ---------------------------------------------------------------- documents

  private state(uri: string): DocState {
    let s = this.docs.get(uri);
    if (!s) {
      s = { jobs: [], recordNext: false };
      this.docs.set(uri, s);
    }
    return s;
  }

  private schedule(uri: string, delay = this.settings.debounceMs): void {
    const st = this.state(uri);
    clearTimeout(st.timer);
    // Typing makes queued jobs for older versions stale.
    for (const id of st.jobs) this.engine?.cancel(id);
    st.jobs = [];
    st.timer = setTimeout(() => {
      st.timer = undefined;
      void this.refresh(uri);
    }, delay);
  }

  private forget(uri: string): void {
    const st = this.docs.get(uri);
    if (st) {
      clearTimeout(st.timer);
      for (const id of st.jobs) this.engine?.cancel(id);
    }
    this.docs.delete(uri);
    this.mux.setOrigin(uri, []);
  }

  /** Background refresh: analyse, publish diagnostics and the status. */
  private async refresh(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    this.notify({ uri, version: doc.version, state: 'analyzing' });
    let r: AnalysisOutcome;
    try {
      r = await this.analysis(uri, PRIORITY_BACKGROUND);
    } catch (e) {
      if (e instanceof OriginError && e.cancelled) return;
      this.connection.console.error(`origin analysis failed for ${uri}: ${(e as Error).stack ?? e}`);
      this.notify({ uri, version: doc.version, state: 'error', message: `origin analysis failed: ${(e as Error).message}` });
      return;
    }
    const current = this.documents.get(uri);
    if (!current || current.version !== doc.version) return; // a newer refresh is scheduled
    if (!isAnalysis(r)) {
      this.mux.setOrigin(uri, []);
      this.notify({ uri, version: doc.version, state: r.state, message: r.unavailable });
      return;
    }
    this.mux.setOrigin(uri, this.diagnostics(r));
    const llmUnits = r.units.filter((u) => u.label === 'llm').length;
    this.notify({ uri, version: r.version, state: 'ready', file: r.file, threshold: r.threshold, llmUnits, units: r.units.length, message: r.notes.join(' ') || undefined });
    const st = this.state(uri);
    if (st.recordNext || (st.lastLabel !== undefined && st.lastLabel !== r.file.label)) {
      this.record(r, 'file', r.file, r.hash);
    }
    st.recordNext = false;
    st.lastLabel = r.file.label;
    this.prefetch(r);
  }

  private notify(p: OriginStatusParams): void {
    void this.connection.sendNotification(OriginStatusNotification, p);
  }

  diagnostics(a: DocAnalysis): Diagnostic[] {
    const sev = this.settings.severity ?? DiagnosticSeverity.Information;
    const out: Diagnostic[] = [];
    const make = (range: Range0, v: OriginVerdict, subject: string, data: Record<string, unknown>): Diagnostic => ({
      range,
      severity: sev,
      source: 'Code Origin',
      code: ORIGIN_DIAGNOSTIC_CODE,
      codeDescription: { href: ORIGIN_DOCS_URL },
      message: `${verdictText(v)}${subject ? ` — ${subject}` : ''}`,
      data: { kind: 'origin', p_llm: v.p_llm, confidence: v.confidence, threshold: a.threshold, ...data },
    });
    for (const u of a.units) {
      if (u.label !== 'llm') continue;
      out.push(make(u.name_range, u, '', { unit: u.name, unitKind: u.kind }));
    }
    // A file without judged units (a script) gets its verdict on its first line.
    if (a.file.label === 'llm' && !a.units.some((u) => u.label !== 'too-short')) {
      const doc = this.documents.get(a.uri);
      const firstLine = doc ? doc.getText({ start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }).replace(/\r?\n$/, '') : '';
      out.push(make({ start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } }, a.file, 'whole file', { unit: null }));
    }
    return out;
  }

  /** The analysis of the document's current version (shared by background refreshes and requests). */
  analysis(uri: string, priority: number): Promise<AnalysisOutcome> {
    const doc = this.documents.get(uri);
    if (!doc) return Promise.resolve({ unavailable: `document not open: ${uri}`, state: 'unavailable' });
    const st = this.state(uri);
    if (st.result && st.result.version === doc.version && !this.modelChangedSince()) return Promise.resolve(st.result);
    if (st.inflight && st.inflight.version === doc.version) return st.inflight.promise;
    const version = doc.version;
    const promise = this.analyse(doc, priority, st).then((r) => {
      if (st.inflight?.promise === promise) st.inflight = undefined;
      st.result = { ...r, version } as AnalysisOutcome & { version: number };
      return r;
    }, (e: unknown) => {
      if (st.inflight?.promise === promise) st.inflight = undefined;
      throw e;
    });
    st.inflight = { version, promise };
    return promise;
  }

  private modelChangedSince(): boolean {
    const before = this.engine;
    return this.ensureEngine() !== before;
  }

  private async analyse(doc: TextDocument, priority: number, st: DocState): Promise<AnalysisOutcome> {
    const s = this.settings;
    const host = this.hostSettings();
    if (!s.enabled) return { unavailable: 'origin analysis is off (codeOrigin.origin.enabled)', state: 'unavailable' };
    const language = detectLanguage(pathOfUri(doc.uri), doc.languageId);
    if (!language) return { unavailable: `origin analysis does not support language "${doc.languageId}"`, state: 'unavailable' };
    if (!host.enabledLanguages.includes(language) || !s.enabledLanguages.includes(language)) {
      return { unavailable: `language "${language}" is disabled in the Code Origin settings`, state: 'unavailable' };
    }
    // Line endings as everywhere else in the server (CRLF or lone CR read as LF); unit offsets map back to the buffer's.
    const raw = doc.getText();
    const text = normalizeLineEndings(raw);
    const toBuffer = originalOffset(raw);
    const problem = checkText(text, { maxBytes: host.maxFileSize });
    if (problem) return { unavailable: problem, state: 'unavailable' };
    if (text.trim().length === 0) return { unavailable: 'empty file', state: 'unavailable' };
    const notes: string[] = [];
    const minified = looksMinified(text);
    let units: OriginUnit[] = [];
    if (minified) notes.push('This looks like minified or generated code (very long lines): the model was not trained on such code, so the verdict is unreliable and no per-function verdicts or diagnostics are made.');
    else {
      try {
        units = await findUnits(text, language);
      } catch (e) {
        notes.push(`Functions could not be found (${(e as Error).message}); only the file is judged.`);
      }
    }
    const texts = [text, ...units.map((u) => text.slice(u.start, u.end))];
    const engine = this.ensureEngine();
    // The language is part of the key: a canonicalizing model reads the same text differently per language.
    const keyOf = (t: string) => `${contentHash(t)}:${language}:${s.minTokens}:${s.maxWindows}`;
    const keys = texts.map(keyOf);
    const missing: number[] = [];
    keys.forEach((k, i) => { if (!this.verdicts.get(k)) missing.push(i); });
    let info = this.info;
    if (missing.length || !info) {
      const job = engine.classify(missing.map((i) => texts[i]!), { language, minTokens: s.minTokens, maxWindows: s.maxWindows, priority });
      st.jobs.push(job.id);
      let res: Awaited<typeof job.promise>;
      try {
        res = await job.promise;
      } catch (e) {
        if (e instanceof OriginError && e.modelError) {
          this.reportModelError(e.message);
          return { unavailable: `the origin model could not be loaded: ${e.message}`, state: 'error' };
        }
        throw e;
      } finally {
        st.jobs = st.jobs.filter((j) => j !== job.id);
      }
      if (this.engine !== engine) throw new OriginError('cancelled: the model changed', false, true);
      this.info = info = res.info;
      missing.forEach((i, k) => this.verdicts.set(keys[i]!, res.verdicts[k]!));
    }
    const threshold = s.threshold ?? info.threshold;
    const fileV = this.verdicts.get(keys[0]!)!;
    const file = verdictOf(fileV, info, language, s);
    if (file.truncated) notes.push(`Long file: only its first ${file.windows} windows (about ${file.tokens} tokens) were classified.`);
    const judged: JudgedUnit[] = units.map((u, i) => ({
      ...verdictOf(this.verdicts.get(keys[i + 1]!)!, info!, language, s),
      name: u.name, kind: u.kind, range: u.range, name_range: u.name_range, start: toBuffer(u.start), end: toBuffer(u.end), hash: keys[i + 1]!,
    }));
    return { uri: doc.uri, version: doc.version, language, hash: contentHash(text), file, units: judged, notes, threshold, info };
  }

  /** Top tokens of the first few LLM units, computed while the user reads, so hovers need not wait. */
  private prefetch(a: DocAnalysis): void {
    if (!this.info || this.info.explainUnavailable) return;
    const doc = this.documents.get(a.uri);
    if (!doc) return;
    for (const u of a.units.filter((x) => x.label === 'llm').slice(0, PREFETCH_UNITS)) {
      this.explainText(normalizeLineEndings(doc.getText().slice(u.start, u.end)), a.language, PRIORITY_BACKGROUND + 1).catch(() => undefined);
    }
  }

  private explainText(text: string, language: OriginLanguage, priority: number): Promise<ExplainResult> {
    const s = this.settings;
    const key = `${contentHash(text)}:${language}:${s.steps}:${s.explainMaxWindows}`;
    let p = this.explanations.get(key);
    if (!p) {
      const job = this.ensureEngine().explain(text, { language, steps: s.steps, maxWindows: s.explainMaxWindows, top: 5, priority });
      p = job.promise.then((r) => r.explanation);
      // A failed explanation is not cached: the next request tries again.
      p.catch(() => this.explanations.delete(key));
      this.explanations.set(key, p);
    }
    return p;
  }

  // ---------------------------------------------------------------- hover

  async hover(params: HoverParams): Promise<Hover | null> {
    const uri = params.textDocument.uri;
    if (!this.settings.enabled || !this.documents.get(uri)) return null;
    const a = await this.analysis(uri, PRIORITY_INTERACTIVE).catch(() => undefined);
    if (!isAnalysis(a)) return null;
    const doc = this.documents.get(uri);
    if (!doc || doc.version !== a.version) return null;
    const u = unitAtName(a.units, params.position);
    if (!u) return null;
    let top: TopToken[] | undefined;
    let topNote: string | undefined;
    let steps: number | undefined;
    let cues: ExplainResult['cues'] | undefined;
    if (u.label === 'too-short') topNote = undefined;
    else if (a.info.explainUnavailable) topNote = a.info.explainUnavailable;
    else {
      try {
        const slice = doc.getText().slice(u.start, u.end);
        const toSlice = originalOffset(slice);
        const e = await timeout(this.explainText(normalizeLineEndings(slice), a.language, PRIORITY_INTERACTIVE), HOVER_IG_WAIT_MS);
        if (e) {
          steps = e.steps;
          cues = e.cues;
          top = topByMagnitude(e.tokens, 5).map((t) => {
            const pos = doc.positionAt(u.start + toSlice(t.start));
            return { text: t.text, score: t.score, line: pos.line + 1, column: pos.character + 1 };
          });
        } else topNote = 'Top tokens are still being computed (Integrated Gradients); hover again in a moment.';
      } catch (err) {
        topNote = `Top tokens unavailable: ${(err as Error).message}`;
      }
    }
    const value = originHoverMarkdown({ subject: `${u.kind} \`${u.name}\``, verdict: u, language: a.language, threshold: a.threshold, info: a.info, top, topNote, cues, steps });
    return { contents: { kind: MarkupKind.Markdown, value }, range: u.name_range };
  }

  // ---------------------------------------------------------------- requests

  private async classifyRequest(p: OriginClassifyParams): Promise<OriginClassifyResult> {
    const uri = p?.textDocument?.uri;
    try {
      if (typeof p?.text === 'string') return await this.classifySnippet(p.text, p.languageId, uri, p.range);
      if (typeof uri !== 'string') return { error: 'missing textDocument.uri or text' };
      const doc = this.documents.get(uri);
      if (!doc) return { uri, error: `document not open: ${uri}` };
      if (p.range) {
        const text = doc.getText(p.range);
        return await this.classifySnippet(text, p.languageId ?? doc.languageId, uri, p.range);
      }
      const a = await this.analysis(uri, PRIORITY_INTERACTIVE);
      if (!isAnalysis(a)) return { uri, error: a.unavailable };
      return {
        uri, version: a.version, language: a.language, threshold: a.threshold, file: a.file,
        units: a.units.map(({ start: _s, end: _e, hash: _h, ...u }) => u), notes: a.notes, model: a.info,
      };
    } catch (e) {
      if (e instanceof OriginError && e.cancelled) return { uri, error: 'cancelled: the document changed' };
      this.connection.console.error(`classify failed: ${(e as Error).stack ?? e}`);
      return { uri, error: (e as Error).message };
    }
  }

  /** A selection or a pasted snippet: judged as one unit, recorded in the history. */
  private async classifySnippet(text: string, languageId: string | undefined, uri: string | undefined, range: Range0 | undefined): Promise<OriginClassifyResult> {
    const s = this.settings;
    if (!s.enabled) return { uri, error: 'origin analysis is off (codeOrigin.origin.enabled)' };
    text = normalizeLineEndings(text);
    if (!text.trim()) return { uri, error: 'nothing to classify: the selection is empty' };
    const problem = checkText(text, { maxBytes: this.hostSettings().maxFileSize });
    if (problem) return { uri, error: problem };
    const language = languageId ? parseLanguage(languageId) : undefined;
    const job = this.ensureEngine().classify([text], { language: language ?? 'unknown', minTokens: s.minTokens, maxWindows: s.maxWindows, priority: PRIORITY_INTERACTIVE });
    let res: Awaited<typeof job.promise>;
    try {
      res = await job.promise;
    } catch (e) {
      if (e instanceof OriginError && e.modelError) {
        this.reportModelError(e.message);
        return { uri, error: `the origin model could not be loaded: ${e.message}` };
      }
      throw e;
    }
    this.info = res.info;
    const threshold = s.threshold ?? res.info.threshold;
    const file = verdictOf(res.verdicts[0]!, res.info, language ?? 'unknown', s);
    const notes: string[] = [];
    if (looksMinified(text)) notes.push('This looks like minified code: the verdict is unreliable.');
    if (file.truncated) notes.push(`Long text: only its first ${file.windows} windows were classified.`);
    const subject = range ? `selection ${range.start.line + 1}–${range.end.line + 1}` : 'snippet';
    this.recordRaw(uri ? pathOfUri(uri) : '(pasted snippet)', contentHash(text), language ?? languageId ?? 'unknown', res.info, subject, file);
    return { uri, language: language ?? languageId, threshold, file, units: [], notes, model: res.info };
  }

  private async explainRequest(p: OriginExplainParams): Promise<OriginExplainResult> {
    const uri = p?.textDocument?.uri;
    if (typeof uri !== 'string') return { uri: String(uri), error: 'missing textDocument.uri' };
    try {
      const doc = this.documents.get(uri);
      if (!doc) return { uri, error: `document not open: ${uri}` };
      const a = await this.analysis(uri, PRIORITY_INTERACTIVE);
      if (!isAnalysis(a)) return { uri, error: a.unavailable };
      if (a.info.explainUnavailable) return { uri, error: a.info.explainUnavailable };
      let start: number;
      let end: number;
      let subject: string;
      const unit = !p.range && p.position ? unitAt(a.units, p.position) : undefined;
      if (p.range) {
        start = doc.offsetAt(p.range.start);
        end = doc.offsetAt(p.range.end);
        const same = a.units.find((u) => u.start === start && u.end === end);
        subject = same ? `${same.kind} ${same.name}` : `selection ${p.range.start.line + 1}–${p.range.end.line + 1}`;
      } else if (unit) {
        ({ start, end } = unit);
        subject = `${unit.kind} ${unit.name}`;
      } else {
        start = 0;
        end = doc.getText().length;
        subject = 'file';
      }
      const text = normalizeLineEndings(doc.getText().slice(start, end));
      if (!text.trim()) return { uri, error: 'nothing to explain: the range is empty' };
      const version = doc.version;
      const e = await this.explainText(text, a.language, PRIORITY_INTERACTIVE);
      const now = this.documents.get(uri);
      if (!now || now.version !== version) return { uri, error: 'cancelled: the document changed while it was explained' };
      const toHighlight = (t: { start: number; end: number; text: string; score: number }): TokenHighlight => ({
        range: { start: doc.positionAt(start + t.start), end: doc.positionAt(start + t.end) }, text: t.text, score: t.score,
      });
      const tokens = e.tokens.map(toHighlight);
      const top = topByMagnitude(tokens, 5);
      const s = this.settings;
      const v = decide(a.info.verdict, e.p_llm, { language: a.language, unevaluatedLanguages: s.unevaluatedLanguages, llmThreshold: s.threshold });
      const label = v.label;
      this.recordRaw(pathOfUri(uri), contentHash(text), a.language, a.info, subject, { label, p_llm: e.p_llm, confidence: v.confidence, tokens: 0 }, top);
      return {
        uri, version, range: { start: doc.positionAt(start), end: doc.positionAt(end) }, subject, label, p_llm: e.p_llm,
        confidence: v.confidence, ...(v.reason ? { reason: v.reason } : {}), cues: e.cues,
        threshold: a.threshold, tokens, top, maxAbs: e.maxAbs, steps: e.steps, truncated: e.truncated, windows: e.windows, model: a.info,
      };
    } catch (e) {
      if (e instanceof OriginError && e.cancelled) return { uri, error: 'cancelled' };
      if (e instanceof OriginError && e.modelError) {
        this.reportModelError(e.message);
        return { uri, error: `the origin model could not be loaded: ${e.message}` };
      }
      this.connection.console.error(`explain failed: ${(e as Error).stack ?? e}`);
      return { uri, error: (e as Error).message };
    }
  }

  // ---------------------------------------------------------------- history

  private openHistory(): Promise<PredictionHistory | undefined> {
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

  private record(a: DocAnalysis, subject: string, v: OriginVerdict, hash: string): void {
    this.recordRaw(pathOfUri(a.uri), hash, a.language, a.info, subject, v);
  }

  private recordRaw(file: string, hash: string, language: string, info: ModelInfo, subject: string, v: OriginVerdict, top?: Array<{ text: string; score: number }>): void {
    void this.openHistory().then((h) => {
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

  private async historyRequest(p: PredictionHistoryParams): Promise<PredictionHistoryResult> {
    const h = await this.openHistory();
    if (!h) return { error: 'the prediction history is unavailable (no storage folder)' };
    const rows: PredictionRecord[] = h.list(typeof p?.limit === 'number' ? p.limit : 500);
    return { rows, total: h.count(), file: h.file, warning: h.warning };
  }

  private async exportRequest(): Promise<ExportPredictionHistoryResult> {
    const h = await this.openHistory();
    if (!h) return { error: 'the prediction history is unavailable (no storage folder)' };
    return { csv: h.toCsv(), rows: h.count() };
  }

  async dispose(): Promise<void> {
    for (const st of this.docs.values()) clearTimeout(st.timer);
    const h = await this.history?.catch(() => undefined);
    try {
      h?.close();
    } catch (e) {
      this.connection.console.error(`could not save the prediction history: ${(e as Error).message}`);
    }
    await this.engine?.dispose();
  }
}

/** Adds the origin hover to another hover handler's answer. */
export function withOriginHover<P extends HoverParams>(
  origin: () => OriginService | undefined,
  base: (p: P) => Promise<Hover | null | undefined>,
): (p: P) => Promise<Hover | null> {
  return async (p: P) => {
    const [b, o] = await Promise.all([
      base(p),
      (origin()?.hover(p) ?? Promise.resolve(null)).catch(() => null),
    ]);
    if (!o) return b ?? null;
    if (!b) return o;
    const text = (h: Hover) => (typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : String(h.contents));
    return { contents: { kind: MarkupKind.Markdown, value: `${text(o)}\n\n---\n\n${text(b)}` }, range: o.range ?? b.range };
  }
}
