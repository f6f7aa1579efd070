// Experiment helper: every labelled pair's score and significance at default settings, for
// trying report rules offline. Usage: node test/bench/similarity/dump-pairs.mjs OUTDIR
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { soco, conplag, progpedia } from './datasets.mjs';
import { runOurs } from './peers.mjs';

const out = process.argv[2];
const CACHE = process.env.CODE_ORIGIN_BENCH_CACHE ?? path.join(os.homedir(), '.cache/code-origin-bench');
const WORK = path.join(CACHE, 'work');
fs.mkdirSync(WORK, { recursive: true });
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'co-dump-'));
for (const ds of [soco('java'), soco('c'), conplag(WORK)]) {
  const ours = runOurs([ds.dir], [], TMP);
  const by = new Map();
  for (const [k, p] of ours.scores) {
    const [a, b] = k.split('|').map((x) => path.basename(x));
    by.set([a, b].sort().join('|'), p);
  }
  const rows = ds.pairs.map((q) => { const p = by.get([q.a, q.b].sort().join('|')); return { a: q.a, b: q.b, label: q.label, score: p?.similarity_score ?? 0, sig: p?.significance ?? null, rep: !!p?.reported }; });
  fs.writeFileSync(path.join(out, `${ds.name.replace(/\W+/g, '_')}.json`), JSON.stringify({ rule: ours.report.metadata?.report_rule ?? ours.report.similarity?.report_rule, rows }));
  console.log(ds.name, rows.length);
}
