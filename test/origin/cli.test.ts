// `code-origin classify` as a user runs it: a separate process on the bundled CLI and the shipped model.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  CLI, hasAttribution, longSource, MODEL_DIR, modelVariant, requireModel, SHIPPED_MODEL_DIR, SMALL_JAVA, SMALL_PY, tempDir, verdictBlock,
} from './helpers';
import { parseManifest } from '../../server/src/origin/manifest';

function run(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(process.execPath, [CLI, 'classify', ...args], {
    // CODE_ORIGIN_MODEL unset: the CLI finds the model beside its bundle (unless the tests target another folder)
    encoding: 'utf8', input: opts.input, env: { ...process.env, CODE_ORIGIN_MODEL: MODEL_DIR === SHIPPED_MODEL_DIR ? '' : MODEL_DIR, ...opts.env },
  });
}

interface Entry {
  path: string;
  language?: string;
  label?: string;
  p_llm?: number;
  windows?: number;
  truncated?: boolean;
  reason?: string;
  top_tokens?: Array<{ text: string; score: number; line: number; column: number; start: number; end: number }>;
  top_tokens_for?: string;
  explain_error?: string;
  error?: string;
}

describe('code-origin classify (CLI)', function () {
  this.timeout(600000); // every case starts the CLI, and IG runs 33 forward+backward passes per window
  let dir: string;
  let py: string;
  let java: string;
  before(function () {
    requireModel(this);
    dir = tempDir();
    py = path.join(dir, 'avg.py');
    java = path.join(dir, 'Main.java');
    fs.writeFileSync(py, SMALL_PY);
    fs.writeFileSync(java, SMALL_JAVA);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('writes JSON with one entry per file (default model beside the bundle)', () => {
    const r = run([py, java, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { model: { name: string; dir: string }; files: Entry[] };
    assert.equal(out.model.dir, MODEL_DIR); // dist/cli.js → ../models/code-origin-small
    assert.deepEqual(out.files.map((f) => [f.path, f.language, f.windows]), [[py, 'python', 1], [java, 'java', 1]]);
    for (const f of out.files) {
      assert.ok(f.p_llm! >= 0 && f.p_llm! <= 1);
      assert.ok(f.label === 'human' || f.label === 'llm' || f.label === 'inconclusive', f.label);
      assert.equal(f.top_tokens, undefined);
    }
  });

  it("the model's min_tokens: a tiny file is inconclusive as too short, and units under it are too short to judge", function () {
    const min = parseManifest(JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8'))).verdict.minTokens;
    if (!min) this.skip();
    const own = tempDir();
    const tiny = path.join(own, 'Tiny.java');
    fs.writeFileSync(tiny, 'class Tiny {\n  int inc(int x) { return x + 1; }\n}\n');
    const r = run([tiny, path.resolve('examples/origin/human_like.py'), '--format', 'json', '--units']);
    fs.rmSync(own, { recursive: true, force: true });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { files: Array<Entry & { reason?: string; units?: Array<{ name: string; tokens: number; label: string }> }> };
    assert.equal(out.files[0]!.label, 'inconclusive');
    assert.match(out.files[0]!.reason!, new RegExp(`^too short to judge: \\d+ tokens \\(verdicts hold from ${min}\\)$`));
    const units = out.files[1]!.units!;
    assert.ok(units.some((u) => u.tokens >= 48 && u.tokens < min), 'a unit between the old minimum (48) and the model\'s');
    for (const u of units) assert.equal(u.label === 'too-short', u.tokens < min, `${u.name}: ${u.tokens} tokens, ${u.label}`);
  });

  it('writes JSON lines and a table', () => {
    const r = run([py, java, '--format', 'jsonl']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Entry);
    assert.deepEqual(lines.map((l) => l.path), [py, java]);
    const t = run([dir]);
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /^file\s+language\s+label\s+confidence\s+p_llm\s+windows\s+note/m);
    // the table shows the same three-way verdict and p as the JSON lines, and why when inconclusive
    const avg = lines[0]!;
    // an inconclusive verdict's number is the chance of LLM code, named so; none where the score is no evidence
    const conf = avg.label !== 'inconclusive' ? 'about \\d{1,2}%\\s+' : avg.reason?.startsWith('between') ? 'P\\(LLM\\) about \\d{1,2}%\\s+' : '';
    assert.match(t.stdout, new RegExp(`avg\\.py\\s+python\\s+${avg.label}\\s+${conf}${avg.p_llm!.toFixed(4)}\\s+1`));
    if (avg.label === 'inconclusive') assert.match(t.stdout, /avg\.py.*\s1\s+(between thresholds|not evaluated for|too short to judge)/);
  });

  it('explains with --explain --top', function () {
    if (!hasAttribution()) this.skip();
    const r = run([java, '--format', 'json', '--explain', '--top', '3']);
    assert.equal(r.status, 0, r.stderr);
    const f = (JSON.parse(r.stdout) as { files: Entry[] }).files[0]!;
    assert.equal(f.top_tokens!.length, 3);
    for (const t of f.top_tokens!) {
      assert.equal(SMALL_JAVA.slice(t.start, t.end), t.text);
      assert.ok(t.line >= 1 && t.column >= 1);
    }
    // the explained class: the verdict, or llm for an inconclusive one
    assert.equal(f.top_tokens_for, f.label === 'human' ? 'human' : 'llm');
    const table = run([java, '--explain', '--top', '2', '--steps', '4']);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /tokens that weigh most for "(human|llm)"/);
  });

  it('classifies --input-jsonl records in order, with errors for bad lines', () => {
    const input = path.join(dir, 'in.jsonl');
    const records = [
      JSON.stringify({ id: 'a', code: SMALL_PY, language: 'python' }),
      '{not json',
      JSON.stringify({ id: 7, code: SMALL_JAVA }),
      '',
      JSON.stringify({ id: 'c' }),
      JSON.stringify({ id: 'd', code: longSource(40) }),
    ];
    fs.writeFileSync(input, records.join('\n') + '\n');
    const r = run(['--input-jsonl', input]);
    assert.equal(r.status, 1, r.stderr);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: unknown; label?: string; p_llm?: number; error?: string });
    assert.deepEqual(out.map((o) => o.id), ['a', null, 7, 'c', 'd']);
    // `reason` only where the verdict is inconclusive
    assert.deepEqual(Object.keys(out[0]!), ['id', 'label', 'p_llm', 'confidence', ...(out[0]!.label === 'inconclusive' ? ['reason'] : [])]);
    assert.ok(['human', 'llm', 'inconclusive'].includes(out[0]!.label!), out[0]!.label);
    assert.match(out[1]!.error!, /line 2: invalid JSON/);
    assert.match(out[3]!.error!, /line 5: "code" must be a string/);
    assert.match(r.stderr, /line 2: invalid JSON/);
    // the same records without the bad ones, from stdin: exit 0 and the same probabilities
    const good = [records[0], records[2], records[5]].join('\n');
    const s = run(['--input-jsonl', '-'], { input: good });
    assert.equal(s.status, 0, s.stderr);
    const out2 = s.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: unknown; p_llm: number });
    assert.deepEqual(out2.map((o) => o.p_llm), [out[0]!.p_llm, out[2]!.p_llm, out[4]!.p_llm]);
  });

  it('reports binary and invalid files as errors, classifies unknown languages as "unknown", marks truncation', () => {
    const bin = path.join(dir, 'x.py');
    const bad = path.join(dir, 'latin1.c');
    const txt = path.join(dir, 'notes.txt');
    const long = path.join(dir, 'long.py');
    fs.writeFileSync(bin, Buffer.from([0x64, 0x65, 0x66, 0, 1, 2]));
    fs.writeFileSync(bad, Buffer.from('int main() { return 0; } /* caf\xe9 */', 'latin1'));
    fs.writeFileSync(txt, SMALL_PY);
    fs.writeFileSync(long, longSource(80));
    try {
      const r = run([bin, bad, txt, long, '--format', 'json', '--max-windows', '2']);
      assert.equal(r.status, 1);
      const files = (JSON.parse(r.stdout) as { files: Entry[] }).files;
      assert.equal(files[0]!.error, 'binary file (contains NUL bytes)');
      assert.match(files[1]!.error!, /invalid UTF-8 at byte/);
      assert.equal(files[2]!.language, 'unknown');
      assert.ok(files[2]!.p_llm !== undefined);
      assert.equal(files[3]!.truncated, true);
      assert.equal(files[3]!.windows, 2);
      assert.match(r.stderr, /x\.py: skipped: binary file/);
      assert.match(r.stderr, /long\.py: long file: only its first 2 windows were classified/);
    } finally {
      for (const f of [bin, bad, txt, long]) fs.rmSync(f);
    }
  });

  it('exits 2 on usage errors', () => {
    for (const args of [[], [py, '--input-jsonl', 'x.jsonl'], [py, '--format', 'xml'], [py, '--top', '0'], [path.join(dir, 'missing.py')], [py, '--max-windows', 'lots']]) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.length > 0);
      assert.equal(r.stdout, '');
    }
  });

  it('exits 1 with one clear message for a missing or corrupt model folder', () => {
    const bad = tempDir();
    try {
      fs.copyFileSync(path.join(MODEL_DIR, 'manifest.json'), path.join(bad, 'manifest.json'));
      fs.copyFileSync(path.join(MODEL_DIR, 'tokenizer.json'), path.join(bad, 'tokenizer.json'));
      const manifest = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8')) as { files?: { model?: string } };
      fs.writeFileSync(path.join(bad, manifest.files?.model ?? 'model.onnx'), 'garbage, not protobuf');
      const r = run([py, '--model', bad]);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^code-origin: model folder .*: model\.onnx cannot be loaded by onnxruntime/);
      const e = run([py], { env: { CODE_ORIGIN_MODEL: path.join(bad, 'nope') } });
      assert.equal(e.status, 1);
      assert.match(e.stderr, /^code-origin: model folder .*nope: folder not found\n$/);
      fs.rmSync(path.join(bad, 'manifest.json'));
      const m = run([py, '--model', bad]);
      assert.equal(m.status, 1);
      assert.match(m.stderr, /manifest\.json is missing/);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });

  it('classifies with a classifier-only folder and says clearly that --explain is unavailable', () => {
    const bare = tempDir();
    try {
      for (const f of ['manifest.json', 'tokenizer.json', 'model.onnx']) fs.copyFileSync(path.join(MODEL_DIR, f), path.join(bare, f));
      const r = run([py, '--model', bare, '--explain', '--format', 'json']);
      assert.equal(r.status, 1);
      const f = (JSON.parse(r.stdout) as { files: Entry[] }).files[0]!;
      assert.ok(f.p_llm !== undefined);
      assert.match(f.explain_error!, /explanations are unavailable/);
      assert.match(r.stderr, /explanations are unavailable .*attribution\.onnx is missing/);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it('three-way labels with a verdict manifest: "inconclusive" for an unevaluated language, --unevaluated-languages turns it on', () => {
    const variant = modelVariant({ verdict: verdictBlock({ llm: 0.99, human: 0.001, languages: ['python'] }) });
    try {
      const input = [
        JSON.stringify({ id: 'j', code: SMALL_JAVA, language: 'java' }),
        JSON.stringify({ id: 'p', code: SMALL_PY, language: 'python' }),
        JSON.stringify({ id: 'x', code: SMALL_PY }),
        JSON.stringify({ id: 'php', code: '<?php\nfunction area($w, $h) {\n    return $w * $h;\n}\necho area(3, 4);\n', language: 'PHP' }),
      ].join('\n');
      const r = run(['--input-jsonl', '-', '--model', variant], { input });
      assert.equal(r.status, 0, r.stderr);
      const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; label: string; p_llm: number; confidence: number; reason?: string });
      assert.equal(out[0]!.label, 'inconclusive');
      assert.equal(out[0]!.reason, 'not evaluated for Java');
      assert.ok(['llm', 'human', 'inconclusive'].includes(out[1]!.label));
      assert.ok(out[1]!.reason === undefined || /between thresholds/.test(out[1]!.reason));
      assert.equal(out[2]!.label, 'inconclusive'); // no language given: unknown, not evaluated
      assert.match(out[2]!.reason!, /language unknown/);
      assert.equal(out[3]!.reason, 'not evaluated for PHP'); // a language the runtime does not parse keeps its name
      for (const o of out) assert.ok(o.confidence > 0 && o.confidence < 1);
      // --language fills in records without one; the flag gives verdicts for unevaluated languages
      const forced = run(['--input-jsonl', '-', '--model', variant, '--language', 'python'], { input });
      assert.equal((JSON.parse(forced.stdout.trim().split('\n')[2]!) as { label: string }).label, out[1]!.label);
      const on = run(['--input-jsonl', '-', '--model', variant, '--unevaluated-languages'], { input });
      const j = JSON.parse(on.stdout.trim().split('\n')[0]!) as { label: string; reason?: string; p_llm: number };
      assert.notEqual(j.reason, 'not evaluated for Java');
      assert.equal(j.label, j.p_llm >= 0.99 ? 'llm' : j.p_llm <= 0.001 ? 'human' : 'inconclusive');
      const t = run([java, '--model', variant]);
      assert.equal(t.status, 0, t.stderr);
      // no number beside a verdict the language has no evidence for (the JSON keeps it)
      assert.match(t.stdout, /Main\.java\s+java\s+inconclusive\s+\d\.\d{4}\s+1\s+not evaluated for Java/);
      assert.doesNotMatch(t.stdout, /Main\.java.*about \d/);
    } finally {
      fs.rmSync(variant, { recursive: true, force: true });
    }
  });

  it('scan: three-way verdicts with calibrated confidence in the table, JSON and HTML report, never 100%', () => {
    const block = verdictBlock({ llm: 0.99, human: 0.001, languages: ['python'] });
    const per = block['per_language'] as Record<string, Record<string, number>>;
    per['java'] = { ...per['java']!, llm_threshold: 0.995 };
    const variant = modelVariant({ verdict: block });
    const html = path.join(dir, 'report.html');
    try {
      const r = spawnSync(process.execPath, [CLI, 'scan', py, java, '--model', variant, '--no-similarity', '--format', 'json', '-o', html], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { model: { human_threshold: number; language_thresholds?: Record<string, number> }; files: Array<Entry & { confidence: number; reason?: string; units?: Array<{ label: string; reason?: string }> }> };
      assert.equal(out.model.human_threshold, 0.001);
      assert.deepEqual(out.model.language_thresholds, { java: 0.995 });
      const j = out.files.find((f) => f.path === java)!;
      assert.equal(j.label, 'inconclusive');
      assert.equal(j.reason, 'not evaluated for Java');
      // units follow their file's language
      assert.ok(j.units!.every((u) => u.label === 'too-short' || u.reason === 'not evaluated for Java'));
      const page = fs.readFileSync(html, 'utf8');
      assert.match(page, /inconclusive \(not evaluated for Java\)/);
      assert.match(page, /LLM at raw p\(LLM\) ≥ 0\.99 \(Java: ≥ (0\.99|1\.00)\), human at ≤ 0\.001/);
      assert.match(page, /Confidence is calibrated and shown between 1% and 99%/);
      assert.match(page, /about \d{1,2}%/);
      assert.doesNotMatch(page, /100%/);
      const on = spawnSync(process.execPath, [CLI, 'scan', java, '--model', variant, '--no-similarity', '--unevaluated-languages'], { encoding: 'utf8' });
      assert.equal(on.status, 0, on.stderr);
      assert.doesNotMatch(on.stdout, /not evaluated for Java/);
      assert.match(on.stdout, /^file\s+language\s+label\s+confidence\s+p_llm/m);
    } finally {
      fs.rmSync(variant, { recursive: true, force: true });
    }
  });
});
