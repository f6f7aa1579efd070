// A CRLF or lone-CR buffer is judged as its LF text (the model would read `\r` as tokens), and its
// per-function diagnostics sit on the same editor lines as the LF file's.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OriginClassifyResult } from '../../server/src/lsp/origin/protocol';
import { MODEL_DIR, requireModel } from '../origin/helpers';
import { EXAMPLES, startServer, type Session } from './originHarness';

describe('origin analysis over LSP: line endings', function () {
  this.timeout(240_000);
  let storage: string;
  let s: Session | undefined;

  before(function () {
    requireModel(this);
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-origin-eol-'));
  });
  after(async () => {
    await s?.close().catch(() => undefined);
    if (storage) fs.rmSync(storage, { recursive: true, force: true });
  });

  it('CRLF and lone-CR buffers get the LF file\'s p(LLM), units and diagnostic ranges', async () => {
    s = await startServer(MODEL_DIR, storage);
    const file = path.join(EXAMPLES, 'llm_like.py');
    const lf = fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
    const judge = async (name: string, text: string) => {
      const f = path.join(storage, name);
      fs.writeFileSync(f, text);
      const uri = await s!.open(f, 'python', text);
      await s!.waitFor(() => s!.statuses.get(uri)?.state === 'ready');
      await s!.waitFor(() => s!.diagnostics.has(uri) || s!.statuses.get(uri)?.llmUnits === 0, 10_000).catch(() => undefined);
      const r = await s!.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri } });
      assert.ok(!('error' in r), JSON.stringify(r));
      const diags = (s!.diagnostics.get(uri) ?? []).filter((d) => d.code === 'llm-generated').map((d) => d.range);
      return { r, diags };
    };
    const base = await judge('lf.py', lf);
    assert.ok(base.r.units.length >= 3);
    for (const [name, text] of [['crlf.py', lf.replace(/\n/g, '\r\n')], ['cr.py', lf.replace(/\n/g, '\r')]] as const) {
      const got = await judge(name, text);
      assert.ok(Math.abs(got.r.file.p_llm! - base.r.file.p_llm!) < 1e-6, `${name}: ${got.r.file.p_llm} vs ${base.r.file.p_llm}`);
      assert.deepEqual(got.r.units.map((u) => [u.name, u.range, u.name_range, u.label, u.p_llm]), base.r.units.map((u) => [u.name, u.range, u.name_range, u.label, u.p_llm]));
      assert.deepEqual(got.diags, base.diags);
    }
  });
});
