#!/usr/bin/env node
// Similarity benchmark: every labelled pair of SOCO (Java, C), ConPlag v2 and PROGpedia scored by our
// engine and by the peers (Dolos, sim; JPlag's published PROGpedia scores) in the same run, the
// robustness of single disguise transforms, and speed and memory.
//
//   npm run bench:similarity -- [--only soco-java,soco-c,conplag,progpedia,robustness] [--scale] [--speed [--runs N]]
//   (speed alone: --only none --speed; written to similarity/SPEED.md)
//
// Datasets are read from ../shared (never copied into the repo); Dolos is installed into
// $CODE_ORIGIN_BENCH_CACHE (default ~/.cache/code-origin-bench). Results: test/bench/similarity/RESULTS.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auc, bestF1, f1At } from './similarity/metrics.mjs';
import { closeTransitively, conplag, progpedia, soco } from './similarity/datasets.mjs';
import { ensureDolos, runDolos, runOurs, runSim, timed } from './similarity/peers.mjs';
import { TRANSFORMS, initJava, isClean } from './similarity/transforms.mjs';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : ['soco-java', 'soco-c', 'conplag', 'progpedia', 'robustness'];
const CACHE = process.env.CODE_ORIGIN_BENCH_CACHE ?? path.join(os.homedir(), '.cache/code-origin-bench');
const WORK = path.join(CACHE, 'work');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'co-bench-'));
fs.mkdirSync(WORK, { recursive: true });
const OUR_THRESHOLD = 0.5;
const lines = [];
const log = (s = '') => { console.log(s); lines.push(s); };
const results = {};

const noDolos = args.includes('--no-dolos');
const dolosDir = noDolos ? null : ensureDolos(CACHE);
const base = (p) => path.basename(p.replace(/!\/?$/, ''));

function metrics(items) {
  const b = bestF1(items);
  return { auc: auc(items), f1: b.f1, threshold: b.threshold, f1AtDefault: f1At(items, OUR_THRESHOLD), n: items.length, positives: items.filter((x) => x.label).length };
}

function row(name, m, t, showDefault, rep) {
  const time = t ? `${t.wall.toFixed(1)} s wall, ${t.cpu.toFixed(1)} s CPU, ${t.rssMiB.toFixed(0)} MiB` : '';
  const dr = rep ? `${rep.recall.toFixed(3)} / ${rep.precision.toFixed(3)} (${rep.reported} pairs)` : '–';
  log(`| ${name} | ${m.auc.toFixed(4)} | ${m.f1.toFixed(3)} @ ${m.threshold.toFixed(3)} | ${showDefault ? m.f1AtDefault.toFixed(3) : '–'} | ${dr} | ${time} |`);
}

/** Recall and precision of the default report: the labelled pairs it marks `reported`. */
function reportedMetrics(items) {
  const reported = items.filter((x) => x.score > 0);
  const tp = reported.filter((x) => x.label).length;
  const pos = items.filter((x) => x.label).length;
  return { reported: reported.length, recall: pos ? tp / pos : NaN, precision: reported.length ? tp / reported.length : 0 };
}

/** Scores of labelled pairs from a Map keyed by sorted full paths, via a key function on names. */
function itemsFrom(pairs, scores, nameOf, pick = (v) => v) {
  const byName = new Map();
  for (const [k, v] of scores) {
    const [a, b] = k.split('|');
    const key = [nameOf(a), nameOf(b)].sort().join('|');
    byName.set(key, Math.max(byName.get(key) ?? 0, pick(v)));
  }
  return pairs.map((p) => ({ score: byName.get([p.a, p.b].sort().join('|')) ?? 0, label: p.label }));
}

