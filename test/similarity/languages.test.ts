// Per language: a renamed, reformatted copy scores >= 0.9 with exact matching regions, and an
// unrelated program scores < 0.3. Fixtures are ours (test/fixtures/similarity/<language>).
import assert from 'node:assert/strict';
import path from 'node:path';
import { compare } from '../../server/src/similarity/engine';

const DIR = path.resolve('test/fixtures/similarity');

/** Expected regions of the copy pair: [copy lines, original lines], one-based and inclusive. */
const CASES: Record<string, { copy: string; original: string; unrelated: string; regions: Array<[[number, number], [number, number]]> }> = {
  python: { copy: 'copy.py', original: 'original.py', unrelated: 'unrelated.py', regions: [[[2, 6], [1, 5]], [[8, 17], [8, 16]], [[19, 29], [19, 29]]] },
  javascript: { copy: 'copy.js', original: 'original.js', unrelated: 'unrelated.js', regions: [[[2, 27], [1, 30]]] },
  typescript: { copy: 'copy.ts', original: 'original.ts', unrelated: 'unrelated.ts', regions: [[[1, 4], [1, 4]], [[7, 24], [6, 29]]] },
  java: { copy: 'Copy.java', original: 'Original.java', unrelated: 'Unrelated.java', regions: [[[5, 28], [4, 34]]] },
  c: { copy: 'copy.c', original: 'original.c', unrelated: 'unrelated.c', regions: [[[5, 44], [4, 36]]] },
  cpp: { copy: 'copy.cpp', original: 'original.cpp', unrelated: 'unrelated.cpp', regions: [[[4, 35], [4, 37]]] },
  go: { copy: 'copy.go', original: 'original.go', unrelated: 'unrelated.go', regions: [[[9, 41], [8, 40]]] },
  rust: { copy: 'copy.rs', original: 'original.rs', unrelated: 'unrelated.rs', regions: [[[4, 28], [3, 37]]] },
};

describe('similarity per language', () => {
  for (const [lang, c] of Object.entries(CASES)) {
    it(`${lang}: renamed copy >= 0.9 with exact regions, unrelated < 0.3`, async () => {
      const files = [c.copy, c.original, c.unrelated].map((f) => path.join(DIR, lang, f));
      const r = await compare({ inputs: files, allPairs: true });
      assert.equal(r.files.filter((f) => f.error).length, 0);
      const find = (a: string, b: string) => r.similarity.pairs.find((p) =>
        (p.file1.endsWith(a) && p.file2.endsWith(b)) || (p.file1.endsWith(b) && p.file2.endsWith(a)))!;
      const copy = find(c.copy, c.original);
      assert.ok(copy.similarity_score >= 0.9, `copy scored ${copy.similarity_score}`);
      assert.ok(copy.file1.endsWith(c.copy));
      assert.deepEqual(copy.matching_regions.map((m) => [m.file1_lines, m.file2_lines]), c.regions);
      // The numbered code of each region starts at its first line.
      assert.ok(copy.matching_regions[0]!.file1_code.startsWith(`${c.regions[0]![0][0]}: `));
      for (const other of [c.copy, c.original]) {
        const u = find(other, c.unrelated);
        assert.ok(u.similarity_score < 0.3, `${other} vs unrelated scored ${u.similarity_score}`);
      }
    });
  }
});
