// The WASM fallback's cost: the origin model on onnxruntime-node (native) and onnxruntime-web (WASM) in
// the same run, each in its own process (so peak RSS is its own): model load, classify a 300-line file
// (p50 of rounds), Integrated Gradients over one 256-token window (32 steps), peak RSS.
// Build first (node esbuild.mjs), then:  node out/bench/origin-backends.js [--rounds 5] [--threads 1]
// Writes test/bench/origin-backends.results.{json,md}.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OriginModel, resolveModelDir, type OrtBackend } from '../../server/src/origin/index';
import { DEFAULT_IG_STEPS } from '../../server/src/origin/integratedGradients';
import { pythonFile } from './pythonFixture';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const ROUNDS = Number(opt('rounds') ?? 5);
const THREADS = Number(opt('threads') ?? 1);
const MODEL = resolveModelDir(opt('model'), path.resolve('dist'));

const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function child(backend: OrtBackend): Promise<void> {
  const text = pythonFile(300);
  let t = process.hrtime.bigint();
  const model = OriginModel.open(MODEL, { backend, threads: THREADS });
  await model.ready();
  const loadMs = ms(t);
  const classify: number[] = [];
  let c;
  for (let i = 0; i < ROUNDS; i++) {
    t = process.hrtime.bigint();
    c = await model.classify(text, { language: 'python' });
    classify.push(ms(t));
  }
  t = process.hrtime.bigint();
  await model.attributionRunner(); // attribution graphs load once, outside the IG timing
  const igLoadMs = ms(t);
  const ig: number[] = [];
  let igTokens = 0;
  for (let i = 0; i < Math.max(1, Math.ceil(ROUNDS / 2)); i++) {
    t = process.hrtime.bigint();
    const e = await model.explain(text, { target: 'llm', maxWindows: 1, steps: DEFAULT_IG_STEPS, language: 'python' });
    ig.push(ms(t));
    igTokens = e.tokens.length;
  }
  await model.dispose();
  const r = {
    backend, loadMs, classifyP50Ms: median(classify), classifyMs: classify, windows: c!.windows, tokens: c!.tokens, p_llm: c!.p_llm,
    igLoadMs, igP50Ms: median(ig), igMs: ig, igTokens, igSteps: DEFAULT_IG_STEPS, peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(r));
}

async function main(): Promise<void> {
  if (opt('child')) return child(opt('child') as OrtBackend);
  const runs = [];
  for (const backend of ['native', 'wasm']) {
    const out = execFileSync(process.execPath, [process.argv[1]!, ...args, '--child', backend], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    runs.push(JSON.parse(out));
    console.log(out);
  }
  const [n, w] = runs;
  const result = {
    date: new Date().toISOString(), machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`, loadavg: os.loadavg().map((x) => +x.toFixed(2)),
    node: process.version, model: path.basename(MODEL), threads: THREADS, rounds: ROUNDS, file: 'pythonFile(300) (test/bench/pythonFixture.ts)', runs,
  };
  const dir = path.resolve('test/bench');
  fs.writeFileSync(path.join(dir, 'origin-backends.results.json'), JSON.stringify(result, null, 1) + '\n');
  const row = (name: string, a: number, b: number, unit: string) => `| ${name} | ${a.toFixed(0)} ${unit} | ${b.toFixed(0)} ${unit} | ${(b / a).toFixed(1)}× |`;
  const md = [
    '# Origin model: native onnxruntime vs the WASM fallback',
    '',
    `\`node out/bench/origin-backends.js --threads ${THREADS} --rounds ${ROUNDS}\` on ${result.machine}, load average ${result.loadavg.join(' ')}, ${result.node}, model ${result.model}, ${THREADS} thread(s) each, ${result.date.slice(0, 10)}.`,
    `Each backend in its own process; classify: ${n.windows} windows (${n.tokens} tokens) of a 300-line Python file, p50 of ${ROUNDS}; IG: one 256-token window, ${n.igSteps} steps.`,
    '',
    '| | native (onnxruntime-node) | WASM (onnxruntime-web) | WASM / native |',
    '|---|---|---|---|',
    row('model load (classifier)', n.loadMs, w.loadMs, 'ms'),
    row('classify 300 lines, p50', n.classifyP50Ms, w.classifyP50Ms, 'ms'),
    row('attribution graphs load', n.igLoadMs, w.igLoadMs, 'ms'),
    row('IG 256 tokens, 32 steps, p50', n.igP50Ms, w.igP50Ms, 'ms'),
    row('peak RSS', n.peakRssMb, w.peakRssMb, 'MB'),
    '',
    `p_llm: native ${n.p_llm.toFixed(5)}, WASM ${w.p_llm.toFixed(5)}.`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'origin-backends.results.md'), md);
  console.log(md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
