// `compare --format csv` and `csv-files`: real compare runs of the bundled CLI on generated folders,
// the CSV read back with an RFC 4180 reader and checked against the JSON report of the same inputs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FILE_COLUMNS, PAIR_COLUMNS } from '../../server/src/similarity/csv';
import { parseCsv, program, unrelated, writeFiles } from './gradeFixtures';

const CLI = path.resolve('dist/cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

interface Pair { file1: string; file2: string; similarity_score: number; significance?: number; standout?: number; reported?: boolean; components: { ast: number; cfg: number; dataflow: number };
  matching_regions: unknown[]; refined_verdict?: { refined_classification: string; refined_risk_level: string }; llm_verdict?: { classification: string; confidence: string } }

describe('compare --format csv', function () {
  this.timeout(120_000);
  let dir: string;
  // Names a spreadsheet would misread: a formula, a quote and comma, a line break, a leading minus.
  const hostile = ['=HYPERLINK("x"),1.py', '-2+3.py', 'new\nline.py', '@sum.py'];
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-csv-'));
    const files: Record<string, string> = {};
    files['a.py'] = program(1);
    files[hostile[0]!] = program(1, 'Q');
    files[hostile[1]!] = program(2);
    files[hostile[2]!] = program(2, '_b');
    files[hostile[3]!] = program(3);
    for (let i = 0; i < 8; i++) files[`u${i}.py`] = unrelated(i);
    writeFiles(dir, files);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one row per reported pair with the JSON report\'s values, quoted and guarded', () => {
    const json = run('compare', dir, '--format', 'json');
    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { similarity: { pairs: Pair[] } };
    const out = path.join(dir, 'pairs.csv');
    const r = run('compare', dir, '--format', 'csv', '-o', out);
    assert.equal(r.status, 0, r.stderr);
    const text = fs.readFileSync(out, 'utf8');
    assert.ok(text.endsWith('\r\n'), 'rows end in CRLF');
    const rows = parseCsv(text);
    assert.deepEqual(rows[0], [...PAIR_COLUMNS]);
    const body = rows.slice(1);
    assert.ok(report.similarity.pairs.length >= 2, 'the copies are reported');
    assert.equal(body.length, report.similarity.pairs.length);
    const unguard = (s: string) => s.replace(/^'(?=[=+\-@\t\r])/, '');
    report.similarity.pairs.forEach((p, k) => {
      const row = Object.fromEntries(PAIR_COLUMNS.map((c, i) => [c, body[k]![i]!]));
      assert.equal(unguard(row.file1!), p.file1);
      assert.equal(unguard(row.file2!), p.file2);
      assert.equal(Number(row.score), p.similarity_score);
      assert.equal(row.reported, String(!!p.reported));
      assert.equal(row.significance, p.significance === undefined ? '' : String(p.significance));
      assert.equal(row.standout, p.standout === undefined ? '' : String(p.standout));
      assert.equal(Number(row.ast), p.components.ast);
      assert.equal(Number(row.cfg), p.components.cfg);
      assert.equal(Number(row.dataflow), p.components.dataflow);
      assert.equal(Number(row.regions), p.matching_regions.length);
      assert.equal(row.verdict, p.refined_verdict?.refined_classification ?? p.llm_verdict?.classification ?? '');
      assert.equal(row.risk, p.refined_verdict?.refined_risk_level ?? '');
      assert.equal(row.file1_archive, 'false');
    });
    // The local judge ran on the near-copies: a verdict and a risk level reach the sheet.
    assert.ok(body.some((r) => r[PAIR_COLUMNS.indexOf('verdict')] !== '' && r[PAIR_COLUMNS.indexOf('risk')] !== ''));
    // No path cell starts with a formula character once read back (the apostrophe guard).
    for (const row of body) for (const cell of row.slice(0, 2)) assert.doesNotMatch(cell, /^[=+\-@]/);
    const named = new Set(body.flatMap((r) => [r[0]!, r[1]!]));
    assert.ok(named.has(`'${path.join(dir, hostile[0]!)}`) || named.has(path.join(dir, hostile[0]!)) || [...named].some((n) => n.endsWith(hostile[0]!)));
    assert.ok([...named].some((n) => n.endsWith('new\nline.py')), 'a line break inside a name survives quoting');
  });

  it('guards every leading formula character, even where a path cell itself starts with one', () => {
    // Relative inputs make the cells start with the file names themselves.
    const r = spawnSync(process.execPath, [CLI, 'compare', '.', '--format', 'csv'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const rows = parseCsv(r.stdout).slice(1);
    const cells = rows.flatMap((x) => [x[0]!, x[1]!]);
    assert.ok(cells.includes(`'${hostile[0]}`), `guarded formula cell in ${JSON.stringify(cells)}`);
    assert.ok(cells.includes(`'${hostile[1]}`));
    for (const c of cells) assert.doesNotMatch(c, /^[=+\-@]/);
  });

  it('writes one row per document with its highest match (csv-files)', () => {
    const json = JSON.parse(run('compare', dir, '--format', 'json').stdout) as { graph: { nodes: Array<{ id: string; files: number }> }; similarity: { pairs: Pair[] } };
    const out = path.join(dir, 'files.csv');
    const r = run('compare', dir, '--format', 'csv-files', '-o', out);
    assert.equal(r.status, 0, r.stderr);
    const rows = parseCsv(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(rows[0], [...FILE_COLUMNS]);
    const body = rows.slice(1);
    assert.equal(body.length, json.graph.nodes.length, 'every analysed document has a row');
    const col = (name: (typeof FILE_COLUMNS)[number]) => FILE_COLUMNS.indexOf(name);
    for (const row of body) {
      const doc = row[col('document')]!.replace(/^'(?=[=+\-@])/, '');
      const mine = json.similarity.pairs.filter((p) => p.reported !== false && (p.file1 === doc || p.file2 === doc));
      assert.equal(Number(row[col('reported_pairs')]), mine.length, doc);
      if (mine.length === 0) {
        assert.equal(row[col('highest_score')], '');
        continue;
      }
      const best = Math.max(...mine.map((p) => p.similarity_score));
      assert.equal(Number(row[col('highest_score')]), best, doc);
      const other = row[col('best_match')]!.replace(/^'(?=[=+\-@])/, '');
      assert.ok(mine.some((p) => p.similarity_score === best && (p.file1 === other || p.file2 === other)), `${doc} → ${other}`);
    }
    const copied = body.find((r) => r[col('document')] === path.join(dir, 'a.py'))!;
    assert.ok(copied[col('best_match')]!.endsWith(hostile[0]!), 'a.py\'s highest match is its disguised copy');
  });

  it('refuses an unknown format with exit 2', () => {
    const r = run('compare', dir, '--format', 'xlsx');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--format must be one of json, table, html, csv, csv-files/);
  });
});
