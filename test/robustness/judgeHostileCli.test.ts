// Hostile Gemini endpoints against the bundled CLI (a separate process, the real SDK): a redirect to
// another origin, replies echoing the API key, a 300 MB reply, and endpoints that hang or drip.
// Each probe is bounded: the CLI is killed past its time bound, the stub serves what it is asked for.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { allFiles, FIXTURES, KEY, runCli, sendJson, startStub, VERDICT, verdictBody, writePair, type Stub } from './judgeStub';

interface Pair { file1: string; file2: string; llm_verdict?: { classification: string; source: string; error?: string; reasoning: string; algorithm_detected: string | null } }
const pairsOf = (stdout: Buffer | string) => (JSON.parse(String(stdout)) as { similarity: { pairs: Pair[] } }).similarity.pairs;
const judged = (stdout: Buffer | string) => pairsOf(stdout).filter((p) => p.llm_verdict);

describe('robustness: hostile Gemini endpoint, through the CLI', function () {
  this.timeout(90_000);
  let dir: string;
  const stubs: Stub[] = [];
  const stub = async (h: Parameters<typeof startStub>[0]) => {
    const s = await startStub(h);
    stubs.push(s);
    return s;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-judge-hostile-'));
  });
  afterEach(async () => {
    for (const s of stubs.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const status of [307, 308, 302]) {
    it(`never follows a ${status} redirect to another origin: the other origin receives nothing, the pair is not judged`, async () => {
      const other = await stub((_req, res) => sendJson(res, 200, verdictBody(JSON.stringify(VERDICT))));
      const gemini = await stub((req, res) => {
        res.writeHead(status, { location: `${other.url}${req.url ?? '/'}` });
        res.end();
      });
      const files = writePair(dir);
      const r = await runCli(['compare', ...files, '--judge', 'gemini'], gemini.url);
      assert.equal(r.code, 0, String(r.stderr));
      assert.equal(other.seen.length, 0, 'a request reached the other origin');
      assert.equal(gemini.seen.length, 1, 'refused at once, not retried');
      const [p] = judged(r.stdout);
      assert.equal(p!.llm_verdict!.classification, 'UNKNOWN');
      assert.match(p!.llm_verdict!.error ?? '', new RegExp(`redirected \\(HTTP ${status}\\) to another origin .*not followed`));
      assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY));
    });
  }

  it('keeps the key out of the JSON and HTML reports, the caches and stderr when replies echo it', async () => {
    const lower = KEY.toLowerCase();
    const gemini = await stub((_req, res, n) => {
      // Every other request: an unreadable verdict that echoes the key (logged, then repaired), then a
      // verdict whose reasoning and algorithm carry the key in two cases.
      if (n % 2 === 0) sendJson(res, 200, verdictBody(JSON.stringify({ ...VERDICT, classification: KEY })));
      else sendJson(res, 200, verdictBody(JSON.stringify({ ...VERDICT, algorithm_detected: `sort ${KEY}`, reasoning: `Key ${KEY}; again ${lower}.` })));
    });
    const files = writePair(dir);
    const cache = path.join(dir, 'verdicts.db');
    const json = path.join(dir, 'report.json');
    const html = path.join(dir, 'report.html');
    const common = ['compare', ...files, '--judge', 'gemini', '--judge-cache', cache, '--cache', path.join(dir, 'features.db')];
    const a = await runCli([...common, '-o', json], gemini.url);
    assert.equal(a.code, 0, String(a.stderr));
    assert.equal(gemini.seen.length, 2, 'one request and one repair');
    assert.ok(gemini.seen.every((s) => s.headers['x-goog-api-key'] === KEY), 'the key is sent to the endpoint itself');
    assert.match(String(a.stderr), /unreadable verdict/);
    const [p] = judged(fs.readFileSync(json));
    assert.equal(p!.llm_verdict!.source, 'gemini');
    assert.match(p!.llm_verdict!.reasoning, /Key \[redacted\]; again \[redacted\]\./);
    assert.equal(p!.llm_verdict!.algorithm_detected, 'sort [redacted]');
    // Second run: the verdict comes from the cache into the HTML report.
    const b = await runCli([...common, '--format', 'html', '-o', html], gemini.url);
    assert.equal(b.code, 0, String(b.stderr));
    assert.equal(gemini.seen.length, 2, 'served from the verdict cache');
    assert.match(fs.readFileSync(html, 'utf8'), /\[redacted\]/);
    const written = allFiles(dir).filter((f) => !files.includes(f));
    assert.ok(written.includes(cache) && written.includes(json) && written.includes(html), written.join(', '));
    for (const f of written) {
      const bytes = fs.readFileSync(f);
      for (const k of [KEY, lower]) assert.ok(!bytes.includes(k), `${path.basename(f)} holds the key`);
    }
    for (const out of [a.stdout, a.stderr, b.stdout, b.stderr]) for (const k of [KEY, lower]) assert.ok(!out.includes(k), 'the key reached the terminal');
  });

  it('stops reading a 300 MB reply at the size limit, in bounded memory (256 MB heap)', async () => {
    let sent = 0;
    const gemini = await stub((_req, res) => {
      // Generated as it is sent (never stored): a verdict whose reasoning never ends, with backpressure.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"candidates":[{"content":{"role":"model","parts":[{"text":"{\\"classification\\":\\"LIKELY_COPY\\",\\"reasoning\\":\\"');
      const chunk = Buffer.alloc(1 << 20, 'A');
      const pump = () => {
        while (sent < 300 * (1 << 20) && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const files = writePair(dir);
    const r = await runCli(['compare', ...files, '--judge', 'gemini'], gemini.url, { heapMb: 256, killAfterMs: 60_000 });
    assert.equal(r.signal, null, 'not killed');
    assert.equal(r.code, 0, String(r.stderr));
    assert.equal(gemini.seen.length, 1, 'neither retried nor sent back in a repair request');
    const [p] = judged(r.stdout);
    assert.equal(p!.llm_verdict!.classification, 'UNKNOWN');
    assert.match(p!.llm_verdict!.error ?? '', /reply exceeds 1048576 bytes/);
    assert.ok(sent < 64 * (1 << 20), `the server got to send ${sent} bytes`);
    assert.ok(r.peakRssMb < 250, `peak RSS ${r.peakRssMb.toFixed(0)} MB`);
  });

  it('ends a hanging endpoint at --judge-timeout, keeping the verdicts obtained so far', async () => {
    const hanging: http.ServerResponse[] = [];
    const gemini = await stub((_req, res, n) => {
      if (n === 0) sendJson(res, 200, verdictBody(JSON.stringify(VERDICT)));
      else hanging.push(res);
    });
    const files = [...writePair(dir), path.join(FIXTURES, 'unusual_a.java'), path.join(FIXTURES, 'unusual_b.java')];
    const r = await runCli(['compare', ...files, '--judge', 'gemini', '--judge-timeout', '2', '--judge-threshold', '0.5'], gemini.url, { killAfterMs: 60_000 });
    assert.equal(r.code, 0, String(r.stderr));
    const first = gemini.seen[0]!.at;
    assert.ok(r.end - first < 2000 + 3000, `ended ${r.end - first} ms after the first request`);
    const pairs = judged(r.stdout);
    assert.equal(pairs.length, 2);
    const byGemini = pairs.filter((p) => p.llm_verdict!.source === 'gemini');
    const late = pairs.filter((p) => /judge time limit \(2 s\) was reached/.test(p.llm_verdict!.error ?? ''));
    assert.equal(byGemini.length, 1, 'the verdict obtained in time is kept');
    assert.equal(late.length, 1);
    assert.equal(late[0]!.llm_verdict!.source, 'local', 'the unjudged pair keeps the local verdict');
    assert.match(String(r.stderr), /judge time limit of 2 s reached: 1 of 2 pairs were not judged by Gemini/);
  });

  it('ends a dripping endpoint at --judge-timeout', async () => {
    const gemini = await stub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' ')), 100);
      res.on('close', () => clearInterval(t));
    });
    const files = writePair(dir);
    const r = await runCli(['compare', ...files, '--judge', 'gemini', '--judge-timeout', '1.5'], gemini.url, { killAfterMs: 60_000 });
    assert.equal(r.code, 0, String(r.stderr));
    assert.ok(r.end - gemini.seen[0]!.at < 1500 + 3000, `ended ${r.end - gemini.seen[0]!.at} ms after the first request`);
    assert.match(judged(r.stdout)[0]!.llm_verdict!.error ?? '', /judge time limit \(1\.5 s\)/);
  });

  it('refuses a bad --judge-timeout', async () => {
    const files = writePair(dir);
    for (const v of ['0', '-1', 'soon']) {
      const r = await runCli(['compare', ...files, '--judge', 'gemini', '--judge-timeout', v], 'http://127.0.0.1:9');
      assert.equal(r.code, 2);
      assert.match(String(r.stderr), /--judge-timeout must be a number of seconds/);
    }
  });
});
