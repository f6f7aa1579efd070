/// <reference lib="dom" />
// AST view: the normalized syntax tree of one file as a collapsible tree (ARIA tree pattern,
// children rendered when first expanded), beside the file's structure metrics.
import type { PanelContext, UpdateReason, View } from './view';
import { baseName, clear, h } from '../dom';
import type { AstNode, StructureMetrics } from '../protocol';

const METRIC_LABELS: Array<[keyof StructureMetrics, string]> = [
  ['lines_of_code', 'Lines of code'], ['total_lines', 'Total lines'], ['function_count', 'Functions'], ['class_count', 'Classes'],
  ['loop_count', 'Loops'], ['if_count', 'Branches (if)'], ['basic_cyclomatic_complexity', 'Cyclomatic complexity'],
  ['ast_depth', 'AST depth'], ['total_subtrees', 'Subtrees'], ['unique_subtrees', 'Unique subtrees'],
];
const OPEN_LEVELS = 2;
const EXPAND_ALL_MAX = 3000;

export class AstView implements View {
  readonly el = h('div', { class: 'ast' });
  private readonly picker = h('select', { 'aria-label': 'File to show' });
  private readonly body = h('div', { class: 'ast-body' });
  private tree: HTMLElement | undefined;
  private nodes = new WeakMap<HTMLElement, AstNode>();

  constructor(private readonly app: PanelContext) {
    this.picker.addEventListener('change', () => {
      if (this.picker.value) this.app.showAst(this.picker.value);
    });
  }

  update(reason: UpdateReason): void {
    const m = this.app.model;
    if (!m) return;
    if (reason === 'threshold') return;
    if (reason === 'model' || !this.el.firstChild) {
      clear(this.el);
      const reload = h('button', { class: 'secondary' }, 'Reload');
      reload.addEventListener('click', () => {
        if (this.app.astPath) {
          this.app.requestAst(this.app.astPath, true);
          this.update('data');
        }
      });
      const expand = h('button', { class: 'secondary' }, 'Expand all');
      expand.addEventListener('click', () => this.expandAll(true));
      const collapse = h('button', { class: 'secondary' }, 'Collapse all');
      collapse.addEventListener('click', () => this.expandAll(false));
      this.el.append(h('div', { class: 'view-head' }, h('label', { class: 'ast-pick' }, 'File ', this.picker), h('div', { class: 'buttons' }, reload, expand, collapse)), this.body);
    }
    // Files with an AST: those of the report (in submission mode the regions name them).
    clear(this.picker);
    const files = m.report.files.filter((f) => !f.error).map((f) => f.path);
    if (this.app.astPath && !files.includes(this.app.astPath)) files.unshift(this.app.astPath);
    this.picker.append(h('option', { value: '' }, files.length ? 'Choose a file…' : 'No file'));
    for (const f of files.slice(0, 5000)) this.picker.append(h('option', { value: f, selected: f === this.app.astPath }, f));
    this.renderBody();
  }

  private renderBody(): void {
    clear(this.body);
    const path = this.app.astPath;
    if (!path) {
      this.body.append(h('p', { class: 'muted' }, 'Choose a file to see its normalized syntax tree and structure metrics.'));
      return;
    }
    const e = this.app.asts.get(path);
    if (!e) {
      this.app.requestAst(path);
      this.body.append(h('p', { class: 'muted', role: 'status' }, `Loading the syntax tree of ${baseName(path)}…`));
      return;
    }
    if (e.error && !e.ast) {
      this.body.append(h('p', { class: 'error', role: 'alert' }, `${path}: ${e.error}`));
      return;
    }
    const side = h('aside', { class: 'ast-metrics', 'aria-label': 'Structure metrics' });
    const s = e.summary;
    if (s) {
      const dl = h('dl', { class: 'metrics' });
      for (const [k, label] of METRIC_LABELS) dl.append(h('dt', {}, label), h('dd', { 'data-metric': k }, String(s.metrics[k])));
      side.append(h('h3', {}, `Structure (${s.language})`), dl);
      if (s.functions.length) {
        const ul = h('ul', { class: 'functions' });
        for (const f of s.functions.slice(0, 300)) {
          const b = h('button', { class: 'link', title: `Open ${path} at line ${f.start_line}` }, f.name || '(anonymous)');
          b.addEventListener('click', () => this.app.openFile(path, f.start_line, f.end_line));
          ul.append(h('li', {}, b, h('span', { class: 'muted' }, ` ${f.kind} · L${f.start_line}–${f.end_line}${f.metrics?.basic_cyclomatic_complexity !== undefined ? ` · CC ${f.metrics.basic_cyclomatic_complexity}` : ''}`)));
        }
        side.append(h('h3', {}, `Functions (${s.functions.length})`), ul);
      }
      if (s.syntax_errors.length) {
        const ul = h('ul', { class: 'syntax-errors' });
        for (const x of s.syntax_errors.slice(0, 100)) ul.append(h('li', {}, `L${x.line}:${x.column} ${x.message}`));
        side.append(h('h3', {}, `Syntax errors (${s.syntax_errors.length})`), ul);
      }
    }
    const a = e.ast;
    const main = h('div', { class: 'ast-tree-wrap' });
    if (a) {
      main.append(h('p', { class: 'muted' }, `${a.language} · ${a.node_count} of ${a.total_named_nodes} named nodes shown${a.truncated ? ` · truncated: ${a.truncated_reason ?? 'caps reached'}` : ''}. Arrow keys move, Enter opens the line.`));
      const tree = h('ul', { role: 'tree', class: 'tree', 'aria-label': `Syntax tree of ${path}` });
      this.nodes = new WeakMap();
      const rootItem = this.item(a.root, 1);
      tree.append(rootItem);
      rootItem.tabIndex = 0;
      tree.addEventListener('keydown', (ev) => this.onKey(ev));
      tree.addEventListener('click', (ev) => {
        const it = (ev.target as HTMLElement).closest('[role=treeitem]') as HTMLElement | null;
        if (!it) return;
        if ((ev.target as HTMLElement).closest('.twisty')) this.toggle(it);
        this.focusItem(it);
      });
      tree.addEventListener('dblclick', (ev) => {
        const it = (ev.target as HTMLElement).closest('[role=treeitem]') as HTMLElement | null;
        if (it) this.openAt(it);
      });
      this.tree = tree;
      main.append(tree);
    } else if (e.error) main.append(h('p', { class: 'error' }, e.error));
    this.body.append(main, side);
  }

