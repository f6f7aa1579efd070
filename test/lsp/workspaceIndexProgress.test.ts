// The workspace index through the real server process: work-done progress with percentages and
// file counts, the file cap with its one warning, and a quick incremental update after an edit.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer } from './workspaceHarness';

const FIXTURE = path.resolve('test/fixtures/workspace');

interface Report { files: Array<{ path: string }>; metadata: { skipped_files?: number; incremental?: boolean; cache?: { pair_scored: number } } }

describe('workspace index: progress, file cap, incremental update', function () {
  let dir: string;
  let storage: string;
  const uri = (name: string) => pathToFileURL(path.join(dir, name)).toString();

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-wsi-'));
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-wsi-storage-'));
    for (const f of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('reports work-done progress with percentages and file counts', async () => {
    const s = await startServer(dir, storage, {});
    try {
      await s.waitFor(() => s.reports() > 0);
      await s.waitFor(() => s.progress.some((p) => p.kind === 'end'));
      const reports = s.progress.filter((p) => p.kind === 'report');
      assert.ok(reports.length >= 2, JSON.stringify(s.progress));
      assert.ok(reports.every((p) => typeof p.percentage === 'number' && p.percentage >= 0 && p.percentage <= 100));
      const pcts = reports.map((p) => p.percentage!);
      assert.ok(pcts.every((x, i) => i === 0 || x >= pcts[i - 1]!), `percentages rise: ${pcts}`);
      assert.equal(pcts.at(-1), 100);
      assert.ok(reports.some((p) => p.message === '3/3 files'), JSON.stringify(reports));
    } finally {
      await s.close();
    }
  });

  it('analyses the first maxFiles files and warns once with the skipped count and the setting', async () => {
    const s = await startServer(dir, storage, { similarity: { maxFiles: 2 } });
    try {
      await s.waitFor(() => s.messages.length > 0);
      const report = await s.conn.sendRequest<Report>('codeOrigin/similarityReport', {});
      assert.deepEqual(report.files.map((f) => path.basename(f.path)), ['original.py', 'renamed.py']);
      assert.equal(report.metadata.skipped_files, 1);
      const warnings = s.messages.filter((m) => m.type === 2);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!.message, /3 source files; similarity analyzed the first 2 and skipped 1\. Raise the "codeOrigin\.similarity\.maxFiles" setting/);
      // The next run (a change on disk) does not repeat it.
      fs.appendFileSync(path.join(dir, 'original.py'), '\n# touched\n');
      const before = s.reports();
      await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('original.py'), type: 2 }] });
      await s.waitFor(() => s.reports() > before);
      assert.equal(s.messages.filter((m) => m.type === 2).length, 1);
    } finally {
      await s.close();
    }
  });

  it('updates incrementally after an edit: only the edited file is read and its pairs scored', async () => {
    const s = await startServer(dir, storage, {});
    try {
      await s.waitFor(() => s.diagnostics.has(uri('original.py')));
      const before = s.reports();
      // The unrelated file becomes a copy of the original.
      fs.writeFileSync(path.join(dir, 'unrelated.py'), `${fs.readFileSync(path.join(dir, 'original.py'), 'utf8')}\n# mine now\n`);
      await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('unrelated.py'), type: 2 }] });
      await s.waitFor(() => s.reports() > before && (s.diagnostics.get(uri('unrelated.py')) ?? []).length > 0);
      // The quick update scored only the edited file's pairs (two at most); the exact run that
      // follows found every pair score in memory.
      const runs = () => s.logs.filter((l) => l.startsWith('similarity: '));
      await s.waitFor(() => runs().some((l) => l.includes('(incremental update)')));
      const quick = runs().find((l) => l.includes('(incremental update)'))!;
      assert.match(quick, /; [012] pairs scored;/);
      await s.waitFor(() => / ms; 0 pairs scored;/.test(runs().at(-1)!) && runs().indexOf(quick) < runs().length - 1);
      const report = await s.conn.sendRequest<Report>('codeOrigin/similarityReport', {});
      assert.notEqual(report.metadata.incremental, true);
      assert.equal(report.metadata.cache?.pair_scored, 0);
    } finally {
      await s.close();
    }
  });
});