function qualitySection(ds, { oursInputs, oursArgs = [], files, nameOf = base, simTool, peerLang, closure = false }) {
  log(`\n### ${ds.name} (${ds.pairs.length} labelled pairs, ${ds.pairs.filter((p) => p.label).length} positive)\n`);
  log('| tool | AUC | best F1 @ threshold | F1 @ our default 0.5 | default report: recall / precision | time, CPU, peak memory |');
  log('|---|---|---|---|---|---|');
  const ours = runOurs(oursInputs, oursArgs, TMP);
  const mo = metrics(itemsFrom(ds.pairs, ours.scores, nameOf, (p) => p.similarity_score));
  mo.report = reportedMetrics(itemsFrom(ds.pairs, ours.scores, nameOf, (p) => (p.reported ? 1 : 0)));
  row('Code Origin', mo, ours, true, mo.report);
  const comp = {};
  for (const c of ['ast', 'cfg', 'dataflow']) comp[c] = metrics(itemsFrom(ds.pairs, ours.scores, nameOf, (p) => p.components[c]));
  const dolos = noDolos ? null : runDolos(dolosDir, files, peerLang, TMP);
  const md = dolos ? metrics(itemsFrom(ds.pairs, dolos.scores, nameOf)) : null;
  if (md) row('Dolos 3.5.1 (k=23, w=17)', md, dolos, false);
  else log('| Dolos | not run (--no-dolos) | | | | |');
  let ms;
  // sim is Debian's similarity-tester; without it a row of zeros would read as a result.
  const simInstalled = simTool && spawnSync('sh', ['-c', `command -v ${simTool}`]).status === 0;
  if (simTool && !simInstalled) log(`| ${simTool} | not installed (apt-get install similarity-tester) | | | | |`);
  if (simInstalled) {
    const sim = runSim(simTool, files, TMP);
    ms = metrics(itemsFrom(ds.pairs, sim.scores, nameOf));
    row(`${simTool} (r=24)`, ms, sim, false);
  }
  log(`\nComponents alone (AUC / best F1): ${Object.entries(comp).map(([k, m]) => `${k} ${m.auc.toFixed(4)} / ${m.f1.toFixed(3)}`).join(', ')}; ` +
    `candidate pairs scored in full: ${ours.report.summary.candidate_pairs} of ${ds.files.length * (ds.files.length - 1) / 2}.`);
  let closed;
  if (closure) {
    const cp = closeTransitively(ds.pairs);
    const cm = (scores, pick) => metrics(itemsFrom(cp, scores, nameOf, pick));
    closed = { positives: cp.filter((p) => p.label).length, ours: cm(ours.scores, (p) => p.similarity_score), dolos: dolos && cm(dolos.scores) };
    const show = (m) => `AUC ${m.auc.toFixed(4)}, best F1 ${m.f1.toFixed(3)} @ ${m.threshold.toFixed(3)}`;
    log(`\nWith positives closed transitively (A~B and B~C ⇒ A~C: ${closed.positives} positives instead of ${mo.positives}; not the official labels): ` +
      `ours ${show(closed.ours)}${closed.dolos ? `; Dolos ${show(closed.dolos)}` : ''}.`);
  }
  results[ds.name] = { ours: mo, components: comp, dolos: md, sim: ms, closed, time: { ours: strip(ours), dolos: dolos && strip(dolos) } };
  return { ours, dolos };
}

const strip = (t) => ({ wall: t.wall, cpu: t.cpu, rssMiB: t.rssMiB });

