// ConPlag v2 measurement: precision, recall and F1 of "flag as copy" with the structural score alone
// and with the local judge, at the default thresholds (judge at ≥ 0.70; the judge's flag is a refined
// risk of MEDIUM or above). Each labelled pair is compared on its own (two files); the judge's common
// code comes from the other files of the same split, as a class's other submissions would.
//
//   node test/bench/judge-conplag.mjs [--split test|validation|train|all] [--threshold 0.7] [--sweep 0.3,0.4,0.5,0.6]
//                                     [--no-corpus] [--dump file.json]
// --sweep also reports lower judge thresholds (the judge's flag then applies from that score up).
//
// The engine and the judge are bundled from the TypeScript sources into a temporary file first.
import { build } from 'esbuild';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const splitArg = opt('--split', 'test');
const threshold = Number(opt('--threshold', '0.7'));
const useCorpus = !args.includes('--no-corpus');
const dump = opt('--dump', undefined);
const sweep = (opt('--sweep', '') || '').split(',').filter(Boolean).map(Number);
const judgeFrom = Math.min(threshold, ...sweep);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dataDir = path.resolve(root, '../shared/datasets/plagiarism/conplag');

// Inside the repository, so that the bundle resolves packages from node_modules.
mkdirSync(path.join(root, 'out'), { recursive: true });
const tmp = mkdtempSync(path.join(root, 'out', 'judge-conplag-'));
const dataTmp = mkdtempSync(path.join(os.tmpdir(), 'judge-conplag-data-'));
const entry = `
export { compare } from ${JSON.stringify(path.join(root, 'server/src/similarity/engine.ts'))};
export { LocalJudge } from ${JSON.stringify(path.join(root, 'server/src/judge/local/localJudge.ts'))};
export { refine, isFlagged } from ${JSON.stringify(path.join(root, 'server/src/judge/refine.ts'))};
`;
await build({
  stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
  outfile: path.join(tmp, 'bundle.cjs'), packages: 'external', logLevel: 'warning',
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl', CODE_ORIGIN_VERSION: '"bench"' },
});
const require = createRequire(path.join(root, 'package.json'));
const { compare, LocalJudge, refine, isFlagged } = require(path.join(tmp, 'bundle.cjs'));

/** Minimal RFC 4180 reader (quoted fields may hold newlines and doubled quotes). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else q = false; } else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [head, ...body] = rows;
  return body.filter((r) => r.length === head.length).map((r) => Object.fromEntries(head.map((h, k) => [h, r[k]])));
}

function metrics(rows, flag) {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const r of rows) {
    const f = flag(r);
    if (f && r.label) tp++; else if (f) fp++; else if (r.label) fn++; else tn++;
  }
  const p = tp + fp ? tp / (tp + fp) : 1;
  const rc = tp + fn ? tp / (tp + fn) : 0;
  return { tp, fp, fn, tn, precision: +p.toFixed(4), recall: +rc.toFixed(4), f1: +(p + rc ? (2 * p * rc) / (p + rc) : 0).toFixed(4) };
}

async function runSplit(split) {
  const rows = parseCsv(readFileSync(path.join(dataDir, `${split}.csv`), 'utf8'));
  // Outside the repository: the engine leaves git-ignored paths out.
  const dir = path.join(dataTmp, split);
  mkdirSync(dir, { recursive: true });
  const files = new Map();
  for (const r of rows) for (const k of ['1', '2']) files.set(r[`filename_${k}`], r[`code_${k}`]);
  for (const [name, code] of files) writeFileSync(path.join(dir, `${name}.java`), code);
  const corpus = useCorpus ? [...files.values()].map((source) => ({ source, language: 'java' })) : [];
  const judge = await LocalJudge.create({ corpus });
  const out = [];
  const t0 = Date.now();
  for (const r of rows) {
    const f1 = path.join(dir, `${r.filename_1}.java`);
    const f2 = path.join(dir, `${r.filename_2}.java`);
    const rep = await compare({ inputs: [f1, f2], allPairs: true, minScore: 0 });
    const p = rep.similarity.pairs[0];
    if (process.env.JUDGE_BENCH_DEBUG) console.error(JSON.stringify(rep.files), JSON.stringify(p)?.slice(0, 200));
    const score = p ? p.similarity_score : 0;
    const row = { id: `${r.filename_1}-${r.filename_2}`, label: r.labels === '1', notes: r.notes, score };
    if (score >= judgeFrom) {
      const pair = {
        file1: f1, file2: f2, language1: 'java', language2: 'java', source1: files.get(r.filename_1), source2: files.get(r.filename_2),
        similarity_score: score, components: p.components,
      };
      const verdict = await judge.judge(pair);
      const refined = refine(verdict, score);
      row.verdict = verdict.classification;
      row.confidence = verdict.confidence;
      row.risk = refined.refined_risk_level;
      row.reasoning = verdict.reasoning;
    }
    out.push(row);
  }
  const structural = metrics(out, (r) => r.score >= threshold);
  const judged = metrics(out, (r) => r.score >= threshold && isFlagged(r.risk));
  return { split, pairs: out.length, positives: out.filter((r) => r.label).length, ms: Date.now() - t0, structural, judged, rows: out };
}

const splits = splitArg === 'all' ? ['train', 'validation', 'test'] : [splitArg];
const results = [];
for (const s of splits) results.push(await runSplit(s));
if (splits.length > 1) {
  const rows = results.flatMap((r) => r.rows);
  results.push({ split: 'all', pairs: rows.length, positives: rows.filter((r) => r.label).length,
    structural: metrics(rows, (r) => r.score >= threshold), judged: metrics(rows, (r) => r.score >= threshold && isFlagged(r.risk)), rows });
}
for (const r of results) {
  for (const t of sweep) {
    const st = metrics(r.rows, (x) => x.score >= t);
    const jd = metrics(r.rows, (x) => x.score >= t && isFlagged(x.risk));
    console.log(`${r.split} @${t}: structural P ${st.precision} R ${st.recall} F1 ${st.f1} (fp ${st.fp}) | + judge P ${jd.precision} R ${jd.recall} F1 ${jd.f1} (fp ${jd.fp})`);
  }
  console.log(`${r.split}: ${r.pairs} pairs (${r.positives} copies), threshold ${threshold}, corpus ${useCorpus ? 'on' : 'off'}`);
  console.log(`  structural only: P ${r.structural.precision} R ${r.structural.recall} F1 ${r.structural.f1} (tp ${r.structural.tp} fp ${r.structural.fp} fn ${r.structural.fn})`);
  console.log(`  + local judge:   P ${r.judged.precision} R ${r.judged.recall} F1 ${r.judged.f1} (tp ${r.judged.tp} fp ${r.judged.fp} fn ${r.judged.fn})`);
}
if (dump) writeFileSync(dump, JSON.stringify(results, null, 1));
rmSync(tmp, { recursive: true, force: true });
rmSync(dataTmp, { recursive: true, force: true });
