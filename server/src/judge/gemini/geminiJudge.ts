// Gemini through @google/genai: one generateContent call per pair with a response schema, retries on
// 429 / 5xx / timeouts with exponential backoff and jitter, one repair request for an unreadable
// reply, and an UNKNOWN verdict (with the error) when nothing works. The endpoint is the SDK's own
// (it honours GOOGLE_GEMINI_BASE_URL), reached through guardedFetch (no cross-origin redirects, replies
// read with a byte limit); the API key never appears in the verdicts and messages this module produces.
import { ApiError, GoogleGenAI, type Content, type GenerateContentResponse } from '@google/genai';
import { backoffDelay, sleep } from '../retry';
import type { JudgePairInput, Verdict } from '../types';
import { guardedFetch, MAX_REPLY_BYTES, RefusedReplyError } from './guardedFetch';
import { parseVerdict } from './parseVerdict';
import { buildPrompt, repairPrompt, RESPONSE_SCHEMA, SYSTEM_INSTRUCTION } from './prompt';
import { redactor, redactVerdict, type Redactor } from './redact';

export interface GeminiJudgeOptions {
  apiKey: string;
  model: string;
  /** Per request, in ms. */
  timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts and network errors. */
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  log?: (message: string) => void;
  random?: () => number;
  /** Most bytes read from one reply (default MAX_REPLY_BYTES). */
  maxReplyBytes?: number;
}

export class CallCapError extends Error {}
/** The analysis's overall judge time limit fired: the pair is left unjudged, like a capped one. */
export class TimeLimitError extends Error {}

