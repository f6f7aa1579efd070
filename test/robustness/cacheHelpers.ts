// Shared by the cache robustness probes: the built CLI run as a user runs it (a separate process, bounded
// in time and heap), a generated folder of sources with real copies among them, and a report without
// what differs between two runs of the same analysis (ids, times, cache counts).
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const CLI = path.resolve('dist/cli.js');
/** Heap bound of every CLI process (MB) and the time bound of one run (ms). */
export const HEAP_MB = 256;
export const RUN_MS = 60_000;

const argv = (args: string[]) => [`--max-old-space-size=${HEAP_MB}`, CLI, ...args];

export function cli(args: string[], cwd?: string, timeout = RUN_MS): SpawnSyncReturns<string> & { ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, argv(args), { encoding: 'utf8', cwd, timeout, killSignal: 'SIGKILL', maxBuffer: 512 * 1024 * 1024 });
  return Object.assign(r, { ms: Date.now() - t0 });
}

/** The same, without waiting: several at once share one cache. */
export function cliAsync(args: string[], cwd?: string): Promise<{ status: number | null; signal: NodeJS.Signals | null; ms: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, argv(args), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), RUN_MS);
    p.on('error', reject);
    p.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, ms: Date.now() - t0, stdout, stderr });
    });
  });
}

/** Python programs of a few shapes, each in variants (renamed, reordered, padded): copies to find among distinct code. */
function program(shape: number, v: number): string {
  const n = (s: string) => `${s}${v % 3 === 0 ? '' : `_${v}`}`;
  const pad = v % 2 === 0 ? '' : `\n\ndef helper_${v}(x):\n    return x * ${v} + ${shape}\n`;
  switch (shape % 5) {
    case 0: return `def ${n('total')}(${n('xs')}):\n    acc = 0\n    for x in ${n('xs')}:\n        if x % ${2 + shape} == 0:\n            acc += x * x\n        else:\n            acc -= ${shape}\n    return acc\n${pad}`;
    case 1: return `def ${n('search')}(items, target):\n    lo, hi = 0, len(items) - 1\n    while lo <= hi:\n        mid = (lo + hi) // 2\n        if items[mid] == target:\n            return mid\n        if items[mid] < target:\n            lo = mid + ${1 + (shape % 2)}\n        else:\n            hi = mid - 1\n    return -1\n${pad}`;
    case 2: return `class ${n('Stack')}:\n    def __init__(self):\n        self.items = []\n\n    def push(self, x):\n        self.items.append(x + ${shape})\n\n    def pop(self):\n        if not self.items:\n            raise IndexError('empty')\n        return self.items.pop()\n${pad}`;
    case 3: return `def ${n('count_words')}(text):\n    counts = {}\n    for w in text.split():\n        w = w.lower().strip('.,${shape}')\n        counts[w] = counts.get(w, 0) + 1\n    return sorted(counts.items(), key=lambda kv: -kv[1])[:${shape + 3}]\n${pad}`;
    default: return `def ${n('matrix')}(a, b):\n    rows = []\n    for i in range(len(a)):\n        row = []\n        for j in range(len(b[0])):\n            s = 0\n            for k in range(len(b)):\n                s += a[i][k] * b[k][j]\n            row.append(s + ${shape})\n        rows.append(row)\n    return rows\n${pad}`;
  }
}

/** Writes `count` sources into `dir` (`f000.py`...); returns their names. */
export function writeSources(dir: string, count: number, from = 0): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let i = from; i < from + count; i++) {
    const name = `f${String(i).padStart(3, '0')}.py`;
    fs.writeFileSync(path.join(dir, name), program(i % 10, Math.floor(i / 10)));
    names.push(name);
  }
  return names;
}

interface Report { analysis_id?: string; metadata: Record<string, unknown>; llm_summary?: Record<string, unknown>; similarity: { pairs: Array<Record<string, unknown>> } }

/** The report without run ids, times and cache counts: equal for equal results. */
export function stable(json: string): unknown {
  const r = JSON.parse(json) as Report;
  delete r.analysis_id;
  for (const k of ['timestamp', 'timings_ms', 'cache', 'workers_used']) delete r.metadata[k];
  if (r.llm_summary) delete r.llm_summary.cache_hits;
  for (const p of r.similarity.pairs) for (const k of ['llm_verdict', 'refined_verdict']) delete (p[k] as Record<string, unknown> | undefined)?.cached;
  return r;
}

export const cacheOf = (json: string) => (JSON.parse(json) as { metadata: { cache?: { hits: number; misses: number; warnings?: string[] } } }).metadata.cache;

/** Every file under `dir`, relative, with its bytes: a snapshot that shows any change. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    if (e.isFile()) out.set(path.relative(dir, p), fs.readFileSync(p).toString('base64'));
  }
  return out;
}
