// Integrated Gradients in Node on the shipped attribution graphs: completeness, and spans mapped to the source.
import assert from 'node:assert/strict';
import { OriginModel } from '../../server/src/origin/model';
import { integratedGradients } from '../../server/src/origin/integratedGradients';
import { OriginTokenizer } from '../../server/src/origin/tokenizer';
import { Tokenizer } from '@huggingface/tokenizers';
import fs from 'node:fs';
import path from 'node:path';
import { hasAttribution, longSource, MODEL_DIR, requireModel, SMALL_JAVA, SMALL_PY, tokenBytes } from './helpers';

const UNICODE_SRC = `# Größe der Wärme — température 🌡️ 温度\ndef grad(ζ, n=3):\n    return "é" * n + str(ζ) + "😀"\n`;

describe('origin Integrated Gradients', function () {
  this.timeout(300000);
  let model: OriginModel;
  before(function () {
    requireModel(this);
    if (!hasAttribution()) {
      console.log('    (skipped: the shipped model folder has no embeddings.onnx / attribution.onnx)');
      this.skip();
    }
    model = OriginModel.open(MODEL_DIR);
  });
  after(async () => model?.dispose());

  it('is complete: attributions sum to f(x) − f(baseline) within 5% at 32 steps', async () => {
    const runner = await model.attributionRunner();
    const long = model.windows(longSource(60)).windows;
    const samples = [model.windows(SMALL_PY).windows[0]!, model.windows(SMALL_JAVA).windows[0]!, long[0]!, long.at(-1)!];
    for (const w of samples) {
      for (const target of [0, 1]) {
        const r = await integratedGradients(runner, w.ids, model.folder.manifest.ig_baseline, { target, steps: 32 });
        const err = Math.abs(r.sum - r.delta);
        console.log(`      ${w.ids.length} tokens, target ${target}: f(x)-f(x')=${r.delta.toFixed(4)} sum=${r.sum.toFixed(4)} rel.err=${(err / Math.abs(r.delta)).toFixed(4)}`);
        assert.ok(err <= 0.05 * Math.abs(r.delta) || err < 1e-3, `sum ${r.sum} vs delta ${r.delta}`);
        assert.equal(r.scores[0], 0);
        assert.equal(r.scores[w.ids.length - 1], 0);
      }
    }
  });

  it('maps attributions to source ranges that hold the token text (raw input: tiling the text)', async () => {
    const canonical = model.folder.manifest.canonicalization !== undefined;
    const e = await model.explain(SMALL_JAVA, { top: 5, language: 'java' });
    assert.equal(e.steps, 32);
    assert.match(e.baseline, /<s> and <\/s> keep their own embeddings/);
    for (let i = 0; i < e.tokens.length; i++) {
      const t = e.tokens[i]!;
      assert.ok(t.start >= 0 && t.start < t.end && t.end <= SMALL_JAVA.length);
      assert.equal(t.text, SMALL_JAVA.slice(t.start, t.end));
      if (i > 0) assert.ok(t.start >= e.tokens[i - 1]!.end, `spans in source order, disjoint: ${JSON.stringify(t.text)}`);
      if (i > 0 && !canonical) assert.equal(t.start, e.tokens[i - 1]!.end);
    }
    // each span is the source of its BPE token: the token's text itself (raw input), or for canonical input
    // the same characters with the layout the canonical form collapsed
    const hf = new Tokenizer(JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'tokenizer.json'), 'utf8')) as object, {});
    const input = await model.input(SMALL_JAVA, 'java');
    const pieces = hf.tokenize(input.text, { add_special_tokens: false }).map((p) => Buffer.from(tokenBytes(p)).toString('utf8'));
    assert.equal(pieces.length, e.tokens.length);
    const squash = (x: string): string => x.replace(/\s+/g, '');
    pieces.forEach((p, i) => assert.equal(canonical ? squash(e.tokens[i]!.text) : e.tokens[i]!.text, canonical ? squash(p) : p, `token ${i}`));
    if (canonical) {
      // what no span covers is layout, or the optional brackets and separators tokens-v1 drops
      const covered = new Uint8Array(SMALL_JAVA.length);
      for (const t of e.tokens) covered.fill(1, t.start, t.end);
      const lost = [...SMALL_JAVA].filter((ch, i) => !covered[i] && !/\s/.test(ch));
      assert.ok(lost.every((ch) => '();,'.includes(ch)), `uncovered source characters: ${JSON.stringify(lost.join(''))}`);
    } else {
      assert.equal(e.tokens[0]!.start, 0);
      assert.equal(e.tokens.at(-1)!.end, SMALL_JAVA.length);
    }
    assert.equal(e.top.length, 5);
    for (let i = 1; i < e.top.length; i++) assert.ok(e.top[i - 1]!.score >= e.top[i]!.score);
    const sum = e.tokens.reduce((a, t) => a + t.score, 0);
    assert.ok(Math.abs(sum - e.completeness[0]!.sum) < 1e-6);
    assert.ok(e.completeness[0]!.relative_error <= 0.05);
    const lines = SMALL_JAVA.split('\n');
    for (const t of e.tokens) {
      if (t.text.startsWith('\n')) continue;
      assert.equal(lines[t.line - 1]!.slice(t.column - 1, t.column - 1 + t.text.length), t.text, `line/column of ${JSON.stringify(t.text)}`);
    }
  });

  it('keeps ranges inside the source for multi-byte characters', async () => {
    const canonical = model.folder.manifest.canonicalization !== undefined;
    const e = await model.explain(UNICODE_SRC, { top: 3, target: 'llm', language: 'python' });
    assert.equal(e.target, 'llm');
    // Tokens that split a multi-byte character each cover the whole character, so neighbours may share it.
    let covered = 0;
    let prevStart = 0;
    for (const t of e.tokens) {
      assert.ok(t.start >= 0 && t.end <= UNICODE_SRC.length && t.start < t.end);
      assert.ok(t.start >= prevStart && covered - t.start <= 2, 'spans in order, overlapping by at most one character');
      // raw input tiles the text; canonical input skips only layout
      if (!canonical) assert.ok(t.start <= covered, 'no gap');
      else assert.match(UNICODE_SRC.slice(covered, Math.max(covered, t.start)), /^\s*$/, 'only whitespace between spans');
      prevStart = t.start;
      covered = Math.max(covered, t.end);
      assert.equal(t.text, UNICODE_SRC.slice(t.start, t.end));
      assert.ok(!/^[\uDC00-\uDFFF]/.test(t.text) && !/[\uD800-\uDBFF]$/.test(t.text), 'no split surrogate pair');
    }
    assert.equal(UNICODE_SRC.slice(covered).trim(), '');
    assert.ok(OriginTokenizer.windows(model.tokenizer.encode(UNICODE_SRC)).length === 1);
  });

  it('explains only the windows and spans of a range', async () => {
    const text = longSource(60);
    const start = Math.floor(text.length * 0.6);
    const range = { start, end: start + 200 };
    const e = await model.explain(text, { range, top: 3 });
    assert.ok(e.completeness.length >= 1 && e.completeness.length <= 2);
    assert.ok(e.tokens.length > 0);
    for (const t of e.tokens) assert.ok(t.end > range.start && t.start < range.end);
  });

  it('measures IG latency for a 256-token window at 32 steps', async () => {
    const runner = await model.attributionRunner();
    const w = model.windows(longSource(60)).windows[0]!;
    assert.equal(w.ids.length, model.folder.manifest.window.length);
    const t0 = performance.now();
    await integratedGradients(runner, w.ids, model.folder.manifest.ig_baseline, { target: 1, steps: 32 });
    console.log(`      IG, ${w.ids.length} tokens, 32 steps: ${(performance.now() - t0).toFixed(0)} ms`);
  });
});
