// Integrated Gradients over the word embeddings of one window (Sundararajan et al. 2017).
//
// Baseline x' (see IgBaseline in manifest.ts): at every content position the word embedding of the baseline
// token (<pad> unless the manifest says otherwise), or zeros; `<s>` and `</s>` keep their own embeddings, so
// they get no attribution. Positions are not part of x: the graph adds position embeddings itself.
// Path integral by the trapezoidal rule over `steps` equal intervals (steps + 1 points, alpha = k / steps),
// run in batches. The end points are f(x') and f(x), so completeness, sum(attributions) ≈ f(x) − f(x'),
// is checked on every call at no extra cost. Attribution of position i = Σ_h (x − x')[i,h] · avg_grad[i,h].
import type { IgBaseline } from './manifest';

/** What IG needs from the attribution graphs: word embeddings, and logits + gradients for a batch. */
export interface AttributionRunner {
  hidden: number;
  /** Word embeddings [seq × hidden] for one window of ids. */
  embed(ids: number[]): Promise<Float32Array>;
  /** logits [batch × 2] and d logit[target] / d embeds [batch × seq × hidden]; mask is all ones. */
  logitsAndGradients(embeds: Float32Array, batch: number, seq: number, target: number): Promise<{ logits: Float32Array; gradients: Float32Array }>;
}

export interface IgOptions {
  /** Class whose logit is explained. */
  target: number;
  /** Intervals of the path integral (default 32). */
  steps?: number;
  /** Path points per onnxruntime call (default 11: 33 points in 3 calls). */
  batchSize?: number;
}

export interface IgResult {
  /** Attribution per window position (`<s>` and `</s>` are 0). */
  scores: Float64Array;
  /** Logits at the input (alpha = 1) and at the baseline (alpha = 0). */
  logitsInput: [number, number];
  logitsBaseline: [number, number];
  /** f(x) − f(x') for the target logit, and the sum of the attributions, which should be close to it. */
  delta: number;
  sum: number;
  steps: number;
  /** Models with a lexical path: its exact share of the target logit, included in scores, delta and sum. */
  lexical?: number;
}

export const DEFAULT_IG_STEPS = 32;
export const DEFAULT_IG_BATCH = 11;

/** Baseline ids for a window: the baseline token at content positions, specials kept. */
export function baselineIds(ids: number[], baseline: IgBaseline): number[] {
  return ids.map((id, i) => (i === 0 || i === ids.length - 1 ? id : baseline.tokenId));
}

export async function integratedGradients(runner: AttributionRunner, ids: number[], baseline: IgBaseline, opts: IgOptions): Promise<IgResult> {
  const steps = opts.steps ?? DEFAULT_IG_STEPS;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`IG steps must be a positive integer, got ${steps}`);
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_IG_BATCH);
  const seq = ids.length;
  const h = runner.hidden;
  const size = seq * h;
  const x = await runner.embed(ids);
  const x0 = await runner.embed(baselineIds(ids, baseline));
  if (baseline.kind === 'zero') x0.fill(0, h, (seq - 1) * h);
  const diff = new Float32Array(size);
  for (let j = 0; j < size; j++) diff[j] = x[j]! - x0[j]!;

  const avgGrad = new Float64Array(size);
  const points = steps + 1;
  const logitAt = new Float64Array(points * 2);
  for (let k0 = 0; k0 < points; k0 += batchSize) {
    const b = Math.min(batchSize, points - k0);
    const embeds = new Float32Array(b * size);
    for (let r = 0; r < b; r++) {
      const alpha = (k0 + r) / steps;
      const off = r * size;
      for (let j = 0; j < size; j++) embeds[off + j] = x0[j]! + alpha * diff[j]!;
    }
    const { logits, gradients } = await runner.logitsAndGradients(embeds, b, seq, opts.target);
    for (let r = 0; r < b; r++) {
      const k = k0 + r;
      logitAt[2 * k] = logits[2 * r]!;
      logitAt[2 * k + 1] = logits[2 * r + 1]!;
      const w = (k === 0 || k === steps ? 0.5 : 1) / steps;
      const off = r * size;
      for (let j = 0; j < size; j++) avgGrad[j]! += w * gradients[off + j]!;
    }
  }

  const scores = new Float64Array(seq);
  let sum = 0;
  for (let i = 0; i < seq; i++) {
    let s = 0;
    for (let d = 0; d < h; d++) s += diff[i * h + d]! * avgGrad[i * h + d]!;
    scores[i] = s;
    sum += s;
  }
  const logitsBaseline: [number, number] = [logitAt[0]!, logitAt[1]!];
  const logitsInput: [number, number] = [logitAt[2 * steps]!, logitAt[2 * steps + 1]!];
  return { scores, logitsInput, logitsBaseline, delta: logitsInput[opts.target]! - logitsBaseline[opts.target]!, sum, steps };
}
