// Reads and validates an origin model folder: manifest.json, the ONNX files it names and tokenizer.json.
// Any folder that meets the export contract loads, including a user-supplied full CodeBERT classifier
// that ships only model.onnx + tokenizer.json + manifest.json (then explanations are unavailable).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CANONICAL_VERSION, CANONICAL_VERSIONS, type CanonicalVersion } from './canonical';
import { BOS_ID, EOS_ID, MAX_LENGTH, PAD_ID, WINDOW_LENGTH, WINDOW_STRIDE } from './tokenizer';
import { legacyPolicy, type LanguageRates, type VerdictPolicy } from './verdict';

/** A problem with the model folder itself; the message is complete and meant for the user as is. */
export class ModelFolderError extends Error {}

/**
 * How window results become one document probability: a (token-weighted) mean of window p_llm, a
 * (token-weighted) mean of window logits then softmax, or the largest window p_llm.
 */
export type Aggregation = 'token_weighted_mean' | 'mean' | 'token_weighted_mean_logits' | 'mean_logits' | 'max';

/**
 * The Integrated Gradients baseline, per input position: `<s>`/`</s>` keep their own embeddings, every
 * other (content) position gets the embedding of `token` (default `<pad>`), or zeros when `token` is 'zero'.
 */
export interface IgBaseline {
  kind: 'token' | 'zero';
  /** Token id whose word embedding is the baseline (kind 'token'). */
  tokenId: number;
  /** Human-readable statement of the baseline, for reports. */
  description: string;
}

export interface OriginManifest {
  name: string;
  version: string;
  architecture?: string;
  parameters?: number;
  hidden_size?: number;
  labels: [string, string];
  max_length: number;
  window: { length: number; stride: number };
  aggregation: Aggregation;
  threshold: number;
  /** Logits are divided by this before the softmax (temperature scaling; 1 when the manifest has none). */
  temperature: number;
  special_tokens: { bos: number; pad: number; eos: number };
  ig_baseline: IgBaseline;
  /** How the text is turned into model input: a canonicalization version, or undefined for the raw text (older models). */
  canonicalization?: CanonicalVersion;
  /** Verdict thresholds, calibration and measured rates; legacy folders: two-way at `threshold`, all languages. */
  verdict: VerdictPolicy;
  /** Everything else the manifest holds (metrics, inputs, outputs...), untouched. */
  raw: Record<string, unknown>;
}

export interface ModelFolder {
  dir: string;
  manifest: OriginManifest;
  /** Index of the "llm" class in the model's logits. */
  llmIndex: number;
  files: { model: string; tokenizer: string; embeddings?: string; attribution?: string };
  /** Why explanations cannot be computed with this folder; undefined when they can. */
  explainUnavailable?: string;
}

