// The Code Origin extension: starts the language server and puts its results in the editor.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { VSCODE_LANGUAGE_IDS } from '../../protocol/config';
import { registerRegionDiff } from './similarity/regionDiff';
import { registerSimilarityCommands, templatePaths } from './similarity/commands';
import { ResultsTree } from './similarity/resultsTree';
import { StructureStatus } from './statusBar';
import { registerSummaryCommands } from './summaryCommands';
import { registerOrigin } from './origin/index';
import { registerJudge } from './judge/index';

let client: LanguageClient | undefined;

const SOURCE_EXTENSIONS = ['py', 'js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'java', 'c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'go', 'rs'];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Code Origin');
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: VSCODE_LANGUAGE_IDS.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    outputChannel: output,
    synchronize: {
      configurationSection: 'codeOrigin',
      // Files changed outside the editor (git checkout, generated code) refresh the similarity index.
      fileEvents: vscode.workspace.createFileSystemWatcher(`**/*.{${SOURCE_EXTENSIONS.join(',')}}`),
    },
    initializationOptions: {
      settings: vscode.workspace.getConfiguration('codeOrigin'),
      storagePath: (context.storageUri ?? context.globalStorageUri).fsPath,
      globalStoragePath: context.globalStorageUri.fsPath,
      template: templatePaths(context),
    },
    // Hovers carry a "Compare side by side" command link.
    markdown: { isTrusted: { enabledCommands: ['codeOrigin.compareRegions'] } },
  };
  await vscode.workspace.fs.createDirectory(context.storageUri ?? context.globalStorageUri);
  await vscode.workspace.fs.createDirectory(context.globalStorageUri);
  client = new LanguageClient('codeOrigin', 'Code Origin', serverOptions, clientOptions);

  const status = new StructureStatus(client, output);
  context.subscriptions.push(status);
  registerSummaryCommands(context, client, output);
  const tree = new ResultsTree();
  context.subscriptions.push(vscode.window.registerTreeDataProvider('codeOrigin.results', tree));
  registerSimilarityCommands(context, client, tree, output);
  registerRegionDiff(context);
  registerOrigin(context, client, output);
  registerJudge(context, client, output);

  try {
    await client.start();
    output.appendLine('Code Origin language server started.');
  } catch (e) {
    output.appendLine(`Code Origin language server failed to start: ${(e as Error).message}`);
    void vscode.window.showErrorMessage('Code Origin: the language server failed to start. See the "Code Origin" output for details.');
    return;
  }
  status.refresh();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
