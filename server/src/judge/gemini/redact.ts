// Keeps the API key out of everything the Gemini judge returns: a reply (or an error body) that
// echoes the key must not carry it into reports, the verdict cache, logs or the terminal.
import type { Verdict } from '../types';

/** Longest reasoning / algorithm name kept from a reply (a verdict asks for two or three sentences). */
const MAX_REASONING_CHARS = 4000;
const MAX_ALGORITHM_CHARS = 200;

export type Redactor = (text: string) => string;

export function redactor(key: string | undefined): Redactor {
  if (!key) return (t) => t;
  // The key as sent, and as it would appear URL-encoded; matched case-insensitively, since an echo
  // in another case still gives the key away.
  const forms = [...new Set([key, encodeURIComponent(key)])].map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(forms.join('|'), 'gi');
  return (t) => t.replace(re, '[redacted]');
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… [cut]` : text;
}

/** A verdict with every text field redacted, then cut to size (redacting first, so a cut never leaves half a key). */
export function redactVerdict(v: Verdict, redact: Redactor): Verdict {
  return {
    ...v,
    reasoning: cut(redact(v.reasoning), MAX_REASONING_CHARS),
    algorithm_detected: v.algorithm_detected === null ? null : cut(redact(v.algorithm_detected), MAX_ALGORITHM_CHARS),
    ...(v.model !== undefined ? { model: redact(v.model) } : {}),
    ...(v.error !== undefined ? { error: redact(v.error) } : {}),
  };
}
