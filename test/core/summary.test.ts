// Exact structure metrics per language on fixtures we wrote and counted by hand.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { summarizeSource } from '../../server/src/core/analyze';
import { languageFromPath } from '../../server/src/core/languages';
import type { StructureMetrics } from '../../server/src/core/summary';

const FIXTURES = path.resolve('test/fixtures/core');

type Counts = Pick<StructureMetrics, 'function_count' | 'class_count' | 'loop_count' | 'if_count' | 'basic_cyclomatic_complexity' | 'lines_of_code' | 'total_lines'>;

interface Expected {
  file: Counts;
  functions: Array<{ name: string; start_line: number; end_line: number; complexity: number }>;
}

// Decision points counted by hand in each fixture (see the comments in the expectations).
const EXPECTED: Record<string, Expected> = {
  // for, if, elif, and, or, while, conditional expression: 7 decisions (comprehension clauses do not count).
  'sample.py': {
    file: { function_count: 2, class_count: 1, loop_count: 2, if_count: 2, basic_cyclomatic_complexity: 8, lines_of_code: 13, total_lines: 16 },
    functions: [{ name: 'area', start_line: 3, end_line: 4, complexity: 1 }, { name: 'classify', start_line: 7, end_line: 16, complexity: 8 }],
  },
  // for-of, while, if, else-if, &&, ||, ternary.
  'sample.js': {
    file: { function_count: 3, class_count: 1, loop_count: 2, if_count: 2, basic_cyclomatic_complexity: 8, lines_of_code: 18, total_lines: 20 },
    functions: [
      { name: 'area', start_line: 3, end_line: 5, complexity: 1 },
      { name: 'classify', start_line: 8, end_line: 20, complexity: 8 },
      { name: 'keep', start_line: 18, end_line: 18, complexity: 1 },
    ],
  },
  'sample.ts': {
    file: { function_count: 3, class_count: 1, loop_count: 2, if_count: 2, basic_cyclomatic_complexity: 8, lines_of_code: 18, total_lines: 20 },
    functions: [
      { name: 'area', start_line: 3, end_line: 5, complexity: 1 },
      { name: 'classify', start_line: 8, end_line: 20, complexity: 8 },
      { name: 'keep', start_line: 18, end_line: 18, complexity: 1 },
    ],
  },
  // if, ||; `??` is not a branch.
  'sample.tsx': {
    file: { function_count: 1, class_count: 0, loop_count: 0, if_count: 1, basic_cyclomatic_complexity: 3, lines_of_code: 6, total_lines: 7 },
    functions: [{ name: 'Badge', start_line: 2, end_line: 7, complexity: 3 }],
  },
  // enhanced for, if, else-if, &&, ||, case 1, case 2 (default excluded), ternary.
  'sample.java': {
    file: { function_count: 2, class_count: 1, loop_count: 1, if_count: 2, basic_cyclomatic_complexity: 9, lines_of_code: 21, total_lines: 24 },
    functions: [{ name: 'area', start_line: 3, end_line: 5, complexity: 1 }, { name: 'classify', start_line: 8, end_line: 23, complexity: 9 }],
  },
  // for, do-while, if, else-if, &&, ||, case 1, ternary; the struct with a body is class-like.
  'sample.c': {
    file: { function_count: 1, class_count: 1, loop_count: 2, if_count: 2, basic_cyclomatic_complexity: 9, lines_of_code: 19, total_lines: 21 },
    functions: [{ name: 'classify', start_line: 6, end_line: 21, complexity: 9 }],
  },
  // range for, if, else-if, &&, ||, catch, ternary; the lambda is a function of its own.
  'sample.cpp': {
    file: { function_count: 3, class_count: 1, loop_count: 1, if_count: 2, basic_cyclomatic_complexity: 8, lines_of_code: 21, total_lines: 23 },
    functions: [
      { name: 'area', start_line: 4, end_line: 4, complexity: 1 },
      { name: 'classify', start_line: 7, end_line: 23, complexity: 8 },
      { name: 'keep', start_line: 16, end_line: 16, complexity: 1 },
    ],
  },
  // for range, if, else-if, if, &&, ||, case 1 (default_case excluded).
  'sample.go': {
    file: { function_count: 3, class_count: 1, loop_count: 1, if_count: 3, basic_cyclomatic_complexity: 8, lines_of_code: 27, total_lines: 31 },
    functions: [
      { name: 'Area', start_line: 8, end_line: 10, complexity: 1 },
      { name: 'classify', start_line: 12, end_line: 31, complexity: 8 },
      { name: 'keep', start_line: 21, end_line: 21, complexity: 1 },
    ],
  },
  // for, loop, if, else-if, if, &&, ||, 3 match arms minus one.
  'sample.rs': {
    file: { function_count: 2, class_count: 1, loop_count: 2, if_count: 3, basic_cyclomatic_complexity: 10, lines_of_code: 23, total_lines: 25 },
    functions: [{ name: 'classify', start_line: 6, end_line: 25, complexity: 10 }, { name: 'keep', start_line: 15, end_line: 15, complexity: 1 }],
  },
};

