// The extension side of the similarity panel: creates or reveals the webview panel, serves it the
// CSP-locked page from dist/webview, posts analyses to it, answers its requests through the
// handlers it was given, and revives it after VS Code reloads (WebviewPanelSerializer).
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  parseReport, parseState, parseWebviewMessage,
  type AstViewData, type HostToWebview, type PanelState, type PanelTab, type SimilarityReport, type StructureSummaryData, type WebviewToHost,
} from '../../../protocol/panel';
import { makeNonce, panelHtml } from './html';

export interface AstAnswer { ast?: AstViewData; summary?: StructureSummaryData; error?: string }

/** What the panel needs from the extension. Every path is as the report writes it. */
export interface SimilarityPanelHandlers {
  /** The AST view (codeOrigin/visualizeAst) and structure summary (codeOrigin/structureSummary) of a file. */
  getAst(filePath: string): Promise<AstAnswer>;
  /** Full text of a file for the pair view. Default: read resolvePath(path) with workspace.fs. */
  readFile?(filePath: string): Promise<string>;
  /** Open a file at a one-based line range. Default: showTextDocument at resolvePath(path). */
  openFile?(filePath: string, line?: number, endLine?: number): Promise<void> | void;
  /** A report path → a URI. Default: absolute paths as is, others against the first workspace folder. */
  resolvePath?(filePath: string): vscode.Uri;
  /** The user opened a pair in the panel (informational). */
  onOpenPair?(file1: string, file2: string): void;
  /** The analysis to show when a panel is revived after a reload, if the extension still has it. */
  currentReport?(): SimilarityReport | undefined;
  /** Diagnostics (invalid messages, failures); e.g. the "Code Origin" output channel. */
  log?(message: string): void;
}

export class SimilarityPanel implements vscode.Disposable {
  static readonly viewType = 'codeOrigin.similarityPanel';
  static current: SimilarityPanel | undefined;

