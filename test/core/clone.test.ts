// compare-repos' cloning against real local repositories over file://, and its input validation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRepoSpec, RepoError, shallowClone } from '../../server/src/repos/clone';
import { compareRepositories } from '../../server/src/repos/compareRepos';

const ORIGINAL = path.resolve('test/fixtures/workspace/original.py');

describe('repository cloning', () => {
  let root: string;
  let bare: string;
  let second: string;
  before(function () {
    try {
      execFileSync('git', ['--version']);
    } catch {
      this.skip(); // git missing: the error path is covered by the message test below
    }
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-clone-'));
    const work = path.join(root, 'work');
    fs.mkdirSync(work);
    // Realistic sizes: the engine ignores evidence smaller than a few statements.
    fs.copyFileSync(ORIGINAL, path.join(work, 'a.py'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: work, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'one');
    bare = path.join(root, 'origin.git');
    execFileSync('git', ['clone', '-q', '--bare', work, bare]);
    // A second repository: a renamed copy of a.py beside an unrelated file.
    const other = path.join(root, 'other');
    fs.mkdirSync(other);
    fs.copyFileSync(path.resolve('test/fixtures/workspace/renamed.py'), path.join(other, 'copy.py'));
    fs.writeFileSync(path.join(other, 'main.go'), 'package main\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tprintln(i * i)\n\t}\n}\n');
    const g2 = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: other, stdio: 'pipe' });
    g2('init', '-q', '-b', 'main');
    g2('add', '.');
    g2('commit', '-qm', 'two');
    second = path.join(root, 'second.git');
    execFileSync('git', ['clone', '-q', '--bare', other, second]);
  });
  after(() => root && fs.rmSync(root, { recursive: true, force: true }));

  it('clones a bare repository over file:// and cleans up', async () => {
    const tmpRoot = fs.mkdtempSync(path.join(root, 'tmp-'));
    const clone = await shallowClone(parseRepoSpec(`file://${bare}`), { tmpRoot });
    assert.equal(fs.readFileSync(path.join(clone.dir, 'a.py'), 'utf8'), fs.readFileSync(ORIGINAL, 'utf8'));
    await clone.dispose();
    assert.deepEqual(fs.readdirSync(tmpRoot), []);
  });

  it('accepts a local path', async () => {
    const clone = await shallowClone(parseRepoSpec(bare));
    try {
      assert.ok(fs.existsSync(path.join(clone.dir, 'a.py')));
    } finally {
      await clone.dispose();
    }
  });

  it('leaves nothing behind when the clone fails', async () => {
    const tmpRoot = fs.mkdtempSync(path.join(root, 'tmp-'));
    await assert.rejects(shallowClone(parseRepoSpec(`file://${root}/missing.git`), { tmpRoot }), (e: Error) => e instanceof RepoError && /no repository there|git clone failed/.test(e.message));
    assert.deepEqual(fs.readdirSync(tmpRoot), []);
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(shallowClone(parseRepoSpec(bare), { signal: ac.signal }), /cancelled/);
  });

  it('compares two repositories, naming files by repository, and removes the clones', async () => {
    const tmpRoot = fs.mkdtempSync(path.join(root, 'tmp-'));
    const a = `file://${bare}`;
    const b = `file://${second}`;
    const steps: string[] = [];
    const report = await compareRepositories([a, b], { tmpRoot, onProgress: (m) => steps.push(m), compare: { commonMinDocs: 3 } });
    assert.deepEqual(steps, [`cloning ${a}`, `cloning ${b}`, 'comparing']);
    assert.deepEqual(report.files.map((f) => f.path).sort(), [`${a}!/a.py`, `${b}!/copy.py`, `${b}!/main.go`]);
    const [pair] = report.similarity.pairs;
    assert.deepEqual([pair!.file1, pair!.file2].sort(), [`${a}!/a.py`, `${b}!/copy.py`]);
    assert.ok(pair!.similarity_score >= 0.85, `score ${pair!.similarity_score}`);
    assert.equal(report.similarity.pairs.length, 1);
    assert.deepEqual(fs.readdirSync(tmpRoot), []);
  });

  it('refuses inputs git could read as options or odd transports', () => {
    for (const bad of ['--upload-pack=touch /tmp/x', '-c', 'ext::sh -c touch% /tmp/pwned', 'http://example.com/r.git', 'ftp://x/y', 'a b', '', 'no/such/folder']) {
      assert.throws(() => parseRepoSpec(bad), RepoError, bad);
    }
    assert.equal(parseRepoSpec('https://example.com/r.git').url, 'https://example.com/r.git');
    assert.equal(parseRepoSpec('git@example.com:team/r.git').url, 'git@example.com:team/r.git');
    assert.equal(parseRepoSpec('ssh://git@example.com/r.git').url, 'ssh://git@example.com/r.git');
  });
});
