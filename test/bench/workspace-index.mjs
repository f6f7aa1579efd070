// Benchmark: the language server's workspace similarity index on generated workspaces of real files
// (read from ../shared at run time, never committed): time to a ready index cold and warm (cache
// reused after a restart), time from one edit to updated diagnostics, and the server's peak RSS.
// The report is fetched as the extension fetches it (without region code) after each run.
// Run: npm run build && node test/bench/workspace-index.mjs [--sizes 1000,5000] [--judge off|local] [--record] [--verbose]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import rpc from 'vscode-jsonrpc/node.js';

const SHARED = path.resolve('../shared');
const args = process.argv.slice(2);
const sizes = (args[args.indexOf('--sizes') + 1] && args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : '1000,5000').split(',').map(Number);

async function corpus(n) {
  const files = [];
  const rl = readline.createInterface({ input: fs.createReadStream(path.join(SHARED, 'datasets/origin/pool.jsonl.gz')).pipe(zlib.createGunzip()) });
  for await (const line of rl) {
    const row = JSON.parse(line);
    if (row.language === 'java' || row.language === 'python') files.push({ ext: row.language === 'java' ? 'java' : 'py', code: row.code });
    if (files.length >= n) break;
  }
  rl.close();
  return files;
}

function startServer(folder, storage, nodeArgs = []) {
  const proc = spawn(process.execPath, [...nodeArgs, 'dist/server.js', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  const waiters = [];
  const diagnostics = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => { diagnostics.set(p.uri, p.diagnostics); for (const w of waiters) w(); });
  // Structural results come first (`judging`: verdicts to follow), then the judged report with the same id.
  const judgedIds = new Map();
  conn.onNotification('codeOrigin/reportChanged', (p) => { last = p; if (!p.judging) judgedIds.set(p.analysis_id, Date.now()); for (const w of waiters) w(); });
  // --judge off|local: the semantic judge runs after each analysis and before diagnostics; off isolates the index.
  const judge = args.includes('--judge') ? args[args.indexOf('--judge') + 1] : undefined;
  conn.onRequest('workspace/configuration', (p) => p.items.map((i) => (i.section === 'codeOrigin' && judge ? { judge: { provider: judge } } : null)));
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('$/progress', () => {});
  const t0 = Date.now();
  conn.onNotification('window/logMessage', (m) => { if (args.includes('--verbose')) console.error(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${m.message}`); });
  conn.listen();
  let last;
  const ready = async () => {
    await conn.sendRequest('initialize', {
      processId: process.pid, workspaceFolders: [{ uri: pathToFileURL(folder).toString(), name: 'ws' }],
      capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } }, initializationOptions: { storagePath: storage },
    });
    await conn.sendNotification('initialized', {});
  };
  const waitFor = (pred, ms = 600_000) => new Promise((resolve, reject) => {
    if (pred()) return resolve();
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    waiters.push(() => { if (pred()) { clearTimeout(t); resolve(); } });
  });
  const rss = () => {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  };
  const stop = async () => { await conn.sendRequest('shutdown'); await conn.sendNotification('exit'); await new Promise((r) => proc.once('exit', r)); conn.dispose(); };
  /** When the report `id` (default: the last) had its verdicts, waiting for them. */
  const judgedAt = async (id) => { const want = id ?? last.analysis_id; await waitFor(() => judgedIds.has(want)); return judgedIds.get(want); };
  return { conn, ready, waitFor, diagnostics, get last() { return last; }, rss, stop, judgedAt };
}

async function main() {
  if (!fs.existsSync(SHARED)) { console.log(`SKIP: ${SHARED} not found`); return; }
  console.log(`# ${new Date().toISOString()}, ${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('files  cold s  warm s  edit→diagnostics s  peak RSS MB (cold, warm+edit); times to structural diagnostics, then to the judge\'s verdicts');
  const results = [];
  for (const n of sizes) {
    const files = await corpus(n);
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'co-ws-'));
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'co-st-'));
    files.forEach((f, i) => {
      const dir = path.join(ws, `s${String(Math.floor(i / 50)).padStart(3, '0')}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `f${i}.${f.ext}`), f.code);
    });
    // Cold: empty cache.
    let s = startServer(ws, storage);
    let t = Date.now();
    await s.ready();
    await s.waitFor(() => s.last);
    const cold = (Date.now() - t) / 1000;
    const coldJudged = (await s.judgedAt() - t) / 1000;
    const rss = s.rss();
    await s.stop();
    // Warm: a restart with the cache file from the cold run (--prof DIR: CPU profile of this server).
    s = startServer(ws, storage, args.includes('--prof') ? ['--cpu-prof', '--cpu-prof-dir', args[args.indexOf('--prof') + 1]] : []);
    t = Date.now();
    await s.ready();
    await s.waitFor(() => s.last);
    const warm = (Date.now() - t) / 1000;
    const warmJudged = (await s.judgedAt() - t) / 1000;
    const warmReport = await s.conn.sendRequest('codeOrigin/similarityReport', { withoutCode: true });
    // One edit: append a copy of another file's body to one file, then wait for its diagnostics.
    const target = path.join(ws, 's000', `f0.${files[0].ext}`);
    const donor = path.join(ws, 's000', `f1.${files[1].ext}`);
    const uri = pathToFileURL(target).toString();
    const before = s.last.analysis_id;
    fs.writeFileSync(target, files[1].ext === files[0].ext ? fs.readFileSync(donor, 'utf8') : `${files[0].code}\n`);
    t = Date.now();
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    await s.waitFor(() => s.last.analysis_id !== before);
    const edit = (Date.now() - t) / 1000;
    const editJudged = (await s.judgedAt() - t) / 1000;
    const editReport = await s.conn.sendRequest('codeOrigin/similarityReport', { withoutCode: true });
    // The exact run that follows the quick update, and the warm server's peak memory.
    const quickId = s.last.analysis_id;
    await s.waitFor(() => s.last.analysis_id !== quickId, 300_000).catch(() => undefined);
    const exact = (Date.now() - t) / 1000;
    // ...and its verdicts (the judge runs after the structural report): the peak below includes them.
    if (s.last.analysis_id !== quickId) await s.judgedAt();
    const rssWarm = s.rss();
    await s.stop();
    console.log(`${String(n).padStart(5)}  ${cold.toFixed(1).padStart(6)}  ${warm.toFixed(1).padStart(6)}  ${edit.toFixed(2).padStart(18)}  ${rss.toFixed(0).padStart(8)}  ${rssWarm.toFixed(0).padStart(8)}` +
      `   judged at: cold ${coldJudged.toFixed(1)} s, warm ${warmJudged.toFixed(1)} s, edit ${editJudged.toFixed(2)} s;` +
      `   warm: ${warmReport.metadata.cache?.pair_scored} pairs scored, ${warmReport.metadata.cache?.pair_hits} reused; edit: ${editReport.metadata.incremental ? 'incremental, ' : ''}${editReport.metadata.cache?.pair_scored} pairs scored, exact run done at ${exact.toFixed(1)} s; ${warmReport.summary.candidate_pairs} candidate pairs`);
    results.push({ files: n, cold_s: cold, warm_s: warm, edit_s: edit, cold_judged_s: coldJudged, warm_judged_s: warmJudged, edit_judged_s: editJudged, rss_cold_mb: Math.round(rss), rss_warm_mb: Math.round(rssWarm),
      warm_pairs_scored: warmReport.metadata.cache?.pair_scored, warm_pairs_reused: warmReport.metadata.cache?.pair_hits,
      edit_incremental: !!editReport.metadata.incremental, edit_pairs_scored: editReport.metadata.cache?.pair_scored, exact_after_edit_s: exact, candidate_pairs: warmReport.summary.candidate_pairs });
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  }
  console.log('targets: 5,000 files ≤ 60 s cold, ≤ 5 s warm, one edit ≤ 1 s (the index re-runs after a 250 ms settle delay, included), RSS ≤ 500 MB');
  if (args.includes('--record')) {
    const file = 'test/bench/workspace-index.results.json';
    const prev = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
    prev.push({ date: new Date().toISOString(), cores: os.cpus().length, load: os.loadavg()[0], judge: args.includes('--judge') ? args[args.indexOf('--judge') + 1] : 'default (local)', results });
    fs.writeFileSync(file, `${JSON.stringify(prev, null, 2)}\n`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
