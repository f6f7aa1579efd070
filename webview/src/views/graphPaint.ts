/// <reference lib="dom" />
// Paints the graph on its canvas: edges in a few alpha/width buckets, the selected file's edges on
// top, nodes by cluster colour, rings for the hovered and selected file, and labels when they fit.
import type { ZoomTransform } from 'd3-zoom';
import { baseName } from '../dom';
import { clusterColour, type Palette } from '../theme';
import type { GLink, GNode } from './graphLayout';

export interface GraphScene {
  nodes: readonly GNode[];
  links: readonly GLink[];
  byDoc: ReadonlyMap<number, GNode>;
  names: readonly string[];
  clusterOf: Int32Array;
  palette: Palette;
  threshold: number;
  transform: ZoomTransform;
  /** CSS pixels. */
  width: number;
  height: number;
  selected: number;
  hover: number;
}

/** Paints the whole scene on a canvas of `width` × `height` CSS pixels at the device pixel ratio. */
export function paintGraph(canvas: HTMLCanvasElement, scene: GraphScene): void {
  const ctx = canvas.getContext('2d')!;
  const p = scene.palette;
  const dpr = window.devicePixelRatio || 1;
  const t = scene.transform;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
  paintEdges(ctx, scene);
  const r = 5 / Math.sqrt(Math.max(1, t.k));
  paintNodes(ctx, scene, r);
  // Labels when zoomed in enough or the graph is small.
  if (t.k >= 1.4 || scene.nodes.length <= 40) {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = p.fg;
    ctx.font = p.font;
    ctx.textBaseline = 'middle';
    for (const nd of scene.nodes) {
      const [sx, sy] = t.apply([nd.x!, nd.y!]);
      if (sx < -50 || sy < -10 || sx > scene.width + 50 || sy > scene.height + 10) continue;
      ctx.fillText(baseName(scene.names[nd.i]!), sx + r * t.k + 4, sy);
    }
  }
}

function paintEdges(ctx: CanvasRenderingContext2D, scene: GraphScene): void {
  const p = scene.palette;
  const t = scene.transform;
  // Grouped in a few alpha/width buckets to keep the number of strokes small.
  const buckets = 5;
  const th = scene.threshold;
  for (let b = 0; b < buckets; b++) {
    ctx.beginPath();
    let any = false;
    for (const l of scene.links) {
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
  if (scene.selected >= 0) {
    ctx.beginPath();
    for (const l of scene.links) {
      const a = l.source as GNode;
      const c = l.target as GNode;
      if (a.i !== scene.selected && c.i !== scene.selected) continue;
      ctx.moveTo(a.x!, a.y!);
      ctx.lineTo(c.x!, c.y!);
    }
    ctx.strokeStyle = p.focus;
    ctx.lineWidth = 2.5 / Math.sqrt(t.k);
    ctx.stroke();
  }
}

/** Nodes of radius `r`, one path per colour, then the hover and selection rings. */
function paintNodes(ctx: CanvasRenderingContext2D, scene: GraphScene, r: number): void {
  const p = scene.palette;
  const t = scene.transform;
  const byColour = new Map<string, GNode[]>();
  for (const nd of scene.nodes) {
    const c = clusterColour(p, scene.clusterOf[nd.i]!);
    let l = byColour.get(c);
    if (!l) byColour.set(c, (l = []));
    l.push(nd);
  }
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
  for (const [idx, colour, w] of [[scene.hover, p.fg, 1.5], [scene.selected, p.focus, 3]] as const) {
    const nd = scene.byDoc.get(idx);
    if (!nd) continue;
    ctx.beginPath();
    ctx.arc(nd.x!, nd.y!, r + 2 / t.k, 0, 2 * Math.PI);
    ctx.strokeStyle = colour;
    ctx.lineWidth = w / t.k;
    ctx.stroke();
  }
}
