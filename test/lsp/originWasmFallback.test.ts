// The WASM fallback through the real server process over JSON-RPC: the server starts with a preload (NODE_OPTIONS
// --require, which Node also runs in worker threads) that makes onnxruntime-node's native binary fail to load,
// as it does on a platform without a prebuilt binding. With CODE_ORIGIN_ORT_BACKEND unset (auto), the origin
// worker falls back to onnxruntime-web: the user is told once by an information message, however many documents
// are judged; verdicts still arrive and agree with the native runtime's; and no error message is shown.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OriginModel } from '../../server/src/origin/index';
import type { OriginClassifyResult } from '../../server/src/lsp/origin/protocol';
import { MODEL_DIR, requireModel } from '../origin/helpers';
import { EXAMPLES, offsetAt, startServer, type Session } from './originHarness';

/** In the failure the preload throws, so that the notice can be traced to it. */
const BLOCKED = 'libonnxruntime.so.1: cannot open shared object file: No such file or directory (blocked by the test preload)';

/** Fails onnxruntime-node's native binary on require, in whichever thread loads it, and logs each block to `marker`. */
function preloadSource(marker: string): string {
  return `'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const { isMainThread, threadId } = require('node:worker_threads');
const load = Module._extensions['.node'];
Module._extensions['.node'] = function (module, filename) {
  if (/onnxruntime_binding\\.node$/.test(filename)) {
    fs.appendFileSync(${JSON.stringify(marker)}, JSON.stringify({ filename, isMainThread, threadId }) + '\\n');
    throw new Error(${JSON.stringify(BLOCKED)});
  }
  return load.apply(this, arguments);
};
`;
}

const EXAMPLE_FILES = ['llm_like.py', 'human_like.py', 'human_laps.py', 'llm_temperatures.py'];
const WASM_MESSAGE = /^Code Origin: native onnxruntime unavailable on [\w-]+ \((.*)\); the origin model runs on onnxruntime-web \(WASM, CPU, slower\)\.$/;
const INFO = 3;
const ERROR = 1;

describe('origin model on the WASM fallback over LSP (native binding fails to load)', function () {
  this.timeout(300_000);
  let dir: string;
  let marker: string;
  let s: Session | undefined;
  let native: OriginModel | undefined;
  const results = new Map<string, OriginClassifyResult>();

  before(async function () {
    requireModel(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-wasm-fallback-'));
    marker = path.join(dir, 'blocked.jsonl');
    const preload = path.join(dir, 'block-native-ort.cjs');
    fs.writeFileSync(preload, preloadSource(marker));
    const storage = path.join(dir, 'storage');
    fs.mkdirSync(storage);
    // Auto mode is what is tested: CODE_ORIGIN_ORT_BACKEND is removed from the server's environment.
    const nodeOptions = [process.env['NODE_OPTIONS'], `--require ${JSON.stringify(preload)}`].filter(Boolean).join(' ');
    s = await startServer(MODEL_DIR, storage, {}, { NODE_OPTIONS: nodeOptions, CODE_ORIGIN_ORT_BACKEND: undefined });
    // The reference: the same model on the native runtime, in this process (which has no preload).
    native = OriginModel.open(MODEL_DIR, { backend: 'native' });
  });
  after(async () => {
    await s?.close().catch(() => undefined);
    await native?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const infoMessages = () => s!.messages.filter((m) => m.type === INFO && /WASM/.test(m.message));

  for (const name of EXAMPLE_FILES) {
    it(`${name}: verdicts arrive on onnxruntime-web and agree with the native runtime within 1e-3`, async () => {
      const file = path.join(EXAMPLES, name);
      const text = fs.readFileSync(file, 'utf8');
      const uri = await s!.open(file);
      await s!.waitFor(() => s!.statuses.get(uri)?.state === 'ready' || s!.statuses.get(uri)?.state === 'error', 240_000);
      assert.equal(s!.statuses.get(uri)?.state, 'ready', JSON.stringify(s!.statuses.get(uri)));
      const r = await s!.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri } });
      assert.ok(!('error' in r), JSON.stringify(r));
      results.set(name, r);
      assert.equal(r.model.runtime, 'onnxruntime-web (WASM)');
      assert.ok(r.model.runtimeNotice?.includes(BLOCKED), r.model.runtimeNotice);
      const whole = await native!.classify(text, { language: 'python' });
      assert.ok(r.file.p_llm !== undefined && Math.abs(whole.p_llm - r.file.p_llm) < 1e-3, `file: native ${whole.p_llm} vs wasm ${r.file.p_llm}`);
      let judged = 0;
      for (const u of r.units) {
        if (u.p_llm === undefined) continue;
        const c = await native!.classify(text.slice(offsetAt(text, u.range.start), offsetAt(text, u.range.end)), { language: 'python' });
        assert.ok(Math.abs(c.p_llm - u.p_llm) < 1e-3, `${u.name}: native ${c.p_llm} vs wasm ${u.p_llm}`);
        judged++;
      }
      console.log(`      ${name}: file p(LLM) wasm ${r.file.p_llm.toFixed(4)} native ${whole.p_llm.toFixed(4)}; ${judged} units compared`);
    });
  }

  it('a pasted snippet is judged on onnxruntime-web too, as the native runtime judges it', async () => {
    const text = fs.readFileSync(path.join(EXAMPLES, 'human_like.py'), 'utf8').split('\n').slice(0, 12).join('\n');
    const r = await s!.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { text, languageId: 'python' });
    assert.ok(!('error' in r), JSON.stringify(r));
    assert.equal(r.model.runtime, 'onnxruntime-web (WASM)');
    if (r.file.p_llm !== undefined) {
      const c = await native!.classify(text, { language: 'python' });
      assert.ok(Math.abs(c.p_llm - r.file.p_llm) < 1e-3, `native ${c.p_llm} vs wasm ${r.file.p_llm}`);
    }
  });

  it('the native binary was blocked in the origin worker thread, where onnxruntime is loaded', () => {
    const blocks = fs.readFileSync(marker, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { filename: string; isMainThread: boolean });
    assert.ok(blocks.length >= 1);
    for (const b of blocks) {
      assert.match(b.filename, /onnxruntime-node[\\/]bin[\\/].*onnxruntime_binding\.node$/);
      assert.equal(b.isMainThread, false, 'onnxruntime is loaded by the origin worker, not the server thread');
    }
  });

  it('exactly one information message names the WASM fallback, after all those verdicts; no error message', async () => {
    assert.ok(results.size === EXAMPLE_FILES.length, 'the documents above were judged');
    // Judge every document once more (a fresh request each), then let any late message arrive.
    for (const name of EXAMPLE_FILES) await s!.conn.sendRequest('codeOrigin/classify', { textDocument: { uri: results.get(name)!.uri } });
    await new Promise((r) => setTimeout(r, 1000));
    const shown = infoMessages();
    assert.equal(shown.length, 1, JSON.stringify(s!.messages));
    const m = WASM_MESSAGE.exec(shown[0]!.message);
    assert.ok(m, shown[0]!.message);
    assert.ok(m[1]!.includes(BLOCKED), `the reason is the failed native load: ${m[1]}`);
    assert.ok(shown[0]!.message.includes(`${process.platform}-${process.arch}`));
    assert.deepEqual(s!.messages.filter((x) => x.type === ERROR), [], 'no error message');
    assert.deepEqual(s!.messages.filter((x) => x !== shown[0]), [], 'no other window message');
  });
});
