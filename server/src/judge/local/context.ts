// What overlap can be explained by: k-grams and lines of the template, and of code found in many
// documents of the analysis. Built once per analysis and shared by every pair.
import type { JudgeContext } from '../types';
import { kgramHashes } from './kgrams';
import { tokenize } from './tokens';

export const EVIDENCE_K = 8;

export interface ExplainedCode {
  hashes: Set<number>;
  /** Whitespace-free lines. */
  lines: Set<string>;
  names: Set<string>;
}

export const normLine = (l: string) => l.replace(/\s+/g, '');

export async function buildExplained(ctx: JudgeContext | undefined): Promise<ExplainedCode> {
  const out: ExplainedCode = { hashes: new Set(), lines: new Set(), names: new Set() };
  if (!ctx) return out;
  for (const t of ctx.templates ?? []) {
    const tf = await tokenize(t.source, t.language);
    for (const h of kgramHashes(tf.tokens, EVIDENCE_K)) out.hashes.add(h);
    for (const tok of tf.tokens) if (tok.t === 'v' && tok.name) out.names.add(tok.name);
    for (const l of t.source.split('\n')) out.lines.add(normLine(l));
  }
  const corpus = ctx.corpus ?? [];
  const minDocs = Math.max(ctx.commonMinDocs ?? 3, Math.floor((ctx.commonShare ?? 0.1) * corpus.length)) + 1;
  if (corpus.length >= minDocs) {
    const hashDocs = new Map<number, number>();
    const lineDocs = new Map<string, number>();
    const nameDocs = new Map<string, number>();
    const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
    for (const d of corpus) {
      const tf = await tokenize(d.source, d.language);
      for (const h of new Set(kgramHashes(tf.tokens, EVIDENCE_K))) bump(hashDocs, h);
      for (const n of new Set(tf.tokens.filter((t) => t.t === 'v').map((t) => t.name!))) bump(nameDocs, n);
      for (const l of new Set(d.source.split('\n').map(normLine))) bump(lineDocs, l);
    }
    for (const [h, n] of hashDocs) if (n >= minDocs) out.hashes.add(h);
    for (const [l, n] of lineDocs) if (n >= minDocs) out.lines.add(l);
    for (const [k, n] of nameDocs) if (n >= minDocs) out.names.add(k);
  }
  return out;
}
