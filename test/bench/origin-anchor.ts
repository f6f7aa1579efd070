// The seed's cost as the anchor (issue #5): our shipped model against a randomly initialised
// CodeBERT-base-sized model (12 layers, hidden 768, 12 heads, ~125M parameters) exported by our own
// training code with the same runtime contract, on the same windows, in the same process and run.
// Weights are random because only the cost matters; the anchor is built on demand, never committed:
//   /usr/bin/python3 models/train/export.py untrained:768,12,12 ~/.cache/code-origin-bench/codebert-base-anchor
//   cp models/code-origin-small/tokenizer.json ~/.cache/code-origin-bench/codebert-base-anchor/
// Then: node esbuild.mjs && node out/bench/origin-anchor.js [--anchor DIR] [--rounds 7]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OriginModel } from '../../server/src/origin/index';
import { pythonFile } from './pythonFixture';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const ANCHOR = opt('anchor') ?? path.join(os.homedir(), '.cache/code-origin-bench/codebert-base-anchor');
const OURS = path.resolve('models/code-origin-small');
const ROUNDS = Number(opt('rounds') ?? 7);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(dir: string, text: string): Promise<{ params: unknown; loadMs: number; windows: number; fileMs: number; perWindowMs: number; igMs: number }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { parameters?: unknown; model?: { parameters?: unknown } };
  const t0 = performance.now();
  const model = OriginModel.open(dir);
  await model.ready();
  const loadMs = performance.now() - t0;
  await model.classify(text, { language: 'python' }); // warm-up
  const times: number[] = [];
  let windows = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    const c = await model.classify(text, { language: 'python' });
    times.push(performance.now() - t);
    windows = c.windows;
  }
  // IG on one 256-token window at 32 steps, as the editor's Explain Origin does.
  const snippet = text.slice(0, 1200);
  await model.explain(snippet, { steps: 32, maxWindows: 1, language: 'python' });
  const ig: number[] = [];
  for (let r = 0; r < Math.min(3, ROUNDS); r++) {
    const t = performance.now();
    await model.explain(snippet, { steps: 32, maxWindows: 1, language: 'python' });
    ig.push(performance.now() - t);
  }
  await model.dispose();
  const fileMs = median(times);
  return { params: manifest.parameters ?? manifest.model?.parameters, loadMs, windows, fileMs, perWindowMs: fileMs / windows, igMs: median(ig) };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ANCHOR, 'model.onnx')) || !fs.existsSync(path.join(ANCHOR, 'tokenizer.json'))) {
    console.error(`no anchor model in ${ANCHOR}; build it first (see the header of test/bench/origin-anchor.ts)`);
    process.exit(2);
  }
  const text = pythonFile(300);
  const ours = await measure(OURS, text);
  const anchor = await measure(ANCHOR, text);
  const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`# Origin model vs CodeBERT-base-sized anchor (300-line Python file, ${ROUNDS} rounds, medians; ${os.cpus().length} cores, load ${load})\n`);
  console.log('| model | parameters | load | windows | file | per window | IG 1 window, 32 steps |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [name, m] of [['code-origin-small', ours], ['CodeBERT-base-sized (random weights)', anchor]] as const) {
    console.log(`| ${name} | ${m.params ?? '?'} | ${m.loadMs.toFixed(0)} ms | ${m.windows} | ${m.fileMs.toFixed(0)} ms | ${m.perWindowMs.toFixed(1)} ms | ${m.igMs.toFixed(0)} ms |`);
  }
  console.log(`\nanchor ÷ ours per window: ${(anchor.perWindowMs / ours.perWindowMs).toFixed(1)}× (target ≥ 10×); IG: ${(anchor.igMs / ours.igMs).toFixed(1)}×`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
