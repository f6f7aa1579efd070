// The Gemini API key: kept in VS Code's SecretStorage (never in settings or logs), set and cleared by
// command, and handed to the language server only when it asks, right before a Gemini call.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { JudgeApiKeyRequest, JudgeKeyChangedNotification, type JudgeApiKeyResult } from '../../../protocol/messages';
import { forgetConsent } from './consent';

const SECRET = 'codeOrigin.judge.geminiApiKey';

export function registerApiKey(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): void {
  // The missing-key message is shown once per session, not after every re-analysis.
  let toldMissing = false;
  const keyChanged = () => {
    toldMissing = false;
    if (client.isRunning()) void client.sendNotification(JudgeKeyChangedNotification, {});
  };

  client.onRequest(JudgeApiKeyRequest, async (): Promise<JudgeApiKeyResult> => {
    const key = await context.secrets.get(SECRET);
    if (!key) {
      if (!toldMissing) {
        toldMissing = true;
        void vscode.window.showWarningMessage('Code Origin: the Gemini judge needs an API key; the local judge is used until one is set.', 'Set Gemini API Key')
          .then((choice) => choice && vscode.commands.executeCommand('codeOrigin.setGeminiApiKey'));
      }
      return {};
    }
    // A verbose protocol trace writes every answer to the output channel: the key would be in it.
    if (vscode.workspace.getConfiguration('codeOrigin').get<string>('trace.server') === 'verbose') {
      output.appendLine('judge: the Gemini key is not sent while codeOrigin.trace.server is "verbose"; local judge used');
      return {};
    }
    return { key };
  });

  context.subscriptions.push(
    // Another window may set or clear the key: the server asks again next time.
    context.secrets.onDidChange((e) => { if (e.key === SECRET) keyChanged(); }),
    vscode.commands.registerCommand('codeOrigin.setGeminiApiKey', async () => {
      const key = await vscode.window.showInputBox({
        title: 'Code Origin: Gemini API key',
        prompt: 'Kept in VS Code\'s secret storage, never in settings. Code is sent to Google only after you allow it.',
        password: true, ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'enter a key, or press Escape'),
      });
      if (!key?.trim()) return;
      await context.secrets.store(SECRET, key.trim());
      output.appendLine('judge: Gemini API key set');
      keyChanged();
      const judge = vscode.workspace.getConfiguration('codeOrigin.judge');
      if (judge.get<string>('provider') === 'gemini') {
        void vscode.window.showInformationMessage('Code Origin: Gemini API key saved; the workspace is judged again.');
        return;
      }
      const use = await vscode.window.showInformationMessage(`Code Origin: Gemini API key saved. The judge is set to "${judge.get<string>('provider')}".`, 'Use Gemini');
      if (use) await judge.update('provider', 'gemini', vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand('codeOrigin.clearGeminiApiKey', async () => {
      await context.secrets.delete(SECRET);
      // Clearing is a reset: this workspace's "allow" goes too.
      await forgetConsent(context);
      output.appendLine('judge: Gemini API key cleared');
      keyChanged();
      void vscode.window.showInformationMessage('Code Origin: Gemini API key cleared; the local judge is used.');
    }),
  );
}
