/// <reference lib="dom" />
// Overview: the headline numbers, the judge's summary, the score histogram with its draggable
// threshold (which filters every other view) and the pairs above the threshold.
import type { PanelContext, UpdateReason, View } from './view';
import { baseName, clear, fmt, h, s } from '../dom';
import { HISTOGRAM_BINS, histogram, type Model } from '../model';
import type { ReportPair } from '../protocol';
import { verdictBlock } from './verdict';

const W = 480;
const H = 170;
const M = { l: 34, r: 12, t: 18, b: 30 };
const MAX_ROWS = 200;
/** Rows shown at first (a table's layout grows with its rows); "Show more" adds as many again. */
const PAGE_ROWS = 50;

export class OverviewView implements View {
  readonly el = h('div', { class: 'overview' });
  private svg: SVGSVGElement | undefined;
  private bars: SVGRectElement[] = [];
  private line: SVGLineElement | undefined;
  private handle: SVGGElement | undefined;
  private tableBody: HTMLTableSectionElement | undefined;
  private pairsCaption: HTMLElement | undefined;
  private readonly more = h('button', { class: 'secondary more-pairs' });
  private shownPairs: ReportPair[] = [];
  private rows = 0;

  constructor(private readonly app: PanelContext) {
    this.more.addEventListener('click', () => {
      const first = this.rows;
      this.addRows(Math.min(MAX_ROWS, this.rows + PAGE_ROWS));
      // Keyboard users continue from the first new row.
      (this.tableBody?.rows[first]?.querySelector('button') as HTMLButtonElement | null)?.focus();
    });
  }

  update(reason: UpdateReason): void {
    if (!this.app.model) return;
    if (reason === 'threshold' && this.svg) {
      this.placeThreshold();
      this.fillPairs();
      return;
    }
    this.build();
  }

