// The judge's typed-array count table agrees with a Map under random adds and removals, growth, and
// keys that collide in their home slots.
import assert from 'node:assert/strict';
import { CountTable } from '../../server/src/judge/local/countTable';

describe('count table', () => {
  it('agrees with a Map over random adds and removals of 53-bit keys, through growth', () => {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const pool = Array.from({ length: 3000 }, () => Math.floor(rand() * 2 ** 21) * 2 ** 32 + Math.floor(rand() * 2 ** 32));
    const t = new CountTable(8);
    const m = new Map<number, number>();
    for (let step = 0; step < 60000; step++) {
      const k = pool[Math.floor(rand() * (step < 30000 ? pool.length : 300))]!;
      const n = rand() < 0.6 ? 1 + Math.floor(rand() * 3) : -(m.get(k) ?? 0) || 1;
      const old = t.add(k, n);
      assert.equal(old, m.get(k) ?? 0);
      const v = (m.get(k) ?? 0) + n;
      if (v === 0) m.delete(k);
      else m.set(k, v);
    }
    assert.equal(t.size, m.size);
    for (const k of pool) assert.equal(t.get(k), m.get(k) ?? 0);
  });

  it('keeps every key reachable when entries of one probe run are removed', () => {
    const t = new CountTable(4);
    // Keys that differ only above bit 32 and below: many share home slots in a small table.
    const keys = Array.from({ length: 40 }, (_, i) => (i % 5) * 2 ** 32 + (i % 8));
    const unique = [...new Set(keys)];
    for (const k of unique) t.add(k, 2);
    for (const k of unique.filter((_, i) => i % 3 === 0)) t.add(k, -2);
    unique.forEach((k, i) => assert.equal(t.get(k), i % 3 === 0 ? 0 : 2, `key ${k}`));
    assert.equal(t.size, unique.filter((_, i) => i % 3 !== 0).length);
  });
});
