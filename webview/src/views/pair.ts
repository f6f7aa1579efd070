/// <reference lib="dom" />
// Pair view: two files side by side, each matching region in its own colour on both sides,
// scrolling kept aligned region by region, the component scores and the judge's verdict.
import type { PanelContext, UpdateReason, View } from './view';
import { baseName, clear, fmt, h } from '../dom';
import { regionFiles, snippetLines, type PairInfo } from '../model';
import type { MatchingRegion } from '../protocol';
import { REGION_COLOURS } from '../theme';
import { verdictBlock } from './verdict';

interface Side {
  path: string;
  pane: HTMLElement;
  code: HTMLElement;
  full: boolean;
  lineHeight: number;
  /** The scrollTop this panel last set itself: a scroll event at it is not the user's. */
  expected: number;
  /** Line elements by line number (full mode). */
  lines: HTMLElement[];
}

type Ranges = Array<{ k: number; a: [number, number]; b: [number, number] }>;

export class PairView implements View {
  readonly el = h('div', { class: 'pair' });
  private group = 0;
  private current = -1;
  private sides: [Side, Side] | undefined;
  private regions: Ranges = [];
  private legend: HTMLElement[] = [];
  private sync = true;
  private shownKey = '';

  constructor(private readonly app: PanelContext) {
    this.el.addEventListener('keydown', (e) => {
      const tag = (e.target as HTMLElement).tagName;
      if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
      if (e.key === 'n' || e.key === ']') this.step(1);
      else if (e.key === 'p' || e.key === '[') this.step(-1);
      else return;
      e.preventDefault();
    });
  }

  update(reason: UpdateReason): void {
    const info = this.app.pair;
    if (reason === 'threshold' && this.el.firstChild) return;
    clear(this.el);
    this.sides = undefined;
    if (!this.app.model) return;
    if (!info) {
      this.el.append(h('p', { class: 'muted' }, 'No pair selected. Click a cell of the matrix, a pair in the overview or a link in the graph.'));
      return;
    }
    const key = `${info.file1}\u0000${info.file2}`;
    if (reason === 'model' || key !== this.shownKey) {
      this.current = -1;
      this.group = 0;
      this.shownKey = key;
    }
    this.render(info);
  }

