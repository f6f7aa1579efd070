// Reports of very many pairs: 800 identical files (320,000 reported pairs) made `compare --format json`
// fail ("Invalid string length": over the longest JavaScript string), `--format table` overflow the call
// stack (Math.max over every row), and `--format html` write a 431 MB page. JSON is now written in parts
// with exactly JSON.stringify's layout, the table measures columns in a loop, and a page lists at most
// HTML_PAIRS_MAX pairs and says where the rest are.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { HTML_PAIRS_MAX } from '../../protocol/config';
import { jsonPieces } from '../../server/src/cli/jsonStream';
import { renderTable } from '../../server/src/cli/table';
import { runCli, tmpdir } from '../robustness/hostile';

const SRC = 'def f(a, b):\n    s = 0\n    for x in range(a, b):\n        if x % 3 == 0:\n            s += x\n    return s\n';

describe('CLI: reports of very many pairs', function () {
  this.timeout(180_000);
  const dir = tmpdir('code-origin-big-');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('JSON in parts is JSON.stringify(value, null, 2) to the character', () => {
    const values: unknown[] = [
      { a: 1, b: [1, 2, { c: [] }], d: {}, e: undefined, f: 'x\ny', g: [undefined, () => 1, null], h: { i: { j: { k: [1, [2, [3]]] } } }, t: new Date(0) },
      [], {}, [[]], [{}], 's', 1, null, [1, { a: [{ b: 2 }] }], { x: [[[1, 2], [3]], { y: { z: [{ w: 1, v: 'é\u2028' }] } }] },
    ];
    for (const v of values) assert.equal([...jsonPieces(v)].join(''), JSON.stringify(v, null, 2));
  });

  it('a table of 320,000 rows is drawn', () => {
    const rows = Array.from({ length: 320_000 }, (_, i) => [`f${i}.py`, i]);
    const t = renderTable(['file', 'n'], rows);
    assert.equal(t.split('\n').length, 320_002);
    assert.match(t, /^file\s+n\n-+ {2}-+\nf0\.py\s+0$/m);
  });

  it('120 identical files: the JSON lists every pair and matches its own JSON.stringify; the page lists 5,000 and says so', () => {
    const d = path.join(dir, 'same');
    fs.mkdirSync(d);
    for (let i = 0; i < 120; i++) fs.writeFileSync(path.join(d, `s${i}.py`), SRC);
    const pairs = (120 * 119) / 2;
    assert.ok(pairs > HTML_PAIRS_MAX);
    const json = runCli(['compare', d, '--format', 'json'], { heapMb: 1024, timeoutMs: 120_000 });
    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { similarity: { pairs: unknown[] } };
    assert.equal(report.similarity.pairs.length, pairs);
    assert.equal(json.stdout, `${JSON.stringify(report, null, 2)}\n`, 'written in parts, laid out as one string would be');
    const out = path.join(dir, 'same.html');
    const html = runCli(['compare', d, '--format', 'html', '--output', out], { heapMb: 1024, timeoutMs: 120_000 });
    assert.equal(html.status, 0, html.stderr);
    const page = fs.readFileSync(out, 'utf8');
    assert.equal((page.match(/<tr><td>\d+<\/td><td><a href="#pair-/g) ?? []).length, HTML_PAIRS_MAX);
    assert.match(page, new RegExp(`The 5,000 highest-ranked of ${pairs.toLocaleString('en')} reported pairs are listed here`));
    assert.match(page, new RegExp(`${(pairs - HTML_PAIRS_MAX).toLocaleString('en')} more judged pairs`));
  });
});
