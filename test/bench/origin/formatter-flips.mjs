#!/usr/bin/env node
// Formatting must not decide authorship: takes human code per language (the Debian `measure` set, plus human
// Java/Python/C++ from the pool), runs the standard formatter of each language, keeps the files it changed,
// classifies original and formatted copies through the built CLI and reports, per language and origin,
// the share labelled `llm` before/after and the verdict flip rate (label differs between the two copies).
//
// Formatters (install on demand, never in CI; see test/bench/origin/README.md):
//   python: black · c, cpp, java: clang-format --style=LLVM · go: gofmt · rust: rustfmt --edition 2021
//   javascript, typescript: prettier 3 (dev-only install: npm install --prefix /tmp/code-origin-bench-prettier prettier@3)
// Usage (after `npm run build`):
//   node test/bench/origin/formatter-flips.mjs [--model DIR] [--limit N per language and origin (default 150)]
//        [--input FILE] [--pool FILE] [--prettier DIR] [--threads N] [--name results|baseline] [--cli-args "..."]
// Writes test/bench/origin/formatter-flips.<name>.json and .md.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { args, classifyRows, pct, readJsonl, readJsonlGz, root, spread } from './cli-run.mjs';

const a = args();
const model = a.get('--model') ? path.resolve(a.get('--model')) : undefined;
const input = path.resolve(a.get('--input', path.join(root, 'models', 'train', 'work', 'realworld', 'measure.jsonl')));
const pool = path.resolve(a.get('--pool', path.join(root, '..', 'shared', 'datasets', 'origin', 'pool.jsonl.gz')));
const prettierDir = path.resolve(a.get('--prettier', '/tmp/code-origin-bench-prettier'));
const limit = Number(a.get('--limit', '150'));
const threads = Number(a.get('--threads', '1'));
const name = a.get('--name', 'results');
const cliArgs = (a.get('--cli-args', '') || '').split(' ').filter(Boolean);

let prettier;
const prettierEntry = path.join(prettierDir, 'node_modules', 'prettier', 'index.mjs');
if (existsSync(prettierEntry)) prettier = await import(pathToFileURL(prettierEntry).href);

function run(cmd, argv, code) {
  const r = spawnSync(cmd, argv, { input: code, encoding: 'utf8', timeout: 30000, maxBuffer: 16 << 20 });
  if (r.error) throw new Error(`${cmd}: ${r.error.code === 'ENOENT' ? 'not installed (see test/bench/origin/README.md)' : r.error.message}`);
  return r.status === 0 ? r.stdout : null; // null: the formatter refused the file (syntax it does not accept)
}
const FORMATTERS = {
  python: { tool: 'black', fmt: (c) => run('black', ['-q', '-'], c) },
  c: { tool: 'clang-format', fmt: (c) => run('clang-format', ['--style=LLVM', '--assume-filename=x.c'], c) },
  cpp: { tool: 'clang-format', fmt: (c) => run('clang-format', ['--style=LLVM', '--assume-filename=x.cpp'], c) },
  java: { tool: 'clang-format', fmt: (c) => run('clang-format', ['--style=LLVM', '--assume-filename=x.java'], c) },
  go: { tool: 'gofmt', fmt: (c) => run('gofmt', [], c) },
  rust: { tool: 'rustfmt', fmt: (c) => run('rustfmt', ['--edition', '2021', '--emit', 'stdout', '--quiet'], c) },
  javascript: { tool: 'prettier', fmt: (c) => prettierFormat(c, 'babel') },
  typescript: { tool: 'prettier', fmt: (c) => prettierFormat(c, 'typescript') },
};
async function prettierFormat(code, parser) {
  if (!prettier) throw new Error(`prettier: not installed at ${prettierDir} (npm install --prefix ${prettierDir} prettier@3)`);
  try {
    return await prettier.format(code, { parser });
  } catch {
    return null;
  }
}

// Sources: the Debian measure set (all 8 languages) and the pool's human Java/Python/C++.
const sources = [];
if (existsSync(input)) for (const r of readJsonl(input)) sources.push({ ...r, origin: 'debian' });
else console.error(`note: ${input} missing (build it with models/train/realworld/build_corpus.py); pool only`);
for (const r of await readJsonlGz(pool, (r) => r.label === 'human' && ['java', 'python', 'cpp'].includes(r.language))) {
  sources.push({ id: r.id, code: r.code, language: r.language, group: r.source, origin: 'pool' });
}
const buckets = new Map();
for (const r of spread(sources)) {
  const k = `${r.language}\t${r.origin}`;
  if (!buckets.has(k)) buckets.set(k, []);
  buckets.get(k).push(r);
}

