// What the local judge keeps on disk (diskStore.ts): a new process counts the common code of unchanged
// files from their stored keys and serves standing verdicts without parsing, with the same verdicts as a
// run from scratch; damaged, foreign or unwritable files only cost the saving.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import type { LanguageId } from '../../server/src/core/languages';
import { judgePairs, LOCAL_VERSION } from '../../server/src/judge/judge';
import { contentKey, LocalJudgeCache } from '../../server/src/judge/local/cache';
import { DOC_KEYS_VERSION } from '../../server/src/judge/local/context';
import { LocalJudgeStore } from '../../server/src/judge/local/diskStore';
import { judgeReport } from '../../server/src/similarity/judgeReport';
import type { JudgeContext, JudgePairInput, Verdict } from '../../server/src/judge/types';
import { compare } from '../../server/src/similarity/engine';
import { decodePlain, PLAIN_KINDS } from '../../server/src/store/cacheFile';

const FX = path.join(__dirname, '../../../test/judge/fixtures');
const fixture = (name: string) => fs.readFileSync(path.join(FX, name), 'utf8');

interface Doc { name: string; source: string; language: LanguageId }

/** Six fixtures and eight students of the template: enough documents for common code. */
function workspace(): Doc[] {
  const lang = (n: string): LanguageId => (n.endsWith('.py') ? 'python' : 'java');
  const names = ['dijkstra_a.py', 'dijkstra_b.py', 'template_student_a.java', 'template_student_b.java', 'unusual_a.java', 'unusual_b.java'];
  const t = fixture('template.java');
  return [
    ...names.map((name) => ({ name, source: fixture(name), language: lang(name) })),
    ...Array.from({ length: 8 }, (_, i) => ({ name: `student${i}.java`, source: t.replace('// TODO: your solution here', `out.println(${i} * ${i + 7});`), language: 'java' as LanguageId })),
  ];
}

/** Only the pairs among `names` are judged; every document is counted for the common code. */
function pairsAmong(docs: Doc[], names: string[]): JudgePairInput[] {
  const sel = docs.filter((d) => names.includes(d.name));
  const out: JudgePairInput[] = [];
  sel.forEach((a, i) => sel.slice(i + 1).forEach((b) => out.push({
    file1: a.name, file2: b.name, language1: a.language, language2: b.language, source1: a.source, source2: b.source,
    similarity_score: 0.9, components: { ast: 0.9, cfg: 0.9, dataflow: 0.9 },
  })));
  return out;
}

const contextOf = (docs: Doc[]): JudgeContext => ({ templates: [], corpus: docs.map((d) => ({ source: d.source, language: d.language })), commonShare: 0.1, commonMinDocs: 3 });
const JUDGED = ['unusual_a.java', 'unusual_b.java', 'template_student_a.java'];

async function run(docs: Doc[], keysDir: string | undefined, cache = new LocalJudgeCache(), log: string[] = []): Promise<{ v: Verdict[]; cache: LocalJudgeCache }> {
  const out = await judgePairs(pairsAmong(docs, JUDGED), { provider: 'local', threshold: 0.7, context: contextOf(docs), localCache: cache, storeDir: keysDir, log: (m) => log.push(m) });
  return { v: out.results.map((r) => r!.llm_verdict), cache };
}

function storedKeys(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.keys')).flatMap((f) => {
    const d = decodePlain(fs.readFileSync(path.join(dir, f)), PLAIN_KINDS.judgeKeys, 2);
    assert.ok(d.ok, f);
    return (v8.deserialize(d.payload) as { entries: Array<[string]> }).entries.map((e) => e[0]);
  });
}