describe('structure summary per language', () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: file and function metrics`, async () => {
      const source = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
      const lang = languageFromPath(file)!;
      const s = await summarizeSource(source, lang);
      assert.deepEqual(s.syntax_errors, []);
      const got: Counts = {
        function_count: s.metrics.function_count, class_count: s.metrics.class_count, loop_count: s.metrics.loop_count,
        if_count: s.metrics.if_count, basic_cyclomatic_complexity: s.metrics.basic_cyclomatic_complexity,
        lines_of_code: s.metrics.lines_of_code, total_lines: s.metrics.total_lines,
      };
      assert.deepEqual(got, expected.file);
      assert.deepEqual(
        s.functions.map((f) => ({ name: f.name, start_line: f.start_line, end_line: f.end_line, complexity: f.metrics.basic_cyclomatic_complexity })),
        expected.functions,
      );
      for (const f of s.functions) {
        assert.ok(f.metrics.unique_subtrees <= f.metrics.total_subtrees, `${f.name}: unique ≤ total`);
        assert.ok(f.metrics.total_subtrees < s.metrics.total_subtrees, `${f.name}: a function is part of its file`);
        assert.ok(f.metrics.ast_depth < s.metrics.ast_depth);
      }
      assert.ok(s.metrics.unique_subtrees < s.metrics.total_subtrees);
    });
  }
});

describe('tree shape metrics', () => {
  it('counts depth and subtrees exactly on a tiny Python file', async () => {
    // module > expression_statement > assignment > (identifier, integer)
    const one = await summarizeSource('x = 1\n', 'python');
    assert.equal(one.metrics.ast_depth, 4);
    assert.equal(one.metrics.total_subtrees, 5);
    assert.equal(one.metrics.unique_subtrees, 5);
    // A second statement of the same shape adds four subtrees but no new shape except the module's.
    const two = await summarizeSource('x = 1\ny = 2\n', 'python');
    assert.equal(two.metrics.total_subtrees, 9);
    assert.equal(two.metrics.unique_subtrees, 5);
    // A different operator is a different shape even with the same names.
    const ops = await summarizeSource('a + b\na - b\n', 'python');
    // module, identifier, two binary_operator shapes and the two statements that hold them.
    assert.equal(ops.metrics.unique_subtrees, 6);
  });

  it('gives renamed code the same shape counts', async () => {
    const a = await summarizeSource('def f(a, b):\n    return a + b\n', 'python');
    const b = await summarizeSource('def total(left, right):\n    return left + right\n', 'python');
    assert.deepEqual(a.metrics, b.metrics);
  });

  it('does not count comments as code or subtrees', async () => {
    const plain = await summarizeSource('int f() { return 1; }\n', 'c');
    const commented = await summarizeSource('// one\n/* two\n   three */\nint f() { return 1; } // four\n', 'c');
    assert.equal(commented.metrics.lines_of_code, 1);
    assert.equal(commented.metrics.total_subtrees, plain.metrics.total_subtrees);
    assert.equal(commented.metrics.unique_subtrees, plain.metrics.unique_subtrees);
  });
});
