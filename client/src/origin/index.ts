// Origin analysis in the editor: Explain Origin (inline IG highlights), Clear Highlights, Classify Selection
// (with a language picker), the status bar verdict, code lenses and the prediction history (list + CSV export).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LANGUAGES, languageFromVscodeId } from '../../../protocol/config';
import {
  ExportPredictionHistoryRequest, OriginClassifyRequest, OriginExplainRequest, PredictionHistoryRequest,
  type PredictionRow,
} from '../../../protocol/messages';
import { aboutPercent, shownPercent } from '../../../protocol/records';
import { OriginCodeLens } from './codeLens';
import { OriginHighlights } from './highlights';
import { OriginStatus } from './status';

interface Range0 { start: { line: number; character: number }; end: { line: number; character: number } }
/** Arguments of codeOrigin.explainOrigin from code lenses and the status bar; none from the palette. */
interface ExplainArgs { uri?: string; range?: Range0; scope?: 'file' }

function toRange0(r: vscode.Range): Range0 {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/** The verdict in words with its calibrated confidence (never 0% or 100%). */
function percentLabel(label: string, p: number | undefined, confidence?: number, reason?: string): string {
  if (label === 'too-short' || p === undefined) return 'too short to judge';
  if (label === 'inconclusive') return `inconclusive (${reason ?? 'the evidence is not strong either way'})`;
  const c = aboutPercent(confidence ?? (label === 'human' ? 1 - p : p));
  return label === 'llm' ? `likely LLM-generated (${c})` : `likely human-written (${c})`;
}

export interface OriginApi {
  highlights: OriginHighlights;
}

export function registerOrigin(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): OriginApi {
  const highlights = new OriginHighlights();
  const status = new OriginStatus(client);
  const lens = new OriginCodeLens(client, status);
  context.subscriptions.push(highlights, status, lens);
  context.subscriptions.push(vscode.languages.registerCodeLensProvider(
    ['python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'java', 'c', 'cpp', 'go', 'rust'].map((language) => ({ language })),
    lens,
  ));

  const ready = (): boolean => {
    if (client.isRunning()) return true;
    void vscode.window.showWarningMessage('Code Origin: the language server is not running.');
    return false;
  };

  const explain = async (args?: ExplainArgs): Promise<number | undefined> => {
    if (!ready()) return undefined;
    const editor = args?.uri
      ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === args.uri) ?? await vscode.window.showTextDocument(vscode.Uri.parse(args.uri))
      : vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Code Origin: open a source file to explain its origin.');
      return undefined;
    }
    const doc = editor.document;
    const params: { textDocument: { uri: string }; range?: Range0; position?: { line: number; character: number } } = { textDocument: { uri: doc.uri.toString() } };
    if (args?.range) params.range = args.range;
    else if (args?.scope !== 'file') {
      if (!editor.selection.isEmpty) params.range = toRange0(editor.selection);
      else params.position = { line: editor.selection.active.line, character: editor.selection.active.character };
    }
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Code Origin: explaining (Integrated Gradients)…' },
      () => client.sendRequest(OriginExplainRequest, params),
    );
    if ('error' in r) {
      void vscode.window.showWarningMessage(`Code Origin: cannot explain — ${r.error}`);
      return undefined;
    }
    const n = highlights.show(doc.uri, r);
    const top = r.top.map((t) => `${JSON.stringify(t.text.trim())} ${t.score >= 0 ? '+' : '−'}${Math.abs(t.score).toFixed(3)}`).join(', ');
    output.appendLine(`Explain origin: ${doc.uri.fsPath} ${r.subject}: ${percentLabel(r.label, r.p_llm, r.confidence, r.reason)}; ${n} tokens highlighted; top: ${top}`);
    vscode.window.setStatusBarMessage(`Code Origin: ${r.subject} ${percentLabel(r.label, r.p_llm, r.confidence, r.reason)} — ${n} tokens highlighted${r.truncated ? ` (first ${r.windows} windows only)` : ''}`, 8000);
    return n;
  };

  const classifySelection = async (): Promise<void> => {
    if (!ready()) return;
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Code Origin: select (or paste) some code to classify.');
      return;
    }
    const doc = editor.document;
    const range = editor.selection.isEmpty ? undefined : editor.selection;
    const text = doc.getText(range);
    if (!text.trim()) {
      void vscode.window.showInformationMessage('Code Origin: nothing to classify — select or paste some code first.');
      return;
    }
    let languageId = languageFromVscodeId(doc.languageId) ? doc.languageId : undefined;
    if (!languageId) {
      const pick = await vscode.window.showQuickPick(LANGUAGES.map((l) => ({ label: l })), { title: 'Code Origin: language of the snippet', placeHolder: 'This document has no supported language; pick the snippet\'s' });
      if (!pick) return;
      languageId = pick.label;
    }
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Code Origin: classifying…' },
      () => client.sendRequest(OriginClassifyRequest, { text, languageId, textDocument: { uri: doc.uri.toString() }, ...(range ? { range: toRange0(range) } : {}) }),
    );
    if ('error' in r) {
      void vscode.window.showWarningMessage(`Code Origin: cannot classify — ${r.error}`);
      return;
    }
    const f = r.file;
    const what = range ? `Selection (lines ${range.start.line + 1}–${range.end.line + 1})` : 'This text';
    const detail = f.p_llm === undefined ? `${f.tokens} tokens; at least the minimum is needed` : `raw p(LLM) ${f.p_llm.toFixed(3)}, LLM threshold ${r.threshold.toFixed(2)}, ${f.tokens} tokens, ${languageId}`;
    const actions = languageFromVscodeId(doc.languageId) && f.p_llm !== undefined ? ['Explain', 'History'] : ['History'];
    const choice = await vscode.window.showInformationMessage(`Code Origin: ${what} is ${percentLabel(f.label, f.p_llm, f.confidence, f.reason)} (${detail}). ${r.notes.join(' ')}`.trim(), ...actions);
    if (choice === 'Explain') await explain({ uri: doc.uri.toString(), ...(range ? { range: toRange0(range) } : { scope: 'file' as const }) });
    if (choice === 'History') await vscode.commands.executeCommand('codeOrigin.showPredictionHistory');
  };

  const exportHistory = async (): Promise<void> => {
    if (!ready()) return;
    const r = await client.sendRequest(ExportPredictionHistoryRequest, {});
    if ('error' in r) {
      void vscode.window.showWarningMessage(`Code Origin: ${r.error}`);
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Export prediction history', filters: { CSV: ['csv'] },
      defaultUri: folder ? vscode.Uri.joinPath(folder, 'code-origin-predictions.csv') : undefined,
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(r.csv, 'utf8'));
    void vscode.window.showInformationMessage(`Code Origin: exported ${r.rows} predictions to ${target.fsPath}.`);
  };

  const showHistory = async (): Promise<void> => {
    if (!ready()) return;
    const r = await client.sendRequest(PredictionHistoryRequest, { limit: 1000 });
    if ('error' in r) {
      void vscode.window.showWarningMessage(`Code Origin: ${r.error}`);
      return;
    }
    type Item = vscode.QuickPickItem & { row?: PredictionRow; export?: boolean };
    const icon = (l: string) => (l === 'llm' ? '$(hubot)' : l === 'human' ? '$(person)' : l === 'inconclusive' ? '$(question)' : '$(dash)');
    const word = (row: PredictionRow) => (row.label === 'too-short' ? 'too short' : row.label === 'inconclusive' ? 'inconclusive'
      : `${row.label === 'llm' ? 'LLM' : 'human'} ~${shownPercent(row.confidence)}%`);
    const items: Item[] = [
      { label: '$(desktop-download) Export all as CSV…', description: `${r.total} predictions`, export: true },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...r.rows.map((row): Item => {
        let top = '';
        try {
          top = (JSON.parse(row.top_tokens) as Array<{ text: string; score: number }>).map((t) => t.text.trim()).filter(Boolean).join(' · ');
        } catch { /* old row */ }
        return {
          label: `${icon(row.label)} ${word(row)}  ${row.file.split(/[\\/]/).pop()}`,
          description: `${row.subject} · ${new Date(row.time).toLocaleString()} · ${row.language} · ${row.model} v${row.model_version}`,
          detail: `${row.file} · ${row.content_hash.slice(0, 12)}${top ? ` · top tokens: ${top}` : ''}`,
          row,
        };
      }),
    ];
    if (r.warning) void vscode.window.showWarningMessage(`Code Origin: ${r.warning}`);
    const pick = await vscode.window.showQuickPick(items, { title: `Code Origin: prediction history (${r.total})`, matchOnDescription: true, matchOnDetail: true });
    if (!pick) return;
    if (pick.export) return exportHistory();
    if (pick.row && pick.row.file.startsWith('/') || (pick.row && /^[A-Za-z]:[\\/]/.test(pick.row.file))) {
      try {
        await vscode.window.showTextDocument(vscode.Uri.file(pick.row!.file));
      } catch {
        void vscode.window.showInformationMessage(`Code Origin: ${pick.row!.file} can no longer be opened.`);
      }
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('codeOrigin.explainOrigin', (args?: ExplainArgs) => explain(args)),
    vscode.commands.registerCommand('codeOrigin.clearHighlights', () => highlights.clear()),
    vscode.commands.registerCommand('codeOrigin.classifySelection', () => classifySelection()),
    vscode.commands.registerCommand('codeOrigin.showPredictionHistory', () => showHistory()),
    vscode.commands.registerCommand('codeOrigin.exportPredictionHistory', () => exportHistory()),
  );
  return { highlights };
}
