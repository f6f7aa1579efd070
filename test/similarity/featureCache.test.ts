// The feature cache's file: entries round-trip (deflated), a damaged entry is a miss, and pruning drops
// the entries of contents no longer in use once they outnumber a quarter of those in use.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FeatureCache } from '../../server/src/similarity/cache';
import { DEFAULT_FEATURE_OPTIONS, featuresOfSource } from '../../server/src/similarity/features';

const variant = (i: number) => `def f${i}(xs):\n    total = 0\n    for x in xs:\n        if x > ${i}:\n            total += x * ${i}\n    return total\n`;

describe('feature cache', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-fcache-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips features through the file, and reads a damaged entry as a miss', async () => {
    const file = path.join(dir, 'a.sqlite');
    const feats = await featuresOfSource(variant(1), 'python');
    const key = FeatureCache.key(variant(1), 'python', DEFAULT_FEATURE_OPTIONS);
    const c = await FeatureCache.open(file);
    c.put(key, feats);
    c.save();
    c.close();
    const d = await FeatureCache.open(file);
    assert.deepEqual(d.get(key), feats);
    d['db'].run('UPDATE features SET data = ? WHERE key = ?', [new Uint8Array([1, 2, 3]), key]);
    assert.equal(d.get(key), undefined);
    assert.equal(d.hits, 1);
    assert.equal(d.misses, 1);
    d.close();
  });

  it('prunes entries no longer in use once they outnumber a quarter of those in use, and the file shrinks', async () => {
    const file = path.join(dir, 'b.sqlite');
    const c = await FeatureCache.open(file);
    const keys: string[] = [];
    for (let i = 0; i < 200; i++) {
      keys.push(FeatureCache.key(variant(i), 'python', DEFAULT_FEATURE_OPTIONS));
      c.put(keys[i]!, await featuresOfSource(variant(i), 'python'));
    }
    c.save();
    const before = fs.statSync(file).size;
    assert.equal(c.prune(new Set(keys.slice(0, 150))), 0, 'a quarter or less unused: kept');
    assert.equal(c.prune(new Set(keys.slice(0, 20))), 180);
    c.save();
    c.close();
    assert.ok(fs.statSync(file).size < before / 3, `${fs.statSync(file).size} vs ${before}`);
    const d = await FeatureCache.open(file);
    assert.ok(d.get(keys[5]!));
    assert.equal(d.get(keys[50]!), undefined);
    d.close();
  });
});