const pairs = [];
const tally = {};
for (const [k, list] of [...buckets.entries()].sort()) {
  const [language, origin] = k.split('\t');
  const f = FORMATTERS[language];
  if (!f) continue;
  const t = (tally[k] = { language, origin, tool: f.tool, tried: 0, refused: 0, unchanged: 0, changed: 0 });
  for (const r of list) {
    if (t.changed >= limit) break;
    t.tried++;
    const out = await f.fmt(r.code);
    if (out === null) t.refused++;
    else if (out === r.code || out.trim() === r.code.trim()) t.unchanged++;
    else {
      t.changed++;
      pairs.push({ language, origin, group: r.group, id: r.id, orig: r.code, fmt: out });
    }
  }
  console.error(`${language}/${origin}: ${f.tool} changed ${t.changed} of ${t.tried} (refused ${t.refused})`);
}

const t0 = Date.now();
const verdicts = await classifyRows(
  pairs.flatMap((p) => [
    { id: `${p.id}#orig`, code: p.orig, language: p.language },
    { id: `${p.id}#fmt`, code: p.fmt, language: p.language },
  ]),
  { model, threads, cliArgs },
);
const seconds = (Date.now() - t0) / 1000;

function summarize(list) {
  let n = 0, llmBefore = 0, llmAfter = 0, flips = 0, toLlm = 0, dp = 0;
  const before = {}, after = {};
  for (const p of list) {
    const o = verdicts.get(`${p.id}#orig`), f = verdicts.get(`${p.id}#fmt`);
    if (!o || !f || o.error || f.error) continue;
    n++;
    before[o.label] = (before[o.label] ?? 0) + 1;
    after[f.label] = (after[f.label] ?? 0) + 1;
    if (o.label === 'llm') llmBefore++;
    if (f.label === 'llm') llmAfter++;
    if (o.label !== f.label) flips++;
    if (o.label !== 'llm' && f.label === 'llm') toLlm++;
    dp += Math.abs(f.p_llm - o.p_llm);
  }
  return { n, llm_before: llmBefore / n, llm_after: llmAfter / n, flip_rate: flips / n, to_llm_rate: toLlm / n,
    mean_abs_delta_p: dp / n, labels_before: before, labels_after: after };
}
const by = (key) => {
  const m = new Map();
  for (const p of pairs) {
    if (!m.has(key(p))) m.set(key(p), []);
    m.get(key(p)).push(p);
  }
  return Object.fromEntries([...m.entries()].sort().map(([k, l]) => [k, summarize(l)]));
};
const result = {
  model: model ?? 'default (shipped)', limit_per_bucket: limit, files: pairs.length, seconds, when: new Date().toISOString(),
  formatters: Object.fromEntries(Object.entries(FORMATTERS).map(([l, f]) => [l, f.tool])),
  overall: summarize(pairs), per_language: by((p) => p.language), per_language_origin: by((p) => `${p.language} ${p.origin}`),
  selection: Object.values(tally),
};
const row = (k, s) => `| ${k} | ${s.n} | ${pct(s.llm_before)} | ${pct(s.llm_after)} | ${pct(s.flip_rate)} | ${pct(s.to_llm_rate)} | ${s.mean_abs_delta_p.toFixed(3)} |`;
const head = '| | n (changed by the formatter) | `llm` before | `llm` after | verdict flips | flips to `llm` | mean abs Δp_llm |\n|---|---:|---:|---:|---:|---:|---:|';
const md = [
  `# Formatter flips on human code (${name})`, '',
  `Model: ${result.model}. Human files the formatter changed (Debian measure set; pool human Java/Python/C++), at most ${limit} per`,
  `language and origin; each classified before and after formatting with \`classify --input-jsonl\`. ${pairs.length} pairs, ${seconds.toFixed(0)} s. ${result.when}.`,
  `Formatters: black (python), clang-format --style=LLVM (c, cpp, java), gofmt (go), rustfmt --edition 2021 (rust), prettier 3 (javascript, typescript).`, '',
  head, ...Object.entries(result.per_language).map(([k, s]) => row(k, s)), row('**all**', result.overall), '',
  '## Per language and origin', '', head, ...Object.entries(result.per_language_origin).map(([k, s]) => row(k, s)), '',
  '## Selection', '', '| language | origin | formatter | tried | refused | unchanged | changed |', '|---|---|---|---:|---:|---:|---:|',
  ...result.selection.map((t) => `| ${t.language} | ${t.origin} | ${t.tool} | ${t.tried} | ${t.refused} | ${t.unchanged} | ${t.changed} |`), '',
].join('\n');
const base = path.join(root, 'test', 'bench', 'origin', `formatter-flips.${name}`);
writeFileSync(`${base}.json`, JSON.stringify(result, null, 1) + '\n');
writeFileSync(`${base}.md`, md);
console.log(md.split('## Per language and origin')[0]);
console.log(`wrote ${path.relative(root, base)}.json/.md`);
