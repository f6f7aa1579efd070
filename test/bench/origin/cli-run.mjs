// Shared by the origin benches: run the built CLI (`node dist/cli.js classify --input-jsonl`) on rows
// {id, code, language} and collect its {id, label, p_llm} lines, as a user would get them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');

export function args(argv = process.argv) {
  const get = (name, def) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : def;
  };
  return { get, has: (name) => argv.includes(name) };
}

/** Classifies rows through the CLI; returns Map id -> {label, p_llm} (or {error}). */
export async function classifyRows(rows, { model, threads = 1, cliArgs = [] } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'origin-bench-'));
  const input = path.join(dir, 'rows.jsonl');
  writeFileSync(input, rows.map((r) => JSON.stringify({ id: r.id, code: r.code, language: r.language })).join('\n') + '\n');
  const cli = path.join(root, 'dist', 'cli.js');
  const argv = [cli, 'classify', '--input-jsonl', input, '--threads', String(threads), ...cliArgs];
  if (model) argv.push('--model', model);
  const out = new Map();
  try {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      const v = JSON.parse(line);
      out.set(v.id, v);
    }
    const code = await new Promise((resolve) => child.on('close', resolve));
    // Exit 1 with per-record errors still yields every other verdict; anything else is a failed run.
    if (code !== 0 && out.size === 0) throw new Error(`classify exited ${code}: ${stderr.slice(-2000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export function readJsonl(file) {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

export async function readJsonlGz(file, keep) {
  const rows = [];
  const rl = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    if (keep(r)) rows.push(r);
  }
  return rows;
}

/** Deterministic spread: order by a hash of the id, so --limit takes the same files on every run. */
export function spread(rows) {
  const h = (s) => {
    let x = 2166136261;
    for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 16777619) >>> 0;
    return x;
  };
  return rows.map((r) => [h(String(r.id)), r]).sort((a, b) => a[0] - b[0]).map((p) => p[1]);
}

export function pct(x) {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-';
}
