/// <reference lib="dom" />
// Clusters: connected groups of files at the threshold, each with its members and strongest link.
import type { PanelContext, UpdateReason, View } from './view';
import { baseName, clear, fmt, h } from '../dom';
import { clusterColour } from '../theme';

const MAX_CLUSTERS = 300;
const MAX_MEMBERS = 100;

export class ClustersView implements View {
  readonly el = h('div', { class: 'clusters' });

  constructor(private readonly app: PanelContext) {}

  update(_reason: UpdateReason): void {
    const m = this.app.model;
    if (!m) return;
    clear(this.el);
    const cs = this.app.clusters;
    this.el.append(h('p', { class: 'hint' },
      `${cs.length} cluster(s) of files linked by pairs at or above ${fmt(this.app.threshold)}` +
      (Math.abs(this.app.threshold - m.clusterThreshold) > 1e-9 ? ` (the report used ${fmt(m.clusterThreshold)})` : '') + '.'));
    if (!cs.length) {
      this.el.append(h('p', { class: 'muted' }, 'No cluster at this threshold. Drag the threshold lower.'));
      return;
    }
    // Per file, its strongest link inside its cluster; per cluster, its links at or above the
    // threshold and whether the judge saw any of its pairs. One pass over the edges, not members².
    const of = this.app.clusterOf;
    const t = this.app.threshold;
    const strongestOf = new Float32Array(m.n);
    const links = new Int32Array(cs.length + 1);
    for (let e = 0; e < m.edgeS.length; e++) {
      const i = m.edgeI[e]!;
      const j = m.edgeJ[e]!;
      const c = of[i]!;
      if (!c || c !== of[j]) continue;
      const v = m.edgeS[e]!;
      if (v > strongestOf[i]!) strongestOf[i] = v;
      if (v > strongestOf[j]!) strongestOf[j] = v;
      if (v >= t) links[c]!++;
    }
    const judged = new Uint8Array(cs.length + 1);
    for (const p of m.report.similarity.pairs) {
      if (!p.refined_verdict) continue;
      const c = of[m.index.get(p.file1)!]!;
      if (c && c === of[m.index.get(p.file2)!]) judged[c] = 1;
    }
    const list = h('ol', { class: 'cluster-list', 'aria-label': 'Clusters' });
    for (const c of cs.slice(0, MAX_CLUSTERS)) {
      const colour = clusterColour(this.app.palette, c.id);
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = colour;
      const [a, b] = c.best;
      const best = h('button', { class: 'link', title: `Open ${m.names[a]} ↔ ${m.names[b]}` },
        `${fmt(c.max)} `, h('span', { class: 'path' }, baseName(m.names[a]!)), ' ↔ ', h('span', { class: 'path' }, baseName(m.names[b]!)));
      best.addEventListener('click', () => this.app.openPair(m.names[a]!, m.names[b]!));
      const members = h('ul', { class: 'members' });
      const strongest = (i: number) => strongestOf[i]!;
      const sorted = [...c.members].sort((x, y) => strongest(y) - strongest(x));
      for (const i of sorted.slice(0, MAX_MEMBERS)) {
        const ast = h('button', { class: 'icon', title: `Show the AST of ${m.names[i]}`, 'aria-label': `Show the AST of ${m.names[i]}` }, 'AST');
        ast.addEventListener('click', () => this.app.showAst(m.names[i]!));
        members.append(h('li', {}, h('span', { class: 'path', title: m.names[i]! }, m.names[i]!), ` · best ${fmt(strongest(i))} `, ast));
      }
      if (c.members.length > MAX_MEMBERS) members.append(h('li', { class: 'muted' }, `… and ${c.members.length - MAX_MEMBERS} more`));
      const withVerdict = judged[c.id] === 1;
      list.append(h('li', { class: 'cluster', 'data-cluster': c.id, 'data-color': colour },
        h('h3', {}, swatch, `Cluster ${c.id}`, h('span', { class: 'muted' }, ` · ${c.members.length} files · ${links[c.id]} pair(s)${withVerdict ? ' · judged' : ''}`)),
        h('p', {}, 'Strongest link: ', best),
        members));
    }
    this.el.append(list);
    if (cs.length > MAX_CLUSTERS) this.el.append(h('p', { class: 'muted' }, `… and ${cs.length - MAX_CLUSTERS} more clusters`));
  }
}
