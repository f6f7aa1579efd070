// Two processes writing one cache (issue 21, item 3): each write takes the cache file's lock, re-reads
// what the other wrote since and merges its own entries in, so no entry is lost. Deterministic
// interleavings through the modules (two openings of one cache stand for two processes), then real
// concurrent runs of the built CLI on disjoint halves of a folder, bounded in time and heap.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DocKeys } from '../../server/src/judge/local/context';
import { LocalJudgeStore, type VerdictEntry } from '../../server/src/judge/local/diskStore';
import { VerdictCache } from '../../server/src/judge/cache';
import { FeatureCache } from '../../server/src/similarity/cache';
import { DEFAULT_FEATURE_OPTIONS, featuresOfSource } from '../../server/src/similarity/features';
import { loadSqlJs } from '../../server/src/store/sqlite';
import { cacheOf, cli, cliAsync, writeSources } from './cacheHelpers';

const source = (i: number) => `def f${i}(xs):\n    t = 0\n    for x in xs:\n        if x > ${i}:\n            t += x * ${i}\n    return t\n`;
const keyOf = (i: number) => FeatureCache.key(source(i), 'python', DEFAULT_FEATURE_OPTIONS);

/** Rows of every shard of a feature cache, read from the files. */
async function storedEntries(cache: string): Promise<number> {
  const SQL = await loadSqlJs();
  let n = 0;
  for (const f of fs.readdirSync(`${cache}.features`).filter((x) => x.endsWith('.sqlite'))) {
    const db = new SQL.Database(fs.readFileSync(path.join(`${cache}.features`, f)));
    n += Number(db.exec('SELECT COUNT(*) FROM features')[0]!.values[0]![0]);
    db.close();
  }
  return n;
}

