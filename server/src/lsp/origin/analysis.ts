// One document judged: the file and each function, method and class, with verdicts from the model's cache
// where the same text was judged before. The scheduler decides when; this says what.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { detectLanguage, type LanguageId } from '../../core/languages';
import { checkText, normalizeLineEndings, originalOffset } from '../../core/source';
import { decide, decideUnit, llmThresholdFor } from '../../origin/index';
import type { OriginLanguage } from '../../origin/sourceText';
import { findUnits, type OriginUnit } from '../../origin/units';
import type { OriginContext } from './context';
import { OriginError } from './engine';
import type { OriginVerdict, UnitVerdict } from './protocol';
import type { OriginSettings } from './settings';
import { contentHash, looksMinified, pathOfUri } from './text';
import type { ModelInfo, TextVerdict } from './workerProtocol';

export interface JudgedUnit extends UnitVerdict {
  /** Offsets of the unit's text in the document's buffer. */
  start: number;
  end: number;
  hash: string;
}

export interface DocAnalysis {
  uri: string;
  version: number;
  language: LanguageId;
  hash: string;
  file: OriginVerdict;
  units: JudgedUnit[];
  notes: string[];
  threshold: number;
  info: ModelInfo;
}

export type Unavailable = { unavailable: string; state: 'unavailable' | 'error' };
export type AnalysisOutcome = DocAnalysis | Unavailable;

export function isAnalysis(o: AnalysisOutcome | undefined): o is DocAnalysis {
  return !!o && !('unavailable' in o);
}

/**
 * The three-way verdict of a raw score, by the model's policy and the user's settings; for a function,
 * `units` is how many of its file's functions are judged (they share the file's false-positive rate).
 */
export function verdictOf(v: TextVerdict, info: ModelInfo, language: OriginLanguage, s: OriginSettings, units?: number): OriginVerdict {
  if (v.tooShort || v.p_llm === undefined) return { label: 'too-short', tokens: v.tokens };
  const o = { language, unevaluatedLanguages: s.unevaluatedLanguages, llmThreshold: s.threshold, tokens: v.tokens };
  const d = units === undefined ? decide(info.verdict, v.p_llm, o) : decideUnit(info.verdict, v.p_llm, units, o);
  return {
    label: d.label, p_llm: v.p_llm, confidence: d.confidence, ...(d.reason ? { reason: d.reason } : {}), tokens: v.tokens, windows: v.windows,
    ...(v.truncated ? { truncated: true } : {}),
  };
}

/** Judges the document; `jobs` holds the ids of its queued model jobs while they run (typing cancels them). */
export async function analyseDocument(ctx: OriginContext, doc: TextDocument, priority: number, jobs: { ids: number[] }): Promise<AnalysisOutcome> {
  const s = ctx.settings();
  const host = ctx.host();
  const models = ctx.models;
  if (!s.enabled) return { unavailable: 'origin analysis is off (codeOrigin.origin.enabled)', state: 'unavailable' };
  const language = detectLanguage(pathOfUri(doc.uri), doc.languageId);
  if (!language) return { unavailable: `origin analysis does not support language "${doc.languageId}"`, state: 'unavailable' };
  if (!host.enabledLanguages.includes(language) || !s.enabledLanguages.includes(language)) {
    return { unavailable: `language "${language}" is disabled in the Code Origin settings`, state: 'unavailable' };
  }
  // Line endings as everywhere else in the server (CRLF or lone CR read as LF); unit offsets map back to the buffer's.
  const raw = doc.getText();
  const text = normalizeLineEndings(raw);
  const toBuffer = originalOffset(raw);
  const problem = checkText(text, { maxBytes: host.maxFileSize });
  if (problem) return { unavailable: problem, state: 'unavailable' };
  if (text.trim().length === 0) return { unavailable: 'empty file', state: 'unavailable' };
  const notes: string[] = [];
  let units: OriginUnit[] = [];
  if (looksMinified(text)) notes.push('This looks like minified or generated code (very long lines): the model was not trained on such code, so the verdict is unreliable and no per-function verdicts or diagnostics are made.');
  else {
    try {
      units = await findUnits(text, language);
    } catch (e) {
      notes.push(`Functions could not be found (${(e as Error).message}); only the file is judged.`);
    }
  }
  const texts = [text, ...units.map((u) => text.slice(u.start, u.end))];
  const engine = models.ensure();
  // The language is part of the key: a canonicalizing model reads the same text differently per language.
  const keys = texts.map((t) => `${contentHash(t)}:${language}:${s.minTokens}:${s.maxWindows}`);
  const missing = keys.flatMap((k, i) => (models.verdicts.get(k) ? [] : [i]));
  let info = models.info;
  if (missing.length || !info) {
    const job = engine.classify(missing.map((i) => texts[i]!), { language, minTokens: s.minTokens, maxWindows: s.maxWindows, priority });
    jobs.ids.push(job.id);
    let res;
    try {
      res = await models.settle(job.promise);
    } finally {
      jobs.ids = jobs.ids.filter((j) => j !== job.id);
    }
    if ('modelError' in res) return { unavailable: `the origin model could not be loaded: ${res.modelError}`, state: 'error' };
    if (models.current !== engine) throw new OriginError('cancelled: the model changed', false, true);
    info = models.noteInfo(res.value.info);
    const verdicts = res.value.verdicts;
    missing.forEach((i, k) => models.verdicts.set(keys[i]!, verdicts[k]!));
  }
  const modelInfo = info;
  // Every key was judged above (or just now) with the same model: its verdict is in the cache.
  const judgedUnits = units.filter((_, i) => !models.verdicts.get(keys[i + 1]!)!.tooShort).length;
  const verdict = (i: number) => verdictOf(models.verdicts.get(keys[i]!)!, modelInfo, language, s, i === 0 ? undefined : judgedUnits);
  const file = verdict(0);
  if (file.truncated) notes.push(`Long file: only its first ${file.windows} windows (about ${file.tokens} tokens) were classified.`);
  const judged: JudgedUnit[] = units.map((u, i) => ({
    ...verdict(i + 1),
    name: u.name, kind: u.kind, range: u.range, name_range: u.name_range, start: toBuffer(u.start), end: toBuffer(u.end), hash: keys[i + 1]!,
  }));
  return { uri: doc.uri, version: doc.version, language, hash: contentHash(text), file, units: judged, notes, threshold: llmThresholdFor(modelInfo.verdict, language, s.threshold), info: modelInfo };
}
