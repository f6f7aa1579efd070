// Starts the real language server over stdio on a workspace folder and records what it sends back:
// diagnostics, work-done progress, messages, logs and report changes (shared by the workspace LSP tests).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

const SERVER = path.resolve('dist/server.js');

/** `settings` answers the server's `codeOrigin` configuration request (other sections get null). */
export async function startServer(folder: string, storage: string, settings: Record<string, unknown> = {}) {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const diagnostics = new Map<string, Diagnostic[]>();
  const progress: Array<{ kind: string; percentage?: number; message?: string }> = [];
  const messages: Array<{ type: number; message: string }> = [];
  let reports = 0;
  let judged = 0;
  const listeners: Array<() => void> = [];
  const poke = () => { for (const l of listeners) l(); };
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => { diagnostics.set(p.uri, p.diagnostics); poke(); });
  conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => p.items.map((i) => (i.section === 'codeOrigin' ? settings : null)));
  conn.onRequest('window/workDoneProgress/create', () => null);
  const logs: string[] = [];
  conn.onNotification('$/progress', (p: { value: { kind: string; percentage?: number; message?: string } }) => { progress.push(p.value); poke(); });
  conn.onRequest('window/showMessageRequest', (m: { type: number; message: string }) => { messages.push(m); poke(); return null; });
  conn.onNotification('window/showMessage', (m: { type: number; message: string }) => { messages.push(m); poke(); });
  conn.onNotification('window/logMessage', (m: { type: number; message: string }) => {
    if (m.type === 1) console.error(`server: ${m.message}`);
    logs.push(m.message);
    poke();
  });
  // A report whose verdicts are still to come (`judging`) is followed by the judged one.
  conn.onNotification('codeOrigin/reportChanged', (p: { judging?: boolean }) => { reports++; if (!p.judging) judged++; poke(); });
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid, rootUri: pathToFileURL(folder).toString(),
    workspaceFolders: [{ uri: pathToFileURL(folder).toString(), name: 'ws' }],
    capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
    initializationOptions: { storagePath: storage },
  });
  await conn.sendNotification('initialized', {});
  const waitFor = (pred: () => boolean, ms = 60_000) => new Promise<void>((resolve, reject) => {
    if (pred()) return resolve();
    const timer = setTimeout(() => reject(new Error('timed out waiting for the server')), ms);
    listeners.push(() => { if (pred()) { clearTimeout(timer); resolve(); } });
  });
  const close = async () => {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    await new Promise((r) => proc.once('exit', r));
    conn.dispose();
  };
  return { conn, diagnostics, progress, messages, logs, reports: () => reports, judged: () => judged, waitFor, close };
}

export type WorkspaceSession = Awaited<ReturnType<typeof startServer>>;
