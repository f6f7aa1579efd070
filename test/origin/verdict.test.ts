// Three-way verdicts (issue 19): thresholds, calibration and clamping, abstention for unevaluated
// languages, the manifest's verdict/input blocks, and canonical input wired through the real model.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ModelFolderError, loadModelFolder, parseManifest } from '../../server/src/origin/manifest';
import { OriginModel, sourceSpan } from '../../server/src/origin/model';
import { aboutPercent, calibrate, decide, decideUnit, humanRuleText, legacyPolicy, llmThresholdFor, minTokensOf, oneIn, unitThresholdFor, shownPercent, type VerdictPolicy } from '../../server/src/origin/verdict';
import { cueGroupOfSpan, cueGroups } from '../../server/src/origin/cues';
import { hasAttribution, modelVariant, requireModel, SMALL_JAVA, SMALL_PY, tempDir, verdictBlock } from './helpers';

const POLICY: VerdictPolicy = {
  llmThreshold: 0.9, humanThreshold: 0.2, legacy: false,
  calibration: { x: [0, 0.2, 0.9, 1], y: [0.01, 0.1, 0.6, 0.95] },
  evaluatedLanguages: ['java', 'python', 'typescript'],
  perLanguage: { java: { fpr: 0.009, tpr: 0.6, n_human: 1000 } },
  fpr: 0.01,
};

describe('origin verdicts: thresholds, calibration, abstention', () => {
  it('gives llm at or above the llm threshold, human at or below the human one, inconclusive between', () => {
    assert.equal(decide(POLICY, 0.95, { language: 'java' }).label, 'llm');
    assert.equal(decide(POLICY, 0.9, { language: 'java' }).label, 'llm');
    assert.equal(decide(POLICY, 0.2, { language: 'java' }).label, 'human');
    assert.equal(decide(POLICY, 0.05, { language: 'java' }).label, 'human');
    const mid = decide(POLICY, 0.5, { language: 'java' });
    assert.equal(mid.label, 'inconclusive');
    assert.match(mid.reason!, /between thresholds/);
  });

  it('states calibrated confidence of the verdict: P(llm) for llm and inconclusive, 1 − P(llm) for human', () => {
    const llm = decide(POLICY, 0.95, { language: 'java' });
    assert.ok(Math.abs(llm.p_calibrated - 0.775) < 1e-12); // halfway between 0.9→0.6 and 1→0.95
    assert.equal(llm.confidence, llm.p_calibrated);
    const human = decide(POLICY, 0.1, { language: 'java' });
    assert.ok(Math.abs(human.p_calibrated - 0.055) < 1e-12);
    assert.ok(Math.abs(human.confidence - 0.945) < 1e-12);
    const mid = decide(POLICY, 0.55, { language: 'java' });
    assert.ok(Math.abs(mid.confidence - 0.35) < 1e-12);
    assert.equal(calibrate(POLICY, -1), 0.01);
    assert.equal(calibrate(POLICY, 2), 0.95);
    assert.equal(calibrate(legacyPolicy(0.5), 0.73), 0.73);
  });

  it('never shows 0% or 100%, and says "about"', () => {
    assert.equal(shownPercent(1), 99);
    assert.equal(shownPercent(0.9996), 99);
    assert.equal(shownPercent(0), 1);
    assert.equal(shownPercent(0.004), 1);
    assert.equal(shownPercent(0.874), 87);
    assert.equal(aboutPercent(1), 'about 99%');
    assert.equal(oneIn(0.009), 'about 1 in 110');
    assert.equal(oneIn(0.25), 'about 1 in 4');
    assert.equal(oneIn(0, 300), 'none of 300');
  });

  it('abstains on languages the model was not evaluated on, unless asked; tsx counts as typescript', () => {
    const go = decide(POLICY, 0.99, { language: 'go' });
    assert.equal(go.label, 'inconclusive');
    assert.equal(go.reason, 'not evaluated for Go');
    assert.equal(decide(POLICY, 0.99, { language: 'unknown' }).label, 'inconclusive');
    assert.equal(decide(POLICY, 0.99, { language: 'go', unevaluatedLanguages: true }).label, 'llm');
    assert.equal(decide(POLICY, 0.01, { language: 'go', unevaluatedLanguages: true }).label, 'human');
    assert.equal(decide(POLICY, 0.99, { language: 'tsx' }).label, 'llm');
  });

  it('a legacy folder stays two-way at its threshold, for every language; a user threshold moves the llm line', () => {
    const legacy = legacyPolicy(0.51);
    assert.equal(decide(legacy, 0.51, { language: 'go' }).label, 'llm');
    assert.equal(decide(legacy, 0.5, { language: 'go' }).label, 'human');
    assert.ok(Math.abs(decide(legacy, 0.3).confidence - 0.7) < 1e-12);
    assert.equal(decide(POLICY, 0.7, { language: 'java', llmThreshold: 0.6 }).label, 'llm');
    // a user threshold under the human threshold pulls it down too: the two never overlap
    assert.equal(decide(POLICY, 0.15, { language: 'java', llmThreshold: 0.1 }).label, 'llm');
    assert.equal(decide(POLICY, 0.05, { language: 'java', llmThreshold: 0.1 }).label, 'human');
  });
});

