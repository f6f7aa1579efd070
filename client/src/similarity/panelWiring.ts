// Connects the similarity panel to the language server: AST and summary requests, the current
// report, revival after a reload, and updates after every analysis.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { CompareReport } from '../../../protocol/report';
import { StructureSummaryRequest, VisualizeAstRequest } from '../../../protocol/messages';
import { parseReport, type SimilarityReport } from '../../../protocol/panel';
import { SimilarityPanel, type SimilarityPanelHandlers } from '../panel';
import type { ResultsTree } from './resultsTree';

export class PanelWiring {
  private readonly handlers: SimilarityPanelHandlers;

  constructor(private readonly context: vscode.ExtensionContext, client: LanguageClient, private readonly tree: ResultsTree, private readonly output: vscode.OutputChannel) {
    this.handlers = {
      getAst: async (filePath) => {
        if (filePath.includes('!/')) return { error: 'files inside archives and cloned repositories have no syntax tree view' };
        const textDocument = { uri: this.handlers.resolvePath?.(filePath).toString() ?? vscode.Uri.file(filePath).toString() };
        const [ast, summary] = await Promise.all([
          client.sendRequest(VisualizeAstRequest, { textDocument }),
          client.sendRequest(StructureSummaryRequest, { textDocument }),
        ]);
        if ('error' in ast) return { error: ast.error };
        return { ast, summary: 'error' in summary ? undefined : summary };
      },
      resolvePath: (p) => (p.startsWith('/') ? vscode.Uri.file(p) : vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file('/'), p)),
      currentReport: () => this.toPanel(this.tree.current),
      log: (m) => this.output.appendLine(`panel: ${m}`),
    };
    context.subscriptions.push(SimilarityPanel.registerSerializer(context.extensionUri, this.handlers));
  }

  /** Opens (or reveals) the panel on the current report, optionally on one pair. */
  show(pair?: { file1: string; file2: string }): void {
    const panel = SimilarityPanel.show(this.context.extensionUri, this.handlers, this.toPanel(this.tree.current));
    if (pair) panel.showPair(pair.file1, pair.file2);
  }

  /** A new analysis: an open panel follows it. */
  update(report: CompareReport): void {
    const r = this.toPanel(report);
    if (r && SimilarityPanel.current) SimilarityPanel.current.showAnalysis(r);
  }

  /** The panel validates what crosses the boundary; a report it rejects is logged, not shown. */
  private toPanel(report: CompareReport | undefined): SimilarityReport | undefined {
    if (!report) return undefined;
    const parsed = parseReport(report);
    if (!parsed.ok) {
      this.output.appendLine(`panel: report not shown: ${parsed.error}`);
      return undefined;
    }
    return parsed.value;
  }
}
