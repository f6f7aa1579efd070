// The language server as a separate process over JSON-RPC, for the origin tests: diagnostics, statuses and
// messages it sends are collected; `settings` answers workspace/configuration for "codeOrigin" (mutable);
// `env` is added to the server's environment (a variable set to undefined is removed from it).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { OriginStatusParams } from '../../server/src/lsp/origin/protocol';

export const SERVER = path.resolve('dist/server.js');
export const EXAMPLES = path.resolve('examples/origin');

export interface Session {
  proc: ChildProcess;
  conn: MessageConnection;
  diagnostics: Map<string, Diagnostic[]>;
  statuses: Map<string, OriginStatusParams>;
  messages: Array<{ type: number; message: string }>;
  waitFor(pred: () => boolean, ms?: number): Promise<void>;
  open(file: string, languageId?: string, text?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startServer(modelDir: string, storage: string, settings: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): Promise<Session> {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, CODE_ORIGIN_MODEL: modelDir, ...env } });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const diagnostics = new Map<string, Diagnostic[]>();
  const statuses = new Map<string, OriginStatusParams>();
  const messages: Array<{ type: number; message: string }> = [];
  const listeners: Array<() => void> = [];
  const poke = () => { for (const l of listeners) l(); };
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => { diagnostics.set(p.uri, p.diagnostics); poke(); });
  conn.onNotification('codeOrigin/originStatus', (p: OriginStatusParams) => { statuses.set(p.uri, p); poke(); });
  conn.onNotification('window/showMessage', (m: { type: number; message: string }) => { messages.push(m); poke(); });
  conn.onRequest('window/showMessageRequest', (m: { type: number; message: string }) => { messages.push(m); poke(); return null; });
  conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => p.items.map((i) => (i.section === 'codeOrigin' ? settings : null)));
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('$/progress', () => undefined);
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('codeOrigin/reportChanged', () => undefined);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: { workspace: { configuration: true } },
    initializationOptions: { storagePath: storage, globalStoragePath: storage, settings },
  });
  await conn.sendNotification('initialized', {});
  const waitFor = (pred: () => boolean, ms = 90_000) => new Promise<void>((resolve, reject) => {
    if (pred()) return resolve();
    const timer = setTimeout(() => reject(new Error('timed out waiting for the server')), ms);
    listeners.push(() => { if (pred()) { clearTimeout(timer); resolve(); } });
  });
  const open = async (file: string, languageId = 'python', text = fs.readFileSync(file, 'utf8')) => {
    const uri = pathToFileURL(file).toString();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  };
  const close = async () => {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    await new Promise((r) => proc.once('exit', r));
    conn.dispose();
  };
  return { proc, conn, diagnostics, statuses, messages, waitFor, open, close };
}

export function offsetAt(text: string, pos: { line: number; character: number }): number {
  let off = 0;
  for (let l = 0; l < pos.line; l++) off = text.indexOf('\n', off) + 1;
  return off + pos.character;
}

export function inside(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): boolean {
  const lines = text.split('\n');
  const ok = (p: { line: number; character: number }) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!.length;
  return ok(r.start) && ok(r.end) && offsetAt(text, r.start) <= offsetAt(text, r.end);
}

