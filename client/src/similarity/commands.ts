// Similarity commands: analyze the workspace, compare folders/archives/repositories/files,
// set the template code, export the report, and act on pairs in the tree view.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RequestType } from 'vscode-languageclient/node';
import type { CompareReport, ReportPair } from '../../../protocol/report';
import {
  AnalyzeWorkspaceRequest, CompareInputsRequest, CompareRepositoriesRequest, RenderReportRequest, ReportChangedNotification,
  SetTemplateRequest, SimilarityReportRequest,
  type ComparisonResult,
} from '../../../protocol/messages';
import { PanelWiring } from './panelWiring';
import { pairSummary, ResultsTree } from './resultsTree';

const TEMPLATE_KEY = 'codeOrigin.templatePaths';

export function templatePaths(context: vscode.ExtensionContext): string[] {
  return context.workspaceState.get<string[]>(TEMPLATE_KEY, []);
}

export function registerSimilarityCommands(context: vscode.ExtensionContext, client: LanguageClient, tree: ResultsTree, output: vscode.OutputChannel): void {
  const panel = new PanelWiring(context, client, tree, output);
  // Explicit analyses open the panel; background re-indexing only updates it when it is open.
  const showReport = (report: CompareReport, title: string) => {
    tree.show(report, title);
    panel.show();
    void vscode.commands.executeCommand('codeOrigin.results.focus');
    const s = report.summary;
    void vscode.window.showInformationMessage(`Code Origin: ${s.total_files} files, ${s.suspicious_pairs_count} suspicious pairs, highest similarity ${s.highest_similarity.toFixed(2)}.`);
  };
  const fail = (what: string, e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    output.appendLine(`${what} failed: ${msg}`);
    void vscode.window.showErrorMessage(`Code Origin: ${what} failed: ${msg}`);
  };
  const runComparison = async <P>(title: string, request: RequestType<P, ComparisonResult, void>, params: P) => {
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Code Origin: ${title}`, cancellable: false },
      () => client.sendRequest(request, params),
    );
    if ('error' in r) throw new Error(r.error);
    showReport(r.report, title);
  };

  client.onNotification(ReportChangedNotification, async () => {
    const report = await client.sendRequest(SimilarityReportRequest, { withoutCode: true });
    if (report) {
      tree.show(report, 'workspace');
      panel.update(report);
    }
  });

  context.subscriptions.push(
    vscode.commands.registerCommand('codeOrigin.analyzeWorkspace', async () => {
      try {
        const r = await client.sendRequest(AnalyzeWorkspaceRequest, {});
        if ('error' in r) throw new Error(r.error);
        const report = await client.sendRequest(SimilarityReportRequest, { withoutCode: true });
        if (report) showReport(report, 'workspace');
      } catch (e) {
        fail('workspace analysis', e);
      }
    }),
    // From the explorer's context menu VS Code passes (clicked item, all selected items); from code an
    // array of URIs, and optionally the archive's. Two or more selected folders/archives are compared at
    // once, otherwise a dialog asks. Earlier submissions (an archive: a saved index, or a folder or .zip
    // ticked as such) are compared with the others only, never with each other.
    vscode.commands.registerCommand('codeOrigin.compareFolders', async (clicked?: vscode.Uri | vscode.Uri[], selected?: vscode.Uri[], archived?: vscode.Uri[]) => {
      try {
        const given = Array.isArray(selected) && selected.length ? selected : Array.isArray(clicked) ? clicked : clicked ? [clicked] : [];
        const picked = given.length >= 2 || (given.length && archived?.length) ? given : await vscode.window.showOpenDialog({
          canSelectFiles: true, canSelectFolders: true, canSelectMany: true,
          filters: { 'Folders or .zip archives': ['zip'], 'Archive indexes (code-origin archive build)': ['*'] }, openLabel: 'Compare',
          title: 'Code Origin: pick two or more folders or .zip archives (each is one side), and any archive of earlier submissions',
        });
        if (!picked) return;
        const archive = archived ?? await pickArchive(picked);
        if (!archive) return;
        const inputs = picked.filter((u) => !archive.some((a) => a.toString() === u.toString()));
        if (inputs.length < (archive.length ? 1 : 2)) throw new Error(archive.length ? 'pick the new submissions too, not only the archive' : 'pick at least two folders or archives');
        await runComparison(`comparing ${inputs.length} input${inputs.length === 1 ? '' : 's'}${archive.length ? ' with the archive' : ''}`, CompareInputsRequest,
          { inputs: inputs.map((u) => u.fsPath), template: templatePaths(context), archive: archive.map((u) => u.fsPath) });
      } catch (e) {
        fail('comparison', e);
      }
    }),
    vscode.commands.registerCommand('codeOrigin.compareRepositories', async () => {
      try {
        const ask = (n: number) => vscode.window.showInputBox({
          title: `Code Origin: repository ${n} of 2`, prompt: 'https or ssh URL, file:// URL, or a local repository path',
          ignoreFocusOut: true, validateInput: (v) => (v.trim().startsWith('-') ? 'must not start with "-"' : undefined),
        });
        const a = await ask(1);
        if (!a) return;
        const b = await ask(2);
        if (!b) return;
        await runComparison('comparing repositories', CompareRepositoriesRequest, { repositories: [a.trim(), b.trim()] });
      } catch (e) {
        fail('repository comparison', e);
      }
    }),
    vscode.commands.registerCommand('codeOrigin.compareWith', async (uri?: vscode.Uri) => {
      try {
        const first = uri ?? vscode.window.activeTextEditor?.document.uri;
        if (!first) throw new Error('select a file first');
        const other = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectMany: false, openLabel: 'Compare with', title: `Code Origin: compare ${vscode.workspace.asRelativePath(first)} with…` });
        if (!other?.[0]) return;
        await runComparison('comparing two files', CompareInputsRequest, { inputs: [first.fsPath, other[0].fsPath] });
      } catch (e) {
        fail('comparison', e);
      }
    }),
    vscode.commands.registerCommand('codeOrigin.setTemplate', async () => {
      const picked = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: 'Use as template', title: 'Code Origin: the base code given to everyone (removed from the evidence)' });
      if (!picked) return;
      const paths = picked.map((u) => u.fsPath);
      await context.workspaceState.update(TEMPLATE_KEY, paths);
      await client.sendRequest(SetTemplateRequest, { paths });
      void vscode.window.showInformationMessage(`Code Origin: template set (${paths.length} item${paths.length === 1 ? '' : 's'}); re-analyzing.`);
    }),
    vscode.commands.registerCommand('codeOrigin.exportReport', async () => {
      try {
        const report = tree.current;
        if (!report) throw new Error('run an analysis first');
        const target = await vscode.window.showSaveDialog({
          filters: { 'HTML report': ['html'], 'JSON report': ['json'], 'CSV spreadsheet': ['csv'] }, saveLabel: 'Export', title: 'Code Origin: export similarity report',
        });
        if (!target) return;
        const ext = target.path.toLowerCase();
        let format: 'html' | 'json' | 'csv' | 'csv-files' = ext.endsWith('.json') ? 'json' : 'html';
        if (ext.endsWith('.csv')) {
          // The save dialog does not say which filter was chosen: the two CSV layouts are asked for here.
          const pick = await vscode.window.showQuickPick([
            { label: 'One row per pair', description: 'both files, score, components, significance, standout, verdict, regions', format: 'csv' as const },
            { label: 'One row per file', description: 'each file\'s highest match (for a gradebook)', format: 'csv-files' as const },
          ], { title: 'Code Origin: CSV layout' });
          if (!pick) return;
          format = pick.format;
        }
        const r = await client.sendRequest(RenderReportRequest, { analysis_id: report.analysis_id, format });
        if ('error' in r) throw new Error(r.error);
        await vscode.workspace.fs.writeFile(target, Buffer.from(r.text, 'utf8'));
        void vscode.window.showInformationMessage(`Code Origin: report written to ${target.fsPath}`);
      } catch (e) {
        fail('export', e);
      }
    }),
    vscode.commands.registerCommand('codeOrigin.openPair', async (pair: ReportPair) => {
      if (pair.file1.includes('!/') || pair.file2.includes('!/')) {
        const doc = await vscode.workspace.openTextDocument({ content: pairSummary(pair), language: 'plaintext' });
        await vscode.window.showTextDocument(doc, { preview: true });
        return;
      }
      const title = `${vscode.workspace.asRelativePath(pair.file1)} ↔ ${vscode.workspace.asRelativePath(pair.file2)} (${pair.similarity_score.toFixed(2)})`;
      await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(pair.file1), vscode.Uri.file(pair.file2), title);
    }),
    vscode.commands.registerCommand('codeOrigin.showSimilarityPanel', async () => {
      if (!tree.current) {
        const r = await client.sendRequest(SimilarityReportRequest, { withoutCode: true });
        if (r) tree.show(r, 'workspace');
      }
      panel.show();
    }),
    vscode.commands.registerCommand('codeOrigin.openPairInPanel', (item?: { pair?: ReportPair }) => {
      if (item?.pair) panel.show({ file1: item.pair.file1, file2: item.pair.file2 });
    }),
    vscode.commands.registerCommand('codeOrigin.copyPairSummary', async (item?: { pair?: ReportPair }) => {
      if (!item?.pair) return;
      await vscode.env.clipboard.writeText(pairSummary(item.pair));
      void vscode.window.showInformationMessage('Code Origin: pair summary copied.');
    }),
  );
}

/**
 * Which picked items are earlier submissions. A file that is not a .zip can only be a saved archive index;
 * when a .zip or an index is among two or more items, the user ticks the archive (indexes ticked already).
 * Undefined: cancelled.
 */
async function pickArchive(picked: vscode.Uri[]): Promise<vscode.Uri[] | undefined> {
  const kinds = await Promise.all(picked.map(async (u) => {
    const st = await vscode.workspace.fs.stat(u).then((s) => s, () => undefined);
    const isFile = !!st && (st.type & vscode.FileType.File) !== 0;
    return { u, index: isFile && !u.path.toLowerCase().endsWith('.zip'), zip: u.path.toLowerCase().endsWith('.zip') };
  }));
  const indexes = kinds.filter((k) => k.index).map((k) => k.u);
  if (picked.length < 2 || !kinds.some((k) => k.index || k.zip)) return indexes;
  const items = kinds.map((k) => ({ label: vscode.workspace.asRelativePath(k.u), description: k.index ? 'archive index' : k.zip ? '.zip' : 'folder', picked: k.index, u: k.u }));
  const chosen = await vscode.window.showQuickPick(items, {
    canPickMany: true, title: 'Code Origin: which are earlier submissions (an archive)? Archived ones meet the others only, never each other; tick none to compare all as usual',
  });
  return chosen?.map((c) => c.u);
}