log(`# Similarity benchmark (${new Date().toISOString()}, ${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
log('\nAUC and best F1 over all thresholds on every labelled pair; F1 at our default threshold (0.5) for ours. Times are /usr/bin/time wall and user+sys CPU of one process; the machine is shared, so CPU time is the fairer speed measure.');

if (only.includes('soco-java')) {
  const ds = soco('java');
  const files = ds.files.map((f) => path.join(ds.dir, f));
  const { ours, dolos } = qualitySection(ds, { oursInputs: [ds.dir], files, simTool: 'sim_java', peerLang: 'java', closure: true });
  const filesPerCpuS = (t) => ds.files.length / t.cpu;
  if (dolos) log(`\nThroughput on SOCO Java: ours ${filesPerCpuS(ours).toFixed(1)} files per CPU-second vs Dolos ${filesPerCpuS(dolos).toFixed(1)} ` +
    `(${(dolos.cpu / ours.cpu).toFixed(2)}× Dolos; wall ${(dolos.wall / ours.wall).toFixed(2)}×); peak memory ${ours.rssMiB.toFixed(0)} vs ${dolos.rssMiB.toFixed(0)} MiB.`);
}
if (only.includes('soco-c')) {
  const ds = soco('c');
  qualitySection(ds, { oursInputs: [ds.dir], files: ds.files.map((f) => path.join(ds.dir, f)), simTool: 'sim_c', peerLang: 'c', closure: true });
}
if (only.includes('conplag')) {
  const ds = conplag(WORK);
  qualitySection(ds, { oursInputs: [ds.dir], files: ds.files.map((f) => path.join(ds.dir, f)), simTool: 'sim_java', peerLang: 'java' });
}
if (only.includes('progpedia')) {
  const ds = progpedia(WORK);
  const files = [];
  for (const s of ds.files) for (const f of fs.readdirSync(path.join(ds.dir, s))) if (f.endsWith('.java')) files.push(path.join(ds.dir, s, f));
  // Ours compares submission folders with the set's base code as template; peers get the files.
  const nameOf = (p) => (fs.existsSync(p) && fs.statSync(p).isDirectory() ? path.basename(p) : path.basename(path.dirname(p)));
  qualitySection(ds, { oursInputs: [ds.dir], oursArgs: ['--submissions', '--template', path.join(path.dirname(ds.dir), 'base')], files, nameOf, simTool: 'sim_java', peerLang: 'java' });
  const jp = new Map();
  for (const [k, v] of Object.entries(ds.jplag[0]?.tests ?? ds.jplag.tests ?? {})) jp.set(k.split('-').sort().join('|'), v.maximum_similarity);
  const items = ds.pairs.map((p) => ({ score: jp.get([p.a, p.b].sort().join('|')) ?? 0, label: p.label }));
  const mj = metrics(items);
  log(`\nJPlag (its published scores in results-progpedia.json, maximum similarity): AUC ${mj.auc.toFixed(4)}, best F1 ${mj.f1.toFixed(3)} @ ${mj.threshold.toFixed(3)}.`);
  results[ds.name].jplag = mj;
}

if (only.includes('robustness')) {
  await initJava();
  const ds = soco('java');
  const clean = ds.files.map((f) => ({ name: f, src: fs.readFileSync(path.join(ds.dir, f), 'utf8') }))
    .filter((f) => f.src.split('\n').length >= 40 && isClean(f.src)).slice(0, 30);
  log(`\n### Robustness: single disguise transforms of ${clean.length} clean SOCO Java files (score of each transformed copy against its original)\n`);
  log('| transform | files | ours mean | ours min | ours ≥ 0.8 | in our default report (60 files, defaults) | Dolos mean | Dolos min |');
  log('|---|---|---|---|---|---|---|---|');
  results.robustness = {};
  for (const [name, fn] of Object.entries(TRANSFORMS)) {
    const dir = path.join(TMP, `rob-${name}`);
    fs.mkdirSync(dir, { recursive: true });
    const made = [];
    for (const f of clean) {
      const out = fn(f.src);
      if (!out || out === f.src) continue;
      const stem = f.name.replace(/\.java$/, '');
      fs.writeFileSync(path.join(dir, `${stem}_a.java`), f.src);
      fs.writeFileSync(path.join(dir, `${stem}_b.java`), out);
      made.push(stem);
    }
    // Pairs are scored two files at a time, as a user checking one suspected copy would.
    const ours = [];
    const dol = [];
    const oursAll = runOurs([dir], ['--common-share', '0'], TMP);
    // The same folder at the default settings: which copies the default report lists.
    const oursDefault = runOurs([dir], [], TMP);
    let listed = 0;
    const dolosAll = noDolos ? { scores: new Map() } : runDolos(dolosDir, made.flatMap((s) => [path.join(dir, `${s}_a.java`), path.join(dir, `${s}_b.java`)]), 'java', TMP);
    for (const s of made) {
      const key = [path.join(dir, `${s}_a.java`), path.join(dir, `${s}_b.java`)].sort().join('|');
      ours.push(oursAll.scores.get(key)?.similarity_score ?? 0);
      if (oursDefault.scores.get(key)?.reported) listed++;
      dol.push(dolosAll.scores.get(key) ?? 0);
    }
    const mean = (a) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
    log(`| ${name} | ${made.length} | ${mean(ours).toFixed(3)} | ${Math.min(...ours).toFixed(3)} | ${ours.filter((x) => x >= 0.8).length}/${made.length} | ${listed}/${made.length} | ${mean(dol).toFixed(3)} | ${Math.min(...dol).toFixed(3)} |`);
    results.robustness[name] = { files: made.length, listed, oursMean: mean(ours), oursMin: Math.min(...ours), dolosMean: mean(dol), dolosMin: Math.min(...dol) };
  }
}

