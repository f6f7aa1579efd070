// The workspace similarity index through the real server process: diagnostics on copied regions with
// related locations, updates after a change on disk, and the persistent cache across a restart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { startServer } from './workspaceHarness';

const FIXTURE = path.resolve('test/fixtures/workspace');

describe('workspace similarity over LSP', function () {
  let dir: string;
  let storage: string;
  const uri = (name: string) => pathToFileURL(path.join(dir, name)).toString();

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-ws-'));
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-storage-'));
    for (const f of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('publishes diagnostics on both sides of a copied region, with related locations and a hover', async () => {
    const s = await startServer(dir, storage);
    try {
      await s.waitFor(() => s.judged() > 0 && s.diagnostics.has(uri('original.py')) && s.diagnostics.has(uri('renamed.py')));
      assert.equal(s.reports(), 2, 'structural results first, then the judged ones');
      const [d] = s.diagnostics.get(uri('original.py'))!;
      assert.ok(d);
      assert.equal(d.source, 'Code Origin');
      assert.equal(d.code, 'similar-code');
      assert.match(d.message, /^Lines 1–15 closely match renamed\.py:2–15 \(similarity 0\.\d\d — AST 0\.\d\d, CFG 0\.\d\d, data flow 0\.\d\d\) — judge: likely copy, risk HIGH$/, 'the local judge runs by default');
      assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 15, character: 0 } });
      assert.equal(d.relatedInformation?.[0]?.location.uri, uri('renamed.py'));
      assert.deepEqual(d.relatedInformation?.[0]?.location.range.start, { line: 1, character: 0 });
      const [back] = s.diagnostics.get(uri('renamed.py'))!;
      assert.equal(back!.relatedInformation?.[0]?.location.uri, uri('original.py'));
      assert.equal(s.diagnostics.has(uri('unrelated.py')), false);

      const hover = await s.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uri('renamed.py') }, position: { line: 5, character: 4 } });
      const md = (hover!.contents as MarkupContent).value;
      assert.match(md, /closely match original\.py:1–15/);
      assert.match(md, /\[Compare side by side\]\(command:codeOrigin\.compareRegions\?/);

      // The client asks for the report without the regions' code (it reads workspace files itself).
      type Regions = { similarity: { pairs: Array<{ matching_regions: Array<{ file1_lines: number[]; file1_code?: string; file2_code?: string }> }> } };
      const full = await s.conn.sendRequest<Regions>('codeOrigin/similarityReport', {});
      const lean = await s.conn.sendRequest<Regions>('codeOrigin/similarityReport', { withoutCode: true });
      const [r1] = full.similarity.pairs[0]!.matching_regions;
      const [r2] = lean.similarity.pairs[0]!.matching_regions;
      assert.match(r1!.file1_code!, /^ *1[ :]/);
      assert.deepEqual(r2!.file1_lines, r1!.file1_lines);
      assert.equal('file1_code' in r2! || 'file2_code' in r2!, false);
    } finally {
      await s.close();
    }
  });

  it('updates after a file changes on disk, and reuses its cache after a restart', async () => {
    const s = await startServer(dir, storage);
    try {
      await s.waitFor(() => s.diagnostics.has(uri('original.py')));
      const first = await s.conn.sendRequest<{ metadata: { cache?: { hits: number; misses: number } } }>('codeOrigin/similarityReport', {});
      assert.deepEqual(first.metadata.cache && { hits: first.metadata.cache.hits, misses: first.metadata.cache.misses }, { hits: 3, misses: 0 });
      // The unrelated file becomes a copy (plus a comment, so its content is new to the cache);
      // the watcher event triggers re-analysis.
      fs.writeFileSync(path.join(dir, 'unrelated.py'), `${fs.readFileSync(path.join(dir, 'original.py'), 'utf8')}# copied\n`);
      await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('unrelated.py'), type: 2 }] });
      await s.waitFor(() => (s.diagnostics.get(uri('unrelated.py')) ?? []).length > 0);
      const identical = s.diagnostics.get(uri('unrelated.py'))!.find((d) => d.relatedInformation?.[0]?.location.uri === uri('original.py'));
      assert.match(identical!.message, /similarity 1\.00/);
      const report = await s.conn.sendRequest<{ metadata: { cache?: { hits: number; misses: number; pair_scored: number } } }>('codeOrigin/similarityReport', {});
      // Only the changed file was analysed again: by the quick update (1 miss), or by neither run when
      // the exact run that follows it has already replaced the report (its features are in memory).
      assert.ok(report.metadata.cache!.misses <= 1);
      assert.equal(report.metadata.cache!.hits + report.metadata.cache!.misses, 3);
      // ...and only its pairs were scored (it has at most two).
      assert.ok(report.metadata.cache!.pair_scored <= 2);
    } finally {
      await s.close();
    }
  });

  it('a file created in the workspace joins a quick update of the last run, then the exact run', async () => {
    const s = await startServer(dir, storage);
    const fresh = path.join(dir, 'fresh_copy.py');
    try {
      await s.waitFor(() => s.diagnostics.has(uri('original.py')) && s.logs.some((l) => /^similarity: judged/.test(l)));
      fs.writeFileSync(fresh, `${fs.readFileSync(path.join(dir, 'original.py'), 'utf8')}# a new file\n`);
      const before = s.logs.length;
      await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('fresh_copy.py'), type: 1 }] });
      await s.waitFor(() => (s.diagnostics.get(uri('fresh_copy.py')) ?? []).length > 0);
      const runs = () => s.logs.slice(before).filter((l) => /^similarity: \d+ files/.test(l));
      // The quick update already has the new file (4 files, its pairs only); the exact run follows it.
      await s.waitFor(() => runs().length >= 2);
      assert.match(runs()[0]!, /^similarity: 4 files, .*\(incremental update\); [0-3] pairs scored/);
      assert.doesNotMatch(runs()[1]!, /incremental/);
      assert.match(runs()[1]!, /^similarity: 4 files/);
      const d = s.diagnostics.get(uri('fresh_copy.py'))!.find((x) => x.relatedInformation?.[0]?.location.uri === uri('original.py'));
      assert.match(d!.message, /similarity 1\.00/);
    } finally {
      fs.rmSync(fresh, { force: true });
      await s.close();
    }
  });

  it('with diagnosticsScope "openFiles", publishes each file’s diagnostics when it opens and withdraws them when it closes', async () => {
    const s = await startServer(dir, storage, { similarity: { diagnosticsScope: 'openFiles' } });
    try {
      await s.waitFor(() => s.reports() > 0);
      const report = await s.conn.sendRequest<{ summary: { suspicious_pairs_count: number } }>('codeOrigin/similarityReport', {});
      assert.ok(report.summary.suspicious_pairs_count > 0, 'the report still lists every pair');
      assert.equal(s.diagnostics.size, 0, 'nothing published while no file is open');
      const text = fs.readFileSync(path.join(dir, 'renamed.py'), 'utf8');
      await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('renamed.py'), languageId: 'python', version: 1, text } });
      await s.waitFor(() => (s.diagnostics.get(uri('renamed.py')) ?? []).length > 0);
      assert.match(s.diagnostics.get(uri('renamed.py'))![0]!.message, /closely match original\.py:1–15/);
      assert.equal(s.diagnostics.has(uri('original.py')), false, 'the other side is not open');
      const hover = await s.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uri('renamed.py') }, position: { line: 5, character: 4 } });
      assert.match((hover!.contents as MarkupContent).value, /Compare side by side/);
      await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uri('renamed.py') } });
      await s.waitFor(() => s.diagnostics.get(uri('renamed.py'))?.length === 0);
    } finally {
      await s.close();
    }
  });

  it('parses a larger workspace on worker threads (the server bundle serves them without starting a connection)', async () => {
    const big = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-ws-big-'));
    const st = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-storage-big-'));
    // Over 50 files to parse, so the pool is used; two of them are copies, so the judge runs too.
    const original = fs.readFileSync(path.join(FIXTURE, 'original.py'), 'utf8');
    for (let i = 0; i < 60; i++) fs.writeFileSync(path.join(big, `m${i}.py`), i < 2 ? original : `def f${i}(x):\n${'    x = x * 3 - 1\n'.repeat((i % 9) + 1)}    return x\n`);
    const s = await startServer(big, st);
    try {
      await s.waitFor(() => s.judged() > 0);
      const r = await s.conn.sendRequest<{ metadata: { workers_used: number }; files: unknown[]; similarity: { pairs: Array<{ llm_verdict?: unknown }> } }>('codeOrigin/similarityReport', { withoutCode: true });
      assert.equal(r.files.length, 60);
      assert.ok(r.metadata.workers_used >= 1, `workers_used ${r.metadata.workers_used}`);
      assert.ok(r.similarity.pairs.some((p) => p.llm_verdict), 'the copies were judged');
    } finally {
      await s.close();
      fs.rmSync(big, { recursive: true, force: true });
      fs.rmSync(st, { recursive: true, force: true });
    }
  });
});
