#!/usr/bin/env node
// LLM-rewritten copies: real Java files of open-source projects and their ChatGPT 3.5 / Bing GPT-4
// rewrites (the pool's gptjava-rewrite source, tipaek/GPTJavaDataset: one original and one rewrite
// per file name, so the ground truth is explicit). Scored at default settings, as a grader or a
// reviewer runs us, beside Dolos in the same run. Writes REWRITES.md.
//
//   npm run build && node test/bench/similarity/rewrites.mjs [--no-dolos] [--seeds N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { auc, bestF1 } from './metrics.mjs';
import { rng, shuffle } from './classes.mjs';
import { SHARED } from './datasets.mjs';
import { ensureDolos, runDolos, runOurs } from './peers.mjs';

const args = process.argv.slice(2);
const noDolos = args.includes('--no-dolos');
const seeds = args.includes('--seeds') ? Number(args[args.indexOf('--seeds') + 1]) : 20;
// --save DIR: every pair of every run (score, significance, label) as JSON lines, to try report rules offline.
const saveDir = args.includes('--save') ? args[args.indexOf('--save') + 1] : null;
if (saveDir) fs.mkdirSync(saveDir, { recursive: true });
const CACHE = process.env.CODE_ORIGIN_BENCH_CACHE ?? path.join(os.homedir(), '.cache/code-origin-bench');
const POOL = path.join(SHARED, 'datasets/origin/pool.jsonl.gz');
if (!fs.existsSync(POOL)) {
  console.error(`skipped: ${POOL} is absent (../shared holds the datasets)`);
  process.exit(0);
}
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'co-rewrites-'));
const dolosDir = noDolos ? null : ensureDolos(CACHE);

// One original and one rewrite per file name (a few names hold two originals: left out, the pairing is unclear).
const groups = new Map();
for (const line of zlib.gunzipSync(fs.readFileSync(POOL)).toString('utf8').split('\n')) {
  if (!line.includes('"gptjava-rewrite"')) continue;
  const r = JSON.parse(line);
  if (r.source !== 'gptjava-rewrite') continue;
  const g = groups.get(r.group) ?? { human: [], llm: [] };
  g[r.label].push(r);
  groups.set(r.group, g);
}
const pairs = [...groups.entries()].filter(([, g]) => g.human.length === 1 && g.llm.length === 1)
  .map(([name, g]) => ({ name, original: g.human[0].code, rewrite: g.llm[0].code, generator: g.llm[0].generator }))
  .sort((a, b) => (a.name < b.name ? -1 : 1));
const singles = [...groups.values()].filter((g) => g.llm.length === 0).flatMap((g) => g.human.map((h) => h.code));

const shuffled = (xs, seed) => shuffle(xs, rng(seed));

/**
 * Writes a folder of files under neutral shuffled names (nothing in a name tells an original from a
 * rewrite); returns the file names and the positive pairs with what each positive is.
 */
function writeClass(dir, chosen, others, seed) {
  fs.mkdirSync(dir, { recursive: true });
  const entries = [
    ...chosen.flatMap((p, i) => [{ code: p.original, pair: i, rewrite: false }, { code: p.rewrite, pair: i, rewrite: true }]),
    ...others.map((code) => ({ code, pair: -1, rewrite: false })),
  ];
  const names = [];
  const byPair = new Map();
  shuffled(entries, seed).forEach((e, k) => {
    const name = `f${String(k).padStart(4, '0')}.java`;
    fs.writeFileSync(path.join(dir, name), e.code);
    names.push(name);
    if (e.pair < 0) return;
    const v = byPair.get(e.pair) ?? { names: [] };
    v.names.push(name);
    if (e.rewrite) v.rewriteName = name;
    byPair.set(e.pair, v);
  });
  const positives = new Map();
  for (const [i, v] of byPair) positives.set(v.names.sort().join('|'), { ...chosen[i], rewriteName: v.rewriteName });
  return { names, positives };
}

