// OriginModel: one model folder, its tokenizer and lazily created onnxruntime sessions.
// classify(): windows of the document → batched model.onnx runs → one p_llm by the manifest's aggregation.
// explain(): Integrated Gradients per window through embeddings.onnx + attribution.onnx.
import { ModelFolderError, loadModelFolder, type Aggregation, type ModelFolder } from './manifest';
import { OrtSession, type SessionOptions } from './ortSession';
import { OriginTokenizer } from './tokenizer';
import { documentWindows, type ModelWindow } from './windowing';
import { DEFAULT_IG_STEPS, integratedGradients, type AttributionRunner, type IgResult } from './integratedGradients';
import { completeness, sourceAttributions, topTokens, type TokenAttribution, type WindowCompleteness } from './explanation';
import { canonicalizeForOrigin } from './canonical';
import { decide, type OriginLabel } from './verdict';
import { LANGUAGES } from '../core/languages';
import type { OriginLanguage } from './sourceText';
import { DEFAULT_MAX_WINDOWS } from '../../../protocol/config';

/**
 * A language name as records give it: one of the parsed languages, or another name (php, csharp...) that is
 * read as raw-ish "unknown" text but still decides whether the verdict abstains (evaluated_languages).
 */
export type VerdictLanguage = OriginLanguage | (string & {});

function parsedLanguage(l: VerdictLanguage): OriginLanguage {
  return (LANGUAGES as readonly string[]).includes(l) ? (l as OriginLanguage) : 'unknown';
}

export type { OriginLabel } from './verdict';

export { DEFAULT_MAX_WINDOWS } from '../../../protocol/config';
export const DEFAULT_BATCH_SIZE = 8;

export interface OriginModelOptions extends SessionOptions {
  /** Windows per model.onnx call (default 8). */
  batchSize?: number;
}

export interface ClassifyOptions {
  /** Windows classified per document, from its start (default 16); more makes the result `truncated`. */
  maxWindows?: number;
  /** The document's language: canonicalized input needs it, and verdicts abstain where it was not evaluated. */
  language?: VerdictLanguage;
  /** classifyMany: one language per text (overrides `language`). */
  languages?: VerdictLanguage[];
  /** Verdicts for languages outside the manifest's evaluated_languages too. */
  unevaluatedLanguages?: boolean;
  /** A user threshold for `llm` instead of the manifest's. */
  llmThreshold?: number;
}

/** The model's input for a document and how its characters map back to the source. */
export interface ModelInput {
  text: string;
  /** map[i] = source UTF-16 index of model-input character i (length text.length + 1); absent for raw input. */
  map?: Int32Array;
}

export interface WindowScore {
  index: number;
  /** Source character range (UTF-16 indices) of the window's content tokens. */
  start: number;
  end: number;
  tokens: number;
  logits: [number, number];
  p_llm: number;
}

export interface Classification {
  label: OriginLabel;
  /** Raw p(LLM) (after temperature), as aggregated over windows. */
  p_llm: number;
  /** Calibrated P(llm) (the raw p for models without a calibration). */
  p_calibrated: number;
  /** Calibrated probability of the stated verdict (P(llm) for llm and inconclusive, 1 − P(llm) for human). */
  confidence: number;
  /** Why the verdict is inconclusive. */
  reason?: string;
  language: VerdictLanguage;
  /** Windows classified. */
  windows: number;
  /** True when the document had more windows than were classified (only its start was). */
  truncated: boolean;
  /** Tokens of the document (of its classified prefix when truncated). */
  tokens: number;
  window_scores: WindowScore[];
}

export interface ExplainOptions extends ClassifyOptions {
  /** Class explained: a label, or 'predicted' (default) for the document's predicted label. */
  target?: 'human' | 'llm' | 'predicted';
  /** Spans returned in `top` (default 5). */
  top?: number;
  /** IG intervals (default 32). */
  steps?: number;
  /** IG path points per onnxruntime call. */
  batchSize?: number;
  /** Only windows and spans that intersect this source range (UTF-16 indices) are explained. */
  range?: { start: number; end: number };
}

