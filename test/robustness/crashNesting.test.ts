// Hostile nesting that was quadratic, not fatal. Compared with a copy: 50,000 nested ifs (350 KB of C) took
// 80 s, 150,000 chained calls (600 KB of TypeScript) 60 s, 20,000 nested arrow functions 45 s (the local
// judge), 50,000 nested tries about 30 s; `classify --units` on 30,000 nested functions 70 s. The language
// server stalls as long. Causes: each level copied every inner level's exits (control flow); each call
// walked the whole stack up for its enclosing unit (extract); the judge read each nested unit's span
// again; the origin model judged 200 nested units each spanning the whole file. Bounds: 6-15× today's
// times, under the old ones.
import assert from 'node:assert/strict';
import { parseSource } from '../../server/src/core/parser';
import { buildCfgs, cfgEdgeKeys } from '../../server/src/similarity/cfg';
import { extract } from '../../server/src/similarity/extract';
import { runCli, tempDir } from './crashHarness';

const nestedIfsC = (depth: number) => `int f(int x) {\n${'if (x) {\n'.repeat(depth)}x++;\n${'}\n'.repeat(depth)}return x;\n}\n`;
const nestedTriesJava = (depth: number) =>
  `class A {\n  void f() {\n${'try {\n'.repeat(depth)}g();\n${'} catch (E e) { h(); }\n'.repeat(depth)}  }\n}\n`;
const chainedCallsTs = (n: number) => `const a = b${'.c()'.repeat(n)};\n`;
const nestedArrowsJs = (n: number) => `f = ${'() => '.repeat(n)}1;\n`;
const nestedFunctionsJs = (n: number) => `${Array.from({ length: n }, (_, i) => `function f${i}() {\n`).join('')}return 1;\n${'}\n'.repeat(n)}`;

describe('robustness: hostile nesting stays linear', function () {
  this.timeout(240_000);
  const tmp = tempDir('code-origin-nesting-');
  after(() => tmp.remove());

  async function timed<T>(language: 'c' | 'java' | 'typescript', text: string, f: (x: ReturnType<typeof extract>) => T): Promise<{ out: T; ms: number }> {
    const p = await parseSource(text, language);
    try {
      const t0 = Date.now();
      const out = f(extract(p, { minSubtree: 8 }));
      return { out, ms: Date.now() - t0 };
    } finally {
      p.dispose();
    }
  }

  it('50,000 nested ifs: every level\'s false edge reaches the statement after them, built in linear time', async () => {
    const { out: cfgs, ms } = await timed('c', nestedIfsC(50_000), (x) => buildCfgs(x));
    const cfg = cfgs.find((c) => c.nodes.filter((n) => n.kind === 'if').length === 50_000);
    assert.ok(cfg, 'one function with 50,000 ifs');
    // The return's block has one edge from x++ and one false edge from each if.
    const after = cfg.nodes.findIndex((n, i) => n.kind === 'return' && cfg.edges.some((e) => e.to === i));
    const into = cfg.edges.filter((e) => e.to === after);
    assert.equal(into.filter((e) => e.kind === 'false').length, 50_000);
    assert.ok(ms < 20_000, `${ms} ms (was about 40 s)`);
    console.log(`      (extract + control flow: ${ms} ms)`);
  });

  it('50,000 nested tries: each handler joins the exits once, in linear time', async () => {
    const { out: keys, ms } = await timed('java', nestedTriesJava(50_000), (x) => cfgEdgeKeys(buildCfgs(x)));
    assert.ok(keys.length > 50_000);
    assert.ok(ms < 15_000, `${ms} ms (was about 30 s)`);
  });

  it('150,000 chained calls (600 KB): compared with a copy in bounded time and memory', async () => {
    const text = chainedCallsTs(150_000);
    const a = tmp.write('chain/a.ts', text);
    const b = tmp.write('chain/b.ts', text);
    const r = await runCli(['compare', a, b, '--format', 'json', '--workers', '0', '--judge', 'off'], { heapMb: 768, timeoutMs: 30_000 });
    assert.equal(r.signal, null, `killed by ${r.signal} after ${r.ms} ms (was about 60 s): ${r.stderr.slice(-400)}`);
    assert.equal(r.code, 0, r.stderr.slice(-800));
    const report = JSON.parse(r.stdout) as { files: Array<{ error?: string }>; summary: { highest_similarity: number } };
    assert.deepEqual(report.files.map((f) => f.error), [undefined, undefined]);
    assert.equal(report.summary.highest_similarity, 1);
    console.log(`      (compare of 2 x 600 KB: ${r.ms} ms)`);
  });

  it('20,000 nested arrow functions (120 KB): the local judge reads their one shared span once', async () => {
    const text = nestedArrowsJs(20_000);
    const a = tmp.write('arrows/a.js', text);
    const b = tmp.write('arrows/b.js', text);
    const r = await runCli(['compare', a, b, '--format', 'json', '--workers', '0'], { heapMb: 768, timeoutMs: 20_000 });
    assert.equal(r.signal, null, `killed by ${r.signal} after ${r.ms} ms (was about 45 s): ${r.stderr.slice(-400)}`);
    assert.equal(r.code, 0, r.stderr.slice(-800));
    const report = JSON.parse(r.stdout) as { llm_summary: { provider: string; likely_copy_count: number } };
    assert.equal(report.llm_summary.provider, 'local');
    assert.equal(report.llm_summary.likely_copy_count, 1, 'the copy is still judged');
    console.log(`      (compare and judge of 2 x 120 KB: ${r.ms} ms)`);
  });

  it('30,000 nested functions on their own lines (650 KB): the local judge reads a bounded share of them', async () => {
    const text = nestedFunctionsJs(30_000);
    assert.ok(text.length < 1_048_576);
    const a = tmp.write('functions/a.js', text);
    const b = tmp.write('functions/b.js', text);
    const r = await runCli(['compare', a, b, '--format', 'json', '--workers', '0'], { heapMb: 768, timeoutMs: 40_000 });
    assert.equal(r.signal, null, `killed by ${r.signal} after ${r.ms} ms: ${r.stderr.slice(-400)}`);
    assert.equal(r.code, 0, r.stderr.slice(-800));
    const report = JSON.parse(r.stdout) as { llm_summary: { likely_copy_count: number } };
    assert.equal(report.llm_summary.likely_copy_count, 1);
    console.log(`      (compare and judge of 2 x 650 KB: ${r.ms} ms)`);
  });

  it('30,000 nested functions: the origin model judges the outer units up to 8 times the file\'s text, not 200 copies of it', async () => {
    const file = tmp.write('units/nested.js', nestedFunctionsJs(30_000));
    const r = await runCli(['classify', file, '--units', '--unevaluated-languages', '--format', 'json'], { heapMb: 768, timeoutMs: 40_000 });
    assert.equal(r.signal, null, `killed by ${r.signal} after ${r.ms} ms (was about 70 s): ${r.stderr.slice(-400)}`);
    assert.equal(r.code, 0, r.stderr.slice(-800));
    const units = (JSON.parse(r.stdout) as { files: Array<{ units: Array<{ name: string }> }> }).files[0]!.units;
    // Each of the first units spans nearly the whole file: 8 of them fit the budget (8 × the text + 20,000 characters).
    assert.deepEqual(units.map((u) => u.name), Array.from({ length: 8 }, (_, i) => `f${i}`));
    console.log(`      (classify with units, 650 KB: ${r.ms} ms)`);
  });
});