const lines = [];
const log = (s = '') => { console.log(s); lines.push(s); };
log(`# LLM-rewritten copies (${new Date().toISOString()}, default settings)`);
log('');
log(`Data: the origin pool's gptjava-rewrite source (tipaek/GPTJavaDataset): ${pairs.length} Java files of open-source projects, each with its rewrite by ChatGPT 3.5 or Bing GPT-4 `
  + `(${pairs.filter((p) => p.generator === 'gpt-3.5').length} / ${pairs.filter((p) => p.generator !== 'gpt-3.5').length}); `
  + `${singles.length} more originals without a rewrite fill the classes. Positives: each original with its own rewrite; every other pair is negative. `
  + 'Files get neutral shuffled names. "Reported": pairs the default report lists.');
log('');
log('| scenario | runs | files | positive pairs | AUC ours | AUC Dolos | best F1 ours / Dolos | rewrite\'s best partner is its original (ours / Dolos) | reported | recall | precision (false pairs ≥ 0.9) | rewrites\' median score (ours / Dolos) |');
log('|---|---|---|---|---|---|---|---|---|---|---|---|');

const results = [];
function scenario(name, runs) {
  const items = [];
  const ditems = [];
  const sub = new Map();
  let files = 0;
  let reported = 0;
  let tp = 0;
  let positives = 0;
  const copyScores = [];
  const dCopyScores = [];
  let top1 = 0;
  let dTop1 = 0;
  let falseIdentical = 0;
  const saved = [];
  for (const [r, { chosen, others, seed }] of runs.entries()) {
    const dir = path.join(TMP, `${name.replace(/\W+/g, '_')}-${r}`);
    const cls = writeClass(dir, chosen, others, seed);
    files += cls.names.length;
    positives += cls.positives.size;
    const ours = runOurs([dir], ['--judge', 'off'], TMP);
    const byKey = new Map();
    for (const p of ours.report.similarity.pairs) byKey.set([path.basename(p.file1), path.basename(p.file2)].sort().join('|'), p);
    const d = noDolos ? null : runDolos(dolosDir, cls.names.map((f) => path.join(dir, f)), 'java', TMP);
    const dKey = new Map();
    if (d) for (const [k, v] of d.scores) dKey.set(k.split('|').map((x) => path.basename(x)).sort().join('|'), v);
    // Each file's best partner (ours and Dolos): a rewrite found when its original is its strict best.
    const best = new Map();
    const dBest = new Map();
    const better = (m, f, s) => m.set(f, Math.max(m.get(f) ?? 0, s));
    for (let i = 0; i < cls.names.length; i++) {
      for (let j = i + 1; j < cls.names.length; j++) {
        const key = [cls.names[i], cls.names[j]].sort().join('|');
        if (cls.positives.has(key)) continue;
        for (const f of [cls.names[i], cls.names[j]]) {
          better(best, f, byKey.get(key)?.similarity_score ?? 0);
          better(dBest, f, dKey.get(key) ?? 0);
        }
      }
    }
    for (let i = 0; i < cls.names.length; i++) {
      for (let j = i + 1; j < cls.names.length; j++) {
        const key = [cls.names[i], cls.names[j]].sort().join('|');
        const pos = cls.positives.get(key);
        const p = byKey.get(key);
        const s = p?.similarity_score ?? 0;
        if (pos) {
          const rewrite = cls.names[i] === pos.rewriteName ? cls.names[i] : cls.names[j];
          if (s > (best.get(rewrite) ?? 0)) top1++;
          if (d && (dKey.get(key) ?? 0) > (dBest.get(rewrite) ?? 0)) dTop1++;
        } else if (p?.reported && s >= 0.9) falseIdentical++;
        items.push({ score: s, label: pos ? 1 : 0 });
        if (saveDir) saved.push({ scenario: name, cls: r, a: cls.names[i], b: cls.names[j], label: pos ? 1 : 0, score: s, z: p?.significance ?? null, reported: !!p?.reported });
        if (d) ditems.push({ score: dKey.get(key) ?? 0, label: pos ? 1 : 0 });
        if (p?.reported) { reported++; if (pos) tp++; }
        if (pos) {
          copyScores.push(s);
          if (d) dCopyScores.push(dKey.get(key) ?? 0);
          // Positives by generator and by the original's length, for the breakdown below.
          const long = pos.original.split('\n').length >= 60 ? 'originals ≥ 60 lines' : 'originals < 60 lines';
          for (const k of [pos.generator, long]) {
            const v = sub.get(k) ?? { n: 0, listed: 0, scores: [] };
            v.n++;
            if (p?.reported) v.listed++;
            v.scores.push(s);
            sub.set(k, v);
          }
        }
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const d0 = noDolos;
  const med = (a) => (a.length ? a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)] : NaN);
  const f = (x, k = 3) => (Number.isNaN(x) ? '–' : x.toFixed(k));
  if (saveDir) fs.writeFileSync(path.join(saveDir, `rw-${name.replace(/\W+/g, "_")}.jsonl`), saved.map((x) => JSON.stringify(x)).join("\n") + "\n");
  const res = {
    name, runs: runs.length, files, positives, aucOurs: auc(items), aucDolos: ditems.length ? auc(ditems) : NaN,
    f1Ours: bestF1(items).f1, f1Dolos: ditems.length ? bestF1(ditems).f1 : NaN, reported,
    recall: tp / positives, precision: reported ? tp / reported : 0, top1: top1 / positives, dTop1: d0 ? NaN : dTop1 / positives, falseIdentical, copyScore: med(copyScores), dCopyScore: med(dCopyScores),
    breakdown: Object.fromEntries([...sub].map(([k, v]) => [k, { n: v.n, recall: v.listed / v.n, median: med(v.scores) }])),
  };
  results.push(res);
  log(`| ${name} | ${res.runs} | ${files} | ${positives} | ${f(res.aucOurs, 4)} | ${f(res.aucDolos, 4)} | ${f(res.f1Ours)} / ${f(res.f1Dolos)} | ${f(res.top1)} / ${f(res.dTop1)} | ${reported} | ${f(res.recall)} | ${f(res.precision)} (${res.falseIdentical}) | ${f(res.copyScore)} / ${f(res.dCopyScore)} |`);
}

// A codebase: every original and every rewrite in one folder (a reviewer's or maintainer's run).
scenario(`all ${pairs.length} pairs in one folder`, [{ chosen: pairs, others: [], seed: 1 }]);
// Classes of 50: 5 originals with their rewrites among 40 other files (a grader's run).
scenario('classes of 50 files, 5 rewritten', Array.from({ length: seeds }, (_, i) => {
  const chosen = shuffled(pairs, 1000 + i).slice(0, 5);
  return { chosen, others: shuffled(singles, 2000 + i).slice(0, 40), seed: 3000 + i };
}));

log('');
log('Default-report recall of the rewrites, by generator and by the original\'s length (every scenario pooled; median raw score):');
log('');
const pooled = new Map();
for (const r of results) {
  for (const [k, v] of Object.entries(r.breakdown)) {
    const p = pooled.get(k) ?? { n: 0, listed: 0, medians: [] };
    p.n += v.n;
    p.listed += v.recall * v.n;
    p.medians.push(`${v.median.toFixed(3)} (${r.name})`);
    pooled.set(k, p);
  }
}
for (const [k, v] of [...pooled].sort()) log(`- ${k}: ${v.n} rewrites, recall ${(v.listed / v.n).toFixed(3)}; median score ${v.medians.join(', ')}`);
fs.writeFileSync(path.join(import.meta.dirname, 'REWRITES.md'), `${lines.join('\n')}\n`);
fs.writeFileSync(path.join(TMP, 'rewrites.json'), JSON.stringify(results, null, 2));
console.error(`results: ${path.join(import.meta.dirname, 'REWRITES.md')}, ${path.join(TMP, 'rewrites.json')}`);
