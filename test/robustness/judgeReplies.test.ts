// Hostile and failing Gemini replies, in process through the real SDK against a local server: redirects
// on the same origin, declared and streamed oversized replies (error bodies too), a key echoed where a
// cut could split it, a huge unreadable reply (the repair must not send it back), 429 / 500 / hang /
// drip, and the overall time limit. Each probe is bounded in time; none stores a large reply.
import assert from 'node:assert/strict';
import type http from 'node:http';
import { judgePairs, type JudgeOptions } from '../../server/src/judge/judge';
import type { JudgePairInput } from '../../server/src/judge/types';
import { KEY, sendJson, startStub, VERDICT, verdictBody, type Handler, type Stub } from './judgeStub';

const SRC1 = 'def fold(steps, mirror):\n    pos = 0\n    for s in steps:\n        pos += -s if s % 3 == 0 else s\n    return pos * 31\n';
const SRC2 = 'def walk(moves, wall):\n    at = 0\n    for m in moves:\n        at += -m if m % 3 == 0 else m\n    return at * 31 + 1\n';
const PAIR: JudgePairInput = {
  file1: 'a/fold.py', file2: 'b/walk.py', language1: 'python', language2: 'python', source1: SRC1, source2: SRC2,
  similarity_score: 0.91, components: { ast: 0.93, cfg: 0.88, dataflow: 0.9 },
};

function opts(extra: Partial<JudgeOptions> = {}): { o: JudgeOptions; logs: string[] } {
  const logs: string[] = [];
  return {
    logs,
    o: {
      provider: 'gemini', model: 'gemini-test', apiKey: () => KEY, timeoutMs: 5000, maxRetries: 2, backoffBaseMs: 5, backoffMaxMs: 20,
      prefilter: false, log: (m) => logs.push(m), random: () => 0.5, ...extra,
    },
  };
}

/** Streams `total` bytes of filler after `head`, as the client reads them; returns the bytes sent so far. */
function stream(res: http.ServerResponse, status: number, head: string, total: number, headers: Record<string, string> = {}): () => number {
  let sent = 0;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.write(head);
  const chunk = Buffer.alloc(1 << 20, 'B');
  const pump = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
  return () => sent;
}

