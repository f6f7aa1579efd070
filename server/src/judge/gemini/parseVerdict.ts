// Reads Gemini's reply into a verdict: strict JSON first, then a light local repair (code fences,
// text around the object, trailing commas, lower-case enum values).
import { CLASSIFICATIONS, CONFIDENCES, type Classification, type Confidence } from '../types';

export interface ParsedVerdict {
  classification: Classification;
  confidence: Confidence;
  algorithm_detected: string | null;
  reasoning: string;
}

export type ParseResult = { ok: true; verdict: ParsedVerdict } | { ok: false; error: string };

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function repaired(text: string): unknown {
  let t = text.trim().replace(/^```(?:json)?\s*/i, '').replace(/```\s*$/, '');
  const a = t.indexOf('{');
  const b = t.lastIndexOf('}');
  if (a < 0 || b <= a) return undefined;
  t = t.slice(a, b + 1).replace(/,\s*([}\]])/g, '$1');
  return tryJson(t);
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function parseVerdict(text: string | undefined): ParseResult {
  if (text === undefined || text.trim() === '') return { ok: false, error: 'empty reply' };
  const obj = asObject(tryJson(text)) ?? asObject(repaired(text));
  if (!obj) return { ok: false, error: 'reply is not a JSON object' };
  const cls = String(obj.classification ?? '').trim().toUpperCase();
  const conf = String(obj.confidence ?? '').trim().toUpperCase();
  if (!(CLASSIFICATIONS as readonly string[]).includes(cls)) return { ok: false, error: `bad classification "${String(obj.classification)}"` };
  if (!(CONFIDENCES as readonly string[]).includes(conf)) return { ok: false, error: `bad confidence "${String(obj.confidence)}"` };
  if (typeof obj.reasoning !== 'string' || obj.reasoning.trim() === '') return { ok: false, error: 'missing reasoning' };
  const alg = obj.algorithm_detected;
  return {
    ok: true,
    verdict: {
      classification: cls as Classification,
      confidence: conf as Confidence,
      algorithm_detected: typeof alg === 'string' && alg.trim() !== '' && alg.trim().toLowerCase() !== 'null' ? alg.trim() : null,
      reasoning: obj.reasoning.trim(),
    },
  };
}