export interface Explanation {
  classification: Classification;
  /** Explained class: an inconclusive verdict is explained toward llm. */
  target: 'human' | 'llm';
  /** The IG baseline, in words. */
  baseline: string;
  steps: number;
  /** Every content span of the explained windows, in source order; score > 0 pushes towards `target`. */
  tokens: TokenAttribution[];
  top: TokenAttribution[];
  completeness: WindowCompleteness[];
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** aggregate() of window scores; mean_logits averages the (temperature-scaled) logit margins. */
export function aggregate(scores: WindowScore[], how: Aggregation, llmIndex: number, temperature = 1): number {
  if (scores.length === 0) return 0.5;
  switch (how) {
    case 'max':
      return Math.max(...scores.map((s) => s.p_llm));
    case 'mean':
      return scores.reduce((a, s) => a + s.p_llm, 0) / scores.length;
    case 'mean_logits':
      return sigmoid(scores.reduce((a, s) => a + s.logits[llmIndex]! - s.logits[1 - llmIndex]!, 0) / scores.length / temperature);
    case 'token_weighted_mean_logits': {
      // softmax of the weighted mean logits = sigmoid of the weighted mean margin
      let wsum = 0;
      let zsum = 0;
      for (const s of scores) {
        const w = Math.max(1, s.tokens);
        wsum += w;
        zsum += w * (s.logits[llmIndex]! - s.logits[1 - llmIndex]!);
      }
      return sigmoid(zsum / wsum / temperature);
    }
    case 'token_weighted_mean': {
      let wsum = 0;
      let psum = 0;
      for (const s of scores) {
        const w = Math.max(1, s.tokens);
        wsum += w;
        psum += w * s.p_llm;
      }
      return psum / wsum;
    }
  }
}

export class OriginModel {
  private classifierP?: Promise<OrtSession>;
  private attributionP?: Promise<{ embeddings: OrtSession; attribution: OrtSession }>;

  private constructor(
    readonly folder: ModelFolder,
    readonly tokenizer: OriginTokenizer,
    private readonly opts: OriginModelOptions,
  ) {}

  /** Reads the folder's manifest and tokenizer (sessions load on first use); throws ModelFolderError. */
  static open(dir: string, opts: OriginModelOptions = {}): OriginModel {
    const folder = loadModelFolder(dir);
    let tokenizer: OriginTokenizer;
    try {
      tokenizer = OriginTokenizer.fromFile(folder.files.tokenizer);
    } catch (e) {
      throw new ModelFolderError(`model folder ${folder.dir}: tokenizer file cannot be loaded (${(e as Error).message.split('\n')[0]})`);
    }
    return new OriginModel(folder, tokenizer, opts);
  }

  /** Loads the classification session now, so a broken model.onnx fails here rather than mid-run. */
  async ready(): Promise<void> {
    await this.classifier();
  }

  /** Undefined when explain() can run; otherwise why not (e.g. a folder without attribution graphs). */
  get explainUnavailable(): string | undefined {
    return this.folder.explainUnavailable;
  }

  private classifier(): Promise<OrtSession> {
    this.classifierP ??= OrtSession.create(this.folder.files.model, { inputs: ['input_ids', 'attention_mask'], outputs: [] }, this.opts);
    return this.classifierP;
  }

  private attribution(): Promise<{ embeddings: OrtSession; attribution: OrtSession }> {
    const { embeddings, attribution } = this.folder.files;
    if (!embeddings || !attribution) return Promise.reject(new ModelFolderError(this.folder.explainUnavailable ?? 'explanations are unavailable'));
    this.attributionP ??= Promise.all([
      OrtSession.create(embeddings, { inputs: ['input_ids'], outputs: ['inputs_embeds'] }, this.opts),
      OrtSession.create(attribution, { inputs: ['inputs_embeds', 'attention_mask', 'target'], outputs: ['logits', 'gradients'] }, this.opts),
    ]).then(([e, a]) => ({ embeddings: e, attribution: a }));
    return this.attributionP;
  }

