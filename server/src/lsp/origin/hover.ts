// Markdown for origin hovers and the diagnostic message: the verdict in plain words (calibrated confidence,
// the measured false-positive rate, the cues behind it), top tokens, legend and model stats.
import { aboutPercent, cueSentence, humanRuleText, languageName, oneIn, ratesFor, type Cue, type VerdictPolicy } from '../../origin/index';
import type { ModelInfo } from './workerProtocol';
import type { OriginVerdict } from './protocol';

/** A shown percentage: never 0% or 100%. */
export function percent(p: number): string {
  return aboutPercent(p).replace(/^about /, '');
}

/** "Likely LLM-generated (about 91%)" — the calibrated confidence of the verdict shown. */
export function verdictText(v: OriginVerdict): string {
  if (v.label === 'too-short') return `Too short to judge (${v.tokens} tokens)`;
  const c = v.confidence ?? (v.label === 'human' ? 1 - (v.p_llm ?? 0) : v.p_llm ?? 0);
  if (v.label === 'inconclusive') return v.reason?.startsWith('not evaluated') ? `Inconclusive (${v.reason})` : 'Inconclusive';
  return v.label === 'llm' ? `Likely LLM-generated (${aboutPercent(c)})` : `Likely human-written (${aboutPercent(c)})`;
}

/**
 * The verdict in plain words: what the number means, and for an LLM verdict how often human code from
 * sources the model never saw gets it (the manifest's measured rate for the language).
 */
export function verdictExplanation(v: OriginVerdict, policy: VerdictPolicy | undefined, language: string): string[] {
  if (v.label === 'too-short' || v.p_llm === undefined) return ['Units this short give the model too little to go on, so no verdict is made.'];
  const calibrated = policy && !policy.legacy && policy.calibration ? 'calibrated confidence' : 'uncalibrated confidence';
  const lang = languageName(language);
  if (v.label === 'inconclusive') {
    if (v.reason?.startsWith('not evaluated') || v.reason?.startsWith('language unknown')) {
      // A language with LLM files in the model's evaluation, where its verdicts still were no evidence.
      const r = policy ? ratesFor(policy, language) : undefined;
      if (r && !r.overall && (r.n_llm ?? 0) >= 100 && Number.isFinite(r.tpr)) {
        const pc = (x: number) => `${(100 * x).toFixed(1)}%`;
        return [`**Inconclusive: ${v.reason}.** On ${lang} code from sources the model never saw, its LLM verdict hit ${pc(r.tpr)} of LLM-written files `
          + `and ${pc(r.fpr)} of human-written ones, which its evaluation does not count as evidence, so it gives no verdict here. `
          + 'The setting `codeOrigin.origin.unevaluatedLanguages` turns verdicts on anyway.'];
      }
      return [`**Inconclusive: ${v.reason}.** The model has no LLM-written ${language === 'unknown' ? 'code of this kind' : `${lang} code`} to be checked against, so it gives no verdict here. `
        + 'The setting `codeOrigin.origin.unevaluatedLanguages` turns verdicts on anyway.'];
    }
    if (v.reason?.startsWith('one of ')) return [`**Inconclusive: ${v.reason}** (${calibrated} P(LLM) ${aboutPercent(v.confidence ?? v.p_llm)}).`];
    return [`**Inconclusive: the evidence is not strong either way** (${calibrated} P(LLM) ${aboutPercent(v.confidence ?? v.p_llm)}).`];
  }
  const conf = aboutPercent(v.confidence ?? (v.label === 'llm' ? v.p_llm : 1 - v.p_llm));
  if (v.label === 'human') return [`**Likely human-written** (${calibrated} ${conf}).`];
  const lines = [`**Likely LLM-generated** (${calibrated} ${conf}).`];
  const r = policy ? ratesFor(policy, language) : undefined;
  if (r) {
    const whose = r.overall ? 'human files' : `human ${lang} files`;
    // Measured per file. With the language's curve, a function's threshold rises with its file's judged
    // functions (unitThresholdFor), so they share that rate; without it, one of many is flagged more often.
    const shared = r.fpr_curve
      ? ' That rate is for a whole file: a function\'s threshold rises with the number judged in its file, so that together they get it no more often.'
      : ' That rate is for a whole file: each function is judged on its own, so a human file with many functions has one flagged more often.';
    lines.push(`On code from sources the model never saw, ${oneIn(r.fpr, r.n_human)} ${whose} gets this verdict${r.overall ? ' (rate over all languages)' : ''}.${shared}`);
  } else {
    lines.push('The model folder states no measured false-positive rate, so how often human code gets this verdict is unknown.');
  }
  return lines;
}

/** "Driven mostly by: comment and docstring style, identifier naming" for the side of the verdict. */
export function cueLine(v: OriginVerdict, cues: { llm: Cue[]; human: Cue[] } | undefined): string | undefined {
  if (!cues || v.label === 'too-short') return undefined;
  if (v.label === 'inconclusive') {
    const parts = [cues.llm.length ? `toward LLM: ${cueSentence(cues.llm)}` : '', cues.human.length ? `toward human: ${cueSentence(cues.human)}` : ''].filter(Boolean);
    return parts.length ? `Cues ${parts.join('; ')}.` : undefined;
  }
  const side = v.label === 'llm' ? cues.llm : cues.human;
  return side.length ? `Driven mostly by: ${cueSentence(side)}.` : undefined;
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
  language: string;
  threshold: number;
  info: ModelInfo;
  top?: TopToken[];
  topNote?: string;
  cues?: { llm: Cue[]; human: Cue[] };
  steps?: number;
  notes?: string[];
}): string {
  const v = o.verdict;
  // The verdict sentence says it in full ("Likely LLM-generated (calibrated confidence about 87%)"), so the title names only the subject.
  const lines = [v.label === 'too-short' ? `**Code Origin** · ${o.subject}: **${verdictText(v)}**` : `**Code Origin** · ${o.subject}`, ''];
  lines.push(verdictExplanation(v, o.info.verdict, o.language).join(' '));
  const cue = cueLine(v, o.cues);
  if (cue) lines.push('', cue);
  if (v.p_llm !== undefined) {
    const human = o.info.verdict && !o.info.verdict.legacy ? `, ${humanRuleText(o.info.verdict)}` : '';
    lines.push('', `_Raw model score p(LLM) ${v.p_llm.toFixed(3)} (LLM at or above ${o.threshold.toFixed(2)}${human}) · ${v.tokens} tokens${v.truncated ? ` · only the first ${v.windows} windows were classified` : ''}_`);
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
