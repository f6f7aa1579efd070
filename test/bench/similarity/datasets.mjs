// Materializes the benchmark datasets (read-only, under ../shared) into a cache folder as plain files,
// with their labelled pairs. Dataset code is never copied into the repository.
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';

export const SHARED = process.env.CODE_ORIGIN_SHARED ?? path.resolve(import.meta.dirname, '../../../../shared');
const PLAG = path.join(SHARED, 'datasets/plagiarism');

/** Every pair of the folder's files; positives from the qrel. */
export function soco(lang) {
  const base = path.join(PLAG, 'soco/fire14-source-code-training-dataset');
  const dir = path.join(base, lang);
  const files = fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort();
  const pos = new Set(fs.readFileSync(path.join(base, `SOCO14-${lang}.qrel`), 'utf8').trim().split('\n')
    .map((l) => l.trim().split(/\s+/).sort().join('|')));
  const pairs = [];
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) pairs.push({ a: files[i], b: files[j], label: pos.has(`${files[i]}|${files[j]}`) ? 1 : 0 });
  }
  return { name: `SOCO ${lang}`, dir, files, pairs, language: lang };
}

/** Minimal RFC 4180 CSV reader (quoted fields may hold newlines). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else q = false;
      } else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => r.length > 1);
}

/** ConPlag v2: all files of the three splits in one folder; the 911 labelled pairs. */
export function conplag(cacheDir) {
  const dir = path.join(cacheDir, 'conplag');
  fs.mkdirSync(dir, { recursive: true });
  const pairs = [];
  for (const split of ['train', 'validation', 'test']) {
    const rows = parseCsv(fs.readFileSync(path.join(PLAG, 'conplag', `${split}.csv`), 'utf8'));
    const h = rows[0];
    const ix = (n) => h.indexOf(n);
    for (const r of rows.slice(1)) {
      const a = `${r[ix('filename_1')]}.java`;
      const b = `${r[ix('filename_2')]}.java`;
      for (const [f, code] of [[a, r[ix('code_1')]], [b, r[ix('code_2')]]]) {
        const p = path.join(dir, f);
        if (!fs.existsSync(p)) fs.writeFileSync(p, code);
      }
      // Rows are kept as given (911 labelled rows), as the peers' numbers were measured on them.
      const [x, y] = [a, b].sort();
      pairs.push({ a: x, b: y, label: Number(r[ix('labels')]) });
    }
  }
  const files = fs.readdirSync(dir).sort();
  return { name: 'ConPlag v2', dir, files, pairs, language: 'java' };
}

/** PROGpedia (JPlag's set): submissions are folders; the zip's plagiarism.csv lists the plagiarised pairs. */
export function progpedia(cacheDir) {
  const zipPath = path.join(PLAG, 'progpedia-jplag/data-progpedia.zip');
  const dir = path.join(cacheDir, 'progpedia');
  const z = unzipSync(fs.readFileSync(zipPath));
  let csv = '';
  for (const [name, bytes] of Object.entries(z)) {
    if (name.endsWith('/')) continue;
    if (name.endsWith('plagiarism.csv')) { csv = Buffer.from(bytes).toString('utf8'); continue; }
    if (!name.endsWith('.java')) continue;
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (!fs.existsSync(p)) fs.writeFileSync(p, bytes);
  }
  const root = path.join(dir, 'ACCEPTED');
  const subs = fs.readdirSync(root).sort();
  const pos = new Set(csv.trim().split(/\r?\n/).map((l) => l.split(';')).filter((r) => r.length >= 2 && r[1])
    .map((r) => [r[0], r[1]].map((s) => s.trim()).sort().join('|')));
  const pairs = [];
  for (let i = 0; i < subs.length; i++) for (let j = i + 1; j < subs.length; j++) pairs.push({ a: subs[i], b: subs[j], label: pos.has(`${subs[i]}|${subs[j]}`) ? 1 : 0 });
  const jplag = JSON.parse(fs.readFileSync(path.join(PLAG, 'progpedia-jplag/results-progpedia.json'), 'utf8'));
  return { name: 'PROGpedia', dir: root, zipPath, files: subs, pairs, language: 'java', csvHead: csv.split('\n').slice(0, 3), jplag };
}

/**
 * The same pairs with positives closed transitively (A~B and B~C make A~C). SOCO's qrel lists the pairs
 * its annotators were shown, not every pair inside a group of copies; this view is reported beside the
 * official labels (never instead of them), for every tool alike.
 */
export function closeTransitively(pairs) {
  const parent = new Map();
  const find = (x) => {
    while (parent.has(x)) x = parent.get(x);
    return x;
  };
  for (const p of pairs) {
    if (!p.label) continue;
    const [ra, rb] = [find(p.a), find(p.b)];
    if (ra !== rb) parent.set(ra, rb);
  }
  return pairs.map((p) => ({ ...p, label: p.label || find(p.a) === find(p.b) ? 1 : 0 }));
}
