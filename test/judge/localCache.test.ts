// The local judge's cache between runs (the language server keeps one): verdicts with it equal
// verdicts without it, an edit re-does only the edited file's part (and the pairs whose common code
// it changes), runs sharing it take turns, and it stays within its limits.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { LanguageId } from '../../server/src/core/languages';
import { judgePairs } from '../../server/src/judge/judge';
import { LocalJudgeCache } from '../../server/src/judge/local/cache';
import { Lru } from '../../server/src/store/lru';
import { EVIDENCE_K, lineKey, nameKey, normLine, templateCode } from '../../server/src/judge/local/context';
import { detectAlgorithms } from '../../server/src/judge/local/detect';
import { analyseFile, pairEvidence } from '../../server/src/judge/local/evidence';
import { kgramHashes } from '../../server/src/judge/local/kgrams';
import { decide } from '../../server/src/judge/local/localJudge';
import { tokenize } from '../../server/src/judge/local/tokens';
import type { JudgeContext, JudgePairInput, Verdict } from '../../server/src/judge/types';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../../test/judge/fixtures', name), 'utf8');
const langOf = (name: string): LanguageId => (name.endsWith('.py') ? 'python' : 'java');

interface Doc { name: string; source: string; language: LanguageId }

function doc(name: string, source = fixture(name)): Doc {
  return { name, source, language: langOf(name) };
}

/** Every pair of documents of the same language, with a score that varies. */
function pairsOf(docs: Doc[]): JudgePairInput[] {
  const out: JudgePairInput[] = [];
  docs.forEach((a, i) => docs.slice(i + 1).forEach((b, j) => {
    if (a.language !== b.language) return;
    const s = [0.72, 0.8, 0.9, 0.97][(i + j) % 4]!;
    out.push({
      file1: a.name, file2: b.name, language1: a.language, language2: b.language, source1: a.source, source2: b.source,
      similarity_score: s, components: { ast: s, cfg: s, dataflow: s },
    });
  }));
  return out;
}

const contextOf = (docs: Doc[], templates: Doc[] = []): JudgeContext => ({
  templates: templates.map((d) => ({ source: d.source, language: d.language })),
  corpus: docs.map((d) => ({ source: d.source, language: d.language })), commonShare: 0.1, commonMinDocs: 3,
});

async function verdicts(pairs: JudgePairInput[], context: JudgeContext, localCache?: LocalJudgeCache): Promise<Verdict[]> {
  const out = await judgePairs(pairs, { provider: 'local', threshold: 0.7, context, localCache });
  return out.results.map((r) => r!.llm_verdict);
}

/** The judge as first written, no cache: the template and common code as sets counted from scratch. */
async function reference(pairs: JudgePairInput[], ctx: JudgeContext): Promise<Verdict[]> {
  const ex = await templateCode(ctx.templates);
  const corpus = ctx.corpus ?? [];
  const minDocs = Math.max(ctx.commonMinDocs ?? 3, Math.floor((ctx.commonShare ?? 0.1) * corpus.length)) + 1;
  if (corpus.length >= minDocs) {
    const hashDocs = new Map<number, number>();
    const lineDocs = new Map<number, number>();
    const nameDocs = new Map<number, number>();
    const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
    for (const d of corpus) {
      const tf = await tokenize(d.source, d.language);
      for (const h of new Set(kgramHashes(tf.tokens, EVIDENCE_K))) bump(hashDocs, h);
      for (const n of new Set(tf.tokens.filter((t) => t.t === 'v').map((t) => nameKey(t.name!)))) bump(nameDocs, n);
      for (const l of new Set(d.source.split('\n').map((x) => lineKey(normLine(x))))) bump(lineDocs, l);
    }
    for (const [h, n] of hashDocs) if (n >= minDocs) ex.hashes.add(h);
    for (const [l, n] of lineDocs) if (n >= minDocs) ex.lines.add(l);
    for (const [k, n] of nameDocs) if (n >= minDocs) ex.names.add(k);
  }
  const analyse = async (source: string, language: LanguageId) => {
    const tf = await tokenize(source, language);
    return analyseFile(tf, source, await detectAlgorithms(tf));
  };
  const out: Verdict[] = [];
  for (const p of pairs) {
    out.push(decide(pairEvidence(await analyse(p.source1, p.language1), await analyse(p.source2, p.language2), ex), p.similarity_score));
  }
  return out;
}

const FIXTURES = ['dijkstra_a.py', 'dijkstra_b.py', 'template_student_a.java', 'template_student_b.java', 'unusual_a.java', 'unusual_b.java'];

