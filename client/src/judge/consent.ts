// Consent before code leaves the machine: the server asks before its first Gemini call; "Allow" holds
// for this session (the server remembers it), "Allow for this workspace" is kept in workspaceState.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { JudgeConsentRequest, type JudgeConsentParams, type JudgeConsentResult } from '../../../protocol/messages';

const CONSENT = 'codeOrigin.judge.geminiConsent';

export function forgetConsent(context: vscode.ExtensionContext): Thenable<void> {
  return context.workspaceState.update(CONSENT, undefined);
}

export function registerConsent(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): void {
  client.onRequest(JudgeConsentRequest, async (p: JudgeConsentParams): Promise<JudgeConsentResult> => {
    if (context.workspaceState.get<boolean>(CONSENT) === true) return { allowed: true };
    const ALLOW = 'Allow';
    const ALWAYS = 'Allow for this workspace';
    const files = `${p.files} file${p.files === 1 ? '' : 's'}`;
    const choice = await vscode.window.showWarningMessage(
      `Code from ${files} will be sent to Google (Gemini) to judge similar code.`,
      {
        modal: true,
        detail: `Up to ${p.pairs} pair${p.pairs === 1 ? '' : 's'} at or above the judge threshold, both files in full, go to ${p.model}; `
          + 'pairs the local judge is sure about and verdicts already cached are not sent. Cancel keeps the local judge for this session.',
      },
      ALLOW, ALWAYS,
    );
    if (choice === ALWAYS) await context.workspaceState.update(CONSENT, true);
    output.appendLine(`judge: sending code to Google ${choice ? `allowed (${choice === ALWAYS ? 'this workspace' : 'this session'})` : 'declined; local judge'}`);
    return { allowed: choice === ALLOW || choice === ALWAYS };
  });
}
