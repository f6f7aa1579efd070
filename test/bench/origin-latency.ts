// Benchmark of origin analysis as the editor uses it, against the targets (2 cores):
//   model load ≤ 1.5 s · classify a 300-line file ≤ 150 ms p50 · IG on a 256-token window at 32 steps ≤ 1.5 s ·
//   language server RSS with the model loaded ≤ 400 MB.
// Also: classify p50/p95 for 50 / 300 / 2,000-line files (file verdict, and file + per-function verdicts as the
// server computes them), and the load average, because timings on a shared machine mean little without it.
// Build first (node esbuild.mjs), then:  node out/bench/origin-latency.js [--model DIR] [--rounds 15] [--json out.json]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { classifyUnits } from '../../server/src/cli/originVerdicts';
import { OriginModel, resolveModelDir } from '../../server/src/origin/index';
import { pythonFile } from './pythonFixture';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const MODEL = resolveModelDir(opt('model'), path.resolve('dist'));
const ROUNDS = Number(opt('rounds') ?? 15);
const THREADS = opt('threads') ? Number(opt('threads')) : undefined;
const SERVER = path.resolve('dist/server.js');

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

async function time<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const r = await f();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
}

async function serverRss(): Promise<{ rssMb: number; readyMs: number }> {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, CODE_ORIGIN_MODEL: MODEL } });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onRequest('window/showMessageRequest', () => null);
  conn.onNotification(() => undefined);
  conn.listen();
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-bench-'));
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {}, initializationOptions: { globalStoragePath: storage } });
  await conn.sendNotification('initialized', {});
  const uri = pathToFileURL(path.join(storage, 'bench.py')).toString();
  const t0 = Date.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: pythonFile(300) } });
  const r = await conn.sendRequest<{ error?: string }>('codeOrigin/classify', { textDocument: { uri } });
  if (r.error) throw new Error(r.error);
  const readyMs = Date.now() - t0;
  console.error(`server: first verdict after ${readyMs} ms`);
  // Explanations load the attribution graphs too: that is the resident size while a user works.
  await conn.sendRequest('codeOrigin/explain', { textDocument: { uri }, position: { line: 5, character: 4 } });
  const status = fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  console.error(`server: RSS ${Math.round(rssKb / 1024)} MB after an explanation`);
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  await new Promise((res) => proc.once('exit', res));
  conn.dispose();
  fs.rmSync(storage, { recursive: true, force: true });
  return { rssMb: rssKb / 1024, readyMs };
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { model: MODEL, cpus: os.cpus().length, load_before: os.loadavg().map((x) => Number(x.toFixed(2))) };
  const manifest = JSON.parse(fs.readFileSync(path.join(MODEL, 'manifest.json'), 'utf8')) as { name: string; version: string; parameters?: number };
  results.model_name = `${manifest.name} v${manifest.version} (${manifest.parameters ?? '?'} parameters)`;

  // The server first, before this process loads onnxruntime itself.
  const srv = await serverRss();
  console.error(`server RSS ${Math.round(srv.rssMb)} MB`);

  // Load: manifest + tokenizer + classifier session (what the worker does before its first verdict).
  const [loadMs, model] = await time(async () => {
    const m = OriginModel.open(MODEL, { threads: THREADS });
    await m.ready();
    return m;
  });
  results.load_ms = Math.round(loadMs);
  console.error(`load ${Math.round(loadMs)} ms`);
  const [attrLoadMs] = await time(() => model.attributionRunner());
  results.attribution_load_ms = Math.round(attrLoadMs);

  const classify: Record<string, unknown> = {};
  for (const lines of [50, 300, 2000]) {
    const text = pythonFile(lines);
    await model.classify(text, { language: 'python' }); // warm-up
    const file: number[] = [];
    const withUnits: number[] = [];
    let windows = 0;
    let units = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const [ms, c] = await time(() => model.classify(text, { language: 'python' }));
      windows = c.windows;
      file.push(ms);
      const [ms2, u] = await time(async () => {
        const [f, us] = await Promise.all([model.classify(text, { language: 'python' }), classifyUnits(model, text, 'python')]);
        return { f, us };
      });
      units = u.us.length;
      withUnits.push(ms2);
    }
    console.error(`classify ${lines} lines: p50 ${Math.round(pct(file, 50))} ms`);
    classify[`${lines}_lines`] = {
      windows, units,
      file_p50_ms: Math.round(pct(file, 50)), file_p95_ms: Math.round(pct(file, 95)),
      file_and_units_p50_ms: Math.round(pct(withUnits, 50)), file_and_units_p95_ms: Math.round(pct(withUnits, 95)),
    };
  }
  results.classify = classify;

  // IG: one window of 256 positions (254 content tokens), 32 steps, toward LLM.
  if (!model.explainUnavailable) {
    const long = pythonFile(400);
    const w = model.windows(long, 1).windows[0]!;
    const text = long.slice(0, w.end);
    const n = model.windows(text, 1);
    const ig: number[] = [];
    await model.explain(text, { steps: 32, maxWindows: 1, target: 'llm', language: 'python' });
    for (let r = 0; r < Math.max(3, Math.floor(ROUNDS / 3)); r++) ig.push((await time(() => model.explain(text, { steps: 32, maxWindows: 1, target: 'llm', language: 'python' })))[0]);
    results.ig_256_tokens_32_steps = { tokens: n.tokens, windows: n.windows.length, p50_ms: Math.round(pct(ig, 50)), p95_ms: Math.round(pct(ig, 95)) };
  }
  console.error('IG done');
  await model.dispose();

  results.server = { rss_mb_with_model_and_attribution: Math.round(srv.rssMb), first_verdict_ms_cold: srv.readyMs };
  results.load_after = os.loadavg().map((x) => Number(x.toFixed(2)));
  const c300 = (classify['300_lines'] as { file_p50_ms: number });
  const ig = results.ig_256_tokens_32_steps as { p50_ms: number } | undefined;
  results.targets = {
    load_le_1500ms: loadMs <= 1500,
    classify_300_lines_p50_le_150ms: c300.file_p50_ms <= 150,
    ig_256_32_le_1500ms: ig ? ig.p50_ms <= 1500 : null,
    rss_le_400mb: srv.rssMb <= 400,
  };
  const out = JSON.stringify(results, null, 2);
  console.log(out);
  const jsonPath = opt('json');
  if (jsonPath) fs.writeFileSync(jsonPath, `${out}\n`);
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
