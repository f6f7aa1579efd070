// The Gemini judge through the real @google/genai SDK against a local HTTP server that implements
// the generateContent REST call. The SDK finds the server through GOOGLE_GEMINI_BASE_URL, which the
// judge never overrides.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { judgePairs, type JudgeOptions } from '../../server/src/judge/judge';
import type { JudgePairInput } from '../../server/src/judge/types';

const KEY = 'AIzaTEST-secret-key-0123456789';

interface Seen { url: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }
type Step = { status: number; json: unknown } | { hang: true } | { raw: string; status: number };

const ok = (verdict: unknown): Step => ({
  status: 200,
  json: { candidates: [{ content: { role: 'model', parts: [{ text: typeof verdict === 'string' ? verdict : JSON.stringify(verdict) }] }, finishReason: 'STOP' }] },
});
const COPY = { classification: 'LIKELY_COPY', confidence: 'HIGH', algorithm_detected: null, reasoning: 'Same unusual reflection trick and constants.' };
const STANDARD = { classification: 'STANDARD_ALGORITHM', confidence: 'MEDIUM', algorithm_detected: 'binary search', reasoning: 'Textbook binary search.' };

let server: http.Server;
let steps: Step[] = [];
let seen: Seen[] = [];
const hanging: http.ServerResponse[] = [];
let savedBase: string | undefined;

const SRC1 = 'def fold(steps, mirror):\n    pos = 0\n    for s in steps:\n        pos += -s if s % 3 == 0 else s\n    return pos * 31\n';
const SRC2 = 'def walk(moves, wall):\n    at = 0\n    for m in moves:\n        at += -m if m % 3 == 0 else m\n    return at * 31 + 1\n';

function pair(score = 0.91, s1 = SRC1, s2 = SRC2): JudgePairInput {
  return {
    file1: 'a/fold.py', file2: 'b/walk.py', language1: 'python', language2: 'python', source1: s1, source2: s2,
    similarity_score: score, components: { ast: 0.9312, cfg: 0.8876, dataflow: 0.9005 },
    matching_regions: [{ file1_lines: [1, 5], file2_lines: [1, 5] }],
  };
}

function options(extra: Partial<JudgeOptions> = {}): { opts: JudgeOptions; logs: string[] } {
  const logs: string[] = [];
  return {
    logs,
    opts: {
      provider: 'gemini', model: 'gemini-test-flash', apiKey: () => KEY, timeoutMs: 15000, maxRetries: 2, backoffBaseMs: 5, backoffMaxMs: 20,
      prefilter: false, log: (m) => logs.push(m), random: () => 0.5, ...extra,
    },
  };
}

function assertNoKey(logs: string[], outcome: unknown): void {
  const all = `${logs.join('\n')}\n${JSON.stringify(outcome)}`;
  assert.ok(!all.includes(KEY), 'the API key leaked into logs or output');
}

