// The judge on the extension side: the Gemini key and the consent to send code to Google.
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerApiKey } from './apiKey';
import { registerConsent } from './consent';

export function registerJudge(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): void {
  registerApiKey(context, client, output);
  registerConsent(context, client, output);
}