const MANIFEST = 'manifest.json';
/** The file names a manifest may change: "tokenizer" and the "files" block (model, embeddings, attribution). */
const DEFAULT_FILES = { model: 'model.onnx', tokenizer: 'tokenizer.json', embeddings: 'embeddings.onnx', attribution: 'attribution.onnx' } as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intField(obj: Record<string, unknown>, key: string, where: string, def: number, min: number, max: number): number {
  const v = obj[key];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ModelFolderError(`${where}: "${key}" must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * The manifest may describe the aggregation in prose ("token_weighted_mean_logits: file logits = ... softmax");
 * its first identifier names the method.
 */
function parseAggregation(v: unknown): Aggregation {
  if (v === undefined || v === null) return 'token_weighted_mean';
  const s = (isRecord(v) ? (v['method'] ?? v['type'] ?? v['kind']) : v);
  if (typeof s !== 'string') throw new ModelFolderError(`${MANIFEST}: "aggregation" must be a string, got ${JSON.stringify(v)}`);
  const n = (/[A-Za-z_-]+/.exec(s)?.[0] ?? '').toLowerCase();
  const weighted = n.includes('weight') || n.includes('token');
  if (n.includes('logit')) return weighted ? 'token_weighted_mean_logits' : 'mean_logits';
  if (n.includes('mean') || n.includes('avg') || n.includes('average')) return weighted ? 'token_weighted_mean' : 'mean';
  if (n === 'max' || n.startsWith('max_')) return 'max';
  throw new ModelFolderError(`${MANIFEST}: unknown "aggregation" ${JSON.stringify(s)} (expected token_weighted_mean, mean, token_weighted_mean_logits, mean_logits or max)`);
}

/** Accepts a string ("pad", "pad_embedding", "zero", "unk", "mask") or an object {type|kind, token_id?}. */
function parseBaseline(v: unknown, pad: number): IgBaseline {
  const keep = '<s> and </s> keep their own embeddings';
  const padBaseline: IgBaseline = {
    kind: 'token', tokenId: pad,
    description: `word embedding of <pad> (id ${pad}) at every content position; ${keep}`,
  };
  if (v === undefined || v === null) return padBaseline;
  const rec = isRecord(v) ? v : undefined;
  const s = rec ? (rec['type'] ?? rec['kind'] ?? rec['token'] ?? rec['name']) : v;
  const explicitId = rec && typeof rec['token_id'] === 'number' ? rec['token_id'] : undefined;
  if (explicitId !== undefined) {
    return { kind: 'token', tokenId: explicitId, description: `word embedding of token id ${explicitId} at every content position; ${keep}` };
  }
  if (typeof s !== 'string') throw new ModelFolderError(`${MANIFEST}: "ig_baseline" must be a string or an object with "type", got ${JSON.stringify(v)}`);
  // Prose is allowed ("pad-token embedding at non-special positions ... attention_mask unchanged"): the
  // keyword that comes first names the baseline.
  const lower = s.toLowerCase();
  const found = ['pad', 'zero', 'unk', 'mask']
    .map((k) => ({ k, at: lower.search(new RegExp(`\\b${k}`)) }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at);
  const n = found[0]?.k ?? '';
  if (n.includes('zero')) return { kind: 'zero', tokenId: pad, description: `zero vector at every content position; ${keep}` };
  if (n.includes('unk')) return { kind: 'token', tokenId: 3, description: `word embedding of <unk> (id 3) at every content position; ${keep}` };
  if (n.includes('mask')) return { kind: 'token', tokenId: 50264, description: `word embedding of <mask> (id 50264) at every content position; ${keep}` };
  if (n.includes('pad')) return padBaseline;
  throw new ModelFolderError(`${MANIFEST}: unknown "ig_baseline" ${JSON.stringify(s)} (expected pad, zero, unk or mask)`);
}

/** Resolves a file named by the manifest; names may not leave the folder. */
function inside(dir: string, name: unknown, key: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new ModelFolderError(`${MANIFEST}: "${key}" must be a file name, got ${JSON.stringify(name)}`);
  const p = path.resolve(dir, name);
  const rel = path.relative(dir, p);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new ModelFolderError(`${MANIFEST}: "${key}" (${name}) points outside the model folder`);
  return p;
}

/** Problem with a file that must be present, or undefined when it is fine. */
function fileProblem(p: string): string | undefined {
  if (!existsSync(p)) return 'is missing';
  const st = statSync(p);
  if (!st.isFile()) return 'is not a file';
  if (st.size === 0) return 'is empty';
  return undefined;
}

/** Canonicalizations this runtime can apply; a model trained on another one would get input it never saw. */
const CANONICALIZATIONS: readonly string[] = CANONICAL_VERSIONS;

function parseInput(v: unknown): CanonicalVersion | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw new ModelFolderError(`${MANIFEST}: "input" must be an object like {"canonicalization": "${CANONICAL_VERSION}"}, got ${JSON.stringify(v)}`);
  const c = v['canonicalization'];
  if (c === undefined || c === null || c === 'raw' || c === 'none') return undefined;
  if (typeof c !== 'string' || !CANONICALIZATIONS.includes(c)) {
    throw new ModelFolderError(`${MANIFEST}: unknown "input.canonicalization" ${JSON.stringify(c)}: this version of Code Origin knows ${CANONICALIZATIONS.map((x) => `"${x}"`).join(', ')} (or none for raw text); the model needs a newer Code Origin`);
  }
  return c as CanonicalVersion;
}

function probability(obj: Record<string, unknown>, key: string, where: string, required: boolean, open = false): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) throw new ModelFolderError(`${where}: "${key}" is missing (a probability${open ? ' in (0, 1)' : ' in [0, 1]'})`);
    return undefined;
  }
  const ok = typeof v === 'number' && Number.isFinite(v) && (open ? v > 0 && v < 1 : v >= 0 && v <= 1);
  if (!ok) throw new ModelFolderError(`${where}: "${key}" must be a probability ${open ? 'in (0, 1)' : 'in [0, 1]'}, got ${JSON.stringify(v)}`);
  return v as number;
}

function parseCalibration(v: unknown, where: string): VerdictPolicy['calibration'] {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw new ModelFolderError(`${where}: "calibration" must be an object {method, x, y}`);
  const method = v['method'] ?? 'isotonic';
  if (typeof method !== 'string' || !['isotonic', 'piecewise_linear', 'platt_points'].includes(method)) {
    throw new ModelFolderError(`${where}: unknown "calibration.method" ${JSON.stringify(method)} (expected "isotonic": points x → y, interpolated linearly)`);
  }
  const { x, y } = v;
  const nums = (a: unknown): a is number[] => Array.isArray(a) && a.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1);
  if (!nums(x) || !nums(y)) throw new ModelFolderError(`${where}: "calibration.x" and "calibration.y" must be arrays of probabilities in [0, 1]`);
  if (x.length < 2 || x.length !== y.length) throw new ModelFolderError(`${where}: "calibration.x" and "calibration.y" must have the same length, at least 2 (got ${x.length} and ${y.length})`);
  for (let i = 1; i < x.length; i++) {
    if (!(x[i]! > x[i - 1]!)) throw new ModelFolderError(`${where}: "calibration.x" must be strictly increasing (x[${i}] = ${x[i]} after ${x[i - 1]})`);
    if (y[i]! < y[i - 1]!) throw new ModelFolderError(`${where}: "calibration.y" must not decrease (a calibration is monotone; y[${i}] = ${y[i]} after ${y[i - 1]})`);
  }
  return { x: x.slice(), y: y.slice() };
}

/** [rate, threshold] pairs with rates falling and thresholds not: absent or null gives undefined. */
function parseFprCurve(c: unknown, where: string): Array<[number, number]> | undefined {
  if (c === undefined || c === null) return undefined;
  const bad = () => new ModelFolderError(`${where}: "fpr_curve" must be [rate, threshold] pairs of probabilities, rates falling and thresholds not, got ${JSON.stringify(c).slice(0, 120)}`);
  if (!Array.isArray(c) || c.length === 0) throw bad();
  const out: Array<[number, number]> = [];
  for (const pair of c) {
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((x) => typeof x === 'number' && x > 0 && x < 1)) throw bad();
    const [rate, t] = pair as [number, number];
    const prev = out[out.length - 1];
    if (prev && (rate >= prev[0] || t < prev[1])) throw bad();
    out.push([rate, t]);
  }
  return out;
}

function parseVerdict(v: unknown, threshold: number): VerdictPolicy {
  if (v === undefined || v === null) return legacyPolicy(threshold);
  const where = `${MANIFEST} verdict`;
  if (!isRecord(v)) throw new ModelFolderError(`${MANIFEST}: "verdict" must be an object {llm_threshold, human_threshold, calibration, ...}`);
  const llmThreshold = probability(v, 'llm_threshold', where, true, true)!;
  // 0: no p(LLM) was evidence enough for `human` on LOSO predictions, so the model never says it.
  const humanThreshold = probability(v, 'human_threshold', where, true)!;
  if (humanThreshold > llmThreshold) throw new ModelFolderError(`${where}: "human_threshold" (${humanThreshold}) must not exceed "llm_threshold" (${llmThreshold})`);
  const langs = v['evaluated_languages'];
  if (langs !== undefined && langs !== null && (!Array.isArray(langs) || !langs.every((l) => typeof l === 'string' && l.length > 0))) {
    throw new ModelFolderError(`${where}: "evaluated_languages" must be an array of language names, got ${JSON.stringify(langs)}`);
  }
  const per = v['per_language'] ?? {};
  if (!isRecord(per)) throw new ModelFolderError(`${where}: "per_language" must be an object {language: {fpr, tpr, n_human, n_llm}}`);
  const perLanguage: Record<string, LanguageRates> = {};
  for (const [lang, r] of Object.entries(per)) {
    const w = `${where} per_language.${lang}`;
    if (!isRecord(r)) throw new ModelFolderError(`${w} must be an object {fpr, tpr, n_human, n_llm}`);
    const own = probability(r, 'llm_threshold', w, false, true);
    if (own !== undefined && own < llmThreshold) throw new ModelFolderError(`${w}: "llm_threshold" (${own}) must not be below the model's (${llmThreshold}): a language's threshold only ever tightens it`);
    const curve = parseFprCurve(r['fpr_curve'], w);
    perLanguage[lang] = {
      ...(own !== undefined ? { llm_threshold: own } : {}),
      ...(curve ? { fpr_curve: curve } : {}),
      fpr: probability(r, 'fpr', w, true)!,
      tpr: probability(r, 'tpr', w, false) ?? NaN,
      ...(r['n_human'] !== undefined ? { n_human: intField(r, 'n_human', w, 0, 0, 1 << 30) } : {}),
      ...(r['n_llm'] !== undefined ? { n_llm: intField(r, 'n_llm', w, 0, 0, 1 << 30) } : {}),
    };
  }
  const source = v['source'];
  if (source !== undefined && typeof source !== 'string') throw new ModelFolderError(`${where}: "source" must be a string`);
  return {
    ...(v['min_tokens'] !== undefined ? { minTokens: intField(v, 'min_tokens', where, 0, 1, 1 << 20) } : {}),
    llmThreshold,
    humanThreshold,
    calibration: parseCalibration(v['calibration'], where),
    evaluatedLanguages: Array.isArray(langs) ? (langs as string[]).map((l) => l.toLowerCase()) : undefined,
    perLanguage,
    fpr: probability(v, 'fpr', where, false),
    tpr: probability(v, 'tpr', where, false),
    source: typeof source === 'string' ? source : undefined,
    legacy: false,
  };
}

export function parseManifest(json: unknown): OriginManifest {
  if (!isRecord(json)) throw new ModelFolderError(`${MANIFEST} must hold a JSON object`);
  const labelsRaw = json['labels'] ?? ['human', 'llm'];
  if (!Array.isArray(labelsRaw) || labelsRaw.length !== 2 || !labelsRaw.every((l) => typeof l === 'string')) {
    throw new ModelFolderError(`${MANIFEST}: "labels" must list exactly two class names, got ${JSON.stringify(labelsRaw)}`);
  }
  const labels = labelsRaw as [string, string];
  const maxLength = intField(json, 'max_length', MANIFEST, MAX_LENGTH, 3, MAX_LENGTH);
  const win = json['window'] ?? {};
  if (!isRecord(win)) throw new ModelFolderError(`${MANIFEST}: "window" must be an object {length, stride}`);
  const length = intField(win, 'length', `${MANIFEST} window`, Math.min(WINDOW_LENGTH, maxLength), 3, maxLength);
  const stride = intField(win, 'stride', `${MANIFEST} window`, Math.min(WINDOW_STRIDE, length - 2), 1, length - 2);
  const st = json['special_tokens'] ?? {};
  if (!isRecord(st)) throw new ModelFolderError(`${MANIFEST}: "special_tokens" must be an object {bos, pad, eos}`);
  const special = {
    bos: intField(st, 'bos', `${MANIFEST} special_tokens`, BOS_ID, 0, 1 << 30),
    pad: intField(st, 'pad', `${MANIFEST} special_tokens`, PAD_ID, 0, 1 << 30),
    eos: intField(st, 'eos', `${MANIFEST} special_tokens`, EOS_ID, 0, 1 << 30),
  };
  const thresholdRaw = json['threshold'];
  let threshold = 0.5;
  if (thresholdRaw !== undefined && thresholdRaw !== null) {
    const t = isRecord(thresholdRaw) ? thresholdRaw['p_llm'] ?? thresholdRaw['value'] : thresholdRaw;
    if (typeof t !== 'number' || !(t > 0 && t < 1)) throw new ModelFolderError(`${MANIFEST}: "threshold" must be a probability in (0, 1), got ${JSON.stringify(thresholdRaw)}`);
    threshold = t;
  }
  const cal = json['calibration'];
  const tRaw = json['temperature'] ?? (isRecord(cal) ? cal['temperature'] : undefined);
  if (tRaw !== undefined && tRaw !== null && (typeof tRaw !== 'number' || !(tRaw > 0) || !Number.isFinite(tRaw))) {
    throw new ModelFolderError(`${MANIFEST}: "temperature" must be a positive number, got ${JSON.stringify(tRaw)}`);
  }
  const str = (k: string, def: string): string => (typeof json[k] === 'string' ? (json[k] as string) : def);
  const verdict = parseVerdict(json['verdict'], threshold);
  return {
    name: str('name', 'unnamed model'),
    version: typeof json['version'] === 'number' ? String(json['version']) : str('version', '0'),
    architecture: typeof json['architecture'] === 'string' ? json['architecture'] : undefined,
    parameters: typeof json['parameters'] === 'number' ? json['parameters'] : undefined,
    hidden_size: typeof json['hidden_size'] === 'number' ? json['hidden_size'] : undefined,
    labels,
    max_length: maxLength,
    window: { length, stride },
    aggregation: parseAggregation(json['aggregation']),
    // With a verdict block, "threshold" is the llm threshold everywhere it is shown.
    threshold: verdict.legacy ? threshold : verdict.llmThreshold,
    temperature: typeof tRaw === 'number' ? tRaw : 1,
    special_tokens: special,
    ig_baseline: parseBaseline(json['ig_baseline'], special.pad),
    canonicalization: parseInput(json['input']),
    verdict,
    raw: json,
  };
}

/** Index of the LLM class: the label "llm" (or any non-"human" label when the other is "human"). */
function llmIndexOf(labels: [string, string]): number {
  const lower = labels.map((l) => l.toLowerCase());
  const direct = lower.findIndex((l) => l === 'llm' || l === 'ai' || l === 'machine' || l === 'generated');
  if (direct >= 0) return direct;
  const human = lower.indexOf('human');
  if (human >= 0) return 1 - human;
  throw new ModelFolderError(`${MANIFEST}: "labels" ${JSON.stringify(labels)} name neither "llm" nor "human", so the LLM class is unknown`);
}

/** Reads and checks a model folder; every problem is a ModelFolderError naming the folder. */
export function loadModelFolder(dirIn: string): ModelFolder {
  const dir = path.resolve(dirIn);
  try {
    if (!existsSync(dir)) throw new ModelFolderError('folder not found');
    if (!statSync(dir).isDirectory()) throw new ModelFolderError('not a folder');
    const manifestPath = path.join(dir, MANIFEST);
    const mp = fileProblem(manifestPath);
    if (mp) throw new ModelFolderError(`${MANIFEST} ${mp} (a model folder needs manifest.json, model.onnx and tokenizer.json)`);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(manifestPath, 'utf8'));
    } catch (e) {
      throw new ModelFolderError(`${MANIFEST} is not valid JSON (${(e as Error).message})`);
    }
    const manifest = parseManifest(json);
    const filesRaw = isRecord(manifest.raw['files']) ? manifest.raw['files'] : {};
    const model = inside(dir, filesRaw['model'] ?? DEFAULT_FILES.model, 'files.model');
    const tokenizer = inside(dir, manifest.raw['tokenizer'] ?? DEFAULT_FILES.tokenizer, 'tokenizer');
    for (const [what, p] of [['model', model], ['tokenizer', tokenizer]] as const) {
      const problem = fileProblem(p);
      if (problem) throw new ModelFolderError(`${what} file ${path.basename(p)} ${problem}`);
    }
    const files: ModelFolder['files'] = { model, tokenizer };
    const missing: string[] = [];
    for (const key of ['embeddings', 'attribution'] as const) {
      const name = filesRaw[key] ?? DEFAULT_FILES[key];
      const p = inside(dir, name, `files.${key}`);
      const problem = fileProblem(p);
      if (problem) missing.push(`${path.basename(p)} ${problem}`);
      else files[key] = p;
    }
    const explainUnavailable = missing.length
      ? `explanations are unavailable for model "${manifest.name}": ${missing.join(', ')} (the folder has no attribution graphs)`
      : undefined;
    return { dir, manifest, llmIndex: llmIndexOf(manifest.labels), files, explainUnavailable };
  } catch (e) {
    if (e instanceof ModelFolderError) throw new ModelFolderError(`model folder ${dir}: ${e.message}`);
    throw new ModelFolderError(`model folder ${dir}: cannot be read (${(e as Error).message})`);
  }
}

/**
 * The files a model folder is made of, as its manifest names them (manifest.json first, then the tokenizer
 * and every file of the "files" block, defaults where the manifest names none). Without a readable manifest:
 * manifest.json and the default names. Nothing is checked: a stamp of these paths tells a new export.
 */
export function modelFolderFiles(dirIn: string): string[] {
  const dir = path.resolve(dirIn);
  let raw: Record<string, unknown> = {};
  try {
    const json: unknown = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8'));
    if (isRecord(json)) raw = json;
  } catch {
    // No manifest, or a broken one: the default names (the manifest's own stamp still changes when it is fixed).
  }
  const filesRaw = isRecord(raw['files']) ? raw['files'] : {};
  const named = (v: unknown, def: string): string => (typeof v === 'string' && v ? v : def);
  const names = [
    MANIFEST,
    named(raw['tokenizer'], DEFAULT_FILES.tokenizer),
    named(filesRaw['model'], DEFAULT_FILES.model),
    named(filesRaw['embeddings'], DEFAULT_FILES.embeddings),
    named(filesRaw['attribution'], DEFAULT_FILES.attribution),
    ...Object.values(filesRaw).filter((v): v is string => typeof v === 'string' && v !== ''),
  ];
  return [...new Set(names.map((n) => path.resolve(dir, n)))];
}
