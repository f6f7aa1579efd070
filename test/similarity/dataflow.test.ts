// Def-use edges: which definitions reach which uses.
import assert from 'node:assert/strict';
import type { LanguageId } from '../../server/src/core/languages';
import { parseSource } from '../../server/src/core/parser';
import { dataflowKeys, defUseEdges } from '../../server/src/similarity/dataflow';
import { extract } from '../../server/src/similarity/extract';

/** Edges as "name:defLine->useLine" (one-based), loop-carried ones marked with "~". */
async function du(src: string, lang: LanguageId): Promise<string[]> {
  const p = await parseSource(src, lang);
  try {
    return defUseEdges(extract(p, { minSubtree: 8 })).edges
      .map((e) => `${e.name}:${e.def.line + 1}${e.loopCarried ? '~' : ''}->${e.use.line + 1}`).sort();
  } finally {
    p.dispose();
  }
}

async function keys(src: string, lang: LanguageId): Promise<string[]> {
  const p = await parseSource(src, lang);
  try {
    return dataflowKeys(defUseEdges(extract(p, { minSubtree: 8 })).edges).map(String).sort();
  } finally {
    p.dispose();
  }
}

describe('data-flow graph', () => {
  it('straight line: a definition reaches its uses', async () => {
    assert.deepEqual(await du('def f():\n    a = 1\n    b = a + 2\n    return b\n', 'python'), ['a:2->3', 'b:3->4']);
  });

  it('a redefinition kills the earlier definition', async () => {
    assert.deepEqual(await du('function f() {\n  let a = 1;\n  a = 2;\n  return a;\n}\n', 'javascript'), ['a:3->4']);
  });

  it('`x = x + 1` reads the previous definition, not itself', async () => {
    assert.deepEqual(await du('int f() {\n  int x = 1;\n  x = x + 1;\n  return x;\n}\n', 'c'), ['x:2->3', 'x:3->4']);
  });

  it('parameters are defined at entry', async () => {
    assert.deepEqual(await du('func f(n int) int {\n\treturn n * 2\n}\n', 'go'), ['n:1->2']);
  });

  it('definitions in both branches reach the merge (may-analysis: a branch never kills an outer definition)', async () => {
    const e = await du('int f(int c) {\n  int a = 0;\n  if (c > 0) {\n    a = 1;\n  } else {\n    a = 2;\n  }\n  return a;\n}\n', 'java');
    assert.ok(e.includes('a:4->8') && e.includes('a:6->8'));
    // Conservative by design: the analysis does not prove that every branch redefines `a`.
    assert.ok(e.includes('a:2->8'));
    assert.ok(!e.includes('a:4->6'), 'sibling branches do not reach each other');
  });

  it('an if without else keeps the earlier definition alive', async () => {
    const e = await du('def f(c):\n    a = 0\n    if c:\n        a = 1\n    return a\n', 'python');
    assert.ok(e.includes('a:2->5') && e.includes('a:4->5'));
  });

  it('loop-carried: a use early in the body sees a definition later in the body', async () => {
    const e = await du('fn f(n: i32) -> i32 {\n    let mut s = 0;\n    let mut i = 0;\n    while i < n {\n        s = s + i;\n        i = i + 1;\n    }\n    s\n}\n', 'rust');
    assert.ok(e.includes('i:6~->5'), e.join(' '));
    assert.ok(e.includes('i:6~->4'), 'the condition sees the update');
    assert.ok(e.includes('s:2->5'));
  });

  it('an unused definition has no edge', async () => {
    assert.deepEqual(await du('def f():\n    unused = 1\n    return 2\n', 'python'), []);
  });

  it('renaming and reordering independent statements keep the key set', async () => {
    const a = await keys('def f(p):\n    a = p + 1\n    b = p * 2\n    return a - b\n', 'python');
    const b = await keys('def g(q):\n    y = q * 2\n    x = q + 1\n    return x - y\n', 'python');
    assert.deepEqual(a, b);
  });
});
