// ONNX (onnxruntime-node) vs PyTorch: the trainer's reference inputs and outputs in models/code-origin-small/fixtures/.
// A fixture holds input_ids / attention_mask → logits (checked on model.onnx, 1e-4), word embeddings
// (embeddings.onnx, 1e-5) and target → attribution logits, gradients (attribution.onnx, 1e-4 and 1e-3).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { OriginModel } from '../../server/src/origin/model';
import { OrtSession } from '../../server/src/origin/ortSession';
import { MODEL_DIR, requireModel } from './helpers';

type Nested = number | Nested[];

function flat(v: Nested): { data: number[]; dims: number[] } {
  const dims: number[] = [];
  let cur: Nested = v;
  while (Array.isArray(cur)) {
    dims.push(cur.length);
    cur = cur[0]!;
  }
  const data: number[] = [];
  const walk = (x: Nested): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else data.push(x);
  };
  walk(v);
  return { data, dims };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'output sizes differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const FIXTURES = path.join(MODEL_DIR, 'fixtures');

/**
 * The trainer's export.py writes {format: 'code-origin export check v1', inputs: {input_ids, attention_mask,
 * target}, expected: {logits, inputs_embeds, attribution_logits, gradients}}; a flat object with the same
 * keys is accepted too.
 */
function normalize(raw: Record<string, unknown>): Record<string, Nested | undefined> {
  const isObj = (v: unknown): v is Record<string, Nested> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(raw['inputs']) || isObj(raw['expected'])) {
    return { ...(isObj(raw['inputs']) ? raw['inputs'] : {}), ...(isObj(raw['expected']) ? raw['expected'] : {}) };
  }
  return raw as Record<string, Nested | undefined>;
}

describe('origin ONNX vs PyTorch fixtures', function () {
  this.timeout(120000);
  let files: string[] = [];
  before(function () {
    requireModel(this);
    files = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort() : [];
    if (files.length === 0) {
      console.log(`    (skipped: no JSON fixtures in ${FIXTURES}; the trainer has not left any)`);
      this.skip();
    }
  });

  it('reproduces the PyTorch logits and gradients', async () => {
    const model = OriginModel.open(MODEL_DIR);
    const f = model.folder.files;
    const classifier = await OrtSession.create(f.model, { inputs: ['input_ids', 'attention_mask'], outputs: ['logits'] });
    let checked = 0;
    try {
      for (const file of files) {
        const raw = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
        const fx = normalize(raw);
        const ids = fx['input_ids'] !== undefined ? flat(fx['input_ids']) : undefined;
        const mask = fx['attention_mask'] !== undefined ? flat(fx['attention_mask']) : ids ? { data: ids.data.map(() => 1), dims: ids.dims } : undefined;
        const logits = fx['logits'] !== undefined ? flat(fx['logits']) : undefined;
        if (ids && mask && logits) {
          const out = await classifier.run({
            input_ids: classifier.ints('input_ids', ids.data, ids.dims),
            attention_mask: classifier.ints('attention_mask', mask.data, mask.dims),
          }, ['logits']);
          const d = maxAbsDiff(out.get('logits')!.data, logits.data);
          console.log(`      ${file}: model.onnx logits max |Δ| ${d.toExponential(2)}`);
          assert.ok(d <= 1e-4, `${file}: logits differ by ${d}`);
          checked++;
        }
        if (fx['gradients'] !== undefined && mask) {
          assert.ok(f.embeddings && f.attribution, 'fixtures have gradients but the folder has no attribution graphs');
          const emb = await OrtSession.create(f.embeddings, { inputs: ['input_ids'], outputs: ['inputs_embeds'] });
          const att = await OrtSession.create(f.attribution, { inputs: ['inputs_embeds', 'attention_mask', 'target'], outputs: ['logits', 'gradients'] });
          try {
            let embeds: { data: number[] | Float32Array; dims: number[] };
            if (fx['inputs_embeds'] !== undefined && ids) {
              // embeddings.onnx reproduces the PyTorch word embeddings, and IG starts from those
              const e = (await emb.run({ input_ids: emb.ints('input_ids', ids.data, ids.dims) }, ['inputs_embeds'])).get('inputs_embeds')!;
              const de = maxAbsDiff(e.data, flat(fx['inputs_embeds']).data);
              console.log(`      ${file}: embeddings.onnx max |Δ| ${de.toExponential(2)}`);
              assert.ok(de <= 1e-5, `${file}: embeddings differ by ${de}`);
              embeds = { data: e.data, dims: [...e.dims] };
            } else if (fx['inputs_embeds'] !== undefined) embeds = flat(fx['inputs_embeds']);
            else {
              assert.ok(ids, `${file}: needs inputs_embeds or input_ids`);
              const e = (await emb.run({ input_ids: emb.ints('input_ids', ids.data, ids.dims) }, ['inputs_embeds'])).get('inputs_embeds')!;
              embeds = { data: e.data, dims: [...e.dims] };
            }
            const target = fx['target'] !== undefined ? flat(fx['target']) : { data: new Array<number>(embeds.dims[0]!).fill(1), dims: [embeds.dims[0]!] };
            const out = await att.run({
              inputs_embeds: att.floats(Float32Array.from(embeds.data), embeds.dims),
              attention_mask: att.ints('attention_mask', mask.data, mask.dims),
              target: att.ints('target', target.data, target.dims),
            }, ['logits', 'gradients']);
            const dg = maxAbsDiff(out.get('gradients')!.data, flat(fx['gradients']).data);
            const attLogits = fx['attribution_logits'] !== undefined ? flat(fx['attribution_logits']) : logits;
            const dl = attLogits ? maxAbsDiff(out.get('logits')!.data, attLogits.data) : 0;
            console.log(`      ${file}: attribution.onnx logits max |Δ| ${dl.toExponential(2)}, gradients max |Δ| ${dg.toExponential(2)}`);
            assert.ok(dl <= 1e-4, `${file}: logits differ by ${dl}`);
            assert.ok(dg <= 1e-3, `${file}: gradients differ by ${dg}`);
            checked++;
          } finally {
            await emb.release();
            await att.release();
          }
        }
      }
    } finally {
      await classifier.release();
    }
    assert.ok(checked > 0, `no usable fixture among ${files.join(', ')}`);
  });
});