describe('local judge state kept on disk', function () {
  this.timeout(120000);
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'co-keys-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a new cache counts the stored documents and serves their stored verdicts without parsing, with the same verdicts', async () => {
    const docs = workspace();
    const dir = path.join(tmp, 'cache.judge');
    const plain = (await run(docs, undefined)).v;
    const first = await run(docs, dir);
    assert.deepEqual(first.v, plain);
    assert.equal(first.cache.stats.keysLoaded, 0);
    assert.equal(first.cache.stats.tokenized, docs.length);
    assert.equal(new Set(storedKeys(dir)).size, new Set(docs.map((d) => d.source)).size, 'one entry per distinct content');

    // A new process: nothing in memory, the keys and verdicts on disk.
    const second = await run(docs, dir);
    assert.deepEqual(second.v, plain);
    assert.equal(second.cache.stats.keysLoaded, new Set(docs.map((d) => d.source)).size);
    assert.equal(second.cache.stats.verdictsLoaded, pairsAmong(docs, JUDGED).length);
    assert.equal(second.cache.stats.verdictsComputed, 0);
    assert.equal(second.cache.stats.tokenized, 0, 'nothing parsed');
  });

  it('an edit re-judges only its pairs; the new content is stored, contents no longer in use leave the shards rewritten', async () => {
    const docs = workspace();
    const dir = path.join(tmp, 'cache.judge');
    await run(docs, dir);
    const i = docs.findIndex((d) => d.name === 'unusual_b.java');
    const edited = docs.map((d, k) => (k === i ? { ...d, source: `${d.source}\n// resubmitted\n` } : d));
    const r = await run(edited, dir);
    assert.deepEqual(r.v, (await run(edited, undefined)).v);
    const pairs = pairsAmong(edited, JUDGED);
    const touching = pairs.filter((p) => p.file1 === 'unusual_b.java' || p.file2 === 'unusual_b.java').length;
    assert.equal(r.cache.stats.verdictsComputed, touching);
    assert.equal(r.cache.stats.verdictsLoaded, pairs.length - touching);
    assert.equal(r.cache.stats.tokenized, 1 + touching, 'the edited file, and the other file of each of its pairs');
    assert.equal(r.cache.stats.keysLoaded, docs.length - 1);
    const stored = storedKeys(dir);
    assert.ok(stored.includes(contentKey(edited[i]!.source, 'java')), 'the new content is stored');
    const known = new Set([...docs, ...edited].map((d) => contentKey(d.source, d.language)));
    assert.ok(stored.every((k) => known.has(k)));
    assert.equal(new Set(stored).size, stored.length, 'no key stored twice');

    // And once more, nothing changed: every verdict from the disk.
    const again = await run(edited, dir);
    assert.deepEqual(again.v, r.v);
    assert.equal(again.cache.stats.verdictsLoaded, pairs.length);
    assert.equal(again.cache.stats.tokenized, 0);
  });

  it('a stored verdict is not used once the common code of its files changed', async () => {
    const docs = workspace();
    const dir = path.join(tmp, 'cache.judge');
    await run(docs, dir);
    // unusual_a.java's body in most students: its lines and k-grams become common code.
    const body = fixture('unusual_a.java');
    const more = docs.map((d) => (d.name.startsWith('student') ? { ...d, source: `${d.source}\n${body}` } : d));
    const r = await run(more, dir);
    assert.deepEqual(r.v, (await run(more, undefined)).v);
    assert.ok(r.cache.stats.verdictsComputed > 0, 'pairs with unusual_a.java were judged again');
  });

  it('damaged shards are reported and rebuilt; keys of another version are not used', async () => {
    const docs = workspace();
    const dir = path.join(tmp, 'cache.judge');
    const plain = (await run(docs, dir)).v;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.keys'));
    assert.ok(files.length > 1);
    for (const f of files) fs.writeFileSync(path.join(dir, f), 'not a shard');
    const log: string[] = [];
    const damaged = await run(docs, dir, new LocalJudgeCache(), log);
    assert.deepEqual(damaged.v, plain);
    assert.equal(damaged.cache.stats.keysLoaded, 0);
    assert.equal(log.filter((m) => /warning: judge cache .*\.keys unreadable/.test(m)).length, files.length, log.join('\n'));
    const again = await run(docs, dir);
    assert.equal(again.cache.stats.keysLoaded, new Set(docs.map((d) => d.source)).size, 'rebuilt by the run that found them damaged');

    const version = `${DOC_KEYS_VERSION}|${LOCAL_VERSION}`;
    const key0 = contentKey(docs[0]!.source, docs[0]!.language);
    assert.equal(new LocalJudgeStore(dir, `${version}-other`).getKeys(key0), undefined);
    assert.ok(new LocalJudgeStore(dir, version).getKeys(key0));

    fs.writeFileSync(path.join(dir, 'verdicts'), 'not verdicts');
    const log2: string[] = [];
    const r = await run(docs, dir, new LocalJudgeCache(), log2);
    assert.deepEqual(r.v, plain);
    assert.equal(r.cache.stats.verdictsLoaded, 0);
    assert.ok(log2.some((m) => /warning: judge cache .*verdicts unreadable/.test(m)), log2.join('\n'));
    assert.equal((await run(docs, dir)).cache.stats.verdictsLoaded, pairsAmong(docs, JUDGED).length, 'verdicts written again');
  });

  it('a folder that cannot be written is a warning, not a failed judgement', async () => {
    const docs = workspace();
    const blocked = path.join(tmp, 'cache.judge');
    fs.writeFileSync(blocked, 'a file where the folder would be');
    const log: string[] = [];
    const r = await run(docs, blocked, new LocalJudgeCache(), log);
    assert.deepEqual(r.v, (await run(docs, undefined)).v);
    assert.ok(log.some((m) => /warning: cannot write judge cache/.test(m)), log.join('\n'));
  });

  it('judgeReport keeps the keys beside the comparison\'s feature cache', async () => {
    const cachePath = path.join(tmp, 'features.sqlite');
    const inputs = { inputs: [path.join(FX, 'unusual_a.java'), path.join(FX, 'unusual_b.java'), path.join(FX, 'template_student_a.java'), path.join(FX, 'template_student_b.java')], cachePath, commonMinDocs: 1 };
    const report = await compare(inputs);
    const judged = await judgeReport(report, inputs, { provider: 'local', threshold: 0 });
    assert.ok(judged.similarity.pairs.some((p) => p.llm_verdict));
    assert.ok(storedKeys(`${cachePath}.judge`).length >= 1);
  });
});
