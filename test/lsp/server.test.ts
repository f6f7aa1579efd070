// The bundled language server as a separate process, spoken to over real JSON-RPC on stdio.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Hover, InitializeResult, MarkupContent } from 'vscode-languageserver-protocol';

const SERVER = path.resolve('dist/server.js');
const INVENTORY = path.resolve('examples/python/inventory.py');

describe('language server over JSON-RPC', function () {
  let proc: ChildProcess;
  let conn: MessageConnection;
  const logs: string[] = [];
  const uri = pathToFileURL(INVENTORY).toString();

  before(async () => {
    proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
    // The server asks for settings after `initialized`; answer like a client with none set.
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({ maxFileSize: 4096 })));
    conn.listen();
    const init = await conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } },
    });
    assert.equal(init.capabilities.hoverProvider, true);
    assert.equal(init.serverInfo?.name, 'code-origin');
    await conn.sendNotification('initialized', {});
  });

  after(async () => {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    assert.equal(code, 0);
    conn.dispose();
  });

  const open = (docUri: string, text: string, languageId: string, version = 1) =>
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri: docUri, languageId, version, text } });

  it('hovers a function name with its metrics', async () => {
    await open(uri, fs.readFileSync(INVENTORY, 'utf8'), 'python');
    // `def remove(self, name, quantity):` is line 13 (0-based 12); "remove" starts at column 8.
    const hover = await conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 12, character: 10 } });
    assert.ok(hover);
    const md = (hover.contents as MarkupContent).value;
    assert.match(md, /\*\*Code Origin\*\* · `remove` \(function definition, lines 13–21\)/);
    assert.match(md, /\| Cyclomatic complexity \| 3 \|/);
    assert.match(md, /\| Lines of code \| 9 \|/);
    assert.deepEqual(hover.range, { start: { line: 12, character: 8 }, end: { line: 12, character: 14 } });
  });

  it('gives no hover away from function names', async () => {
    const hover = await conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 15, character: 12 } });
    assert.equal(hover, null);
  });

  it('answers codeOrigin/structureSummary from the open buffer, following edits', async () => {
    const first = await conn.sendRequest<{ metrics: { function_count: number } }>('codeOrigin/structureSummary', { textDocument: { uri } });
    assert.equal(first.metrics.function_count, 4);
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'def extra():\n    pass\n' }],
    });
    const second = await conn.sendRequest<{ metrics: { function_count: number }; functions: Array<{ name: string }> }>(
      'codeOrigin/structureSummary', { textDocument: { uri } });
    assert.equal(second.metrics.function_count, 5);
    assert.equal(second.functions[0]!.name, 'extra');
  });

  it('answers codeOrigin/visualizeAst with caps', async () => {
    const r = await conn.sendRequest<{ root: { type: string }; truncated: boolean; node_count: number }>(
      'codeOrigin/visualizeAst', { textDocument: { uri }, maxNodes: 7 });
    assert.equal(r.root.type, 'module');
    assert.equal(r.truncated, true);
    assert.equal(r.node_count, 7);
  });

  it('reads files that are not open, with the configured size limit', async () => {
    const go = pathToFileURL(path.resolve('examples/go/retry.go')).toString();
    const r = await conn.sendRequest<{ language: string }>('codeOrigin/structureSummary', { textDocument: { uri: go } });
    assert.equal(r.language, 'go');
    // The client's settings said maxFileSize 4096 bytes.
    const big = 'untitled:big.py';
    await open(big, 'x = 1\n'.repeat(1000), 'python');
    const refused = await conn.sendRequest<{ error?: string }>('codeOrigin/structureSummary', { textDocument: { uri: big } });
    assert.match(refused.error ?? '', /file too large/);
  });

  it('keeps serving after bad requests', async () => {
    const bad = await conn.sendRequest<{ error?: string }>('codeOrigin/structureSummary', {});
    assert.equal(bad.error, 'missing textDocument.uri');
    const unsupported = await conn.sendRequest<{ error?: string }>('codeOrigin/structureSummary', { textDocument: { uri: 'file:///tmp/x.txt' } });
    assert.match(unsupported.error ?? '', /unsupported file type|cannot read/);
    const hover = await conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: 'file:///nowhere.py' }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
    const still = await conn.sendRequest<{ metrics?: unknown }>('codeOrigin/structureSummary', { textDocument: { uri } });
    assert.ok(still.metrics);
  });
});
