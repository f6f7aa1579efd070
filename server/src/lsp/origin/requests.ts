// The origin answers to the editor: the hover of a unit (verdict, top tokens, model stats), codeOrigin/classify
// (a document, a selection or a pasted snippet) and codeOrigin/explain (Integrated Gradients token highlights).
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { parseLanguage } from '../../core/languages';
import { checkText, normalizeLineEndings, originalOffset } from '../../core/source';
import type { Range0 } from '../../core/summary';
import { decide, decideUnit, llmThresholdFor, unitThresholdFor } from '../../origin/index';
import { unitAt, unitAtName } from '../../origin/units';
import { isAnalysis, verdictOf, type AnalysisOutcome } from './analysis';
import type { OriginContext } from './context';
import { OriginError, PRIORITY_INTERACTIVE } from './engine';
import { originHoverMarkdown, topByMagnitude, type TopToken } from './hover';
import type {
  OriginClassifyParams, OriginClassifyResult, OriginExplainParams, OriginExplainResult, TokenHighlight,
} from './protocol';
import { contentHash, looksMinified, pathOfUri } from './text';
import type { ExplainResult } from './workerProtocol';

/** How long a hover waits for Integrated Gradients before answering without top tokens. */
const HOVER_IG_WAIT_MS = 4000;

function timeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

export class OriginRequests {
  constructor(
    private readonly ctx: OriginContext,
    /** The shared analysis of a document's current version. */
    private readonly analysis: (uri: string, priority: number) => Promise<AnalysisOutcome>,
  ) {}

  async hover(params: HoverParams): Promise<Hover | null> {
    const uri = params.textDocument.uri;
    if (!this.ctx.settings().enabled || !this.ctx.documents.get(uri)) return null;
    const a = await this.analysis(uri, PRIORITY_INTERACTIVE).catch(() => undefined);
    if (!isAnalysis(a)) return null;
    const doc = this.ctx.documents.get(uri);
    if (!doc || doc.version !== a.version) return null;
    const u = unitAtName(a.units, params.position);
    if (!u) return null;
    let top: TopToken[] | undefined;
    let topNote: string | undefined;
    let steps: number | undefined;
    let cues: ExplainResult['cues'] | undefined;
    if (u.label === 'too-short') topNote = undefined;
    else if (a.info.explainUnavailable) topNote = a.info.explainUnavailable;
    else {
      try {
        const slice = doc.getText().slice(u.start, u.end);
        const toSlice = originalOffset(slice);
        const e = await timeout(this.ctx.models.explain(normalizeLineEndings(slice), a.language, PRIORITY_INTERACTIVE), HOVER_IG_WAIT_MS);
        if (e) {
          steps = e.steps;
          cues = e.cues;
          top = topByMagnitude(e.tokens, 5).map((t) => {
            const pos = doc.positionAt(u.start + toSlice(t.start));
            return { text: t.text, score: t.score, line: pos.line + 1, column: pos.character + 1 };
          });
        } else topNote = 'Top tokens are still being computed (Integrated Gradients); hover again in a moment.';
      } catch (err) {
        topNote = `Top tokens unavailable: ${(err as Error).message}`;
      }
    }
    // A function's threshold: its file's, raised with the number of functions judged there (unitThresholdFor).
    const threshold = unitThresholdFor(a.info.verdict, a.language, judgedUnits(a.units), this.ctx.settings().threshold);
    const value = originHoverMarkdown({ subject: `${u.kind} \`${u.name}\``, verdict: u, language: a.language, threshold, info: a.info, top, topNote, cues, steps });
    return { contents: { kind: MarkupKind.Markdown, value }, range: u.name_range };
  }

  async classify(p: OriginClassifyParams): Promise<OriginClassifyResult> {
    const uri = p?.textDocument?.uri;
    try {
      if (typeof p?.text === 'string') return await this.classifySnippet(p.text, p.languageId, uri, p.range);
      if (typeof uri !== 'string') return { error: 'missing textDocument.uri or text' };
      const doc = this.ctx.documents.get(uri);
      if (!doc) return { uri, error: `document not open: ${uri}` };
      if (p.range) {
        const text = doc.getText(p.range);
        return await this.classifySnippet(text, p.languageId ?? doc.languageId, uri, p.range);
      }
      const a = await this.analysis(uri, PRIORITY_INTERACTIVE);
      if (!isAnalysis(a)) return { uri, error: a.unavailable };
      return {
        uri, version: a.version, language: a.language, threshold: a.threshold, file: a.file,
        units: a.units.map(({ start: _s, end: _e, hash: _h, ...u }) => u), notes: a.notes, model: a.info,
      };
    } catch (e) {
      if (e instanceof OriginError && e.cancelled) return { uri, error: 'cancelled: the document changed' };
      this.ctx.connection.console.error(`classify failed: ${(e as Error).stack ?? e}`);
      return { uri, error: (e as Error).message };
    }
  }

