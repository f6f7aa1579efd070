/// <reference lib="dom" />
// Colours for canvases, read from the theme's CSS variables (see style.css: --co-cluster-*,
// --co-heat-*), so light, dark and high-contrast themes all apply.
import { cssVar, rgba } from './dom';

export const CLUSTER_COLOURS = 10;
export const REGION_COLOURS = 8;

export interface Palette {
  background: [number, number, number, number];
  foreground: [number, number, number, number];
  heat: [number, number, number, number];
  muted: [number, number, number, number];
  focus: string;
  fg: string;
  bg: string;
  edge: string;
  noCluster: string;
  clusters: string[];
  font: string;
}

export function readPalette(): Palette {
  const fg = cssVar('--vscode-foreground', '#333');
  const bg = cssVar('--vscode-editor-background', '#fff');
  const clusters: string[] = [];
  for (let k = 0; k < CLUSTER_COLOURS; k++) clusters.push(cssVar(`--co-cluster-${k}`, '#888'));
  return {
    background: rgba(bg),
    foreground: rgba(fg),
    heat: rgba(cssVar('--co-heat', '#d73a49')),
    muted: rgba(cssVar('--co-heat-low', '#888')),
    focus: cssVar('--vscode-focusBorder', '#0078d4'),
    fg,
    bg,
    edge: cssVar('--co-edge', fg),
    noCluster: cssVar('--co-no-cluster', '#888'),
    clusters,
    font: `${cssVar('--vscode-font-size', '13px')} ${cssVar('--vscode-font-family', 'sans-serif')}`,
  };
}

/** Colour of cluster `id` (1-based; 0 is "in no cluster"). */
export function clusterColour(p: Palette, id: number): string {
  return id > 0 ? p.clusters[(id - 1) % p.clusters.length]! : p.noCluster;
}

/** Writes the heat colour of a score into out[o..o+3]: strong hue above the threshold, a faint grey below. */
export function heatInto(p: Palette, score: number, threshold: number, out: Uint8ClampedArray, o: number): void {
  const b = p.background;
  const c = score >= threshold ? p.heat : p.muted;
  const w = score >= threshold ? 0.18 + 0.82 * score : 0.45 * score;
  out[o] = b[0] + (c[0] - b[0]) * w;
  out[o + 1] = b[1] + (c[1] - b[1]) * w;
  out[o + 2] = b[2] + (c[2] - b[2]) * w;
  out[o + 3] = 255;
}

/** Score levels of a heat lookup table: finer than 8-bit colour channels can show. */
export const HEAT_LEVELS = 1024;

/**
 * heatInto as lookup tables of whole pixels (RGBA packed little-endian, for a Uint32Array view of
 * ImageData): `above[q]` for scores at or above the threshold, `below[q]` under it, q = round(score·(HEAT_LEVELS−1)).
 */
export interface HeatLut { above: Uint32Array; below: Uint32Array; diagonal: number }

const lutCache = new WeakMap<Palette, HeatLut>();

export function heatLut(p: Palette): HeatLut {
  const hit = lutCache.get(p);
  if (hit) return hit;
  const px = new Uint8ClampedArray(4);
  const pack = () => ((px[3]! << 24) | (px[2]! << 16) | (px[1]! << 8) | px[0]!) >>> 0;
  const above = new Uint32Array(HEAT_LEVELS);
  const below = new Uint32Array(HEAT_LEVELS);
  for (let q = 0; q < HEAT_LEVELS; q++) {
    const s = q / (HEAT_LEVELS - 1);
    heatInto(p, s, 0, px, 0);
    above[q] = pack();
    heatInto(p, s, 2, px, 0);
    below[q] = pack();
  }
  const f = p.foreground;
  const b = p.background;
  for (let k = 0; k < 3; k++) px[k] = b[k]! + (f[k]! - b[k]!) * 0.35;
  px[3] = 255;
  const lut = { above, below, diagonal: pack() };
  lutCache.set(p, lut);
  return lut;
}
