// An archive index's saved postings (format 2, `FILE.postings`): a query that merges them with the new
// documents' gives exactly the report of a query that parses the archived folder (pairs, scores, reported
// flags, significance, common-code description), also after `archive add` replaces an entry, with an
// archived submission left out as a new one, from a format-1 index (no postings) and from a damaged
// postings file. The merge itself equals the postings built from the sets, with documents left out.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mergeStored } from '../../server/src/similarity/archivePostings';
import { Postings } from '../../server/src/similarity/candidates';
import { FeatureCache } from '../../server/src/similarity/cache';
import { disguise, program } from '../similarity/classGen';
import { writeFiles } from './gradeFixtures';

const CLI = path.resolve('dist/cli.js');

interface Report {
  similarity: { pairs: Array<{ file1: string; file2: string; similarity_score: number; reported?: boolean; significance?: number }> };
  summary: Record<string, unknown>;
  metadata: { common?: unknown; archive?: { sources: string[] } };
}

/** What must not change with where the archive's postings come from. */
function essence(r: Report) {
  return {
    pairs: r.similarity.pairs.map((p) => [p.file1, p.file2, p.similarity_score, !!p.reported, p.significance]),
    summary: r.summary, common: r.metadata.common, archive: { ...r.metadata.archive, sources: undefined },
  };
}

// Boilerplate shared by most files, so the common-code filter has something to leave out.
const boiler = '\n\ndef read_ints():\n    import sys\n    return [int(x) for x in sys.stdin.readline().split()]\n\n\ndef clamp(v, lo, hi):\n'
  + '    if v < lo:\n        return lo\n    if v > hi:\n        return hi\n    return v\n';

