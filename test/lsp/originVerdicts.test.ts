// Issue 19 through the real server over JSON-RPC: a black-formatted copy of a human file gets the same
// diagnostics as the original with a tokens-v1 model; a language outside evaluated_languages gets
// "inconclusive" and no diagnostic until codeOrigin.origin.unevaluatedLanguages is on; hovers say what the
// number means (measured false-positive rate) and which cues drove it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import type { OriginClassifyResult, PredictionHistoryResult } from '../../server/src/lsp/origin/protocol';
import { findUnits } from '../../server/src/origin/units';
import { OriginModel } from '../../server/src/origin/index';
import { hasAttribution, MODEL_DIR, modelVariant, requireModel, verdictBlock } from '../origin/helpers';
import { EXAMPLES, startServer, type Session } from './originHarness';

const ORIGINAL = fs.readFileSync(path.join(EXAMPLES, 'human_like.py'), 'utf8');
/** `black` 23 output for human_like.py (committed, so the test needs no formatter). */
const FORMATTED = fs.readFileSync(path.resolve('test/origin/fixtures/human_like.black.py'), 'utf8');

/** p(LLM) of each unit of the source the server judges (48 model tokens or more, its default minTokens). */
async function unitScores(model: OriginModel, text: string): Promise<number[]> {
  const units = await findUnits(text, 'python');
  const cs = await model.classifyMany(units.map((u) => text.slice(u.start, u.end)), { language: 'python' });
  return cs.filter((c) => c.tokens >= 48).map((c) => c.p_llm);
}

const originDiags = (ds: Diagnostic[] | undefined) => (ds ?? []).filter((d) => d.code === 'llm-generated');

