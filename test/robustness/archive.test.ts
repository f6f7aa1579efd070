// Hostile archives through the real CLI, each in a child with a heap cap and a time limit: bombs (streaming,
// lying, plain), many entries, escapes, empty / non-zip / encrypted archives, duplicate entry names.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { duplicateNames, flaggedEncrypted, runCli, streamingZipBomb, tmpdir, zipOfZeros, zipSync } from './hostile';

const PY = `def moving_average(values, width):
    out = []
    total = sum(values[:width])
    out.append(total / width)
    for i in range(width, len(values)):
        total += values[i] - values[i - width]
        out.append(total / width)
    return out
`;
const enc = (s: string) => Buffer.from(s);

describe('robustness: archives', function () {
  this.timeout(60_000);
  let d: string;
  before(() => { d = tmpdir(); });
  after(() => fs.rmSync(d, { recursive: true, force: true }));

  it('a streaming zip bomb (sizes in data descriptors, 7 MB → 1.1 GB) stops at the entry limit within seconds', () => {
    const z = path.join(d, 'stream.zip');
    fs.writeFileSync(z, streamingZipBomb('a.py', 7_000_000));
    const r = runCli(['compare', z], { heapMb: 256, timeoutMs: 20_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /stream\.zip!\/a\.py: skipped: file too large \(expands past 1048576 bytes\)/);
    assert.match(r.stderr, /no supported source files could be analysed/);
    assert.ok(r.ms < 8_000, `${r.ms} ms`); // was 27 s for 4 MB: the entry went on inflating to its end
  });

  it('a streaming bomb under a raised entry limit is refused by the archive total, with the reason printed', () => {
    const z = path.join(d, 'total.zip');
    fs.writeFileSync(z, streamingZipBomb('a.py', 2_000_000)); // 300 MB of zeros in one entry
    const r = runCli(['compare', z, '--max-file-size', String(1024 * 1024 * 1024)], { heapMb: 256, timeoutMs: 30_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /total\.zip: skipped: archive expands to more than 268435456 bytes; refused \(zip bomb\?\)/);
    assert.ok(r.ms < 15_000, `${r.ms} ms`);
  });

  it('plain bombs (sizes in the headers): a 1 GB entry, and 300 entries of 1 MB, are refused; a lying one too', () => {
    const one = path.join(d, 'one.zip');
    fs.writeFileSync(one, zipOfZeros([{ name: 'big.py', matches: 4_200_000 }], false)); // 6.8 MB → 1.08 GB
    const r = runCli(['compare', one], { heapMb: 256, timeoutMs: 20_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /big\.py: skipped: file too large \(1083600001 bytes > limit 1048576\)/);
    assert.ok(r.ms < 8_000, `${r.ms} ms`);
    const many = path.join(d, 'wide.zip');
    fs.writeFileSync(many, zipOfZeros(Array.from({ length: 300 }, (_, i) => ({ name: `w${i}.py`, matches: 4000 })), false)); // 2 MB → 310 MB
    const w = runCli(['compare', many], { heapMb: 256, timeoutMs: 30_000 });
    assert.equal(w.status, 1);
    assert.match(w.stderr, /wide\.zip: skipped: archive expands to more than 268435456 bytes; refused \(zip bomb\?\)/);
    assert.ok(w.ms < 15_000, `${w.ms} ms`);
    // Sizes rewritten to 10 bytes: caught while inflating.
    const lying = Buffer.from(zipSync({ 'l.py': new Uint8Array(3_000_000) }));
    for (let i = 0; i + 4 <= lying.length; i++) if (lying.readUInt32LE(i) === 3_000_000) lying.writeUInt32LE(10, i);
    const lz = path.join(d, 'lying.zip');
    fs.writeFileSync(lz, lying);
    const l = runCli(['compare', lz], { heapMb: 256 });
    assert.equal(l.status, 1);
    assert.match(l.stderr, /lying\.zip!\/l\.py: skipped: file too large \(expands past 1048576 bytes\)/);
  });

  it('100,000 entries: refused at 10,000, quickly', () => {
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 100_000; i++) many[`f${i}.py`] = enc('x=1\n');
    const z = path.join(d, 'many.zip');
    fs.writeFileSync(z, zipSync(many, { level: 0 }));
    const r = runCli(['compare', z], { heapMb: 256 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /many\.zip: skipped: archive has more than 10000 entries; refused/);
    assert.ok(r.ms < 10_000, `${r.ms} ms`);
  });

  it('zip-slip names are refused, the rest is read', () => {
    const z = path.join(d, 'slip.zip');
    fs.writeFileSync(z, zipSync({ '../../evil.py': enc(PY), '/abs.py': enc(PY), 'ok.py': enc(PY) }));
    const r = runCli(['compare', z, '--format', 'json']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /evil\.py: skipped: path escapes the archive root/);
    assert.match(r.stderr, /abs\.py: skipped: absolute path in archive/);
    assert.equal(fs.existsSync(path.join(d, '..', 'evil.py')), false);
    assert.deepEqual(JSON.parse(r.stdout).files.filter((f: { error?: string }) => !f.error).map((f: { path: string }) => path.basename(f.path)), ['ok.py']);
  });

  it('empty, non-zip, entry-less and encrypted archives each say what they are', () => {
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['empty.zip', new Uint8Array(0), /empty\.zip: skipped: empty file, not a zip archive/],
      ['text.zip', enc('just text\n'), /text\.zip: skipped: not a zip archive \(no zip signature at its start\)/],
      ['none.zip', zipSync({}), /none\.zip: skipped: empty archive \(no entries\)/],
      ['docs.zip', zipSync({ 'README.md': enc('# hi') }), /docs\.zip: skipped: archive holds no supported source files/],
      ['secret.zip', flaggedEncrypted(zipSync({ 'a.py': enc(PY) })), /secret\.zip: skipped: encrypted archives are not supported/],
    ];
    for (const [name, bytes, want] of cases) {
      fs.writeFileSync(path.join(d, name), bytes);
      const r = runCli(['compare', path.join(d, name)]);
      assert.equal(r.status, 1, `${name}: ${r.stderr}`);
      assert.match(r.stderr, want);
      assert.match(r.stderr, /no supported source files could be analysed/);
      assert.doesNotMatch(r.stderr, /invalid distance|at .*\.js:\d+/);
    }
  });

  it('duplicate entry names are reported, not merged: the first is read', () => {
    const z = path.join(d, 'dup.zip');
    fs.writeFileSync(z, duplicateNames(PY, 'def other(x):\n    while x > 0:\n        x -= 1\n    return x\n'));
    const r = runCli(['compare', z, path.join(d, 'copy.py'), '--format', 'json'], {});
    assert.equal(r.status, 2); // copy.py does not exist yet: usage error first
    fs.writeFileSync(path.join(d, 'copy.py'), PY);
    const ok = runCli(['compare', z, path.join(d, 'copy.py'), '--format', 'json']);
    assert.equal(ok.status, 1, ok.stderr);
    assert.match(ok.stderr, /dup\.zip!\/a\.py: skipped: duplicate entry name in archive; only the first entry of this name is read/);
    const report = JSON.parse(ok.stdout);
    assert.equal(report.similarity.pairs.length, 1); // the first a.py (PY) against copy.py
    assert.equal(report.similarity.pairs[0].similarity_score, 1);
  });
});
