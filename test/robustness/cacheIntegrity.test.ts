// Damaged caches (issue 21, item 2) and caches of another format: bit flips in the stored entries of a real
// cache from a real run — through the database (every feature entry) and raw in every file of the cache —
// are warnings and recomputes, and the report is the one of a cold run; a cache of another format is
// replaced with a warning. Real runs of the built CLI, bounded in time and heap.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VerdictCache } from '../../server/src/judge/cache';
import type { Verdict } from '../../server/src/judge/types';
import { probe, SQLITE_APP_IDS } from '../../server/src/store/cacheFile';
import { loadSqlJs } from '../../server/src/store/sqlite';
import { cacheOf, cli, stable, writeSources } from './cacheHelpers';

/** Real code of several languages and generated Python with copies among it. */
function inputs(dir: string): string {
  const src = path.join(dir, 'src');
  fs.cpSync('examples', path.join(src, 'examples'), { recursive: true });
  fs.cpSync('test/fixtures/similarity', path.join(src, 'fixtures'), { recursive: true });
  writeSources(path.join(src, 'gen'), 30);
  return src;
}

/** Every file of a cache (main, shards, pair scores, the judge's store). */
function cacheFiles(cache: string): string[] {
  const files = [cache, `${cache}.pairs`];
  for (const d of [`${cache}.features`, `${cache}.judge`]) if (fs.existsSync(d)) files.push(...fs.readdirSync(d).map((f) => path.join(d, f)));
  return files.filter((f) => fs.existsSync(f));
}

