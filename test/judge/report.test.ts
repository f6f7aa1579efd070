// The judge on a real `compare` report: sources read back from the inputs, verdicts on the pairs,
// llm_summary, metadata.llm_enabled, the HTML section, and the CLI options.
import assert from 'node:assert/strict';
import path from 'node:path';
import { compare } from '../../server/src/similarity/engine';
import { judgeReport } from '../../server/src/similarity/judgeReport';
import { renderJudgeHtml } from '../../server/src/judge/html';
import { renderJudgeTable } from '../../server/src/cli/judgeTable';
import { judgeOptionsFromCli } from '../../server/src/cli/judgeOptions';
import { contentHash } from '../../server/src/core/contentHash';
import { contentKey, LocalJudgeCache } from '../../server/src/judge/local/cache';
import { docKeys } from '../../server/src/judge/local/context';
import { tokenize } from '../../server/src/judge/local/tokens';
import { RunRecords } from '../../server/src/similarity/engine';

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

  it("takes the comparison's files, hashes and per-file keys from its records instead of reading, hashing and parsing again", async () => {
    const names = ['unusual_a.java', 'unusual_b.java', 'template.java', 'template_student_a.java', 'template_student_b.java', 'dijkstra_a.py', 'dijkstra_b.py'];
    // commonMinDocs 1: the common-code counts run (they read every document's keys) on these few files.
    const base = { inputs: names.map(fx), minScore: 0, allPairs: true, commonMinDocs: 1 };
    const plainCache = new LocalJudgeCache();
    const plain = await judgeReport(await compare(base), base, { provider: 'local', threshold: 0, localCache: plainCache });
    assert.equal(plainCache.stats.keysFromRecords, 0);
    assert.equal(plainCache.stats.tokenized, names.length);

    const records = new RunRecords();
    const inputs = { ...base, records };
    const cache = new LocalJudgeCache();
    const judged = await judgeReport(await compare(inputs), inputs, { provider: 'local', threshold: 0, localCache: cache });
    assert.deepEqual(judged.similarity.pairs, plain.similarity.pairs, 'the same verdicts');
    assert.deepEqual(judged.llm_summary, plain.llm_summary);
    assert.equal(records.files?.length, names.length);
    assert.equal(records.judgeKeys.size, names.length, 'keys of every file parsed by the comparison');
    for (const f of records.files!) {
      assert.equal(records.hashes.get(f.text!), contentHash(f.text!));
      // The record's keys are the judge's own, made from the comparison's tree.
      assert.deepEqual(records.judgeKeys.get(contentKey(f.text!, f.language!)), docKeys(await tokenize(f.text!, f.language!), f.text!));
    }
    // Every file is in a judged pair here: each is parsed once more, for its analysis, and its keys come
    // from that parse. Judging only the top pair, the others' keys come from the records alone.
    assert.equal(cache.stats.tokenized + cache.stats.keysFromRecords, names.length);
    const top = Math.max(...plain.similarity.pairs.map((p) => p.similarity_score));
    const judgedFiles = new Set(plain.similarity.pairs.filter((p) => p.similarity_score >= top).flatMap((p) => [p.file1, p.file2]));
    const topInputs = { ...base, records: new RunRecords() };
    const topCache = new LocalJudgeCache();
    const topJudged = await judgeReport(await compare(topInputs), topInputs, { provider: 'local', threshold: top, localCache: topCache });
    assert.deepEqual(topJudged.similarity.pairs, (await judgeReport(await compare(base), base, { provider: 'local', threshold: top })).similarity.pairs);
    assert.equal(topCache.stats.tokenized, judgedFiles.size, 'only the judged files are parsed again');
    assert.equal(topCache.stats.keysFromRecords, names.length - judgedFiles.size);
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
