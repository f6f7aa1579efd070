// Export Similarity Report… as CSV: the real server process renders the workspace report in both CSV
// layouts over JSON-RPC, with the same pairs and verdicts as the report itself.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FILE_COLUMNS, PAIR_COLUMNS } from '../../server/src/similarity/csv';
import { parseCsv } from '../cli/gradeFixtures';
import { startServer } from './judgeHarness';

const FIXTURE = path.resolve('test/fixtures/judge-workspace');

interface Report { analysis_id: string; graph: { nodes: Array<{ id: string }> }; similarity: { pairs: Array<{ file1: string; file2: string; similarity_score: number; refined_verdict?: { refined_risk_level: string } }> } }

describe('CSV export over LSP', function () {
  this.timeout(180_000);
  let dir: string;
  let storage: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-csv-ws-'));
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-csv-storage-'));
    for (const f of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('renders the pairs and the per-file highest matches of the workspace report', async () => {
    const s = await startServer(dir, storage, { settings: { judge: { provider: 'local', threshold: 0.5 } } });
    try {
      // The judged report follows the structural one: a report notification without `judging` marks it in.
      await s.waitFor(() => s.events.some((e) => e.kind === 'notification' && (e.detail as { method: string }).method === 'codeOrigin/reportChanged'
        && !(e.detail as { params: { judging?: boolean } }).params.judging));
      const report = await s.conn.sendRequest<Report | null>('codeOrigin/similarityReport', {});
      assert.ok(report?.similarity.pairs[0]?.refined_verdict, 'the pair is judged');
      const r = report!;
      const pairs = await s.conn.sendRequest<{ text: string }>('codeOrigin/renderReport', { analysis_id: r.analysis_id, format: 'csv' });
      const rows = parseCsv(pairs.text);
      assert.deepEqual(rows[0], [...PAIR_COLUMNS]);
      assert.equal(rows.length - 1, r.similarity.pairs.length);
      assert.equal(rows[1]![PAIR_COLUMNS.indexOf('file1')], r.similarity.pairs[0]!.file1);
      assert.equal(Number(rows[1]![PAIR_COLUMNS.indexOf('score')]), r.similarity.pairs[0]!.similarity_score);
      assert.equal(rows[1]![PAIR_COLUMNS.indexOf('risk')], r.similarity.pairs[0]!.refined_verdict!.refined_risk_level);
      const files = parseCsv((await s.conn.sendRequest<{ text: string }>('codeOrigin/renderReport', { analysis_id: r.analysis_id, format: 'csv-files' })).text);
      assert.deepEqual(files[0], [...FILE_COLUMNS]);
      assert.equal(files.length - 1, r.graph.nodes.length);
      const a = files.find((x) => x[0]!.endsWith('search_a.py'))!;
      assert.ok(a[FILE_COLUMNS.indexOf('best_match')]!.endsWith('search_b.py'));
    } finally {
      await s.close();
    }
  });
});