  private report: SimilarityReport | undefined;
  /** Paths the webview may ask about: the files of the current report and of its regions. */
  private allowed = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Whether the page has said "ready" since it last loaded; until then messages wait in `queue`. */
  private ready = false;
  private queue: HostToWebview[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  /** Options every panel of this type gets: scripts on, only dist/webview readable. */
  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
      retainContextWhenHidden: false,
      enableFindWidget: true,
    };
  }

  /** Reveals the panel, creating it if needed; shows `report` when given. */
  static show(extensionUri: vscode.Uri, handlers: SimilarityPanelHandlers, report?: SimilarityReport, column?: vscode.ViewColumn): SimilarityPanel {
    let p = SimilarityPanel.current;
    if (p) {
      p.panel.reveal(column ?? p.panel.viewColumn, false);
    } else {
      const panel = vscode.window.createWebviewPanel(SimilarityPanel.viewType, 'Code Origin: Similarity', column ?? vscode.ViewColumn.Active, SimilarityPanel.webviewOptions(extensionUri));
      p = new SimilarityPanel(panel, extensionUri, handlers);
    }
    if (report) p.showAnalysis(report);
    return p;
  }

  /** Registers the serializer that revives the panel after VS Code reloads. Call once in activate(). */
  static registerSerializer(extensionUri: vscode.Uri, handlers: SimilarityPanelHandlers): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(SimilarityPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        SimilarityPanel.current?.dispose();
        panel.webview.options = SimilarityPanel.webviewOptions(extensionUri);
        const p = new SimilarityPanel(panel, extensionUri, handlers);
        const st: PanelState | undefined = parseState(state);
        const report = handlers.currentReport?.() ?? st?.report;
        if (report) p.setReport(report);
      },
    });
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly extensionUri: vscode.Uri, private readonly handlers: SimilarityPanelHandlers) {
    SimilarityPanel.current = this;
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const webview = panel.webview;
    panel.iconPath = undefined;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.css')).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      // A hidden panel's page is unloaded (no retainContextWhenHidden); it says "ready" again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
  }

  /** The analysis shown now, if any. */
  get currentReport(): SimilarityReport | undefined {
    return this.report;
  }

  /** Shows an analysis (replacing the one shown). Returns false, and logs why, if the report is malformed. */
  showAnalysis(report: SimilarityReport): boolean {
    const r = parseReport(report);
    if (!r.ok) {
      this.log(`not shown, the report is malformed: ${r.error}`);
      return false;
    }
    this.setReport(report);
    void this.post({ type: 'analysis', report });
    return true;
  }

  /** Shows a pair in the pair view (e.g. from the tree view). */
  showPair(file1: string, file2: string): void {
    void this.post({ type: 'showPair', file1, file2 });
  }

  /** Switches tab; with 'ast' and a path, shows that file's syntax tree. */
  showTab(tab: PanelTab, filePath?: string): void {
    void this.post({ type: 'showTab', tab, ...(filePath ? { path: filePath } : {}) });
  }

  /** Removes the analysis (the panel shows its empty state). */
  clear(reason?: string): void {
    this.report = undefined;
    this.allowed.clear();
    void this.post({ type: 'clear', ...(reason ? { reason } : {}) });
  }

  dispose(): void {
    if (SimilarityPanel.current === this) SimilarityPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }

  private setReport(report: SimilarityReport): void {
    this.report = report;
    const allowed = new Set<string>();
    for (const f of report.files) allowed.add(f.path);
    for (const p of report.similarity.pairs) {
      allowed.add(p.file1);
      allowed.add(p.file2);
      for (const r of p.matching_regions) {
        if (r.file1) allowed.add(r.file1);
        if (r.file2) allowed.add(r.file2);
      }
    }
    this.allowed = allowed;
  }

  /**
   * Posts now if the page is listening, else queues: an analysis is sent on "ready" anyway (the
   * latest), other messages are kept in order (only the last of each type).
   */
  private post(m: HostToWebview): Thenable<boolean> {
    if (this.ready) return this.panel.webview.postMessage(m);
    if (m.type === 'analysis') this.queue = this.queue.filter((q) => q.type !== 'clear');
    else this.queue = [...this.queue.filter((q) => q.type !== m.type), m];
    return Promise.resolve(false);
  }

  private log(message: string): void {
    this.handlers.log?.(`Similarity panel: ${message}`);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log(`ignored a message: ${parsed.error}`);
      return;
    }
    const m: WebviewToHost = parsed.value;
    try {
      switch (m.type) {
        case 'ready': {
          this.ready = true;
          if (!this.report) {
            const r = this.handlers.currentReport?.();
            if (r && parseReport(r).ok) this.setReport(r);
          }
          if (this.report && m.analysisId !== this.report.analysis_id) await this.post({ type: 'analysis', report: this.report });
          const queued = this.queue;
          this.queue = [];
          for (const q of queued) await this.post(q);
          return;
        }
        case 'openPair':
          this.handlers.onOpenPair?.(m.file1, m.file2);
          return;
        case 'log':
          this.log(`webview ${m.level}: ${m.message}`);
          return;
        case 'openFile':
          if (!this.check(m.path)) return;
          if (this.handlers.openFile) await this.handlers.openFile(m.path, m.line, m.endLine);
          else await this.defaultOpen(m.path, m.line, m.endLine);
          return;
        case 'requestFile': {
          if (!this.check(m.path)) {
            await this.post({ type: 'fileContents', path: m.path, error: 'not a file of this analysis' });
            return;
          }
          try {
            const text = this.handlers.readFile ? await this.handlers.readFile(m.path) : await this.defaultRead(m.path);
            await this.post({ type: 'fileContents', path: m.path, text });
          } catch (e) {
            await this.post({ type: 'fileContents', path: m.path, error: (e as Error).message.slice(0, 500) });
          }
          return;
        }
        case 'requestAst': {
          if (!this.check(m.path)) {
            await this.post({ type: 'ast', path: m.path, error: 'not a file of this analysis' });
            return;
          }
          let a: AstAnswer;
          try {
            a = await this.handlers.getAst(m.path);
          } catch (e) {
            a = { error: (e as Error).message.slice(0, 500) };
          }
          await this.post({ type: 'ast', path: m.path, ...a });
          return;
        }
      }
    } catch (e) {
      this.log(`${m.type} failed: ${(e as Error).message}`);
    }
  }

  /** Only files the current analysis names may be read or opened on the webview's behalf. */
  private check(p: string): boolean {
    if (this.allowed.has(p)) return true;
    this.log(`refused a request for a file outside the analysis: ${p}`);
    return false;
  }

  private resolve(p: string): vscode.Uri {
    if (this.handlers.resolvePath) return this.handlers.resolvePath(p);
    if (path.isAbsolute(p)) return vscode.Uri.file(p);
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, p) : vscode.Uri.file(path.resolve(p));
  }

  private async defaultRead(p: string): Promise<string> {
    const bytes = await vscode.workspace.fs.readFile(this.resolve(p));
    if (bytes.byteLength > 8 * 1024 * 1024) throw new Error('file larger than 8 MiB');
    return new TextDecoder('utf-8').decode(bytes);
  }

  private async defaultOpen(p: string, line?: number, endLine?: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.resolve(p));
    const start = Math.max(0, (line ?? 1) - 1);
    const end = Math.max(start, (endLine ?? line ?? 1) - 1);
    const range = new vscode.Range(start, 0, end, doc.lineAt(Math.min(end, doc.lineCount - 1)).text.length);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, selection: new vscode.Range(range.start, range.start) });
    const editor = vscode.window.activeTextEditor;
    editor?.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** For tests and the e2e harness: the extension URI this panel serves from. */
  get root(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }
}
