// Markdown for origin hovers and the diagnostic message: verdict, top tokens, legend and model stats.
import type { ModelInfo } from './workerProtocol';
import type { OriginVerdict } from './protocol';

export function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/** "Likely LLM-generated (91%)" — the confidence of the label shown. */
export function verdictText(v: OriginVerdict): string {
  if (v.label === 'too-short') return `Too short to judge (${v.tokens} tokens)`;
  const p = v.p_llm ?? 0;
  return v.label === 'llm' ? `Likely LLM-generated (${percent(p)})` : `Likely human-written (${percent(1 - p)})`;
}

export function formatParameters(n: number | undefined): string {
  if (n === undefined) return 'unknown';
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export function modelStats(info: ModelInfo, steps?: number): string {
  const method = info.explainUnavailable ? 'no explanations (the folder has no attribution graphs)' : `Integrated Gradients${steps ? ` (${steps} steps)` : ''}`;
  return `Model: \`${info.name}\` v${info.version} · ${formatParameters(info.parameters)} parameters · ${info.architecture} · ${method}`;
}

export const LEGEND = 'Explain Origin highlights: **orange** tokens push toward LLM, **blue** toward human; stronger colour = larger attribution.';

function escapeCode(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim() || '⎵';
  return t.replace(/`/g, 'ˋ').slice(0, 40);
}

export interface TopToken {
  text: string;
  score: number;
  line: number;
  column: number;
}

/** The k tokens with the largest |attribution|. */
export function topByMagnitude<T extends { score: number }>(tokens: T[], k = 5): T[] {
  return [...tokens].sort((a, b) => Math.abs(b.score) - Math.abs(a.score)).slice(0, k);
}

export function originHoverMarkdown(o: {
  subject: string;
  verdict: OriginVerdict;
  threshold: number;
  info: ModelInfo;
  top?: TopToken[];
  topNote?: string;
  steps?: number;
  notes?: string[];
}): string {
  const v = o.verdict;
  const lines = [`**Code Origin** · ${o.subject}: **${verdictText(v)}**`];
  if (v.p_llm !== undefined) {
    lines.push('', `p(LLM) = ${v.p_llm.toFixed(3)} (threshold ${o.threshold.toFixed(2)}) · ${v.tokens} tokens${v.truncated ? ` · only the first ${v.windows} windows were classified` : ''}`);
  } else {
    lines.push('', 'Units this short give the model too little to go on, so no verdict is made.');
  }
  for (const n of o.notes ?? []) lines.push('', `_${n}_`);
  if (o.top?.length) {
    lines.push('', 'Top tokens (Integrated Gradients; + toward LLM, − toward human):', '', '| Token | Line | Score |', '|---|---:|---:|');
    for (const t of o.top) lines.push(`| \`${escapeCode(t.text)}\` | ${t.line} | ${t.score >= 0 ? '+' : '−'}${Math.abs(t.score).toFixed(3)} |`);
  } else if (o.topNote) {
    lines.push('', `_${o.topNote}_`);
  }
  lines.push('', LEGEND, '', modelStats(o.info, o.steps));
  return lines.join('\n');
}
