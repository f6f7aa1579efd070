// The bundled CLI as a user runs it: a separate process, real files, exit codes and streams.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLI = path.resolve('dist/cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('code-origin CLI', () => {
  it('summarizes the examples folder as JSON', () => {
    const r = run('summary', 'examples', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { files: Array<{ path: string; language: string; functions: Array<{ name: string }> }> };
    const langs = new Set(out.files.map((f) => f.language));
    for (const l of ['python', 'javascript', 'typescript', 'java', 'c', 'cpp', 'go', 'rust']) assert.ok(langs.has(l), `missing ${l}`);
    const inv = out.files.find((f) => f.path === path.join('examples', 'python', 'inventory.py'))!;
    assert.deepEqual(inv.functions.map((f) => f.name), ['__init__', 'add', 'remove', 'restock_report']);
  });

  it('prints a table with function rows', () => {
    const r = run('summary', 'examples/java/Grades.java');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^file \/ function\s+lang\s+lines\s+LOC/m);
    assert.match(r.stdout, /^ {2}letter \(line 5\)/m);
  });

  it('exits 1 and explains when a file cannot be analysed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'bin.py'), Buffer.from([1, 0, 2]));
      fs.writeFileSync(path.join(dir, 'bad.py'), 'def f(:\n');
      const r = run('summary', path.join(dir, 'bin.py'), path.join(dir, 'bad.py'), '--format', 'json');
      assert.equal(r.status, 1);
      assert.match(r.stderr, /bin\.py: skipped: binary file/);
      assert.match(r.stderr, /bad\.py:1:\d+: /);
      const out = JSON.parse(r.stdout) as { files: Array<{ error?: string }> };
      assert.equal(out.files[0]!.error, 'binary file (contains NUL bytes)');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on usage errors, with the message on stderr', () => {
    for (const args of [['summary'], ['summary', 'examples', '--format', 'xml'], ['bogus'], ['summary', 'no/such/path'], ['ast', 'examples/go/retry.go', '--max-depth', '0']]) {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.length > 0);
      assert.equal(r.stdout, '');
    }
  });

  it('prints help per command and exits 0', () => {
    const r = run('ast', '--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: code-origin ast \[options\] <file>/);
    assert.match(r.stdout, /--max-depth/);
  });

  it('prints the AST with its caps', () => {
    const r = run('ast', 'examples/rust/tally.rs', '--max-nodes', '10');
    assert.equal(r.status, 0, r.stderr);
    const v = JSON.parse(r.stdout) as { truncated: boolean; node_count: number; caps: { max_nodes: number } };
    assert.equal(v.truncated, true);
    assert.equal(v.node_count, 10);
    assert.equal(v.caps.max_nodes, 10);
    assert.match(r.stderr, /tree truncated: node count capped at 10/);
  });
});
