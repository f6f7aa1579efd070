// Origin analysis through the real server process over JSON-RPC: per-function diagnostics that match what
// the model says for the same text, hovers with top tokens and model stats, codeOrigin/explain ranges inside
// the document, unsupported languages, and a missing model folder that leaves the rest of the server working.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { llmThresholdFor, OriginModel } from '../../server/src/origin/index';
import type { OriginClassifyResult, OriginExplainResult, PredictionHistoryResult } from '../../server/src/lsp/origin/protocol';
import { MODEL_DIR, hasAttribution, requireModel } from '../origin/helpers';
import { EXAMPLES, inside, offsetAt, startServer, type Session } from './originHarness';

describe('origin analysis over LSP', function () {
  this.timeout(240_000);
  let storage: string;
  let s: Session | undefined;
  let model: OriginModel | undefined;

  before(function () {
    requireModel(this);
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-origin-lsp-'));
    model = OriginModel.open(MODEL_DIR);
  });
  after(async () => {
    await s?.close().catch(() => undefined);
    await model?.dispose();
    if (storage) fs.rmSync(storage, { recursive: true, force: true });
  });

  for (const name of ['llm_like.py', 'human_like.py']) {
    it(`${name}: a diagnostic on exactly the units whose p(LLM) reaches the threshold, as the model says for the same text`, async () => {
      s ??= await startServer(MODEL_DIR, storage);
      const file = path.join(EXAMPLES, name);
      const text = fs.readFileSync(file, 'utf8');
      const uri = await s.open(file);
      await s.waitFor(() => s!.statuses.get(uri)?.state === 'ready');
      await s.waitFor(() => s!.diagnostics.has(uri) || (s!.statuses.get(uri)?.llmUnits === 0 && s!.statuses.get(uri)?.file?.label !== 'llm'), 10_000).catch(() => undefined);
      const r = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri } });
      assert.ok(!('error' in r), JSON.stringify(r));
      assert.equal(r.threshold, llmThresholdFor(model!.folder.manifest.verdict, 'python'));
      assert.ok(r.units.length >= 3, `units: ${r.units.map((u) => u.name).join(', ')}`);
      // The file verdict is the model's verdict for the whole text.
      const whole = await model!.classify(text, { language: 'python' });
      assert.ok(Math.abs(whole.p_llm - r.file.p_llm!) < 1e-5, `${whole.p_llm} vs ${r.file.p_llm}`);
      const expected: Diagnostic['range'][] = [];
      for (const u of r.units) {
        assert.ok(inside(text, u.range) && inside(text, u.name_range));
        assert.equal(text.slice(offsetAt(text, u.name_range.start), offsetAt(text, u.name_range.end)), u.name);
        if (u.label === 'too-short') continue;
        const unitText = text.slice(offsetAt(text, u.range.start), offsetAt(text, u.range.end));
        const c = await model!.classify(unitText, { language: 'python' });
        assert.ok(Math.abs(c.p_llm - u.p_llm!) < 1e-5, `${u.name}: ${c.p_llm} vs ${u.p_llm}`);
        // The model's own verdict for the same text: three-way where the folder has a verdict block.
        assert.equal(u.label, c.label);
        if (u.label === 'llm') expected.push(u.name_range);
      }
      const diags = (s.diagnostics.get(uri) ?? []).filter((d) => d.code === 'llm-generated');
      console.log(`      ${name}: file p(LLM) ${r.file.p_llm?.toFixed(3)}; units ${r.units.map((u) => `${u.name} ${u.label}${u.p_llm === undefined ? '' : ` ${u.p_llm.toFixed(3)}`}`).join(', ')}; ${diags.length} diagnostics`);
      if (r.units.every((u) => u.label === 'too-short') && r.file.label === 'llm') expected.push(diags[0]!.range);
      assert.deepEqual(diags.map((d) => d.range), expected);
      for (const d of diags) {
        assert.equal(d.source, 'Code Origin');
        assert.equal(d.severity, 3);
        assert.match(d.message, /^Likely LLM-generated \(about \d{1,2}%\)/);
        assert.equal(d.codeDescription?.href, 'https://github.com/code-origin/code-origin#how-the-origin-verdict-works');
        const c = (d.data as { confidence: number }).confidence;
        assert.ok(d.message.startsWith(`Likely LLM-generated (about ${Math.min(99, Math.max(1, Math.round(c * 100)))}%)`));
      }
      const st = s.statuses.get(uri)!;
      assert.equal(st.file?.label, r.file.label);
      assert.equal(st.llmUnits, expected.length - (r.units.every((u) => u.label === 'too-short') ? expected.length : 0));
    });
  }

  it('a trained model ranks the LLM-style example above the human-like one and flags its functions', async function () {
    // Only for a trained export (its manifest carries test metrics); a mock or random model guesses.
    // Recorded on the hybrid export (transformer + lexical n-grams, threshold 0.511): llm_temperatures.py
    // p 0.97 (llm, most of its functions flagged), human_like.py p 0.070 (human; its one-line `best` is
    // flagged). The older, hand-written llm_like.py (0.56, llm) is printed, not asserted.
    const auc = ((model!.folder.manifest.raw['metrics'] as { test?: { auc?: number } } | undefined)?.test?.auc) ?? 0;
    if (auc < 0.85) this.skip();
    s ??= await startServer(MODEL_DIR, storage);
    const results: Record<string, Extract<OriginClassifyResult, { file: unknown }>> = {};
    for (const name of ['llm_temperatures.py', 'llm_like.py', 'human_like.py']) {
      const file = path.join(EXAMPLES, name);
      const uri = pathToFileURL(file).toString();
      if (!s.statuses.has(uri)) await s.open(file);
      const r = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri } });
      assert.ok(!('error' in r));
      results[name] = r;
    }
    const llm = results['llm_temperatures.py']!;
    const human = results['human_like.py']!;
    const old = results['llm_like.py']!;
    console.log(`      model test AUC ${auc.toFixed(3)}, threshold ${llm.threshold.toFixed(3)}: llm_temperatures.py ${llm.file.label} (p ${llm.file.p_llm?.toFixed(3)}), ` +
      `llm_like.py ${old.file.label} (p ${old.file.p_llm?.toFixed(3)}), human_like.py ${human.file.label} (p ${human.file.p_llm?.toFixed(3)})`);
    assert.ok(llm.file.p_llm! > human.file.p_llm!);
    if (model!.folder.manifest.verdict.legacy) {
      assert.equal(llm.file.label, 'llm');
      assert.equal(human.file.label, 'human');
      assert.ok(llm.units.filter((u) => u.label === 'llm').length >= 2, JSON.stringify(llm.units.map((u) => [u.name, u.label])));
      assert.equal(human.units.find((u) => u.name === 'load')?.label, 'human');
    } else {
      // Three-way: a verdict may abstain, but never points the wrong way, for the file or any function.
      assert.notEqual(llm.file.label, 'human');
      assert.notEqual(human.file.label, 'llm');
      assert.ok(human.units.every((u) => u.label !== 'llm'), JSON.stringify(human.units.map((u) => [u.name, u.label])));
      assert.ok(llm.units.every((u) => u.label !== 'human'), JSON.stringify(llm.units.map((u) => [u.name, u.label])));
    }
  });

  it('hovers a unit with its verdict, top-5 tokens and the model stats', async function () {
    if (!hasAttribution()) this.skip();
    s ??= await startServer(MODEL_DIR, storage);
    const file = path.join(EXAMPLES, 'llm_like.py');
    const uri = pathToFileURL(file).toString();
    if (!s.statuses.has(uri)) await s.open(file);
    await s.waitFor(() => s!.statuses.get(uri)?.state === 'ready');
    const r = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri } });
    assert.ok(!('error' in r));
    const u = r.units.find((x) => x.label !== 'too-short')!;
    const hover = await s.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: u.name_range.start });
    const md = (hover!.contents as MarkupContent).value;
    const pct = Math.min(99, Math.max(1, Math.round(u.confidence! * 100)));
    // A folder without a verdict block is two-way and says its confidence is not calibrated.
    const pol = model!.folder.manifest.verdict;
    const cal = !pol.legacy && pol.calibration ? 'calibrated confidence' : 'uncalibrated confidence';
    const verdict = u.label === 'llm' ? `**Likely LLM-generated** (${cal} about ${pct}%)`
      : u.label === 'human' ? `**Likely human-written** (${cal} about ${pct}%)`
      : u.reason?.startsWith('not evaluated') ? `**Inconclusive: ${u.reason}.**`
      : `**Inconclusive: the evidence is not strong either way** (${cal} P(LLM) about ${pct}%)`;
    assert.ok(md.includes(verdict), md);
    // A language with LLM files in the model's evaluation but no evidence there: the hover gives the measured rates.
    const rates = pol.perLanguage['python'];
    if (u.reason?.startsWith('not evaluated') && (rates?.n_llm ?? 0) >= 100) {
      assert.ok(md.includes(`its LLM verdict hit ${(100 * rates!.tpr).toFixed(1)}% of LLM-written files and ${(100 * rates!.fpr).toFixed(1)}% of human-written ones, which its evaluation does not count as evidence`), md);
    }
    // The score line states the human rule as the manifest has it: a threshold, or never (threshold 0).
    if (!pol.legacy) assert.ok(md.includes(pol.humanThreshold > 0 ? `human at or below ${Number(pol.humanThreshold.toPrecision(2))}` : 'never human'), md);
    assert.match(md, /Top tokens \(Integrated Gradients/);
    const rows = md.split('\n').filter((l) => /^\| `.*` \| \d+ \| [+−]\d+\.\d{3} \|$/.test(l));
    assert.equal(rows.length, 5, md);
    const man = model!.folder.manifest;
    assert.ok(md.includes(`\`${man.name}\` v${man.version}`), md);
    assert.match(md, /parameters · /);
    assert.ok(md.includes(man.architecture ?? 'unknown'));
    assert.match(md, /Integrated Gradients \(32 steps\)/);
    assert.match(md, /orange.*toward LLM.*blue.*toward human/);
    // The function metrics hover is still there, below.
    assert.match(md, /Cyclomatic complexity/);
  });

  it('codeOrigin/explain: token ranges inside the document that cover the reported tokens', async function () {
    if (!hasAttribution()) this.skip();
    s ??= await startServer(MODEL_DIR, storage);
    const file = path.join(EXAMPLES, 'human_like.py');
    const text = fs.readFileSync(file, 'utf8');
    const uri = pathToFileURL(file).toString();
    if (!s.statuses.has(uri)) await s.open(file);
    const r = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri } });
    assert.ok(!('error' in r));
    const u = r.units.find((x) => x.name === 'load')!;
    const e = await s.conn.sendRequest<OriginExplainResult>('codeOrigin/explain', { textDocument: { uri }, position: { line: u.range.start.line + 2, character: 4 } });
    assert.ok(!('error' in e), JSON.stringify(e));
    assert.equal(e.subject, 'function load');
    assert.deepEqual(e.range, u.range);
    assert.ok(e.tokens.length > 20);
    assert.equal(e.top.length, 5);
    const unitStart = offsetAt(text, u.range.start);
    const unitEnd = offsetAt(text, u.range.end);
    for (const t of e.tokens) {
      assert.ok(inside(text, t.range), JSON.stringify(t));
      const a = offsetAt(text, t.range.start);
      const b = offsetAt(text, t.range.end);
      assert.ok(a >= unitStart && b <= unitEnd && a < b);
      assert.equal(text.slice(a, b), t.text);
      assert.ok(Math.abs(t.score) <= e.maxAbs + 1e-12);
    }
    for (const t of e.top) assert.ok(e.tokens.some((x) => x.text === t.text && x.score === t.score && x.range.start.line === t.range.start.line));
    // The whole file, and a selection.
    const whole = await s.conn.sendRequest<OriginExplainResult>('codeOrigin/explain', { textDocument: { uri } });
    assert.ok(!('error' in whole) && whole.subject === 'file' && whole.tokens.every((t) => inside(text, t.range)));
    const sel = { start: { line: 3, character: 0 }, end: { line: 6, character: 0 } };
    const part = await s.conn.sendRequest<OriginExplainResult>('codeOrigin/explain', { textDocument: { uri }, range: sel });
    assert.ok(!('error' in part) && part.subject === 'selection 4–7');
    for (const t of part.tokens) assert.ok(offsetAt(text, t.range.start) >= offsetAt(text, sel.start) && offsetAt(text, t.range.end) <= offsetAt(text, sel.end));
  });

  it('classifies a pasted snippet, records predictions in the history, and exports CSV', async () => {
    s ??= await startServer(MODEL_DIR, storage);
    const snippet = fs.readFileSync(path.join(EXAMPLES, 'llm_like.py'), 'utf8').split('\n').slice(5, 28).join('\n');
    const r = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { text: snippet, languageId: 'python' });
    assert.ok(!('error' in r), JSON.stringify(r));
    assert.ok(r.file.p_llm !== undefined && r.units.length === 0);
    const tiny = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { text: 'x = 1\n', languageId: 'python' });
    assert.ok(!('error' in tiny) && tiny.file.label === 'too-short');
    const h = await s.conn.sendRequest<PredictionHistoryResult>('codeOrigin/predictionHistory', {});
    assert.ok(!('error' in h), JSON.stringify(h));
    assert.ok(h.rows.some((row) => row.subject === 'snippet' && row.file === '(pasted snippet)' && row.model === model!.folder.manifest.name));
    assert.ok(h.rows.some((row) => row.subject === 'file' && row.file.endsWith('llm_like.py')));
    const csv = await s.conn.sendRequest<{ csv: string; rows: number }>('codeOrigin/exportPredictionHistory', {});
    assert.match(csv.csv, /^id,time,file,content_hash,language,model,model_version,subject,label,confidence,p_llm,top_tokens\r\n/);
    assert.equal(csv.csv.trim().split('\r\n').length, csv.rows + 1);
  });

  it('gives no verdict and no diagnostic for an unsupported language or binary content', async () => {
    s ??= await startServer(MODEL_DIR, storage);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-origin-bad-'));
    try {
      const txt = path.join(dir, 'notes.txt');
      fs.writeFileSync(txt, fs.readFileSync(path.join(EXAMPLES, 'llm_like.py')));
      const uri = await s.open(txt, 'plaintext');
      await s.waitFor(() => s!.statuses.get(uri)?.state === 'unavailable');
      assert.match(s.statuses.get(uri)!.message!, /does not support language "plaintext"/);
      const r = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri } });
      assert.ok('error' in r);
      assert.equal((s.diagnostics.get(uri) ?? []).length, 0);
      const bin = path.join(dir, 'blob.py');
      const uriBin = await s.open(bin, 'python', 'def f():\n    return 1\0\0\0\n');
      await s.waitFor(() => s!.statuses.get(uriBin)?.state === 'unavailable');
      assert.match(s.statuses.get(uriBin)!.message!, /binary/);
      const min = path.join(dir, 'min.js');
      const minified = `function a(b){return b+1}${';var x=function(c){return c*2};'.repeat(80)}\n`;
      const uriMin = await s.open(min, 'javascript', minified);
      await s.waitFor(() => s!.statuses.get(uriMin)?.state === 'ready');
      assert.match(s.statuses.get(uriMin)!.message!, /minified/);
      assert.equal((s.diagnostics.get(uriMin) ?? []).length, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a huge file is judged on its first windows and says so', async () => {
    s ??= await startServer(MODEL_DIR, storage);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-origin-big-'));
    try {
      const parts: string[] = [];
      for (let i = 0; i < 600; i++) parts.push(`def step_${i}(state, limit=${i + 3}):\n    acc = 0\n    for k in range(limit):\n        acc += state.get(k, ${i}) * k\n    return acc - ${i}\n\n`);
      const uri = await s.open(path.join(dir, 'big.py'), 'python', parts.join(''));
      await s.waitFor(() => s!.statuses.get(uri)?.state === 'ready');
      const st = s.statuses.get(uri)!;
      assert.equal(st.file?.truncated, true);
      assert.match(st.message!, /only its first 16 windows/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing model folder: one clear error, and the rest of the server keeps working', async () => {
    const storage2 = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-origin-nomodel-'));
    const broken = await startServer(path.join(storage2, 'no-such-model'), storage2);
    try {
      const a = await broken.open(path.join(EXAMPLES, 'llm_like.py'));
      const b = await broken.open(path.join(EXAMPLES, 'human_like.py'));
      await broken.waitFor(() => broken.statuses.get(a)?.state === 'error' && broken.statuses.get(b)?.state === 'error');
      const errors = broken.messages.filter((m) => m.type === 1);
      assert.equal(errors.length, 1, JSON.stringify(broken.messages));
      assert.match(errors[0]!.message, /origin model could not be loaded.*similarity features keep working.*folder not found/);
      assert.equal((broken.diagnostics.get(a) ?? []).length, 0);
      const summary = await broken.conn.sendRequest<{ functions?: unknown[] }>('codeOrigin/structureSummary', { textDocument: { uri: a } });
      assert.ok((summary.functions ?? []).length >= 3);
      const hover = await broken.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: a }, position: { line: 5, character: 6 } });
      assert.match((hover!.contents as MarkupContent).value, /Cyclomatic complexity/);
    } finally {
      await broken.close();
      fs.rmSync(storage2, { recursive: true, force: true });
    }
  });
});
