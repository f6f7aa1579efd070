// "Compare side by side": VS Code's diff editor on two matched regions (or two whole files).
import * as path from 'node:path';
import * as vscode from 'vscode';

const SCHEME = 'code-origin-region';

export interface RegionRef {
  path: string;
  lines: [number, number];
}

/** Serves region excerpts as read-only documents, keyed by their URI. */
export class RegionProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  async excerpt(ref: RegionRef): Promise<vscode.Uri> {
    if (ref.path.includes('!/')) throw new Error(`${ref.path} is inside an archive or a cloned repository and cannot be opened`);
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(ref.path));
    const lines = Buffer.from(bytes).toString('utf8').split(/\r?\n/);
    const text = lines.slice(ref.lines[0] - 1, ref.lines[1]).join('\n');
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${path.basename(ref.path)}`, query: `lines=${ref.lines[0]}-${ref.lines[1]}&of=${encodeURIComponent(ref.path)}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }
}

export function registerRegionDiff(context: vscode.ExtensionContext): RegionProvider {
  const provider = new RegionProvider();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand('codeOrigin.compareRegions', async (arg: { left: RegionRef; right: RegionRef }) => {
      try {
        const [l, r] = [await provider.excerpt(arg.left), await provider.excerpt(arg.right)];
        const title = `${path.basename(arg.left.path)}:${arg.left.lines[0]}–${arg.left.lines[1]} ↔ ${path.basename(arg.right.path)}:${arg.right.lines[0]}–${arg.right.lines[1]}`;
        await vscode.commands.executeCommand('vscode.diff', l, r, title);
      } catch (e) {
        void vscode.window.showWarningMessage(`Code Origin: ${(e as Error).message}`);
      }
    }),
  );
  return provider;
}
