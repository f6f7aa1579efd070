// The judge in the editor, through the real server process over JSON-RPC: verdicts in diagnostics,
// hovers and the report with the local judge; with Gemini (real SDK, local fake server), the key
// asked from the client, consent asked before any HTTP call, refusal honoured, and the key never in
// anything the client sees.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { startFakeGemini, startServer, type Event, type FakeGemini, type Session } from './judgeHarness';

const FIXTURE = path.resolve('test/fixtures/judge-workspace');
const KEY = 'AIzaTEST-lsp-secret-0123456789';
// The pair scores about 0.66: the tests judge from 0.5 so that it is judged.
const judge = (provider: string, extra: Record<string, unknown> = {}) => ({ judge: { provider, threshold: 0.5, model: 'gemini-test-flash', ...extra } });

interface Report {
  analysis_id: string;
  metadata: { llm_enabled: boolean };
  llm_summary?: { provider: string; standard_algorithm_count: number; gemini_calls: number; cache_hits: number; notes: string[] };
  similarity: { pairs: Array<{ file1: string; file2: string; llm_verdict?: { classification: string; source: string }; refined_verdict?: { refined_risk_level: string } }> };
}

describe('judge over LSP', function () {
  this.timeout(180_000);
  let dir: string;
  let storage: string;
  const uri = (name: string) => pathToFileURL(path.join(dir, name)).toString();
  const count = (events: Event[], kind: Event['kind']) => events.filter((e) => e.kind === kind).length;
  // Structural diagnostics come first; a report notification without `judging` marks the verdicts in.
  const isJudged = (s: Session) => s.events.some((e) => e.kind === 'notification' && (e.detail as { method: string }).method === 'codeOrigin/reportChanged'
    && !(e.detail as { params: { judging?: boolean } }).params.judging);
  const firstDiag = (s: Session) => s.diagnostics.get(uri('search_a.py'))?.[0];
  const hoverOn = async (s: Session) => {
    const d = firstDiag(s)!;
    const h = await s.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uri('search_a.py') }, position: d.range.start });
    return (h!.contents as MarkupContent).value;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-judge-ws-'));
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-judge-storage-'));
    for (const f of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('without the judge: structural message and severity only, until the judge is turned on', async () => {
    const s = await startServer(dir, storage, { settings: judge('off') });
    try {
      await s.waitFor(() => isJudged(s) && !!firstDiag(s));
      const d = firstDiag(s)!;
      assert.doesNotMatch(d.message, /judge:/);
      assert.equal(d.severity, 3, 'information: below the raise threshold, nothing explains it away');
      const report = await s.conn.sendRequest<Report>('codeOrigin/similarityReport', {});
      assert.equal(report.metadata.llm_enabled, false);
      assert.equal(report.llm_summary, undefined);

      // Turning the judge on re-judges the workspace without waiting for a save.
      await s.conn.sendNotification('workspace/didChangeConfiguration', { settings: { codeOrigin: judge('local') } });
      await s.waitFor(() => /judge: standard algorithm/.test(firstDiag(s)?.message ?? ''));
      assert.equal(firstDiag(s)!.severity, 4);
    } finally {
      await s.close();
    }
  });

  it('local judge: a standard algorithm pair gets the verdict in the diagnostic, a hint severity, the hover and the report', async () => {
    const s = await startServer(dir, storage, { settings: judge('local') });
    try {
      await s.waitFor(() => isJudged(s) && !!firstDiag(s));
      const d = firstDiag(s)!;
      assert.match(d.message, /^Lines \d+–\d+ closely match search_b\.py:\d+–\d+ \(similarity 0\.\d\d — .*\) — judge: standard algorithm \(binary search\), risk NONE$/);
      assert.equal(d.severity, 4, 'hint: the judge explains the overlap');
      const md = await hoverOn(s);
      assert.match(md, /\*\*Judge\*\* \(local judge\): standard algorithm · confidence (LOW|MEDIUM|HIGH) · risk \*\*NONE\*\* · algorithm: binary search/);
      assert.match(md, /standard algorithm both files implement/);
      assert.match(md, /\*No action: the overlap is a standard algorithm/);
      assert.doesNotMatch(md, /— judge:/, 'the hover gives the verdict in full, not the short suffix');

      const report = await s.conn.sendRequest<Report>('codeOrigin/similarityReport', {});
      assert.equal(report.metadata.llm_enabled, true);
      assert.equal(report.llm_summary?.provider, 'local');
      assert.equal(report.llm_summary?.standard_algorithm_count, 1);
      assert.equal(report.similarity.pairs[0]!.refined_verdict?.refined_risk_level, 'NONE');
      assert.equal(count(s.events, 'key') + count(s.events, 'consent'), 0, 'the local judge asks for neither key nor consent');

      // Compare Folders… (here two files, each one side) is judged too.
      const cmp = await s.conn.sendRequest<{ report: Report }>('codeOrigin/compareInputs', { inputs: [path.join(dir, 'search_a.py'), path.join(dir, 'search_b.py')] });
      assert.equal(cmp.report.similarity.pairs[0]!.llm_verdict?.classification, 'STANDARD_ALGORITHM');
      assert.equal(cmp.report.metadata.llm_enabled, true);

      // Compare Repositories…: judged while the clones still exist, then named repository!/path.
      const repos = ['search_a.py', 'search_b.py'].map((f) => {
        const repo = fs.mkdtempSync(path.join(dir, 'repo-'));
        fs.copyFileSync(path.join(dir, f), path.join(repo, f));
        const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo, stdio: 'pipe' });
        git('init', '-q', '-b', 'main');
        git('add', '.');
        git('commit', '-qm', 'one');
        return repo;
      });
      const rep = await s.conn.sendRequest<{ report?: Report; error?: string }>('codeOrigin/compareRepositories', { repositories: repos });
      assert.ok(rep.report, rep.error);
      const judged = rep.report.similarity.pairs[0]!;
      assert.match(judged.file1, /!\/search_[ab]\.py$/);
      assert.equal(judged.llm_verdict?.classification, 'STANDARD_ALGORITHM');
    } finally {
      await s.close();
    }
  });

  describe('with Gemini', () => {
    let fake: FakeGemini;
    const events: Event[] = [];
    const GEMINI_VERDICT = { classification: 'STANDARD_ALGORITHM', confidence: 'HIGH', algorithm_detected: 'lower-bound binary search', reasoning: 'Both are textbook binary searches.' };

    beforeEach(async () => {
      events.length = 0;
      fake = await startFakeGemini(events, GEMINI_VERDICT);
    });
    afterEach(() => fake.close());

    it('asks consent before any call; a refusal sends nothing and is reported once; a new key asks again, and the key is used but never shown', async () => {
      const s = await startServer(dir, storage, { settings: judge('gemini'), key: KEY, consent: false, env: { GOOGLE_GEMINI_BASE_URL: fake.url } }, events);
      try {
        await s.waitFor(() => isJudged(s) && !!firstDiag(s));
        assert.equal(count(events, 'key'), 1);
        assert.equal(count(events, 'consent'), 1);
        assert.deepEqual(events.find((e) => e.kind === 'consent')!.detail, { pairs: 1, files: 2, model: 'gemini-test-flash' });
        assert.equal(fake.seen.length, 0, 'refused: no HTTP call');
        assert.match(firstDiag(s)!.message, /judge: standard algorithm \(binary search\), risk NONE$/, 'the local verdict stands');
        let report = await s.conn.sendRequest<Report>('codeOrigin/similarityReport', {});
        assert.ok(report.llm_summary?.notes.some((n) => /declined/.test(n)), JSON.stringify(report.llm_summary));

        // The next analysis does not ask again and still sends nothing; the refusal is logged once.
        await s.conn.sendRequest('codeOrigin/analyzeWorkspace', {});
        assert.equal(count(events, 'consent'), 1);
        assert.equal(fake.seen.length, 0);
        assert.equal(s.logs().filter((m) => /declined/.test(m)).length, 1, s.logs().join('\n'));

        // "Set Gemini API Key" again: the server forgets the refusal, asks again, and this time may call.
        s.script.consent = true;
        await s.conn.sendNotification('codeOrigin/judgeKeyChanged', {});
        await s.waitFor(() => /lower-bound binary search/.test(firstDiag(s)?.message ?? ''));
        const consentAt = events.map((e) => e.kind).lastIndexOf('consent');
        const httpAt = events.findIndex((e) => e.kind === 'http');
        assert.equal(count(events, 'consent'), 2);
        assert.ok(consentAt >= 0 && consentAt < httpAt, 'consent is asked before the first HTTP call');
        assert.equal(fake.seen.length, 1);
        assert.match(fake.seen[0]!.url, /\/models\/gemini-test-flash:generateContent$/);
        assert.equal(fake.seen[0]!.headers['x-goog-api-key'], KEY, 'the key from the client is the one sent');
        assert.match(fake.seen[0]!.body, /while left <= right/, 'the sources are in the prompt');
        assert.match(firstDiag(s)!.message, /judge: standard algorithm \(lower-bound binary search\), risk NONE$/);
        const md = await hoverOn(s);
        assert.match(md, /\*\*Judge\*\* \(Gemini\): standard algorithm · confidence HIGH/);
        report = await s.conn.sendRequest<Report>('codeOrigin/similarityReport', {});
        assert.equal(report.llm_summary?.provider, 'gemini');
        assert.equal(report.llm_summary?.gemini_calls, 1);

        // Consent holds for the session and the verdict is cached: no new question, no new call.
        await s.conn.sendRequest('codeOrigin/analyzeWorkspace', {});
        const again = await s.conn.sendRequest<Report>('codeOrigin/similarityReport', {});
        assert.equal(count(events, 'consent'), 2);
        assert.equal(fake.seen.length, 1);
        assert.equal(again.llm_summary?.cache_hits, 1);

        // The key is in nothing the client saw: notifications, logs, stderr, reports, hovers, stored files.
        const html = await s.conn.sendRequest<{ text: string }>('codeOrigin/renderReport', { analysis_id: again.analysis_id, format: 'html' });
        assert.match(html.text, /Semantic judge/);
        const seenByClient = JSON.stringify(events.filter((e) => e.kind !== 'http')) + JSON.stringify(report) + JSON.stringify(again) + md + html.text;
        assert.ok(!seenByClient.includes(KEY), 'the API key leaked to the client side');
        const stored = (fs.readdirSync(storage, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(storage, f)).isFile());
        assert.ok(stored.some((f) => f.includes('.features')), 'the feature shards are among the files checked');
        for (const f of stored) assert.ok(!fs.readFileSync(path.join(storage, f)).includes(KEY), `the key is stored in ${f}`);
      } finally {
        await s.close();
      }
    });

    it('without a key: no consent question, no call, the local verdict, and a note', async () => {
      const s = await startServer(dir, storage, { settings: judge('gemini'), consent: true, env: { GOOGLE_GEMINI_BASE_URL: fake.url } }, events);
      try {
        await s.waitFor(() => isJudged(s) && !!firstDiag(s));
        assert.equal(count(events, 'key'), 1);
        assert.equal(count(events, 'consent'), 0);
        assert.equal(fake.seen.length, 0);
        assert.match(firstDiag(s)!.message, /judge: standard algorithm \(binary search\), risk NONE$/);
        assert.ok(s.logs().some((m) => /no Gemini API key/.test(m)), s.logs().join('\n'));
        const report = await s.conn.sendRequest<Report>('codeOrigin/similarityReport', {});
        assert.equal(report.llm_summary?.provider, 'local');
        assert.ok(report.llm_summary?.notes.some((n) => /no Gemini API key/.test(n)));
      } finally {
        await s.close();
      }
    });
  });
});
