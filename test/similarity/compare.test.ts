// The compare pipeline end to end: report shape, bad input, template and common-code filters,
// submissions, cross comparison, zip inputs with their protections, the sql.js cache, the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { runCli } from '../../server/src/cli/main';
import { compare } from '../../server/src/similarity/engine';
import { readZip } from '../../server/src/similarity/zip';
import { program } from './classGen';
import { AUTO_MIN_CHARS, resolveWorkers } from '../../server/src/core/workerPool';

const FIX = path.resolve('test/fixtures/similarity');
const enc = (s: string) => new TextEncoder().encode(s);

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'co-sim-'));
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

const PY = fs.readFileSync(path.join(FIX, 'python/original.py'), 'utf8');
const PY_COPY = fs.readFileSync(path.join(FIX, 'python/copy.py'), 'utf8');
const PY_OTHER = fs.readFileSync(path.join(FIX, 'python/unrelated.py'), 'utf8');

describe('compare', () => {
  it('reports the documented JSON shape; identical files score 1; no self pairs', async () => {
    const d = tmpdir();
    write(d, { 'a.py': PY, 'b.py': PY, 'c.py': PY_OTHER });
    const r = await compare({ inputs: [d], allPairs: true });
    assert.equal(r.summary.total_files, 3);
    assert.equal(r.similarity.pairs.length, 3);
    const ab = r.similarity.pairs[0]!;
    assert.equal(ab.similarity_score, 1);
    assert.deepEqual(ab.components, { ast: 1, cfg: 1, dataflow: 1 });
    assert.ok(r.similarity.pairs.every((p) => p.file1 !== p.file2));
    assert.deepEqual(r.clusters.map((c) => c.files.map((f) => path.basename(f))), [['a.py', 'b.py']]);
    assert.equal(r.matrix.values!.length, 3);
    assert.equal(r.matrix.values![0]![1], 1);
    assert.equal(r.graph.edges.length, 1);
    assert.equal(r.metadata.llm_enabled, false);
    assert.deepEqual(r.metadata.weights, { ast: 0.4, cfg: 0.3, dataflow: 0.3 });
    assert.equal(r.summary.suspicious_pairs_count, 1);
  });

  it('lists bad input with a reason and keeps going', async () => {
    const d = tmpdir();
    write(d, { 'ok.py': PY, 'copy.py': PY_COPY, 'empty.py': '', 'bin.py': 'x = 1\0\0\0', 'latin.py': '' });
    fs.writeFileSync(path.join(d, 'latin.py'), Buffer.from([0x78, 0x3d, 0xe9, 0x0a]));
    const r = await compare({ inputs: [d] });
    const err = Object.fromEntries(r.files.map((f) => [path.basename(f.path), f.error]));
    assert.match(err['bin.py']!, /binary/);
    assert.match(err['latin.py']!, /UTF-8/);
    assert.equal(err['empty.py'], undefined, 'an empty file is analysed, it just matches nothing');
    assert.equal(r.similarity.pairs.length, 1);
    assert.ok(r.similarity.pairs[0]!.similarity_score >= 0.9);
  });

  it('template code is removed from the evidence', async () => {
    const d = tmpdir();
    const helper = 'def parse_args(argv):\n    opts = {}\n    for a in argv:\n        if a.startswith("--"):\n            k, _, v = a[2:].partition("=")\n            opts[k] = v\n    return opts\n';
    write(d, { 'base/helper.py': helper, 's/a.py': `${helper}\n\n${PY}`, 's/b.py': `${helper}\n\n${PY_OTHER}` });
    const without = await compare({ inputs: [path.join(d, 's')], allPairs: true });
    const withT = await compare({ inputs: [path.join(d, 's')], template: [path.join(d, 'base')], allPairs: true });
    const s0 = without.similarity.pairs[0]!.similarity_score;
    const s1 = withT.similarity.pairs[0]!.similarity_score;
    assert.ok(s0 > 0.15, `shared helper counts without a template (${s0})`);
    assert.ok(s1 < 0.05, `template removed (${s1})`);
  });

  it('the common-code filter ignores evidence found in many independent files', async () => {
    const d = tmpdir();
    const common = 'def read_ints(line):\n    out = []\n    for tok in line.split():\n        if tok.strip():\n            out.append(int(tok))\n    return out\n';
    const bodies = [PY, PY_OTHER, fs.readFileSync(path.join(FIX, 'python/unrelated.py'), 'utf8').replace(/Config/g, 'Settings').replace(/json/g, 'yaml')];
    // Twelve files share the helper; their other code is all different (own programs: a body of one
    // repeated statement would leave them near-copies, 0.76-0.94, and near-copies vote as one group).
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`f${String(i).padStart(2, '0')}.py`] = `${common}\n\n${program(500 + i)}`;
    files['z1.py'] = `${common}\n\n${bodies[0]}`;
    files['z2.py'] = `${common}\n\n${bodies[1]}`;
    write(d, files);
    const off = await compare({ inputs: [d], commonShare: 0, allPairs: true });
    const on = await compare({ inputs: [d], allPairs: true });
    const pick = (r: typeof on) => r.similarity.pairs.find((p) => p.file1.endsWith('z1.py') && p.file2.endsWith('z2.py'))!.similarity_score;
    assert.ok(pick(off) > 0.1, `without the filter the helper is evidence (${pick(off)})`);
    assert.ok(pick(on) < pick(off) / 2, `with it, much less (${pick(on)} vs ${pick(off)})`);
  });

  it('a cluster of copies is not hidden by the common-code filter', async () => {
    const d = tmpdir();
    const files: Record<string, string> = {};
    // Five copies among twelve files: more than 10% of files, but one group of near-copies.
    for (let i = 0; i < 5; i++) files[`copy${i}.py`] = PY.replace(/values/g, `vals${i}`);
    for (let i = 0; i < 7; i++) files[`other${i}.py`] = `def g${i}(a):\n${'    a = a * 2\n'.repeat(i + 2)}    return a\n`;
    write(d, files);
    const r = await compare({ inputs: [d] });
    // The seven others are near-copies of each other too (one statement repeated): in a folder of
    // twelve, nothing is common (under 10 groups), so they may form their own cluster.
    const mine = r.clusters.filter((c) => c.files.some((f) => f.includes('copy')));
    assert.equal(mine.length, 1);
    assert.deepEqual(mine[0]!.files.map((f) => path.basename(f)).sort(), ['copy0.py', 'copy1.py', 'copy2.py', 'copy3.py', 'copy4.py']);
  });

  it('submissions: sub-folders are compared as wholes with per-file regions', async () => {
    const d = tmpdir();
    write(d, {
      'alice/stats.py': PY, 'alice/main.py': 'print(1)\n',
      'bob/helpers/s.py': PY_COPY, 'bob/run.py': 'print(2)\n',
      'carol/x.py': PY_OTHER,
    });
    const r = await compare({ inputs: [d], submissions: true });
    assert.equal(r.summary.total_documents, 3);
    const p = r.similarity.pairs[0]!;
    assert.deepEqual([path.basename(p.file1), path.basename(p.file2)], ['alice', 'bob']);
    assert.ok(p.similarity_score >= 0.8);
    assert.ok(p.matching_regions.every((m) => m.file1!.endsWith('stats.py') && m.file2!.endsWith('s.py')));
    assert.equal(r.files.find((f) => f.path.endsWith('run.py'))!.submission, path.join(d, 'bob'));
  });

  it('cross: only pairs between different inputs', async () => {
    const d = tmpdir();
    write(d, { 'x/a.py': PY, 'x/b.py': PY, 'y/c.py': PY_COPY });
    const r = await compare({ inputs: [path.join(d, 'x'), path.join(d, 'y')], cross: true, allPairs: true });
    assert.equal(r.similarity.pairs.length, 2);
    assert.ok(r.similarity.pairs.every((p) => p.file2.includes(`${path.sep}y${path.sep}`)));
  });

  it('zip inputs: entries are named archive.zip!/path and compared like files', async () => {
    const d = tmpdir();
    fs.writeFileSync(path.join(d, 'sub.zip'), zipSync({ 'proj/stats.py': enc(PY), 'proj/notes.txt': enc('hi') }));
    write(d, { 'mine.py': PY_COPY });
    const r = await compare({ inputs: [path.join(d, 'sub.zip'), path.join(d, 'mine.py')] });
    assert.equal(r.files[0]!.path, `${path.join(d, 'sub.zip')}!/proj/stats.py`);
    assert.equal(r.similarity.pairs.length, 1);
  });

  it('a folder\'s files keep their sorted order (with an archive, a bad file and 40 files read ahead)', async () => {
    const d = tmpdir();
    const names = Array.from({ length: 40 }, (_, i) => `f${String(i).padStart(2, '0')}.py`);
    write(d, Object.fromEntries(names.map((n, i) => [n, `${PY_OTHER}\nx_${i} = ${i}\n`])));
    fs.writeFileSync(path.join(d, 'f20a.zip'), zipSync({ 'in/z.py': enc(PY) }));
    fs.writeFileSync(path.join(d, 'f05a.py'), Buffer.from([0, 1, 2, 0, 255, 0]));
    const r = await compare({ inputs: [d] });
    const got = r.files.map((f) => path.relative(d, f.path));
    const want = [...names, 'f05a.py', 'f20a.zip'].sort().map((n) => (n === 'f20a.zip' ? 'f20a.zip!/in/z.py' : n));
    assert.deepEqual(got, want);
    assert.match(r.files.find((f) => f.path.endsWith('f05a.py'))!.error!, /binary/);
    assert.ok(r.files.filter((f) => !f.path.endsWith('f05a.py')).every((f) => !f.error));
  });

  it('archive attacks are refused with a clear message', async () => {
    const limits = { maxEntries: 50, maxTotalBytes: 1_000_000, maxEntryBytes: 200_000 };
    const escape = readZip(zipSync({ '../evil.py': enc('x=1'), '/abs.py': enc('x=1'), 'ok.py': enc('x=1') }), limits);
    assert.ok(escape.ok);
    const byName = Object.fromEntries(escape.entries.map((e) => [e.name, e.error]));
    assert.match(byName['../evil.py']!, /escapes/);
    assert.match(byName['/abs.py']!, /absolute/);
    assert.equal(byName['ok.py'], undefined);
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 60; i++) many[`f${i}.py`] = enc('x=1');
    const tooMany = readZip(zipSync(many), limits);
    assert.ok(!tooMany.ok && /more than 50 entries/.test(tooMany.reason));
    const bomb: Record<string, Uint8Array> = {};
    for (let i = 0; i < 8; i++) bomb[`b${i}.py`] = new Uint8Array(190_000);
    const big = readZip(zipSync(bomb), limits);
    assert.ok(!big.ok && /zip bomb/.test(big.reason));
    // An entry that lies about its size is caught while inflating.
    const lying = Buffer.from(zipSync({ 'l.py': new Uint8Array(500_000) }));
    for (let i = 0; i + 4 <= lying.length; i++) if (lying.readUInt32LE(i) === 500_000) lying.writeUInt32LE(10, i);
    const lied = readZip(lying, limits);
    assert.ok(lied.ok);
    assert.match(lied.entries[0]!.error!, /too large/);
  });

  it('symlinks leading outside an input are not followed', async function () {
    const d = tmpdir();
    const outside = tmpdir();
    write(outside, { 'secret.py': PY });
    write(d, { 'in.py': PY_COPY });
    fs.symlinkSync(path.join(outside, 'secret.py'), path.join(d, 'link.py'));
    const r = await compare({ inputs: [d] });
    const link = r.files.find((f) => f.path.endsWith('link.py'))!;
    assert.match(link.error!, /outside the input/);
    assert.equal(r.similarity.pairs.length, 0);
  });

  it('the sql.js cache is reused and only changed files are recomputed', async () => {
    const d = tmpdir();
    const db = path.join(tmpdir(), 'cache.sqlite');
    write(d, { 'a.py': PY, 'b.py': PY_COPY, 'c.py': PY_OTHER });
    const first = await compare({ inputs: [d], cachePath: db });
    assert.deepEqual(first.metadata.cache, { path: db, hits: 0, misses: 3, pair_hits: 0, pair_scored: 1 });
    assert.ok(fs.statSync(db).size > 0);
    write(d, { 'c.py': `${PY_OTHER}\n# changed\nx = 1\n` });
    const second = await compare({ inputs: [d], cachePath: db });
    // The a–b pair is reused from the first run; c (changed) has no candidate partner.
    assert.deepEqual(second.metadata.cache, { path: db, hits: 2, misses: 1, pair_hits: 1, pair_scored: 0 });
    assert.equal(second.similarity.pairs[0]!.similarity_score, first.similarity.pairs[0]!.similarity_score);
    // Damaged shards: reported, replaced, their files recomputed; the scores are the same.
    for (const f of fs.readdirSync(`${db}.features`)) fs.writeFileSync(path.join(`${db}.features`, f), 'not a database');
    const third = await compare({ inputs: [d], cachePath: db });
    assert.equal(third.metadata.cache?.misses, 3);
    assert.ok(third.metadata.cache?.warnings?.length && third.metadata.cache.warnings.every((w) => /damaged.*replaced by a new one/.test(w)), JSON.stringify(third.metadata.cache));
    assert.equal(third.similarity.pairs[0]!.similarity_score, first.similarity.pairs[0]!.similarity_score);
    const fourth = await compare({ inputs: [d], cachePath: db });
    assert.deepEqual([fourth.metadata.cache?.hits, fourth.metadata.cache?.warnings], [3, undefined]);
    // A cache that cannot be written (its folder is a file): the analysis goes on and says so.
    const blocked = path.join(tmpdir(), 'not-a-folder');
    fs.writeFileSync(blocked, 'x');
    const fifth = await compare({ inputs: [d], cachePath: path.join(blocked, 'cache.sqlite') });
    assert.equal(fifth.similarity.pairs[0]!.similarity_score, first.similarity.pairs[0]!.similarity_score);
    assert.ok(fifth.metadata.cache?.warnings?.some((w) => /cannot write cache .*results are not cached/.test(w)), JSON.stringify(fifth.metadata.cache));
  });

  it('CLI: json to stdout, table and self-contained html, usage errors', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx = { out: (s: string) => out.push(s), err: (s: string) => err.push(s), exitCode: 0 };
    const a = path.join(FIX, 'java/Original.java');
    const b = path.join(FIX, 'java/Copy.java');
    assert.equal(await runCli(['compare', a, b], ctx), 0);
    const json = JSON.parse(out.join('\n'));
    assert.equal(json.metadata.analysis_type, 'similarity');
    assert.equal(json.similarity.pairs[0].file1, a);
    out.length = 0;
    assert.equal(await runCli(['compare', a, b, '--format', 'table'], ctx), 0);
    assert.match(out.join('\n'), /score/);
    const html = path.join(tmpdir(), 'r.html');
    assert.equal(await runCli(['compare', a, b, '--format', 'html', '--output', html], ctx), 0);
    const page = fs.readFileSync(html, 'utf8');
    assert.match(page, /Matching regions/);
    assert.ok(!/https?:\/\//.test(page), 'no network references');
    assert.equal(await runCli(['compare', a, '--cross'], ctx), 2);
    assert.equal(await runCli(['compare', a, b, '--min-score', '2'], ctx), 2);
    assert.equal(await runCli(['compare', '/no/such/file.py'], ctx), 2);
  });
});

