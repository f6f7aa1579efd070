// Runs an exported model directory through onnxruntime-node: checks names, dtypes, output shapes and
// that ORT matches the PyTorch outputs stored in fixtures/export-check.json (written by export.py).
// Usage: node models/train/check_onnx.mjs MODEL_DIR     (exit 1 on failure)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

const dir = process.argv[2];
const fx = JSON.parse(readFileSync(path.join(dir, 'fixtures', 'export-check.json'), 'utf8'));
const man = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const { batch, seq, hidden } = fx.shape;
let failures = 0;

const i64 = (rows, dims) => new ort.Tensor('int64', BigInt64Array.from(rows.flat(Infinity).map((v) => BigInt(v))), dims);
const f32 = (rows, dims) => new ort.Tensor('float32', Float32Array.from(rows.flat(Infinity)), dims);

function compare(name, tensor, expected, dims, tol) {
  const exp = expected.flat(Infinity);
  const okShape = JSON.stringify(tensor.dims) === JSON.stringify(dims);
  let maxErr = 0;
  for (let i = 0; i < exp.length; i++) maxErr = Math.max(maxErr, Math.abs(tensor.data[i] - exp[i]));
  const ok = okShape && tensor.type === 'float32' && tensor.data.length === exp.length && maxErr <= tol;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: dims ${JSON.stringify(tensor.dims)} max |ort - torch| ${maxErr.toExponential(2)} (tol ${tol})`);
  if (!ok) failures++;
}

const open = (f) => ort.InferenceSession.create(path.join(dir, man.files[f]));
const model = await open('model');
const emb = await open('embeddings');
const attr = await open('attribution');
const names = (s) => `${s.inputNames.join(',')} -> ${s.outputNames.join(',')}`;
const lexical = !!fx.expected.lexical_contributions;
for (const [s, want] of [[model, `input_ids,attention_mask -> logits${lexical ? ',lexical_contributions' : ''}`], [emb, 'input_ids -> inputs_embeds'],
  [attr, 'inputs_embeds,attention_mask,target -> logits,gradients']]) {
  if (names(s) !== want) { console.log(`FAIL names ${names(s)} != ${want}`); failures++; }
}
const ids = i64(fx.inputs.input_ids, [batch, seq]);
const mask = i64(fx.inputs.attention_mask, [batch, seq]);
const out = await model.run({ input_ids: ids, attention_mask: mask });
compare('model logits', out.logits, fx.expected.logits, [batch, 2], fx.tolerance.logits);
if (lexical) compare('lexical contributions', out.lexical_contributions, fx.expected.lexical_contributions, [batch, seq, 2], fx.tolerance.logits);
const e = await emb.run({ input_ids: ids });
compare('embeddings', e.inputs_embeds, fx.expected.inputs_embeds, [batch, seq, hidden], fx.tolerance.inputs_embeds);
const a = await attr.run({ inputs_embeds: e.inputs_embeds, attention_mask: mask, target: i64(fx.inputs.target, [batch]) });
compare('attribution logits', a.logits, fx.expected.attribution_logits, [batch, 2], fx.tolerance.logits);
compare('attribution gradients', a.gradients, fx.expected.gradients, [batch, seq, hidden], fx.tolerance.gradients);
// one more shape (batch 1, seq 3) than the fixture, to prove the axes are dynamic; a window shorter than
// the lexical n-gram order must still score as in PyTorch (older fixtures carry no expected values)
const shortIds = fx.short?.input_ids ?? [[0, 100, 2]];
const one = await model.run({ input_ids: i64(shortIds, [1, 3]), attention_mask: i64([[1, 1, 1]], [1, 3]) });
// (relative to the logits' size: a barely trained model's folded temperature can scale them to ~1e3, where
// float32 steps are ~1e-4; a wrong shape or index would be off by far more)
const shortTol = Math.max(fx.tolerance.logits, 1e-6 * Math.max(...(fx.short?.logits.flat() ?? [0]).map(Math.abs)));
if (fx.short) compare('short window logits', one.logits, fx.short.logits, [1, 2], shortTol);
else if (JSON.stringify(one.logits.dims) !== '[1,2]') { console.log('FAIL dynamic shape'); failures++; }
console.log(failures ? `check_onnx: ${failures} failures` : 'check_onnx: all ok');
process.exit(failures ? 1 : 0);
