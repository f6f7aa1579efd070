// Experiment for #20 (not the shipped scoring): does weighting shared fingerprints by their rarity in the
// run separate copies from independent solutions better than counting them all alike? For each labelled
// pair, the fingerprint component two ways: plain Jaccard of the two fingerprint sets, and the same with
// every key weighted by its inverse document frequency over the run's files, ln(N / df). AUC and best F1
// per dataset. Reads ../shared at run time (skips with a message without it); writes RARITY.md.
// Run: npm run build && node out/bench/similarity-rarity.js
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LanguageId } from '../../server/src/core/languages';
import { featuresOfSource } from '../../server/src/similarity/features';
import { pathToFileURL } from 'node:url';

interface Pair { a: string; b: string; label: number }
interface Dataset { name: string; dir: string; files: string[]; pairs: Pair[]; language: LanguageId }

const SHARED = path.resolve('../shared/datasets/plagiarism');
if (!fs.existsSync(SHARED)) {
  console.error(`skipped: ${SHARED} is absent`);
  process.exit(0);
}
const WORK = path.join(process.env.CODE_ORIGIN_BENCH_CACHE ?? path.join(os.homedir(), '.cache/code-origin-bench'), 'work');

async function measure(ds: Dataset): Promise<string> {
  const sets = new Map<string, Float64Array>();
  for (const f of ds.files) {
    const text = fs.readFileSync(path.join(ds.dir, f), 'utf8');
    try {
      sets.set(f, (await featuresOfSource(text, ds.language)).fpSet);
    } catch {
      // A file that does not parse has no fingerprints: its pairs score 0 both ways.
    }
  }
  const df = new Map<number, number>();
  for (const s of sets.values()) for (const h of s) df.set(h, (df.get(h) ?? 0) + 1);
  const n = sets.size;
  const idf = (h: number) => Math.log(n / (df.get(h) ?? 1));
  const plain: Array<{ score: number; label: number }> = [];
  const weighted: Array<{ score: number; label: number }> = [];
  for (const p of ds.pairs) {
    const a = sets.get(p.a);
    const b = sets.get(p.b);
    let j = 0;
    let w = 0;
    if (a && b && a.length + b.length > 0) {
      const inB = new Set(b);
      let inter = 0;
      let wi = 0;
      let wa = 0;
      let wb = 0;
      for (const h of a) {
        wa += idf(h);
        if (inB.has(h)) { inter++; wi += idf(h); }
      }
      for (const h of b) wb += idf(h);
      j = inter / (a.length + b.length - inter);
      w = wa + wb - wi > 0 ? wi / (wa + wb - wi) : 0;
    }
    plain.push({ score: j, label: p.label });
    weighted.push({ score: w, label: p.label });
  }
  const show = (items: typeof plain) => `${auc(items).toFixed(4)} / ${bestF1(items).f1.toFixed(3)}`;
  return `| ${ds.name} | ${n} | ${ds.pairs.length} | ${show(plain)} | ${show(weighted)} |`;
}

type Scored = Array<{ score: number; label: number }>;
let auc: (items: Scored) => number;
let bestF1: (items: Scored) => { f1: number };

(async () => {
  // The bench's dataset readers and metrics are plain ES modules beside it, loaded as they are (not bundled).
  const load = (f: string) => import(pathToFileURL(path.resolve('test/bench/similarity', f)).href);
  const { conplag, soco } = await load('datasets.mjs');
  ({ auc, bestF1 } = await load('metrics.mjs'));
  const rows: string[] = [];
  for (const ds of [soco('java'), soco('c'), conplag(WORK)] as Dataset[]) {
    rows.push(await measure(ds));
    console.error(rows[rows.length - 1]);
  }
  const out = [
    `# Rarity-weighted fingerprints (${new Date().toISOString()}): an experiment, not the shipped scoring`,
    '',
    'The fingerprint component alone (winnowed k-grams of the normalized tree, the engine\'s features), on every labelled pair: plain Jaccard of the two sets vs the same with each key weighted by ln(N / df) over the run\'s N files.',
    '',
    '| dataset | files | labelled pairs | plain: AUC / best F1 | rarity-weighted: AUC / best F1 |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ];
  fs.writeFileSync(path.resolve('test/bench/similarity/RARITY.md'), out.join('\n'));
})();