describe('Gemini judge (SDK against a local server)', function () {
  this.timeout(30000);

  before(async () => {
    server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body: data ? (JSON.parse(data) as Record<string, unknown>) : {} });
        const step = steps.shift() ?? { status: 500, json: { error: { code: 500, message: 'no scripted response', status: 'INTERNAL' } } };
        if ('hang' in step) {
          hanging.push(res);
          return;
        }
        if ('raw' in step) {
          res.writeHead(step.status, { 'content-type': 'text/plain' });
          res.end(step.raw);
          return;
        }
        res.writeHead(step.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(step.json));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    savedBase = process.env.GOOGLE_GEMINI_BASE_URL;
    process.env.GOOGLE_GEMINI_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const r of hanging) r.destroy();
    if (savedBase === undefined) delete process.env.GOOGLE_GEMINI_BASE_URL;
    else process.env.GOOGLE_GEMINI_BASE_URL = savedBase;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    steps = [];
    seen = [];
  });

  it('sends both sources, the scores and a response schema, and returns the verdict', async () => {
    steps = [ok(COPY)];
    const { opts, logs } = options();
    const out = await judgePairs([pair()], opts);
    const r = out.results[0]!;
    assert.equal(r.llm_verdict.classification, 'LIKELY_COPY');
    assert.equal(r.llm_verdict.source, 'gemini');
    assert.equal(r.llm_verdict.model, 'gemini-test-flash');
    assert.equal(r.refined_verdict.refined_risk_level, 'HIGH');
    assert.equal(seen.length, 1);
    const req = seen[0]!;
    assert.match(req.url, /\/models\/gemini-test-flash:generateContent$/);
    assert.equal(req.headers['x-goog-api-key'], KEY);
    const gen = req.body.generationConfig as Record<string, unknown>;
    assert.equal(gen.responseMimeType, 'application/json');
    const schema = (gen.responseSchema ?? gen.responseJsonSchema) as { properties: Record<string, unknown> };
    assert.ok(schema && schema.properties.classification && schema.properties.confidence, 'schema present');
    const text = JSON.stringify(req.body.contents);
    assert.ok(text.includes('pos += -s if s % 3 == 0 else s') && text.includes('at += -m if m % 3 == 0 else m'), 'both sources in the prompt');
    assert.ok(text.includes('0.9100') && text.includes('0.9312') && text.includes('0.8876') && text.includes('0.9005'), 'scores in the prompt');
    assert.equal(out.summary.gemini_calls, 1);
    assert.equal(out.summary.likely_copy_count, 1);
    assertNoKey(logs, out);
  });

  it('retries a 429 and then succeeds', async () => {
    steps = [{ status: 429, json: { error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } } }, ok(STANDARD)];
    const { opts, logs } = options();
    const out = await judgePairs([pair()], opts);
    assert.equal(seen.length, 2);
    assert.equal(out.results[0]!.llm_verdict.classification, 'STANDARD_ALGORITHM');
    assert.equal(out.results[0]!.refined_verdict.refined_risk_level, 'NONE');
    assert.ok(logs.some((l) => /429/.test(l) && /retry 1\/2/.test(l)), logs.join('\n'));
    assertNoKey(logs, out);
  });

  it('gives up after the retries on 5xx and records UNKNOWN with the error (the key is redacted)', async () => {
    const echo = { status: 503, json: { error: { code: 503, message: `overloaded (key ${KEY})`, status: 'UNAVAILABLE' } } };
    steps = [echo, echo, echo, echo];
    const { opts, logs } = options();
    const out = await judgePairs([pair(0.97)], opts);
    assert.equal(seen.length, 3, 'first attempt + 2 retries');
    const r = out.results[0]!;
    assert.equal(r.llm_verdict.classification, 'UNKNOWN');
    assert.match(r.llm_verdict.error ?? '', /HTTP 503/);
    assert.equal(r.refined_verdict.refined_risk_level, 'CRITICAL', 'structural risk kept when the judge fails');
    assert.equal(out.summary.unknown_count, 1);
    assertNoKey(logs, out);
  });

  it('times out a request that never answers', async () => {
    steps = [{ hang: true }, { hang: true }];
    const { opts, logs } = options({ timeoutMs: 600, maxRetries: 1 });
    const t0 = Date.now();
    const out = await judgePairs([pair()], opts);
    assert.ok(Date.now() - t0 < 15000);
    // Both attempts time out (on a loaded machine the second may be cut before it reaches the server).
    assert.ok(seen.length >= 1 && seen.length <= 2, `${seen.length} requests`);
    assert.ok(logs.some((l) => /timed out/.test(l) && /retry 1\/1/.test(l)), logs.join('\n'));
    assert.equal(out.results[0]!.llm_verdict.classification, 'UNKNOWN');
    assert.match(out.results[0]!.llm_verdict.error ?? '', /timed out/);
    assertNoKey(logs, out);
  });

  it('repairs malformed JSON once', async () => {
    steps = [ok('{"classification": "LIKELY_COPY", "confidence": '), ok(COPY)];
    const { opts, logs } = options();
    const out = await judgePairs([pair()], opts);
    assert.equal(seen.length, 2);
    assert.equal(out.results[0]!.llm_verdict.classification, 'LIKELY_COPY');
    assert.match(JSON.stringify(seen[1]!.body.contents), /not a valid verdict/);
    assertNoKey(logs, out);
  });

  it('fixes fenced JSON locally without another call', async () => {
    steps = [ok('```json\n{"classification": "likely_copy", "confidence": "high", "algorithm_detected": "null", "reasoning": "same trick",}\n```')];
    const out = await judgePairs([pair()], options().opts);
    assert.equal(seen.length, 1);
    assert.equal(out.results[0]!.llm_verdict.classification, 'LIKELY_COPY');
    assert.equal(out.results[0]!.llm_verdict.algorithm_detected, null);
  });

  it('records UNKNOWN when the repair is malformed too', async () => {
    steps = [ok('not json at all'), ok('{"classification": "MAYBE"}')];
    const out = await judgePairs([pair()], options().opts);
    assert.equal(seen.length, 2);
    assert.equal(out.results[0]!.llm_verdict.classification, 'UNKNOWN');
    assert.match(out.results[0]!.llm_verdict.error ?? '', /malformed/);
  });

  it('records UNKNOWN for a blocked response, without retrying', async () => {
    steps = [{ status: 200, json: { promptFeedback: { blockReason: 'SAFETY' } } }];
    const { opts, logs } = options();
    const out = await judgePairs([pair(0.8)], opts);
    assert.equal(seen.length, 1);
    const r = out.results[0]!;
    assert.equal(r.llm_verdict.classification, 'UNKNOWN');
    assert.match(r.llm_verdict.error ?? '', /blocked/);
    assert.equal(r.refined_verdict.refined_risk_level, 'MEDIUM');
    assertNoKey(logs, out);
  });

  it('records UNKNOWN when the candidate was stopped for safety', async () => {
    steps = [{ status: 200, json: { candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'SAFETY' }] } }];
    const out = await judgePairs([pair()], options().opts);
    assert.equal(out.results[0]!.llm_verdict.classification, 'UNKNOWN');
    assert.match(out.results[0]!.llm_verdict.error ?? '', /blocked/);
  });

  it('caches verdicts by content, model and prompt version', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judge-cache-'));
    const cachePath = path.join(dir, 'verdicts.sqlite');
    try {
      steps = [ok(COPY)];
      await judgePairs([pair()], options({ cachePath }).opts);
      assert.equal(seen.length, 1);
      assert.ok(fs.existsSync(cachePath));
      const again = await judgePairs([{ ...pair(), file1: 'renamed.py' }], options({ cachePath }).opts);
      assert.equal(seen.length, 1, 'served from the cache');
      assert.equal(again.results[0]!.llm_verdict.cached, true);
      assert.equal(again.summary.cache_hits, 1);
      steps = [ok(STANDARD)];
      const other = await judgePairs([pair()], options({ cachePath, model: 'gemini-other' }).opts);
      assert.equal(seen.length, 2, 'another model is not a hit');
      assert.equal(other.results[0]!.llm_verdict.classification, 'STANDARD_ALGORITHM');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks for consent before the first call and keeps local verdicts when declined', async () => {
    let asked = 0;
    const out = await judgePairs([pair(), pair(0.8)], options({ consent: () => { asked++; return false; } }).opts);
    assert.equal(asked, 1);
    assert.equal(seen.length, 0);
    assert.equal(out.results[0]!.llm_verdict.source, 'local');
    assert.match(out.summary.notes.join(' '), /declined/);
  });

  it('caps the calls per analysis; the rest keep the local verdict', async () => {
    steps = [ok(COPY), ok(COPY)];
    const out = await judgePairs([pair(0.9), pair(0.8, SRC1 + '\n# b\n', SRC2)], options({ maxCalls: 1, concurrency: 1 }).opts);
    assert.equal(seen.length, 1);
    assert.equal(out.results[0]!.llm_verdict.source, 'gemini', 'the higher score goes first');
    assert.equal(out.results[1]!.llm_verdict.source, 'local');
    assert.match(out.results[1]!.llm_verdict.error ?? '', /cap/);
    assert.equal(out.summary.local_fallbacks, 1);
  });

  it('pre-filters: identical files need no call, pairs below the threshold are not judged', async () => {
    const out = await judgePairs([pair(1, SRC1, SRC1), pair(0.69)], options({ prefilter: true }).opts);
    assert.equal(seen.length, 0);
    assert.equal(out.results[0]!.llm_verdict.source, 'local');
    assert.equal(out.results[0]!.llm_verdict.classification, 'LIKELY_COPY');
    assert.equal(out.results[1], undefined);
  });

  it('refuses to run without a key', async () => {
    await assert.rejects(judgePairs([pair()], options({ apiKey: () => undefined }).opts), /API key/);
  });
});