describe('robustness: two processes writing one cache lose no entries', function () {
  this.timeout(180_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-cache-concurrent-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('feature cache: both read, one writes, the other writes: every entry of both stays, and a prune drops only what its process saw', async () => {
    const file = path.join(dir, 'c.sqlite');
    const a = await FeatureCache.open(file);
    const b = await FeatureCache.open(file);
    for (let i = 0; i < 40; i++) (i % 2 ? b : a).put(keyOf(i), await featuresOfSource(source(i), 'python'));
    a.putMeta('run', new Uint8Array([1]));
    a.release();
    b.putMeta('other', new Uint8Array([2]));
    b.release();
    const c = await FeatureCache.open(file);
    const got = c.getMany(Array.from({ length: 40 }, (_, i) => keyOf(i)));
    assert.equal(got.filter(Boolean).length, 40, 'no entry lost');
    assert.deepEqual([...c.getMeta('run')!], [1]);
    assert.deepEqual([...c.getMeta('other')!], [2]);
    c.close();
    assert.equal(await storedEntries(file), 40);

    // A prune by one process while another adds entries to the same shard: the other's new entries survive it.
    const shard = FeatureCache.shardOf(keyOf(0));
    const same = Array.from({ length: 400 }, (_, i) => 200 + i).filter((i) => FeatureCache.shardOf(keyOf(i)) === shard).slice(0, 13);
    const fill = await FeatureCache.open(file);
    for (const i of same.slice(0, 12)) fill.put(keyOf(i), await featuresOfSource(source(i), 'python'));
    fill.release();
    const p = await FeatureCache.open(file);
    const q = await FeatureCache.open(file);
    for (const k of [keyOf(0), ...same.slice(0, 12).map(keyOf)]) assert.ok(p.get(k)); // one at a time: the shard stays open
    q.put(keyOf(same[12]!), await featuresOfSource(source(same[12]!), 'python'));
    q.release();
    assert.ok(p.prune(new Set([keyOf(0)])) >= 12);
    p.release();
    const r = await FeatureCache.open(file);
    assert.ok(r.get(keyOf(same[12]!)), 'added meanwhile by another process: kept');
    assert.ok(r.get(keyOf(0)));
    assert.equal(r.get(keyOf(same[0]!)), undefined, 'pruned');
    r.close();
  });

  it('verdict cache: both processes\' verdicts are kept', async () => {
    const file = path.join(dir, 'v.sqlite');
    const a = await VerdictCache.open(file);
    const b = await VerdictCache.open(file);
    const v = { classification: 'LIKELY_COPY', confidence: 'HIGH', algorithm_detected: null, reasoning: 'r', source: 'gemini' } as const;
    a.put('a', v);
    b.put('b', v);
    a.save();
    b.save();
    a.close();
    b.close();
    const c = await VerdictCache.open(file);
    assert.ok(c.get('a') && c.get('b'));
    c.close();
  });

  it('feature cache: a shard another process replaces while this one reads it is merged at the save, not overwritten', async () => {
    const file = path.join(dir, 'c.sqlite');
    const shard = FeatureCache.shardOf(keyOf(0));
    const [x, y, z] = Array.from({ length: 400 }, (_, i) => i).filter((i) => FeatureCache.shardOf(keyOf(i)) === shard);
    const first = await FeatureCache.open(file);
    first.put(keyOf(x!), await featuresOfSource(source(x!), 'python'));
    first.release();
    const a = await FeatureCache.open(file);
    const b = await FeatureCache.open(file);
    const featY = await featuresOfSource(source(y!), 'python');
    const shardFile = path.join(`${file}.features`, `${shard.toString(16)}.sqlite`);
    // The other process renames its version in just after this one read the file's bytes (a window as
    // long as the checks after reading, seconds under load): deterministic here.
    const read = fs.readFileSync;
    let fired = false;
    (fs as { readFileSync: typeof fs.readFileSync }).readFileSync = ((p: fs.PathOrFileDescriptor, o?: unknown) => {
      const data = read(p, o as undefined);
      if (!fired && p === shardFile) {
        fired = true;
        b.put(keyOf(y!), featY);
        b.release();
      }
      return data;
    }) as typeof fs.readFileSync;
    try {
      a.put(keyOf(z!), await featuresOfSource(source(z!), 'python'));
    } finally {
      (fs as { readFileSync: typeof fs.readFileSync }).readFileSync = read;
    }
    assert.ok(fired, 'the other process wrote while this one read');
    a.release();
    const c = await FeatureCache.open(file);
    assert.deepEqual(c.getMany([x!, y!, z!].map(keyOf)).map(Boolean), [true, true, true], 'every entry of both stays');
    c.close();
  });

  it("local judge store: a shard and the verdicts written by another process meanwhile keep the other's entries", () => {
    const store = path.join(dir, 'c.sqlite.judge');
    const keys = (n: number): DocKeys => ({ hashes: new Float64Array([n]), names: new Float64Array([n + 1]), lines: new Float64Array([n + 2]) });
    const verdict = (p: string): VerdictEntry => [p, 'd1', 'd2', { classification: 'LIKELY_COPY', confidence: 'HIGH', algorithm_detected: null, reasoning: p, source: 'local' }];
    const a = new LocalJudgeStore(store, 'v');
    const b = new LocalJudgeStore(store, 'v');
    const ka = Array.from({ length: 30 }, (_, i) => `python:a${i}`);
    const kb = Array.from({ length: 30 }, (_, i) => `python:b${i}`);
    ka.forEach((k, i) => a.getKeys(k) ?? a.putKeys(k, keys(i)));
    kb.forEach((k, i) => b.getKeys(k) ?? b.putKeys(k, keys(i)));
    a.verdict('pa', 'd1', 'd2');
    b.verdict('pb', 'd1', 'd2');
    a.saveKeys(new Set(ka));
    a.saveVerdicts([verdict('pa')]);
    b.saveKeys(new Set(kb));
    b.saveVerdicts([verdict('pb')]);
    const c = new LocalJudgeStore(store, 'v');
    for (const k of [...ka, ...kb]) assert.ok(c.getKeys(k), k);
    assert.ok(c.verdict('pa', 'd1', 'd2') && c.verdict('pb', 'd1', 'd2'));
    assert.deepEqual([...a.warnings, ...b.warnings, ...c.warnings], []);
  });

  it('two CLI runs at once on disjoint halves of a folder, one --cache: a third run finds every file cached', async () => {
    const src = path.join(dir, 'src');
    const half1 = path.join(src, 'one');
    const half2 = path.join(src, 'two');
    writeSources(half1, 60, 0);
    writeSources(half2, 60, 60);
    const cache = path.join(dir, 'shared.sqlite');
    // Both start together: each reads the empty cache, computes its half and writes while the other may be writing.
    const [r1, r2] = await Promise.all([cliAsync(['compare', half1, '--cache', cache]), cliAsync(['compare', half2, '--cache', cache])]);
    for (const r of [r1, r2]) assert.equal(r.status, 0, `${r.signal ?? ''} after ${r.ms} ms\n${r.stderr}`);
    assert.doesNotMatch(r1.stderr + r2.stderr, /warning/);
    const all = cli(['compare', half1, half2, '--cache', cache]);
    assert.equal(all.status, 0, all.stderr);
    assert.deepEqual({ hits: cacheOf(all.stdout)!.hits, misses: cacheOf(all.stdout)!.misses }, { hits: 120, misses: 0 });
    // One entry per distinct content (some generated files are equal).
    const contents = new Set([half1, half2].flatMap((d) => fs.readdirSync(d).map((f) => fs.readFileSync(path.join(d, f), 'utf8'))));
    assert.equal(await storedEntries(cache), contents.size);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => /\.lock$|\.tmp-/.test(f)), [], 'no lock or temp file left');
  });
});
