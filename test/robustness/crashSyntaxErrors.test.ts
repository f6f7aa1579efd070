// Issue 21 item 8: syntax-error collection is a cursor walk with a cap, about as fast as the parse.
import assert from 'node:assert/strict';
import { parseSource } from '../../server/src/core/parser';
import { collectSyntaxErrors, MAX_SYNTAX_ERRORS } from '../../server/src/core/syntaxErrors';
import { runCli, tempDir } from './crashHarness';

describe('robustness: syntax errors of hostile files', function () {
  this.timeout(120_000);
  const tmp = tempDir('code-origin-syntax-');
  after(() => tmp.remove());

  async function timed(text: string, lang: 'c' | 'java' | 'python') {
    let t0 = performance.now();
    const p = await parseSource(text, lang);
    const parseMs = performance.now() - t0;
    try {
      t0 = performance.now();
      const errors = collectSyntaxErrors(p.tree.rootNode);
      return { errors, parseMs, collectMs: performance.now() - t0 };
    } finally {
      p.dispose();
    }
  }

  it('200,000 unbalanced "(" take about as long as the parse (was 58 s against 0.25 s)', async () => {
    const r = await timed(`int main() { return ${'('.repeat(200_000)}1; }\n`, 'c');
    assert.ok(r.errors.length >= 1);
    assert.ok(r.collectMs < 3 * r.parseMs + 1000, `collect ${r.collectMs.toFixed(0)} ms, parse ${r.parseMs.toFixed(0)} ms`);
    console.log(`      (parse ${r.parseMs.toFixed(0)} ms, collect ${r.collectMs.toFixed(0)} ms)`);
  });

  it('200,000 unbalanced ")" and "{" too', async () => {
    for (const text of [`int main() { return 1${')'.repeat(200_000)}; }\n`, `void f() ${'{'.repeat(200_000)}\n`]) {
      const r = await timed(text, 'c');
      assert.ok(r.errors.length >= 1);
      assert.ok(r.collectMs < 3 * r.parseMs + 1000, `collect ${r.collectMs.toFixed(0)} ms, parse ${r.parseMs.toFixed(0)} ms`);
    }
  });

  it(`lists the first ${MAX_SYNTAX_ERRORS} errors in order, then how many more`, async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `int v${i} = ;`).join('\n');
    const r = await timed(`${lines}\n`, 'c');
    assert.equal(r.errors.length, MAX_SYNTAX_ERRORS + 1);
    const listed = r.errors.slice(0, MAX_SYNTAX_ERRORS);
    assert.deepEqual(listed.map((e) => e.line), [...listed.map((e) => e.line)].sort((a, b) => a - b));
    assert.equal(listed[0]!.line, 1);
    const last = r.errors[MAX_SYNTAX_ERRORS]!;
    assert.match(last.message, /^and \d+ more syntax errors \(only the first 100 are listed\)$/);
    assert.ok(last.line > listed[MAX_SYNTAX_ERRORS - 1]!.line);
  });

  it('`summary` of 200,000 "(" answers in bounded time and memory and exits 1 for the syntax error', async () => {
    const file = tmp.write('parens.c', `int main() { return ${'('.repeat(200_000)}1; }\n`);
    const r = await runCli(['summary', file, '--format', 'json'], { heapMb: 256, timeoutMs: 60_000 });
    assert.equal(r.signal, null, r.stderr.slice(-300));
    assert.equal(r.code, 1, r.stderr.slice(-300));
    assert.match(r.stderr, /parens\.c:1:\d+: syntax error/);
    assert.ok(r.ms < 30_000, `${r.ms} ms`);
    console.log(`      (summary: ${r.ms} ms)`);
  });
});