  /** The document's windows as this model cuts them. */
  windows(text: string, maxWindows = DEFAULT_MAX_WINDOWS): { windows: ModelWindow[]; truncated: boolean; tokens: number } {
    const m = this.folder.manifest;
    const d = documentWindows(this.tokenizer, text, {
      length: m.window.length, stride: m.window.stride, maxWindows,
      bos: m.special_tokens.bos, eos: m.special_tokens.eos,
    });
    return { windows: d.windows, truncated: d.truncated, tokens: d.tokens.ids.length };
  }

  /** What the model reads for `text`: its canonical form when the manifest asks for one, else the text itself. */
  async input(text: string, language: VerdictLanguage = 'unknown'): Promise<ModelInput> {
    const version = this.folder.manifest.canonicalization;
    if (!version) return { text };
    const c = await canonicalizeForOrigin(text, parsedLanguage(language), version);
    return { text: c.text, map: c.map };
  }

  /** The document's windows with ranges in SOURCE offsets (canonicalized first when the model needs it). */
  async sourceWindows(text: string, language: VerdictLanguage = 'unknown', maxWindows = DEFAULT_MAX_WINDOWS): Promise<{ windows: ModelWindow[]; truncated: boolean; tokens: number }> {
    const input = await this.input(text, language);
    const d = this.windows(input.text, maxWindows);
    return input.map ? { ...d, windows: d.windows.map((w) => toSource(w, input.map!)) } : d;
  }

  /** Logits [2] per window; windows are padded to the longest in their batch (pad id, mask 0). */
  async windowLogits(windows: Array<{ ids: number[] }>): Promise<Array<[number, number]>> {
    const session = await this.classifier();
    const pad = this.folder.manifest.special_tokens.pad;
    const batchSize = Math.max(1, this.opts.batchSize ?? DEFAULT_BATCH_SIZE);
    const order = windows.map((_, i) => i).sort((a, b) => windows[b]!.ids.length - windows[a]!.ids.length);
    const out = new Array<[number, number]>(windows.length);
    const logitsName = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0]!;
    const withTypes = session.inputNames.includes('token_type_ids');
    for (let b0 = 0; b0 < order.length; b0 += batchSize) {
      const idx = order.slice(b0, b0 + batchSize);
      const seq = windows[idx[0]!]!.ids.length;
      const ids = new Array<number>(idx.length * seq).fill(pad);
      const mask = new Array<number>(idx.length * seq).fill(0);
      idx.forEach((w, r) => {
        const wi = windows[w]!.ids;
        for (let j = 0; j < wi.length; j++) {
          ids[r * seq + j] = wi[j]!;
          mask[r * seq + j] = 1;
        }
      });
      const dims = [idx.length, seq];
      const feeds = {
        input_ids: session.ints('input_ids', ids, dims),
        attention_mask: session.ints('attention_mask', mask, dims),
        ...(withTypes ? { token_type_ids: session.ints('token_type_ids', new Array<number>(ids.length).fill(0), dims) } : {}),
      };
      const res = (await session.run(feeds, [logitsName])).get(logitsName)!;
      if (res.dims.length !== 2 || res.dims[1] !== 2) {
        throw new ModelFolderError(`model folder ${this.folder.dir}: ${logitsName} has shape [${res.dims.join(', ')}], expected [batch, 2]`);
      }
      idx.forEach((w, r) => {
        out[w] = [res.data[2 * r]!, res.data[2 * r + 1]!];
      });
    }
    return out;
  }

  private score(windows: ModelWindow[], logits: Array<[number, number]>): WindowScore[] {
    const li = this.folder.llmIndex;
    const t = this.folder.manifest.temperature;
    return windows.map((w, k) => {
      const l = logits[k]!;
      return { index: w.index, start: w.start, end: w.end, tokens: w.tokens, logits: l, p_llm: sigmoid((l[li]! - l[1 - li]!) / t) };
    });
  }

