// For the judge's LSP tests: the real server process over JSON-RPC with a scripted client (settings,
// key and consent answers, every message recorded), and a local HTTP server that speaks Gemini's
// generateContent REST call, reached through the SDK's GOOGLE_GEMINI_BASE_URL.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

const SERVER = path.resolve('dist/server.js');

/** Everything that crossed the wire or the process's stderr, in order. */
export interface Event { kind: 'key' | 'consent' | 'http' | 'notification' | 'stderr'; detail: unknown }

export interface ClientScript {
  /** `codeOrigin` settings the client answers workspace/configuration with. */
  settings: Record<string, unknown>;
  /** Answer to codeOrigin/judgeApiKey (undefined: no key). */
  key?: string;
  /** Answer to codeOrigin/judgeConsent. */
  consent?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface Session {
  conn: MessageConnection;
  diagnostics: Map<string, Diagnostic[]>;
  events: Event[];
  script: ClientScript;
  logs(): string[];
  waitFor(pred: () => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startServer(folder: string, storage: string, script: ClientScript, events: Event[] = []): Promise<Session> {
  const proc: ChildProcess = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...script.env } });
  proc.stderr!.on('data', (b: Buffer) => events.push({ kind: 'stderr', detail: b.toString() }));
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const diagnostics = new Map<string, Diagnostic[]>();
  const listeners: Array<() => void> = [];
  const changed = () => { for (const l of listeners) l(); };
  conn.onNotification((method: string, params: unknown) => {
    events.push({ kind: 'notification', detail: { method, params } });
    if (method === 'textDocument/publishDiagnostics') diagnostics.set((params as PublishDiagnosticsParams).uri, (params as PublishDiagnosticsParams).diagnostics);
    changed();
  });
  conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
    p.items.map((i) => (i.section === 'codeOrigin' ? script.settings : null)));
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('codeOrigin/judgeApiKey', () => {
    events.push({ kind: 'key', detail: null });
    changed();
    return script.key ? { key: script.key } : {};
  });
  conn.onRequest('codeOrigin/judgeConsent', (p: unknown) => {
    events.push({ kind: 'consent', detail: p });
    changed();
    return { allowed: script.consent === true };
  });
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(folder).toString(),
    workspaceFolders: [{ uri: pathToFileURL(folder).toString(), name: 'ws' }],
    capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
    initializationOptions: { storagePath: storage },
  });
  await conn.sendNotification('initialized', {});
  const waitFor = (pred: () => boolean, ms = 90_000) => new Promise<void>((resolve, reject) => {
    if (pred()) return resolve();
    const timer = setTimeout(() => reject(new Error(`timed out waiting for the server; events: ${JSON.stringify(events).slice(-3000)}`)), ms);
    listeners.push(() => { if (pred()) { clearTimeout(timer); resolve(); } });
  });
  const logs = () => events.filter((e) => e.kind === 'notification' && (e.detail as { method: string }).method === 'window/logMessage')
    .map((e) => ((e.detail as { params: { message: string } }).params.message));
  const close = async () => {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    await new Promise((r) => proc.once('exit', r));
    conn.dispose();
  };
  return { conn, diagnostics, events, script, logs, waitFor, close };
}

export interface FakeGemini {
  url: string;
  /** Requests received: path and headers (the key header included, to check it was sent). */
  seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }>;
  /** The verdict the next requests get. */
  verdict: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startFakeGemini(events: Event[], verdict: Record<string, unknown>): Promise<FakeGemini> {
  const fake: FakeGemini = { url: '', seen: [], verdict, close: async () => undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      fake.seen.push({ url: req.url ?? '', headers: req.headers, body });
      events.push({ kind: 'http', detail: req.url });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: JSON.stringify(fake.verdict) }] }, finishReason: 'STOP' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}
