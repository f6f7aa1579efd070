// Issue 21 item 13: a message header without Content-Length must not leave the language server deaf.
// The real server process over stdio: raw bytes first, then real JSON-RPC on the same pipe.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { InitializeResult } from 'vscode-languageserver-protocol';
import { FrameGuard } from '../../server/src/lsp/framing';

const SERVER = path.resolve('dist/server.js');

function frame(body: object): Buffer {
  const b = Buffer.from(JSON.stringify(body));
  return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]);
}

describe('robustness: language server framing', function () {
  this.timeout(60_000);

  const cases: Array<[string, string]> = [
    ['a header without Content-Length, then a body', 'Content-Type: application/json\r\n\r\n{"jsonrpc":"2.0","id":99,"method":"initialize","params":{}}'],
    ['a header line without a colon', 'garbage\r\n\r\n'],
    ['a Content-Length that is not a number', 'Content-Length: ten\r\n\r\n{}'],
    ['8 KB of noise without a blank line', 'x'.repeat(9000)],
  ];
  for (const [name, raw] of cases) {
    it(`answers a valid request after ${name}`, async () => {
      const proc: ChildProcess = spawn(process.execPath, ['--max-old-space-size=256', SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      proc.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      // Raw bytes go first through a pass-through that the JSON-RPC writer then shares.
      const input = new PassThrough();
      input.pipe(proc.stdin!);
      input.write(raw);
      const conn: MessageConnection = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(input));
      conn.listen();
      try {
        const init = await Promise.race([
          conn.sendRequest<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities: {} }),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer; stderr: ${stderr}`)), 15_000)),
        ]);
        assert.equal(init.serverInfo?.name, 'code-origin');
        assert.match(stderr, /dropped a (message header without a valid Content-Length|header of over 8192 bytes)/);
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
        const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
        assert.equal(code, 0);
      } finally {
        conn.dispose();
        proc.kill();
      }
    });
  }

  it('FrameGuard passes frames split at every byte and drops only the bad one', async () => {
    const warnings: string[] = [];
    const g = new FrameGuard((m) => warnings.push(m));
    const out: Buffer[] = [];
    g.on('data', (d: Buffer) => out.push(d));
    const good1 = frame({ jsonrpc: '2.0', id: 1, method: 'a' });
    const good2 = frame({ jsonrpc: '2.0', id: 2, method: 'b' });
    const all = Buffer.concat([good1, Buffer.from('X-Bad: 1\r\n\r\n{"id":3}'), good2]);
    for (let i = 0; i < all.length; i++) g.write(all.subarray(i, i + 1));
    g.end();
    await new Promise((r) => g.on('end', r));
    assert.equal(Buffer.concat(out).toString(), Buffer.concat([good1, good2]).toString());
    assert.equal(warnings.length, 1);
  });
});
