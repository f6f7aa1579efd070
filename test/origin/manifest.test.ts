// Model folder validation: every broken folder gives one ModelFolderError that names the folder and the problem.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ModelFolderError, loadModelFolder, modelFolderFiles, parseManifest } from '../../server/src/origin/manifest';
import { OriginModel } from '../../server/src/origin/model';
import { WINDOW_LENGTH, WINDOW_STRIDE } from '../../server/src/origin/tokenizer';
import { MODEL_DIR, tempDir } from './helpers';

const TOKENIZER = path.join(MODEL_DIR, 'tokenizer.json');

function folder(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

function throwsFolderError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ModelFolderError, `expected ModelFolderError, got ${String(e)}`);
    assert.match(e.message, /^model folder /);
    assert.match(e.message, pattern);
    return true;
  });
}

const GOOD = JSON.stringify({ name: 't', version: '1', labels: ['human', 'llm'], window: { length: 256, stride: 192 } });

describe('origin model folder validation', () => {
  const made: string[] = [];
  const mk = (files: Record<string, string | Buffer>): string => {
    const d = folder(files);
    made.push(d);
    return d;
  };
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('reports a missing folder', () => {
    throwsFolderError(() => loadModelFolder('/no/such/model/folder'), /folder not found/);
  });

  it('reports a folder without manifest.json, saying what a model folder needs', () => {
    throwsFolderError(() => loadModelFolder(mk({ 'model.onnx': 'x' })), /manifest\.json is missing \(a model folder needs manifest\.json, model\.onnx and tokenizer\.json\)/);
  });

  it('reports a manifest that is not JSON', () => {
    throwsFolderError(() => loadModelFolder(mk({ 'manifest.json': '{"name": ' })), /manifest\.json is not valid JSON/);
  });

  it('reports bad manifest fields', () => {
    const cases: Array<[object, RegExp]> = [
      [{ labels: ['human'] }, /"labels" must list exactly two class names/],
      [{ labels: ['a', 'b'] }, /name neither "llm" nor "human"/],
      [{ window: { length: 600, stride: 100 } }, /"length" must be an integer in 3\.\.512, got 600/],
      [{ window: { length: 256, stride: 300 } }, /"stride" must be an integer in 1\.\.254/],
      [{ threshold: 2 }, /"threshold" must be a probability/],
      [{ aggregation: 'vote' }, /unknown "aggregation"/],
      [{ ig_baseline: 'gaussian' }, /unknown "ig_baseline"/],
      [{ files: { model: '../../etc/passwd' } }, /points outside the model folder/],
    ];
    for (const [m, re] of cases) {
      const dir = mk({ 'manifest.json': JSON.stringify(m), 'model.onnx': 'x', 'tokenizer.json': '{}' });
      throwsFolderError(() => loadModelFolder(dir), re);
    }
  });

  it('reports missing or empty model and tokenizer files', () => {
    throwsFolderError(() => loadModelFolder(mk({ 'manifest.json': GOOD, 'tokenizer.json': '{}' })), /model file model\.onnx is missing/);
    throwsFolderError(() => loadModelFolder(mk({ 'manifest.json': GOOD, 'model.onnx': '', 'tokenizer.json': '{}' })), /model file model\.onnx is empty/);
    throwsFolderError(() => loadModelFolder(mk({ 'manifest.json': GOOD, 'model.onnx': 'x' })), /tokenizer file tokenizer\.json is missing/);
  });

  it('accepts a classifier-only folder and says explanations are unavailable', () => {
    const f = loadModelFolder(mk({ 'manifest.json': GOOD, 'model.onnx': 'x', 'tokenizer.json': '{}' }));
    assert.equal(f.llmIndex, 1);
    assert.equal(f.files.attribution, undefined);
    assert.match(f.explainUnavailable ?? '', /explanations are unavailable for model "t": embeddings\.onnx is missing, attribution\.onnx is missing/);
  });

  it('fills defaults from the export contract and reads the IG baseline', () => {
    const m = parseManifest({});
    assert.deepEqual(m.labels, ['human', 'llm']);
    assert.deepEqual(m.window, { length: WINDOW_LENGTH, stride: WINDOW_STRIDE });
    assert.deepEqual(m.special_tokens, { bos: 0, pad: 1, eos: 2 });
    assert.equal(m.aggregation, 'token_weighted_mean');
    assert.equal(m.threshold, 0.5);
    assert.equal(m.ig_baseline.kind, 'token');
    assert.equal(m.ig_baseline.tokenId, 1);
    assert.match(m.ig_baseline.description, /<pad>.*<s> and <\/s> keep their own embeddings/);
    assert.equal(parseManifest({ ig_baseline: 'zero' }).ig_baseline.kind, 'zero');
    assert.equal(parseManifest({ ig_baseline: { type: 'pad_embedding' } }).ig_baseline.tokenId, 1);
    assert.equal(parseManifest({ aggregation: 'mean_prob' }).aggregation, 'mean');
    assert.equal(parseManifest({ aggregation: 'max' }).aggregation, 'max');
    // the trainer's manifest describes both in prose; the first identifier / first keyword decides
    const prose = parseManifest({
      aggregation: 'token_weighted_mean_logits: file logits = sum_w n_w * logits_w / sum_w n_w; p_llm = softmax(file logits)[1]',
      ig_baseline: 'pad-token embedding at non-special positions: ... <s>/</s> keep their own embeddings; attention_mask unchanged',
    });
    assert.equal(prose.aggregation, 'token_weighted_mean_logits');
    assert.equal(prose.ig_baseline.tokenId, 1);
    assert.equal(parseManifest({ ig_baseline: 'unk token (not pad)' }).ig_baseline.tokenId, 3);
    assert.equal(parseManifest({ aggregation: 'token_weighted_mean_p_llm' }).aggregation, 'token_weighted_mean');
    assert.equal(loadModelFolderLlmIndex(['llm', 'human']), 0);
  });

  it('reports a corrupt tokenizer.json when the model is opened', () => {
    const dir = mk({ 'manifest.json': GOOD, 'model.onnx': 'x', 'tokenizer.json': '{"model": 12' });
    throwsFolderError(() => OriginModel.open(dir), /tokenizer file cannot be loaded/);
  });

  it('reports a model.onnx that onnxruntime cannot load', async function () {
    if (!fs.existsSync(TOKENIZER)) this.skip();
    const dir = mk({ 'manifest.json': GOOD, 'model.onnx': Buffer.from('this is not an onnx graph'), 'tokenizer.json': fs.readFileSync(TOKENIZER) });
    const model = OriginModel.open(dir);
    await assert.rejects(model.ready(), (e: unknown) => {
      assert.ok(e instanceof ModelFolderError);
      assert.match(e.message, /model\.onnx cannot be loaded by onnxruntime/);
      return true;
    });
  });
});

function loadModelFolderLlmIndex(labels: [string, string]): number {
  const dir = folder({ 'manifest.json': JSON.stringify({ labels }), 'model.onnx': 'x', 'tokenizer.json': '{}' });
  try {
    return loadModelFolder(dir).llmIndex;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('model folder files (what a new export changes)', () => {
  it('names the files of the manifest, defaults where it names none, and the defaults without a manifest', () => {
    const dir = folder({ 'manifest.json': JSON.stringify({ tokenizer: 'vocab.json', files: { model: 'm.onnx', extra: 'lexical.bin' } }) });
    try {
      assert.deepEqual(modelFolderFiles(dir).map((f) => path.relative(dir, f)),
        ['manifest.json', 'vocab.json', 'm.onnx', 'embeddings.onnx', 'attribution.onnx', 'lexical.bin']);
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{ not json');
      assert.deepEqual(modelFolderFiles(dir).map((f) => path.relative(dir, f)),
        ['manifest.json', 'tokenizer.json', 'model.onnx', 'embeddings.onnx', 'attribution.onnx']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
