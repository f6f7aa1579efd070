// Refined verdicts at every band edge, the summary, and the judge threshold.
import assert from 'node:assert/strict';
import { judgePairs } from '../../server/src/judge/judge';
import { copyRisk, refine, riskLevel } from '../../server/src/judge/refine';
import type { JudgePairInput, Verdict, VerdictClassification } from '../../server/src/judge/types';

const v = (classification: VerdictClassification): Verdict => ({
  classification, confidence: 'MEDIUM', algorithm_detected: classification === 'STANDARD_ALGORITHM' ? 'binary search' : null, reasoning: 'r', source: 'local',
});

describe('refined verdict', () => {
  const edges: Array<[number, string]> = [
    [0.7, 'MEDIUM'], [0.7001, 'MEDIUM'], [0.8499, 'MEDIUM'], [0.85, 'HIGH'], [0.8501, 'HIGH'], [0.9499, 'HIGH'], [0.95, 'CRITICAL'], [1, 'CRITICAL'],
  ];
  for (const [score, level] of edges) {
    it(`LIKELY_COPY at ${score} is ${level}`, () => {
      assert.equal(riskLevel(v('LIKELY_COPY'), score), level);
      assert.equal(copyRisk(score), level);
      const r = refine(v('LIKELY_COPY'), score);
      assert.equal(r.refined_risk_level, level);
      assert.equal(r.original_structural_score, score);
      assert.equal(r.refined_classification, 'LIKELY_COPY');
    });
  }

  it('STANDARD_ALGORITHM is NONE and TEMPLATE_OR_BOILERPLATE is LOW at any score', () => {
    for (const s of [0.7, 0.85, 0.95, 1]) {
      assert.equal(refine(v('STANDARD_ALGORITHM'), s).refined_risk_level, 'NONE');
      assert.equal(refine(v('TEMPLATE_OR_BOILERPLATE'), s).refined_risk_level, 'LOW');
    }
    const r = refine(v('STANDARD_ALGORITHM'), 0.99);
    assert.equal(r.algorithm_detected, 'binary search');
    assert.equal(r.llm_confidence, 'MEDIUM');
    assert.ok(r.recommendation.length > 0 && r.reasoning === 'r');
  });

  it('UNKNOWN keeps the structural band and says why', () => {
    const r = refine({ ...v('UNKNOWN'), error: 'HTTP 503' }, 0.86);
    assert.equal(r.refined_risk_level, 'HIGH');
    assert.match(r.recommendation, /HTTP 503/);
  });

  it('judges pairs from the threshold up (0.70 by default) and summarises them', async () => {
    const src = 'def f(a):\n    return a + 1\n';
    const mk = (score: number): JudgePairInput => ({
      file1: 'x.py', file2: 'y.py', language1: 'python', language2: 'python', source1: src, source2: src,
      similarity_score: score, components: { ast: score, cfg: score, dataflow: score },
    });
    const out = await judgePairs([mk(0.6999), mk(0.7), mk(0.96)], { provider: 'local' });
    assert.equal(out.enabled, true);
    assert.equal(out.results[0], undefined);
    assert.ok(out.results[1] && out.results[2]);
    assert.equal(out.summary.pairs_evaluated_by_llm, 2);
    const s = out.summary;
    assert.equal(s.likely_copy_count + s.standard_algorithm_count + s.template_count + s.unknown_count, 2);
    assert.equal(Object.values(s.risk_level_breakdown).reduce((a, b) => a + b, 0), 2);
    const off = await judgePairs([mk(0.99)], { provider: 'off' });
    assert.equal(off.enabled, false);
    assert.equal(off.results[0], undefined);
    const higher = await judgePairs([mk(0.8)], { provider: 'local', threshold: 0.85 });
    assert.equal(higher.results[0], undefined);
  });
});
