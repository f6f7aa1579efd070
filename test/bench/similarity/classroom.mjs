#!/usr/bin/env node
// Classroom benchmark: generated classes (classes.mjs) at the default settings, as a grader runs them:
// per scenario, AUC of the raw score over every pair, and recall / precision of the default report
// (the pairs the report marks `reported`), beside Dolos's AUC in the same run. Writes CLASSROOM.md.
//
//   npm run build && node test/bench/similarity/classroom.mjs [--no-dolos] [--seeds N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auc, bestF1 } from './metrics.mjs';
import { conplagTasks, makeClass, socoPool } from './classes.mjs';
import { ensureDolos, runDolos, runOurs } from './peers.mjs';
import { initJava } from './transforms.mjs';

const args = process.argv.slice(2);
const noDolos = args.includes('--no-dolos');
const seeds = args.includes('--seeds') ? Number(args[args.indexOf('--seeds') + 1]) : 2;
// --save DIR: every pair of every class (score, significance, label) as JSON lines, to try report rules offline.
const saveDir = args.includes('--save') ? args[args.indexOf('--save') + 1] : null;
if (saveDir) fs.mkdirSync(saveDir, { recursive: true });
const CACHE = process.env.CODE_ORIGIN_BENCH_CACHE ?? path.join(os.homedir(), '.cache/code-origin-bench');
const WORK = path.join(CACHE, 'work');
fs.mkdirSync(WORK, { recursive: true });
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'co-classroom-'));
const dolosDir = noDolos ? null : ensureDolos(CACHE);
await initJava();

const soco = socoPool();
const tasks = conplagTasks(WORK);
const lines = [];
const log = (s = '') => { console.log(s); lines.push(s); };

// Scenarios: class size × K/N (0: no copy); small programs: ConPlag's shortest tasks, 10 files.
const lengthOf = (t) => t.map((f) => f.src.split('\n').length).sort((a, b) => a - b)[Math.floor(t.length / 2)];
const shortTasks = tasks.slice().sort((a, b) => lengthOf(a) - lengthOf(b)).slice(0, 6);
const scenarios = [];
for (const ratio of [0, 0.1, 0.3, 0.6]) {
  // Size 10: one class per ConPlag task (a task's solutions are a real class of one problem).
  scenarios.push({ name: `10 files, K/N ${ratio * 100}%`, size: 10, ratio, pools: tasks.slice(0, 8).map((t, i) => ({ pool: t, seed: 100 + i })) });
  // Size 50: ConPlag's largest tasks where they hold enough solutions, and SOCO Java.
  const n50 = ratio > 0 ? Math.round(50 / (1 + ratio)) : 50;
  scenarios.push({ name: `50 files, K/N ${ratio * 100}%`, size: 50, ratio, pools: [
    ...tasks.filter((t) => t.length >= n50).slice(0, 2).map((t, i) => ({ pool: t, seed: 200 + i })),
    ...Array.from({ length: seeds }, (_, i) => ({ pool: soco, seed: 300 + i })),
  ] });
  scenarios.push({ name: `200 files, K/N ${ratio * 100}%`, size: 200, ratio, pools: Array.from({ length: seeds }, (_, i) => ({ pool: soco, seed: 400 + i })) });
}
// Most of the class copied one source: 40 copies beside 15 own solutions (55 files).
scenarios.push({ name: 'most copied one source, 55 files (40 copies, 15 own)', size: 55, ratio: 40 / 15, pools: [
  ...tasks.filter((t) => t.length >= 15).slice(0, 2).map((t, i) => ({ pool: t, seed: 600 + i })),
  ...Array.from({ length: seeds }, (_, i) => ({ pool: soco, seed: 700 + i })),
] });
// Every transform at once on each copy (rename, reorder, dead code, unreachable code, negated if, for→while,
// extract function, with and without parameters): the generator's heaviest disguise.
scenarios.push({ name: '10 files, K/N 30%, every transform on each copy', size: 10, ratio: 0.3, heavy: true, pools: tasks.slice(0, 8).map((t, i) => ({ pool: t, seed: 800 + i })) });
scenarios.push({ name: '50 files, K/N 10%, every transform on each copy', size: 50, ratio: 0.1, heavy: true, pools: [
  ...tasks.filter((t) => t.length >= 45).slice(0, 2).map((t, i) => ({ pool: t, seed: 900 + i })),
  ...Array.from({ length: seeds }, (_, i) => ({ pool: soco, seed: 950 + i })),
] });
for (const k of [1, 2, 3]) {
  scenarios.push({ name: `small programs (ConPlag's shortest tasks), 10 files, ${k} cop${k > 1 ? 'ies' : 'y'}`, size: 10, ratio: k / (10 - k), small: true,
    pools: shortTasks.map((t, i) => ({ pool: t, seed: 500 + 10 * k + i })) });
}

