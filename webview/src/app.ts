/// <reference lib="dom" />
// The panel: state, messages, tabs, and the views that share one analysis and one threshold.
import { baseName, clear, clearMarks, fmt, h, markPainted, measureSince } from './dom';
import {
  MAX_STATE_REPORT_CHARS, PANEL_TABS, parseHostMessage, parseState,
  type HostToWebview, type PanelState, type PanelTab, type SimilarityReport, type WebviewToHost,
} from './protocol';
import { buildModel, clusterOfDoc, clusterOrder, clustersAt, pairInfo, type Cluster, type Model, type PairInfo } from './model';
import { readPalette, type Palette } from './theme';
import { OverviewView } from './views/overview';
import { MatrixView } from './views/matrix';
import { GraphView } from './views/graph';
import { ClustersView } from './views/clusters';
import { PairView } from './views/pair';
import { AstView } from './views/ast';
import type { AstEntry, PanelContext, UpdateReason, View } from './views/view';
import { DEFAULT_CLUSTER_THRESHOLD } from '../../protocol/config';

export type { AstEntry, UpdateReason, View } from './views/view';

export interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Hidden views prepared in idle time, in this order. */
const PREFETCH_TABS: readonly PanelTab[] = ['matrix', 'graph'];

const TAB_LABELS: Record<PanelTab, string> = {
  overview: 'Overview', matrix: 'Matrix', graph: 'Graph', clusters: 'Clusters', pair: 'Pair', ast: 'AST',
};

export class App implements PanelContext {
  model: Model | undefined;
  threshold = DEFAULT_CLUSTER_THRESHOLD;
  clusters: Cluster[] = [];
  clusterOf: Int32Array = new Int32Array(0);
  order: number[] = [];
  palette: Palette;
  tab: PanelTab = 'overview';
  pair: PairInfo | undefined;
  astPath: string | undefined;
  node: string | undefined;
  readonly files = new Map<string, { text?: string; error?: string }>();
  readonly asts = new Map<string, AstEntry>();
  private readonly pendingFiles = new Set<string>();
  private readonly pendingAst = new Set<string>();
  private readonly views: Record<PanelTab, View>;
  private readonly dirty = new Set<PanelTab>();
  private readonly tabButtons = new Map<PanelTab, HTMLButtonElement>();
  private readonly panels = new Map<PanelTab, HTMLElement>();
  private readonly thresholdInput: HTMLInputElement;
  private readonly thresholdOut: HTMLOutputElement;
  private readonly headerInfo: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly live: HTMLElement;
  private keepReport = false;
  private saveTimer = 0;
  private renderCount = 0;

