// The "Code Origin" tree view: suspicious pairs by score (with the judge's risk level), clusters with
// their members, files with errors.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompareReport, JudgedReportPair, RiskLevel } from '../../../protocol/report';

type Item =
  | { kind: 'group'; id: 'pairs' | 'clusters' | 'errors'; label: string; count: number }
  | { kind: 'pair'; pair: JudgedReportPair }
  | { kind: 'cluster'; cluster: CompareReport['clusters'][number] }
  | { kind: 'file'; path: string; detail?: string }
  | { kind: 'empty'; label: string };

export class ResultsTree implements vscode.TreeDataProvider<Item> {
  private report: CompareReport | undefined;
  private title = '';
  /** Documents from an archive of earlier submissions (compare --archive), marked in labels. */
  private archived = new Set<string>();
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  get current(): CompareReport | undefined {
    return this.report;
  }

  show(report: CompareReport, title: string): void {
    this.report = report;
    this.title = title;
    this.archived = new Set(report.graph.nodes.filter((n) => n.archive).map((n) => n.id));
    this.changed.fire(undefined);
  }

  getChildren(item?: Item): Item[] {
    const r = this.report;
    if (!r) return [{ kind: 'empty', label: 'No analysis yet: run "Code Origin: Analyze Workspace" or "Compare Folders…"' }];
    if (!item) {
      const errors = r.files.filter((f) => f.error);
      return [
        { kind: 'group', id: 'pairs', label: `Suspicious pairs — ${this.title}`, count: r.similarity.pairs.length },
        { kind: 'group', id: 'clusters', label: 'Clusters', count: r.clusters.length },
        ...(errors.length ? [{ kind: 'group' as const, id: 'errors' as const, label: 'Files with errors', count: errors.length }] : []),
      ];
    }
    if (item.kind === 'group' && item.id === 'pairs') {
      return [...r.similarity.pairs].sort((a, b) => b.similarity_score - a.similarity_score).map((pair) => ({ kind: 'pair', pair }));
    }
    if (item.kind === 'group' && item.id === 'clusters') return r.clusters.map((cluster) => ({ kind: 'cluster', cluster }));
    if (item.kind === 'group' && item.id === 'errors') return r.files.filter((f) => f.error).map((f) => ({ kind: 'file', path: f.path, detail: f.error }));
    if (item.kind === 'cluster') return item.cluster.files.map((p) => ({ kind: 'file', path: p }));
    return [];
  }

  getTreeItem(item: Item): vscode.TreeItem {
    switch (item.kind) {
      case 'empty':
        return new vscode.TreeItem(item.label);
      case 'group': {
        const t = new vscode.TreeItem(`${item.label} (${item.count})`, item.count ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        t.contextValue = `group-${item.id}`;
        return t;
      }
      case 'pair': {
        const p = item.pair;
        const name = (d: string) => (this.archived.has(d) ? `${short(d)} (archive)` : short(d));
        const t = new vscode.TreeItem(`${p.similarity_score.toFixed(2)}  ${name(p.file1)} ↔ ${name(p.file2)}`);
        const risk = p.refined_verdict?.refined_risk_level;
        const regions = `${p.matching_regions.length} region${p.matching_regions.length === 1 ? '' : 's'}`;
        t.description = risk ? `risk ${risk} · ${regions}` : regions;
        t.tooltip = pairSummary(p);
        // The judge's risk, where there is one, says more than the score.
        t.iconPath = new vscode.ThemeIcon(risk ? RISK_ICONS[risk] : p.similarity_score >= 0.85 ? 'error' : p.similarity_score >= 0.7 ? 'warning' : 'info');
        t.contextValue = 'pair';
        t.command = { command: 'codeOrigin.openPair', title: 'Compare side by side', arguments: [p] };
        return t;
      }
      case 'cluster': {
        const c = item.cluster;
        const t = new vscode.TreeItem(`Cluster ${c.id}: ${c.files.length} files`, vscode.TreeItemCollapsibleState.Collapsed);
        t.description = `max ${c.max_similarity.toFixed(2)}`;
        t.iconPath = new vscode.ThemeIcon('group-by-ref-type');
        return t;
      }
      case 'file': {
        const t = new vscode.TreeItem(short(item.path));
        t.description = item.detail ?? (this.archived.has(item.path) ? 'archive' : undefined);
        t.tooltip = item.detail ? `${item.path}: ${item.detail}` : item.path;
        if (!item.path.includes('!/')) {
          t.resourceUri = vscode.Uri.file(item.path);
          t.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(item.path)] };
        }
        return t;
      }
    }
  }
}

const RISK_ICONS: Record<RiskLevel, string> = { NONE: 'pass', LOW: 'info', MEDIUM: 'warning', HIGH: 'error', CRITICAL: 'error' };

/** Workspace-relative where possible; archive and repository paths keep their `!/` marker. */
export function short(p: string): string {
  if (p.includes('!/')) return p.slice(p.lastIndexOf('/', p.indexOf('!/') - 1) + 1);
  return path.isAbsolute(p) ? vscode.workspace.asRelativePath(p) : p;
}

export function pairSummary(p: JudgedReportPair): string {
  const v = p.llm_verdict;
  const r = p.refined_verdict;
  const lines = [
    `${p.file1} ↔ ${p.file2}`,
    `similarity ${p.similarity_score.toFixed(3)} (AST ${p.components.ast.toFixed(2)}, CFG ${p.components.cfg.toFixed(2)}, data flow ${p.components.dataflow.toFixed(2)})`,
    ...(v && r ? [
      `judge (${v.source}): ${v.classification}, confidence ${v.confidence}, risk ${r.refined_risk_level}${v.algorithm_detected ? ` — ${v.algorithm_detected}` : ''}`,
      `  ${v.reasoning}`,
      `  ${r.recommendation}`,
    ] : []),
    ...p.matching_regions.map((r) => `  lines ${r.file1_lines[0]}–${r.file1_lines[1]} ↔ ${r.file2_lines[0]}–${r.file2_lines[1]}`),
  ];
  return lines.join('\n');
}
