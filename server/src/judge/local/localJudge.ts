// The local judge: no network. Overlap explained by the template or by code common to many files is
// boilerplate; overlap inside functions both files implement as the same standard algorithm is that
// algorithm; long identical runs, identical lines and shared distinctive names are a copy. When the
// evidence is thin it answers STANDARD_ALGORITHM with LOW confidence (conservative by design).
import crypto from 'node:crypto';
import type { LanguageId } from '../../core/languages';
import type { Confidence, JudgeContext, JudgePairInput, Verdict, Classification } from '../types';
import { buildExplained, type ExplainedCode } from './context';
import { detectAlgorithms, type DetectedAlgorithm } from './detect';
import { pairEvidence, type PairEvidence } from './evidence';
import { tokenize, type TokenizedFile } from './tokens';

/** Bumped whenever the local judge's decisions change (part of the verdict cache key). */
export const LOCAL_JUDGE_VERSION = 1;

export const LOCAL_THRESHOLDS = {
  /** Share of shared tokens the template or common code explains for TEMPLATE_OR_BOILERPLATE. */
  template: 0.7,
  /** Copy evidence for LIKELY_COPY outright. */
  copy: 0.6,
  /** Copy evidence that still tips an unexplained pair to LIKELY_COPY (LOW). */
  weakCopy: 0.35,
  /** Share of the unexplained shared tokens inside a common standard algorithm for STANDARD_ALGORITHM. */
  algorithm: 0.5,
  /** Structural score above which near-identical structure alone is a (LOW) copy. */
  nearIdentical: 0.95,
};

interface Analysed { file: TokenizedFile; algorithms: DetectedAlgorithm[] }

export class LocalJudge {
  private readonly files = new Map<string, Promise<Analysed>>();
  private constructor(private readonly explained: ExplainedCode) {}

  static async create(ctx?: JudgeContext): Promise<LocalJudge> {
    return new LocalJudge(await buildExplained(ctx));
  }

  private analyse(source: string, language: LanguageId): Promise<Analysed> {
    const key = `${language}:${crypto.createHash('sha256').update(source).digest('hex')}`;
    let p = this.files.get(key);
    if (!p) {
      p = tokenize(source, language).then(async (file) => ({ file, algorithms: await detectAlgorithms(file) }));
      this.files.set(key, p);
    }
    return p;
  }

  async evidence(pair: JudgePairInput): Promise<PairEvidence> {
    const [a, b] = await Promise.all([this.analyse(pair.source1, pair.language1), this.analyse(pair.source2, pair.language2)]);
    return pairEvidence(a.file, b.file, pair.source1, pair.source2, a.algorithms, b.algorithms, this.explained);
  }

  async judge(pair: JudgePairInput): Promise<Verdict> {
    return decide(await this.evidence(pair), pair.similarity_score);
  }
}

export function copyEvidence(e: PairEvidence): number {
  return Math.max(e.runs, e.lines, e.names, e.sharedComments >= 2 ? 0.8 : 0);
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function decide(e: PairEvidence, score: number): Verdict {
  const T = LOCAL_THRESHOLDS;
  const copy = copyEvidence(e);
  const facts = `shared runs ${pct(e.shared)} of tokens, template/common ${pct(e.templateShare)} of that; long identical runs ${pct(e.runs)}, ` +
    `identical lines ${pct(e.lines)}, distinctive names ${e.names < 0 ? 'too few' : pct(e.names)}, shared comments ${e.sharedComments}` +
    (e.algorithms.length ? `; both implement ${e.algorithms.join(', ')} (${pct(e.algorithmShare)} of the unexplained overlap)` : '');
  const v = (classification: Classification, confidence: Confidence, why: string, algorithm: string | null = null): Verdict => ({
    classification, confidence, algorithm_detected: algorithm, reasoning: `${why} (${facts}).`, source: 'local',
  });
  const alg = e.algorithms.length ? e.algorithms.join(', ') : null;

  if (e.shared > 0 && e.templateShare >= T.template && copy < T.copy) {
    return v('TEMPLATE_OR_BOILERPLATE', e.templateShare >= 0.9 ? 'HIGH' : 'MEDIUM', 'The overlap is mostly template or code common to many files');
  }
  if (copy >= T.copy) {
    return v('LIKELY_COPY', copy >= 0.8 ? 'HIGH' : 'MEDIUM', 'Copy-specific evidence beyond shared structure', alg);
  }
  if (alg && e.algorithmShare >= T.algorithm) {
    return v('STANDARD_ALGORITHM', e.algorithmShare >= 0.8 && copy < 0.3 ? 'HIGH' : 'MEDIUM', 'The shared structure is a standard algorithm both files implement', alg);
  }
  if (copy >= T.weakCopy || score >= T.nearIdentical) {
    return v('LIKELY_COPY', 'LOW', 'Some copy-specific evidence and no standard or template explanation', alg);
  }
  return v('STANDARD_ALGORITHM', 'LOW', 'No copy-specific evidence beyond common structure; judged conservatively', alg);
}
