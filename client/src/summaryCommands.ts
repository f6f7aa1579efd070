// "Show Structure Summary" and "Show Syntax Tree": the server's results as read-only documents.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StructureSummaryRequest, VisualizeAstRequest } from '../../protocol/messages';
import { renderSummaryMarkdown } from './summaryMarkdown';

const SCHEME = 'code-origin';

/** Virtual read-only documents, so closing a report never asks to save it. */
class ReportProvider implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }
}

export function registerSummaryCommands(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): void {
  const provider = new ReportProvider();
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider));

  const activeSource = (): vscode.TextDocument | undefined => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme === SCHEME) {
      void vscode.window.showInformationMessage('Code Origin: open a source file first.');
      return undefined;
    }
    return doc;
  };

  const show = async (name: string, ext: string, text: string, language: string) => {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}${ext}` });
    provider.set(uri, text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, language);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('codeOrigin.showStructureSummary', async () => {
      const doc = activeSource();
      if (!doc) return;
      try {
        const r = await client.sendRequest(StructureSummaryRequest, { textDocument: { uri: doc.uri.toString() } });
        if ('error' in r) {
          void vscode.window.showWarningMessage(`Code Origin: cannot summarize ${path.basename(doc.fileName)}: ${r.error}`);
          return;
        }
        const rel = vscode.workspace.asRelativePath(doc.uri);
        await show(`Structure summary — ${path.basename(doc.fileName)}`, '.md', renderSummaryMarkdown(rel, r), 'markdown');
      } catch (e) {
        output.appendLine(`summary command failed: ${(e as Error).stack}`);
        void vscode.window.showErrorMessage(`Code Origin: summary failed: ${(e as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('codeOrigin.showSyntaxTree', async () => {
      const doc = activeSource();
      if (!doc) return;
      try {
        const r = await client.sendRequest(VisualizeAstRequest, { textDocument: { uri: doc.uri.toString() } });
        if ('error' in r) {
          void vscode.window.showWarningMessage(`Code Origin: cannot show the syntax tree of ${path.basename(doc.fileName)}: ${r.error}`);
          return;
        }
        if (r.truncated) void vscode.window.showInformationMessage(`Code Origin: syntax tree truncated — ${r.truncated_reason}.`);
        await show(`Syntax tree — ${path.basename(doc.fileName)}`, '.json', JSON.stringify(r, null, 2), 'json');
      } catch (e) {
        output.appendLine(`syntax tree command failed: ${(e as Error).stack}`);
        void vscode.window.showErrorMessage(`Code Origin: syntax tree failed: ${(e as Error).message}`);
      }
    }),
  );
}