describe('compare with worker threads', () => {
  it('the bundled CLI gives the same pairs and judge verdicts with and without workers', function () {
    const cli = path.resolve('dist/cli.js');
    if (!fs.existsSync(cli)) this.skip();
    const d = tmpdir();
    const files: Record<string, string> = {};
    // Over 50 files, so the parser pool is used.
    // Eighteen files (the six copies and twelve independent others) end with the same short helper:
    // code common to more than 10 groups of near-copies, which the judge explains by its k-grams alone
    // (its lines are too short and its names too plain to count). Hashed differently on the two
    // threads, it would not be common.
    const helper = '\n\ndef h(v):\n    if v<0:\n        v=0\n    return v\n';
    for (let i = 0; i < 60; i++) files[`f${i}.py`] = (i % 10 === 0 ? PY : program(900 + i)) + (i % 10 === 0 || (i > 0 && i <= 13) ? helper : '');
    write(d, files);
    const run = (w: string): string[] => {
      const r = spawnSync(process.execPath, [cli, 'compare', d, '--workers', w], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.equal(j.metadata.workers_used, Number(w));
      // The local judge's per-file work runs on the same threads: its verdicts (with the shares of
      // common code in their reasoning) must not depend on which thread hashed which file.
      return j.similarity.pairs.map((p: { file1: string; file2: string; similarity_score: number; llm_verdict?: { reasoning: string } }) =>
        `${p.file1} ${p.file2} ${p.similarity_score} ${p.llm_verdict?.reasoning}`);
    };
    const seq = run('0');
    const copies = seq.filter((p) => /\/f\d*0\.py \S*\/f\d*0\.py /.test(p));
    assert.equal(copies.length, 15, 'six copies of one file: 15 pairs');
    assert.ok(copies.every((p) => / \(shared runs \d+% of tokens, template\/common [1-9]\d*% of that/.test(p)), `every pair judged, with common code: ${seq[0]}`);
    assert.deepEqual(run('2'), seq);
    // 'auto' (the default) starts no worker for 60 small files: their start would cost more than it saves.
    const auto = spawnSync(process.execPath, [cli, 'compare', d], { encoding: 'utf8' });
    assert.equal(auto.status, 0, auto.stderr);
    assert.equal(JSON.parse(auto.stdout).metadata.workers_used, 0);
  });

  it("'auto' starts workers only for large inputs; a handful of files never starts any", () => {
    const cores = Math.min(8, os.availableParallelism());
    assert.equal(resolveWorkers('auto', 259, 1_000_000), 0);
    assert.equal(resolveWorkers('auto', 5000, AUTO_MIN_CHARS), cores);
    assert.equal(resolveWorkers(2, 60, 10), 2, 'an explicit count is kept');
    assert.equal(resolveWorkers(2, 50, 10_000_000), 0, 'an edit or a handful of files stays on this thread');
  });
});
