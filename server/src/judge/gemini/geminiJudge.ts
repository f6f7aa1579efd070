// Gemini through @google/genai: one generateContent call per pair with a response schema, retries on
// 429 / 5xx / timeouts with exponential backoff and jitter, one repair request for an unreadable
// reply, and an UNKNOWN verdict (with the error) when nothing works. The endpoint is the SDK's own
// (it honours GOOGLE_GEMINI_BASE_URL); the API key never appears in messages this module produces.
import { ApiError, GoogleGenAI, type Content, type GenerateContentResponse } from '@google/genai';
import { backoffDelay, sleep } from '../retry';
import type { JudgePairInput, Verdict } from '../types';
import { parseVerdict } from './parseVerdict';
import { buildPrompt, repairPrompt, RESPONSE_SCHEMA, SYSTEM_INSTRUCTION } from './prompt';

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
}

export class CallCapError extends Error {}

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
  constructor(private readonly o: GeminiJudgeOptions) {
    // No baseUrl here: the SDK takes GOOGLE_GEMINI_BASE_URL from the environment when it is set.
    this.ai = new GoogleGenAI({ apiKey: o.apiKey, httpOptions: { timeout: o.timeoutMs } });
  }

  /** Removes the key from any text that leaves this module. */
  redact(text: string): string {
    return this.o.apiKey ? text.split(this.o.apiKey).join('[redacted]') : text;
  }

  private log(msg: string): void {
    this.o.log?.(this.redact(msg));
  }

  async judge(pair: JudgePairInput, budget: CallBudget): Promise<Verdict> {
    const base = { source: 'gemini' as const, model: this.o.model };
    const unknown = (error: string): Verdict => ({
      classification: 'UNKNOWN', confidence: 'LOW', algorithm_detected: null, reasoning: 'The Gemini judge gave no usable verdict.', ...base,
      error: this.redact(error),
    });
    const contents: Content[] = [{ role: 'user', parts: [{ text: buildPrompt(pair) }] }];
    let reply: Reply;
    try {
      reply = await this.request(contents, budget);
    } catch (e) {
      // Never asked: the caller keeps its own verdict.
      if (e instanceof CallCapError) throw e;
      return unknown((e as Error).message);
    }
    if ('blocked' in reply) return unknown(`response blocked (${reply.blocked})`);
    let parsed = parseVerdict(reply.text);
    if (!parsed.ok) {
      this.log(`gemini: unreadable verdict for ${pair.file1} ~ ${pair.file2} (${parsed.error}); asking once for a repair`);
      const first = parsed.error;
      try {
        const again = await this.request([...contents, { role: 'model', parts: [{ text: reply.text }] },
          { role: 'user', parts: [{ text: repairPrompt(reply.text, first) }] }], budget);
        if ('blocked' in again) return unknown(`response blocked (${again.blocked})`);
        parsed = parseVerdict(again.text);
      } catch (e) {
        return unknown(`malformed reply (${first}); repair failed: ${(e as Error).message}`);
      }
      if (!parsed.ok) return unknown(`malformed reply after one repair (${first}; then ${parsed.error})`);
    }
    return { ...parsed.verdict, ...base };
  }

  /** One logical request: retried on transient failures, each attempt drawing on the budget. */
  private async request(contents: Content[], budget: CallBudget): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
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
          },
        });
        return replyOf(res);
      } catch (e) {
        const why = describe(e, this.o.timeoutMs);
        if (!why.retryable || attempt >= this.o.maxRetries) {
          throw new Error(attempt > 0 ? `${why.message} (after ${attempt + 1} attempts)` : why.message);
        }
        const wait = backoffDelay(attempt, { baseMs: this.o.backoffBaseMs, maxMs: this.o.backoffMaxMs, random: this.o.random });
        this.log(`gemini: ${why.message}; retry ${attempt + 1}/${this.o.maxRetries} in ${Math.round(wait)} ms`);
        await sleep(wait);
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

function describe(e: unknown, timeoutMs: number): { message: string; retryable: boolean } {
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
    return { message: `HTTP ${e.status}: ${detail.slice(0, 300)}`, retryable };
  }
  const err = e as Error;
  if (err?.name === 'AbortError' || /abort/i.test(err?.message ?? '')) return { message: `timed out after ${timeoutMs} ms`, retryable: true };
  return { message: `request failed: ${(err?.message ?? String(e)).slice(0, 300)}`, retryable: true };
}