describe('archive index: saved postings', function () {
  this.timeout(300_000);
  let dir: string;
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir });
  const query = (archive: string, ...extra: string[]) => {
    const r = run('compare', 'new', '--submissions', '--archive', archive, '--judge', 'off', '--common-min-docs', '3', ...extra);
    assert.equal(r.status, 0, r.stderr);
    return { report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
  };
  const same = (fromIndex: Report, fromFolder: Report) => {
    assert.ok(fromFolder.similarity.pairs.some((p) => p.reported), 'the fixture reports pairs');
    assert.deepEqual(essence(fromIndex), essence(fromFolder));
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-postings-'));
    const files: Record<string, string> = {
      'old/s1/main.py': program(1) + boiler, 'new/n1/main.py': disguise(program(1), 3) + boiler, // copied from the archive
      // Copies inside the archive (never paired), both copied again.
      'old/s4/main.py': program(4), 'old/s5/main.py': disguise(program(4), 1), 'new/n4/main.py': disguise(program(4), 2),
      'new/n2/main.py': program(6) + boiler, 'new/n3/main.py': disguise(program(6), 5) + boiler, // from each other
      // A two-file submission.
      'old/s6/a.py': program(7) + boiler, 'old/s6/b.py': program(8),
    };
    for (let i = 0; i < 12; i++) {
      files[`old/u${i}/main.py`] = program(100 + i) + boiler;
      files[`new/v${i}/main.py`] = program(200 + i) + (i % 2 ? boiler : '');
    }
    writeFiles(dir, files);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the report of the archived folder, parsed, from the saved postings', () => {
    const b = run('archive', 'build', 'old', '--submissions', '-o', 'old.idx');
    assert.equal(b.status, 0, b.stderr);
    assert.ok(fs.statSync(path.join(dir, 'old.idx.postings')).size > 0, 'the postings are saved beside the index');
    const info = JSON.parse(run('archive', 'info', 'old.idx').stdout) as { version: number; postings?: { file: string } };
    assert.equal(info.version, 2);
    assert.equal(info.postings?.file, 'old.idx.postings');
    const idx = query('old.idx');
    assert.doesNotMatch(idx.stderr, /postings/, 'the saved postings were used');
    same(idx.report, query('old').report);
    const common = idx.report.metadata.common as { ignored: Record<string, number> };
    assert.ok(Object.values(common.ignored).some((n) => n > 0), `the common-code filter left evidence out: ${JSON.stringify(common)}`);
    const copy = idx.report.similarity.pairs.find((p) => p.file1 === path.join('new', 'n1') && p.file2 === path.join('old', 's1'));
    assert.ok(copy?.reported, 'the copy from the archive is reported');
    // --cross and --all-pairs read the same postings.
    same(query('old.idx', '--all-pairs').report, query('old', '--all-pairs').report);
  });

  it('leaves out an archived submission named as a new one, as the folder query does', () => {
    fs.mkdirSync(path.join(dir, 'new', 's1'));
    fs.writeFileSync(path.join(dir, 'new', 's1', 'main.py'), program(2) + boiler);
    try {
      const idx = query('old.idx');
      assert.doesNotMatch(idx.stderr, /postings/);
      same(idx.report, query('old').report);
    } finally {
      fs.rmSync(path.join(dir, 'new', 's1'), { recursive: true });
    }
  });

  it('updates the saved postings when archive add replaces an entry', () => {
    // u3 becomes a copy of a new submission; s6 loses a file's worth of evidence to a new text.
    fs.writeFileSync(path.join(dir, 'old', 'u3', 'main.py'), disguise(program(203), 7) + boiler);
    fs.writeFileSync(path.join(dir, 'old', 's6', 'b.py'), program(9) + boiler);
    const add = run('archive', 'add', 'old.idx', 'old');
    assert.equal(add.status, 0, add.stderr);
    assert.match(add.stderr, /0 files added, 17 replaced/);
    const idx = query('old.idx');
    assert.doesNotMatch(idx.stderr, /postings/, 'the postings written by add match the replaced entries');
    const folder = query('old').report;
    same(idx.report, folder);
    assert.ok(folder.similarity.pairs.some((p) => p.reported && p.file2 === path.join('old', 'u3')), 'the replaced entry is found');
    // An add of other paths: the entries it leaves are read back from the shards for the postings.
    writeFiles(dir, { 'extra/s9/main.py': program(9) + boiler, 'new/n9/main.py': disguise(program(9), 4) });
    try {
      const more = run('archive', 'add', 'old.idx', 'extra');
      assert.equal(more.status, 0, more.stderr);
      const grown = query('old.idx');
      assert.doesNotMatch(grown.stderr, /postings/);
      const folders = query('old', '--archive', 'extra').report;
      same(grown.report, folders);
      assert.ok(folders.similarity.pairs.some((p) => p.reported && p.file2 === path.join('extra', 's9')), 'the added submission is found');
    } finally {
      fs.rmSync(path.join(dir, 'new', 'n9'), { recursive: true });
    }
  });

  it('reads a format-1 index (no postings) and a damaged postings file, computing the postings as before', async () => {
    const folder = query('old', '--archive', 'extra').report;
    // Damaged: one byte of the first section.
    const file = path.join(dir, 'old.idx.postings');
    const good = fs.readFileSync(file);
    const bad = Buffer.from(good);
    bad[30] = bad[30]! ^ 0xff;
    fs.writeFileSync(file, bad);
    const damaged = query('old.idx');
    assert.match(damaged.stderr, /old\.idx: .*the fp postings are damaged; the postings are computed again/);
    same(damaged.report, folder);
    // Crafted: the prelude names a header of 1 TiB (nothing is allocated past the file's size).
    const huge = Buffer.from(good);
    huge.writeBigUInt64LE(1n << 40n, 16);
    fs.writeFileSync(file, huge);
    const crafted = query('old.idx');
    assert.match(crafted.stderr, /old\.idx: .*truncated or damaged.*the postings are computed/);
    same(crafted.report, folder);
    fs.writeFileSync(file, good);
    // Format 1: the manifest as it was before postings, and no file.
    const cache = await FeatureCache.open(path.join(dir, 'old.idx'));
    const m = JSON.parse(Buffer.from(cache.getMeta('archive')!).toString('utf8')) as { version: number; postings?: unknown };
    m.version = 1;
    delete m.postings;
    cache.putMeta('archive', Buffer.from(JSON.stringify(m), 'utf8'));
    cache.release();
    fs.rmSync(file);
    const v1 = query('old.idx');
    assert.match(v1.stderr, /old\.idx: an index of format 1 holds no postings: they are computed over the whole archive on every query/);
    same(v1.report, folder);
    // An add upgrades it.
    const add = run('archive', 'add', 'old.idx', 'old');
    assert.equal(add.status, 0, add.stderr);
    assert.equal((JSON.parse(run('archive', 'info', 'old.idx').stdout) as { version: number }).version, 2);
    const v2 = query('old.idx');
    assert.doesNotMatch(v2.stderr, /postings/);
    same(v2.report, folder);
  });
});

describe('mergeStored', () => {
  it('equals the postings built from the sets, with archived documents left out', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const set = (size: number, range: number) => Float64Array.from(new Set(Array.from({ length: size }, () => Math.floor(rnd() * range) * 1e6 + 0.5 * 0))).sort();
    const archived = Array.from({ length: 40 }, (_, i) => set(i % 7 === 0 ? 0 : 5 + (i % 30), 200));
    const fresh = Array.from({ length: 6 }, () => set(25, 260));
    const stored = new Postings(archived);
    for (const keep of [archived.map((_, i) => i), archived.map((_, i) => i).filter((i) => i % 3 !== 1), [] as number[]]) {
      const sets = [...fresh, ...keep.map((i) => archived[i]!)];
      const want = new Postings(sets);
      const got = mergeStored(fresh, stored, archived.length, Int32Array.from(keep), keep.map((i) => archived[i]!));
      assert.deepEqual([...got.keys], [...want.keys]);
      assert.deepEqual([...got.start], [...want.start]);
      assert.deepEqual([...got.docs], [...want.docs]);
      assert.deepEqual(got.kidsOf.map((k) => [...k]), want.kidsOf.map((k) => [...k]));
    }
    // Sets that do not match the stored ones are refused.
    assert.throws(() => mergeStored(fresh, stored, archived.length, Int32Array.from([1, 2]), [archived[1]!, archived[3]!]), /do not match/);
  });
});
