// The feature cache's files: entries round-trip (deflated) through shard files beside the main file, a
// damaged entry is a miss, a damaged shard is replaced, an old single-file cache is replaced, and pruning
// drops the entries of contents no longer in use once they outnumber a quarter of those in use.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FeatureCache, SHARDS } from '../../server/src/similarity/cache';
import { DEFAULT_FEATURE_OPTIONS, featuresOfSource, type FileFeatures } from '../../server/src/similarity/features';
import { PairMemory } from '../../server/src/similarity/pairMemory';
import { loadSqlJs } from '../../server/src/store/sqlite';

const variant = (i: number) => `def f${i}(xs):\n    total = 0\n    for x in xs:\n        if x > ${i}:\n            total += x * ${i}\n    return total\n`;
const shardFile = (file: string, key: string) => path.join(`${file}.features`, `${FeatureCache.shardOf(key).toString(16)}.sqlite`);
/** Puts the features of variants from..from+count-1 into the cache; their keys and features. */
async function fill(c: FeatureCache, from: number, count: number): Promise<{ keys: string[]; feats: FileFeatures[] }> {
  const keys: string[] = [];
  const feats: FileFeatures[] = [];
  for (let i = from; i < from + count; i++) {
    keys.push(FeatureCache.key(variant(i), 'python', DEFAULT_FEATURE_OPTIONS));
    feats.push(await featuresOfSource(variant(i), 'python'));
    c.put(keys.at(-1)!, feats.at(-1)!);
  }
  return { keys, feats };
}
const dirSize = (dir: string) => fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);

