// File and zip-entry names that carry terminal control characters (ESC sequences, BEL, CR, LF, C1 CSI,
// bidi overrides) must reach the terminal escaped: checked on the bytes the bundled CLI writes to
// stdout and stderr, for table output, JSON output and the per-file messages.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { oneLine, terminalSafe } from '../../server/src/cli/terminalText';
import { renderTable } from '../../server/src/cli/table';

const CLI = path.resolve('dist/cli.js');
const PY = 'def total(xs):\n    s = 0\n    for x in xs:\n        if x > 0:\n            s += x * 2\n    return s\n';
const PY_COPY = 'def summe(ys):\n    t = 0\n    for y in ys:\n        if y > 0:\n            t += y * 2\n    return t\n';
// One name per hostile character: colour escape, BEL, CR, LF, RLO, 8-bit CSI, OSC title with ST.
const NAMES = ['a\u001b[31mred', 'b\u0007bell', 'c\rover', 'd\nfake', 'e\u202eyp.exe', 'f\u009b2Jcsi', 'g\u001b]0;pwned\u001b\\title'];

/** Byte offsets of anything a terminal would act on: C0 but TAB/LF, DEL, C1 (UTF-8 C2 80..9F), bidi and line separators. */
function rawControls(buf: Buffer): string[] {
  const found: string[] = [];
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a) || b === 0x7f) found.push(`0x${b.toString(16)} at ${i}`);
    else if (b === 0xc2 && buf[i + 1]! >= 0x80 && buf[i + 1]! <= 0x9f) found.push(`C1 at ${i}`);
    else if (b === 0xd8 && buf[i + 1] === 0x9c) found.push(`ALM at ${i}`);
    else if (b === 0xe2 && buf[i + 1] === 0x80 && [0x8e, 0x8f, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae].includes(buf[i + 2]!)) found.push(`bidi/separator at ${i}`);
    else if (b === 0xe2 && buf[i + 1] === 0x81 && buf[i + 2]! >= 0xa6 && buf[i + 2]! <= 0xa9) found.push(`isolate at ${i}`);
  }
  return found;
}

function run(args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: Buffer }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(killer);
    resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
  }));
}

describe('robustness: control characters in names never reach the terminal raw', function () {
  this.timeout(90_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-terminal-'));
    const folder = path.join(dir, 'in');
    fs.mkdirSync(folder);
    NAMES.forEach((n, i) => fs.writeFileSync(path.join(folder, `${n}.py`), i % 2 ? PY_COPY : PY));
    // Named hostile too: a binary file (skipped) and one with a syntax error (reported on stderr).
    fs.writeFileSync(path.join(folder, 'h\u001b[2Jbin.py'), Buffer.from([0, 1, 2, 0]));
    fs.writeFileSync(path.join(folder, 'i\u0007\nbad.py'), 'def f(:\n');
    const enc = (s: string) => new TextEncoder().encode(s);
    fs.writeFileSync(path.join(dir, 'sub.zip'), zipSync(Object.fromEntries([
      ...NAMES.map((n, i) => [`z/${n}.py`, enc(i % 2 ? PY_COPY : PY)]),
      ['z/j\u001b[5mbin\r.py', new Uint8Array([0, 1, 0, 2])],
    ])));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('escapes every control character but TAB and LF (and those too inside one value), as valid JSON escapes', () => {
    for (const n of NAMES) {
      const line = oneLine(n);
      assert.deepEqual(rawControls(Buffer.from(line)), [], JSON.stringify(line));
      assert.ok(!line.includes('\n'));
      // In JSON output the escape decodes to the same name.
      assert.equal(JSON.parse(terminalSafe(JSON.stringify(n))), n);
    }
    assert.equal(terminalSafe('a\tb\nc\u001bd'), 'a\tb\nc\\u001bd');
    assert.equal(oneLine('a\tb\nc'), 'a\\u0009b\\u000ac');
    assert.equal(terminalSafe('plain ünïcode ✓'), 'plain ünïcode ✓');
    const table = renderTable(['file', 'n'], [['d\nfake.py', 1]]);
    assert.equal(table.split('\n').length, 3, 'a name cannot add a table row');
  });

  for (const [what, args] of [
    ['compare --format table (folder)', (d: string) => ['compare', path.join(d, 'in'), '--format', 'table', '--min-score', '0', '--common-share', '0']],
    ['compare --format table (zip entries)', (d: string) => ['compare', path.join(d, 'sub.zip'), '--format', 'table', '--min-score', '0', '--common-share', '0']],
    ['compare --format json (folder and zip)', (d: string) => ['compare', path.join(d, 'in'), path.join(d, 'sub.zip'), '--min-score', '0', '--common-share', '0']],
    ['summary --format table', (d: string) => ['summary', path.join(d, 'in'), '--format', 'table']],
    ['summary --format json', (d: string) => ['summary', path.join(d, 'in'), '--format', 'json']],
  ] as const) {
    it(`${what}: no raw control bytes on stdout or stderr`, async () => {
      const r = await run(args(dir));
      assert.ok(r.stdout.length > 0, String(r.stderr));
      assert.deepEqual(rawControls(r.stdout), [], 'stdout');
      assert.deepEqual(rawControls(r.stderr), [], 'stderr');
      const out = String(r.stdout);
      const err = String(r.stderr);
      // The names are there, escaped, and the LF in a name did not start a line of its own.
      assert.ok(/a\\u001b\[31mred/.test(out + err), 'escaped colour sequence shown');
      assert.ok(!/^fake\.py/m.test(out) && !/^bad\.py/m.test(err), 'a name broke a line');
      assert.match(err, /bin(\\u000d)?\.py: skipped: binary/);
      if (what.includes('json')) {
        const parsed = JSON.parse(out) as { files: Array<{ path: string }> };
        assert.ok(parsed.files.some((f) => f.path.includes('e\u202eyp.exe')), 'JSON output decodes to the real names');
      }
    });
  }
});
