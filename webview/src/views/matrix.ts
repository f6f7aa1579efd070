/// <reference lib="dom" />
// Matrix: a canvas heatmap of pairwise similarity, rows and columns in cluster order. One pixel per
// cell is drawn once into an offscreen canvas and scaled, so a thousand files pan and zoom fluidly.
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import type { PanelContext, UpdateReason, View } from './view';
import { CanvasPainter, baseName, clear, fmt, h, measureSince } from '../dom';
import { pairKey, scoreOf } from '../model';
import { clusterColour, HEAT_LEVELS, heatLut } from '../theme';

const LABEL_GUTTER = 150;
const MAX_LABELLED = 120;

export class MatrixView implements View {
  readonly el = h('div', { class: 'matrix' });
  private readonly wrap = h('div', { class: 'matrix-wrap' });
  private readonly canvas = h('canvas', {
    class: 'matrix-canvas', tabindex: '0', role: 'img', 'aria-roledescription': 'similarity matrix',
    'aria-label': 'Similarity matrix. Arrow keys move between cells, Enter opens the pair, plus and minus zoom, 0 resets.',
  });
  private readonly tip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  private readonly info = h('div', { class: 'matrix-info', 'aria-live': 'polite' });
  private readonly legend = h('div', { class: 'matrix-legend' });
  private image: HTMLCanvasElement | undefined;
  private zoomer: ZoomBehavior<HTMLCanvasElement, unknown> | undefined;
  private transform: ZoomTransform = zoomIdentity;
  private side = 0;
  private gutter = 0;
  private width = 0;
  private height = 0;
  private focus: [number, number] = [0, 1];
  private hover: [number, number] | undefined;
  private imageFor = '';
  private readonly painter = new CanvasPainter(this.canvas, 'matrix-canvas', () => this.paint());