describe('robustness: hostile Gemini replies (in process, real SDK)', function () {
  this.timeout(30_000);
  let stub: Stub | undefined;
  let saved: string | undefined;
  const serve = async (h: Handler) => {
    stub = await startStub(h);
    process.env.GOOGLE_GEMINI_BASE_URL = stub.url;
    return stub;
  };
  before(() => { saved = process.env.GOOGLE_GEMINI_BASE_URL; });
  after(() => {
    if (saved === undefined) delete process.env.GOOGLE_GEMINI_BASE_URL;
    else process.env.GOOGLE_GEMINI_BASE_URL = saved;
  });
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });

  it('follows a 307 on the same origin (key and body resent there only)', async () => {
    const s = await serve((req, res, n) => {
      if (n === 0) {
        res.writeHead(307, { location: `/moved${req.url}` });
        res.end();
      } else sendJson(res, 200, verdictBody(JSON.stringify(VERDICT)));
    });
    const out = await judgePairs([PAIR], opts().o);
    assert.equal(out.results[0]!.llm_verdict.classification, 'LIKELY_COPY');
    assert.equal(s.seen.length, 2);
    assert.match(s.seen[1]!.url, /^\/moved\//);
    assert.equal(s.seen[1]!.body, s.seen[0]!.body, 'the same request, resent');
  });

  it('stops a same-origin redirect loop after 3 hops', async () => {
    const s = await serve((req, res) => {
      res.writeHead(308, { location: req.url ?? '/' });
      res.end();
    });
    const out = await judgePairs([PAIR], opts().o);
    assert.equal(out.results[0]!.llm_verdict.classification, 'UNKNOWN');
    assert.match(out.results[0]!.llm_verdict.error ?? '', /redirected more than 3 times/);
    assert.equal(s.seen.length, 4, 'first request and 3 hops, no retries');
  });

  it('refuses a reply declared larger than the limit without reading it', async () => {
    let sent = () => 0;
    const s = await serve((_req, res) => { sent = stream(res, 200, '', 300 * (1 << 20), { 'content-length': String(300 * (1 << 20)) }); });
    const t = Date.now();
    const out = await judgePairs([PAIR], opts().o);
    assert.match(out.results[0]!.llm_verdict.error ?? '', /reply exceeds 1048576 bytes/);
    assert.equal(s.seen.length, 1, 'not retried');
    assert.ok(sent() < 64 * (1 << 20), `sent ${sent()}`);
    assert.ok(Date.now() - t < 5000);
  });

  it('stops reading a 300 MB error body (HTTP 500) at the limit and does not retry it', async () => {
    let sent = () => 0;
    const heap = process.memoryUsage().heapUsed;
    const s = await serve((_req, res) => { sent = stream(res, 500, '{"error":{"code":500,"message":"', 300 * (1 << 20)); });
    const out = await judgePairs([PAIR], opts().o);
    assert.equal(out.results[0]!.llm_verdict.classification, 'UNKNOWN');
    assert.match(out.results[0]!.llm_verdict.error ?? '', /reply exceeds 1048576 bytes/);
    assert.equal(s.seen.length, 1);
    assert.ok(sent() < 64 * (1 << 20), `sent ${sent()}`);
    assert.ok(process.memoryUsage().heapUsed - heap < 64 * (1 << 20), 'heap grew by more than 64 MB');
  });

  it('redacts the key before cutting an echoed error, so no part of it is left', async () => {
    // The key straddles the 300-character cut of error details.
    await serve((_req, res) => sendJson(res, 400, JSON.stringify({ error: { code: 400, message: `${'x'.repeat(285)}${KEY} tail`, status: 'INVALID_ARGUMENT' } })));
    const { o, logs } = opts();
    const out = await judgePairs([PAIR], o);
    const all = `${JSON.stringify(out)}\n${logs.join('\n')}`;
    assert.match(out.results[0]!.llm_verdict.error ?? '', /HTTP 400/);
    assert.ok(!all.includes(KEY.slice(0, 10)), 'a fragment of the key is left');
  });

  it('sends back only the start of a huge unreadable reply in the repair request', async () => {
    const s = await serve((_req, res, n) => {
      if (n === 0) sendJson(res, 200, verdictBody(`not json ${'z'.repeat(900_000)}`));
      else sendJson(res, 200, verdictBody(JSON.stringify(VERDICT)));
    });
    const out = await judgePairs([PAIR], opts().o);
    assert.equal(out.results[0]!.llm_verdict.classification, 'LIKELY_COPY');
    assert.equal(s.seen.length, 2);
    assert.ok(s.seen[1]!.body.length < s.seen[0]!.body.length + 10_000, `repair request of ${s.seen[1]!.body.length} bytes`);
  });

  it('keeps messages short when a reply quotes a huge field, and redacts a key hidden in JSON escapes', async () => {
    const escaped = [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    await serve((_req, res, n) => sendJson(res, 200, verdictBody(n === 0
      ? JSON.stringify({ ...VERDICT, classification: 'Q'.repeat(200_000) })
      : `{"classification":"LIKELY_COPY","confidence":"HIGH","algorithm_detected":null,"reasoning":"key ${escaped}"}`)));
    const { o, logs } = opts();
    const out = await judgePairs([PAIR], o);
    const v = out.results[0]!.llm_verdict;
    assert.equal(v.reasoning, 'key [redacted]');
    assert.ok(logs.every((l) => l.length < 2000), `a log line of ${Math.max(...logs.map((l) => l.length))} characters`);
  });

  it('retries a 429 and then gets the verdict', async () => {
    const s = await serve((_req, res, n) => (n === 0
      ? sendJson(res, 429, JSON.stringify({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } }))
      : sendJson(res, 200, verdictBody(JSON.stringify(VERDICT)))));
    const out = await judgePairs([PAIR], opts().o);
    assert.equal(out.results[0]!.llm_verdict.classification, 'LIKELY_COPY');
    assert.equal(s.seen.length, 2);
  });

  it('gives up on a 500 after the retries: UNKNOWN with the status', async () => {
    const s = await serve((_req, res) => sendJson(res, 500, JSON.stringify({ error: { code: 500, message: 'boom', status: 'INTERNAL' } })));
    const out = await judgePairs([PAIR], opts().o);
    assert.equal(out.results[0]!.llm_verdict.classification, 'UNKNOWN');
    assert.match(out.results[0]!.llm_verdict.error ?? '', /HTTP 500: boom \(after 3 attempts\)/);
    assert.equal(s.seen.length, 3);
  });

  for (const kind of ['hang', 'drip'] as const) {
    it(`times out a request that ${kind === 'hang' ? 'never answers' : 'drips one byte at a time'}`, async () => {
      await serve((_req, res) => {
        if (kind === 'hang') return;
        res.writeHead(200, { 'content-type': 'application/json' });
        const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' ')), 50);
        res.on('close', () => clearInterval(t));
      });
      const t = Date.now();
      const out = await judgePairs([PAIR], opts({ timeoutMs: 400, maxRetries: 1 }).o);
      assert.match(out.results[0]!.llm_verdict.error ?? '', /timed out after 400 ms \(after 2 attempts\)/);
      assert.ok(Date.now() - t < 400 * 2 + 3000, `${Date.now() - t} ms`);
    });
  }

  it('ends all Gemini work at the overall time limit, retries and backoff included', async () => {
    await serve(() => undefined);
    const { o, logs } = opts({ timeoutMs: 5000, maxRetries: 4, backoffBaseMs: 1000, backoffMaxMs: 1000, totalTimeoutMs: 500 });
    const t = Date.now();
    const out = await judgePairs([PAIR, { ...PAIR, file2: 'c/walk.py', source2: `${SRC2}\n` }], o);
    assert.ok(Date.now() - t < 500 + 1500, `${Date.now() - t} ms`);
    for (const r of out.results) {
      assert.equal(r!.llm_verdict.source, 'local');
      assert.match(r!.llm_verdict.error ?? '', /not judged by Gemini: the judge time limit \(0\.5 s\) was reached/);
    }
    assert.equal(out.summary.local_fallbacks, 2);
    assert.ok(out.summary.notes.some((n) => /judge time limit of 0\.5 s reached: 2 of 2 pairs/.test(n)));
    assert.ok(logs.some((l) => /^warning: judge time limit/.test(l)));
  });
});
