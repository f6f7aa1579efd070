// The CLI's output, messages and exit codes under hostile use, each run a bounded child process: output
// too big for one string, endless JSONL lines, a closed pipe, signals during compare-repos, git's own
// words, option-looking repositories, syntax errors (exit 1 by the README's contract).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hasModel } from '../origin/helpers';
import { runCli, runShell, tmpdir, watch } from './hostile';

const PY = `def moving_average(values, width):
    out = []
    total = sum(values[:width])
    out.append(total / width)
    for i in range(width, len(values)):
        total += values[i] - values[i - width]
        out.append(total / width)
    return out
`;

/** About `bytes` of small Python functions: a summary of many functions, so a big JSON document. */
function manyFunctions(bytes: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const s = `def f${i}(a):\n    return a\n`;
    parts.push(s);
    n += s.length;
  }
  return parts.join('');
}

describe('robustness: CLI output and exit codes', function () {
  this.timeout(120_000);
  let d: string;
  before(() => { d = tmpdir(); });
  after(() => fs.rmSync(d, { recursive: true, force: true }));

  it('summary --format json streams valid JSON in a heap that does not grow with the file count', () => {
    // Twelve 1 MB files (433k functions, 415 MB of JSON) threw "Invalid string length"; that now takes
    // ~40 s and a 512 MB heap. Here six 600 KB files (125 MB of JSON) in a 160 MB heap, where one string
    // of the whole output ran out of memory.
    const dir = path.join(d, 'big');
    fs.mkdirSync(dir);
    const body = manyFunctions(600_000);
    for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(dir, `f${i}.py`), body);
    const r = runCli(['summary', dir, '--format', 'json'], { heapMb: 160, timeoutMs: 110_000 });
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    const out = JSON.parse(r.stdout) as { files: Array<{ path: string; functions: unknown[] }> };
    assert.equal(out.files.length, 6);
    assert.ok(out.files.every((f) => f.functions.length === out.files[0]!.functions.length && f.functions.length > 20_000));
  });

  describe('classify --input-jsonl', function () {
    before(function () { if (!hasModel()) this.skip(); });

    it('a 70 MB line is reported in its place; the lines around it get results; NUL code is refused', () => {
      const file = path.join(d, 'huge.jsonl');
      const fd = fs.openSync(file, 'w');
      fs.writeSync(fd, `${JSON.stringify({ id: 'first', code: PY })}\n`);
      const zeros = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < 70; i++) fs.writeSync(fd, zeros);
      fs.writeSync(fd, '\n');
      fs.writeSync(fd, `${JSON.stringify({ id: 'nul', code: '\0'.repeat(2000) })}\n`);
      fs.writeSync(fd, `${JSON.stringify({ id: 'last', code: PY })}\n`);
      fs.closeSync(fd);
      const r = runCli(['classify', '--input-jsonl', file], { heapMb: 256, timeoutMs: 60_000 });
      assert.equal(r.status, 1, r.stderr);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string | null; label?: string; error?: string });
      assert.deepEqual(lines.map((l) => l.id), ['first', null, 'nul', 'last']);
      assert.ok(lines[0]!.label && lines[3]!.label);
      assert.match(lines[1]!.error!, /^line 2: longer than 67108864 bytes \(73400320 bytes\); skipped$/);
      assert.match(lines[2]!.error!, /^line 3: "code" refused: binary content \(contains NUL characters\)$/);
      assert.doesNotMatch(r.stderr, /Invalid string length|at .*\.js:\d+/);
    });

    it('an endless line (/dev/zero) still lets the records before it out', function () {
      if (!fs.existsSync('/dev/zero')) this.skip();
      const rec = path.join(d, 'one.jsonl');
      fs.writeFileSync(rec, `${JSON.stringify({ id: 'kept', code: PY })}\n`);
      // Killed after 10 s, as a user would stop it: the first record's result is out by then.
      const r = runShell(`cat "${rec}" /dev/zero | timeout -s KILL 10 "$NODE" --max-old-space-size=256 "$CLI" classify --input-jsonl -`, 30_000);
      assert.match(r.stdout, /^\{"id":"kept","label":"(human|llm|inconclusive)"/);
      assert.match(r.stderr, /line 2: longer than 67108864 bytes; skipping to its end/);
    });
  });

  it('output piped into `head -1` ends quietly: no EPIPE trace, exit 0', () => {
    const f = path.join(d, 'many.py');
    fs.writeFileSync(f, manyFunctions(300_000));
    for (const cmd of [`summary "${f}" --format json`, `compare "${f}" "${f}" --format json --all-pairs`]) {
      const r = runShell(`( "$NODE" "$CLI" ${cmd}; echo "status $?" >&2 ) | head -1`, 60_000);
      assert.equal(r.stdout, '{\n', cmd);
      assert.doesNotMatch(r.stderr, /EPIPE|Error|at .*\.js/, cmd);
      assert.match(r.stderr, /status 0/, cmd);
    }
  });

  it('syntax errors exit 1 in ast, summary, compare, classify and scan, with file:line:column', function () {
    const bad = path.join(d, 'bad.py');
    fs.writeFileSync(bad, `${PY}\ndef broken(:\n    pass\n`);
    const cmds = [['ast', bad], ['summary', bad], ['compare', bad]];
    if (hasModel()) cmds.push(['classify', bad], ['scan', bad]);
    for (const args of cmds) {
      const r = runCli(args, { timeoutMs: 60_000 });
      assert.equal(r.status, 1, `${args[0]}: ${r.stderr}`);
      if (args[0] === 'compare') assert.match(r.stderr, /bad\.py: syntax errors/);
      else assert.match(r.stderr, /bad\.py:10:\d+: /, args[0]);
      assert.ok(r.stdout.length > 0, `${args[0]} still prints its result`);
    }
    const good = path.join(d, 'good.py');
    fs.writeFileSync(good, PY);
    assert.equal(runCli(['ast', good]).status, 0);
    assert.equal(runCli(['compare', good]).status, 0);
  });

  describe('compare-repos', function () {
    let repos: string;
    const git = (cwd: string, ...a: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], { cwd, stdio: 'pipe' });
    const bare = (name: string, files: Record<string, string | Buffer>) => {
      const work = path.join(repos, `${name}-work`);
      fs.mkdirSync(work);
      for (const [f, body] of Object.entries(files)) fs.writeFileSync(path.join(work, f), body);
      git(work, 'init', '-q', '-b', 'main');
      git(work, 'add', '.');
      git(work, 'commit', '-qm', 'x');
      const b = path.join(repos, `${name}.git`);
      execFileSync('git', ['clone', '-q', '--bare', work, b]);
      return `file://${b}`;
    };
    before(function () {
      try { execFileSync('git', ['--version']); } catch { this.skip(); }
      repos = path.join(d, 'repos');
      fs.mkdirSync(repos);
    });

    it('SIGTERM or SIGINT while cloning or comparing removes every clone', async function () {
      // 60 MB that does not compress: a clone over file:// takes long enough to be interrupted.
      const slow = bare('slow', { 'a.py': PY, 'blob.bin': crypto.randomBytes(60 * 1024 * 1024) });
      const quick = bare('quick', { 'b.py': PY });
      for (const [sig, when] of [['SIGTERM', 'cloning'], ['SIGINT', 'cloning'], ['SIGTERM', 'compared']] as const) {
        const tmp = fs.mkdtempSync(path.join(d, 'tmp-'));
        const args = when === 'cloning' ? ['compare-repos', slow, quick] : ['compare-repos', quick, slow];
        const w = watch(args, { ...process.env, TMPDIR: tmp });
        // Cloning: as soon as the first clone folder exists. Comparing: once both clones are made
        // (the slow one is second, so its folder holds a checked-out a.py only at the end).
        const ready = () => {
          const dirs = fs.readdirSync(tmp).filter((n) => n.startsWith('code-origin-repo-'));
          if (when === 'cloning') return dirs.length >= 1;
          return dirs.length === 2 && dirs.every((n) => fs.existsSync(path.join(tmp, n, 'repo', 'a.py')) || fs.existsSync(path.join(tmp, n, 'repo', 'b.py')));
        };
        const t0 = Date.now();
        while (!ready() && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 20));
        assert.ok(ready(), `${sig} ${when}: never reached; ${w.stderr()}`);
        w.child.kill(sig);
        const timer = setTimeout(() => w.child.kill('SIGKILL'), 15_000);
        const { code } = await w.done;
        clearTimeout(timer);
        assert.equal(code, sig === 'SIGINT' ? 130 : 143, `${sig} ${when}: ${w.stderr()}`);
        assert.match(w.stderr(), new RegExp(`${sig}: removing the temporary clones`));
        await new Promise((r) => setTimeout(r, 500)); // a git left running would write again
        assert.deepEqual(fs.readdirSync(tmp), [], `${sig} ${when}`);
      }
    });

    it('git failures keep all of git\'s message', () => {
      const r = runCli(['compare-repos', `file://${repos}/none.git`, `file://${repos}/none2.git`]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /no repository there; git said:\n {2}fatal: .*none\.git' does not appear to be a git repository\n {2}fatal: Could not read from remote repository\.\n {2}\n?.*Please make sure you have the correct access rights\n {2}and the repository exists\./);
    });

    it('option-looking and odd-transport repositories never reach git as options', () => {
      const marks = [1, 2, 3, 4, 5].map((i) => path.join(d, `pwned-${i}`));
      const cases: Array<[string, number]> = [
        [`--upload-pack=touch ${marks[0]}`, 2],
        [`-oProxyCommand=touch ${marks[1]}`, 2],
        [`ext::sh -c touch% ${marks[2]}`, 2],
        [`ssh://-oProxyCommand=touch%20${marks[3]}/r.git`, 1], // git itself blocks the host name
        [`ext::touch%20${marks[4]}`, 2],
      ];
      for (const [spec, status] of cases) {
        const r = runCli(['compare-repos', spec, repos], { timeoutMs: 30_000 });
        assert.equal(r.status, status, `${spec}: ${r.stderr}`);
        assert.match(r.stderr, /looks like an option|whitespace, quotes or control characters|strange hostname|neither a supported URL nor an existing folder/);
      }
      for (const m of marks) assert.equal(fs.existsSync(m), false, m);
    });
  });
});