  constructor(private readonly app: PanelContext) {
    this.wrap.append(this.canvas, this.tip);
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => {
      this.hover = undefined;
      this.tip.hidden = true;
      this.draw();
    });
    this.canvas.addEventListener('click', (e) => this.onClick(e));
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => {
      if (!this.el.isConnected || this.el.offsetParent === null) return;
      this.layout();
    }).observe(this.wrap);
  }

  update(reason: UpdateReason): void {
    const m = this.app.model;
    if (!m) return;
    if (reason === 'model' || !this.el.firstChild) {
      clear(this.el);
      this.el.append(h('div', { class: 'view-head' },
        h('p', { class: 'hint' }, 'Rows and columns are in cluster order; boxes on the diagonal are clusters. Scroll to zoom, drag to pan, click a cell to open the pair.'),
        h('div', { class: 'buttons' }, this.button('Zoom in', () => this.zoomBy(1.6)), this.button('Zoom out', () => this.zoomBy(1 / 1.6)), this.button('Reset', () => this.resetZoom()))),
      this.legend, this.wrap, this.info);
      this.transform = zoomIdentity;
      this.focus = [0, Math.min(1, m.n - 1)];
    }
    if (!m.scores) {
      this.canvas.hidden = true;
      this.info.textContent = `The matrix is not shown above ${m.n} documents; use the graph and the pair list.`;
      return;
    }
    this.canvas.hidden = false;
    this.imageFor = '';
    this.painter.markNext();
    this.fillLegend();
    this.layout();
    // Hidden (prepared in idle time, see App.schedulePrefetch): only the image, drawn when shown.
    if (this.el.offsetParent === null) this.buildImage();
  }

  shown(visible: boolean): void {
    if (visible) this.layout();
  }

  private button(label: string, fn: () => void): HTMLButtonElement {
    const b = h('button', { class: 'secondary' }, label);
    b.addEventListener('click', fn);
    return b;
  }

  private fillLegend(): void {
    clear(this.legend);
    const p = this.app.palette;
    this.legend.append(h('span', { class: 'legend-scale', 'aria-hidden': 'true' }), h('span', {}, `0 → 1 similarity; cells below ${fmt(this.app.threshold)} are faded`));
    const cs = this.app.clusters.slice(0, 12);
    for (const c of cs) {
      const sw = h('span', { class: 'swatch', 'data-cluster': c.id, 'aria-hidden': 'true' });
      sw.style.background = clusterColour(p, c.id);
      this.legend.append(h('span', { class: 'legend-item' }, sw, `Cluster ${c.id}`));
    }
  }

  /** Sizes the canvas to the panel and redraws. */
  private layout(): void {
    const m = this.app.model;
    if (!m || !m.scores || this.el.offsetParent === null) return;
    const n = m.n;
    const avail = Math.max(120, this.wrap.clientWidth);
    this.gutter = n <= MAX_LABELLED && avail > 420 ? LABEL_GUTTER : 0;
    const top = this.wrap.getBoundingClientRect().top;
    const maxH = Math.max(220, window.innerHeight - top - 40);
    this.side = Math.max(100, Math.min(avail - this.gutter, maxH));
    this.width = this.side + this.gutter;
    this.height = this.side;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.width * dpr);
    this.canvas.height = Math.round(this.height * dpr);
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
    const cell = this.side / n;
    Object.assign(this.canvas.dataset, { files: String(n), cells: String(n * n), cellSize: String(cell), gutter: String(this.gutter) });
    if (n <= 200) this.canvas.dataset.order = JSON.stringify(this.app.order.map((i) => m.names[i]));
    else delete this.canvas.dataset.order;
    this.setupZoom();
    this.draw();
  }

  private setupZoom(): void {
    const n = this.app.model!.n;
    const maxK = Math.max(4, n / 6);
    if (!this.zoomer) {
      this.zoomer = zoom<HTMLCanvasElement, unknown>()
        .on('zoom', (e: { transform: ZoomTransform }) => {
          this.transform = e.transform;
          this.tip.hidden = true;
          this.draw();
        });
      select(this.canvas).call(this.zoomer).on('dblclick.zoom', null);
    }
    // World coordinates: the matrix spans [gutter, gutter + side] × [0, side], as on screen at zoom 1.
    this.zoomer.scaleExtent([1, maxK]).extent([[this.gutter, 0], [this.width, this.height]])
      .translateExtent([[this.gutter, 0], [this.width, this.side]]);
  }

  private zoomBy(f: number): void {
    if (this.zoomer) select(this.canvas).call(this.zoomer.scaleBy, f);
  }

  private resetZoom(): void {
    if (this.zoomer) select(this.canvas).call(this.zoomer.transform, zoomIdentity);
  }

  /** The offscreen image: one pixel per cell, coloured by score and threshold. */
  private buildImage(): HTMLCanvasElement {
    const m = this.app.model!;
    const key = `${m.report.analysis_id}|${this.app.threshold}|${this.app.palette.bg}|${this.app.order.length}|${this.app.order[0]}`;
    if (this.image && this.imageFor === key) return this.image;
    const t0 = performance.now();
    const n = m.n;
    const order = this.app.order;
    const img = this.image ?? document.createElement('canvas');
    img.width = n;
    img.height = n;
    const ctx = img.getContext('2d')!;
    const data = ctx.createImageData(n, n);
    // Whole pixels from a lookup table: a million cells take a few milliseconds, with no allocation.
    const px = new Uint32Array(data.data.buffer);
    const sc = m.scores!;
    const t = this.app.threshold;
    const { above, below, diagonal } = heatLut(this.app.palette);
    const top = HEAT_LEVELS - 1;
    const cols = Int32Array.from(order);
    for (let r = 0; r < n; r++) {
      const row = cols[r]! * n;
      const o = r * n;
      for (let c = 0; c < n; c++) {
        const s = sc[row + cols[c]!]!;
        const q = (s * top + 0.5) | 0;
        px[o + c] = (s >= t ? above : below)[q < 0 ? 0 : q > top ? top : q]!;
      }
      px[o + r] = diagonal;
    }
    ctx.putImageData(data, 0, 0);
    this.image = img;
    this.imageFor = key;
    measureSince('matrix-image', t0);
    return img;
  }

  private draw(): void {
    this.painter.request();
  }

  /** Draws synchronously (the first paint after an analysis, and the benchmark, want it now). */
  drawNow(): void {
    this.painter.now();
  }

  private paint(): boolean {
    const m = this.app.model;
    if (!m || !m.scores || !this.side) return false;
    const n = m.n;
    const ctx = this.canvas.getContext('2d')!;
    const dpr = window.devicePixelRatio || 1;
    const p = this.app.palette;
    const t = this.transform;
    const cell = this.side / n;
    const img = this.buildImage();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = p.bg;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(this.gutter * dpr, 0, this.side * dpr, this.side * dpr);
    ctx.clip();
    ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * (t.x + t.k * this.gutter), dpr * t.y);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, 0, 0, this.side, this.side);
    // Clusters as boxes on the diagonal.
    let start = 0;
    const lw = 2 / t.k;
    for (const c of this.app.clusters) {
      const size = c.members.length;
      ctx.strokeStyle = clusterColour(p, c.id);
      ctx.lineWidth = lw;
      ctx.strokeRect(start * cell + lw / 2, start * cell + lw / 2, size * cell - lw, size * cell - lw);
      start += size;
    }
    const px = cell * t.k;
    if (px >= 6) {
      ctx.strokeStyle = p.bg;
      ctx.lineWidth = 1 / t.k;
      ctx.beginPath();
      const [r0, r1] = this.visibleRange(t.y, px, n);
      const [c0, c1] = this.visibleRange(this.colOffset(), px, n);
      for (let r = r0; r <= r1; r++) {
        ctx.moveTo(c0 * cell, r * cell);
        ctx.lineTo(c1 * cell, r * cell);
      }
      for (let c = c0; c <= c1; c++) {
        ctx.moveTo(c * cell, r0 * cell);
        ctx.lineTo(c * cell, r1 * cell);
      }
      ctx.stroke();
    }
    if (px >= 28) {
      // Scores in the cells when there is room.
      ctx.fillStyle = p.fg;
      ctx.font = `${Math.min(12, px / 3) / t.k}px ${getComputedStyle(document.body).fontFamily}`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      const [r0, r1] = this.visibleRange(t.y, px, n);
      const [c0, c1] = this.visibleRange(this.colOffset(), px, n);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) {
        if (r === c) continue;
        const v = m.scores[this.app.order[r]! * n + this.app.order[c]!]!;
        if (v > 0) ctx.fillText(v.toFixed(2), (c + 0.5) * cell, (r + 0.5) * cell);
      }
    }
    const mark = (rc: [number, number] | undefined, colour: string, width: number) => {
      if (!rc) return;
      ctx.strokeStyle = colour;
      ctx.lineWidth = width / t.k;
      ctx.strokeRect(rc[1] * cell, rc[0] * cell, cell, cell);
    };
    mark(this.hover, p.fg, 1);
    if (document.activeElement === this.canvas) mark(this.focus, p.focus, 2);
    ctx.restore();
    if (this.gutter) this.drawLabels(ctx, dpr, cell, t);
    return true;
  }

  /** Screen x of column 0, relative to the left of the matrix area. */
  private colOffset(): number {
    return this.transform.x + this.transform.k * this.gutter - this.gutter;
  }

  private visibleRange(offset: number, px: number, n: number): [number, number] {
    const a = Math.max(0, Math.floor(-offset / px));
    const b = Math.min(n, Math.ceil((this.side - offset) / px));
    return [a, b];
  }

  private drawLabels(ctx: CanvasRenderingContext2D, dpr: number, cell: number, t: ZoomTransform): void {
    const m = this.app.model!;
    const px = cell * t.k;
    if (px < 9) return;
    const p = this.app.palette;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = `${Math.min(12, px - 2)}px ${getComputedStyle(document.body).fontFamily}`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const [r0, r1] = this.visibleRange(t.y, px, m.n);
    for (let r = r0; r < r1; r++) {
      const i = this.app.order[r]!;
      const cid = this.app.clusterOf[i]!;
      ctx.fillStyle = cid ? clusterColour(p, cid) : p.fg;
      ctx.fillRect(this.gutter - 8, t.y + r * px + px * 0.2, 4, px * 0.6);
      ctx.fillStyle = p.fg;
      let label = baseName(m.names[i]!);
      while (label.length > 4 && ctx.measureText(label).width > this.gutter - 16) label = `${label.slice(0, -2)}…`.replace(/……$/, '…');
      ctx.fillText(label, this.gutter - 12, t.y + (r + 0.5) * px);
    }
  }

  /** The cell under a point, in (row, column) of the displayed order. */
  private cellAt(e: MouseEvent): [number, number] | undefined {
    const m = this.app.model!;
    const rect = this.canvas.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    if (x < this.gutter || y < 0 || x >= this.gutter + this.side || y >= this.side) return undefined;
    const [cx, cy] = this.transform.invert([x, y]);
    const cell = this.side / m.n;
    const c = Math.floor((cx - this.gutter) / cell);
    const r = Math.floor(cy / cell);
    if (r < 0 || c < 0 || r >= m.n || c >= m.n) return undefined;
    return [r, c];
  }

  private describe(r: number, c: number): string {
    const m = this.app.model!;
    const i = this.app.order[r]!;
    const j = this.app.order[c]!;
    if (i === j) return `${m.names[i]} (itself)`;
    const p = m.pairs.get(pairKey(i, j));
    const comps = p ? ` · AST ${fmt(p.components.ast)} · CFG ${fmt(p.components.cfg)} · data flow ${fmt(p.components.dataflow)}` : '';
    return `${m.names[i]} ↔ ${m.names[j]}: ${fmt(scoreOf(m, i, j))}${comps}`;
  }

  private onMove(e: MouseEvent): void {
    if (!this.app.model?.scores) return;
    const rc = this.cellAt(e);
    this.hover = rc;
    if (!rc) {
      this.tip.hidden = true;
    } else {
      this.tip.textContent = this.describe(rc[0], rc[1]);
      this.tip.hidden = false;
      const wr = this.wrap.getBoundingClientRect();
      const x = e.clientX - wr.left + 14;
      const y = e.clientY - wr.top + 14;
      this.tip.style.left = `${Math.min(x, Math.max(0, wr.width - 280))}px`;
      this.tip.style.top = `${y}px`;
    }
    this.draw();
  }

  private onClick(e: MouseEvent): void {
    if (!this.app.model?.scores) return;
    const rc = this.cellAt(e);
    if (!rc) return;
    this.focus = rc;
    this.openCell(rc[0], rc[1]);
  }

  private openCell(r: number, c: number): void {
    const m = this.app.model!;
    const i = this.app.order[r]!;
    const j = this.app.order[c]!;
    if (i === j) return;
    this.app.openPair(m.names[i]!, m.names[j]!);
  }

  private onKey(e: KeyboardEvent): void {
    const m = this.app.model;
    if (!m?.scores) return;
    const n = m.n;
    let [r, c] = this.focus;
    switch (e.key) {
      case 'ArrowUp': r = Math.max(0, r - 1); break;
      case 'ArrowDown': r = Math.min(n - 1, r + 1); break;
      case 'ArrowLeft': c = Math.max(0, c - 1); break;
      case 'ArrowRight': c = Math.min(n - 1, c + 1); break;
      case 'Home': c = 0; break;
      case 'End': c = n - 1; break;
      case 'Enter': case ' ': this.openCell(r, c); e.preventDefault(); return;
      case '+': case '=': this.zoomBy(1.6); e.preventDefault(); return;
      case '-': this.zoomBy(1 / 1.6); e.preventDefault(); return;
      case '0': this.resetZoom(); e.preventDefault(); return;
      default: return;
    }
    e.preventDefault();
    this.focus = [r, c];
    this.info.textContent = this.describe(r, c);
    this.ensureVisible(r, c);
    this.draw();
  }

  private ensureVisible(r: number, c: number): void {
    if (!this.zoomer) return;
    const t = this.transform;
    const px = (this.side / this.app.model!.n) * t.k;
    const x = this.colOffset() + c * px;
    const y = t.y + r * px;
    if (x >= 0 && y >= 0 && x + px <= this.side && y + px <= this.side) return;
    const dx = x < 0 ? -x : x + px > this.side ? this.side - (x + px) : 0;
    const dy = y < 0 ? -y : y + px > this.side ? this.side - (y + px) : 0;
    select(this.canvas).call(this.zoomer.transform, zoomIdentity.translate(t.x + dx, t.y + dy).scale(t.k));
  }
}
