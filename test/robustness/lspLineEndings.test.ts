// Issue 21 item 15 in the editor: an open lone-CR or CRLF buffer is summarized on the editor's lines.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const SERVER = path.resolve('dist/server.js');
const ORIGINAL = fs.readFileSync(path.resolve('test/fixtures/similarity/java/Original.java'), 'utf8');

describe('robustness: line endings in the language server', function () {
  this.timeout(60_000);
  let proc: ChildProcess;
  let conn: MessageConnection;

  before(async () => {
    proc = spawn(process.execPath, ['--max-old-space-size=256', SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({ similarity: { enabled: false }, origin: { enabled: false } })));
    conn.listen();
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await conn.sendNotification('initialized', {});
  });

  after(async () => {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    await new Promise((resolve) => proc.once('exit', resolve));
    conn.dispose();
  });

  type Summary = { metrics: { total_lines: number }; functions: Array<{ name: string; range: unknown }>; syntax_errors: unknown[] };
  const summaryOf = async (uri: string, text: string) => {
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'java', version: 1, text } });
    return conn.sendRequest<Summary>('codeOrigin/structureSummary', { textDocument: { uri } });
  };

  it('LF, CRLF and lone-CR buffers give the same functions on the same lines, no false errors', async () => {
    const lf = await summaryOf('untitled:lf.java', ORIGINAL);
    const crlf = await summaryOf('untitled:crlf.java', ORIGINAL.replace(/\n/g, '\r\n'));
    const cr = await summaryOf('untitled:cr.java', ORIGINAL.replace(/\n/g, '\r'));
    assert.ok(lf.functions.length >= 3);
    for (const s of [crlf, cr]) {
      assert.deepEqual(s.syntax_errors, []);
      assert.equal(s.metrics.total_lines, lf.metrics.total_lines);
      assert.deepEqual(s.functions.map((f) => [f.name, f.range]), lf.functions.map((f) => [f.name, f.range]));
    }
  });
});
