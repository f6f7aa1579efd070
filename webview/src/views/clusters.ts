/// <reference lib="dom" />
// Clusters: connected groups of files at the threshold, each with its members and strongest link.
import type { App, UpdateReason, View } from '../app';
import { baseName, clear, fmt, h } from '../dom';
import { pairKey, scoreOf } from '../model';
import { clusterColour } from '../theme';

const MAX_CLUSTERS = 300;
const MAX_MEMBERS = 100;

export class ClustersView implements View {
  readonly el = h('div', { class: 'clusters' });

  constructor(private readonly app: App) {}

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
      const strongestOf = new Map<number, number>();
      for (const i of c.members) {
        let top = 0;
        for (const j of c.members) if (j !== i) top = Math.max(top, scoreOf(m, i, j));
        strongestOf.set(i, top);
      }
      const strongest = (i: number) => strongestOf.get(i)!;
      const sorted = [...c.members].sort((x, y) => strongest(y) - strongest(x));
      for (const i of sorted.slice(0, MAX_MEMBERS)) {
        const ast = h('button', { class: 'icon', title: `Show the AST of ${m.names[i]}`, 'aria-label': `Show the AST of ${m.names[i]}` }, 'AST');
        ast.addEventListener('click', () => this.app.showAst(m.names[i]!));
        members.append(h('li', {}, h('span', { class: 'path', title: m.names[i]! }, m.names[i]!), ` · best ${fmt(strongest(i))} `, ast));
      }
      if (c.members.length > MAX_MEMBERS) members.append(h('li', { class: 'muted' }, `… and ${c.members.length - MAX_MEMBERS} more`));
      let links = 0;
      for (let x = 0; x < c.members.length; x++) for (let y = x + 1; y < c.members.length; y++) if (scoreOf(m, c.members[x]!, c.members[y]!) >= this.app.threshold) links++;
      const withVerdict = c.members.some((i) => c.members.some((j) => i < j && m.pairs.get(pairKey(i, j))?.refined_verdict));
      list.append(h('li', { class: 'cluster', 'data-cluster': c.id, 'data-color': colour },
        h('h3', {}, swatch, `Cluster ${c.id}`, h('span', { class: 'muted' }, ` · ${c.members.length} files · ${links} pair(s)${withVerdict ? ' · judged' : ''}`)),
        h('p', {}, 'Strongest link: ', best),
        members));
    }
    this.el.append(list);
    if (cs.length > MAX_CLUSTERS) this.el.append(h('p', { class: 'muted' }, `… and ${cs.length - MAX_CLUSTERS} more clusters`));
  }
}
