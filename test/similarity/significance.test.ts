// The report rule on fixed score distributions: a pair's significance against its class, and which
// pairs the rule reports (one function for the CLI, the editor and the HTML report).
import assert from 'node:assert/strict';
import { backgroundOf, isReported, levelNoise, nearCopyGroups, pairReported, reportRule, significanceOf, standoutOf, zRawFor, type Background } from '../../server/src/similarity/significance';

type Pair = [number, number, number];

/** Every pair of n documents, scored by `f` (a deterministic jitter keeps ties apart). */
function classOf(n: number, f: (i: number, j: number) => number): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([i, j, f(i, j)]);
  return out;
}
const jitter = (i: number, j: number) => (((i * 7919 + j * 104729) % 97) / 97 - 0.5);
const full = (n: number) => new Int32Array(n).fill(n - 1);
const reported = (bg: Background, pairs: Pair[]) => {
  const rule = reportRule(0.5, pairs.length);
  return pairs.filter(([i, j, s]) => isReported(s, significanceOf(bg, i, j, s), rule));
};
const rule = reportRule(0.5, 780);

describe('significance and the report rule', () => {
  it('a copy far above a quiet class is reported; the class is not', () => {
    const pairs = classOf(30, (i, j) => (i === 3 && j === 17 ? 0.62 : 0.03 + 0.02 * jitter(i, j)));
    const bg = backgroundOf(30, pairs, full(30));
    const z = significanceOf(bg, 3, 17, 0.62)!;
    assert.ok(z > 20, `copy significance ${z}`);
    assert.deepEqual(reported(bg, pairs).map(([i, j]) => [i, j]), [[3, 17]]);
  });

  it('independent solutions of a tiny task all score high: none stands out, none is reported', () => {
    const pairs = classOf(20, (i, j) => 0.65 + 0.1 * jitter(i, j));
    const bg = backgroundOf(20, pairs, full(20));
    assert.equal(reported(bg, pairs).length, 0);
    // ...while a real copy in the same class (near-identical) still is.
    const withCopy = pairs.map(([i, j, s]): Pair => [i, j, i === 0 && j === 1 ? 0.97 : s]);
    const bg2 = backgroundOf(20, withCopy, full(20));
    assert.deepEqual(reported(bg2, withCopy).map(([i, j]) => [i, j]), [[0, 1]]);
  });

  it('40% of the class copied one source: the copies raise no background of their own', () => {
    // Documents 0-7 (8 of 20) are the source and its copies: 0.7 among themselves; the rest 0.1.
    const ring = (i: number) => i < 8;
    const pairs = classOf(20, (i, j) => (ring(i) && ring(j) ? 0.7 + 0.05 * jitter(i, j) : 0.1 + 0.04 * jitter(i, j)));
    const bg = backgroundOf(20, pairs, full(20));
    const got = reported(bg, pairs);
    assert.equal(got.length, 28, 'every pair inside the ring');
    assert.ok(got.every(([i, j]) => ring(i) && ring(j)));
  });

  it('65% of the class copied one source: its pairs are left out of the background, so each copy pair stands out', () => {
    // Documents 0-12 (13 of 20): 0.75 among themselves, the class 0.1. Their 78 pairs are 41% of all.
    const ring = (i: number) => i < 13;
    const pairs = classOf(20, (i, j) => (ring(i) && ring(j) ? 0.75 + 0.05 * jitter(i, j) : 0.1 + 0.04 * jitter(i, j)));
    assert.ok(reported(backgroundOf(20, pairs, full(20)), pairs).length < 78, 'counted as background, the copies hide each other');
    const groupOf = nearCopyGroups(20, pairs);
    assert.equal(new Set(groupOf.slice(0, 13)).size, 1, 'one group of near-copies');
    const outside = Int32Array.from({ length: 20 }, (_, i) => 19 - (ring(i) ? 12 : 0));
    const got = reported(backgroundOf(20, pairs, outside, groupOf), pairs);
    assert.equal(got.length, 78, 'every pair inside the group');
    assert.ok(got.every(([i, j]) => ring(i) && ring(j)));
  });

  it('a document compared with few others must stand further out (its level is itself uncertain)', () => {
    assert.ok(levelNoise(8) > 1.09 && levelNoise(8) < 1.1);
    assert.ok(levelNoise(200) < 1.01);
  });

  it('below min_score, a pair far above its class is reported; under the floor only as each file\'s clear best partner', () => {
    // 1-2: 0.45, far above a quiet class. 5-6: 0.3 (a refactored copy) and each file's next best is
    // the class's ~0.025. 8-9: 0.3 as well, but 8 also scores 0.2 with 10 (a shared helper): 1.5×.
    const special: Record<string, number> = { '1,2': 0.45, '5,6': 0.3, '8,9': 0.3, '8,10': 0.2 };
    const pairs = classOf(40, (i, j) => special[`${i},${j}`] ?? 0.02 + 0.01 * jitter(i, j));
    const bg = backgroundOf(40, pairs, full(40));
    for (const [i, j, s] of [[5, 6, 0.3], [8, 9, 0.3]] as Pair[]) assert.ok(significanceOf(bg, i, j, s)! > rule.z_low, `${i}-${j} significant`);
    assert.ok(standoutOf(bg, 5, 6, 0.3)! > 10, 'the copy is each file\'s clear best');
    assert.ok(Math.abs(standoutOf(bg, 8, 9, 0.3)! - 1.5) < 1e-9, 'the helper\'s other partner');
    const got = pairs.filter(([i, j, s]) => isReported(s, significanceOf(bg, i, j, s), rule, standoutOf(bg, i, j, s)));
    assert.deepEqual(got.map(([i, j]) => [i, j]), [[1, 2], [5, 6]]);
    // A few shared lines, 0.14 in a class at 0.005: each other's clear best, but under z_standout of the
    // spread's minimum (the band's floor), so not reported.
    const quiet = classOf(40, (i, j) => (i === 12 && j === 13 ? 0.14 : 0.005 + 0.004 * jitter(i, j)));
    const qbg = backgroundOf(40, quiet, full(40));
    assert.ok(standoutOf(qbg, 12, 13, 0.14)! > rule.standout! && significanceOf(qbg, 12, 13, 0.14)! < rule.z_standout!);
    assert.equal(isReported(0.14, significanceOf(qbg, 12, 13, 0.14), rule, standoutOf(qbg, 12, 13, 0.14)), false);
    // Rules of older reports have no standout band: nothing under their floor.
    const { standout: _s, z_standout: _z, ...older } = rule;
    assert.equal(isReported(0.3, significanceOf(bg, 5, 6, 0.3), older, standoutOf(bg, 5, 6, 0.3)), false);
  });

  it('standout: a pair inside a group of near-copies, or with too little background, has none', () => {
    const pairs = classOf(6, (i, j) => (i < 3 && j < 3 ? 0.9 : 0.05 + 0.01 * jitter(i, j)));
    const groupOf = nearCopyGroups(6, pairs);
    const bg = backgroundOf(6, pairs, Int32Array.from({ length: 6 }, (_, i) => (i < 3 ? 3 : 5)), groupOf);
    assert.equal(standoutOf(bg, 0, 1, 0.9), undefined);
    assert.equal(standoutOf(backgroundOf(3, [[0, 1, 0.3]], full(3)), 0, 1, 0.3), undefined);
  });

  it('unscored pairs count as zeros, and a pair is not its own background', () => {
    // Only one pair scored among 50 documents: every other pair is 0.
    const bg = backgroundOf(50, [[0, 1, 0.55]], full(50));
    assert.equal(bg.median, 0);
    // 48 others each (the pair itself left out): the level's own uncertainty widens the unit a little.
    assert.equal(significanceOf(bg, 0, 1, 0.55), 0.55 / (bg.spread * levelNoise(48)));
    assert.ok(isReported(0.55, significanceOf(bg, 0, 1, 0.55), rule));
  });

  it('the bar for raw scores above min_score rises with the number of pairs compared', () => {
    assert.equal(zRawFor(1), 3);
    assert.equal(zRawFor(45), 3.76);
    assert.equal(zRawFor(19900), 5.45);
    assert.match(reportRule(0.5, 45).description, /significance ≥ 3\.76 \(1 \+ √\(2 ln 45 pairs\)\)/);
  });

  it('two or three documents have no background: the raw threshold decides', () => {
    const bg = backgroundOf(2, [[0, 1, 0.6]], full(2));
    assert.equal(significanceOf(bg, 0, 1, 0.6), undefined);
    assert.equal(isReported(0.6, undefined, rule), true);
    assert.equal(isReported(0.4, undefined, rule), false);
    // Reports without the engine's decision (older ones) fall back to min_score as well.
    assert.equal(pairReported({ similarity_score: 0.6 }, 0.5), true);
    assert.equal(pairReported({ similarity_score: 0.6, reported: false }, 0.5), false);
  });
});
