// Fast and incremental scoring: the postings scorer agrees exactly with the pairwise one, a warm run
// reuses every pair score, an incremental update after an edit equals a from-scratch run, and the
// file cap and progress callback behave.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare, newCompareState, type CompareProgress, type CompareReport } from '../../server/src/similarity/engine';
import { featuresOfSource } from '../../server/src/similarity/features';
import { PairScorer } from '../../server/src/similarity/pairScores';
import { DEFAULT_WEIGHTS, prepare, scorePair, type DocEvidence, type Ignored } from '../../server/src/similarity/score';
import { detectLanguage } from '../../server/src/core/languages';

const FIX = path.resolve('test/fixtures/similarity');

/** Every fixture file, and a variant of each with a shared helper appended (so common code exists). */
function corpus(dir: string): string[] {
  const out: string[] = [];
  for (const lang of fs.readdirSync(FIX).sort()) {
    for (const f of fs.readdirSync(path.join(FIX, lang)).sort()) {
      const text = fs.readFileSync(path.join(FIX, lang, f), 'utf8');
      const a = path.join(dir, lang, f);
      const b = path.join(dir, lang, `v_${f}`);
      fs.mkdirSync(path.dirname(a), { recursive: true });
      fs.writeFileSync(a, text);
      fs.writeFileSync(b, `${text}\n${text.split('\n').slice(0, 12).join('\n')}\n`);
      out.push(a, b);
    }
  }
  return out;
}

/** The report without what differs between runs by design (ids, times, cache counters). */
function stable(r: CompareReport): unknown {
  const { analysis_id: _id, metadata, ...rest } = r;
  // `common` describes the full run whose ignored evidence a quick update keeps (checked in classroom.test.ts).
  const { timestamp: _t, timings_ms: _m, cache: _c, incremental: _i, workers_used: _w, common: _k, ...meta } = metadata;
  return { ...rest, metadata: meta };
}

