#!/usr/bin/env node
// Evaluates the shipped origin model the way users run it: `code-origin classify --input-jsonl`.
// Builds the evaluation JSONL from ../shared/datasets/origin/pool.jsonl.gz and the trainer's split manifest
// (models/code-origin-small/splits.json: lists of sample ids per split), runs the bundled CLI on it and prints
// F1, AUC-ROC, accuracy, expected calibration error (10 bins), per source and per language with counts.
//
// Usage (after `node esbuild.mjs`):
//   node test/bench/origin-eval.mjs [--model DIR] [--splits test,gptsniffer_test] [--pool FILE] [--json OUT] [--limit N]
//                                   [--cli-args "--max-windows 100000"] [--name NAME]
// --name writes test/bench/origin/verdicts-test.NAME.json: the three-way verdict rates per split and language.
// By default the CLI classifies at most 16 windows per file, as users get it; --cli-args "--max-windows 100000"
// scores every window, as the trainer's PyTorch evaluation does (the two then agree to the fourth decimal).
// Run time on 2 cores: 14 s for the 1,279 test + gptsniffer-test files on a quiet machine, ~2-7 min while training runs.
// ECE(10 bins) bins the predicted label's confidence; ECE(p_llm bins) bins p_llm itself (the model card's ECE).
// The dataset is read here, by the benchmark, never by the product.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
}
const modelDir = path.resolve(arg('--model', path.join(root, 'models', 'code-origin-small')));
const splitsFile = path.resolve(arg('--split-file', path.join(modelDir, 'splits.json')));
const pool = path.resolve(arg('--pool', path.join(root, '..', 'shared', 'datasets', 'origin', 'pool.jsonl.gz')));
const splitNames = arg('--splits', 'test,gptsniffer_test').split(',');
const limit = Number(arg('--limit', '0'));
const jsonOut = arg('--json');
const cliArgs = (arg('--cli-args', '') || '').split(' ').filter(Boolean);

// ---- metrics -------------------------------------------------------------------------------------------

/** rows: {y: 0|1 (1 = llm), p: p_llm, pred: 0|1} */
function metrics(rows) {
  const n = rows.length;
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const r of rows) {
    if (r.pred === 1 && r.y === 1) tp++;
    else if (r.pred === 1) fp++;
    else if (r.y === 1) fn++;
    else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return {
    n, human: tn + fp, llm: tp + fn, accuracy: n ? (tp + tn) / n : NaN, precision, recall, f1,
    auc: auc(rows), ece: ece(rows), ece_p_llm: eceProbability(rows),
  };
}

/** AUC-ROC by the rank-sum statistic, ties counted half; NaN when one class is absent. */
function auc(rows) {
  const pos = rows.filter((r) => r.y === 1).length;
  const neg = rows.length - pos;
  if (!pos || !neg) return NaN;
  const sorted = [...rows].sort((a, b) => a.p - b.p);
  let rankSum = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j].p === sorted[i].p) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k].y === 1) rankSum += avgRank;
    i = j;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Expected calibration error of the predicted label's confidence, 10 equal-width bins over [0.5, 1] ... [0, 1]. */
function ece(rows, bins = 10) {
  const acc = new Array(bins).fill(0), conf = new Array(bins).fill(0), cnt = new Array(bins).fill(0);
  for (const r of rows) {
    const c = r.pred === 1 ? r.p : 1 - r.p;
    const b = Math.min(bins - 1, Math.floor(c * bins));
    cnt[b]++;
    conf[b] += c;
    acc[b] += r.pred === r.y ? 1 : 0;
  }
  let e = 0;
  for (let b = 0; b < bins; b++) if (cnt[b]) e += (cnt[b] / rows.length) * Math.abs(acc[b] / cnt[b] - conf[b] / cnt[b]);
  return e;
}

