// Issue 21 item 10 (third part): `scan` covers every file or says why not. Before, a 1 MB file of 260k
// sibling statements overflowed the stack in compare and scan exited 1 with no message, covering 3 of 6.
import assert from 'node:assert/strict';
import { runCli, siblingStatementsC, tempDir } from './crashHarness';

const SMALL = 'int add(int a, int b) {\n  int s = a + b;\n  for (int i = 0; i < b; i++) {\n    s += i * a;\n  }\n  return s;\n}\n';

interface ScanOut { files: Array<{ path: string; error?: string; units_error?: string }>; similarity: { files: Array<{ path: string; error?: string }> } }

describe('robustness: scan covers every file or says why', function () {
  this.timeout(240_000);
  const tmp = tempDir('code-origin-scan-');
  after(() => tmp.remove());

  it('two 1 MB files of 250k sibling statements and a small file: all three in both reports', async () => {
    const sib = siblingStatementsC(250_000);
    tmp.write('a/s1.c', sib);
    tmp.write('a/s2.c', sib);
    tmp.write('a/small.c', SMALL);
    const r = await runCli(['scan', `${tmp.dir}/a`, '--format', 'json'], { heapMb: 768, timeoutMs: 220_000 });
    assert.equal(r.signal, null, r.stderr.slice(-400));
    assert.equal(r.code, 0, r.stderr.slice(-800));
    const out = JSON.parse(r.stdout) as ScanOut;
    assert.equal(out.files.length, 3);
    assert.equal(out.similarity.files.length, 3);
    for (const f of [...out.files, ...out.similarity.files]) assert.equal(f.error, undefined, `${f.path}: ${f.error}`);
    console.log(`      (${r.ms} ms)`);
  });

  it('a file the parser cannot take is named, with the reason, in both parts of the scan', async () => {
    tmp.write('b/big.c', `int f() {\n${'x = (a + b) * c;\n'.repeat(120_000)}}\n`);
    tmp.write('b/s1.c', SMALL);
    tmp.write('b/s2.c', SMALL);
    const r = await runCli(['scan', `${tmp.dir}/b`, '--format', 'json', '--max-file-size', '4000000'],
      { heapMb: 512, timeoutMs: 150_000, env: { CODE_ORIGIN_PARSER_MEMORY_MB: '64' } });
    assert.equal(r.signal, null, r.stderr.slice(-400));
    assert.equal(r.code, 1, r.stderr.slice(-800));
    assert.match(r.stderr, /big\.c: units skipped: the parser ran out of memory/);
    assert.match(r.stderr, /big\.c: similarity: skipped: analysis failed: the parser ran out of memory/);
    const out = JSON.parse(r.stdout) as ScanOut;
    assert.equal(out.similarity.files.filter((f) => !f.error).length, 2);
  });
});
