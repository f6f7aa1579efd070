// "Explain origin" code lenses over functions, methods and classes that have a verdict.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { OriginClassifyRequest, type OriginClassifyResult } from '../../../protocol/messages';
import { shownPercent } from '../../../protocol/records';
import type { OriginStatus } from './status';

export class OriginCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly client: LanguageClient, status: OriginStatus) {
    this.disposables.push(
      status.onDidChange.event(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('codeOrigin.origin')) this.changed.fire(); }),
    );
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const cfg = vscode.workspace.getConfiguration('codeOrigin.origin');
    if (!cfg.get<boolean>('codeLens', true) || !cfg.get<boolean>('enabled', true) || !this.client.isRunning()) return [];
    let r: OriginClassifyResult;
    try {
      r = await this.client.sendRequest(OriginClassifyRequest, { textDocument: { uri: doc.uri.toString() } }, token);
    } catch {
      return [];
    }
    if ('error' in r || token.isCancellationRequested) return [];
    return r.units.filter((u) => u.label !== 'too-short').map((u) => {
      const range = new vscode.Range(u.range.start.line, u.range.start.character, u.range.end.line, u.range.end.character);
      const conf = shownPercent(u.confidence ?? (u.label === 'human' ? 1 - (u.p_llm ?? 0) : u.p_llm ?? 0));
      const pct = u.label === 'inconclusive' ? 'inconclusive' : u.label === 'llm' ? `LLM ~${conf}%` : `human ~${conf}%`;
      return new vscode.CodeLens(new vscode.Range(range.start.line, 0, range.start.line, 0), {
        title: `Explain origin (${pct})`,
        tooltip: `Code Origin: highlight the tokens behind the verdict on ${u.kind} ${u.name}`,
        command: 'codeOrigin.explainOrigin',
        arguments: [{ uri: doc.uri.toString(), range: { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } } }],
      });
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
