// Archive index benchmark (#22): build an index of N archived files, then compare 100 new files against it.
// The files are Code Jam 2020 Java solutions (human) from ../shared/datasets/origin/pool.jsonl.gz; of the 100
// new files, 50 are unseen solutions and 50 are lightly disguised copies of archived ones (a renamed class,
// comments and blank lines added), so the run also says how many copies it finds.
// Each step runs the bundled CLI under /usr/bin/time -v (wall time, peak RSS).
//
//   npm run build && nice -n 10 node test/bench/archive.mjs [--archived 10000] [--new 100] [--keep] [--no-folder]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const ARCHIVED = arg('archived', 10000);
const NEW = arg('new', 100);
const COPIES = Math.floor(NEW / 2);
// CODE_ORIGIN_POOL: the pool elsewhere (a worktree whose ../shared is not the checkout's).
const POOL = path.resolve(process.env.CODE_ORIGIN_POOL ?? '../shared/datasets/origin/pool.jsonl.gz');
// CODE_ORIGIN_CLI: a copy of the bundle (so that building again while a long run goes on does not change it).
const CLI = path.resolve(process.env.CODE_ORIGIN_CLI ?? 'dist/cli.js');
if (!fs.existsSync(POOL)) {
  console.log(`skipped: ${POOL} is not there (../shared is absent)`);
  process.exit(0);
}
if (!fs.existsSync(CLI)) throw new Error('run `npm run build` first');

/** n Java files: Code Jam 2020 human solutions first, then the pool's other distinct Java (any source or label);
 *  past the pool's ~73,500 distinct files, disguised variants of earlier ones (counted in `variants`). */
