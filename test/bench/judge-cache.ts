// Benchmark of the local judge as the language server runs it after each workspace analysis: judge
// time without a cache (the CLI), on a first run with the server's cache, on a re-run with nothing
// changed, and on a re-run after a one-file edit; checks that the cached verdicts equal uncached ones.
// Build first (node esbuild.mjs), then:  node out/bench/judge-cache.js <folder> [--edits 3] [--threshold 0.7]
// The folder is copied to a temporary one (files are edited there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { judgeReport, type JudgedReport } from '../../server/src/similarity/judgeReport';
import { LocalJudgeCache } from '../../server/src/judge/local/cache';
import { compare, newCompareState, type CompareOptions } from '../../server/src/similarity/engine';

const args = process.argv.slice(2);
const src = args.find((a) => !a.startsWith('--'));
const opt = (name: string, def: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : def);
const edits = opt('edits', 3);
const threshold = opt('threshold', 0.7);

const verdicts = (r: JudgedReport) => r.similarity.pairs.map((p) => (p.llm_verdict ? `${p.file1}|${p.file2}|${p.llm_verdict.classification}|${p.llm_verdict.confidence}|${p.llm_verdict.reasoning}` : '')).join('\n');

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, Math.round(performance.now() - t)];
}

async function main() {
  if (!src) throw new Error('usage: judge-cache.js <folder>');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-judge-'));
  fs.cpSync(src, dir, { recursive: true });
  console.log(`# ${new Date().toISOString()}, ${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const state = newCompareState();
  const inputs: CompareOptions = { inputs: [dir], workers: 0, state, minScore: Math.min(0.5, threshold) };
  const [report, tc] = await time(() => compare(inputs));
  const judged = report.similarity.pairs.filter((p) => p.similarity_score >= threshold).length;
  console.log(`${report.summary.total_files} files, ${report.similarity.pairs.length} pairs, ${judged} judged; compare ${tc} ms`);

  const [plain, t0] = await time(() => judgeReport(report, { ...inputs, state: undefined }, { provider: 'local', threshold }));
  console.log(`no cache (CLI):            ${t0} ms`);
  const cache = new LocalJudgeCache();
  const [first, t1] = await time(() => judgeReport(report, inputs, { provider: 'local', threshold, localCache: cache }));
  console.log(`cache, first run:          ${t1} ms  ${JSON.stringify(cache.stats)}`);
  if (verdicts(first) !== verdicts(plain)) throw new Error('first run: verdicts differ from the uncached ones');
  const [, t2] = await time(() => judgeReport(report, inputs, { provider: 'local', threshold, localCache: cache }));
  console.log(`cache, re-run, no change:  ${t2} ms`);

  // Edit files that are in judged pairs (append a comment line), re-analyse incrementally, re-judge.
  const targets = [...new Set(report.similarity.pairs.filter((p) => p.similarity_score >= threshold).map((p) => p.file1))].slice(0, edits);
  for (const [n, file] of targets.entries()) {
    fs.appendFileSync(file, `\n${file.endsWith('.py') ? '#' : '//'} edited ${n}\n`);
    const again = await compare({ ...inputs, changed: [file] });
    const before = { ...cache.stats };
    const [edited, t3] = await time(() => judgeReport(again, { ...inputs, changed: [file] }, { provider: 'local', threshold, localCache: cache }));
    const d = Object.fromEntries(Object.entries(cache.stats).map(([k, v]) => [k, v - before[k as keyof typeof before]]));
    const [fresh, t4] = await time(() => judgeReport(again, { ...inputs, changed: [file] }, { provider: 'local', threshold }));
    const same = verdicts(edited) === verdicts(fresh);
    console.log(`cache, re-run after edit:  ${t3} ms  (no cache: ${t4} ms) ${JSON.stringify(d)} verdicts equal: ${same}`);
    if (!same) throw new Error('verdicts differ after an edit');
  }
  console.log(`cache sizes: ${JSON.stringify(cache.sizes())}; heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
