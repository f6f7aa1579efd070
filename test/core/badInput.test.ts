// Bad input: oversized, binary, invalid UTF-8, empty and broken files get a clear reason or a partial analysis.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarizeFile, summarizeSource } from '../../server/src/core/analyze';
import { readSource } from '../../server/src/core/source';

describe('bad input', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-bad-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, data: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, data);
    return p;
  };

  it('skips files above the size limit without reading them', async () => {
    const p = write('big.py', 'x = 1\n'.repeat(2000));
    const r = await readSource(p, { maxBytes: 1024 });
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /file too large \(11\.7 KiB > limit 1\.0 KiB\)/);
  });

  it('skips binary files', async () => {
    const r = await summarizeFile(write('blob.c', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2])));
    assert.deepEqual(r.ok ? undefined : r.error, 'binary file (contains NUL bytes)');
  });

  it('reports the byte offset of invalid UTF-8', async () => {
    const r = await summarizeFile(write('latin1.py', Buffer.concat([Buffer.from('s = "caf'), Buffer.from([0xe9]), Buffer.from('"\n')])));
    assert.deepEqual(r.ok ? undefined : r.error, 'invalid UTF-8 at byte 8');
  });

  it('refuses unsupported extensions and missing files', async () => {
    const txt = await summarizeFile(write('notes.txt', 'hello'));
    assert.deepEqual(txt.ok ? undefined : txt.error, 'unsupported file type');
    const missing = await summarizeFile(path.join(dir, 'nope.py'));
    assert.deepEqual(missing.ok ? undefined : missing.error, 'cannot read: ENOENT');
  });

  it('analyses an empty file as empty', async () => {
    const r = await summarizeFile(write('empty.go', ''));
    assert.ok(r.ok);
    assert.equal(r.result.metrics.lines_of_code, 0);
    assert.equal(r.result.metrics.total_lines, 0);
    assert.equal(r.result.functions.length, 0);
  });

  it('strips a UTF-8 byte-order mark', async () => {
    const r = await summarizeFile(write('bom.py', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('def f():\n    pass\n')])));
    assert.ok(r.ok);
    assert.equal(r.result.functions[0]!.name_range.start.character, 4);
  });

  it('reports syntax errors with line and column and still analyses the rest', async () => {
    const src = 'def ok(a):\n    return a\n\ndef broken(:\n    pass\n\ndef later(b):\n    if b:\n        return 1\n';
    const s = await summarizeSource(src, 'python');
    assert.ok(s.syntax_errors.length >= 1);
    assert.equal(s.syntax_errors[0]!.line, 4);
    assert.equal(s.syntax_errors[0]!.column, 12); // the unexpected ':' after '('
    assert.match(s.syntax_errors[0]!.message, /syntax error|missing/);
    const names = s.functions.map((f) => f.name);
    assert.ok(names.includes('ok') && names.includes('later'), `functions found: ${names.join(', ')}`);
    assert.equal(s.functions.find((f) => f.name === 'later')!.metrics.if_count, 1);
  });

  it('reports a missing token', async () => {
    const s = await summarizeSource('int main() { return 0 }\n', 'c');
    assert.deepEqual(s.syntax_errors.map((e) => [e.line, e.message]), [[1, 'missing ";"']]);
  });

  it('survives very deep nesting without recursion', async () => {
    const depth = 5000;
    const src = `x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n`;
    const s = await summarizeSource(src, 'python');
    assert.ok(s.metrics.ast_depth > depth, `depth ${s.metrics.ast_depth}`);
    const js = `let x = ${'['.repeat(depth)}${']'.repeat(depth)};\n`;
    const t = await summarizeSource(js, 'javascript');
    assert.ok(t.metrics.ast_depth > depth);
  });

  it('measures columns in UTF-16 code units, as LSP does', async () => {
    const s = await summarizeSource('s = "é😀"; def f(): pass\n'.replace('; ', '\n'), 'python');
    assert.equal(s.functions[0]!.name_range.start.line, 1);
    const t = await summarizeSource('const s = "😀"; function g() {}\n', 'javascript');
    // "const s = " (10) + quote, 2 code units for the emoji, quote, "; function " -> g at 25.
    assert.equal(t.functions[0]!.name_range.start.character, 25);
  });
});