describe('origin manifest: verdict and input blocks', () => {
  const bad = (m: object, re: RegExp) => assert.throws(() => parseManifest(m), (e: unknown) => {
    assert.ok(e instanceof ModelFolderError, String(e));
    assert.match(e.message, re);
    return true;
  });

  it('reads the verdict block; "threshold" becomes its llm threshold', () => {
    const m = parseManifest({ threshold: 0.51, verdict: verdictBlock({ llm: 0.93, human: 0.1 }), input: { canonicalization: 'tokens-v1' } });
    assert.equal(m.threshold, 0.93);
    assert.equal(m.verdict.legacy, false);
    assert.equal(m.verdict.humanThreshold, 0.1);
    assert.deepEqual(m.verdict.evaluatedLanguages, ['java', 'python', 'cpp']);
    assert.equal(m.verdict.perLanguage['java']!.n_human, 1234);
    assert.equal(m.canonicalization, 'tokens-v1');
    const old = parseManifest({ threshold: 0.51 });
    assert.equal(old.verdict.legacy, true);
    assert.equal(old.verdict.llmThreshold, 0.51);
    assert.equal(old.canonicalization, undefined);
  });

  it('a human threshold of 0 (none qualified on LOSO predictions) loads, and no score is then called human', () => {
    const m = parseManifest({ verdict: verdictBlock({ llm: 0.93, human: 0 }) });
    assert.equal(m.verdict.humanThreshold, 0);
    for (const p of [0, 1e-12, 1e-4, 0.3, 0.9]) assert.equal(decide(m.verdict, p, { language: 'java' }).label, 'inconclusive', String(p));
    assert.equal(decide(m.verdict, 0.95, { language: 'java' }).label, 'llm');
    assert.match(humanRuleText(m.verdict), /^never human/);
    assert.equal(humanRuleText(POLICY), 'human at or below 0.2');
    assert.equal(humanRuleText({ ...POLICY, humanThreshold: 0.000269 }), 'human at or below 0.00027');
  });

  it('texts under the model\'s min_tokens get no verdict, whatever their score; a setting can raise the minimum, not lower it', () => {
    const m = parseManifest({ verdict: { ...verdictBlock({ llm: 0.9, human: 0 }), min_tokens: 128 } });
    assert.equal(m.verdict.minTokens, 128);
    const short = decide(m.verdict, 0.999, { language: 'java', tokens: 127 });
    assert.equal(short.label, 'inconclusive');
    assert.equal(short.reason, 'too short to judge: 127 tokens (verdicts hold from 128)');
    assert.equal(decide(m.verdict, 0.999, { language: 'java', tokens: 128 }).label, 'llm');
    assert.equal(minTokensOf(m.verdict, 48), 128);
    assert.equal(minTokensOf(m.verdict, 200), 200);
    assert.equal(minTokensOf(parseManifest({ verdict: verdictBlock({ llm: 0.9, human: 0 }) }).verdict, 48), 48);
    assert.throws(() => parseManifest({ verdict: { ...verdictBlock({ llm: 0.9, human: 0 }), min_tokens: 0 } }), /min_tokens/);
  });

  it("a function's threshold rises with the functions judged in its file, along the language's LOSO curve", () => {
    const block = verdictBlock({ llm: 0.9, human: 0 });
    const per = block['per_language'] as Record<string, Record<string, unknown>>;
    // java's file rate 0.009: 1 function keeps 0.9; 2 share 0.0045 (curve point 0.002); 20 share 0.00045 (past the end: its last point)
    per['java'] = { ...per['java']!, fpr_curve: [[0.005, 0.95], [0.002, 0.98], [0.001, 0.99]] };
    const m = parseManifest({ verdict: block });
    assert.equal(unitThresholdFor(m.verdict, 'java', 1), 0.9);
    assert.equal(unitThresholdFor(m.verdict, 'java', 2), 0.98);
    assert.equal(unitThresholdFor(m.verdict, 'java', 20), 0.99);
    assert.equal(unitThresholdFor(m.verdict, 'java', 20, 0.8), 0.8, "the user's threshold wins");
    assert.equal(unitThresholdFor(m.verdict, 'python', 20), 0.9, 'no curve: the file threshold');
    const shared = decideUnit(m.verdict, 0.97, 2, { language: 'java' });
    assert.equal(shared.label, 'inconclusive');
    assert.equal(shared.reason, "one of 2 functions judged in this file, each needs p(LLM) ≥ 0.980 so that a human file's functions together are flagged no more often than a file");
    assert.equal(decideUnit(m.verdict, 0.97, 1, { language: 'java' }).label, 'llm');
    assert.equal(decideUnit(m.verdict, 0.985, 2, { language: 'java' }).label, 'llm');
    assert.match(decideUnit(m.verdict, 0.5, 2, { language: 'java' }).reason!, /^between thresholds/);
    for (const bad of [[[0.002, 0.98], [0.005, 0.95]], [[0.005, 0.98], [0.002, 0.95]], [[0.005, 1.5]], []]) {
      per['java'] = { ...per['java']!, fpr_curve: bad };
      assert.throws(() => parseManifest({ verdict: block }), /"fpr_curve" must be \[rate, threshold\] pairs/, JSON.stringify(bad));
    }
  });

  it("a language's own llm threshold applies to that language only; the user's threshold still wins", () => {
    const block = verdictBlock({ llm: 0.9, human: 0 });
    const per = block['per_language'] as Record<string, Record<string, number>>;
    per['java'] = { ...per['java']!, llm_threshold: 0.96 };
    const m = parseManifest({ verdict: block });
    assert.equal(llmThresholdFor(m.verdict, 'java'), 0.96);
    assert.equal(llmThresholdFor(m.verdict, 'python'), 0.9);
    assert.equal(llmThresholdFor(m.verdict, 'java', 0.8), 0.8);
    assert.equal(decide(m.verdict, 0.95, { language: 'java' }).label, 'inconclusive');
    assert.equal(decide(m.verdict, 0.96, { language: 'java' }).label, 'llm');
    assert.equal(decide(m.verdict, 0.95, { language: 'python' }).label, 'llm');
    assert.equal(decide(m.verdict, 0.95, { language: 'java', llmThreshold: 0.8 }).label, 'llm');
    // A language's threshold only tightens the model's.
    per['java'] = { ...per['java']!, llm_threshold: 0.5 };
    assert.throws(() => parseManifest({ verdict: block }), /per_language\.java: "llm_threshold" \(0\.5\) must not be below the model's \(0\.9\)/);
  });

  it('rejects broken verdict and input blocks with messages that say what is wrong', () => {
    const v = (patch: object) => ({ verdict: { ...verdictBlock({ llm: 0.9, human: 0.1 }), ...patch } });
    bad({ input: { canonicalization: 'tokens-v9' } }, /unknown "input\.canonicalization" "tokens-v9".*knows "tokens-v1".*newer Code Origin/);
    bad({ input: 'tokens-v1' }, /"input" must be an object/);
    bad({ verdict: 0.9 }, /"verdict" must be an object/);
    bad(v({ llm_threshold: undefined }), /verdict: "llm_threshold" is missing/);
    bad(v({ llm_threshold: 1.5 }), /"llm_threshold" must be a probability in \(0, 1\), got 1\.5/);
    bad(v({ human_threshold: -0.1 }), /"human_threshold" must be a probability in \[0, 1\], got -0\.1/);
    bad(v({ human_threshold: 0.95 }), /"human_threshold" \(0\.95\) must not exceed "llm_threshold" \(0\.9\)/);
    bad(v({ calibration: { method: 'isotonic', x: [0, 1], y: [0.1] } }), /same length, at least 2/);
    bad(v({ calibration: { method: 'isotonic', x: [0, 0.5, 0.4], y: [0, 0.5, 0.6] } }), /"calibration\.x" must be strictly increasing/);
    bad(v({ calibration: { method: 'isotonic', x: [0, 0.5, 1], y: [0, 0.6, 0.5] } }), /"calibration\.y" must not decrease/);
    bad(v({ calibration: { method: 'beta', x: [0, 1], y: [0, 1] } }), /unknown "calibration\.method" "beta"/);
    bad(v({ calibration: { x: [0, 2], y: [0, 1] } }), /arrays of probabilities in \[0, 1\]/);
    bad(v({ evaluated_languages: 'java' }), /"evaluated_languages" must be an array of language names/);
    bad(v({ per_language: { java: { tpr: 0.5 } } }), /per_language\.java: "fpr" is missing/);
    bad(v({ fpr: -0.1 }), /"fpr" must be a probability in \[0, 1\]/);
  });

  it('a folder with a broken block names the folder', () => {
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ input: { canonicalization: 'ast-v2' } }));
      fs.writeFileSync(path.join(dir, 'model.onnx'), 'x');
      fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{}');
      assert.throws(() => loadModelFolder(dir), /^Error: model folder .*: manifest\.json: unknown "input\.canonicalization" "ast-v2"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('origin cue groups', () => {
  const PY = 'def load_rows(path):\n    """Read every row."""\n    # skip the header\n    log.info("loading %s", path)\n    return [r for r in open(path)][1:]\n';
  const span = (s: string, lang: 'python' | 'java' = 'python', text = PY) => {
    const i = text.indexOf(s);
    return cueGroupOfSpan(text, lang, i, i + s.length);
  };

  it('classifies the source text under a token', () => {
    assert.equal(span('Read'), 'comments');
    assert.equal(span('header'), 'comments');
    assert.equal(span('loading'), 'strings');
    assert.equal(span('load_rows'), 'naming');
    assert.equal(span('_rows'), 'naming'); // a BPE piece of an identifier
    assert.equal(span('def'), 'structure');
    assert.equal(span('return'), 'structure');
    assert.equal(span('):'), 'punctuation');
    const java = 'int n = 0; // count\n/* block */ String s = "x";\n';
    assert.equal(span('count', 'java', java), 'comments');
    assert.equal(span('block', 'java', java), 'comments');
    assert.equal(span('String', 'java', java), 'structure');
  });

  it('sums attributions by group and names the largest, toward the chosen side', () => {
    const at = (s: string, score: number) => ({ start: PY.indexOf(s), end: PY.indexOf(s) + s.length, score });
    const toks = [at('Read', 0.5), at('header', 0.3), at('load_rows', 0.15), at('def', -0.6), at('):', 0.05)];
    const llm = cueGroups(PY, 'python', toks, { sign: 1 });
    assert.deepEqual(llm.map((c) => c.group), ['comments', 'naming']);
    assert.ok(Math.abs(llm[0]!.share - 0.8) < 1e-12);
    assert.equal(llm[0]!.name, 'comment and docstring style');
    assert.deepEqual(cueGroups(PY, 'python', toks, { sign: -1 }).map((c) => c.group), ['structure']);
    assert.deepEqual(cueGroups(PY, 'python', [], { sign: 1 }), []);
  });
});

describe('origin verdicts on the real model (onnxruntime-node)', function () {
  this.timeout(240_000);
  const made: string[] = [];
  const opened: OriginModel[] = [];
  const open = (patch: Record<string, unknown>): OriginModel => {
    const dir = modelVariant(patch);
    made.push(dir);
    const m = OriginModel.open(dir);
    opened.push(m);
    return m;
  };
  let p: number;
  before(async function () {
    requireModel(this);
    // the shipped input (raw or canonical) without a verdict block: the p every variant below shares
    const base = open({ verdict: null });
    p = (await base.classify(SMALL_JAVA, { language: 'java' })).p_llm;
  });
  after(async () => {
    await Promise.all(opened.map((m) => m.dispose()));
    for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  });

  it('thresholds around the document\'s p give each of the three verdicts', async () => {
    // relative steps: p may sit anywhere in (0, 1), very near 0 included
    const lo = p / 2;
    const hi = p + (1 - p) / 2;
    const cases: Array<[number, number, string]> = [[lo, lo / 2, 'llm'], [hi, lo, 'inconclusive'], [hi + (1 - hi) / 2, hi, 'human']];
    for (const [llm, human, want] of cases) {
      const c = await open({ verdict: verdictBlock({ llm, human }) }).classify(SMALL_JAVA, { language: 'java' });
      assert.ok(Math.abs(c.p_llm - p) < 1e-6);
      assert.equal(c.label, want, `p ${p}, thresholds ${human}/${llm}`);
      if (want === 'inconclusive') assert.match(c.reason!, /between thresholds/);
      const pc = c.p_calibrated;
      assert.ok(Math.abs(pc - (p <= 0.5 ? 0.02 + (p / 0.5) * 0.38 : 0.4 + ((p - 0.5) / 0.5) * 0.57)) < 1e-9);
      assert.ok(Math.abs(c.confidence - (want === 'human' ? 1 - pc : pc)) < 1e-12);
    }
  });

  it('abstains for a language outside evaluated_languages; the option turns the verdict on; legacy folders judge every language', async () => {
    const m = open({ verdict: verdictBlock({ llm: 0.5, human: 0.5, languages: ['python'] }) });
    const off = await m.classify(SMALL_JAVA, { language: 'java' });
    assert.equal(off.label, 'inconclusive');
    assert.equal(off.reason, 'not evaluated for Java');
    const on = await m.classify(SMALL_JAVA, { language: 'java', unevaluatedLanguages: true });
    assert.equal(on.label, p >= 0.5 ? 'llm' : 'human');
    assert.notEqual((await m.classify(SMALL_PY, { language: 'python' })).label, 'inconclusive');
    const legacy = open({ verdict: null });
    assert.notEqual((await legacy.classify(SMALL_JAVA, { language: 'go' })).label, 'inconclusive');
  });
});

/** The same Java program as SMALL_JAVA, as a different formatter (one-line braces, tabs, tight operators) writes it. */
const SMALL_JAVA_REFORMATTED = `import java.util.*;
public class Main
{
\tpublic static void main(String[] args)
\t{
\t\tScanner sc=new Scanner(System.in);
\t\tint t=sc.nextInt();
\t\tfor(int c=1;c<=t;c++)
\t\t{
\t\t\tlong n=sc.nextLong(),best=0;
\t\t\tfor(long k=1;k*k<=n;k++)
\t\t\t\tif(n%k==0) best=Math.max(best,k);
\t\t\tSystem.out.println("Case #"+c+": "+best);
\t\t}
\t}
}
`;

describe('origin canonical input (tokens-v1) through the model', function () {
  this.timeout(240_000);
  let dir: string | undefined;
  let m: OriginModel | undefined;
  before(function () {
    requireModel(this);
    dir = modelVariant({ input: { canonicalization: 'tokens-v1' } });
    m = OriginModel.open(dir);
  });
  after(async () => {
    await m?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two formattings of one program get the identical model input and p(LLM); raw input differs', async () => {
    const a = await m!.input(SMALL_JAVA, 'java');
    const b = await m!.input(SMALL_JAVA_REFORMATTED, 'java');
    assert.equal(a.text, b.text);
    const [ca, cb] = await m!.classifyMany([SMALL_JAVA, SMALL_JAVA_REFORMATTED], { language: 'java' });
    assert.equal(ca!.p_llm, cb!.p_llm);
    assert.equal(ca!.label, cb!.label);
    const rawDir = modelVariant({ input: null });
    const raw = OriginModel.open(rawDir);
    try {
      const [ra, rb] = await raw.classifyMany([SMALL_JAVA, SMALL_JAVA_REFORMATTED], { language: 'java' });
      assert.notEqual(ra!.p_llm, rb!.p_llm); // the raw-text model reads layout
      console.log(`      p(LLM) raw ${ra!.p_llm.toFixed(4)} vs ${rb!.p_llm.toFixed(4)}; tokens-v1 ${ca!.p_llm.toFixed(4)} for both`);
    } finally {
      await raw.dispose();
      fs.rmSync(rawDir, { recursive: true, force: true });
    }
  });

  it('window and token ranges point at the right SOURCE text', async () => {
    const src = SMALL_JAVA_REFORMATTED;
    const input = await m!.input(src, 'java');
    const canonical = m!.windows(input.text).windows[0]!;
    const mapped = (await m!.sourceWindows(src, 'java')).windows[0]!;
    assert.equal(mapped.start, src.indexOf('import'));
    assert.equal(mapped.end, src.lastIndexOf('}') + 1);
    let words = 0;
    for (let i = 1; i < canonical.ids.length - 1; i++) {
      const ct = input.text.slice(canonical.starts[i], canonical.ends[i]).trim();
      const st = src.slice(mapped.starts[i], mapped.ends[i]);
      assert.ok(mapped.starts[i]! >= 0 && mapped.ends[i]! <= src.length && mapped.starts[i]! <= mapped.ends[i]!);
      // Identifiers, keywords and numbers are copied verbatim: the source span is exactly that text.
      if (/^[A-Za-z0-9_]+$/.test(ct)) {
        words++;
        assert.equal(st, ct, `token ${i}`);
      }
    }
    assert.ok(words >= 40, `${words} word tokens`);
    const sp = sourceSpan(input.map!, input.text.indexOf('Scanner'), input.text.indexOf('Scanner') + 7);
    assert.equal(src.slice(sp.start, sp.end), 'Scanner');
  });

  it('explanations highlight source text, not canonical text', async function () {
    if (!hasAttribution()) this.skip();
    const e = await m!.explain(SMALL_JAVA_REFORMATTED, { language: 'java', steps: 4 });
    assert.ok(e.tokens.length > 40);
    for (const t of e.tokens) assert.equal(SMALL_JAVA_REFORMATTED.slice(t.start, t.end), t.text);
    // The pieces of the first `Scanner` cover exactly that word of the source.
    const at = SMALL_JAVA_REFORMATTED.indexOf('Scanner');
    const pieces = e.tokens.filter((t) => t.end > at && t.start < at + 7);
    assert.equal(pieces.map((t) => t.text).join('').trim(), 'Scanner', JSON.stringify(pieces));
    const range = { start: SMALL_JAVA_REFORMATTED.indexOf('for(long'), end: SMALL_JAVA_REFORMATTED.lastIndexOf('System') };
    const part = await m!.explain(SMALL_JAVA_REFORMATTED, { language: 'java', steps: 4, range });
    assert.ok(part.tokens.length > 5, JSON.stringify({ range, toks: part.tokens.map((t) => [t.start, t.end, t.text]) }));
    for (const t of part.tokens) assert.ok(t.end > range.start && t.start < range.end);
  });
});