  private build(): void {
    const m = this.app.model!;
    const r = m.report;
    clear(this.el);
    const cards = h('div', { class: 'cards', role: 'list', 'aria-label': 'Summary' },
      card('Files', String(r.summary.total_files), r.summary.total_documents !== undefined && r.summary.total_documents !== r.summary.total_files ? `${r.summary.total_documents} documents` : undefined),
      card('Suspicious pairs', String(r.summary.suspicious_pairs_count), `score ≥ ${fmt(m.minScore)}`),
      card('Highest similarity', fmt(r.summary.highest_similarity)),
      card('Clusters', String(r.summary.cluster_count), `at ≥ ${fmt(m.clusterThreshold)}`),
    );
    this.el.append(cards);
    if (r.llm_summary !== undefined && r.llm_summary !== null) {
      this.el.append(h('section', { class: 'judge', 'aria-label': 'Judge summary' }, h('h3', {}, 'Judge summary'), verdictBlock(r.llm_summary)));
    }
    const errors = r.files.filter((f) => f.error);
    if (errors.length) {
      const list = h('ul', { class: 'errors' });
      for (const f of errors.slice(0, 50)) list.append(h('li', {}, h('span', { class: 'path' }, f.path), `: ${f.error}`));
      if (errors.length > 50) list.append(h('li', {}, `… and ${errors.length - 50} more`));
      this.el.append(h('details', { class: 'skipped' }, h('summary', {}, `${errors.length} file(s) skipped`), list));
    }
    this.el.append(h('section', { class: 'histogram-section', 'aria-label': 'Score histogram' },
      h('h3', { id: 'hist-title' }, 'Pair scores'),
      h('p', { class: 'hint' }, 'Drag the threshold (or focus it and use the arrow keys): pairs below it are hidden in every view.'),
      this.buildHistogram()));
    this.pairsCaption = h('h3', {});
    const table = h('table', { class: 'pairs-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Score'), h('th', { scope: 'col' }, 'File 1'), h('th', { scope: 'col' }, 'File 2'),
        h('th', { scope: 'col', class: 'num' }, 'AST'), h('th', { scope: 'col', class: 'num' }, 'CFG'), h('th', { scope: 'col', class: 'num' }, 'Data flow'),
        h('th', { scope: 'col' }, 'Verdict'))));
    this.tableBody = h('tbody', {});
    table.append(this.tableBody);
    this.el.append(h('section', { class: 'pairs-section' }, this.pairsCaption, h('div', { class: 'table-wrap' }, table), this.more));
    this.placeThreshold();
    this.fillPairs();
  }

  private buildHistogram(): SVGSVGElement {
    const m = this.app.model!;
    const bins = histogram(m);
    const max = Math.max(1, ...bins);
    const iw = W - M.l - M.r;
    const ih = H - M.t - M.b;
    const bw = iw / HISTOGRAM_BINS;
    const y = (c: number) => ih * Math.sqrt(c / max);
    const svg = s('svg', { class: 'histogram', viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-labelledby': 'hist-title', 'data-bins': HISTOGRAM_BINS });
    const g = s('g', { transform: `translate(${M.l},${M.t})` });
    svg.append(g);
    this.bars = [];
    bins.forEach((c, k) => {
      const lo = k / HISTOGRAM_BINS;
      const hi = (k + 1) / HISTOGRAM_BINS;
      const bh = y(c);
      const rect = s('rect', {
        class: 'bin', x: k * bw + 1, y: ih - bh, width: Math.max(1, bw - 2), height: bh,
        'data-bin': k, 'data-count': c, 'data-lo': lo.toFixed(2),
        role: 'img', 'aria-label': `${c} pair(s) scoring ${lo.toFixed(2)} to ${hi.toFixed(2)}`,
      }, s('title', {}, `${lo.toFixed(2)}–${hi.toFixed(2)}: ${c} pair(s)`));
      this.bars.push(rect);
      g.append(rect);
      if (c > 0) g.append(s('text', { class: 'bin-count', x: k * bw + bw / 2, y: ih - bh - 3, 'text-anchor': 'middle' }, String(c)));
    });
    g.append(s('line', { class: 'axis', x1: 0, x2: iw, y1: ih, y2: ih }));
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      g.append(s('line', { class: 'tick', x1: t * iw, x2: t * iw, y1: ih, y2: ih + 4 }));
      g.append(s('text', { class: 'tick-label', x: t * iw, y: ih + 16, 'text-anchor': 'middle' }, t.toFixed(2)));
    }
    g.append(s('text', { class: 'tick-label', x: -6, y: 4, 'text-anchor': 'end' }, String(max)));
    g.append(s('text', { class: 'tick-label', x: -6, y: ih, 'text-anchor': 'end' }, '0'));
    this.line = s('line', { class: 'threshold-line', x1: 0, x2: 0, y1: -8, y2: ih });
    const handle = s('g', {
      class: 'threshold-handle', tabindex: '0', role: 'slider', 'aria-label': 'Threshold',
      'aria-valuemin': '0', 'aria-valuemax': '1',
    }, s('rect', { x: -7, y: -16, width: 14, height: 12, rx: 3 }), s('rect', { class: 'hit', x: -10, y: -18, width: 20, height: ih + 18 }));
    g.append(this.line, handle);
    this.handle = handle;

    const toT = (ev: PointerEvent) => {
      const ctm = g.getScreenCTM();
      if (!ctm) return this.app.threshold;
      const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(ctm.inverse());
      return p.x / iw;
    };
    let dragging = false;
    svg.addEventListener('pointerdown', (ev) => {
      dragging = true;
      svg.setPointerCapture(ev.pointerId);
      this.app.setThreshold(toT(ev));
      handle.focus();
      ev.preventDefault();
    });
    svg.addEventListener('pointermove', (ev) => {
      if (dragging) this.app.setThreshold(toT(ev));
    });
    const end = (ev: PointerEvent) => {
      dragging = false;
      if (svg.hasPointerCapture(ev.pointerId)) svg.releasePointerCapture(ev.pointerId);
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
    handle.addEventListener('keydown', (ev) => {
      const t = this.app.threshold;
      const step: Record<string, number> = { ArrowRight: 0.01, ArrowUp: 0.01, ArrowLeft: -0.01, ArrowDown: -0.01, PageUp: 0.1, PageDown: -0.1 };
      if (ev.key in step) this.app.setThreshold(t + step[ev.key]!);
      else if (ev.key === 'Home') this.app.setThreshold(0);
      else if (ev.key === 'End') this.app.setThreshold(1);
      else return;
      ev.preventDefault();
    });
    this.svg = svg;
    this.iw = iw;
    return svg;
  }

  private iw = 0;

  private placeThreshold(): void {
    const t = this.app.threshold;
    const x = t * this.iw;
    this.line?.setAttribute('x1', String(x));
    this.line?.setAttribute('x2', String(x));
    this.handle?.setAttribute('transform', `translate(${x},0)`);
    this.handle?.setAttribute('aria-valuenow', t.toFixed(2));
    this.handle?.setAttribute('aria-valuetext', `${t.toFixed(2)}`);
    this.bars.forEach((b, k) => b.classList.toggle('below', (k + 1) / HISTOGRAM_BINS <= t + 1e-9));
  }

  private fillPairs(): void {
    const m = this.app.model!;
    const body = this.tableBody!;
    clear(body);
    const t = this.app.threshold;
    this.shownPairs = m.report.similarity.pairs.filter((p) => p.similarity_score >= t);
    this.rows = 0;
    if (this.shownPairs.length === 0) body.append(h('tr', {}, h('td', { colspan: '7', class: 'muted' }, 'No pair at or above the threshold. Drag it lower.')));
    this.addRows(Math.min(PAGE_ROWS, MAX_ROWS));
  }

  /** Shows the pairs above the threshold up to row `upTo` (they are strongest first). */
  private addRows(upTo: number): void {
    const body = this.tableBody!;
    const shown = this.shownPairs;
    const end = Math.min(upTo, shown.length);
    for (let k = this.rows; k < end; k++) {
      const p = shown[k]!;
      const sig = p.significance === undefined ? '' : ` (${p.significance.toFixed(1)}σ above the class${p.standout === undefined ? '' : `, ${p.standout.toFixed(1)}× either file's next-best match`})`;
      const open = h('button', { class: 'link', title: `Open the pair ${p.file1} ↔ ${p.file2}${sig}` }, fmt(p.similarity_score));
      open.addEventListener('click', () => this.app.openPair(p.file1, p.file2));
      const v = verdictLabel(p.refined_verdict?.refined_classification) ?? verdictLabel(p.refined_verdict?.refined_risk_level)
        ?? (typeof p.llm_verdict === 'object' && p.llm_verdict ? verdictLabel((p.llm_verdict as Record<string, unknown>).classification) : undefined) ?? '';
      body.append(h('tr', {},
        h('td', {}, open),
        h('td', { class: 'path', title: p.file1 }, baseName(p.file1), ...archiveBadge(this.app.model!, p.file1)),
        h('td', { class: 'path', title: p.file2 }, baseName(p.file2), ...archiveBadge(this.app.model!, p.file2)),
        h('td', { class: 'num' }, fmt(p.components.ast)),
        h('td', { class: 'num' }, fmt(p.components.cfg)),
        h('td', { class: 'num' }, fmt(p.components.dataflow)),
        h('td', {}, v)));
    }
    this.rows = Math.max(this.rows, end);
    const t = this.app.threshold;
    const capped = shown.length > this.rows ? ` (first ${this.rows})` : '';
    this.pairsCaption!.textContent = `Pairs at or above ${fmt(t)}: ${shown.length}${capped}`;
    const left = Math.min(shown.length, MAX_ROWS) - this.rows;
    this.more.hidden = left <= 0;
    this.more.textContent = `Show ${Math.min(PAGE_ROWS, left)} more`;
    this.more.setAttribute('aria-label', `Show ${Math.min(PAGE_ROWS, left)} more pairs`);
  }
}

const verdictLabel = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function card(label: string, value: string, note?: string): HTMLElement {
  return h('div', { class: 'card', role: 'listitem' }, h('div', { class: 'card-value' }, value), h('div', { class: 'card-label' }, label), note ? h('div', { class: 'card-note' }, note) : null);
}

/** An archived document (an earlier submission) is marked where it is named. */
function archiveBadge(m: Model, doc: string): HTMLElement[] {
  return m.archived.has(doc) ? [h('span', { class: 'badge archive', title: 'earlier submission (archive)' }, 'archive')] : [];
}
