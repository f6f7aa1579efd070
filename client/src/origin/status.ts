// Status bar item: the active file's origin verdict and confidence; a click explains the file.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { OriginStatusNotification, type OriginStatusParams } from '../../../protocol/messages';
import { shownPercent } from '../../../protocol/records';

export class OriginStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('codeOrigin.originStatus', vscode.StatusBarAlignment.Right, 99);
  private readonly byUri = new Map<string, OriginStatusParams>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidChange = new vscode.EventEmitter<string>();

  constructor(client: LanguageClient) {
    this.item.name = 'Code Origin: verdict';
    this.item.command = { command: 'codeOrigin.explainOrigin', title: 'Explain Origin of the File', arguments: [{ scope: 'file' }] };
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((d) => this.byUri.delete(d.uri.toString())),
      client.onNotification(OriginStatusNotification, (p: OriginStatusParams) => {
        this.byUri.set(p.uri, p);
        this.onDidChange.fire(p.uri);
        if (p.uri === vscode.window.activeTextEditor?.document.uri.toString()) this.render();
      }),
      this.onDidChange,
    );
    this.render();
  }

  get(uri: vscode.Uri): OriginStatusParams | undefined {
    return this.byUri.get(uri.toString());
  }

  private render(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const p = doc ? this.byUri.get(doc.uri.toString()) : undefined;
    if (!doc || !p) {
      this.item.hide();
      return;
    }
    this.item.backgroundColor = undefined;
    if (p.state === 'analyzing') {
      this.item.text = '$(loading~spin) Origin';
      this.item.tooltip = 'Code Origin: judging this file…';
    } else if (p.state === 'unavailable') {
      this.item.text = '$(circle-slash) Origin';
      this.item.tooltip = `Code Origin: no origin verdict — ${p.message ?? 'unavailable'}`;
    } else if (p.state === 'error') {
      this.item.text = '$(error) Origin';
      this.item.tooltip = `Code Origin: ${p.message ?? 'the origin model is unavailable'}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (p.file) {
      const f = p.file;
      if (f.label === 'too-short') {
        this.item.text = '$(dash) Origin: too short';
        this.item.tooltip = `Code Origin: too short to judge (${f.tokens} tokens)`;
      } else {
        const pl = f.p_llm ?? 0;
        // Calibrated confidence of the verdict shown, never 0% or 100%.
        const pct = shownPercent(f.confidence ?? (f.label === 'human' ? 1 - pl : pl));
        const units = p.units ? ` ${p.llmUnits ?? 0} of ${p.units} functions/classes look LLM-generated.` : '';
        const raw = `raw p(LLM) ${pl.toFixed(3)}, LLM threshold ${(p.threshold ?? 0.5).toFixed(2)}`;
        if (f.label === 'inconclusive') {
          this.item.text = '$(question) Origin: inconclusive';
          this.item.tooltip = `Code Origin: inconclusive — ${f.reason ?? 'the evidence is not strong either way'} (${raw}).${units}${p.message ? ` ${p.message}` : ''} Click to explain the file.`;
        } else {
          this.item.text = f.label === 'llm' ? `$(hubot) LLM ~${pct}%` : `$(person) Human ~${pct}%`;
          this.item.tooltip = `Code Origin: this file is likely ${f.label === 'llm' ? 'LLM-generated' : 'human-written'} (confidence about ${pct}%; ${raw}).${units}`
            + `${p.message ? ` ${p.message}` : ''} Click to explain the file.`;
        }
      }
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
