// The local judge on pairs written for these tests: independent implementations of a standard
// algorithm, two copies of an unusual solution, and overlap that is only the template.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { LanguageId } from '../../server/src/core/languages';
import { LocalJudge } from '../../server/src/judge/local/localJudge';
import type { JudgeContext, JudgePairInput } from '../../server/src/judge/types';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../../test/judge/fixtures', name), 'utf8');

function pair(a: string, b: string, language: LanguageId, score = 0.82): JudgePairInput {
  return {
    file1: a, file2: b, language1: language, language2: language, source1: fixture(a), source2: fixture(b),
    similarity_score: score, components: { ast: score, cfg: score, dataflow: score },
  };
}

async function verdictOf(p: JudgePairInput, ctx?: JudgeContext) {
  const judge = await LocalJudge.create(ctx);
  const v = await judge.judge(p);
  return { v, why: `${v.classification}/${v.confidence}: ${v.reasoning}` };
}

describe('local judge', () => {
  it('two independent Dijkstra implementations are a standard algorithm', async () => {
    const { v, why } = await verdictOf(pair('dijkstra_a.py', 'dijkstra_b.py', 'python'));
    assert.equal(v.classification, 'STANDARD_ALGORITHM', why);
    assert.match(v.algorithm_detected ?? '', /Dijkstra/, why);
    assert.equal(v.source, 'local');
  });

  it('two renamed copies of an unusual solution are a likely copy', async () => {
    const { v, why } = await verdictOf(pair('unusual_a.java', 'unusual_b.java', 'java'));
    assert.equal(v.classification, 'LIKELY_COPY', why);
    assert.notEqual(v.confidence, 'LOW', why);
  });

  it('overlap that is only the template is template or boilerplate', async () => {
    const ctx: JudgeContext = { templates: [{ source: fixture('template.java'), language: 'java' }] };
    const { v, why } = await verdictOf(pair('template_student_a.java', 'template_student_b.java', 'java'), ctx);
    assert.equal(v.classification, 'TEMPLATE_OR_BOILERPLATE', why);
  });

  it('without the template, the same pair is not called a template', async () => {
    const { v, why } = await verdictOf(pair('template_student_a.java', 'template_student_b.java', 'java'));
    assert.notEqual(v.classification, 'TEMPLATE_OR_BOILERPLATE', why);
  });

  it('code common to many files of the analysis counts as boilerplate', async () => {
    const t = fixture('template.java');
    const corpus = Array.from({ length: 8 }, (_, i) => ({ source: t.replace('// TODO: your solution here', `out.println(${i});`), language: 'java' as const }));
    const { v, why } = await verdictOf(pair('template_student_a.java', 'template_student_b.java', 'java'), { corpus });
    assert.equal(v.classification, 'TEMPLATE_OR_BOILERPLATE', why);
  });

  it('identical files are a likely copy with high confidence', async () => {
    const { v, why } = await verdictOf(pair('unusual_a.java', 'unusual_a.java', 'java', 1));
    assert.equal(v.classification, 'LIKELY_COPY', why);
    assert.equal(v.confidence, 'HIGH', why);
  });
});
