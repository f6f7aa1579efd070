/// <reference lib="dom" />
// DOM helpers. Text always goes in through textContent (never innerHTML), so file names and code
// from a report are shown as text whatever they contain.

type Attrs = Record<string, string | number | boolean | undefined | null>;
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.setAttribute('class', String(v));
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
export const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The last path segment, for compact labels (the full path goes in titles and tooltips). */
export function baseName(p: string): string {
  const k = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return k >= 0 && k < p.length - 1 ? p.slice(k + 1) : p;
}

/** Reads a CSS custom property from the body (VS Code puts its theme colours there). */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Parses any CSS colour to [r, g, b, a] through a 1×1 canvas. */
const probe = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d', { willReadFrequently: true }) : null;
export function rgba(color: string): [number, number, number, number] {
  if (!probe) return [0, 0, 0, 255];
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#000';
  probe.fillStyle = color;
  probe.fillRect(0, 0, 1, 1);
  const d = probe.getImageData(0, 0, 1, 1).data;
  return [d[0]!, d[1]!, d[2]!, d[3]!];
}

let uid = 0;
export const nextId = (prefix: string) => `${prefix}-${++uid}`;

// ----- performance marks (read by test/bench/webview-render.mjs; cheap, and cleared per analysis)

const paintChannel = typeof MessageChannel !== 'undefined' ? new MessageChannel() : undefined;
const paintQueue: Array<() => void> = [];
if (paintChannel) paintChannel.port1.onmessage = () => paintQueue.shift()?.();

/** Runs `fn` as a task right after the current (inFrame) or next frame has been rendered. */
export function afterPaint(fn: () => void, inFrame = false): void {
  const post = () => {
    if (!paintChannel) return void setTimeout(fn, 0);
    paintQueue.push(fn);
    paintChannel.port2.postMessage(0);
  };
  if (inFrame) post();
  else requestAnimationFrame(post);
}

/** Marks `co:paint:<what>` on the performance timeline once the frame that shows it is rendered. */
export function markPainted(what: string, inFrame = false): void {
  afterPaint(() => performance.mark(`co:paint:${what}`), inFrame);
}

/**
 * Paints one canvas, at most once per animation frame when asked through request(). `paint` draws
 * it and answers false when there is nothing to draw yet. Each paint is counted in the canvas's
 * data-drawn; after markNext(), the next paint is marked on the timeline (co:paint:<what>).
 */
export class CanvasPainter {
  private frame = 0;
  private marking = false;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly what: string, private readonly paint: () => boolean) {}

  /** Paints in the next animation frame (once, however often it is asked before then). */
  request(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.now(true);
    });
  }

  /** Paints now; `inFrame`: this runs inside an animation frame callback. */
  now(inFrame = false): void {
    if (!this.paint()) return;
    this.canvas.dataset.drawn = String((Number(this.canvas.dataset.drawn) || 0) + 1);
    if (this.marking) {
      this.marking = false;
      markPainted(this.what, inFrame);
    }
  }

  /** Marks the next paint on the performance timeline. */
  markNext(): void {
    this.marking = true;
  }
}

/** Records `co:<name>` as a performance measure from `start` (a performance.now() time) to now. */
export function measureSince(name: string, start: number): void {
  performance.measure(`co:${name}`, { start, end: performance.now() });
}

/** Drops the `co:*` marks and measures of the previous analysis. */
export function clearMarks(): void {
  for (const e of performance.getEntries()) {
    if (!e.name.startsWith('co:')) continue;
    if (e.entryType === 'mark') performance.clearMarks(e.name);
    else if (e.entryType === 'measure') performance.clearMeasures(e.name);
  }
}