/** Calibration of p_llm itself: 10 bins of p_llm, |mean p_llm − share of llm| weighted by bin size. */
function eceProbability(rows, bins = 10) {
  const y = new Array(bins).fill(0), p = new Array(bins).fill(0), cnt = new Array(bins).fill(0);
  for (const r of rows) {
    const b = Math.min(bins - 1, Math.floor(r.p * bins));
    cnt[b]++;
    p[b] += r.p;
    y[b] += r.y;
  }
  let e = 0;
  for (let b = 0; b < bins; b++) if (cnt[b]) e += (cnt[b] / rows.length) * Math.abs(y[b] / cnt[b] - p[b] / cnt[b]);
  return e;
}

const f = (x) => (Number.isNaN(x) ? '  n/a' : x.toFixed(4));
function table(title, groups) {
  console.log(`\n${title}`);
  console.log(`${'group'.padEnd(34)} ${'n'.padStart(5)} ${'human'.padStart(6)} ${'llm'.padStart(5)}  accuracy  F1      AUC-ROC ECE`);
  for (const [name, rows] of groups) {
    const m = metrics(rows);
    console.log(`${name.padEnd(34)} ${String(m.n).padStart(5)} ${String(m.human).padStart(6)} ${String(m.llm).padStart(5)}  ${f(m.accuracy)}    ${f(m.f1)}  ${f(m.auc)}  ${f(m.ece)}`);
  }
}
function groupBy(rows, key) {
  const m = new Map();
  for (const r of rows) {
    const k = key(r);
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(r);
  }
  return [...m.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

// ---- build the evaluation set ----------------------------------------------------------------------------

const splits = JSON.parse(readFileSync(splitsFile, 'utf8'));
const wanted = new Map();
for (const s of splitNames) {
  if (!Array.isArray(splits[s])) throw new Error(`${splitsFile} has no split "${s}" (has: ${Object.keys(splits).filter((k) => Array.isArray(splits[k])).join(', ')})`);
  for (const id of splits[s]) wanted.set(id, s);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'origin-eval-'));
const evalFile = path.join(tmp, 'eval.jsonl');
const out = createWriteStream(evalFile);
const meta = new Map();
const t0 = Date.now();
for await (const line of createInterface({ input: createReadStream(pool).pipe(createGunzip()), crlfDelay: Infinity })) {
  if (!line) continue;
  const r = JSON.parse(line);
  const split = wanted.get(r.id);
  if (!split) continue;
  if (limit && meta.size >= limit) continue;
  meta.set(r.id, { split, label: r.label, source: r.source, language: r.language, generator: r.generator, chars: r.code.length });
  if (!out.write(JSON.stringify({ id: r.id, code: r.code, language: r.language }) + '\n')) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
const missing = [...wanted.keys()].filter((id) => !meta.has(id));
console.log(`evaluation set: ${meta.size} samples (${splitNames.join(', ')}) from ${path.relative(root, pool)}; ${limit ? `limited to ${limit}` : `${missing.length} ids of the split manifest not in the pool`} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

// ---- classify through the CLI ----------------------------------------------------------------------------

const t1 = Date.now();
const cli = spawn(process.execPath, [path.join(root, 'dist', 'cli.js'), 'classify', '--input-jsonl', evalFile, '--model', modelDir, ...cliArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
const preds = new Map();
for await (const line of createInterface({ input: cli.stdout, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  const o = JSON.parse(line);
  preds.set(o.id, o);
}
const [code] = await once(cli, 'close');
const seconds = (Date.now() - t1) / 1000;
rmSync(tmp, { recursive: true, force: true });
console.log(`classify --input-jsonl: exit ${code}, ${preds.size} results in ${seconds.toFixed(1)} s (${((seconds * 1000) / Math.max(1, preds.size)).toFixed(1)} ms/sample, ${os.cpus().length} cores)`);

if (preds.size === 0) {
  console.error('origin-eval: the CLI returned no results');
  process.exit(1);
}
const rows = [];
let errors = 0;
for (const [id, m] of meta) {
  const p = preds.get(id);
  if (!p || p.error) { errors++; continue; }
  rows.push({ id, ...m, y: m.label === 'llm' ? 1 : 0, p: p.p_llm, pred: p.label === 'llm' ? 1 : 0, verdict: p.label });
}
if (errors) console.log(`${errors} samples without a result`);

/** The three-way verdicts as users see them: share of each label among human and among LLM files. */
function verdicts(rs) {
  const share = (ys, label) => (ys.length ? ys.filter((r) => r.verdict === label).length / ys.length : NaN);
  const h = rs.filter((r) => r.y === 0);
  const l = rs.filter((r) => r.y === 1);
  return {
    n_human: h.length, n_llm: l.length,
    fpr: share(h, 'llm'), human_inconclusive: share(h, 'inconclusive'), human_correct: share(h, 'human'),
    tpr: share(l, 'llm'), llm_inconclusive: share(l, 'inconclusive'), llm_called_human: share(l, 'human'),
  };
}

const summary = { model: modelDir, seconds, samples: rows.length, errors, splits: {}, verdicts: {} };
for (const s of splitNames) {
  const rs = rows.filter((r) => r.split === s);
  const m = metrics(rs);
  summary.splits[s] = { ...m, by_source: Object.fromEntries(groupBy(rs, (r) => r.source).map(([k, v]) => [k, metrics(v)])), by_language: Object.fromEntries(groupBy(rs, (r) => r.language).map(([k, v]) => [k, metrics(v)])) };
  const v = verdicts(rs);
  summary.verdicts[s] = { ...v, by_language: Object.fromEntries(groupBy(rs, (r) => r.language).map(([k, x]) => [k, verdicts(x)])) };
  console.log(`\n=== ${s} verdicts: human files → llm ${f(v.fpr)} inconclusive ${f(v.human_inconclusive)} human ${f(v.human_correct)}; LLM files → llm ${f(v.tpr)} inconclusive ${f(v.llm_inconclusive)} human ${f(v.llm_called_human)}`);
  console.log(`\n=== ${s}: n=${m.n} (human ${m.human}, llm ${m.llm})  F1 ${f(m.f1)}  AUC-ROC ${f(m.auc)}  accuracy ${f(m.accuracy)}  precision ${f(m.precision)}  recall ${f(m.recall)}  ECE(10 bins) ${f(m.ece)}  ECE(p_llm bins) ${f(m.ece_p_llm)}`);
  table(`${s} per source`, groupBy(rs, (r) => r.source));
  table(`${s} per language`, groupBy(rs, (r) => r.language));
  table(`${s} per generator`, groupBy(rs, (r) => r.generator));
}
const targets = [];
const test = summary.splits.test;
if (test) targets.push(['test F1 >= 0.95', test.f1 >= 0.95, test.f1], ['test AUC-ROC >= 0.98', test.auc >= 0.98, test.auc], ['test ECE <= 0.05', test.ece <= 0.05, test.ece]);
const gs = summary.splits.gptsniffer_test;
if (gs) targets.push(['gptsniffer-test accuracy >= 0.96', gs.accuracy >= 0.96, gs.accuracy]);
console.log('\ntargets:');
for (const [name, ok, v] of targets) console.log(`  ${ok ? 'MET   ' : 'MISSED'} ${name} (${f(v)})`);
summary.targets = Object.fromEntries(targets.map(([n, ok, v]) => [n, { ok, value: v }]));
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(summary, null, 2));
// --name NAME: the three-way verdict rates beside the other origin benches (read by models/train/write_model_card.py)
const benchName = arg('--name');
if (benchName) {
  const file = path.join(root, 'test', 'bench', 'origin', `verdicts-test.${benchName}.json`);
  writeFileSync(file, JSON.stringify({ model: modelDir, when: new Date().toISOString(), seconds, ...summary.verdicts }, (k, x) => (Number.isNaN(x) ? null : x), 1));
  console.log(`wrote ${path.relative(root, file)}`);
}