  private item(n: AstNode, level: number): HTMLElement {
    const hasKids = n.children.length > 0;
    const li = h('li', { role: 'treeitem', 'aria-level': level, tabindex: '-1', ...(hasKids ? { 'aria-expanded': 'false' } : {}) });
    const row = h('div', { class: 'node' },
      h('span', { class: 'twisty', 'aria-hidden': 'true' }, hasKids ? '▸' : ''),
      h('span', { class: 'node-type' }, n.type),
      n.label !== undefined ? h('span', { class: 'node-label' }, n.label) : null,
      h('span', { class: 'node-lines muted' }, n.start_line === n.end_line ? `L${n.start_line}` : `L${n.start_line}–${n.end_line}`),
      n.truncated_children ? h('span', { class: 'muted' }, ` (+${n.truncated_children} cut)`) : null);
    li.append(row);
    this.nodes.set(li, n);
    if (hasKids && level <= OPEN_LEVELS) this.expand(li, true);
    return li;
  }

  private expand(li: HTMLElement, open: boolean): void {
    const n = this.nodes.get(li);
    if (!n || !n.children.length) return;
    let group = li.querySelector(':scope > ul[role=group]') as HTMLElement | null;
    if (open && !group) {
      group = h('ul', { role: 'group' });
      const level = Number(li.getAttribute('aria-level')) + 1;
      for (const c of n.children) group.append(this.item(c, level));
      li.append(group);
    }
    if (group) group.hidden = !open;
    li.setAttribute('aria-expanded', String(open));
    const tw = li.querySelector(':scope > .node > .twisty');
    if (tw) tw.textContent = open ? '▾' : '▸';
  }

  private toggle(li: HTMLElement): void {
    if (li.hasAttribute('aria-expanded')) this.expand(li, li.getAttribute('aria-expanded') !== 'true');
  }

  private expandAll(open: boolean): void {
    if (!this.tree) return;
    let budget = EXPAND_ALL_MAX;
    const walk = (li: HTMLElement) => {
      if (!li.hasAttribute('aria-expanded')) return;
      if (open && budget-- <= 0) return;
      this.expand(li, open);
      const group = li.querySelector(':scope > ul[role=group]');
      if (group) for (const c of Array.from(group.children)) walk(c as HTMLElement);
    };
    for (const c of Array.from(this.tree.children)) walk(c as HTMLElement);
    if (!open) {
      const root = this.tree.firstElementChild as HTMLElement | null;
      if (root) this.expand(root, true);
    }
  }

  private visibleItems(): HTMLElement[] {
    if (!this.tree) return [];
    return Array.from(this.tree.querySelectorAll<HTMLElement>('[role=treeitem]')).filter((el) => !el.parentElement?.closest('ul[role=group][hidden]'));
  }

  private focusItem(it: HTMLElement): void {
    this.tree?.querySelectorAll<HTMLElement>('[role=treeitem][tabindex="0"]').forEach((x) => (x.tabIndex = -1));
    it.tabIndex = 0;
    it.focus();
  }

  private openAt(it: HTMLElement): void {
    const n = this.nodes.get(it);
    if (n && this.app.astPath) this.app.openFile(this.app.astPath, n.start_line + (n.start_line === 0 ? 1 : 0), n.end_line || undefined);
  }

  private onKey(ev: KeyboardEvent): void {
    const it = (ev.target as HTMLElement).closest('[role=treeitem]') as HTMLElement | null;
    if (!it) return;
    const items = this.visibleItems();
    const k = items.indexOf(it);
    const expanded = it.getAttribute('aria-expanded');
    switch (ev.key) {
      case 'ArrowDown': if (items[k + 1]) this.focusItem(items[k + 1]!); break;
      case 'ArrowUp': if (k > 0) this.focusItem(items[k - 1]!); break;
      case 'ArrowRight':
        if (expanded === 'false') this.expand(it, true);
        else if (expanded === 'true' && items[k + 1]) this.focusItem(items[k + 1]!);
        break;
      case 'ArrowLeft':
        if (expanded === 'true') this.expand(it, false);
        else {
          const parent = it.parentElement?.closest('[role=treeitem]') as HTMLElement | null;
          if (parent) this.focusItem(parent);
        }
        break;
      case 'Home': if (items[0]) this.focusItem(items[0]); break;
      case 'End': if (items.length) this.focusItem(items[items.length - 1]!); break;
      case 'Enter': this.openAt(it); break;
      case ' ': this.toggle(it); break;
      default: return;
    }
    ev.preventDefault();
  }
}
