// Control-flow graphs: each construct gives the edges it should, and disguises that keep control
// flow (renaming, for <-> while, negating an if and swapping its branches) keep the edge set.
import assert from 'node:assert/strict';
import type { LanguageId } from '../../server/src/core/languages';
import { parseSource } from '../../server/src/core/parser';
import { buildCfgs, cfgEdgeKeys, type Cfg } from '../../server/src/similarity/cfg';
import { extract } from '../../server/src/similarity/extract';

async function cfgs(src: string, lang: LanguageId): Promise<Cfg[]> {
  const p = await parseSource(src, lang);
  try {
    return buildCfgs(extract(p, { minSubtree: 8 }));
  } finally {
    p.dispose();
  }
}

/** The graph of the first function, as "from-kind->to" strings over node kinds. */
async function fnEdges(src: string, lang: LanguageId): Promise<string[]> {
  const g = (await cfgs(src, lang)).find((c) => c.line >= 0)!;
  return g.edges.map((e) => `${g.nodes[e.from]!.kind}-${e.kind}->${g.nodes[e.to]!.kind}`).sort();
}

async function keys(src: string, lang: LanguageId): Promise<string[]> {
  return cfgEdgeKeys(await cfgs(src, lang)).map(String).sort();
}

describe('control-flow graph', () => {
  it('sequence: consecutive statements form one block', async () => {
    const g = (await cfgs('def f(a):\n    x = a\n    y = x + 1\n    print(y)\n', 'python')).find((c) => c.line >= 0)!;
    assert.deepEqual(g.nodes.map((n) => n.kind), ['entry', 'exit', 'block']);
    assert.equal(g.nodes[2]!.shapes.length, 3);
  });

  it('if/else: true and false branches join after the if', async () => {
    const e = await fnEdges('int f(int a) { if (a > 0) { a = 1; } else { a = 2; } return a; }', 'c');
    assert.deepEqual(e, ['block-seq->return', 'block-seq->return', 'entry-seq->if', 'if-false->block', 'if-true->block', 'return-return->exit']);
  });

  it('if without else: the false edge skips the branch', async () => {
    const e = await fnEdges('function f(a) { if (a) { a = 1; } return a; }', 'javascript');
    assert.deepEqual(e, ['block-seq->return', 'entry-seq->if', 'if-false->return', 'if-true->block', 'return-return->exit']);
  });

  it('elif chains: each condition falls to the next', async () => {
    const e = await fnEdges('def f(a):\n    if a > 1:\n        a = 1\n    elif a > 0:\n        a = 2\n    else:\n        a = 3\n    return a\n', 'python');
    assert.ok(e.includes('if-false->if'));
    assert.equal(e.filter((x) => x === 'block-seq->return').length, 3);
  });

  it('loops: back edge, break leaves, continue returns to the head', async () => {
    const e = await fnEdges('void f(int n) { while (n > 0) { if (n == 5) break; if (n == 7) { n--; continue; } n--; } g(); }', 'java');
    assert.ok(e.includes('entry-seq->loop'));
    assert.ok(e.includes('loop-true->if'));
    assert.ok(e.includes('block-back->loop'));
    assert.ok(e.includes('block-continue->loop'));
    assert.ok(e.includes('if-break->block'), 'break jumps to the statement after the loop');
    assert.ok(e.includes('loop-false->block'));
  });

  it('Rust loop without condition exits only through break', async () => {
    const e = await fnEdges('fn f() { let mut i = 0; loop { i += 1; if i > 3 { break; } } g(i); }', 'rust');
    assert.ok(!e.some((x) => x.startsWith('loop-false')));
    assert.ok(e.includes('if-break->block'));
  });

  it('switch: cases fall through in C, a missing default adds a no-match edge', async () => {
    const e = await fnEdges('int f(int a) { switch (a) { case 1: a++; case 2: a--; break; } return a; }', 'c');
    assert.equal(e.filter((x) => x === 'switch-case->case').length, 2);
    assert.ok(e.includes('block-seq->case'), 'case 1 falls through into case 2');
    assert.ok(e.includes('switch-nomatch->return'));
    const withDefault = await fnEdges('int f(int a) { switch (a) { case 1: a++; break; default: a--; } return a; }', 'c');
    assert.ok(!withDefault.some((x) => x.includes('nomatch')));
  });

  it('match (Rust, Python): arms do not fall through', async () => {
    const e = await fnEdges('fn f(a: i32) -> i32 { let r = match a { 1 => 10, _ => 20 }; r }', 'rust');
    assert.ok(e.length > 0);
    const py = await fnEdges('def f(a):\n    match a:\n        case 1:\n            a = 2\n        case _:\n            a = 3\n    return a\n', 'python');
    assert.equal(py.filter((x) => x === 'switch-case->case').length, 2);
    assert.ok(!py.includes('block-seq->case'));
    assert.ok(!py.some((x) => x.includes('nomatch')), 'case _ is the default');
  });

  it('try/catch/finally: exception edges to the handler and the finally block', async () => {
    const e = await fnEdges('void f() { try { a(); } catch (Exception x) { b(); } finally { c(); } d(); }', 'java');
    assert.ok(e.includes('try-exception->catch'));
    assert.ok(e.includes('try-exception->finally'));
    assert.ok(e.includes('block-seq->finally'));
    assert.ok(e.includes('try-seq->block'));
  });

  it('early return and throw go to the exit and end the path', async () => {
    const e = await fnEdges('def f(a):\n    if a:\n        return 1\n    raise ValueError()\n', 'python');
    assert.ok(e.includes('if-true->return'));
    assert.ok(e.includes('if-false->throw'));
    assert.ok(e.includes('return-return->exit'));
    assert.ok(e.includes('throw-throw->exit'));
  });

  it('renaming leaves the edge set unchanged; changing control flow does not', async () => {
    const a = await keys('int f(int n){int s=0; for(int i=0;i<n;i++){ if(i%2==0) s+=i; } return s;}', 'c');
    const b = await keys('int g(int m){int t=0; for(int k=0;k<m;k++){ if(k%2==0) t+=k; } return t;}', 'c');
    const c = await keys('int f(int n){int s=0; for(int i=0;i<n;i++){ s+=i; } return s;}', 'c');
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('for and the equivalent while give the same graph', async () => {
    const f = await keys('void f(int n){ for (int i = 0; i < n; i++) { g(i); } h(); }', 'java');
    const w = await keys('void f(int n){ int i = 0; while (i < n) { g(i); i++; } h(); }', 'java');
    assert.deepEqual(f, w);
  });

  it('negating an if and swapping its branches gives the same edge set', async () => {
    const a = await keys('function f(x) { if (x > 0) { a(); } else { b(); c(); } }', 'javascript');
    const b = await keys('function f(x) { if (!(x > 0)) { b(); c(); } else { a(); } }', 'javascript');
    assert.deepEqual(a, b);
  });
});
