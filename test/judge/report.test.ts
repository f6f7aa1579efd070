// The judge on a real `compare` report: sources read back from the inputs, verdicts on the pairs,
// llm_summary, metadata.llm_enabled, the HTML section, and the CLI options.
import assert from 'node:assert/strict';
import path from 'node:path';
import { compare } from '../../server/src/similarity/engine';
import { judgeReport } from '../../server/src/judge/report';
import { renderJudgeHtml } from '../../server/src/judge/html';
import { renderJudgeTable } from '../../server/src/cli/judgeTable';
import { judgeOptionsFromCli } from '../../server/src/cli/judgeOptions';

const fx = (name: string) => path.join(__dirname, '../../../test/judge/fixtures', name);

describe('judge on a compare report', function () {
  this.timeout(120000);

  it('adds verdicts, refined verdicts, llm_summary and llm_enabled', async () => {
    const inputs = { inputs: [fx('unusual_a.java'), fx('unusual_b.java'), fx('dijkstra_a.py'), fx('dijkstra_b.py')], minScore: 0, allPairs: true };
    const report = await compare(inputs);
    const judged = await judgeReport(report, inputs, { provider: 'local', threshold: 0 });
    assert.equal(judged.metadata.llm_enabled, true);
    const s = judged.llm_summary!;
    assert.ok(s, 'llm_summary present');
    const pairs = judged.similarity.pairs.filter((p) => p.llm_verdict);
    assert.equal(s.pairs_evaluated_by_llm, pairs.length);
    assert.ok(pairs.length >= 2);
    for (const k of ['pairs_evaluated_by_llm', 'classification_breakdown', 'risk_level_breakdown', 'likely_copy_count', 'standard_algorithm_count', 'template_count']) {
      assert.ok(k in s, k);
    }
    const java = judged.similarity.pairs.find((p) => p.file1.endsWith('unusual_a.java') && p.file2.endsWith('unusual_b.java'))!;
    assert.equal(java.llm_verdict?.classification, 'LIKELY_COPY');
    assert.equal(java.refined_verdict?.original_structural_score, java.similarity_score);
    const py = judged.similarity.pairs.find((p) => p.file1.endsWith('dijkstra_a.py') && p.file2.endsWith('dijkstra_b.py'))!;
    assert.equal(py.llm_verdict?.classification, 'STANDARD_ALGORITHM');
    assert.equal(py.refined_verdict?.refined_risk_level, 'NONE');
    const html = renderJudgeHtml(judged);
    assert.match(html, /Semantic judge/);
    assert.match(html, /LIKELY_COPY/);
    assert.ok(!html.includes('<script'));
    assert.match(renderJudgeTable(judged), /LIKELY_COPY\s+HIGH/);
  });

  it('uses the template given to compare', async () => {
    const inputs = { inputs: [fx('template_student_a.java'), fx('template_student_b.java')], template: [fx('template.java')], minScore: 0, allPairs: true };
    const report = await compare(inputs);
    const judged = await judgeReport(report, inputs, { provider: 'local', threshold: 0 });
    assert.equal(judged.similarity.pairs[0]!.llm_verdict?.classification, 'TEMPLATE_OR_BOILERPLATE');
    assert.equal(judged.llm_summary?.template_count, 1);
  });

  it('leaves the report alone with the judge off', async () => {
    const inputs = { inputs: [fx('unusual_a.java'), fx('unusual_b.java')], minScore: 0 };
    const judged = await judgeReport(await compare(inputs), inputs, { provider: 'off' });
    assert.equal(judged.metadata.llm_enabled, false);
    assert.equal(judged.llm_summary, undefined);
    assert.ok(judged.similarity.pairs.every((p) => !p.llm_verdict));
    assert.equal(renderJudgeHtml(judged), '');
    assert.equal(renderJudgeTable(judged), '');
  });

  it('checks the CLI flags and reads the key from GEMINI_API_KEY only', () => {
    const base = { judge: 'gemini', judgeMaxCalls: '10', judgeThreshold: '0.7' };
    assert.throws(() => judgeOptionsFromCli(base, {}, () => {}), /GEMINI_API_KEY/);
    assert.throws(() => judgeOptionsFromCli({ ...base, judge: 'gpt' }, {}, () => {}), /off, local, gemini/);
    assert.throws(() => judgeOptionsFromCli({ ...base, judgeMaxCalls: '-1' }, { GEMINI_API_KEY: 'k' }, () => {}), /max-calls/);
    assert.throws(() => judgeOptionsFromCli({ ...base, judgeThreshold: '2' }, { GEMINI_API_KEY: 'k' }, () => {}), /threshold/);
    const o = judgeOptionsFromCli({ ...base, judgeModel: 'm' }, { GEMINI_API_KEY: 'k' }, () => {});
    assert.equal(o.provider, 'gemini');
    assert.equal(o.maxCalls, 10);
    assert.equal(o.model, 'm');
    assert.equal(typeof o.apiKey === 'function' ? o.apiKey() : undefined, 'k');
    assert.ok(!JSON.stringify(o).includes('"k"'), 'the key is not a plain option value');
  });
});
