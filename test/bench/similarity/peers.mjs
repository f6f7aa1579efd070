// Peer tools run in the same benchmark: Dolos (installed by the bench into a cache folder, not a
// dependency) and sim (Debian's similarity-tester), plus our own CLI, each timed with /usr/bin/time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../../..');

/** Runs a command under /usr/bin/time; returns wall/user/sys seconds and peak RSS (MiB). */
export function timed(cmd, args, opts = {}) {
  const tf = path.join(opts.tmp ?? '/tmp', `time-${process.pid}-${Date.now()}.txt`);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', tf, cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, cwd: opts.cwd, env: { ...process.env, ...(opts.env ?? {}) } });
  const [wall, user, sys, rss] = fs.readFileSync(tf, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  fs.rmSync(tf, { force: true });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { stdout: r.stdout, stderr: r.stderr, wall, cpu: user + sys, rssMiB: rss / 1024 };
}

export function ensureDolos(cache) {
  const dir = path.join(cache, 'dolos');
  if (!fs.existsSync(path.join(dir, 'node_modules/@dodona/dolos-lib'))) {
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(path.join(dir, 'package.json'))) spawnSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
    console.error('installing @dodona/dolos-lib@3.5.1 into', dir, '(a few minutes)');
    const r = spawnSync('npm', ['install', '@dodona/dolos-lib@3.5.1'], { cwd: dir, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('could not install @dodona/dolos-lib');
  }
  // A runner beside the install, so it resolves the library from there.
  fs.writeFileSync(path.join(dir, 'run-dolos.mjs'), `
import fs from 'node:fs';
import { Dolos } from '@dodona/dolos-lib';
const [listFile, language, k, w, out] = process.argv.slice(2);
const files = JSON.parse(fs.readFileSync(listFile, 'utf8'));
const dolos = new Dolos({ language, kgramLength: Number(k), kgramsInWindow: Number(w) });
const report = await dolos.analyzePaths(files);
const pairs = report.allPairs().map((p) => [p.leftFile.path, p.rightFile.path, p.similarity]);
fs.writeFileSync(out, JSON.stringify(pairs));
`);
  return dir;
}

/** Dolos similarity per file pair: Map "a|b" (sorted paths) -> score. */
export function runDolos(dolosDir, files, language, tmp, k = 23, w = 17, { allowFail = false } = {}) {
  const list = path.join(tmp, `dolos-files-${Date.now()}.json`);
  const out = path.join(tmp, `dolos-out-${Date.now()}.json`);
  fs.writeFileSync(list, JSON.stringify(files));
  const t = timed('node', [path.join(dolosDir, 'run-dolos.mjs'), list, language, String(k), String(w), out], { cwd: dolosDir, tmp, allowFail });
  // With allowFail, a run that ends without its output (out of memory at scale) returns its times and why.
  if (!fs.existsSync(out)) return { scores: undefined, failed: /heap out of memory|Allocation failed/.test(t.stderr) ? 'out of memory' : `failed: ${t.stderr.trim().split('\n').pop()?.slice(0, 200)}`, ...t };
  const scores = new Map();
  for (const [a, b, s] of JSON.parse(fs.readFileSync(out, 'utf8'))) scores.set([a, b].sort().join('|'), s);
  return { scores, ...t };
}

/** sim_java / sim_c: "A consists for N % of B material"; a pair's score is the larger direction. */
export function runSim(tool, files, tmp) {
  const t = timed(tool, ['-p', '-e', '-s', '-T', '-t', '1', '-r', '24', ...files], { tmp, allowFail: true });
  const scores = new Map();
  for (const line of t.stdout.split('\n')) {
    const m = /^(.*) consists for (\d+) % of (.*) material/.exec(line.trim());
    if (!m) continue;
    const key = [m[1], m[3]].sort().join('|');
    scores.set(key, Math.max(scores.get(key) ?? 0, Number(m[2]) / 100));
  }
  return { scores, ...t };
}

/** Our CLI on the given inputs with every pair reported; Map "a|b" (sorted) -> pair. */
export function runOurs(inputs, extra, tmp) {
  const out = path.join(tmp, `ours-${Date.now()}.json`);
  const t = timed('node', [path.join(REPO, 'dist/cli.js'), 'compare', ...inputs, '--all-pairs', '--min-score', '0.5', '-o', out, ...extra], { tmp, allowFail: true });
  if (!fs.existsSync(out)) throw new Error(`our CLI failed: ${t.stderr.slice(-2000)}`);
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  const scores = new Map();
  for (const p of report.similarity.pairs) scores.set([p.file1, p.file2].sort().join('|'), p);
  return { report, scores, ...t };
}