  private result(scores: WindowScore[], truncated: boolean, tokens: number, language: VerdictLanguage, opts: ClassifyOptions): Classification {
    const m = this.folder.manifest;
    const p = aggregate(scores, m.aggregation, this.folder.llmIndex, m.temperature);
    const v = decide(m.verdict, p, { language, unevaluatedLanguages: opts.unevaluatedLanguages, llmThreshold: opts.llmThreshold, tokens });
    return {
      label: v.label, p_llm: p, p_calibrated: v.p_calibrated, confidence: v.confidence, ...(v.reason ? { reason: v.reason } : {}), language,
      windows: scores.length, truncated, tokens, window_scores: scores,
    };
  }

  async classify(text: string, opts: ClassifyOptions = {}): Promise<Classification> {
    return (await this.classifyMany([text], opts))[0]!;
  }

  /** Several documents at once: their windows share batches (sorted by length), which is faster for short files. */
  async classifyMany(texts: string[], opts: ClassifyOptions = {}): Promise<Classification[]> {
    const langs = texts.map((_, i) => opts.languages?.[i] ?? opts.language ?? 'unknown');
    const docs = await Promise.all(texts.map((t, i) => this.sourceWindows(t, langs[i], opts.maxWindows ?? DEFAULT_MAX_WINDOWS)));
    return this.classifyWindows(docs, { ...opts, languages: langs });
  }

  /** classifyMany() on windows already cut by sourceWindows() (callers that count tokens first canonicalize once). */
  async classifyWindows(docs: Array<{ windows: ModelWindow[]; truncated: boolean; tokens: number }>, opts: ClassifyOptions = {}): Promise<Classification[]> {
    const langs = docs.map((_, i) => opts.languages?.[i] ?? opts.language ?? 'unknown');
    const all = docs.flatMap((d) => d.windows);
    const logits = await this.windowLogits(all);
    let k = 0;
    return docs.map((d, i) => {
      const l = logits.slice(k, k + d.windows.length);
      k += d.windows.length;
      return this.result(this.score(d.windows, l), d.truncated, d.tokens, langs[i]!, opts);
    });
  }

  /** An AttributionRunner over this folder's embeddings.onnx and attribution.onnx. */
  async attributionRunner(): Promise<AttributionRunner> {
    const { embeddings, attribution } = await this.attribution();
    const hiddenOf = async (): Promise<number> => {
      const r = (await embeddings.run({ input_ids: embeddings.ints('input_ids', [this.folder.manifest.special_tokens.bos], [1, 1]) }, ['inputs_embeds'])).get('inputs_embeds')!;
      return r.dims[2]!;
    };
    const hidden = this.folder.manifest.hidden_size ?? (await hiddenOf());
    return {
      hidden,
      embed: async (ids) => {
        const r = (await embeddings.run({ input_ids: embeddings.ints('input_ids', ids, [1, ids.length]) }, ['inputs_embeds'])).get('inputs_embeds')!;
        if (r.dims[2] !== hidden) throw new ModelFolderError(`model folder ${this.folder.dir}: embeddings are ${r.dims[2]} wide, manifest says hidden_size ${hidden}`);
        return Float32Array.from(r.data);
      },
      logitsAndGradients: async (embeds, batch, seq, target) => {
        const res = await attribution.run({
          inputs_embeds: attribution.floats(embeds, [batch, seq, hidden]),
          attention_mask: attribution.ints('attention_mask', new Array<number>(batch * seq).fill(1), [batch, seq]),
          target: attribution.ints('target', new Array<number>(batch).fill(target), [batch]),
        }, ['logits', 'gradients']);
        return { logits: res.get('logits')!.data, gradients: res.get('gradients')!.data };
      },
    };
  }

