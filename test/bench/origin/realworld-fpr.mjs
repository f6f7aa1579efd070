#!/usr/bin/env node
// False accusations on real human code: classifies the `measure` set of the Debian corpus
// (models/train/realworld: human projects released before November 2022, never used for training)
// through the built CLI and reports, per language and project, the share of each label and mean p_llm.
// Every file is human, so the share labelled `llm` is the false-positive rate.
//
// Usage (after `npm run build` and `/usr/bin/python3 models/train/realworld/build_corpus.py build`):
//   node test/bench/origin/realworld-fpr.mjs [--model DIR] [--limit N per language] [--input FILE]
//        [--threads N] [--name results|baseline|...] [--cli-args "..."]
// Writes test/bench/origin/realworld-fpr.<name>.json and .md (name defaults to "results").
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { args, classifyRows, pct, readJsonl, root, spread } from './cli-run.mjs';

const a = args();
const model = a.get('--model') ? path.resolve(a.get('--model')) : undefined;
const input = path.resolve(a.get('--input', path.join(root, 'models', 'train', 'work', 'realworld', 'measure.jsonl')));
const limit = Number(a.get('--limit', '0'));
const threads = Number(a.get('--threads', '1'));
const name = a.get('--name', 'results');
const cliArgs = (a.get('--cli-args', '') || '').split(' ').filter(Boolean);

let rows = readJsonl(input);
if (limit > 0) {
  const byLang = new Map();
  for (const r of spread(rows)) {
    const l = byLang.get(r.language) ?? [];
    if (l.length < limit) l.push(r);
    byLang.set(r.language, l);
  }
  rows = [...byLang.values()].flat();
}
const t0 = Date.now();
const verdicts = await classifyRows(rows, { model, threads, cliArgs });
const seconds = (Date.now() - t0) / 1000;

function summarize(list) {
  const labels = {};
  let sum = 0, n = 0, errors = 0;
  for (const r of list) {
    const v = verdicts.get(r.id);
    if (!v || v.error) { errors++; continue; }
    labels[v.label] = (labels[v.label] ?? 0) + 1;
    sum += v.p_llm;
    n++;
  }
  const share = Object.fromEntries(Object.entries(labels).map(([k, c]) => [k, c / n]));
  return { n, errors, labels, share, mean_p_llm: n ? sum / n : NaN };
}

const group = (key) => {
  const m = new Map();
  for (const r of rows) {
    if (!m.has(key(r))) m.set(key(r), []);
    m.get(key(r)).push(r);
  }
  return [...m.entries()].sort((x, y) => String(x[0]).localeCompare(String(y[0])));
};
const perLanguage = Object.fromEntries(group((r) => r.language).map(([k, l]) => [k, summarize(l)]));
const perProject = Object.fromEntries(group((r) => `${r.language} ${r.group}`).map(([k, l]) => [k, summarize(l)]));
const overall = summarize(rows);
const result = {
  input: path.relative(root, input), model: model ?? 'default (shipped)', limit_per_language: limit || null,
  files: rows.length, seconds, when: new Date().toISOString(), overall, per_language: perLanguage, per_project: perProject,
};

const labelSet = [...new Set(['llm', 'inconclusive', 'human', ...Object.values(perLanguage).flatMap((s) => Object.keys(s.labels))])];
const line = (k, s) => `| ${k} | ${s.n} | ${labelSet.map((l) => pct(s.share[l] ?? 0)).join(' | ')} | ${s.mean_p_llm.toFixed(3)} |`;
const head = `| | n | ${labelSet.map((l) => `\`${l}\``).join(' | ')} | mean p_llm |\n|---|---:|${labelSet.map(() => '---:').join('|')}|---:|`;
const md = [
  `# Real-world human code: verdicts (${name})`, '',
  `Model: ${result.model}. Input: \`${result.input}\` (human code from Debian 12 source packages, upstream releases`,
  `before November 2022, projects never used for training). ${rows.length} files, ${seconds.toFixed(0)} s. ${result.when}.`,
  'Every file is human: the `llm` column is the false-positive rate.', '',
  head, ...Object.entries(perLanguage).map(([k, s]) => line(k, s)), line('**all**', overall), '',
  '## Per project', '', head, ...Object.entries(perProject).map(([k, s]) => line(k, s)), '',
].join('\n');
const base = path.join(root, 'test', 'bench', 'origin', `realworld-fpr.${name}`);
writeFileSync(`${base}.json`, JSON.stringify(result, null, 1) + '\n');
writeFileSync(`${base}.md`, md);
console.log(md.split('## Per project')[0]);
console.log(`wrote ${path.relative(root, base)}.json/.md`);
