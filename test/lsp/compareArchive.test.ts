// Compare Folders… with an archive, through the real server process: one folder of new submissions and a
// saved archive index (built by the bundled CLI); archived documents are marked and never paired together.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { program, unrelated, writeFiles } from '../cli/gradeFixtures';
import { startServer } from './judgeHarness';

interface Report { graph: { nodes: Array<{ id: string; archive?: boolean }> }; similarity: { pairs: Array<{ file1: string; file2: string; reported?: boolean; matching_regions: Array<{ file2_code: string }> }> }; metadata: { archive?: { documents: number } } }

describe('Compare Folders with an archive over LSP', function () {
  this.timeout(180_000);
  let dir: string;
  let storage: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-lsp-archive-'));
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-lsp-archive-st-'));
    writeFiles(dir, {
      'old/s1.py': program(1), 'old/s4.py': program(4), 'old/s5.py': program(4, 'Z'), 'old/u1.py': unrelated(1), 'old/u2.py': unrelated(2),
      'new/n1.py': program(1, 'Q'), 'new/v1.py': unrelated(11), 'new/v2.py': unrelated(12), 'notes.txt': 'plain text\n',
    });
    const b = spawnSync(process.execPath, [path.resolve('dist/cli.js'), 'archive', 'build', 'old', '-o', 'old.idx'], { cwd: dir, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('compares one folder with a saved index, and refuses a file that is not one', async () => {
    const s = await startServer(path.join(dir, 'new'), storage, { settings: { judge: { provider: 'local' } } });
    try {
      const r = await s.conn.sendRequest<{ report?: Report; error?: string }>('codeOrigin/compareInputs', { inputs: [path.join(dir, 'new')], archive: [path.join(dir, 'old.idx')] });
      assert.ok(r.report, r.error);
      const archived = new Set(r.report.graph.nodes.filter((n) => n.archive).map((n) => n.id));
      assert.equal(archived.size, 5);
      assert.equal(r.report.metadata.archive?.documents, 5);
      const copy = r.report.similarity.pairs.find((p) => p.file1.endsWith('n1.py') && p.file2 === path.join('old', 's1.py'));
      assert.ok(copy?.reported, 'the copy of an archived submission is reported');
      assert.match(copy.matching_regions[0]!.file2_code, /^\d+: /, 'with the archived code');
      for (const p of r.report.similarity.pairs) assert.ok(!(archived.has(p.file1) && archived.has(p.file2)));
      const bad = await s.conn.sendRequest<{ report?: Report; error?: string }>('codeOrigin/compareInputs', { inputs: [path.join(dir, 'new')], archive: [path.join(dir, 'notes.txt')] });
      assert.match(bad.error ?? '', /notes\.txt is not a folder, a \.zip, a source file or an archive index/);
      const alone = await s.conn.sendRequest<{ error?: string }>('codeOrigin/compareInputs', { inputs: [], archive: [path.join(dir, 'old.idx')] });
      assert.match(alone.error ?? '', /pick the new submissions too/);
      // The server is still answering.
      const again = await s.conn.sendRequest<{ report?: Report }>('codeOrigin/compareInputs', { inputs: [path.join(dir, 'new')], archive: [path.join(dir, 'old')] });
      assert.ok(again.report?.similarity.pairs.some((p) => p.reported && p.file2.endsWith('s1.py')));
    } finally {
      await s.close();
    }
  });
});
