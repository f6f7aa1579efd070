/// <reference lib="dom" />
// Graph: files as nodes, pairs at or above the threshold as edges (thicker = more similar),
// clusters coloured; d3-force lays it out on a canvas, d3-zoom pans and zooms, d3-drag moves nodes.
// This file is the view: its DOM, input and the loops that run the layout; the layout itself is in
// graphLayout.ts and the canvas painting in graphPaint.ts.
import { drag } from 'd3-drag';
import { pointer, select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import type { PanelContext, UpdateReason, View } from './view';
import { CanvasPainter, baseName, clear, fmt, h } from '../dom';
import { pairsOfDoc } from '../model';
import { clusterColour } from '../theme';
import { FRAME_MS, IDLE_MS, QUIET_MS, fitTransform, graphData, layoutSimulation, moving, tickUntil, type GLink, type GNode, type GraphSimulation } from './graphLayout';
import { paintGraph } from './graphPaint';

export class GraphView implements View {
  readonly el = h('div', { class: 'graph' });
  private readonly wrap = h('div', { class: 'graph-wrap' });
  private readonly canvas = h('canvas', {
    class: 'graph-canvas', tabindex: '0', role: 'img', 'aria-roledescription': 'similarity graph',
    'aria-label': 'Similarity graph. Arrow keys select the next or previous file, Enter lists its pairs, plus and minus zoom, 0 resets.',
  });
  private readonly side = h('aside', { class: 'graph-side', 'aria-label': 'Selected file' });
  private readonly picker = h('select', { class: 'node-picker', 'aria-label': 'Select a file in the graph' });
  private readonly isolated = h('input', { type: 'checkbox', id: 'graph-isolated' });
  private readonly stats = h('span', { class: 'muted' });
  private readonly tip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  private readonly painter = new CanvasPainter(this.canvas, 'graph-canvas', () => this.paint());
  private nodes: GNode[] = [];
  private links: GLink[] = [];
  private byDoc = new Map<number, GNode>();
  private positions = new Map<number, [number, number]>();
  private sim: GraphSimulation | undefined;
  private zoomer: ZoomBehavior<HTMLCanvasElement, unknown> | undefined;
  private transform: ZoomTransform = zoomIdentity;
  private width = 0;
  private height = 0;
  private selected = -1;
  private hover = -1;
  private visible = false;

  constructor(private readonly app: PanelContext) {
    this.wrap.append(this.canvas, this.tip);
    this.isolated.addEventListener('change', () => this.rebuild());
    this.picker.addEventListener('change', () => this.select(Number(this.picker.value), true));
    this.canvas.addEventListener('click', (e) => {
      this.quietUntil = performance.now() + QUIET_MS;
      const n = this.nodeAt(e);
      if (n) this.select(n.i, false);
    });
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => {
      this.hover = -1;
      this.tip.hidden = true;
      this.draw();
    });
    this.canvas.addEventListener('keydown', (e) => {
      this.quietUntil = performance.now() + QUIET_MS;
      this.onKey(e);
    });
    new ResizeObserver(() => {
      if (this.visible) this.resize();
    }).observe(this.wrap);
  }

  update(reason: UpdateReason): void {
    const m = this.app.model;
    if (!m) return;
    if (reason === 'model' || !this.el.firstChild) {
      clear(this.el);
      this.positions.clear();
      this.isolated.checked = m.n <= 60;
      this.selected = this.app.node !== undefined ? (m.index.get(this.app.node) ?? -1) : -1;
      const zoomButtons = h('div', { class: 'buttons' });
      for (const [label, fn] of [['Zoom in', () => this.zoomBy(1.6)], ['Zoom out', () => this.zoomBy(1 / 1.6)], ['Fit', () => this.fit()]] as const) {
        const b = h('button', { class: 'secondary' }, label);
        b.addEventListener('click', fn);
        zoomButtons.append(b);
      }
      this.el.append(
        h('div', { class: 'view-head' },
          h('div', { class: 'graph-controls' }, this.picker, h('label', { class: 'check' }, this.isolated, 'Show files without pairs'), this.stats),
          zoomButtons),
        h('div', { class: 'graph-body' }, this.wrap, this.side));
      this.transform = zoomIdentity;
    }
    if (reason === 'theme') {
      this.fillPicker();
      this.draw();
      return;
    }
    this.rebuild();
    if (reason === 'model') this.select(this.selected, false);
  }

  shown(visible: boolean): void {
    this.visible = visible;
    if (visible) {
      this.resize();
      if (this.autoFit) this.fit();
      this.animate();
    } else this.idleLayout();
  }

  /** Nodes and links for the current threshold; positions are kept across rebuilds. */
  private rebuild(): void {
    const m = this.app.model!;
    for (const nd of this.nodes) if (nd.x !== undefined && nd.y !== undefined) this.positions.set(nd.i, [nd.x, nd.y]);
    ({ nodes: this.nodes, links: this.links, byDoc: this.byDoc } = graphData(m, this.app.threshold, {
      order: this.app.order, clusterOf: this.app.clusterOf, all: this.isolated.checked, selected: this.selected, positions: this.positions,
    }));
    this.stats.textContent = `${this.nodes.length} files, ${this.links.length} pairs ≥ ${fmt(this.app.threshold)}`;
    this.canvas.dataset.nodes = String(this.nodes.length);
    this.canvas.dataset.edges = String(this.links.length);
    this.fillPicker();

    this.sim?.stop();
    this.ticks = 0;
    const fresh = this.nodes.some((nd) => !this.positions.has(nd.i));
    this.sim = layoutSimulation(this.nodes, this.links, fresh);
    this.canvas.dataset.settled = '0';
    // No layout before the first paint: the start positions already group clusters. While the tab is
    // hidden the layout runs in idle time; when it is shown, the current positions are painted at
    // once and the layout animates from there.
    this.autoFit = fresh;
    this.painter.markNext();
    if (this.visible) {
      this.resize();
      if (fresh) this.fit();
      this.animate();
    } else this.idleLayout();
  }

  private idle = 0;

  /** Runs the layout in idle periods (at most IDLE_MS each) while the graph is hidden. */
  private idleLayout(): void {
    if (this.idle || typeof requestIdleCallback !== 'function') return;
    const step = (d: IdleDeadline) => {
      this.idle = 0;
      const sim = this.sim;
      if (!sim || this.visible || !moving(sim)) return;
      tickUntil(sim, performance.now() + Math.min(IDLE_MS, d.timeRemaining()));
      if (moving(sim)) this.idle = requestIdleCallback(step);
      else this.canvas.dataset.settled = '1';
    };
    this.idle = requestIdleCallback(step);
  }

  private autoFit = false;
  private ticks = 0;
  private loop = 0;
  private quietUntil = 0;

  /** Runs the layout: ticks for up to FRAME_MS per animation frame, draws, and stops when it settles. */
  private animate(): void {
    if (this.loop) return;
    const step = () => {
      this.loop = 0;
      const sim = this.sim;
      if (!sim || !this.visible) return;
      const t0 = performance.now();
      if (t0 >= this.quietUntil) tickUntil(sim, t0 + FRAME_MS);
      if (this.autoFit && ++this.ticks % 5 === 0) this.fit();
      this.painter.now(true);
      if (moving(sim)) {
        this.loop = requestAnimationFrame(step);
      } else {
        this.canvas.dataset.settled = '1';
        if (this.autoFit) this.fit();
        this.autoFit = false;
      }
    };
    this.loop = requestAnimationFrame(step);
  }

  private fillPicker(): void {
    const m = this.app.model!;
    clear(this.picker);
    this.picker.append(h('option', { value: '-1' }, this.nodes.length ? `Select a file (${this.nodes.length})…` : 'No files above the threshold'));
    const p = this.app.palette;
    for (const nd of this.nodes) {
      const cid = this.app.clusterOf[nd.i]!;
      this.picker.append(h('option', {
        value: String(nd.i), 'data-file': m.names[nd.i]!, 'data-cluster': String(cid), 'data-color': clusterColour(p, cid),
        selected: nd.i === this.selected,
      }, `${baseName(m.names[nd.i]!)}${cid ? ` (cluster ${cid})` : ''}`));
    }
  }

  private resize(): void {
    const w = Math.max(200, this.wrap.clientWidth);
    const top = this.wrap.getBoundingClientRect().top;
    const hgt = Math.max(260, Math.min(window.innerHeight - top - 30, w * 0.9));
    const dpr = window.devicePixelRatio || 1;
    if (w !== this.width || hgt !== this.height) {
      this.width = w;
      this.height = hgt;
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(hgt * dpr);
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${hgt}px`;
    }
    if (!this.zoomer) {
      this.zoomer = zoom<HTMLCanvasElement, unknown>().scaleExtent([0.05, 12]).on('zoom', (e: { transform: ZoomTransform; sourceEvent: Event | null }) => {
        this.transform = e.transform;
        if (e.sourceEvent) this.autoFit = false; // the user zoomed or panned: stop fitting
        this.draw();
      });
      const dragger = drag<HTMLCanvasElement, unknown, GNode | undefined>()
        .subject((e: { sourceEvent: MouseEvent }) => this.nodeAt(e.sourceEvent))
        .on('start', (e: { subject: GNode; active: number }) => {
          if (!e.active) this.sim?.alphaTarget(0.3).alpha(Math.max(0.3, this.sim.alpha()));
          this.animate();
          e.subject.fx = e.subject.x;
          e.subject.fy = e.subject.y;
        })
        .on('drag', (e: { subject: GNode; sourceEvent: MouseEvent }) => {
          const [x, y] = this.transform.invert(pointer(e.sourceEvent, this.canvas));
          e.subject.fx = x;
          e.subject.fy = y;
        })
        .on('end', (e: { subject: GNode; active: number }) => {
          if (!e.active) this.sim?.alphaTarget(0);
          e.subject.fx = null;
          e.subject.fy = null;
        });
      select(this.canvas).call(dragger).call(this.zoomer).on('dblclick.zoom', null);
      this.transform = zoomIdentity.translate(w / 2, hgt / 2);
      select(this.canvas).call(this.zoomer.transform, this.transform);
    }
    this.drawNow();
  }

  /** Zooms so that every node is in view. */
  fit(): void {
    if (!this.zoomer || !this.nodes.length) return;
    const t = fitTransform(this.nodes, this.width, this.height);
    select(this.canvas).call(this.zoomer.transform, t);
  }

  private zoomBy(f: number): void {
    if (this.zoomer) select(this.canvas).call(this.zoomer.scaleBy, f);
  }

  private nodeAt(e: MouseEvent): GNode | undefined {
    if (!this.sim) return undefined;
    const [x, y] = this.transform.invert(pointer(e, this.canvas));
    return this.sim.find(x, y, 10 / this.transform.k) ?? undefined;
  }

  private draw(): void {
    if (this.visible) this.painter.request();
  }

  drawNow(): void {
    this.painter.now();
  }

  private paint(): boolean {
    if (!this.width || !this.app.model) return false;
    paintGraph(this.canvas, {
      nodes: this.nodes, links: this.links, byDoc: this.byDoc, names: this.app.model.names, clusterOf: this.app.clusterOf,
      palette: this.app.palette, threshold: this.app.threshold, transform: this.transform,
      width: this.width, height: this.height, selected: this.selected, hover: this.hover,
    });
    return true;
  }

  private onMove(e: MouseEvent): void {
    const nd = this.nodeAt(e);
    const i = nd ? nd.i : -1;
    if (nd) {
      const m = this.app.model!;
      const cid = this.app.clusterOf[nd.i]!;
      this.tip.textContent = `${m.names[nd.i]}${m.archived.has(m.names[nd.i]!) ? ' · archive' : ''}${cid ? ` · cluster ${cid}` : ''}`;
      const wr = this.wrap.getBoundingClientRect();
      this.tip.style.left = `${Math.min(e.clientX - wr.left + 12, Math.max(0, wr.width - 260))}px`;
      this.tip.style.top = `${e.clientY - wr.top + 12}px`;
      this.tip.hidden = false;
    } else this.tip.hidden = true;
    this.canvas.style.cursor = nd ? 'pointer' : 'grab';
    if (i !== this.hover) {
      this.hover = i;
      this.draw();
    }
  }

  private onKey(e: KeyboardEvent): void {
    const list = this.nodes;
    if (!list.length) return;
    const at = list.findIndex((nd) => nd.i === this.selected);
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') this.select(list[(at + 1) % list.length]!.i, false);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') this.select(list[(at - 1 + list.length) % list.length]!.i, false);
    else if (e.key === 'Enter') (this.side.querySelector('button') as HTMLButtonElement | null)?.focus();
    else if (e.key === '+' || e.key === '=') this.zoomBy(1.6);
    else if (e.key === '-') this.zoomBy(1 / 1.6);
    else if (e.key === '0') this.fit();
    else if (e.key === 'Escape') this.select(-1, false);
    else return;
    e.preventDefault();
  }

  /** Selects a node and lists its pairs beside the graph. */
  select(i: number, center: boolean): void {
    const m = this.app.model!;
    this.selected = i;
    this.app.selectNode(i >= 0 ? m.names[i] : undefined);
    this.picker.value = String(i);
    clear(this.side);
    if (i >= 0) {
      const name = m.names[i]!;
      const cid = this.app.clusterOf[i]!;
      const pairs = pairsOfDoc(m, i, this.app.threshold);
      const list = h('ul', { class: 'node-pairs', 'aria-label': `Pairs of ${name}` });
      for (const { other, score } of pairs.slice(0, 200)) {
        const b = h('button', { class: 'link', title: `${name} ↔ ${m.names[other]}` }, `${fmt(score)} `, h('span', { class: 'path' }, baseName(m.names[other]!)));
        b.addEventListener('click', () => this.app.openPair(name, m.names[other]!));
        list.append(h('li', {}, b));
      }
      const ast = h('button', { class: 'secondary' }, 'Show AST');
      ast.addEventListener('click', () => this.app.showAst(name));
      const open = h('button', { class: 'secondary' }, 'Open file');
      open.addEventListener('click', () => this.app.openFile(name));
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = clusterColour(this.app.palette, cid);
      this.side.append(
        h('h3', { class: 'path', title: name }, swatch, baseName(name)),
        h('p', { class: 'muted path' }, name),
        h('p', {}, cid ? `Cluster ${cid}` : 'In no cluster', ` · ${pairs.length} pair(s) ≥ ${fmt(this.app.threshold)}`),
        h('div', { class: 'buttons' }, m.submissions ? null : ast, m.submissions ? null : open),
        pairs.length ? list : h('p', { class: 'muted' }, 'No pair at or above the threshold.'));
      this.app.announce(`${baseName(name)}: ${pairs.length} pairs`);
      const nd = this.byDoc.get(i);
      if (center && nd && this.zoomer) {
        // Pan only when the file is out of view (or at its very edge).
        const [sx, sy] = this.transform.apply([nd.x!, nd.y!]);
        if (sx < 40 || sy < 40 || sx > this.width - 40 || sy > this.height - 40) select(this.canvas).call(this.zoomer.translateTo, nd.x!, nd.y!);
      }
    } else {
      this.side.append(h('p', { class: 'muted' }, 'Click a file (or pick one above) to list its pairs.'));
    }
    this.draw();
  }
}