/** The fixtures, plus students that all start from the template (common code once there are enough). */
function workspace(students: number): Doc[] {
  const t = fixture('template.java');
  const extra = Array.from({ length: students }, (_, i) => doc(`student${i}.java`, t.replace('// TODO: your solution here', `out.println(${i} * ${i + 7});`)));
  return [...FIXTURES.map((n) => doc(n)), ...extra];
}

const touching = (pairs: JudgePairInput[], name: string) => pairs.filter((p) => p.file1 === name || p.file2 === name).length;

describe('local judge cache', () => {
  it('verdicts with the cache equal those without it and the from-scratch reference, with and without a template', async () => {
    for (const [docs, templates] of [[workspace(0), []], [workspace(8), []], [workspace(3), [doc('template.java')]]] as Array<[Doc[], Doc[]]>) {
      const pairs = pairsOf(docs);
      const ctx = contextOf(docs, templates);
      const plain = await verdicts(pairs, ctx);
      assert.deepEqual(plain, await reference(pairs, ctx));
      const cache = new LocalJudgeCache();
      assert.deepEqual(await verdicts(pairs, ctx, cache), plain);
      const computed = cache.stats.verdictsComputed;
      assert.deepEqual(await verdicts(pairs, ctx, cache), plain, 'a re-run serves the same verdicts');
      assert.equal(cache.stats.verdictsComputed, computed, 'nothing recomputed on an unchanged re-run');
      assert.equal(cache.stats.verdictHits, pairs.length);
    }
    // The fixtures' expected classes hold (as in local.test.ts), cached or not.
    const docs = workspace(8);
    const pairs = pairsOf(docs);
    const v = await verdicts(pairs, contextOf(docs), new LocalJudgeCache());
    const of = (a: string, b: string) => v[pairs.findIndex((p) => p.file1 === a && p.file2 === b)]!;
    assert.equal(of('dijkstra_a.py', 'dijkstra_b.py').classification, 'STANDARD_ALGORITHM');
    assert.equal(of('unusual_a.java', 'unusual_b.java').classification, 'LIKELY_COPY');
    assert.equal(of('template_student_a.java', 'template_student_b.java').classification, 'TEMPLATE_OR_BOILERPLATE');
  });

  it('an edited file re-does only its own parse and its pairs', async () => {
    const docs = workspace(8);
    const cache = new LocalJudgeCache();
    await verdicts(pairsOf(docs), contextOf(docs), cache);
    assert.equal(cache.stats.tokenized, docs.length, 'first run: each file parsed once (common code and analysis share it)');

    const i = docs.findIndex((d) => d.name === 'unusual_b.java');
    const edited = docs.map((d, k) => (k === i ? { ...d, source: `${d.source}\n// reviewed on Tuesday\n` } : d));
    const pairs = pairsOf(edited);
    const before = { ...cache.stats };
    const v = await verdicts(pairs, contextOf(edited), cache);
    assert.equal(cache.stats.tokenized - before.tokenized, 1);
    assert.equal(cache.stats.verdictsComputed - before.verdictsComputed, touching(pairs, 'unusual_b.java'));
    assert.equal(cache.stats.verdictHits - before.verdictHits, pairs.length - touching(pairs, 'unusual_b.java'));
    assert.equal(cache.stats.commonUpdates - before.commonUpdates, 2, 'the old content left the counts, the new one came in');
    assert.deepEqual(v, await verdicts(pairs, contextOf(edited)));

    // Undo: the old content is counted again without parsing it (its keys were kept).
    const back = { ...cache.stats };
    assert.deepEqual(await verdicts(pairsOf(docs), contextOf(docs), cache), await verdicts(pairsOf(docs), contextOf(docs)));
    assert.equal(cache.stats.tokenized - back.tokenized, 0);
  });

  it('without analyses between runs (the language server): digests serve unchanged pairs, an edit parses its file and partners', async () => {
    const docs = workspace(8);
    const cache = new LocalJudgeCache({ keepAnalyses: false });
    const plain = await verdicts(pairsOf(docs), contextOf(docs));
    assert.deepEqual(await verdicts(pairsOf(docs), contextOf(docs), cache), plain);
    assert.equal(cache.sizes().analyses, 0, 'analyses dropped at the end of the run');

    const again = { ...cache.stats };
    assert.deepEqual(await verdicts(pairsOf(docs), contextOf(docs), cache), plain);
    assert.equal(cache.stats.tokenized - again.tokenized, 0, 'an unchanged re-run parses nothing');
    assert.equal(cache.stats.verdictHits - again.verdictHits, pairsOf(docs).length);

    const i = docs.findIndex((d) => d.name === 'unusual_b.java');
    const edited = docs.map((d, k) => (k === i ? { ...d, source: `${d.source}\n// reviewed on Tuesday\n` } : d));
    const pairs = pairsOf(edited);
    const partners = new Set(pairs.filter((p) => p.file1 === 'unusual_b.java' || p.file2 === 'unusual_b.java')
      .map((p) => (p.file1 === 'unusual_b.java' ? p.source2 : p.source1)));
    const before = { ...cache.stats };
    assert.deepEqual(await verdicts(pairs, contextOf(edited), cache), await verdicts(pairs, contextOf(edited)));
    assert.equal(cache.stats.tokenized - before.tokenized, 1 + partners.size, 'the edited file, then the other file of each of its pairs');
    assert.equal(cache.stats.verdictsComputed - before.verdictsComputed, touching(pairs, 'unusual_b.java'));
    assert.equal(cache.sizes().analyses, 0);
  });

  it('an edit that makes code common re-judges the other pairs that contain it', async () => {
    // Three documents hold the template (two fixtures, one student): not common yet (common needs 4 of these 7).
    const docs = workspace(1);
    const cache = new LocalJudgeCache();
    const first = await verdicts(pairsOf(docs), contextOf(docs), cache);
    // unusual_a.java takes the template too: now in 4 documents, common code.
    const i = docs.findIndex((d) => d.name === 'unusual_a.java');
    const edited = docs.map((d, k) => (k === i ? { ...d, source: `${fixture('template.java')}\n${d.source}` } : d));
    const pairs = pairsOf(edited);
    const before = { ...cache.stats };
    const v = await verdicts(pairs, contextOf(edited), cache);
    assert.deepEqual(v, await verdicts(pairs, contextOf(edited)));
    assert.deepEqual(v, await reference(pairs, contextOf(edited)));
    const recomputed = cache.stats.verdictsComputed - before.verdictsComputed;
    assert.ok(recomputed > touching(pairs, 'unusual_a.java'), `pairs of other files with the template were re-judged (${recomputed})`);
    const k = pairs.findIndex((p) => p.file1 === 'template_student_a.java' && p.file2 === 'template_student_b.java');
    assert.notEqual(first[k]!.classification, v[k]!.classification, 'the template pair changed verdict with the common code');
    assert.equal(v[k]!.classification, 'TEMPLATE_OR_BOILERPLATE');
  });

  it('runs that overlap on one cache take turns and each gets its own verdicts', async () => {
    const a = workspace(8);
    const b = workspace(2);
    const cache = new LocalJudgeCache();
    const [va, vb] = await Promise.all([verdicts(pairsOf(a), contextOf(a), cache), verdicts(pairsOf(b), contextOf(b), cache)]);
    assert.deepEqual(va, await verdicts(pairsOf(a), contextOf(a)));
    assert.deepEqual(vb, await verdicts(pairsOf(b), contextOf(b)));
  });

  it('stays within its limits and still gives the same verdicts', async () => {
    const docs = workspace(8);
    const pairs = pairsOf(docs);
    const ctx = contextOf(docs);
    const plain = await verdicts(pairs, ctx);
    const limits = { analysisTokens: 600, docKeys: 500, verdicts: 4 };
    const cache = new LocalJudgeCache(limits);
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(await verdicts(pairs, ctx, cache), plain);
      const s = cache.sizes();
      assert.ok(s.verdicts <= limits.verdicts, JSON.stringify(s));
      assert.ok(s.analysisTokens <= limits.analysisTokens || s.analyses === 1, JSON.stringify(s));
      assert.ok(s.docKeys <= limits.docKeys || cache.docKeys.size === 1, JSON.stringify(s));
      assert.equal(s.countedDocs, new Set(docs.map((d) => d.source)).size);
    }
  });

  it('Lru: evicts the least recently used past its weight', () => {
    const lru = new Lru<string, number>(10, (v) => v);
    lru.set('a', 4);
    lru.set('b', 4);
    assert.equal(lru.get('a'), 4); // a is now the most recent
    lru.set('c', 4);
    assert.equal(lru.has('b'), false);
    assert.equal(lru.has('a'), true);
    assert.equal(lru.weight, 8);
    lru.set('big', 50);
    assert.deepEqual([lru.has('a'), lru.has('c'), lru.has('big')], [false, false, true]);
    assert.equal(lru.weight, 50);
  });
});
