// OriginModel on the shipped model with real onnxruntime sessions: batching, aggregation, classifier-only folders.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { OriginModel, aggregate } from '../../server/src/origin/model';
import { llmThresholdFor } from '../../server/src/origin/verdict';
import { hasAttribution, longSource, MODEL_DIR, requireModel, SMALL_JAVA, SMALL_PY, tempDir } from './helpers';

describe('origin model (onnxruntime-node)', function () {
  this.timeout(120000);
  let model: OriginModel;
  before(function () {
    requireModel(this);
    model = OriginModel.open(MODEL_DIR);
  });
  after(async () => model?.dispose());

  it('classifies a short file into one window with a probability', async () => {
    const c = await model.classify(SMALL_PY, { language: 'python', unevaluatedLanguages: true });
    assert.equal(c.windows, 1);
    assert.equal(c.truncated, false);
    assert.ok(c.p_llm >= 0 && c.p_llm <= 1);
    // three-way: llm at or above the llm threshold, human at or below the human one, inconclusive between
    const v = model.folder.manifest.verdict;
    const t = llmThresholdFor(v, 'python');
    const expected = c.p_llm >= t ? 'llm' : (v.legacy ? c.p_llm < t : v.humanThreshold > 0 && c.p_llm <= v.humanThreshold) ? 'human' : 'inconclusive';
    assert.equal(c.label, expected);
    // the window spans the code (canonical input leaves out the trailing newline)
    assert.equal(c.window_scores[0]!.start, 0);
    assert.equal(SMALL_PY.slice(c.window_scores[0]!.end).trim(), '');
  });

  it('gives the same logits for a window alone and inside a padded batch', async () => {
    const long = model.windows(longSource(60)).windows;
    const short = model.windows(SMALL_JAVA).windows;
    const all = [...short, ...long]; // different lengths: the short one is padded in its batch
    assert.ok(all.length >= 4);
    const batched = await model.windowLogits(all);
    for (let k = 0; k < all.length; k++) {
      const [single] = await model.windowLogits([all[k]!]);
      for (let j = 0; j < 2; j++) assert.ok(Math.abs(single![j]! - batched[k]![j]!) < 1e-4, `window ${k}: ${single} vs ${batched[k]}`);
    }
  });

  it('classifies several documents at once exactly as one by one', async () => {
    const docs = [SMALL_PY, SMALL_JAVA, longSource(30)];
    const many = await model.classifyMany(docs);
    for (let k = 0; k < docs.length; k++) {
      const one = await model.classify(docs[k]!);
      assert.equal(many[k]!.windows, one.windows);
      assert.ok(Math.abs(many[k]!.p_llm - one.p_llm) < 1e-5);
    }
  });

  it('aggregates windows as the manifest says and truncates long inputs', async () => {
    const c = await model.classify(longSource(60), { maxWindows: 3 });
    assert.equal(c.windows, 3);
    assert.equal(c.truncated, true);
    assert.ok(Math.abs(c.p_llm - aggregate(c.window_scores, model.folder.manifest.aggregation, model.folder.llmIndex, model.folder.manifest.temperature)) < 1e-12);
    const w = c.window_scores;
    const weighted = w.reduce((a, s) => a + s.tokens * s.p_llm, 0) / w.reduce((a, s) => a + s.tokens, 0);
    assert.ok(Math.abs(aggregate(w, 'token_weighted_mean', 1) - weighted) < 1e-12);
    assert.equal(aggregate(w, 'max', 1), Math.max(...w.map((s) => s.p_llm)));
    const margin = w.reduce((a, s) => a + s.tokens * (s.logits[1] - s.logits[0]), 0) / w.reduce((a, s) => a + s.tokens, 0);
    assert.ok(Math.abs(aggregate(w, 'token_weighted_mean_logits', 1) - 1 / (1 + Math.exp(-margin))) < 1e-12);
  });

  it('computes the same logits through the embeddings path (attribution.onnx) as through model.onnx', async function () {
    if (!hasAttribution()) this.skip();
    const runner = await model.attributionRunner();
    const session = await (model as unknown as { classifier(): Promise<{ outputNames: string[]; run: Function; ints: Function }> }).classifier();
    const lexical = session.outputNames.includes('lexical_contributions');
    // With a lexical path, attribution.onnx is the transformer path alone: model.onnx adds the lexical
    // contributions and the path's bias, which must then be the same constant for any window.
    const offsets: number[][] = [];
    for (const text of [SMALL_JAVA, longSource(3)]) {
      const w = model.windows(text).windows[0]!;
      const [expected] = await model.windowLogits([w]);
      const embeds = await runner.embed(w.ids);
      let lex = [0, 0];
      if (lexical) {
        const dims = [1, w.ids.length];
        const res = (await session.run({ input_ids: session.ints('input_ids', w.ids, dims), attention_mask: session.ints('attention_mask', w.ids.map(() => 1), dims) },
          ['lexical_contributions'])).get('lexical_contributions') as { data: Float32Array };
        lex = [0, 1].map((c) => w.ids.reduce((a, _, i) => a + res.data[2 * i + c]!, 0));
      }
      for (const target of [0, 1]) {
        const { logits } = await runner.logitsAndGradients(embeds, 1, w.ids.length, target);
        offsets.push([0, 1].map((j) => expected![j]! - logits[j]! - lex[j]!));
      }
    }
    for (const o of offsets) for (let j = 0; j < 2; j++) assert.ok(Math.abs(o[j]! - (lexical ? offsets[0]![j]! : 0)) < 1e-4, JSON.stringify(offsets));
  });

  it('measures classify latency for a 300-line file', async () => {
    const text = longSource(50);
    assert.equal(text.split('\n').length - 1, 300);
    const t0 = performance.now();
    const cold = OriginModel.open(MODEL_DIR);
    const c = await cold.classify(text);
    const t1 = performance.now();
    await cold.classify(text);
    const t2 = performance.now();
    await cold.dispose();
    console.log(`      classify, 300 lines (${c.tokens} tokens, ${c.windows} windows): ${(t1 - t0).toFixed(0)} ms cold (folder + sessions), ${(t2 - t1).toFixed(0)} ms warm`);
  });

  it('classifies with a folder that has no attribution graphs, and explain() says why it cannot', async () => {
    const dir = tempDir();
    try {
      for (const f of ['manifest.json', 'tokenizer.json']) fs.copyFileSync(path.join(MODEL_DIR, f), path.join(dir, f));
      const manifest = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8')) as { files?: { model?: string } };
      const modelFile = manifest.files?.model ?? 'model.onnx';
      fs.copyFileSync(path.join(MODEL_DIR, modelFile), path.join(dir, modelFile));
      const bare = OriginModel.open(dir);
      const a = await bare.classify(SMALL_PY);
      const b = await model.classify(SMALL_PY);
      assert.ok(Math.abs(a.p_llm - b.p_llm) < 1e-6);
      assert.match(bare.explainUnavailable ?? '', /explanations are unavailable/);
      await assert.rejects(bare.explain(SMALL_PY), /explanations are unavailable/);
      await bare.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