/** A small deterministic generator, so a failing flip can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('robustness: damaged caches and caches of another format', function () {
  this.timeout(180_000);
  let dir: string;
  let src: string;
  let cold: unknown;
  let files: number;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-cache-integrity-'));
    src = inputs(dir);
    const r = cli(['compare', src, '--min-score', '0.3']);
    assert.equal(r.status, 0, r.stderr);
    cold = stable(r.stdout);
    files = (JSON.parse(r.stdout) as { files: unknown[] }).files.length;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A fresh cache filled by a run whose report is the cold run's. */
  function filled(name: string): string {
    const cache = path.join(dir, name);
    const r = cli(['compare', src, '--min-score', '0.3', '--cache', cache]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(stable(r.stdout), cold);
    return cache;
  }

  it('a flipped byte in every stored feature entry: one warning per shard, every entry recomputed, the cold report, then a clean cache', async () => {
    const cache = filled('flip-entries.sqlite');
    const SQL = await loadSqlJs();
    const next = rng(1);
    let flipped = 0;
    for (const f of fs.readdirSync(`${cache}.features`)) {
      const file = path.join(`${cache}.features`, f);
      const db = new SQL.Database(fs.readFileSync(file));
      for (const [key, data] of db.exec('SELECT key, data FROM features')[0]!.values as Array<[string, Uint8Array]>) {
        const b = Uint8Array.from(data);
        b[Math.floor(next() * b.length)]! ^= 1 << Math.floor(next() * 8);
        db.run('UPDATE features SET data = ? WHERE key = ?', [b, key]);
        flipped++;
      }
      fs.writeFileSync(file, db.export());
      db.close();
    }
    assert.ok(flipped >= files, `${flipped} entries flipped`);
    const r = cli(['compare', src, '--min-score', '0.3', '--cache', cache]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(stable(r.stdout), cold, 'a damaged entry never changes a result');
    const c = cacheOf(r.stdout)!;
    assert.equal(c.hits, 0, 'no damaged entry was used');
    assert.match(r.stderr, /warning: cache .*\.sqlite: \d+ damaged (entry|entries) ignored and computed again/);
    const again = cli(['compare', src, '--min-score', '0.3', '--cache', cache]);
    assert.deepEqual(stable(again.stdout), cold);
    assert.equal(cacheOf(again.stdout)!.hits, files, 'recomputed entries were written back');
    assert.doesNotMatch(again.stderr, /warning/);
  });

  // CO_FLIP_SEEDS=5,6,7... runs more flips (a longer sweep than the suite's three).
  const seeds = process.env.CO_FLIP_SEEDS ? process.env.CO_FLIP_SEEDS.split(',').map(Number) : [2, 3, 4];
  for (const seed of seeds) {
    it(`raw bit flips in every file of the cache (seed ${seed}): the cold report, with warnings`, () => {
      const cache = filled(`flip-raw-${seed}.sqlite`);
      const next = rng(seed);
      for (const f of cacheFiles(cache)) {
        const b = fs.readFileSync(f);
        // Past the headers (which are refused or replaced, tested elsewhere): into the stored bytes.
        const from = Math.min(b.length - 1, 128);
        for (let k = 0; k < 4; k++) b[from + Math.floor(next() * (b.length - from))]! ^= 1 << Math.floor(next() * 8);
        fs.writeFileSync(f, b);
      }
      const r = cli(['compare', src, '--min-score', '0.3', '--cache', cache]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(stable(r.stdout), cold, 'damaged files never change a result');
      assert.match(r.stderr, /warning: /);
      const again = cli(['compare', src, '--min-score', '0.3', '--cache', cache]);
      assert.equal(again.status, 0, again.stderr);
      assert.deepEqual(stable(again.stdout), cold);
    });
  }

  it('flipped bits in the headers of the files beside the main file: replaced or recomputed, the cold report; in the main file: refused, untouched', () => {
    const cache = filled('flip-head.sqlite');
    const next = rng(9);
    const beside = cacheFiles(cache).filter((f) => f !== cache);
    for (const f of beside) {
      const b = fs.readFileSync(f);
      b[Math.floor(next() * Math.min(b.length, 100))]! ^= 1 << Math.floor(next() * 8);
      fs.writeFileSync(f, b);
    }
    const r = cli(['compare', src, '--min-score', '0.3', '--cache', cache]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(stable(r.stdout), cold);
    const b = fs.readFileSync(cache);
    b[69]! ^= 0x10; // application_id
    fs.writeFileSync(cache, b);
    const refused = cli(['compare', src, '--cache', cache]);
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /refusing to use .*flip-head\.sqlite as a cache/);
    assert.deepEqual(fs.readFileSync(cache), b);
  });

  it('a cache of an older format (unmarked databases, the first layout) is replaced with a warning', async () => {
    const cache = path.join(dir, 'legacy.sqlite');
    const SQL = await loadSqlJs();
    const main = new SQL.Database();
    main.run('CREATE TABLE meta (key TEXT PRIMARY KEY, data BLOB NOT NULL)');
    main.run('CREATE TABLE features (key TEXT PRIMARY KEY, data BLOB NOT NULL)');
    main.run("INSERT INTO meta VALUES ('run', x'00ff')");
    fs.writeFileSync(cache, main.export());
    main.close();
    fs.mkdirSync(`${cache}.features`);
    const shard = new SQL.Database();
    shard.run('CREATE TABLE features (key TEXT PRIMARY KEY, data BLOB NOT NULL)');
    fs.writeFileSync(path.join(`${cache}.features`, '0.sqlite'), shard.export());
    shard.close();
    fs.writeFileSync(`${cache}.pairs`, Buffer.from([3, 0, 0, 0, 0x61, 0x62, 0x63, 1, 2, 3]));
    const r = cli(['compare', src, '--min-score', '0.3', '--cache', cache]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: cache .*legacy\.sqlite was written by another version of Code Origin; replaced by a new one/);
    assert.deepEqual(stable(r.stdout), cold);
    assert.deepEqual(probe(cache, SQLITE_APP_IDS.featureMain), { what: 'ours', version: 2 });
    assert.equal(cacheOf(cli(['compare', src, '--min-score', '0.3', '--cache', cache]).stdout)!.hits, files);
  });

  it('a cache of ours with another format version is replaced with a warning', () => {
    const cache = filled('version.sqlite');
    const b = fs.readFileSync(cache);
    b.writeUInt32BE(99, 60); // user_version
    fs.writeFileSync(cache, b);
    const r = cli(['compare', src, '--min-score', '0.3', '--cache', cache]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /version\.sqlite was written by another version of Code Origin; replaced/);
    assert.deepEqual(stable(r.stdout), cold);
    assert.deepEqual(probe(cache, SQLITE_APP_IDS.featureMain), { what: 'ours', version: 2 });
  });

  it('a lock left by a process that died does not block the cache', () => {
    const cache = path.join(dir, 'locked.sqlite');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.writeFileSync(`${cache}.lock`, `${dead}@${os.hostname()}`);
    const r = cli(['compare', src, '--min-score', '0.3', '--cache', cache]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    assert.ok(!fs.existsSync(`${cache}.lock`));
    assert.equal(cacheOf(cli(['compare', src, '--min-score', '0.3', '--cache', cache]).stdout)!.hits, files);
  });

  describe('the verdict cache (--judge-cache)', () => {
    const verdict: Verdict = { classification: 'LIKELY_COPY', confidence: 'HIGH', algorithm_detected: null, reasoning: 'same code', source: 'gemini' };

    it('a damaged verdict is a warning and a miss; the others are served', async () => {
      const file = path.join(dir, 'verdicts.sqlite');
      const c = await VerdictCache.open(file);
      c.put('k1', verdict);
      c.put('k2', { ...verdict, reasoning: 'other' });
      c.save();
      c.close();
      const SQL = await loadSqlJs();
      const db = new SQL.Database(fs.readFileSync(file));
      const text = String(db.exec("SELECT verdict FROM verdicts WHERE key = 'k1'")[0]!.values[0]![0]);
      db.run("UPDATE verdicts SET verdict = ? WHERE key = 'k1'", [text.replace('LIKELY_COPY', 'LIKELY_COPX')]);
      fs.writeFileSync(file, db.export());
      db.close();
      const d = await VerdictCache.open(file);
      assert.equal(d.get('k1'), undefined);
      assert.equal(d.get('k2')?.reasoning, 'other');
      assert.match(d.warnings.join('\n'), /a damaged verdict was ignored/);
      d.close();
    });

    it('an older verdict cache (unmarked) is replaced with a warning; another database is refused', async () => {
      const SQL = await loadSqlJs();
      const old = new SQL.Database();
      old.run('CREATE TABLE verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL, created TEXT NOT NULL)');
      old.run("INSERT INTO verdicts VALUES ('k', '{}', 'then')");
      const file = path.join(dir, 'old-verdicts.sqlite');
      fs.writeFileSync(file, old.export());
      old.close();
      const c = await VerdictCache.open(file);
      assert.match(c.warning ?? '', /verdict cache .* was written by another version of Code Origin; replaced/);
      assert.equal(c.get('k'), undefined);
      c.put('k', verdict);
      c.save();
      c.close();
      assert.deepEqual(probe(file, SQLITE_APP_IDS.verdicts), { what: 'ours', version: 2 });
      const other = path.join(dir, 'other.sqlite');
      const o = new SQL.Database();
      o.run('CREATE TABLE notes (id INTEGER)');
      fs.writeFileSync(other, o.export());
      o.close();
      const before = fs.readFileSync(other);
      await assert.rejects(VerdictCache.open(other), /refusing to use .*other\.sqlite as a verdict cache/);
      assert.deepEqual(fs.readFileSync(other), before);
    });
  });
});
