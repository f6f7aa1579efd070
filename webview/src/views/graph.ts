/// <reference lib="dom" />
// Graph: files as nodes, pairs at or above the threshold as edges (thicker = more similar),
// clusters coloured; d3-force lays it out on a canvas, d3-zoom pans and zooms, d3-drag moves nodes.
import { drag } from 'd3-drag';
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type Simulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import { pointer, select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import type { PanelContext, UpdateReason, View } from './view';
import { baseName, clear, fmt, h, markPainted } from '../dom';
import { edgesAbove, pairsOfDoc } from '../model';
import { clusterColour } from '../theme';

interface GNode extends SimulationNodeDatum { i: number; r: number }
interface GLink extends SimulationLinkDatum<GNode> { s: number }

/** Layout work per animation frame while it settles (ms); it stops early when input is waiting. */
const FRAME_MS = 8;
/** After a click or a key, the layout pauses this long (ms) so the answer is painted first. */
const QUIET_MS = 60;
/** Layout work per idle period while the graph is hidden (ms). */
const IDLE_MS = 12;

/** True when the browser has input waiting for the page (Chromium); false where it cannot tell. */
const inputPending: () => boolean = (() => {
  const s = (navigator as unknown as { scheduling?: { isInputPending?: (o?: { includeContinuous?: boolean }) => boolean } }).scheduling;
  return s?.isInputPending ? () => s.isInputPending!() : () => false;
})();

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
  private nodes: GNode[] = [];
  private links: GLink[] = [];
  private byDoc = new Map<number, GNode>();
  private positions = new Map<number, [number, number]>();
  private sim: Simulation<GNode, GLink> | undefined;
  private zoomer: ZoomBehavior<HTMLCanvasElement, unknown> | undefined;
  private transform: ZoomTransform = zoomIdentity;
  private width = 0;
  private height = 0;
  private selected = -1;
  private hover = -1;
  private frame = 0;
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
    const k = edgesAbove(m, this.app.threshold);
    const linked = new Uint8Array(m.n);
    for (let e = 0; e < k; e++) {
      linked[m.edgeI[e]!] = 1;
      linked[m.edgeJ[e]!] = 1;
    }
    const all = this.isolated.checked;
    this.nodes = [];
    this.byDoc.clear();
    // Start cluster members together: clusters on a spiral, members in a small ring.
    const placed = this.app.order;
    let clusterIndex = 0;
    let lastCluster = -1;
    let inCluster = 0;
    for (const i of placed) {
      if (!all && !linked[i] && i !== this.selected) continue;
      const cid = this.app.clusterOf[i]!;
      if (cid !== lastCluster) {
        lastCluster = cid;
        inCluster = 0;
        clusterIndex++;
      }
      let pos = this.positions.get(i);
      if (!pos) {
        const a = clusterIndex * 2.399963;
        const rr = 40 * Math.sqrt(clusterIndex);
        const b = inCluster * 2.399963;
        const r2 = 8 * Math.sqrt(inCluster);
        pos = [rr * Math.cos(a) + r2 * Math.cos(b), rr * Math.sin(a) + r2 * Math.sin(b)];
      }
      inCluster++;
      const nd: GNode = { i, r: 5, x: pos[0], y: pos[1] };
      this.nodes.push(nd);
      this.byDoc.set(i, nd);
    }
    this.links = [];
    for (let e = 0; e < k; e++) {
      const a = this.byDoc.get(m.edgeI[e]!);
      const b = this.byDoc.get(m.edgeJ[e]!);
      if (a && b) this.links.push({ source: a, target: b, s: m.edgeS[e]! });
    }
    this.stats.textContent = `${this.nodes.length} files, ${this.links.length} pairs ≥ ${fmt(this.app.threshold)}`;
    this.canvas.dataset.nodes = String(this.nodes.length);
    this.canvas.dataset.edges = String(this.links.length);
    this.fillPicker();

    this.sim?.stop();
    const n = this.nodes.length;
    const small = n <= 60;
    this.ticks = 0;
    const fresh = this.nodes.some((nd) => !this.positions.has(nd.i));
    this.sim = forceSimulation<GNode, GLink>(this.nodes)
      .force('link', forceLink<GNode, GLink>(this.links).distance((l) => (small ? 60 + 120 * (1 - l.s) : 20 + 60 * (1 - l.s))).strength((l) => 0.3 + 0.7 * l.s))
      .force('charge', forceManyBody<GNode>().strength(small ? -160 : n > 400 ? -18 : -40).theta(0.9).distanceMax(small ? 600 : 400))
      .force('collide', forceCollide<GNode>(small ? 16 : 7))
      .force('x', forceX<GNode>(0).strength(0.04))
      .force('y', forceY<GNode>(0).strength(0.04))
      .alphaDecay(n > 400 ? 0.045 : 0.03)
      .alpha(fresh ? 1 : 0.3);
    // The simulation's own timer runs one tick per frame; animate() runs as many as fit in a frame.
    this.sim.stop();
    this.canvas.dataset.settled = '0';
    // No layout before the first paint: the start positions already group clusters. While the tab is
    // hidden the layout runs in idle time; when it is shown, the current positions are painted at
    // once and the layout animates from there.
    this.autoFit = fresh;
    this.markNext = true;
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
      if (!sim || this.visible || sim.alpha() < sim.alphaMin()) return;
      const end = performance.now() + Math.min(IDLE_MS, d.timeRemaining());
      do sim.tick();
      while (performance.now() < end && sim.alpha() >= sim.alphaMin() && !inputPending());
      if (sim.alpha() >= sim.alphaMin()) this.idle = requestIdleCallback(step);
      else this.canvas.dataset.settled = '1';
    };
    this.idle = requestIdleCallback(step);
  }

  private autoFit = false;
  /** Mark the next draw on the performance timeline (co:paint:graph-canvas). */
  private markNext = false;
  private inFrame = false;
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
      if (t0 >= this.quietUntil) {
        do sim.tick();
        while (performance.now() - t0 < FRAME_MS && sim.alpha() >= sim.alphaMin() && !inputPending());
      }
      if (this.autoFit && ++this.ticks % 5 === 0) this.fit();
      this.inFrame = true;
      this.drawNow();
      this.inFrame = false;
      if (sim.alpha() >= sim.alphaMin()) {
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
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const nd of this.nodes) {
      x0 = Math.min(x0, nd.x!); y0 = Math.min(y0, nd.y!); x1 = Math.max(x1, nd.x!); y1 = Math.max(y1, nd.y!);
    }
    const pad = 30;
    const right = this.nodes.length <= 40 ? 150 : pad; // room for the labels drawn right of the nodes
    const k = Math.min(2.5, Math.max(0.05, Math.min((this.width - pad - right) / Math.max(1, x1 - x0), (this.height - 2 * pad) / Math.max(1, y1 - y0))));
    const t = zoomIdentity.translate((this.width + pad - right) / 2, this.height / 2).scale(k).translate(-(x0 + x1) / 2, -(y0 + y1) / 2);
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
    if (this.frame || !this.visible) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.inFrame = true;
      this.drawNow();
      this.inFrame = false;
    });
  }

  drawNow(): void {
    if (!this.width || !this.app.model) return;
    const m = this.app.model;
    const ctx = this.canvas.getContext('2d')!;
    const p = this.app.palette;
    const dpr = window.devicePixelRatio || 1;
    const t = this.transform;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = p.bg;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
    // Edges, grouped in a few alpha/width buckets to keep the number of strokes small.
    const buckets = 5;
    const th = this.app.threshold;
    for (let b = 0; b < buckets; b++) {
      ctx.beginPath();
      let any = false;
      for (const l of this.links) {
        const rel = th >= 1 ? 1 : (l.s - th) / (1 - th);
        if (Math.min(buckets - 1, Math.floor(rel * buckets)) !== b) continue;
        const a = l.source as GNode;
        const c = l.target as GNode;
        ctx.moveTo(a.x!, a.y!);
        ctx.lineTo(c.x!, c.y!);
        any = true;
      }
      if (!any) continue;
      ctx.strokeStyle = p.edge;
      ctx.globalAlpha = 0.25 + 0.6 * ((b + 0.5) / buckets);
      ctx.lineWidth = (0.6 + 3 * ((b + 0.5) / buckets)) / Math.sqrt(t.k);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    // Selected node's edges on top.
    if (this.selected >= 0) {
      ctx.beginPath();
      for (const l of this.links) {
        const a = l.source as GNode;
        const c = l.target as GNode;
        if (a.i !== this.selected && c.i !== this.selected) continue;
        ctx.moveTo(a.x!, a.y!);
        ctx.lineTo(c.x!, c.y!);
      }
      ctx.strokeStyle = p.focus;
      ctx.lineWidth = 2.5 / Math.sqrt(t.k);
      ctx.stroke();
    }
    // Nodes by colour.
    const byColour = new Map<string, GNode[]>();
    for (const nd of this.nodes) {
      const c = clusterColour(p, this.app.clusterOf[nd.i]!);
      let l = byColour.get(c);
      if (!l) byColour.set(c, (l = []));
      l.push(nd);
    }
    const r = 5 / Math.sqrt(Math.max(1, t.k));
    for (const [c, list] of byColour) {
      ctx.beginPath();
      for (const nd of list) {
        ctx.moveTo(nd.x! + r, nd.y!);
        ctx.arc(nd.x!, nd.y!, r, 0, 2 * Math.PI);
      }
      ctx.fillStyle = c;
      ctx.fill();
      ctx.lineWidth = 1 / t.k;
      ctx.strokeStyle = p.bg;
      ctx.stroke();
    }
    for (const [idx, colour, w] of [[this.hover, p.fg, 1.5], [this.selected, p.focus, 3]] as const) {
      const nd = this.byDoc.get(idx);
      if (!nd) continue;
      ctx.beginPath();
      ctx.arc(nd.x!, nd.y!, r + 2 / t.k, 0, 2 * Math.PI);
      ctx.strokeStyle = colour;
      ctx.lineWidth = w / t.k;
      ctx.stroke();
    }
    // Labels when zoomed in enough or the graph is small.
    if (t.k >= 1.4 || this.nodes.length <= 40) {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.fillStyle = p.fg;
      ctx.font = p.font;
      ctx.textBaseline = 'middle';
      for (const nd of this.nodes) {
        const [sx, sy] = t.apply([nd.x!, nd.y!]);
        if (sx < -50 || sy < -10 || sx > this.width + 50 || sy > this.height + 10) continue;
        ctx.fillText(baseName(m.names[nd.i]!), sx + r * t.k + 4, sy);
      }
    }
    this.canvas.dataset.drawn = String((Number(this.canvas.dataset.drawn) || 0) + 1);
    if (this.markNext) {
      this.markNext = false;
      markPainted('graph-canvas', this.inFrame);
    }
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
