// Status bar item: the active file's function count and complexity; a click opens the summary.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { languageFromVscodeId } from '../../protocol/config';
import { StructureSummaryRequest } from '../../protocol/messages';

export class StructureStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('codeOrigin.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(private readonly client: LanguageClient, private readonly output: vscode.OutputChannel) {
    this.item.name = 'Code Origin';
    this.item.text = '$(search) Code Origin';
    this.item.tooltip = 'Code Origin: open a supported source file to see its structure';
    this.item.command = 'codeOrigin.showStructureSummary';
    this.item.show();
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.schedule();
      }),
    );
  }

  /** Edits arrive per keystroke; wait for a pause before asking the server again. */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 400);
  }

  refresh(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const gen = ++this.generation;
    if (!doc || !languageFromVscodeId(doc.languageId) || !this.client.isRunning()) {
      this.item.text = '$(search) Code Origin';
      this.item.tooltip = 'Code Origin: open a supported source file to see its structure';
      return;
    }
    this.client
      .sendRequest(StructureSummaryRequest, { textDocument: { uri: doc.uri.toString() } })
      .then((r) => {
        if (gen !== this.generation) return; // a newer refresh owns the item
        if ('error' in r) {
          this.item.text = '$(circle-slash) Code Origin';
          this.item.tooltip = `Code Origin: ${r.error}`;
          return;
        }
        const m = r.metrics;
        this.item.text = `$(search) Code Origin: ${m.function_count} fn · CC ${m.basic_cyclomatic_complexity}`;
        this.item.tooltip = `Code Origin — ${m.lines_of_code} lines of code, ${m.function_count} functions, ${m.class_count} classes, `
          + `cyclomatic complexity ${m.basic_cyclomatic_complexity}${r.syntax_errors.length ? `, ${r.syntax_errors.length} syntax errors` : ''}. `
          + 'Click for the structure summary.';
      }, (e: unknown) => this.output.appendLine(`status refresh failed: ${(e as Error).message}`));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
