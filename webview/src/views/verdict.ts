/// <reference lib="dom" />
// The judge's words (LLM verdicts and summaries), whatever their shape, as text.
import { h } from '../dom';

const LABELS: Record<string, string> = {
  refined_classification: 'Classification',
  refined_risk_level: 'Risk',
  classification: 'Classification',
  risk_level: 'Risk',
  verdict: 'Verdict',
  confidence: 'Confidence',
  reasoning: 'Reasoning',
  summary: 'Summary',
};

export function verdictBlock(v: unknown, depth = 0): HTMLElement {
  if (v === null || v === undefined) return h('span', { class: 'muted' }, '—');
  if (typeof v === 'string') return h('p', { class: 'verdict-text' }, v);
  if (typeof v === 'number' || typeof v === 'boolean') return h('span', {}, String(v));
  if (Array.isArray(v)) {
    const ul = h('ul', {});
    for (const x of v.slice(0, 100)) ul.append(h('li', {}, depth > 3 ? JSON.stringify(x) : verdictBlock(x, depth + 1)));
    return ul;
  }
  const dl = h('dl', { class: 'verdict' });
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const cls = /risk|classification|verdict/.test(k) && typeof x === 'string' ? `badge risk-${x.toLowerCase().replace(/[^a-z]+/g, '-')}` : '';
    dl.append(h('dt', {}, LABELS[k] ?? k.replace(/_/g, ' ')),
      h('dd', {}, typeof x === 'object' && x !== null ? (depth > 3 ? JSON.stringify(x) : verdictBlock(x, depth + 1)) : h('span', { class: cls }, String(x))));
  }
  return dl;
}