  private render(info: PairInfo): void {
    const p = info.pair;
    const regionsAll = p?.matching_regions ?? [];
    // In submission mode regions name their files; group them by file pair.
    const groups = new Map<string, { f1: string; f2: string; regions: Array<{ r: MatchingRegion; k: number }> }>();
    regionsAll.forEach((r, k) => {
      const [f1, f2] = regionFiles(info, r);
      const key = `${f1}\u0000${f2}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { f1, f2, regions: [] }));
      g.regions.push({ r, k });
    });
    const list = [...groups.values()];
    if (!list.length) list.push({ f1: info.file1, f2: info.file2, regions: [] });
    if (this.group >= list.length) this.group = 0;
    const g = list[this.group]!;

    // Header: names, score, components, verdict.
    const comps = p ? p.components : undefined;
    const head = h('div', { class: 'pair-head' },
      h('h2', { class: 'pair-title' },
        h('span', { class: 'path', title: info.file1 }, baseName(info.file1)), ' ↔ ', h('span', { class: 'path', title: info.file2 }, baseName(info.file2))),
      h('div', { class: 'pair-scores' },
        h('div', { class: 'score-big', 'aria-label': `Similarity ${fmt(info.score)}` }, fmt(info.score)),
        comps ? meter('AST', comps.ast) : null, comps ? meter('CFG', comps.cfg) : null, comps ? meter('Data flow', comps.dataflow) : null));
    this.el.append(head);
    if (p?.refined_verdict || p?.llm_verdict) {
      const v = h('section', { class: 'judge', 'aria-label': 'Judge verdict' }, h('h3', {}, 'Judge verdict'));
      if (p.refined_verdict) v.append(verdictBlock(p.refined_verdict));
      if (p.llm_verdict) v.append(h('details', {}, h('summary', {}, 'First opinion'), verdictBlock(p.llm_verdict)));
      this.el.append(v);
    }
    if (!p) this.el.append(h('p', { class: 'muted' }, 'This pair scored below the report’s minimum, so it has no matching regions.'));
    else if (!regionsAll.length) this.el.append(h('p', { class: 'muted' }, 'No matching region was reported for this pair.'));

    if (list.length > 1) {
      const sel = h('select', { 'aria-label': 'File pair within the submissions' });
      list.forEach((x, k) => sel.append(h('option', { value: String(k), selected: k === this.group }, `${baseName(x.f1)} ↔ ${baseName(x.f2)} (${x.regions.length})`)));
      sel.addEventListener('change', () => {
        this.group = Number(sel.value);
        this.current = -1;
        this.update('selection');
      });
      this.el.append(h('label', { class: 'group-pick' }, 'Files: ', sel));
    }

    this.regions = g.regions.map(({ r, k }) => ({ k, a: r.file1_lines, b: r.file2_lines }));
    // Region legend: one chip per region, same colour as its lines.
    this.legend = [];
    const legend = h('ol', { class: 'region-legend', 'aria-label': 'Matching regions' });
    g.regions.forEach(({ r }, x) => {
      const chip = h('button', { class: `region-chip r${x % REGION_COLOURS}`, 'data-region': x, title: 'Scroll both files to this region' },
        `${x + 1}: ${r.file1_lines[0]}–${r.file1_lines[1]} ↔ ${r.file2_lines[0]}–${r.file2_lines[1]}`);
      chip.addEventListener('click', () => this.goto(x));
      this.legend.push(chip);
      legend.append(h('li', {}, chip));
    });
    const prev = h('button', { class: 'secondary', title: 'Previous region (p)' }, '◀ Previous');
    const next = h('button', { class: 'secondary', title: 'Next region (n)' }, 'Next ▶');
    prev.addEventListener('click', () => this.step(-1));
    next.addEventListener('click', () => this.step(1));
    const syncBox = h('input', { type: 'checkbox', checked: this.sync, id: 'pair-sync' });
    syncBox.addEventListener('change', () => {
      this.sync = syncBox.checked;
    });
    if (g.regions.length) {
      this.el.append(h('div', { class: 'region-bar' }, h('span', { class: 'muted' }, `${g.regions.length} region(s)`), legend,
        h('div', { class: 'buttons' }, prev, next, h('label', { class: 'check' }, syncBox, 'Aligned scrolling'))));
    }

    // The two files.
    const left = this.side(g.f1, g.regions.map(({ r }) => ({ lines: r.file1_lines, code: r.file1_code })), 1);
    const right = this.side(g.f2, g.regions.map(({ r }) => ({ lines: r.file2_lines, code: r.file2_code })), 2);
    this.sides = [left, right];
    this.el.append(h('div', { class: 'pair-panes' }, left.pane, right.pane));
    for (const [a, b, dir] of [[left, right, 1], [right, left, 2]] as const) {
      a.code.addEventListener('scroll', () => this.onScroll(a, b, dir), { passive: true });
    }
    requestAnimationFrame(() => {
      for (const sd of this.sides ?? []) sd.lineHeight = sd.lines[1]?.offsetHeight || sd.lineHeight;
      if (this.current >= 0) this.goto(this.current);
      else if (this.regions.length) this.goto(0, false);
    });
  }

  /** One file pane: the whole file when the host sent it, else the regions' code. */
  private side(path: string, regions: Array<{ lines: [number, number]; code?: string }>, which: 1 | 2): Side {
    const f = this.app.fileText(path);
    const code = h('div', { class: 'code', tabindex: '0', role: 'region', 'aria-label': `Source of ${path}` });
    const open = h('button', { class: 'secondary', title: `Open ${path} in the editor` }, 'Open in editor');
    open.addEventListener('click', () => {
      const r = this.current >= 0 ? this.regions[this.current] : undefined;
      const range = r ? (which === 1 ? r.a : r.b) : undefined;
      this.app.openFile(path, range?.[0], range?.[1]);
    });
    const status = f?.text !== undefined ? '' : f?.error ? `Showing the matching regions only (${f.error}).` : 'Loading the file… (showing the matching regions)';
    const pane = h('section', { class: `pane pane-${which}`, 'aria-label': `File ${which}: ${path}` },
      h('div', { class: 'pane-head' }, h('span', { class: 'path', title: path }, path), open),
      status ? h('div', { class: 'pane-status muted' }, status) : null,
      code);
    // Region of each line (first region wins where they overlap).
    const regionOf = new Map<number, number>();
    regions.forEach((r, x) => {
      for (let l = r.lines[0]; l <= r.lines[1]; l++) if (!regionOf.has(l)) regionOf.set(l, x);
    });
    const lines: HTMLElement[] = [];
    const line = (n: number, text: string) => {
      const x = regionOf.get(n);
      const edge = x === undefined ? '' : `${regions[x]!.lines[0] === n ? ' hl-start' : ''}${regions[x]!.lines[1] === n ? ' hl-end' : ''}`;
      const el = h('div', { class: x === undefined ? 'line' : `line hl r${x % REGION_COLOURS}${edge}`, 'data-line': n, ...(x === undefined ? {} : { 'data-region': x }) },
        h('span', { class: 'ln', 'aria-hidden': 'true' }, String(n)), h('span', { class: 'src' }, text));
      lines[n] = el;
      return el;
    };
    const frag = document.createDocumentFragment();
    let full = false;
    if (f?.text !== undefined) {
      full = true;
      const text = f.text.split(/\r?\n/);
      if (text.length > 1 && text[text.length - 1] === '') text.pop();
      text.forEach((t, k) => frag.append(line(k + 1, t)));
    } else {
      // Region snippets, in line order, with gaps marked.
      const shown = new Map<number, string>();
      for (const r of regions) for (const l of snippetLines(r.code, r.lines[0])) if (!shown.has(l.line)) shown.set(l.line, l.text);
      const nums = [...shown.keys()].sort((a, b) => a - b);
      let last = 0;
      for (const n of nums) {
        if (n > last + 1) frag.append(h('div', { class: 'gap', 'aria-hidden': 'true' }, last === 0 ? `⋯ lines 1–${n - 1}` : `⋯ lines ${last + 1}–${n - 1}`));
        frag.append(line(n, shown.get(n)!));
        last = n;
      }
      if (!nums.length) frag.append(h('div', { class: 'gap' }, 'No code to show.'));
    }
    code.append(frag);
    code.dataset.mode = full ? 'full' : 'snippets';
    return { path, pane, code, full, lineHeight: 18, expected: -1, lines };
  }

  private step(d: number): void {
    if (!this.regions.length) return;
    const k = this.current < 0 ? (d > 0 ? 0 : this.regions.length - 1) : (this.current + d + this.regions.length) % this.regions.length;
    this.goto(k);
  }

  /** Scrolls both panes to region x, a little context above it. */
  private goto(x: number, focus = true): void {
    const r = this.regions[x];
    if (!r || !this.sides) return;
    this.setCurrent(x);
    for (const [sd, range] of [[this.sides[0], r.a], [this.sides[1], r.b]] as const) {
      const el = sd.lines[range[0]];
      if (el) setScroll(sd, el.offsetTop - sd.code.offsetTop - 2 * sd.lineHeight);
    }
    if (focus) this.app.announce(`Region ${x + 1}: lines ${r.a[0]}–${r.a[1]} and ${r.b[0]}–${r.b[1]}`);
  }

  private setCurrent(x: number): void {
    this.current = x;
    this.legend.forEach((c, k) => (k === x ? c.setAttribute('aria-current', 'true') : c.removeAttribute('aria-current')));
  }

  /** Keeps the other pane aligned: regions map onto each other, the gaps between them linearly. */
  private onScroll(from: Side, to: Side, dir: 1 | 2): void {
    if (Math.abs(from.code.scrollTop - from.expected) < 1) return; // our own scroll
    from.expected = -1;
    if (!this.sync || !from.full || !to.full || !this.regions.length) return;
    const lh = from.lineHeight || 18;
    const top = from.code.scrollTop / lh + 1;
    const anchors = this.anchors(dir);
    const target = mapLine(anchors, top);
    setScroll(to, (target - 1) * (to.lineHeight || 18));
    // The region at the top of the view becomes the current one.
    const at = this.regions.findIndex((r) => {
      const range = dir === 1 ? r.a : r.b;
      return top + 2 >= range[0] && top <= range[1] + 1;
    });
    if (at >= 0 && at !== this.current) this.setCurrent(at);
  }

  /** Monotone anchor points (from line → to line), region starts and ends. */
  private anchors(dir: 1 | 2): Array<[number, number]> {
    const pts: Array<[number, number]> = [[1, 1]];
    const sorted = [...this.regions].sort((p, q) => (dir === 1 ? p.a[0] - q.a[0] : p.b[0] - q.b[0]));
    for (const r of sorted) {
      const [f, t] = dir === 1 ? [r.a, r.b] : [r.b, r.a];
      const last = pts[pts.length - 1]!;
      if (f[0] < last[0] || t[0] < last[1]) continue; // crosses an earlier region: skip it for alignment
      pts.push([f[0], t[0]], [f[1] + 1, t[1] + 1]);
    }
    return pts;
  }
}

function setScroll(sd: Side, top: number): void {
  sd.code.scrollTop = Math.max(0, top);
  sd.expected = sd.code.scrollTop;
}

function mapLine(anchors: Array<[number, number]>, x: number): number {
  for (let k = anchors.length - 1; k >= 0; k--) {
    const [a, b] = anchors[k]!;
    if (x >= a) {
      const next = anchors[k + 1];
      if (!next) return b + (x - a);
      const span = next[0] - a;
      return span > 0 ? b + ((x - a) / span) * (next[1] - b) : b;
    }
  }
  return x;
}

function meter(label: string, v: number): HTMLElement {
  const bar = h('span', { class: 'meter-fill' });
  bar.style.width = `${Math.round(Math.max(0, Math.min(1, v)) * 100)}%`;
  return h('div', { class: 'meter', role: 'meter', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '1', 'aria-valuenow': v.toFixed(2) },
    h('span', { class: 'meter-label' }, label), h('span', { class: 'meter-track' }, bar), h('span', { class: 'meter-value' }, fmt(v)));
}
