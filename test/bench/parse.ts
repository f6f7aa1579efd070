// Benchmark: parse + structure summary throughput per language, beside raw tree-sitter parsing of
// the same files in the same run (the limit). Reads real files from ../shared at run time.
// Run: npm run bench:parse [-- --mb 2 --rounds 3]
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { parseSource } from '../../server/src/core/parser';
import { summarize } from '../../server/src/core/summary';
import type { LanguageId } from '../../server/src/core/languages';

const args = process.argv.slice(2);
const opt = (name: string, d: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const MB_PER_LANGUAGE = opt('mb', 2);
const ROUNDS = opt('rounds', 3);
const SHARED = path.resolve('../shared');

type Corpus = Map<LanguageId, { files: string[]; source: string }>;

function add(corpus: Corpus, lang: LanguageId, text: string, origin: string): void {
  let c = corpus.get(lang);
  if (!c) corpus.set(lang, (c = { files: [], source: origin }));
  const bytes = c.files.reduce((n, f) => n + f.length, 0);
  if (bytes < MB_PER_LANGUAGE * 1e6 && text.length <= 1e6) c.files.push(text);
}

function walk(dir: string, exts: string[], out: string[] = []): string[] {
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    if (!fs.existsSync(d)) continue;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (exts.some((x) => e.name.endsWith(x))) out.push(p);
    }
  }
  return out.sort();
}

async function loadCorpus(): Promise<Corpus> {
  const corpus: Corpus = new Map();
  const pool = path.join(SHARED, 'datasets/origin/pool.jsonl.gz');
  const poolLangs: Record<string, LanguageId> = { python: 'python', java: 'java', cpp: 'cpp', javascript: 'javascript', go: 'go' };
  const rl = readline.createInterface({ input: fs.createReadStream(pool).pipe(zlib.createGunzip()) });
  for await (const line of rl) {
    const row = JSON.parse(line) as { code: string; language: string };
    const lang = poolLangs[row.language];
    if (lang) add(corpus, lang, row.code, 'shared/datasets/origin/pool.jsonl.gz');
  }
  for (const f of walk(path.join(SHARED, 'datasets/plagiarism/soco'), ['.c'])) add(corpus, 'c', fs.readFileSync(f, 'utf8'), 'shared/datasets/plagiarism/soco (C)');
  // No TypeScript or Rust in ../shared: our own TypeScript sources and the type declarations of our
  // dependencies are real files too; Rust has no corpus here and is reported as such.
  // JavaScript: the pool has only 40 KB, so add the sources of well-known dependencies we install.
  for (const f of [...walk('node_modules/mocha/lib', ['.js']), ...walk('node_modules/commander/lib', ['.js']), ...walk('node_modules/esbuild/lib', ['.js'])]) {
    add(corpus, 'javascript', fs.readFileSync(f, 'utf8'), 'pool + mocha, commander, esbuild sources');
  }
  for (const f of [...walk('server/src', ['.ts']), ...walk('client/src', ['.ts']), ...walk('node_modules/@types/node', ['.d.ts'])]) {
    add(corpus, 'typescript', fs.readFileSync(f, 'utf8'), 'this repository + @types/node');
  }
  return corpus;
}

async function main(): Promise<void> {
  if (!fs.existsSync(SHARED)) {
    console.log(`SKIP: ${SHARED} not found; the parse benchmark needs the shared datasets.`);
    return;
  }
  const corpus = await loadCorpus();
  console.log(`parse + summary vs raw tree-sitter parse, ${ROUNDS} rounds (best), up to ${MB_PER_LANGUAGE} MB per language\n`);
  console.log('language    files     MB   raw MB/s   ours MB/s   ours/raw   corpus');
  const ratios: number[] = [];
  for (const lang of ['python', 'javascript', 'typescript', 'java', 'c', 'cpp', 'go', 'rust'] as LanguageId[]) {
    const c = corpus.get(lang);
    if (!c || c.files.length === 0) {
      console.log(`${lang.padEnd(10)}  (no corpus under ../shared or in this repository: not measured)`);
      continue;
    }
    const bytes = c.files.reduce((n, f) => n + Buffer.byteLength(f), 0);
    // Warm up: load the grammar and let the JIT settle before timing.
    for (const f of c.files.slice(0, 20)) {
      const p = await parseSource(f, lang);
      summarize(p);
      p.dispose();
    }
    let raw = Infinity;
    let ours = Infinity;
    // Alternate the two in each round so machine load affects both alike; keep the best round.
    for (let r = 0; r < ROUNDS; r++) {
      raw = Math.min(raw, await timeAsync(async () => { for (const f of c.files) (await parseSource(f, lang)).dispose(); }));
      ours = Math.min(ours, await timeAsync(async () => {
        for (const f of c.files) {
          const p = await parseSource(f, lang);
          summarize(p);
          p.dispose();
        }
      }));
    }
    const rawMBs = bytes / 1e6 / raw;
    const oursMBs = bytes / 1e6 / ours;
    ratios.push(oursMBs / rawMBs);
    console.log(`${lang.padEnd(10)} ${String(c.files.length).padStart(6)} ${(bytes / 1e6).toFixed(2).padStart(6)} ${rawMBs.toFixed(2).padStart(10)} ${oursMBs.toFixed(2).padStart(11)} ${(oursMBs / rawMBs).toFixed(2).padStart(10)}   ${c.source}`);
  }
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(`\nlowest ours/raw ratio: ${Math.min(...ratios).toFixed(2)} (target ≥ 0.50); peak RSS ${peak.toFixed(0)} MB`);
}

async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

void main();