async function samples(n) {
  const first = [];
  const rest = [];
  const seen = new Set();
  const rl = readline.createInterface({ input: fs.createReadStream(POOL).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) {
    const s = JSON.parse(line);
    if (s.language !== 'java' || s.code.length < 400 || s.code.length > 12000 || seen.has(s.code)) continue;
    seen.add(s.code);
    (s.source === 'gcj2020' && s.label === 'human' ? first : rest).push(s.code);
    if (first.length >= n) break;
  }
  rl.close();
  const distinct = [...first, ...rest];
  if (distinct.length >= n) return { codes: distinct.slice(0, n), variants: 0 };
  // The fresh new files (the last NEW − COPIES) stay distinct originals; the archive is filled up with variants.
  const fresh = distinct.splice(distinct.length - (NEW - COPIES));
  let variants = 0;
  for (let k = 0; distinct.length < n - fresh.length; k++, variants++) distinct.push(disguise(distinct[k], 1000000 + k));
  return { codes: [...distinct, ...fresh], variants };
}

function disguise(code, k) {
  const lines = code.replace(/\bclass\s+(\w+)/, `class Renamed${k}`).split('\n');
  const out = [`// submitted ${k}`];
  lines.forEach((l, i) => {
    out.push(l);
    if (i % 7 === 3) out.push('');
  });
  return out.join('\n');
}

function timed(args) {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, '--max-old-space-size=8192', CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(r.stderr)?.[1] ?? '';
  const secs = wall.split(':').reduce((a, x) => a * 60 + Number(x), 0);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr.slice(-3000)}`);
  return { wall_s: Math.round(secs * 10) / 10, rss_mb: Math.round(rss), stderr: r.stderr };
}

const LOAD0 = os.loadavg()[0];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-archive-bench-'));
try {
  const { codes: all, variants } = await samples(ARCHIVED + NEW - COPIES);
  const width = String(ARCHIVED).length;
  fs.mkdirSync(path.join(dir, 'archive'));
  fs.mkdirSync(path.join(dir, 'new'));
  for (let i = 0; i < ARCHIVED; i++) {
    // 100 files per folder: a folder of 100,000 entries is slow to walk on some file systems.
    const sub = path.join(dir, 'archive', String(Math.floor(i / 100)).padStart(4, '0'));
    if (i % 100 === 0) fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, `a${String(i).padStart(width, '0')}.java`), all[i]);
  }
  const copied = new Map();
  for (let k = 0; k < COPIES; k++) {
    const src = Math.floor((k * ARCHIVED) / COPIES);
    const name = `copy${k}.java`;
    copied.set(name, `a${String(src).padStart(width, '0')}.java`);
    fs.writeFileSync(path.join(dir, 'new', name), disguise(all[src], k));
  }
  for (let k = 0; k < NEW - COPIES; k++) fs.writeFileSync(path.join(dir, 'new', `fresh${k}.java`), all[ARCHIVED + k]);
  const sourceBytes = all.slice(0, ARCHIVED).reduce((n, c) => n + Buffer.byteLength(c), 0);
  console.log(`${ARCHIVED} archived files (${(sourceBytes / 1048576).toFixed(1)} MB of Java; ${variants} of them disguised variants of others), ${NEW} new (${COPIES} disguised copies) in ${dir}`);

  const idx = path.join(dir, 'archive.idx');
  const build = timed(['archive', 'build', path.join(dir, 'archive'), '-o', idx]);
  const info = JSON.parse(spawnSync(process.execPath, [CLI, 'archive', 'info', idx], { encoding: 'utf8' }).stdout);
  const postingsBytes = fs.existsSync(`${idx}.postings`) ? fs.statSync(`${idx}.postings`).size : 0;
  console.log(`build: ${build.wall_s} s, peak ${build.rss_mb} MB, index ${(info.bytes / 1048576).toFixed(1)} MB for ${info.files} files (postings ${(postingsBytes / 1048576).toFixed(1)} MB of it)`);

  const out = path.join(dir, 'report.json');
  const query = timed(['compare', path.join(dir, 'new'), '--archive', idx, '--judge', 'off', '-o', out]);
  // The saved postings were used unless the query said otherwise.
  const postingsNote = /postings[^\n]*/.exec(query.stderr)?.[0];
  if (postingsNote) console.log(`query: ${postingsNote}`);
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  let found = 0;
  for (const [name, src] of copied) {
    if (report.similarity.pairs.some((p) => p.reported && path.basename(p.file1) === name && path.basename(p.file2) === src)) found++;
  }
  const archivePairs = report.similarity.pairs.filter((p) => p.file2.includes(`${path.sep}archive${path.sep}`)).length;
  console.log(`query (100 new vs index): ${query.wall_s} s, peak ${query.rss_mb} MB; ${report.summary.suspicious_pairs_count} pairs reported, `
    + `${found}/${COPIES} copies found, candidates ${report.summary.candidate_pairs}; engine ${JSON.stringify(report.metadata.timings_ms)}`);

  // The same query with the archive as a folder: everything parsed again (--no-folder skips it at large sizes).
  const folder = process.argv.includes('--no-folder') ? { wall_s: null, rss_mb: null }
    : timed(['compare', path.join(dir, 'new'), '--archive', path.join(dir, 'archive'), '--judge', 'off', '-o', out]);
  if (folder.wall_s !== null) console.log(`query (100 new vs the folder, no index): ${folder.wall_s} s, peak ${folder.rss_mb} MB`);

  const result = {
    date: new Date().toISOString(), cores: os.cpus().length, load: os.loadavg()[0], load_at_start: LOAD0, archived: ARCHIVED, archived_variants: variants, new: NEW, copies: COPIES,
    source_mb: Math.round(sourceBytes / 104857.6) / 10,
    build_s: build.wall_s, build_rss_mb: build.rss_mb, index_mb: Math.round(info.bytes / 104857.6) / 10,
    index_format: info.version, postings_mb: Math.round(postingsBytes / 104857.6) / 10, saved_postings_used: !postingsNote,
    query_s: query.wall_s, query_rss_mb: query.rss_mb, query_engine_ms: report.metadata.timings_ms,
    reported: report.summary.suspicious_pairs_count, copies_found: found, archive_pairs_listed: archivePairs, candidate_pairs: report.summary.candidate_pairs,
    folder_query_s: folder.wall_s, folder_query_rss_mb: folder.rss_mb,
  };
  const file = path.resolve('test/bench/archive.results.json');
  const prev = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
  fs.writeFileSync(file, `${JSON.stringify([...prev, result], null, 2)}\n`);
  console.log(JSON.stringify(result));
} finally {
  if (!process.argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
}