  /** A selection or a pasted snippet: judged as one unit, recorded in the history. */
  private async classifySnippet(text: string, languageId: string | undefined, uri: string | undefined, range: Range0 | undefined): Promise<OriginClassifyResult> {
    const s = this.ctx.settings();
    if (!s.enabled) return { uri, error: 'origin analysis is off (codeOrigin.origin.enabled)' };
    text = normalizeLineEndings(text);
    if (!text.trim()) return { uri, error: 'nothing to classify: the selection is empty' };
    const problem = checkText(text, { maxBytes: this.ctx.host().maxFileSize });
    if (problem) return { uri, error: problem };
    const language = languageId ? parseLanguage(languageId) : undefined;
    const models = this.ctx.models;
    const job = models.ensure().classify([text], { language: language ?? 'unknown', minTokens: s.minTokens, maxWindows: s.maxWindows, priority: PRIORITY_INTERACTIVE });
    const res = await models.settle(job.promise);
    if ('modelError' in res) return { uri, error: `the origin model could not be loaded: ${res.modelError}` };
    const { info, verdicts } = res.value;
    models.noteInfo(info);
    const threshold = llmThresholdFor(info.verdict, language, s.threshold);
    const verdict = verdicts[0];
    if (!verdict) return { uri, error: 'the origin model gave no verdict' };
    const file = verdictOf(verdict, info, language ?? 'unknown', s);
    const notes: string[] = [];
    if (looksMinified(text)) notes.push('This looks like minified code: the verdict is unreliable.');
    if (file.truncated) notes.push(`Long text: only its first ${file.windows} windows were classified.`);
    const subject = range ? `selection ${range.start.line + 1}–${range.end.line + 1}` : 'snippet';
    this.ctx.history.record(uri ? pathOfUri(uri) : '(pasted snippet)', contentHash(text), language ?? languageId ?? 'unknown', info, subject, file);
    return { uri, language: language ?? languageId, threshold, file, units: [], notes, model: info };
  }

  async explain(p: OriginExplainParams): Promise<OriginExplainResult> {
    const uri = p?.textDocument?.uri;
    if (typeof uri !== 'string') return { uri: String(uri), error: 'missing textDocument.uri' };
    try {
      const doc = this.ctx.documents.get(uri);
      if (!doc) return { uri, error: `document not open: ${uri}` };
      const a = await this.analysis(uri, PRIORITY_INTERACTIVE);
      if (!isAnalysis(a)) return { uri, error: a.unavailable };
      if (a.info.explainUnavailable) return { uri, error: a.info.explainUnavailable };
      let start: number;
      let end: number;
      let subject: string;
      const unit = !p.range && p.position ? unitAt(a.units, p.position) : undefined;
      let isUnit = !!unit;
      if (p.range) {
        start = doc.offsetAt(p.range.start);
        end = doc.offsetAt(p.range.end);
        const same = a.units.find((u) => u.start === start && u.end === end);
        isUnit = !!same;
        subject = same ? `${same.kind} ${same.name}` : `selection ${p.range.start.line + 1}–${p.range.end.line + 1}`;
      } else if (unit) {
        ({ start, end } = unit);
        subject = `${unit.kind} ${unit.name}`;
      } else {
        start = 0;
        end = doc.getText().length;
        subject = 'file';
      }
      const text = normalizeLineEndings(doc.getText().slice(start, end));
      if (!text.trim()) return { uri, error: 'nothing to explain: the range is empty' };
      const version = doc.version;
      const e = await this.ctx.models.explain(text, a.language, PRIORITY_INTERACTIVE);
      const now = this.ctx.documents.get(uri);
      if (!now || now.version !== version) return { uri, error: 'cancelled: the document changed while it was explained' };
      const toHighlight = (t: { start: number; end: number; text: string; score: number }): TokenHighlight => ({
        range: { start: doc.positionAt(start + t.start), end: doc.positionAt(start + t.end) }, text: t.text, score: t.score,
      });
      const tokens = e.tokens.map(toHighlight);
      const top = topByMagnitude(tokens, 5);
      const s = this.ctx.settings();
      const o = { language: a.language, unevaluatedLanguages: s.unevaluatedLanguages, llmThreshold: s.threshold, tokens: e.modelTokens };
      // A function is judged as the diagnostics judge it: among its file's judged functions.
      const v = isUnit ? decideUnit(a.info.verdict, e.p_llm, judgedUnits(a.units), o) : decide(a.info.verdict, e.p_llm, o);
      const label = v.label;
      this.ctx.history.record(pathOfUri(uri), contentHash(text), a.language, a.info, subject, { label, p_llm: e.p_llm, confidence: v.confidence, tokens: 0 }, top);
      return {
        uri, version, range: { start: doc.positionAt(start), end: doc.positionAt(end) }, subject, label, p_llm: e.p_llm,
        confidence: v.confidence, ...(v.reason ? { reason: v.reason } : {}), cues: e.cues,
        threshold: isUnit ? unitThresholdFor(a.info.verdict, a.language, judgedUnits(a.units), s.threshold) : a.threshold, tokens, top, maxAbs: e.maxAbs, steps: e.steps, truncated: e.truncated, windows: e.windows, model: a.info,
      };
    } catch (e) {
      if (e instanceof OriginError && e.cancelled) return { uri, error: 'cancelled' };
      if (e instanceof OriginError && e.modelError) {
        this.ctx.models.reportModelError(e.message);
        return { uri, error: `the origin model could not be loaded: ${e.message}` };
      }
      this.ctx.connection.console.error(`explain failed: ${(e as Error).stack ?? e}`);
      return { uri, error: (e as Error).message };
    }
  }
}

/** Adds the origin hover to another hover handler's answer. */
export function withOriginHover<P extends HoverParams>(
  origin: (p: P) => Promise<Hover | null>,
  base: (p: P) => Promise<Hover | null | undefined>,
): (p: P) => Promise<Hover | null> {
  return async (p: P) => {
    const [b, o] = await Promise.all([base(p), origin(p).catch(() => null)]);
    if (!o) return b ?? null;
    if (!b) return o;
    const text = (h: Hover) => (typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : String(h.contents));
    return { contents: { kind: MarkupKind.Markdown, value: `${text(o)}\n\n---\n\n${text(b)}` }, range: o.range ?? b.range };
  };
}

/** How many of a file's functions got a verdict (not too short): they share the file's false-positive rate. */
function judgedUnits(units: Array<{ label: string }>): number {
  return units.filter((u) => u.label !== 'too-short').length;
}
