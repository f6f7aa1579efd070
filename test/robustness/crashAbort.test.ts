// Issue 21 item 9: after tree-sitter's wasm runtime aborts (out of memory) the process parses on.
// A real `Aborted()`: the runtime's memory is capped at 64 MiB (CODE_ORIGIN_PARSER_MEMORY_MB) so that a
// 2 MB file exhausts it, as a 50 MB file exhausts the default 2 GiB.
import assert from 'node:assert/strict';
import { runCli, tempDir } from './crashHarness';

const SMALL = 'int add(int a, int b) {\n  int s = a + b;\n  for (int i = 0; i < b; i++) {\n    s += i * a;\n  }\n  return s;\n}\n';
const BIG = `int f() {\n${'x = (a + b) * c;\n'.repeat(120_000)}}\n`;
const ENV = { CODE_ORIGIN_PARSER_MEMORY_MB: '64' };

describe('robustness: a parser abort is reported and later files parse', function () {
  this.timeout(180_000);
  const tmp = tempDir('code-origin-abort-');
  after(() => tmp.remove());

  it('`classify --units`: the aborted file is reported, the next file gets its units, no stack trace', async () => {
    const big = tmp.write('a/big.c', BIG);
    const small = tmp.write('a/small.c', SMALL);
    const r = await runCli(['classify', '--units', '--format', 'json', '--max-file-size', '4000000', big, small, big, small],
      { heapMb: 512, timeoutMs: 150_000, env: ENV });
    assert.equal(r.signal, null, r.stderr.slice(-500));
    assert.equal(r.code, 1, r.stderr.slice(-500));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.match(r.stderr, /big\.c: units skipped: the parser ran out of memory on this 1\.\d M-character c input/);
    const out = JSON.parse(r.stdout) as { files: Array<{ path: string; units?: Array<{ name: string }>; units_error?: string }> };
    assert.equal(out.files.length, 4);
    assert.match(out.files[0]!.units_error ?? '', /ran out of memory/);
    // Twice: a second abort in the same process is recovered from as well.
    assert.deepEqual(out.files[1]!.units?.map((u) => u.name), ['add']);
    assert.match(out.files[2]!.units_error ?? '', /ran out of memory/);
    assert.deepEqual(out.files[3]!.units?.map((u) => u.name), ['add']);
    console.log(`      (${r.ms} ms)`);
  });

  it('`compare`: the aborted file is skipped with the reason, the others are compared', async () => {
    const big = tmp.write('b/big.c', BIG);
    const s1 = tmp.write('b/s1.c', SMALL);
    const s2 = tmp.write('b/s2.c', SMALL);
    const r = await runCli(['compare', big, s1, s2, '--format', 'json', '--workers', '0', '--max-file-size', '4000000'],
      { heapMb: 512, timeoutMs: 150_000, env: ENV });
    assert.equal(r.signal, null, r.stderr.slice(-500));
    assert.equal(r.code, 1, r.stderr.slice(-500));
    const report = JSON.parse(r.stdout) as { files: Array<{ path: string; error?: string }>; summary: { highest_similarity: number } };
    assert.match(report.files.find((f) => f.path.endsWith('big.c'))!.error ?? '', /parser ran out of memory/);
    assert.equal(report.files.filter((f) => !f.error).length, 2);
    assert.equal(report.summary.highest_similarity, 1);
  });
});