describe('feature cache', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-fcache-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips features through its shard file, and reads a damaged entry as a miss', async () => {
    const file = path.join(dir, 'a.sqlite');
    const feats = await featuresOfSource(variant(1), 'python');
    const key = FeatureCache.key(variant(1), 'python', DEFAULT_FEATURE_OPTIONS);
    const c = await FeatureCache.open(file);
    c.put(key, feats);
    c.release();
    // Only the key's shard was written.
    assert.deepEqual(fs.readdirSync(`${file}.features`), [path.basename(shardFile(file, key))]);
    const d = await FeatureCache.open(file);
    assert.deepEqual(d.get(key), feats);
    d.close();
    // Damage the entry in the shard file itself.
    const SQL = await loadSqlJs();
    const db = new SQL.Database(fs.readFileSync(shardFile(file, key)));
    db.run('UPDATE features SET data = ? WHERE key = ?', [new Uint8Array([1, 2, 3]), key]);
    fs.writeFileSync(shardFile(file, key), db.export());
    db.close();
    const e = await FeatureCache.open(file);
    assert.equal(e.get(key), undefined);
    assert.deepEqual([e.hits, e.misses], [0, 1]);
    e.close();
  });

  it('spreads entries over the shards and reads them back shard by shard; a damaged shard is replaced with a warning', async () => {
    const file = path.join(dir, 'm.sqlite');
    const c = await FeatureCache.open(file);
    const { keys, feats } = await fill(c, 0, 64);
    c.release();
    const written = fs.readdirSync(`${file}.features`);
    assert.ok(written.length > SHARDS / 2, `${written.length} shards`);
    const d = await FeatureCache.open(file);
    const got = d.getMany(keys);
    got.forEach((f, i) => assert.deepEqual(f, feats[i]));
    assert.equal(d.hits, 64);
    d.close();
    // A shard that is not a database: its entries are misses, the others still hits, and it is replaced.
    fs.writeFileSync(shardFile(file, keys[0]!), 'not a database');
    const lost = keys.filter((k) => FeatureCache.shardOf(k) === FeatureCache.shardOf(keys[0]!)).length;
    const e = await FeatureCache.open(file);
    const again = e.getMany(keys);
    assert.equal(again.filter((f) => f === undefined).length, lost);
    assert.equal(e.hits, 64 - lost);
    assert.equal(e.warnings.length, 1);
    assert.match(e.warnings[0]!, /damaged.*replaced by a new one/);
    e.close();
    const f = await FeatureCache.open(file);
    f.getMany(keys);
    assert.deepEqual(f.warnings, []);
    f.close();
  });

  it('replaces a cache written before shards (and before the format mark) with a warning', async () => {
    const file = path.join(dir, 'old.sqlite');
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE features (key TEXT PRIMARY KEY, data BLOB NOT NULL)');
    db.run('INSERT INTO features VALUES (?, ?)', ['k', new Uint8Array(200_000).fill(7)]);
    fs.writeFileSync(file, db.export());
    db.close();
    const before = fs.statSync(file).size;
    const c = await FeatureCache.open(file);
    assert.match(c.warnings[0] ?? '', /written by another version of Code Origin; replaced/);
    c.putMeta('run', new Uint8Array([1]));
    c.release();
    assert.ok(fs.statSync(file).size < before / 10, `${fs.statSync(file).size} vs ${before}`);
    const d = await FeatureCache.open(file);
    assert.deepEqual([...d.getMeta('run')!], [1]);
    d.close();
  });

  it('prunes entries no longer in use once they outnumber a quarter of those in use, and the files shrink', async () => {
    const file = path.join(dir, 'b.sqlite');
    const c = await FeatureCache.open(file);
    const { keys } = await fill(c, 0, 400);
    c.save();
    const before = dirSize(`${file}.features`);
    assert.equal(c.prune(new Set(keys.slice(0, 300))), 0, 'a quarter or less unused: kept');
    assert.equal(c.prune(new Set(keys.slice(0, 20))), 380);
    c.release();
    assert.ok(dirSize(`${file}.features`) < before / 2, `${dirSize(`${file}.features`)} vs ${before}`);
    const d = await FeatureCache.open(file);
    assert.ok(d.get(keys[5]!));
    assert.equal(d.get(keys[50]!), undefined);
    d.close();
  });

  it('keeps the pair scores in a file of their own: they round-trip for their context only, and a damaged file is a miss', async () => {
    const file = path.join(dir, 'pairs.sqlite');
    const docs = ['d0', 'd1', 'd2', 'd3'];
    const m = new PairMemory('ctx-1');
    m.update(docs, [[0, 1, { score: 0.91, ast: 0.9, cfg: 0.8, dataflow: 1 }], [2, 3, { score: 1 / 3, ast: 0.25, cfg: 0.5, dataflow: 0.125 }]]);
    const c = await FeatureCache.open(file);
    m.persist(c);
    c.release();
    assert.ok(fs.existsSync(`${file}.pairs`));
    const seen = (mem: PairMemory) => {
      const out: string[] = [];
      mem.pairsAmong(docs, mem.knownOf(docs), (i, j, s) => out.push(`${i}-${j} ${s.score} ${s.ast} ${s.cfg} ${s.dataflow}`));
      return out.sort();
    };
    const d = await FeatureCache.open(file);
    const back = PairMemory.load(d, 'ctx-1');
    assert.ok(back);
    assert.deepEqual(seen(back), seen(m));
    assert.deepEqual(seen(back), ['0-1 0.91 0.9 0.8 1', `2-3 ${1 / 3} 0.25 0.5 0.125`]);
    assert.equal(PairMemory.load(d, 'ctx-2'), undefined, 'another context');
    // Cut short (a crash cannot do this: the file is replaced whole), read as a miss, not garbage.
    fs.truncateSync(`${file}.pairs`, fs.statSync(`${file}.pairs`).size - 8);
    assert.equal(PairMemory.load(d, 'ctx-1'), undefined);
    d.close();
  });

  it('prunes only the shards a run opened', async () => {
    const file = path.join(dir, 'p.sqlite');
    const c = await FeatureCache.open(file);
    const { keys } = await fill(c, 1000, 200);
    c.release();
    const d = await FeatureCache.open(file);
    // One lookup opens one shard: only its entries can be dropped.
    assert.ok(d.get(keys[0]!));
    const inShard = keys.filter((k) => FeatureCache.shardOf(k) === FeatureCache.shardOf(keys[0]!)).length;
    assert.equal(d.prune(new Set([keys[0]!])), inShard - 1);
    d.release();
    const e = await FeatureCache.open(file);
    assert.equal(e.getMany(keys).filter(Boolean).length, 200 - (inShard - 1));
    e.close();
  });
});
