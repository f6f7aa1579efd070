// Issue 21 item 15: LF, CRLF and lone-CR checkouts of one file get the same analysis and line numbers.
// Before: Grades.java was llm 0.988 with LF, human 0.378 with CRLF and 0.047 with lone CR, and a
// lone-CR file was one line long.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeText, normalizeLineEndings, originalOffset } from '../../server/src/core/source';
import { runCli, tempDir } from './crashHarness';

const GRADES = fs.readFileSync(path.resolve('examples/java/Grades.java'), 'utf8');
const ORIGINAL = fs.readFileSync(path.resolve('test/fixtures/similarity/java/Original.java'), 'utf8');
const crlf = (s: string) => s.replace(/\n/g, '\r\n');
const cr = (s: string) => s.replace(/\n/g, '\r');

describe('robustness: line endings', function () {
  this.timeout(120_000);
  const tmp = tempDir('code-origin-eol-');
  after(() => tmp.remove());
  const variants = (name: string, text: string) => ({
    lf: tmp.write(`lf/${name}`, text), crlf: tmp.write(`crlf/${name}`, crlf(text)), cr: tmp.write(`cr/${name}`, cr(text)),
  });

  it('the origin verdict (classify) is the same for LF, CRLF and lone CR', async () => {
    const v = variants('Grades.java', GRADES);
    const r = await runCli(['classify', '--format', 'json', v.lf, v.crlf, v.cr], { heapMb: 512, timeoutMs: 100_000 });
    assert.equal(r.code, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as { files: Array<{ p_llm: number; label: string }> }).files;
    assert.equal(files.length, 3);
    assert.equal(files[1]!.p_llm, files[0]!.p_llm);
    assert.equal(files[2]!.p_llm, files[0]!.p_llm);
    assert.equal(new Set(files.map((f) => f.label)).size, 1);
  });

  it('summaries: same functions on the same lines; lone CR gets no false syntax errors', async () => {
    const v = variants('Original.java', ORIGINAL);
    const r = await runCli(['summary', '--format', 'json', v.lf, v.crlf, v.cr], { heapMb: 256, timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    type S = { metrics: { total_lines: number }; functions: Array<{ name: string; range: unknown }>; syntax_errors: unknown[] };
    const [lf, crlfS, crS] = (JSON.parse(r.stdout) as { files: S[] }).files;
    assert.ok(lf!.functions.length >= 3);
    for (const s of [crlfS!, crS!]) {
      assert.deepEqual(s.syntax_errors, []);
      assert.equal(s.metrics.total_lines, lf!.metrics.total_lines);
      assert.deepEqual(s.functions.map((f) => [f.name, f.range]), lf!.functions.map((f) => [f.name, f.range]));
    }
  });

  it('a real syntax error is reported on the same line in all three', async () => {
    const broken = ORIGINAL.replace('int t = a % b;', 'int t = a % ;');
    const line = broken.slice(0, broken.indexOf('a % ;')).split('\n').length;
    const v = variants('Broken.java', broken);
    const r = await runCli(['summary', v.lf, v.crlf, v.cr], { heapMb: 256, timeoutMs: 60_000 });
    assert.equal(r.code, 1);
    const lines = [...r.stderr.matchAll(/Broken\.java:(\d+):\d+: /g)].map((m) => Number(m[1]));
    assert.deepEqual(lines, [line, line, line], r.stderr);
  });

  it('similarity: LF against CRLF and lone CR copies scores 1, with the same matched lines', async () => {
    const v = variants('Original.java', ORIGINAL);
    const r = await runCli(['compare', v.lf, v.crlf, v.cr, '--format', 'json', '--workers', '0'], { heapMb: 512, timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const pairs = (JSON.parse(r.stdout) as { similarity: { pairs: Array<{ similarity_score: number; matching_regions: Array<{ file1_lines: unknown; file2_lines: unknown }> }> } }).similarity.pairs;
    assert.equal(pairs.length, 3);
    for (const p of pairs) {
      assert.equal(p.similarity_score, 1);
      for (const m of p.matching_regions) assert.deepEqual(m.file1_lines, m.file2_lines);
    }
  });

  it('decodeText normalizes; originalOffset maps offsets back to the CRLF text', () => {
    const raw = 'a\r\nbc\rd\r\n\r\ne';
    const r = decodeText(Buffer.from(raw));
    assert.ok(r.ok);
    assert.equal(r.text, 'a\nbc\nd\n\ne');
    assert.equal(normalizeLineEndings('x\n'), 'x\n');
    const back = originalOffset(raw);
    for (let i = 0; i < r.text.length; i++) {
      const ch: string = r.text[i]!;
      const o = back(i);
      assert.equal(ch === '\n' ? (raw[o] === '\n' || raw[o] === '\r') : raw[o] === ch, true, `offset ${i} -> ${o}`);
    }
    assert.equal(back(r.text.length), raw.length);
  });
});
