// What `classify` and `scan` both report: one file's verdict and the verdicts of its functions, methods and
// classes (the units the language server judges), with their table.
import type { LanguageId } from '../core/languages';
import { aboutPercent, decideUnit, DEFAULT_MAX_WINDOWS, minTokensOf, type OriginModel } from '../origin/index';
import type { OriginLanguage } from '../origin/sourceText';
import { findUnits, type UnitKind } from '../origin/units';
import { renderTable } from './table';

/**
 * A verdict's confidence as tables print it: for `llm` (or `human`) how sure that verdict is; for
 * `inconclusive` the calibrated chance of LLM code, named as such ("about 29%" beside "inconclusive"
 * read as a confidence in the inconclusive verdict), and none where the score is no evidence (a language
 * not evaluated, a text too short): a number there would say what the verdict declines to say.
 */
export function confidenceText(v: { label?: string; confidence?: number; reason?: string }): string {
  if (v.confidence === undefined) return '';
  if (v.label !== 'inconclusive') return aboutPercent(v.confidence);
  if (v.reason?.startsWith('not evaluated') || v.reason?.startsWith('too short')) return '';
  return `P(LLM) ${aboutPercent(v.confidence)}`;
}

/** One file's result, as printed by classify (and, without explanations, by scan). */
export interface FileEntry {
  path: string;
  language?: OriginLanguage;
  /** llm, human or inconclusive. */
  label?: string;
  /** Raw model score. */
  p_llm?: number;
  /** Calibrated probability of the stated verdict (P(llm) for llm and inconclusive, 1 − P(llm) for human). */
  confidence?: number;
  /** Why the verdict is inconclusive. */
  reason?: string;
  windows?: number;
  truncated?: boolean;
  top_tokens?: TopToken[];
  /** The class the top tokens push toward: the verdict, or llm when it is inconclusive. */
  top_tokens_for?: 'human' | 'llm';
  explain_error?: string;
  error?: string;
  units?: UnitResult[];
  /** Why the per-unit verdicts are missing (the file could not be parsed). */
  units_error?: string;
}

export interface TopToken {
  text: string;
  score: number;
  line: number;
  column: number;
  start: number;
  end: number;
}

export { DEFAULT_MIN_TOKENS } from '../../../protocol/config';
import { DEFAULT_MIN_TOKENS } from '../../../protocol/config';

export interface UnitResult {
  name: string;
  kind: UnitKind;
  start_line: number;
  end_line: number;
  tokens: number;
  /** llm, human, inconclusive, or too-short (fewer than the minimum tokens: no guess). */
  label: 'llm' | 'human' | 'inconclusive' | 'too-short';
  p_llm?: number;
  /** Calibrated probability of the stated verdict. */
  confidence?: number;
  reason?: string;
  truncated?: boolean;
}

/** Verdicts per function, method and class of one source text (the language server's units). */
export async function classifyUnits(
  model: OriginModel, text: string, language: LanguageId, o: { minTokens?: number; maxWindows?: number; unevaluatedLanguages?: boolean } = {},
): Promise<UnitResult[]> {
  // The flag may ask for more tokens than the model needs, never for fewer.
  const minTokens = minTokensOf(model.folder.manifest.verdict, o.minTokens ?? DEFAULT_MIN_TOKENS);
  const maxWindows = o.maxWindows ?? DEFAULT_MAX_WINDOWS;
  const units = await findUnits(text, language);
  const texts = units.map((u) => text.slice(u.start, u.end));
  // Units follow their file's language: for canonicalization, and for abstaining where it is not evaluated.
  const windows: Array<Awaited<ReturnType<OriginModel['sourceWindows']>>> = [];
  for (const t of texts) windows.push(await model.sourceWindows(t, language, maxWindows));
  const counts = windows.map((w) => w.tokens);
  const judged = texts.map((_, i) => i).filter((i) => counts[i]! >= minTokens);
  const cs = judged.length ? await model.classifyWindows(judged.map((i) => windows[i]!), { language, unevaluatedLanguages: o.unevaluatedLanguages }) : [];
  const byIndex = new Map(judged.map((i, k) => [i, cs[k]!]));
  return units.map((u, i): UnitResult => {
    const c = byIndex.get(i);
    const base = { name: u.name, kind: u.kind, start_line: u.range.start.line + 1, end_line: u.range.end.line + 1 };
    if (!c) return { ...base, tokens: counts[i]!, label: 'too-short' };
    // Judged as the editor judges a function: among its file's judged functions (they share the file's rate).
    const v = decideUnit(model.folder.manifest.verdict, c.p_llm, judged.length, { language, unevaluatedLanguages: o.unevaluatedLanguages, tokens: c.tokens });
    return {
      ...base, tokens: c.tokens, label: v.label, p_llm: c.p_llm, confidence: Number(v.confidence.toFixed(6)),
      ...(v.reason ? { reason: v.reason } : {}), ...(c.truncated ? { truncated: true } : {}),
    };
  });
}

export function unitsTable(file: string, units: UnitResult[]): string {
  return [`${file}: functions, methods and classes`, renderTable(
    ['unit', 'kind', 'lines', 'label', 'confidence', 'p_llm', 'tokens'],
    units.map((u) => [u.name, u.kind, `${u.start_line}–${u.end_line}`, u.label, confidenceText(u), u.p_llm === undefined ? '' : u.p_llm.toFixed(4), u.tokens]),
  )].join('\n');
}
