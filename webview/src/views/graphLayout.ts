/// <reference lib="dom" />
// The graph's layout, apart from the DOM: which files and pairs become nodes and links, where a new
// node starts, the d3-force simulation that moves them, how long it may run at a time, and the zoom
// that fits them all in view. The view (graph.ts) paints and handles input; it owns no geometry.
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type Simulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import { zoomIdentity, type ZoomTransform } from 'd3-zoom';
import { edgesAbove, type Model } from '../model';

export interface GNode extends SimulationNodeDatum { i: number; r: number }
export interface GLink extends SimulationLinkDatum<GNode> { s: number }
export type GraphSimulation = Simulation<GNode, GLink>;

/** Layout work per animation frame while it settles (ms); it stops early when input is waiting. */
export const FRAME_MS = 8;
/** After a click or a key, the layout pauses this long (ms) so the answer is painted first. */
export const QUIET_MS = 60;
/** Layout work per idle period while the graph is hidden (ms). */
export const IDLE_MS = 12;

/** True when the browser has input waiting for the page (Chromium); false where it cannot tell. */
const inputPending: () => boolean = (() => {
  const s = (navigator as unknown as { scheduling?: { isInputPending?: (o?: { includeContinuous?: boolean }) => boolean } }).scheduling;
  return s?.isInputPending ? () => s.isInputPending!() : () => false;
})();

/** Whether the simulation still moves (its alpha has not cooled below its minimum). */
export function moving(sim: GraphSimulation): boolean {
  return sim.alpha() >= sim.alphaMin();
}

/** Ticks the simulation at least once, then until `end` (a performance.now() time), until it settles or until input waits. */
export function tickUntil(sim: GraphSimulation, end: number): void {
  do sim.tick();
  while (performance.now() < end && moving(sim) && !inputPending());
}

export interface GraphSelection {
  /** Documents in their drawing order (clusters together). */
  order: readonly number[];
  clusterOf: Int32Array;
  /** Also show files without a pair at the threshold. */
  all: boolean;
  /** The selected document (kept even without pairs); -1: none. */
  selected: number;
  /** Positions from an earlier layout, by document. */
  positions: ReadonlyMap<number, [number, number]>;
}

export interface GraphData {
  nodes: GNode[];
  links: GLink[];
  byDoc: Map<number, GNode>;
}

/** Nodes and links for the pairs at or above `threshold`; a node keeps its earlier position, or starts beside its cluster. */
export function graphData(m: Model, threshold: number, sel: GraphSelection): GraphData {
  const k = edgesAbove(m, threshold);
  const linked = new Uint8Array(m.n);
  for (let e = 0; e < k; e++) {
    linked[m.edgeI[e]!] = 1;
    linked[m.edgeJ[e]!] = 1;
  }
  const nodes: GNode[] = [];
  const byDoc = new Map<number, GNode>();
  // Start cluster members together: clusters on a spiral, members in a small ring.
  let clusterIndex = 0;
  let lastCluster = -1;
  let inCluster = 0;
  for (const i of sel.order) {
    if (!sel.all && !linked[i] && i !== sel.selected) continue;
    const cid = sel.clusterOf[i]!;
    if (cid !== lastCluster) {
      lastCluster = cid;
      inCluster = 0;
      clusterIndex++;
    }
    let pos = sel.positions.get(i);
    if (!pos) {
      const a = clusterIndex * 2.399963;
      const rr = 40 * Math.sqrt(clusterIndex);
      const b = inCluster * 2.399963;
      const r2 = 8 * Math.sqrt(inCluster);
      pos = [rr * Math.cos(a) + r2 * Math.cos(b), rr * Math.sin(a) + r2 * Math.sin(b)];
    }
    inCluster++;
    const nd: GNode = { i, r: 5, x: pos[0], y: pos[1] };
    nodes.push(nd);
    byDoc.set(i, nd);
  }
  const links: GLink[] = [];
  for (let e = 0; e < k; e++) {
    const a = byDoc.get(m.edgeI[e]!);
    const b = byDoc.get(m.edgeJ[e]!);
    if (a && b) links.push({ source: a, target: b, s: m.edgeS[e]! });
  }
  return { nodes, links, byDoc };
}

/**
 * The force simulation for these nodes, stopped: its own timer would run one tick per frame, and the
 * view runs as many as fit in a frame. `fresh`: some node has no earlier position, so it starts hot.
 */
export function layoutSimulation(nodes: GNode[], links: GLink[], fresh: boolean): GraphSimulation {
  const n = nodes.length;
  const small = n <= 60;
  return forceSimulation<GNode, GLink>(nodes)
    .force('link', forceLink<GNode, GLink>(links).distance((l) => (small ? 60 + 120 * (1 - l.s) : 20 + 60 * (1 - l.s))).strength((l) => 0.3 + 0.7 * l.s))
    .force('charge', forceManyBody<GNode>().strength(small ? -160 : n > 400 ? -18 : -40).theta(0.9).distanceMax(small ? 600 : 400))
    .force('collide', forceCollide<GNode>(small ? 16 : 7))
    .force('x', forceX<GNode>(0).strength(0.04))
    .force('y', forceY<GNode>(0).strength(0.04))
    .alphaDecay(n > 400 ? 0.045 : 0.03)
    .alpha(fresh ? 1 : 0.3)
    .stop();
}

/** The zoom that shows every node in a `width` × `height` canvas, with room for labels when there are few. */
export function fitTransform(nodes: readonly GNode[], width: number, height: number): ZoomTransform {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const nd of nodes) {
    x0 = Math.min(x0, nd.x!); y0 = Math.min(y0, nd.y!); x1 = Math.max(x1, nd.x!); y1 = Math.max(y1, nd.y!);
  }
  const pad = 30;
  const right = nodes.length <= 40 ? 150 : pad; // room for the labels drawn right of the nodes
  const k = Math.min(2.5, Math.max(0.05, Math.min((width - pad - right) / Math.max(1, x1 - x0), (height - 2 * pad) / Math.max(1, y1 - y0))));
  return zoomIdentity.translate((width + pad - right) / 2, height / 2).scale(k).translate(-(x0 + x1) / 2, -(y0 + y1) / 2);
}
