// `--output` never destroys a user's file: `compare d --output main.py` used to replace main.py with the
// report (and `scan`'s HTML the same). An existing file is replaced only when it is empty or a report of
// ours; anything else is refused, untouched, before any work (exit 2).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tmpdir } from './hostile';

const A = 'def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n';

describe('robustness: --output never replaces a file that is not our report', function () {
  this.timeout(120_000);
  const dir = tmpdir('code-origin-output-');
  const d = path.join(dir, 'in');
  fs.mkdirSync(d);
  fs.writeFileSync(path.join(d, 'a.py'), A);
  fs.writeFileSync(path.join(d, 'b.py'), A);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const SOURCE = 'print("my work")\n';
  const cases: Array<[string, string[]]> = [
    ['compare --format html', ['compare', d, '--format', 'html', '--judge', 'off']],
    ['compare --format json', ['compare', d, '--format', 'json', '--judge', 'off']],
    ['compare --format csv', ['compare', d, '--format', 'csv', '--judge', 'off']],
    ['compare --format csv-files', ['compare', d, '--format', 'csv-files', '--judge', 'off']],
    ['compare --format table', ['compare', d, '--format', 'table', '--judge', 'off']],
    ['scan', ['scan', d, '--no-similarity']],
  ];
  for (const [name, args] of cases) {
    it(`${name}: refuses a source file, a text file and a link, replaces its own report`, () => {
      const target = path.join(dir, `${name.replace(/\W+/g, '_')}.py`);
      fs.writeFileSync(target, SOURCE);
      const refused = runCli([...args, '--output', target], { timeoutMs: 60_000 });
      assert.equal(refused.status, 2, refused.stderr);
      assert.match(refused.stderr, /exists and is not a Code Origin report; refusing to replace it/);
      assert.equal(fs.readFileSync(target, 'utf8'), SOURCE, 'the source file is untouched');

      const notes = path.join(dir, `${name.replace(/\W+/g, '_')}-notes.txt`);
      fs.writeFileSync(notes, 'grading notes\n');
      assert.equal(runCli([...args, '--output', notes], { timeoutMs: 60_000 }).status, 2);
      assert.equal(fs.readFileSync(notes, 'utf8'), 'grading notes\n');

      const link = path.join(dir, `${name.replace(/\W+/g, '_')}-link.out`);
      fs.symlinkSync(target, link);
      const viaLink = runCli([...args, '--output', link], { timeoutMs: 60_000 });
      assert.equal(viaLink.status, 2);
      assert.match(viaLink.stderr, /is a symbolic link/);
      assert.equal(fs.readFileSync(target, 'utf8'), SOURCE, 'nothing is written through the link');

      const report = path.join(dir, `${name.replace(/\W+/g, '_')}.report`);
      assert.equal(runCli([...args, '--output', report], { timeoutMs: 60_000 }).status, 0);
      const first = fs.readFileSync(report, 'utf8');
      assert.ok(first.length > 0);
      fs.appendFileSync(report, 'edited by hand\n');
      // A report of ours is replaced on a re-run (the usual case: the same command next week).
      assert.equal(runCli([...args, '--output', report], { timeoutMs: 60_000 }).status, 0);
      assert.doesNotMatch(fs.readFileSync(report, 'utf8'), /edited by hand/);
    });
  }

  it('an empty file is replaced; a folder or a missing parent folder is refused before any work', () => {
    const empty = path.join(dir, 'empty.html');
    fs.writeFileSync(empty, '');
    assert.equal(runCli(['compare', d, '--format', 'html', '--judge', 'off', '--output', empty]).status, 0);
    assert.match(fs.readFileSync(empty, 'utf8'), /<title>Code Origin/);
    const folder = runCli(['compare', d, '--judge', 'off', '--output', d]);
    assert.equal(folder.status, 2);
    assert.match(folder.stderr, /is a folder/);
    const missing = runCli(['compare', d, '--judge', 'off', '--output', path.join(dir, 'nope', 'r.json')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such folder/);
  });
});