  constructor(root: HTMLElement, private readonly vscode: VsCodeApi) {
    this.palette = readPalette();
    this.views = {
      overview: new OverviewView(this),
      matrix: new MatrixView(this),
      graph: new GraphView(this),
      clusters: new ClustersView(this),
      pair: new PairView(this),
      ast: new AstView(this),
    };

    const tablist = h('div', { role: 'tablist', 'aria-label': 'Similarity views', class: 'tabs' });
    for (const t of PANEL_TABS) {
      const b = h('button', { role: 'tab', id: `tab-${t}`, 'aria-controls': `panel-${t}`, 'aria-selected': 'false', tabindex: '-1', class: 'tab', 'data-tab': t }, TAB_LABELS[t]);
      b.addEventListener('click', () => this.showTab(t));
      b.addEventListener('keydown', (e) => this.tabKey(e, t));
      this.tabButtons.set(t, b);
      tablist.append(b);
    }
    this.thresholdInput = h('input', { type: 'range', min: '0', max: '1', step: '0.01', id: 'threshold', 'aria-label': 'Similarity threshold', class: 'threshold-range' });
    this.thresholdOut = h('output', { for: 'threshold', class: 'threshold-value', 'aria-live': 'off' });
    this.thresholdInput.addEventListener('input', () => this.setThreshold(Number(this.thresholdInput.value)));
    this.headerInfo = h('span', { class: 'header-info' });
    const header = h('header', { class: 'toolbar' },
      tablist,
      h('div', { class: 'threshold' }, h('label', { for: 'threshold' }, 'Threshold'), this.thresholdInput, this.thresholdOut),
      this.headerInfo,
    );
    this.empty = h('div', { class: 'empty', role: 'status' },
      h('h2', {}, 'No similarity analysis yet'),
      h('p', {}, 'Run “Code Origin: Compare” on a folder or on submissions; the results appear here.'));
    const main = h('main', { class: 'panels' });
    for (const t of PANEL_TABS) {
      const p = h('section', { role: 'tabpanel', id: `panel-${t}`, 'aria-labelledby': `tab-${t}`, class: `panel panel-${t}`, hidden: true, tabindex: '-1' });
      p.append(this.views[t].el);
      this.panels.set(t, p);
      main.append(p);
    }
    this.live = h('div', { class: 'sr-only', 'aria-live': 'polite', role: 'status' });
    root.append(header, this.empty, main, this.live);

    window.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data));
    // VS Code swaps body classes when the theme changes; canvases re-read their colours.
    // (It also rewrites the variables in the <html> element's style.)
    const themeObserver = new MutationObserver(() => this.themeChanged());
    themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    window.addEventListener('resize', () => this.views[this.tab].shown?.(true));

    // Tell the host first (with the analysis a reload kept, so it need not send it again), then restore.
    const st = parseState(vscode.getState());
    this.post({ type: 'ready', ...(st?.report ? { analysisId: st.report.analysis_id } : {}) });
    if (st) this.restore(st);
    this.setTabUi();
    if (this.dirty.has(this.tab) && this.model) this.updateView(this.tab, 'model');
    this.refreshEmpty();
  }

  // ----- messages

  post(msg: WebviewToHost): void {
    this.vscode.postMessage(msg);
  }

  private onMessage(data: unknown): void {
    const t0 = performance.now();
    const r = parseHostMessage(data);
    if (r.ok && r.value.type === 'analysis') {
      clearMarks();
      measureSince('validate', t0);
    }
    if (!r.ok) {
      console.warn(`Code Origin panel: ignored a message: ${r.error}`);
      this.post({ type: 'log', level: 'warn', message: `ignored a message: ${r.error}`.slice(0, 4000) });
      return;
    }
    this.handle(r.value);
  }

  private handle(m: HostToWebview): void {
    switch (m.type) {
      case 'analysis':
        this.setReport(m.report);
        break;
      case 'clear':
        this.model = undefined;
        this.pair = undefined;
        this.refreshEmpty();
        this.save();
        break;
      case 'fileContents':
        this.pendingFiles.delete(m.path);
        this.files.set(m.path, { text: m.text, error: m.error ?? (m.text === undefined ? 'no text' : undefined) });
        this.invalidate(['pair'], 'data');
        break;
      case 'ast':
        this.pendingAst.delete(m.path);
        this.asts.set(m.path, { ast: m.ast, summary: m.summary, error: m.error });
        this.invalidate(['ast'], 'data');
        break;
      case 'showPair':
        this.openPair(m.file1, m.file2, false);
        break;
      case 'showTab':
        if (m.tab === 'ast' && m.path) this.showAst(m.path);
        else this.showTab(m.tab);
        break;
    }
  }

  // ----- analysis and threshold

  setReport(report: SimilarityReport): void {
    const t0 = performance.now();
    const sameAnalysis = this.model?.report.analysis_id === report.analysis_id;
    this.model = buildModel(report);
    measureSince('model', t0);
    if (!sameAnalysis) {
      this.threshold = this.restoredThreshold ?? this.model.clusterThreshold;
      this.restoredThreshold = undefined;
      this.files.clear();
      this.asts.clear();
      this.pendingFiles.clear();
    }
    this.takePendingPair();
    if (this.pair) this.pair = pairInfo(this.model, this.pair.file1, this.pair.file2);
    this.keepReport = estimateChars(report, MAX_STATE_REPORT_CHARS) <= MAX_STATE_REPORT_CHARS;
    const t1 = performance.now();
    this.recluster();
    measureSince('cluster', t1);
    this.refreshEmpty();
    this.invalidate(PANEL_TABS, 'model');
    document.body.dataset.analysis = report.analysis_id;
    document.body.dataset.modelMs = String(Math.round(performance.now() - t0));
    this.announce(`Analysis loaded: ${report.summary.total_files} files, ${report.similarity.pairs.length} pairs.`);
    this.save();
  }

  private restoredThreshold: number | undefined;

  setThreshold(t: number): void {
    const v = Math.round(Math.min(1, Math.max(0, t)) * 100) / 100;
    if (v === this.threshold && this.thresholdInput.value === String(v)) return;
    this.threshold = v;
    this.recluster();
    this.invalidate(PANEL_TABS, 'threshold');
    this.save();
  }

  private recluster(): void {
    this.thresholdInput.value = String(this.threshold);
    this.thresholdOut.value = fmt(this.threshold);
    this.thresholdInput.setAttribute('aria-valuetext', `${fmt(this.threshold)}`);
    if (!this.model) return;
    this.clusters = clustersAt(this.model, this.threshold);
    this.clusterOf = clusterOfDoc(this.model, this.clusters);
    this.order = clusterOrder(this.model, this.clusters);
    const r = this.model.report;
    this.headerInfo.textContent = `${r.summary.total_files} files · ${this.clusters.length} clusters at ≥ ${fmt(this.threshold)}`;
  }

  /** Marks views for update; the visible one updates now, the others when shown (or in idle time, see prefetch). */
  invalidate(tabs: readonly PanelTab[], reason: UpdateReason): void {
    for (const t of tabs) {
      if (t === this.tab) this.updateView(t, reason);
      else this.dirty.add(t);
    }
    // While the threshold is being dragged, hidden views wait until it rests.
    this.schedulePrefetch(reason === 'threshold' ? 300 : 0);
  }

  private updateView(t: PanelTab, reason: UpdateReason): void {
    const t0 = performance.now();
    this.dirty.delete(t);
    this.views[t].update(reason);
    this.panels.get(t)!.dataset.rendered = String(++this.renderCount);
    measureSince(`view:${t}`, t0);
    if (t === this.tab) markPainted(t);
  }

  private prefetchHandle = 0;
  private prefetchTimer = 0;

  /**
   * The views whose preparation is heavy (the matrix image, the graph's layout) prepare while hidden,
   * one per idle period once the visible view is painted, so that opening them later only draws.
   */
  private schedulePrefetch(delayMs = 0): void {
    if (typeof requestIdleCallback !== 'function') return;
    if (delayMs > 0) {
      clearTimeout(this.prefetchTimer);
      this.prefetchTimer = window.setTimeout(() => {
        this.prefetchTimer = 0;
        this.schedulePrefetch();
      }, delayMs);
      return;
    }
    const next = () => PREFETCH_TABS.find((t) => t !== this.tab && this.dirty.has(t));
    if (this.prefetchHandle || this.prefetchTimer || !this.model || !next()) return;
    this.prefetchHandle = requestIdleCallback(() => {
      this.prefetchHandle = 0;
      const t = next();
      if (!t || !this.model || this.prefetchTimer) return;
      this.updateView(t, 'model');
      this.schedulePrefetch();
    });
  }

  private themeChanged(): void {
    const p = readPalette();
    if (JSON.stringify(p) === JSON.stringify(this.palette)) return;
    this.palette = p;
    this.invalidate(PANEL_TABS, 'theme');
  }

  // ----- navigation

  showTab(t: PanelTab, focus = false): void {
    if (t !== this.tab) this.views[this.tab].shown?.(false);
    this.tab = t;
    this.setTabUi();
    if (this.dirty.has(t)) this.updateView(t, 'model');
    else markPainted(t);
    this.views[t].shown?.(true);
    if (focus) this.tabButtons.get(t)!.focus();
    this.save();
  }

  private setTabUi(): void {
    for (const t of PANEL_TABS) {
      const on = t === this.tab;
      const b = this.tabButtons.get(t)!;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      this.panels.get(t)!.hidden = !on;
    }
    document.body.dataset.tab = this.tab;
  }

  private tabKey(e: KeyboardEvent, t: PanelTab): void {
    const i = PANEL_TABS.indexOf(t);
    let next: number | undefined;
    if (e.key === 'ArrowRight') next = (i + 1) % PANEL_TABS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + PANEL_TABS.length) % PANEL_TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = PANEL_TABS.length - 1;
    if (next === undefined) return;
    e.preventDefault();
    this.showTab(PANEL_TABS[next]!, true);
  }

  /** Shows a pair in the pair view; `notify` tells the host (a user action in the panel). */
  openPair(file1: string, file2: string, notify = true): void {
    if (!this.model) return;
    const info = pairInfo(this.model, file1, file2);
    if (!info) return;
    this.pair = info;
    if (notify) this.post({ type: 'openPair', file1: info.file1, file2: info.file2 });
    this.announce(`Pair ${baseName(info.file1)} and ${baseName(info.file2)}, similarity ${fmt(info.score)}`);
    this.dirty.add('pair');
    this.showTab('pair');
  }

  showAst(path: string): void {
    this.astPath = path;
    this.requestAst(path);
    this.dirty.add('ast');
    this.showTab('ast');
  }

  selectNode(name: string | undefined): void {
    this.node = name;
    this.save();
  }

  openFile(path: string, line?: number, endLine?: number): void {
    this.post({ type: 'openFile', path, ...(line && line >= 1 ? { line } : {}), ...(endLine && endLine >= 1 ? { endLine } : {}) });
  }

  /** Full text of a file, asking the host for it the first time. */
  fileText(path: string): { text?: string; error?: string } | undefined {
    const f = this.files.get(path);
    if (f) return f;
    if (!this.pendingFiles.has(path)) {
      this.pendingFiles.add(path);
      this.post({ type: 'requestFile', path });
    }
    return undefined;
  }

  requestAst(path: string, force = false): void {
    if (force) this.asts.delete(path);
    if (this.asts.has(path) || this.pendingAst.has(path)) return;
    this.pendingAst.add(path);
    this.post({ type: 'requestAst', path });
  }

  isAstPending(path: string): boolean {
    return this.pendingAst.has(path);
  }

  announce(text: string): void {
    this.live.textContent = text;
  }

  private refreshEmpty(): void {
    const has = !!this.model;
    this.empty.hidden = has;
    document.body.classList.toggle('no-analysis', !has);
    this.thresholdInput.disabled = !has;
    if (!has) {
      this.headerInfo.textContent = '';
      for (const t of PANEL_TABS) clear(this.views[t].el);
      this.invalidate(PANEL_TABS, 'model');
    }
  }

  // ----- state

  private restore(st: PanelState): void {
    this.tab = st.tab;
    this.astPath = st.astPath;
    this.node = st.node;
    if (st.threshold !== undefined) this.threshold = st.threshold;
    this.restoredThreshold = st.threshold;
    if (st.pair) this.pendingPair = st.pair;
    for (const t of PANEL_TABS) this.dirty.add(t);
    if (st.report) this.setReport(st.report);
    if (this.astPath && this.model) this.requestAst(this.astPath);
  }

  private pendingPair: { file1: string; file2: string } | undefined;

  /** After a report arrives, a pair remembered from before a reload comes back. */
  takePendingPair(): void {
    if (this.pendingPair && this.model) {
      this.pair = pairInfo(this.model, this.pendingPair.file1, this.pendingPair.file2);
      this.pendingPair = undefined;
    }
  }

  save(): void {
    if (this.saveTimer) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = 0;
      const st: PanelState = {
        v: 1, tab: this.tab, threshold: this.threshold,
        ...(this.pair ? { pair: { file1: this.pair.file1, file2: this.pair.file2 } } : {}),
        ...(this.astPath ? { astPath: this.astPath } : {}),
        ...(this.node ? { node: this.node } : {}),
        ...(this.model && this.keepReport ? { report: this.model.report } : {}),
      };
      this.vscode.setState(st);
    }, 300);
  }
}

/** Roughly how long the report is as JSON, without building the string (the matrix dominates); stops counting above `limit`. */
function estimateChars(r: SimilarityReport, limit: number): number {
  let n = 2000 + r.files.length * 120;
  const m = r.matrix?.values;
  if (m) n += m.length * m.length * 4;
  for (const p of r.similarity.pairs) {
    if (n > limit) break;
    n += 300;
    for (const g of p.matching_regions) n += 120 + (g.file1_code?.length ?? 0) + (g.file2_code?.length ?? 0);
  }
  return n;
}
