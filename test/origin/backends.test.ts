// The origin model on both onnxruntime backends: native (onnxruntime-node) and the WASM fallback
// (onnxruntime-web). Same verdicts and attributions within float tolerance; no p_llm is hard-coded,
// so a retrained model of the same format passes too. And a native binding that fails to load falls back.
import assert from 'node:assert/strict';
import { OriginModel } from '../../server/src/origin/model';
import { chooseOrt, defaultLoaders, wantedBackend } from '../../server/src/origin/ortBackend';
import { hasAttribution, longSource, MODEL_DIR, requireModel, SMALL_JAVA, SMALL_PY } from './helpers';

describe('origin model on native and WASM onnxruntime', function () {
  this.timeout(300000);
  let native: OriginModel;
  let wasm: OriginModel;
  before(function () {
    requireModel(this);
    native = OriginModel.open(MODEL_DIR, { backend: 'native', threads: 1 });
    wasm = OriginModel.open(MODEL_DIR, { backend: 'wasm', threads: 1 });
  });
  after(async () => {
    await native?.dispose();
    await wasm?.dispose();
  });

  it('gives the same p_llm and windows on both backends', async () => {
    for (const [text, language] of [[SMALL_PY, 'python'], [SMALL_JAVA, 'java'], [longSource(40), 'python']] as const) {
      const a = await native.classify(text, { language });
      const b = await wasm.classify(text, { language });
      assert.equal(b.windows, a.windows);
      assert.equal(b.tokens, a.tokens);
      assert.ok(Math.abs(a.p_llm - b.p_llm) < 1e-3, `${language}: native ${a.p_llm} vs wasm ${b.p_llm}`);
      for (let w = 0; w < a.window_scores.length; w++) {
        for (let j = 0; j < 2; j++) assert.ok(Math.abs(a.window_scores[w]!.logits[j]! - b.window_scores[w]!.logits[j]!) < 1e-3);
      }
    }
  });

  it('gives the same attribution shape on both backends', async function () {
    if (!hasAttribution()) this.skip();
    const opts = { target: 'llm' as const, steps: 8, maxWindows: 1, top: 5, language: 'python' as const };
    const a = await native.explain(SMALL_PY, opts);
    const b = await wasm.explain(SMALL_PY, opts);
    assert.equal(b.tokens.length, a.tokens.length);
    let maxAbs = 0;
    for (const t of a.tokens) maxAbs = Math.max(maxAbs, Math.abs(t.score));
    a.tokens.forEach((t, i) => {
      const u = b.tokens[i]!;
      assert.deepEqual([u.start, u.end, u.text], [t.start, t.end, t.text]);
      // Float summation order differs between the two runtimes: compare relative to the largest score.
      assert.ok(Math.abs(t.score - u.score) <= 1e-2 * Math.max(maxAbs, 1e-6), `token ${i} ${t.text}: ${t.score} vs ${u.score}`);
    });
    assert.deepEqual(b.top.map((t) => t.text), a.top.map((t) => t.text));
  });
});

describe('onnxruntime backend choice', function () {
  this.timeout(120000);

  it('reads CODE_ORIGIN_ORT_BACKEND (native, wasm, else auto)', () => {
    assert.equal(wantedBackend({ CODE_ORIGIN_ORT_BACKEND: 'wasm' }), 'wasm');
    assert.equal(wantedBackend({ CODE_ORIGIN_ORT_BACKEND: ' Native ' }), 'native');
    assert.equal(wantedBackend({ CODE_ORIGIN_ORT_BACKEND: 'gpu' }), 'auto');
    assert.equal(wantedBackend({}), 'auto');
  });

  it('falls back to WASM with a one-line notice when the native binding cannot load', async () => {
    const broken = { native: () => Promise.reject(new Error('libonnxruntime.so.1: cannot open shared object file\nmore detail')), wasm: defaultLoaders.wasm };
    const rt = await chooseOrt('auto', broken);
    assert.equal(rt.backend, 'wasm');
    assert.match(rt.notice ?? '', /native onnxruntime unavailable .*libonnxruntime\.so\.1.*onnxruntime-web \(WASM/);
    assert.ok(!rt.notice!.includes('\n'));
    assert.equal(typeof rt.ort.InferenceSession.create, 'function');
    // A forced native backend reports the failure instead of falling back.
    await assert.rejects(chooseOrt('native', broken), /cannot open shared object/);
    // Where native loads, auto uses it without a notice.
    const ok = await chooseOrt('auto');
    assert.equal(ok.backend, 'native');
    assert.equal(ok.notice, undefined);
  });
});
