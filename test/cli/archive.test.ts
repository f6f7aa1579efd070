// `compare --archive` and `archive build/add/info`: the bundled CLI on generated classes (real tree-sitter,
// real sql.js): new submissions meet archived ones and each other, never two archived ones; a saved index
// gives the same pairs as the folder it was built from; bad archives are refused with exit 2, untouched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { PAIR_COLUMNS } from '../../server/src/similarity/csv';
import { parseCsv, program, unrelated, writeFiles } from './gradeFixtures';
import { parseReport } from '../../webview/src/protocol';
import { buildModel } from '../../webview/src/model';
import { csvField } from '../../server/src/similarity/csv';

const CLI = path.resolve('dist/cli.js');

interface Report {
  files: Array<{ path: string; archive?: boolean; submission?: string }>;
  graph: { nodes: Array<{ id: string; archive?: boolean }> };
  similarity: { pairs: Array<{ file1: string; file2: string; similarity_score: number; reported?: boolean; matching_regions: Array<{ file1_code: string; file2_code: string }>; llm_verdict?: unknown }> };
  metadata: { archive?: { sources: string[]; files: number; documents: number } };
}

describe('compare --archive and archive indexes', function () {
  this.timeout(240_000);
  let dir: string;
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir });
  const json = (...args: string[]) => {
    const r = run(...args);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Report;
  };
  const key = (p: { file1: string; file2: string }) => [p.file1, p.file2].sort().join(' ~ ');
  const isArchived = (r: Report) => new Set(r.graph.nodes.filter((n) => n.archive).map((n) => n.id));

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-archive-'));
    const old: Record<string, string> = {
      'old/s1/main.py': program(1), 'old/s2/main.py': program(2),
      // Two archived submissions copied from each other: last year's case, never reported again.
      'old/s4/main.py': program(4), 'old/s5/main.py': program(4, 'Z'),
    };
    const fresh: Record<string, string> = {
      'new/n1/main.py': program(1, 'Q'), // copied from the archive
      'new/n2/main.py': program(6), 'new/n3/main.py': program(6, 'R'), // copied from each other
    };
    for (let i = 0; i < 8; i++) {
      old[`old/u${i}/main.py`] = unrelated(i);
      fresh[`new/v${i}/main.py`] = unrelated(20 + i);
    }
    writeFiles(dir, { ...old, ...fresh, 'extra/s9/main.py': program(9), 'new/n9/main.py': program(9, 'W'), 'notes.txt': 'not code\n' });
    const zipped: Record<string, Uint8Array> = {};
    for (const [p, text] of Object.entries(old)) zipped[p] = new TextEncoder().encode(text);
    fs.writeFileSync(path.join(dir, 'old.zip'), zipSync(zipped));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  let fromFolder: Report;
  it('pairs new submissions with archived ones and with each other, never two archived ones', () => {
    fromFolder = json('compare', 'new', '--submissions', '--archive', 'old');
    const arch = isArchived(fromFolder);
    assert.equal(arch.size, 12, 'the archived submissions are documents, marked');
    assert.ok(arch.has(path.join('old', 's1')));
    assert.equal(fromFolder.metadata.archive?.documents, 12);
    assert.deepEqual(fromFolder.metadata.archive?.sources, ['old']);
    assert.ok(fromFolder.files.filter((f) => f.archive).every((f) => f.path.startsWith('old')));
    assert.ok(fromFolder.files.filter((f) => !f.archive).every((f) => f.path.startsWith('new')));
    const reported = fromFolder.similarity.pairs.filter((p) => p.reported).map(key);
    assert.ok(reported.includes(key({ file1: path.join('new', 'n1'), file2: path.join('old', 's1') })), `copy from the archive found: ${reported.join(', ')}`);
    assert.ok(reported.includes(key({ file1: path.join('new', 'n2'), file2: path.join('new', 'n3') })), 'copies among the new found');
    for (const p of fromFolder.similarity.pairs) assert.ok(!(arch.has(p.file1) && arch.has(p.file2)), `archive against archive: ${key(p)}`);
    // With every pair listed, still none between two archived documents.
    const all = json('compare', 'new', '--submissions', '--archive', 'old', '--all-pairs', '--judge', 'off');
    // 12 new documents (n1-n3, n9, v0-v7), 12 archived.
    assert.equal(all.similarity.pairs.length, 12 * 12 + (12 * 11) / 2);
    for (const p of all.similarity.pairs) assert.ok(!(arch.has(p.file1) && arch.has(p.file2)));
  });

  it('gives the same pairs from a saved index, with the archived code in the regions and the judge\'s verdict', () => {
    const b = run('archive', 'build', 'old', '--submissions', '-o', 'old.idx');
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stderr, /old\.idx: built in [\d.]+ s: 12 files added; it holds 12 files \(12 documents\)/);
    const r = json('compare', 'new', '--submissions', '--archive', 'old.idx');
    assert.deepEqual(r.similarity.pairs.map((p) => [key(p), p.similarity_score]), fromFolder.similarity.pairs.map((p) => [key(p), p.similarity_score]));
    assert.deepEqual([...isArchived(r)].sort(), [...isArchived(fromFolder)].sort());
    const copy = r.similarity.pairs.find((p) => key(p) === key({ file1: path.join('new', 'n1'), file2: path.join('old', 's1') }))!;
    assert.ok(copy.matching_regions.length > 0);
    assert.match(copy.matching_regions[0]!.file2_code, /^\d+: .*\S/m, 'the archived side shows its code, read from the index');
    assert.ok(copy.llm_verdict, 'the local judge saw the archived source');
    // The HTML report marks the archived side.
    const html = run('compare', 'new', '--submissions', '--archive', 'old.idx', '--format', 'html').stdout;
    assert.match(html, /<li>Archive: 12 earlier submissions from old\.idx/);
    assert.match(html, new RegExp(`${path.join('old', 's1')} <span class="archive">archive</span>`));
    // The panel reads the report and knows the archived documents.
    const parsed = parseReport(JSON.parse(JSON.stringify(r)));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.deepEqual([...buildModel(parsed.value).archived].sort(), [...isArchived(r)].sort());
    // And from a zip of the same folder.
    const z = json('compare', 'new', '--submissions', '--archive', 'old.zip');
    assert.deepEqual(z.similarity.pairs.filter((p) => p.reported).map((p) => p.similarity_score), r.similarity.pairs.filter((p) => p.reported).map((p) => p.similarity_score));
  });

  it('marks archived documents in the CSV, and an index grows with archive add', () => {
    const rows = parseCsv(run('compare', 'new', '--submissions', '--archive', 'old.idx', '--format', 'csv').stdout);
    const a2 = PAIR_COLUMNS.indexOf('file2_archive');
    assert.ok(rows.slice(1).some((x) => x[1] === path.join('old', 's1') && x[a2] === 'true'));
    assert.ok(rows.slice(1).some((x) => x[1] === path.join('new', 'n3') && x[a2] === 'false'));
    const add = run('archive', 'add', 'old.idx', 'extra', '--workers', '0');
    assert.equal(add.status, 0, add.stderr);
    assert.match(add.stderr, /1 files added; it holds 13 files/);
    const info = JSON.parse(run('archive', 'info', 'old.idx').stdout) as { files: number; documents: number; submissions: boolean; sources: string[]; format: string };
    assert.deepEqual([info.format, info.files, info.documents, info.submissions, info.sources], ['code-origin-archive', 13, 13, true, ['old', 'extra']]);
    const r = json('compare', 'new', '--submissions', '--archive', 'old.idx');
    assert.ok(r.similarity.pairs.some((p) => p.reported && key(p) === key({ file1: path.join('new', 'n9'), file2: path.join('extra', 's9') })), 'the added submission is found');
  });

  it('refuses bad archives with exit 2 and a clear message, leaving other files untouched', () => {
    const expect2 = (re: RegExp, ...args: string[]) => {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
    };
    expect2(/--archive: no such file, folder or archive index: nowhere/, 'compare', 'new', '--archive', 'nowhere');
    expect2(/no such archive index: nowhere/, 'archive', 'add', 'nowhere', 'extra');
    expect2(/--archive: notes\.txt is not a folder, a \.zip, a source file or an archive index/, 'compare', 'new', '--archive', 'notes.txt');
    expect2(/no such file or folder: nowhere/, 'archive', 'build', 'nowhere', '-o', 'x.idx');
    // A file that is not an index: refused, never written over.
    const before = fs.readFileSync(path.join(dir, 'notes.txt'));
    expect2(/notes\.txt is not an archive index made by `code-origin archive build` \(left untouched\)/, 'archive', 'add', 'notes.txt', 'extra');
    expect2(/refusing to write the archive index to notes\.txt: it exists and is not a Code Origin archive index \(left untouched\)/, 'archive', 'build', 'extra', '-o', 'notes.txt');
    assert.deepEqual(fs.readFileSync(path.join(dir, 'notes.txt')), before);
    // A feature cache of ours is someone's working cache, not an index.
    assert.equal(run('compare', 'extra', '--cache', 'work.cache').status, 0);
    const cacheBytes = fs.readFileSync(path.join(dir, 'work.cache'));
    expect2(/work\.cache is a Code Origin feature cache, not an archive index/, 'compare', 'new', '--archive', 'work.cache');
    expect2(/work\.cache is a Code Origin feature cache, not an archive index/, 'archive', 'build', 'extra', '-o', 'work.cache');
    assert.deepEqual(fs.readFileSync(path.join(dir, 'work.cache')), cacheBytes);
    // A damaged index: its first bytes are ours, the rest is garbage.
    const bad = Buffer.from(fs.readFileSync(path.join(dir, 'old.idx')));
    bad.fill(0x5a, 100);
    fs.writeFileSync(path.join(dir, 'broken.idx'), bad);
    const damaged = Buffer.from(bad);
    expect2(/broken\.idx: the archive index is damaged \(left as it is\); build it again/, 'compare', 'new', '--archive', 'broken.idx');
    expect2(/broken\.idx: the archive index is damaged/, 'archive', 'add', 'broken.idx', 'extra');
    assert.deepEqual(fs.readFileSync(path.join(dir, 'broken.idx')), damaged, 'a damaged index is not rewritten by a comparison');
  });
});

describe('CSV fields', () => {
  it('quotes, doubles quotes, and guards formula starts', () => {
    assert.equal(csvField('plain/path.py'), 'plain/path.py');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('-x'), "'-x");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvField('\tx'), "'\tx");
    assert.equal(csvField(-0.5), '-0.5', 'numbers are numbers, not guarded');
    assert.equal(csvField(undefined), '');
    assert.equal(csvField(true), 'true');
  });
});