if (args.includes('--scale')) {
  // A generated corpus: each file joins 2-3 dataset files (SOCO Java + ConPlag), classes renamed.
  const N = Number(process.env.SCALE_FILES ?? 5000);
  const dir = path.join(WORK, `scale-${N}`);
  const pool = [...soco('java').files.map((f) => path.join(soco('java').dir, f)), ...conplag(WORK).files.map((f) => path.join(WORK, 'conplag', f))]
    .map((p) => fs.readFileSync(p, 'utf8'));
  let linesTotal = 0;
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < N; i++) {
      const parts = [];
      const k = 2 + Math.floor(rnd() * 2);
      for (let j = 0; j < k; j++) parts.push(pool[Math.floor(rnd() * pool.length)].replace(/\bclass\s+(\w+)/g, (_, c) => `class ${c}_${i}_${j}`));
      fs.writeFileSync(path.join(dir, `f${String(i).padStart(5, '0')}.java`), parts.join('\n'));
    }
  }
  for (const f of fs.readdirSync(dir)) linesTotal += fs.readFileSync(path.join(dir, f), 'utf8').split('\n').length;
  log(`\n### Scale: ${N} generated files, ${linesTotal} lines\n`);
  const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
  const cacheDb = path.join(TMP, 'scale-cache.sqlite');
  const cold = timed('node', [path.resolve(import.meta.dirname, '../../dist/cli.js'), 'compare', dir, '--cache', cacheDb, '-o', path.join(TMP, 'scale.json')], { tmp: TMP, allowFail: true });
  log(`- ours cold (filling the cache): ${cold.wall.toFixed(1)} s wall, ${cold.cpu.toFixed(1)} s CPU, ${cold.rssMiB.toFixed(0)} MiB`);
  fs.appendFileSync(files[0], '\n// edited\nclass Edited { int x() { return 1; } }\n');
  const warm = timed('node', [path.resolve(import.meta.dirname, '../../dist/cli.js'), 'compare', dir, '--cache', cacheDb, '-o', path.join(TMP, 'scale2.json')], { tmp: TMP, allowFail: true });
  log(`- ours after one file changed (cache): ${warm.wall.toFixed(1)} s wall, ${warm.cpu.toFixed(1)} s CPU, ${warm.rssMiB.toFixed(0)} MiB`);
  results.scale = { files: N, lines: linesTotal, cold: strip(cold), warm: strip(warm) };
  if (!noDolos && !args.includes('--no-dolos-scale')) {
    const d = runDolos(dolosDir, files, 'java', TMP, 23, 17, { allowFail: true });
    log(`- Dolos: ${d.failed ? `did not finish (${d.failed}) after ` : ''}${d.wall.toFixed(1)} s wall, ${d.cpu.toFixed(1)} s CPU, ${d.rssMiB.toFixed(0)} MiB` +
      `${d.failed ? '' : `; ours cold ${(d.cpu / cold.cpu).toFixed(1)}× Dolos's CPU throughput`}`);
    results.scale.dolos = { ...strip(d), failed: d.failed };
  }
}