  /**
   * Classifies the document and explains it with Integrated Gradients. Throws ModelFolderError when the
   * folder has no attribution graphs (check `explainUnavailable` first).
   */
  async explain(text: string, opts: ExplainOptions = {}): Promise<Explanation> {
    const runner = await this.attributionRunner();
    const range = opts.range;
    const language = opts.language ?? 'unknown';
    const d = await this.sourceWindows(text, language, range ? Infinity : opts.maxWindows ?? DEFAULT_MAX_WINDOWS);
    const logits = await this.windowLogits(d.windows);
    const classification = this.result(this.score(d.windows, logits), d.truncated, d.tokens, language, opts);
    const predicted = classification.label === 'inconclusive' ? 'llm' : classification.label;
    const target = !opts.target || opts.target === 'predicted' ? predicted : opts.target;
    const targetIndex = target === 'llm' ? this.folder.llmIndex : 1 - this.folder.llmIndex;
    const chosen = range ? d.windows.filter((w) => w.end > range.start && w.start < range.end) : d.windows;
    const steps = opts.steps ?? DEFAULT_IG_STEPS;
    const results: IgResult[] = [];
    for (const w of chosen) {
      const r = await integratedGradients(runner, w.ids, this.folder.manifest.ig_baseline, { target: targetIndex, steps, batchSize: opts.batchSize });
      results.push(await this.withLexical(r, w.ids, targetIndex));
    }
    const tokens = sourceAttributions(text, chosen, results, range);
    return {
      classification,
      target,
      baseline: this.folder.manifest.ig_baseline.description,
      steps,
      tokens,
      top: topTokens(tokens, opts.top ?? 5),
      completeness: completeness(chosen, results),
    };
  }

  /**
   * A model with a lexical n-gram path (its model.onnx outputs `lexical_contributions`): Integrated
   * Gradients covers the transformer path only, so each position's exact share of the lexical logits is
   * added to its score, and to both sides of the completeness check (f(x) − f(x') and the sum).
   */
  private async withLexical(r: IgResult, ids: number[], target: number): Promise<IgResult> {
    const session = await this.classifier();
    if (!session.outputNames.includes('lexical_contributions')) return r;
    const dims = [1, ids.length];
    const res = (await session.run({
      input_ids: session.ints('input_ids', ids, dims),
      attention_mask: session.ints('attention_mask', new Array<number>(ids.length).fill(1), dims),
    }, ['lexical_contributions'])).get('lexical_contributions')!;
    if (res.dims.length !== 3 || res.dims[1] !== ids.length || res.dims[2] !== 2) {
      throw new ModelFolderError(`model folder ${this.folder.dir}: lexical_contributions has shape [${res.dims.join(', ')}], expected [1, ${ids.length}, 2]`);
    }
    const scores = Float64Array.from(r.scores);
    let lexical = 0;
    for (let i = 0; i < ids.length; i++) {
      const v = res.data[2 * i + target]!;
      scores[i]! += v;
      lexical += v;
    }
    return { ...r, scores, sum: r.sum + lexical, delta: r.delta + lexical, lexical };
  }

  async dispose(): Promise<void> {
    const pending: Array<Promise<OrtSession[]>> = [];
    if (this.classifierP) pending.push(this.classifierP.then((s) => [s]));
    if (this.attributionP) pending.push(this.attributionP.then((a) => [a.embeddings, a.attribution]));
    this.classifierP = undefined;
    this.attributionP = undefined;
    const sessions = (await Promise.all(pending.map((p) => p.catch((): OrtSession[] => [])))).flat();
    await Promise.all(sessions.map((s) => s.release()));
  }
}

/** A model-input span [s, e) as a source span: the source of its first character to just past its last. */
export function sourceSpan(map: Int32Array, s: number, e: number): { start: number; end: number } {
  const start = map[s]!;
  if (e <= s) return { start, end: start };
  let end = start;
  for (let i = s; i < e; i++) end = Math.max(end, map[i]! + 1);
  return { start, end: Math.min(end, map[map.length - 1]!) };
}

/** A window over canonical text, with its token and window ranges mapped back to source offsets. */
function toSource(w: ModelWindow, map: Int32Array): ModelWindow {
  const starts = w.starts.slice();
  const ends = w.ends.slice();
  for (let i = 0; i < starts.length; i++) {
    if (starts[i]! < 0) continue;
    const sp = sourceSpan(map, starts[i]!, ends[i]!);
    starts[i] = sp.start;
    ends[i] = sp.end;
  }
  const span = w.tokens > 0 ? sourceSpan(map, w.start, w.end) : { start: 0, end: 0 };
  return { ...w, starts, ends, start: span.start, end: span.end };
}