/** How much of an unreadable reply is sent back in the repair request. */
const MAX_REPAIR_ECHO_CHARS = 4000;
/** Longest error or log message (a parse error can quote a huge field of the reply). */
const MAX_MESSAGE_CHARS = 1000;
const cut = (text: string) => (text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}… [cut]` : text);

/** Requests allowed for the whole analysis, repairs included. */
export class CallBudget {
  used = 0;
  constructor(readonly max: number) {}
  take(): boolean {
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }
}

const BLOCKING_FINISH = new Set(['SAFETY', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'RECITATION', 'IMAGE_SAFETY']);

type Reply = { text: string } | { blocked: string };

export class GeminiJudge {
  private readonly ai: GoogleGenAI;
  /** Removes the key from any text that leaves this module. */
  readonly redact: Redactor;
  constructor(private readonly o: GeminiJudgeOptions) {
    // No baseUrl here: the SDK takes GOOGLE_GEMINI_BASE_URL from the environment when it is set.
    this.ai = new GoogleGenAI({
      apiKey: o.apiKey, httpOptions: { timeout: o.timeoutMs, fetch: guardedFetch(o.maxReplyBytes ?? MAX_REPLY_BYTES) },
    });
    this.redact = redactor(o.apiKey);
  }

  private log(msg: string): void {
    this.o.log?.(cut(this.redact(msg)));
  }

  /** `deadline` aborts the analysis's remaining Gemini work (TimeLimitError). */
  async judge(pair: JudgePairInput, budget: CallBudget, deadline?: AbortSignal): Promise<Verdict> {
    const v = await this.judgeRaw(pair, budget, deadline);
    // Everything the reply said (reasoning, algorithm name, echoed errors) is redacted before any report or cache sees it.
    return redactVerdict(v, this.redact);
  }

  private async judgeRaw(pair: JudgePairInput, budget: CallBudget, deadline?: AbortSignal): Promise<Verdict> {
    const base = { source: 'gemini' as const, model: this.o.model };
    const unknown = (error: string): Verdict => ({
      classification: 'UNKNOWN', confidence: 'LOW', algorithm_detected: null, reasoning: 'The Gemini judge gave no usable verdict.', ...base,
      error: cut(this.redact(error)),
    });
    const contents: Content[] = [{ role: 'user', parts: [{ text: buildPrompt(pair) }] }];
    let reply: Reply;
    try {
      reply = await this.request(contents, budget, deadline);
    } catch (e) {
      // Never asked (or out of time): the caller keeps its own verdict.
      if (e instanceof CallCapError || e instanceof TimeLimitError) throw e;
      return unknown((e as Error).message);
    }
    if ('blocked' in reply) return unknown(`response blocked (${reply.blocked})`);
    let parsed = parseVerdict(reply.text);
    if (!parsed.ok) {
      this.log(`gemini: unreadable verdict for ${pair.file1} ~ ${pair.file2} (${parsed.error}); asking once for a repair`);
      const first = parsed.error;
      try {
        // Only the start of a bad reply goes back: a huge reply must not become a huge request.
        const echo = reply.text.slice(0, MAX_REPAIR_ECHO_CHARS);
        const again = await this.request([...contents, { role: 'model', parts: [{ text: echo }] },
          { role: 'user', parts: [{ text: repairPrompt(echo, first) }] }], budget, deadline);
        if ('blocked' in again) return unknown(`response blocked (${again.blocked})`);
        parsed = parseVerdict(again.text);
      } catch (e) {
        if (e instanceof TimeLimitError) throw e;
        return unknown(`malformed reply (${first}); repair failed: ${(e as Error).message}`);
      }
      if (!parsed.ok) return unknown(`malformed reply after one repair (${first}; then ${parsed.error})`);
    }
    return { ...parsed.verdict, ...base };
  }

  /** One logical request: retried on transient failures, each attempt drawing on the budget. */
  private async request(contents: Content[], budget: CallBudget, deadline?: AbortSignal): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
      if (deadline?.aborted) throw new TimeLimitError('judge time limit reached');
      if (!budget.take()) {
        const msg = `call cap reached (${budget.max} calls per analysis)`;
        throw attempt === 0 ? new CallCapError(msg) : new Error(`${msg} while retrying`);
      }
      try {
        const res = await this.ai.models.generateContent({
          model: this.o.model,
          contents,
          config: {
            systemInstruction: SYSTEM_INSTRUCTION, responseMimeType: 'application/json', responseSchema: RESPONSE_SCHEMA, temperature: 0,
            abortSignal: deadline,
          },
        });
        // Redacted on arrival: parse errors, the repair echo and the verdict never see the key.
        const reply = replyOf(res);
        return 'text' in reply ? { text: this.redact(reply.text) } : reply;
      } catch (e) {
        if (deadline?.aborted) throw new TimeLimitError('judge time limit reached');
        const why = describe(e, this.o.timeoutMs, this.redact);
        if (!why.retryable || attempt >= this.o.maxRetries) {
          throw new Error(attempt > 0 ? `${why.message} (after ${attempt + 1} attempts)` : why.message);
        }
        const wait = backoffDelay(attempt, { baseMs: this.o.backoffBaseMs, maxMs: this.o.backoffMaxMs, random: this.o.random });
        this.log(`gemini: ${why.message}; retry ${attempt + 1}/${this.o.maxRetries} in ${Math.round(wait)} ms`);
        await sleep(wait, deadline);
      }
    }
  }
}

function replyOf(res: GenerateContentResponse): Reply {
  const block = res.promptFeedback?.blockReason;
  if (block) return { blocked: `prompt ${block}` };
  const cand = res.candidates?.[0];
  const text = (cand?.content?.parts ?? []).filter((p) => typeof p.text === 'string' && !p.thought).map((p) => p.text).join('');
  if (!text && cand?.finishReason && BLOCKING_FINISH.has(cand.finishReason)) return { blocked: `finish reason ${cand.finishReason}` };
  if (!cand) return { blocked: 'no candidates' };
  return { text };
}

function describe(e: unknown, timeoutMs: number, redact: Redactor): { message: string; retryable: boolean } {
  // A refused redirect or an oversized reply would only come again.
  const refused = e instanceof RefusedReplyError ? e : (e as { cause?: unknown })?.cause;
  if (refused instanceof RefusedReplyError) return { message: refused.message, retryable: false };
  if (e instanceof ApiError) {
    const retryable = e.status === 429 || e.status === 408 || e.status >= 500;
    // The error body is the server's JSON; keep its message short.
    let detail = e.message;
    try {
      const body = JSON.parse(e.message) as { error?: { message?: string } };
      detail = body.error?.message ?? detail;
    } catch {
      // not JSON
    }
    // Redacted before cutting, so a cut cannot leave part of the key behind.
    return { message: `HTTP ${e.status}: ${redact(detail).slice(0, 300)}`, retryable };
  }
  const err = e as Error;
  if (err?.name === 'AbortError' || /abort/i.test(err?.message ?? '')) return { message: `timed out after ${timeoutMs} ms`, retryable: true };
  return { message: `request failed: ${redact(err?.message ?? String(e)).slice(0, 300)}`, retryable: true };
}
