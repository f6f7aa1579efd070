// Hostile file trees through the real CLI: links (to a file of the same input, to a folder, out of the
// input, in a loop), folders and templates that cannot be read, UTF-16 files. Each run is a bounded child.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tmpdir, unprivilegedRunnable } from './hostile';

const PY = `def moving_average(values, width):
    out = []
    total = sum(values[:width])
    out.append(total / width)
    for i in range(width, len(values)):
        total += values[i] - values[i - width]
        out.append(total / width)
    return out
`;
const OTHER = `def count_words(text):
    counts = {}
    for word in text.split():
        word = word.lower()
        counts[word] = counts.get(word, 0) + 1
    return counts
`;

function tree(files: Record<string, string | Buffer>): string {
  const d = tmpdir();
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, rel)), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(d, rel), body);
  }
  return d;
}

describe('robustness: inputs', function () {
  this.timeout(60_000);
  const made: string[] = [];
  const mk = (files: Record<string, string | Buffer>) => { const d = tree(files); made.push(d); return d; };
  after(() => { for (const d of made) { fs.chmodSync(d, 0o755); fs.rmSync(d, { recursive: true, force: true }); } });

  it('a link to a file of the same input is that file once, not a copy of it', () => {
    const d = mk({ 'src/a.py': PY, 'src/b.py': OTHER, '.hidden/c.py': 'def third(n):\n    return [i * i for i in range(n) if i % 3]\n' });
    fs.symlinkSync('a.py', path.join(d, 'src', 'link.py'));
    fs.symlinkSync(path.join(d, 'src', 'a.py'), path.join(d, 'again.py'));
    // Two links to one file the walk does not reach (a hidden folder): the first is kept, once.
    fs.symlinkSync(path.join(d, '.hidden', 'c.py'), path.join(d, 'c1.py'));
    fs.symlinkSync(path.join(d, '.hidden', 'c.py'), path.join(d, 'c2.py'));
    const r = runCli(['compare', d, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.files.map((f: { path: string }) => path.relative(d, f.path)), ['c1.py', 'src/a.py', 'src/b.py']);
    assert.deepEqual(report.similarity.pairs, []);
    assert.equal(report.llm_summary.likely_copy_count, 0); // was: CRITICAL, a copy of itself
    const s = runCli(['summary', d, '--format', 'json']);
    assert.equal(s.status, 0, s.stderr);
    assert.deepEqual(JSON.parse(s.stdout).files.map((f: { path: string }) => path.relative(d, f.path)), ['c1.py', 'src/a.py', 'src/b.py']);
  });

  it('a linked folder given as input is walked; links out of the input and link loops are reported, quickly', () => {
    const real = mk({ 'a.py': PY });
    const outside = mk({ 'secret.py': OTHER });
    fs.symlinkSync(path.join(outside, 'secret.py'), path.join(real, 'out.py'));
    fs.symlinkSync('.', path.join(real, 'loop.py')); // a folder link with a source name, pointing at itself
    fs.symlinkSync('nowhere.py', path.join(real, 'broken.py'));
    const holder = mk({});
    const linked = path.join(holder, 'linked');
    fs.symlinkSync(real, linked);
    for (const cmd of ['compare', 'summary']) {
      const r = runCli([cmd, linked, '--format', 'json'], { timeoutMs: 20_000 });
      assert.equal(r.status, 1, `${cmd}: ${r.stderr}`);
      assert.ok(r.ms < 10_000, `${cmd}: ${r.ms} ms`);
      assert.match(r.stderr, /out\.py: skipped: symbolic link leads outside the input; not followed/, cmd);
      assert.match(r.stderr, /loop\.py: skipped: symbolic link to a non-file; not followed/, cmd);
      assert.match(r.stderr, /broken\.py: skipped: broken symbolic link; not followed/, cmd);
      const files = JSON.parse(r.stdout).files.filter((f: { error?: string }) => !f.error).map((f: { path: string }) => f.path);
      assert.deepEqual(files, [path.join(linked, 'a.py')], cmd);
    }
  });

  it('summary, scan, classify and compare report a folder they cannot read (exit 1)', function () {
    if (!unprivilegedRunnable()) this.skip(); // the checkout is not readable to nobody (e.g. a private temp folder)
    const d = mk({ 'a.py': PY, 'locked/b.py': OTHER });
    fs.chmodSync(path.join(d, 'locked'), 0o000);
    try {
      for (const args of [['summary', d], ['classify', d], ['scan', d, '--no-similarity'], ['compare', d]]) {
        const r = runCli(args, { unprivileged: true, timeoutMs: 60_000 });
        assert.equal(r.status, 1, `${args[0]}: ${r.stderr}`);
        assert.match(r.stderr, /locked: skipped: cannot read folder: EACCES/, args[0]);
      }
    } finally {
      fs.chmodSync(path.join(d, 'locked'), 0o755);
    }
  });

  it('an unreadable or binary --template stops compare with the reason (exit 2)', function () {
    if (!unprivilegedRunnable()) this.skip(); // the checkout is not readable to nobody (e.g. a private temp folder)
    const d = mk({ 'a.py': PY, 'b.py': PY, 't/base.py': OTHER, 'bin/base.py': Buffer.from([0, 1, 2, 3]) });
    fs.chmodSync(path.join(d, 't', 'base.py'), 0o000);
    try {
      const r = runCli(['compare', path.join(d, 'a.py'), path.join(d, 'b.py'), '--template', path.join(d, 't')], { unprivileged: true });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /--template cannot be used: .*base\.py: cannot read: EACCES/);
    } finally {
      fs.chmodSync(path.join(d, 't', 'base.py'), 0o644);
    }
    const b = runCli(['compare', path.join(d, 'a.py'), path.join(d, 'b.py'), '--template', path.join(d, 'bin')]);
    assert.equal(b.status, 2);
    assert.match(b.stderr, /--template cannot be used: .*base\.py: binary file/);
    const ok = runCli(['compare', path.join(d, 'a.py'), path.join(d, 'b.py'), '--template', path.join(d, 't')]);
    assert.equal(ok.status, 0, ok.stderr);
  });

  it('UTF-16 files with a byte-order mark are decoded; without one they stay binary', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PY, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    const d = mk({ 'le.py': le, 'be.py': be, 'plain.py': PY, 'nobom.py': Buffer.from(PY, 'utf16le') });
    const r = runCli(['compare', d, '--format', 'json', '--min-score', '0.9']);
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.match(r.stderr, /nobom\.py: skipped: binary file/);
    assert.equal(report.files.filter((f: { error?: string }) => f.error).length, 1);
    // The three encodings of one text are one text.
    assert.equal(report.similarity.pairs.length, 3);
    assert.ok(report.similarity.pairs.every((p: { similarity_score: number }) => p.similarity_score === 1));
    const s = runCli(['summary', path.join(d, 'le.py'), path.join(d, 'be.py'), '--format', 'json']);
    assert.equal(s.status, 0, s.stderr);
    assert.deepEqual(JSON.parse(s.stdout).files.map((f: { functions: Array<{ name: string }> }) => f.functions[0]!.name), ['moving_average', 'moving_average']);
  });
});