log(`# Classroom benchmark (${new Date().toISOString()}, default settings)`);
log('');
log(`Generated classes: per task, N independent solutions (SOCO Java with its known copy groups reduced to one file; ConPlag's Codeforces tasks, likewise) plus K copies of one chosen solution, each disguised with 1–3 random transforms of transforms.mjs (rename, reorder, dead code, unreachable code, negated if, for→while, extract function). Positives: every pair inside the copied group. "Reported": pairs the default report lists (\`reported: true\`); per 100 files for classes without copies. AUC over every pair of every class of the scenario (raw score). Pools: SOCO Java ${soco.length} independent files; ConPlag ${tasks.length} tasks of ≥ 10 independent solutions (largest ${tasks[0].length}); small-program tasks: median ${shortTasks.map(lengthOf).join(', ')} lines.`);
log('');
log('| scenario | classes | files | positive pairs | AUC ours | AUC Dolos | reported | recall | precision | precision, pairs within one task | reported per 100 files (no copy): all / within one task | copies\' median score / median significance |');
log('|---|---|---|---|---|---|---|---|---|---|---|---|');
const results = [];
for (const sc of scenarios) {
  const items = [];
  const ditems = [];
  let files = 0;
  let reported = 0;
  let tp = 0;
  // False pairs between two files of one task (a grader's class): SOCO's pool mixes three programs
  // and students' helper files, whose pairs may be one student's own reuse.
  let fpOneTask = 0;
  let positives = 0;
  let classes = 0;
  const copyScores = [];
  const copySig = [];
  const misses = [];
  const falsePos = [];
  const saved = [];
  for (const { pool, seed } of sc.pools) {
    if (pool.length < Math.min(sc.size, 10)) continue;
    const dir = path.join(TMP, `c${results.length}-${seed}-${sc.size}-${sc.ratio}`);
    const cls = makeClass(pool, { size: Math.min(sc.size, pool.length + (sc.ratio > 0 ? Math.round(sc.size - sc.size / (1 + sc.ratio)) : 0)), ratio: sc.ratio, seed, dir, heavy: !!sc.heavy });
    classes++;
    files += cls.files.length;
    positives += cls.positives.size;
    const ours = runOurs([dir], ['--judge', 'off'], TMP);
    const byKey = new Map();
    for (const p of ours.report.similarity.pairs) byKey.set([path.basename(p.file1), path.basename(p.file2)].sort().join('|'), p);
    const d = noDolos ? null : runDolos(dolosDir, cls.files.map((f) => path.join(dir, f)), 'java', TMP);
    const dKey = new Map();
    if (d) for (const [k, v] of d.scores) dKey.set(k.split('|').map((x) => path.basename(x)).sort().join('|'), v);
    for (let i = 0; i < cls.files.length; i++) {
      for (let j = i + 1; j < cls.files.length; j++) {
        const key = [cls.files[i], cls.files[j]].sort().join('|');
        const label = cls.positives.has(key) ? 1 : 0;
        const p = byKey.get(key);
        items.push({ score: p?.similarity_score ?? 0, label });
        if (saveDir) saved.push({ scenario: sc.name, cls: classes, a: cls.files[i], b: cls.files[j], tasks: [cls.taskOf.get(cls.files[i]), cls.taskOf.get(cls.files[j])], label, score: p?.similarity_score ?? 0, z: p?.significance ?? null, standout: p?.standout ?? null, reported: !!p?.reported });
        if (d) ditems.push({ score: dKey.get(key) ?? 0, label });
        if (p?.reported) {
          reported++;
          if (label) tp++;
          else {
            const [ta, tb] = [cls.taskOf.get(cls.files[i]), cls.taskOf.get(cls.files[j])];
            if (ta === tb && ta !== 'helper') fpOneTask++;
            falsePos.push(`${key} ${p.similarity_score.toFixed(3)} z=${p.significance ?? '-'} ${ta}/${tb}`);
          }
        } else if (label) misses.push(`${key} ${(p?.similarity_score ?? 0).toFixed(3)} z=${p?.significance ?? '-'}`);
        if (label && key.includes(cls.source)) {
          copyScores.push(p?.similarity_score ?? 0);
          copySig.push(p?.significance ?? 0);
        }
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (saveDir) fs.writeFileSync(path.join(saveDir, `${results.length}.jsonl`), saved.map((x) => JSON.stringify(x)).join('\n') + '\n');
  const med = (a) => (a.length ? a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)] : NaN);
  const r = {
    name: sc.name, classes, files, positives, aucOurs: positives ? auc(items) : NaN, aucDolos: positives && ditems.length ? auc(ditems) : NaN,
    bestF1: positives ? bestF1(items).f1 : NaN, reported, recall: positives ? tp / positives : NaN, precision: reported ? tp / reported : (positives ? 0 : NaN),
    per100: sc.ratio === 0 ? (100 * reported) / files : NaN, per100OneTask: sc.ratio === 0 ? (100 * fpOneTask) / files : NaN,
    precisionOneTask: tp + fpOneTask ? tp / (tp + fpOneTask) : (positives ? 0 : NaN), copyScore: med(copyScores), copySig: med(copySig), misses: misses.slice(0, 5),
  };
  results.push(r);
  const f = (x, d = 3) => (Number.isNaN(x) ? '–' : x.toFixed(d));
  log(`| ${r.name} | ${classes} | ${files} | ${positives} | ${f(r.aucOurs, 4)} | ${f(r.aucDolos, 4)} | ${reported} | ${f(r.recall)} | ${f(r.precision)} | ${f(r.precisionOneTask)} | ${f(r.per100, 2)} / ${f(r.per100OneTask, 2)} | ${f(r.copyScore)} / ${f(r.copySig, 1)} |`);
  if (misses.length) console.error(`  missed (first 5): ${misses.slice(0, 5).join('; ')}`);
  if (falsePos.length) console.error(`  false positives (first 8): ${falsePos.slice(0, 8).join('; ')}`);
}
const withCopies = results.filter((r) => r.positives > 0);
const tot = (k) => withCopies.reduce((s, r) => s + r[k], 0);
log('');
log(`Worst scenario with copies: recall ${Math.min(...withCopies.map((r) => r.recall)).toFixed(3)}, precision ${Math.min(...withCopies.map((r) => r.precision)).toFixed(3)} ` +
  `(pairs within one task: ${Math.min(...withCopies.map((r) => r.precisionOneTask)).toFixed(3)}); ` +
  `classes without copies: at most ${Math.max(...results.filter((r) => !r.positives).map((r) => r.per100)).toFixed(2)} reported pairs per 100 files ` +
  `(within one task: ${Math.max(...results.filter((r) => !r.positives).map((r) => r.per100OneTask)).toFixed(2)}). ` +
  `All scenarios with copies pooled: ${tot('reported')} reported, ${tot('positives')} positive pairs.`);
fs.writeFileSync(path.join(import.meta.dirname, 'CLASSROOM.md'), `${lines.join('\n')}\n`);
fs.writeFileSync(path.join(TMP, 'classroom.json'), JSON.stringify(results, null, 2));
console.error(`results: ${path.join(import.meta.dirname, 'CLASSROOM.md')}, ${path.join(TMP, 'classroom.json')}`);
