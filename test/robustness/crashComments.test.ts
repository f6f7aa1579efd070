// 250,000 comment lines (1 MB of `# c`): the origin model's input merges comments that only whitespace
// separates, and copying the merged character map for each one was n²: `classify` ran past 2 minutes (40,000
// lines: 30 s). Now it is linear; the bound is 10× today's time and under the old one at 40,000 lines.
import assert from 'node:assert/strict';
import { canonicalizeForOrigin } from '../../server/src/origin/canonical';
import { runCli, tempDir } from './crashHarness';

describe('robustness: a file of comments', function () {
  this.timeout(120_000);
  const tmp = tempDir('code-origin-comments-');
  after(() => tmp.remove());

  it('merges 40,000 comment lines into one comment in linear time, every character mapped back', async () => {
    const src = '# c\n'.repeat(40_000);
    const t0 = Date.now();
    const c = await canonicalizeForOrigin(src, 'python');
    const ms = Date.now() - t0;
    assert.equal(c.text.split(' ').filter((w) => w === 'c').length, 40_000, 'every comment word is kept');
    assert.equal(c.map.length, c.text.length + 1);
    for (let i = 0; i < c.text.length; i += 997) assert.ok(c.map[i]! >= 0 && c.map[i]! < src.length);
    assert.ok(ms < 10_000, `${ms} ms (was about 25 s)`);
  });

  it('classify takes a 1 MB file of 250,000 comment lines', async () => {
    const file = tmp.write('c/comments.py', '# c\n'.repeat(250_000).slice(0, 1_000_000));
    const r = await runCli(['classify', file, '--format', 'json'], { heapMb: 768, timeoutMs: 30_000 });
    assert.equal(r.signal, null, `killed by ${r.signal} after ${r.ms} ms (was over 2 minutes)`);
    assert.equal(r.code, 0, r.stderr.slice(-800));
    const out = JSON.parse(r.stdout) as { files: Array<{ label: string; error?: string }> };
    assert.equal(out.files[0]!.error, undefined);
    assert.equal(out.files[0]!.label, 'inconclusive');
  });
});
