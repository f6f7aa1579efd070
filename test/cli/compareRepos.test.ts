// `code-origin compare-repos` as a user runs it, on two local repositories made by the test.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLI = path.resolve('dist/cli.js');
const FIXTURE = path.resolve('test/fixtures/workspace');

describe('code-origin compare-repos', () => {
  let root: string;
  const repo = (name: string, files: string[]) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    for (const f of files) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'x');
    return dir;
  };
  before(function () {
    try { execFileSync('git', ['--version']); } catch { this.skip(); }
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-cr-'));
  });
  after(() => root && fs.rmSync(root, { recursive: true, force: true }));

  it('reports cross pairs with files named by repository, passing compare options through', () => {
    const a = repo('a', ['original.py']);
    const b = repo('b', ['renamed.py', 'unrelated.py']);
    const r = spawnSync(process.execPath, [CLI, 'compare-repos', a, `file://${b}`, '--format', 'json', '--min-score', '0.6'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { files: Array<{ path: string }>; similarity: { pairs: Array<{ file1: string; file2: string }> }; metadata: { cross: boolean; thresholds: { min_score: number } } };
    assert.deepEqual(report.files.map((f) => f.path).sort(), [`${a}!/original.py`, `file://${b}!/renamed.py`, `file://${b}!/unrelated.py`]);
    assert.equal(report.similarity.pairs.length, 1);
    assert.deepEqual([report.similarity.pairs[0]!.file1, report.similarity.pairs[0]!.file2], [`${a}!/original.py`, `file://${b}!/renamed.py`]);
    assert.equal(report.metadata.cross, true);
    assert.equal(report.metadata.thresholds.min_score, 0.6);
    assert.doesNotMatch(r.stdout, /code-origin-repo-/); // no temporary folder leaks into the report
  });

  it('refuses option-like and unreachable repositories with exit 2 and 1', () => {
    const bad = spawnSync(process.execPath, [CLI, 'compare-repos', '--upload-pack=touch x', root], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /looks like an option/);
    const missing = spawnSync(process.execPath, [CLI, 'compare-repos', `file://${root}/none.git`, `file://${root}/none2.git`], { encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no repository there|git clone failed/);
  });
});