describe('origin verdicts over LSP (issue 19)', function () {
  this.timeout(240_000);
  const made: string[] = [];
  let work: string;
  let s: Session | undefined;

  before(function () {
    requireModel(this);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-verdicts-lsp-'));
    made.push(work);
    fs.writeFileSync(path.join(work, 'human.py'), ORIGINAL);
    fs.writeFileSync(path.join(work, 'human_black.py'), FORMATTED);
  });
  afterEach(async () => {
    await s?.close().catch(() => undefined);
    s = undefined;
  });
  after(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

  it('a black-formatted copy of a human file gets the same diagnostics and verdicts (tokens-v1 model)', async () => {
    assert.notEqual(FORMATTED, ORIGINAL);
    // Thresholds from this model's own scores, so that some units are llm and some are not: the
    // comparison is then about real diagnostics, not two empty lists.
    const probeDir = modelVariant({ input: { canonicalization: 'tokens-v1' } });
    made.push(probeDir);
    const probe = OriginModel.open(probeDir);
    const ps = await unitScores(probe, ORIGINAL);
    const psFormatted = await unitScores(probe, FORMATTED);
    await probe.dispose();
    assert.deepEqual(psFormatted, ps);
    const sorted = [...new Set(ps)].sort((a, b) => b - a);
    assert.ok(sorted.length >= 1, `unit scores ${ps}`);
    const llm = sorted.length >= 2 ? (sorted[0]! + sorted[1]!) / 2 : sorted[0]! * 0.9;
    const dir = modelVariant({ input: { canonicalization: 'tokens-v1' }, verdict: verdictBlock({ llm, human: llm / 2, languages: ['python'] }) });
    made.push(dir);
    s = await startServer(dir, work);
    const a = await s.open(path.join(work, 'human.py'));
    const b = await s.open(path.join(work, 'human_black.py'));
    await s.waitFor(() => s!.diagnostics.has(a) && s!.diagnostics.has(b));
    const shape = (ds: Diagnostic[]) => ds.map((d) => [(d.data as { unit: string }).unit, d.message, d.severity]);
    const da = originDiags(s.diagnostics.get(a));
    assert.ok(da.length >= 1);
    assert.deepEqual(shape(originDiags(s.diagnostics.get(b))), shape(da));
    const ra = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri: a } });
    const rb = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri: b } });
    assert.ok(!('error' in ra) && !('error' in rb));
    const verdicts = (r: typeof ra & { units: unknown[] }) => r.units.map((u) => [u.name, u.label, u.p_llm]);
    assert.deepEqual(verdicts(rb), verdicts(ra));
    assert.equal(rb.file.p_llm, ra.file.p_llm);
    // The diagnostic sits on the unit's name in each document, wherever the formatter moved it.
    for (const [uri, text] of [[a, ORIGINAL], [b, FORMATTED]] as const) {
      const lines = text.split('\n');
      for (const d of originDiags(s.diagnostics.get(uri))) {
        const r = d.range;
        assert.equal(lines[r.start.line]!.slice(r.start.character, r.end.character), (d.data as { unit: string }).unit);
      }
    }
    console.log(`      tokens-v1, llm threshold ${llm.toFixed(4)}: ${da.length} diagnostics on both copies (${shape(da).map((x) => x[0]).join(', ')})`);
  });

  it('an unevaluated language: inconclusive and no diagnostic; the setting turns verdicts on; hovers say what the number means', async function () {
    const raw = OriginModel.open(MODEL_DIR);
    const ps = await unitScores(raw, ORIGINAL);
    await raw.dispose();
    const top = Math.max(...ps);
    // Python is not evaluated here, and has no LLM files in this folder's evaluation (the hover says so);
    // with the setting on, the top unit crosses the llm threshold.
    const block = verdictBlock({ llm: top, human: top / 2, languages: ['java'] });
    const per = block['per_language'] as Record<string, Record<string, number>>;
    per['python'] = { fpr: per['python']!['fpr']!, tpr: per['python']!['tpr']!, n_human: per['python']!['n_human']! };
    const dir = modelVariant({ verdict: block });
    made.push(dir);
    const settings: Record<string, unknown> = {};
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-verdicts-store-'));
    made.push(storage);
    s = await startServer(dir, storage, settings);
    const uri = await s.open(path.join(work, 'human.py'));
    await s.waitFor(() => s!.statuses.get(uri)?.state === 'ready');
    assert.equal(originDiags(s.diagnostics.get(uri)).length, 0);
    const r = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri } });
    assert.ok(!('error' in r));
    assert.equal(r.file.label, 'inconclusive');
    assert.equal(r.file.reason, 'not evaluated for Python');
    const judged = r.units.filter((u) => u.label !== 'too-short');
    assert.ok(judged.length >= 1 && judged.every((u) => u.label === 'inconclusive' && u.reason === 'not evaluated for Python'), JSON.stringify(r.units.map((u) => [u.name, u.label, u.reason])));
    assert.equal(s.statuses.get(uri)?.file?.label, 'inconclusive');
    const hover = await s.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: judged[0]!.name_range.start });
    const md = (hover!.contents as MarkupContent).value;
    assert.match(md, /\*\*Inconclusive: not evaluated for Python\.\*\* The model has no LLM-written Python code to be checked against/);
    assert.match(md, /codeOrigin\.origin\.unevaluatedLanguages/);

    settings['origin'] = { unevaluatedLanguages: true };
    await s.conn.sendNotification('workspace/didChangeConfiguration', { settings: { codeOrigin: settings } });
    await s.waitFor(() => originDiags(s!.diagnostics.get(uri)).length > 0);
    const r2 = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri } });
    assert.ok(!('error' in r2));
    const flagged = r2.units.filter((u) => u.label === 'llm');
    assert.deepEqual(originDiags(s.diagnostics.get(uri)).map((d) => (d.data as { unit: string }).unit), flagged.map((u) => u.name));
    assert.ok(r2.units.every((u) => u.label !== 'inconclusive' || u.reason?.startsWith('between')));
    const u = flagged[0]!;
    assert.ok(u.confidence! > 0 && u.confidence! < 1);
    let md2 = '';
    for (let i = 0; i < 10; i++) {
      const h = await s.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: u.name_range.start });
      md2 = (h!.contents as MarkupContent).value;
      if (!hasAttribution() || md2.includes('Driven mostly by')) break;
    }
    assert.match(md2, /\*\*Likely LLM-generated\*\* \(calibrated confidence about \d{1,2}%\)\./);
    assert.ok(md2.includes('On code from sources the model never saw, about 1 in 250 human Python files gets this verdict. That rate is for a whole file'), md2);
    if (hasAttribution()) assert.match(md2, /Driven mostly by: ((comment and docstring style|identifier naming|string, log and message text|keywords and structure|punctuation and operators|whitespace and layout)(, )?){1,3}\./);
    assert.doesNotMatch(md2, /100%|\b0%/);
    // The history keeps both verdicts of the file, with the calibrated confidence of each.
    const h = await s.conn.sendRequest<PredictionHistoryResult>('codeOrigin/predictionHistory', {});
    assert.ok(!('error' in h), JSON.stringify(h));
    const fileRows = h.rows.filter((row) => row.subject === 'file' && row.file.endsWith('human.py'));
    assert.equal(fileRows.at(-1)!.label, 'inconclusive');
    assert.equal(fileRows[0]!.label, r2.file.label);
    for (const row of fileRows) assert.ok(row.confidence > 0 && row.confidence < 1, JSON.stringify(row));
    console.log(`      ${md2.split('\n').slice(0, 5).join(' ').slice(0, 400)}`);
  });
});