if (args.includes('--speed')) {
  // Speed only, SOCO Java: our CLI as shipped (local judge on) and the engine alone (--judge off),
  // with worker threads (auto) and without, against Dolos; medians of --runs (default 3).
  const ds = soco('java');
  const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : 3);
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const measure = (fn) => {
    const ts = Array.from({ length: runs }, fn);
    return { wall: median(ts.map((t) => t.wall)), cpu: median(ts.map((t) => t.cpu)), rssMiB: median(ts.map((t) => t.rssMiB)) };
  };
  const cfgs = [['CLI as shipped (judge local, workers auto)', []], ['engine only (--judge off, workers auto)', ['--judge', 'off']],
    ['engine only, one thread (--judge off --workers 0)', ['--judge', 'off', '--workers', '0']]];
  log(`\n### Speed on SOCO Java (${ds.files.length} files, every pair reported), medians of ${runs} runs\n`);
  log('| run | wall | CPU | peak memory | Dolos CPU ÷ ours |');
  log('|---|---|---|---|---|');
  const dolos = noDolos ? null : measure(() => runDolos(dolosDir, ds.files.map((f) => path.join(ds.dir, f)), 'java', TMP));
  results.speed = { runs, dolos };
  for (const [name, extra] of cfgs) {
    const t = measure(() => runOurs([ds.dir], extra, TMP));
    results.speed[name] = t;
    log(`| ${name} | ${t.wall.toFixed(2)} s | ${t.cpu.toFixed(2)} s | ${t.rssMiB.toFixed(0)} MiB | ${dolos ? `${(dolos.cpu / t.cpu).toFixed(2)}×` : '–'} |`);
  }
  // Re-analysis after one file changed: a copy of the set, the cache primed by one run, then each run
  // edits one file first (a new process each time; Dolos has no cache, so its full run is the peer).
  const copy = path.join(TMP, 'soco-java-edited');
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(ds.dir, copy, { recursive: true });
  const cacheArgs = ['--cache', path.join(TMP, 'speed-cache.sqlite')];
  fs.rmSync(cacheArgs[1], { force: true });
  for (const suffix of ['.features', '.pairs', '.judge']) fs.rmSync(cacheArgs[1] + suffix, { recursive: true, force: true });
  runOurs([copy], cacheArgs, TMP);
  let edits = 0;
  const t = measure(() => {
    fs.appendFileSync(path.join(copy, ds.files[0]), `\n// edit ${++edits}\n`);
    return runOurs([copy], cacheArgs, TMP);
  });
  const name = 'after one file changed (--cache, new process, judge local)';
  results.speed[name] = t;
  log(`| ${name} | ${t.wall.toFixed(2)} s | ${t.cpu.toFixed(2)} s | ${t.rssMiB.toFixed(0)} MiB | ${dolos ? `${(dolos.cpu / t.cpu).toFixed(2)}×` : '–'} |`);
  if (dolos) log(`| Dolos 3.5.1 | ${dolos.wall.toFixed(2)} s | ${dolos.cpu.toFixed(2)} s | ${dolos.rssMiB.toFixed(0)} MiB | 1× |`);
  // The floor under any web-tree-sitter tool: parse and visit every node, nothing else (out/bench/parse-floor.js).
  const floor = measure(() => timed('node', [path.join(import.meta.dirname, '../../out/bench/parse-floor.js'), ds.dir, 'java'], { tmp: TMP }));
  results.speed.floor = floor;
  log(`| floor: web-tree-sitter parse + one cursor walk of every node, no features (not a tool) | ${floor.wall.toFixed(2)} s | ${floor.cpu.toFixed(2)} s | ${floor.rssMiB.toFixed(0)} MiB | ${dolos ? `${(dolos.cpu / floor.cpu).toFixed(2)}×` : '–'} |`);
}

const outDir = path.resolve(import.meta.dirname, 'similarity');
// A speed-only run keeps the full results and writes its own file.
fs.writeFileSync(path.join(outDir, args.includes('--speed') && args.includes('--only') ? 'SPEED.md' : 'RESULTS.md'), `${lines.join('\n')}\n`);
fs.writeFileSync(path.join(CACHE, 'results-similarity.json'), JSON.stringify(results, null, 2));
fs.rmSync(TMP, { recursive: true, force: true });