describe('fast and incremental pair scoring', function () {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-inc-'));
    corpus(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the postings scorer gives exactly scorePair\'s numbers, with ignored evidence', async () => {
    const files = corpus(fs.mkdtempSync(path.join(os.tmpdir(), 'co-inc-')));
    const feats = await Promise.all(files.map((f) => featuresOfSource(fs.readFileSync(f, 'utf8'), detectLanguage(f)!)));
    // Ignore part of one file's evidence, so the ignored paths of both scorers are exercised.
    const f0 = feats[0]!;
    const ignored: Ignored = {
      ast: new Set([...f0.astSet].filter((_, i) => i % 2 === 0)), fp: new Set([...f0.fpSet].filter((_, i) => i % 3 === 0)),
      cfg: new Set([...f0.cfg].slice(0, 3)), df: new Set([...f0.df].slice(0, 3)),
    };
    const ev: DocEvidence[] = feats.map((f) => ({ files: [f], astSet: f.astSet, fpSet: f.fpSet, cfg: f.cfg, df: f.df, effectiveTotal: 0, fpTotal: 0 }));
    const scorer = new PairScorer(feats.map((f) => ({ feats: [f], astSet: f.astSet, fpSet: f.fpSet, cfg: f.cfg, df: f.df })),
      { capDocs: feats.length, templateFp: new Set(), ignored, weights: DEFAULT_WEIGHTS, allowed: () => true });
    ev.forEach((e, i) => {
      e.effectiveTotal = scorer.effectiveTotal[i]!;
      prepare(e, ignored);
    });
    let compared = 0;
    let positive = 0;
    for (let a = 0; a < feats.length; a++) {
      scorer.scoreDoc(a, (b) => b > a, (b, s) => {
        assert.deepEqual(s, scorePair(ev[a]!, ev[b]!, ignored, DEFAULT_WEIGHTS), `pair ${files[a]} ${files[b]}`);
        compared++;
        if (s.score > 0) positive++;
      });
    }
    assert.ok(compared > 30 && positive > 10, `${compared} pairs compared, ${positive} above 0`);
  });

  it('a warm run with the cache scores no pair and gives the same report', async () => {
    const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'co-inc-db-')), 'cache.sqlite');
    const cold = await compare({ inputs: [dir], cachePath: db, minScore: 0.3 });
    assert.ok(cold.summary.candidate_pairs > 20);
    assert.equal(cold.metadata.cache?.pair_scored, cold.summary.candidate_pairs);
    const warm = await compare({ inputs: [dir], cachePath: db, minScore: 0.3 });
    assert.equal(warm.metadata.cache?.pair_scored, 0);
    assert.equal(warm.metadata.cache?.pair_hits, warm.summary.candidate_pairs);
    assert.deepEqual(stable(warm), stable(cold));
  });

  it('regions build their code when read or serialized; remembered ones read the same code in a later run', async () => {
    const state = newCompareState();
    const first = await compare({ inputs: [dir], state, minScore: 0.3 });
    const r = first.similarity.pairs.find((p) => p.matching_regions.length > 0)!.matching_regions[0]!;
    assert.deepEqual(Object.keys(r).sort(), ['file1_lines', 'file2_lines'], 'no code held as fields');
    const [a] = r.file1_lines;
    assert.ok(r.file1_code.startsWith(`${a}: `), r.file1_code);
    assert.equal(JSON.parse(JSON.stringify(r)).file1_code, r.file1_code);
    // A second run re-reads the files (new objects, same content): the pairs' regions are remembered, and
    // the report serializes exactly as a run without any memory.
    const second = await compare({ inputs: [dir], state, minScore: 0.3 });
    assert.ok(second.similarity.pairs.some((p, i) => p.matching_regions.length > 0 && p.matching_regions === first.similarity.pairs[i]!.matching_regions));
    const plain = await compare({ inputs: [dir], minScore: 0.3 });
    assert.deepEqual(JSON.parse(JSON.stringify(stable(second))), JSON.parse(JSON.stringify(stable(plain))));
  });

  it('an incremental update after an edit scores only that file\'s pairs and equals a from-scratch run', async () => {
    const state = newCompareState();
    const first = await compare({ inputs: [dir], state, minScore: 0.3 });
    assert.ok(first.summary.suspicious_pairs_count > 0);
    // One file becomes a near copy of another (of the same language).
    const target = path.join(dir, 'python', 'unrelated.py');
    const before = fs.readFileSync(target, 'utf8');
    fs.writeFileSync(target, `${fs.readFileSync(path.join(dir, 'python', 'original.py'), 'utf8')}\n# edited\n`);
    try {
      const quick = await compare({ inputs: [dir], state, minScore: 0.3, changed: [target] });
      assert.equal(quick.metadata.incremental, true);
      assert.ok(quick.metadata.cache!.pair_scored < first.summary.candidate_pairs / 4, `${quick.metadata.cache!.pair_scored} pairs scored`);
      assert.ok(quick.similarity.pairs.some((p) => p.file1.endsWith('unrelated.py') || p.file2.endsWith('unrelated.py')), 'the edited file has a match');
      const scratch = await compare({ inputs: [dir], minScore: 0.3 });
      assert.deepEqual(stable(quick), stable(scratch));
      // The full run that follows an incremental one reuses the pair scores.
      const full = await compare({ inputs: [dir], state, minScore: 0.3 });
      assert.equal(full.metadata.cache?.pair_scored, 0);
      assert.deepEqual(stable(full), stable(scratch));
    } finally {
      fs.writeFileSync(target, before);
    }
  });

  it('a deleted file drops out of an incremental update', async () => {
    const state = newCompareState();
    const copy = path.join(dir, 'extra.py');
    fs.copyFileSync(path.join(dir, 'python', 'original.py'), copy);
    await compare({ inputs: [dir], state, minScore: 0.3 });
    fs.rmSync(copy);
    const quick = await compare({ inputs: [dir], state, minScore: 0.3, changed: [copy] });
    assert.ok(!quick.files.some((f) => f.path === copy));
    assert.deepEqual(stable(quick), stable(await compare({ inputs: [dir], minScore: 0.3 })));
  });

  it('a quick update removes and updates files in its own copy of the last run\'s index', async () => {
    const state = newCompareState();
    const gone = path.join(dir, 'upd_gone.py');
    const edited = path.join(dir, 'upd_edited.py');
    fs.copyFileSync(path.join(dir, 'python', 'original.py'), gone);
    fs.copyFileSync(path.join(dir, 'python', 'original.py'), edited);
    try {
      await compare({ inputs: [dir], state });
      const last = state.last!;
      const before = last.files.map((f) => f.path);
      fs.rmSync(gone);
      fs.appendFileSync(edited, '\n# edited\n');
      const up = await last.update([gone, edited], { submissions: false, exclude: [], maxBytes: 1 << 20 });
      assert.deepEqual(up.files.map((f) => f.path), before.filter((p) => p !== gone));
      assert.match(up.files.find((f) => f.path === edited)!.text!, /# edited\n$/);
      assert.deepEqual(last.files.map((f) => f.path), before, 'the last run is left as it was');
      assert.ok(!last.files.find((f) => f.path === edited)!.text!.includes('# edited'));
    } finally {
      fs.rmSync(gone, { force: true });
      fs.rmSync(edited, { force: true });
    }
  });

  it('a file created inside the input joins a quick update where a walk puts it; excluded and skipped ones do not', async () => {
    const state = newCompareState();
    const added = path.join(dir, 'python', 'm_added.py');
    const excluded = path.join(dir, 'python', 'gen_skip.py');
    const hidden = path.join(dir, 'node_modules', 'dep.py');
    const outside = path.join(os.tmpdir(), `co-outside-${process.pid}.py`);
    const exclude = ['gen_*.py'];
    try {
      await compare({ inputs: [dir], state, minScore: 0.3, exclude });
      const copy = `${fs.readFileSync(path.join(dir, 'python', 'original.py'), 'utf8')}\n# added\n`;
      fs.writeFileSync(added, copy);
      fs.writeFileSync(excluded, copy);
      fs.mkdirSync(path.dirname(hidden), { recursive: true });
      fs.writeFileSync(hidden, copy);
      fs.writeFileSync(outside, copy);
      const quick = await compare({ inputs: [dir], state, minScore: 0.3, exclude, changed: [added, excluded, hidden, outside] });
      assert.equal(quick.metadata.incremental, true);
      assert.ok(quick.metadata.cache!.pair_scored < quick.summary.candidate_pairs / 4, `${quick.metadata.cache!.pair_scored} pairs scored`);
      const paths = quick.files.map((f) => f.path);
      assert.ok(paths.includes(added));
      for (const p of [excluded, hidden, outside]) assert.ok(!paths.includes(p), `${p} is not walked`);
      assert.ok(quick.similarity.pairs.some((p) => [p.file1, p.file2].includes(added) && [p.file1, p.file2].some((f) => f.endsWith(`python${path.sep}original.py`))));
      // Where a full walk puts it, and with the same pairs and scores as a run from scratch.
      const scratch = await compare({ inputs: [dir], minScore: 0.3, exclude });
      assert.deepEqual(paths, scratch.files.map((f) => f.path));
      assert.deepEqual(stable(quick), stable(scratch));
    } finally {
      for (const p of [added, excluded, hidden, outside]) fs.rmSync(p, { force: true });
      fs.rmSync(path.dirname(hidden), { recursive: true, force: true });
    }
  });

  it('maxFiles analyses the first files and counts the rest; progress reports counts up to the total', async () => {
    const events: CompareProgress[] = [];
    const all = await compare({ inputs: [dir] });
    const capped = await compare({ inputs: [dir], maxFiles: 10, onProgress: (p) => events.push({ ...p }) });
    assert.equal(capped.files.length, 10);
    assert.deepEqual(capped.files.map((f) => f.path), all.files.slice(0, 10).map((f) => f.path));
    assert.equal(capped.metadata.skipped_files, all.files.length - 10);
    const feats = events.filter((e) => e.phase === 'features');
    assert.deepEqual(feats.at(-1), { phase: 'features', done: 10, total: 10 });
    assert.ok(feats.every((e, i) => i === 0 || e.done > feats[i - 1]!.done));
    assert.equal(events.filter((e) => e.phase === 'scoring').at(-1)?.done, capped.summary.total_documents);
  });
});
