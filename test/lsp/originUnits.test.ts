// The units the origin model judges (functions, methods, classes with their doc comments and decorators),
// the origin settings reader, and the minified-code check.
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { findUnits, unitAt, unitAtName } from '../../server/src/origin/units';
import { DEFAULT_ORIGIN_SETTINGS, readOriginSettings } from '../../server/src/lsp/origin/settings';
import { looksMinified } from '../../server/src/lsp/origin/text';
import { verdictExplanation, verdictText } from '../../server/src/lsp/origin/hover';

describe('origin units', () => {
  it('Python: classes, methods with decorators and comments, named functions; no callbacks or keyword lambdas', async () => {
    const src = [
      '# helpers',
      'class Box:',
      '    """A box."""',
      '    # the size',
      '    @property',
      '    def size(self):',
      '        return 1',
      '',
      'def top(xs):',
      '    return sorted(xs, key=lambda x: -x)',
      'double = lambda v: v * 2',
      '',
    ].join('\n');
    const units = await findUnits(src, 'python');
    assert.deepEqual(units.map((u) => [u.name, u.kind]), [['Box', 'class'], ['size', 'method'], ['top', 'function'], ['double', 'function']]);
    const size = units[1]!;
    assert.equal(src.slice(size.start, size.end), '# the size\n    @property\n    def size(self):\n        return 1');
    assert.deepEqual(size.name_range, { start: { line: 5, character: 8 }, end: { line: 5, character: 12 } });
    assert.equal(src.slice(units[0]!.start, units[0]!.end).startsWith('# helpers\nclass Box:'), true);
    assert.equal(unitAtName(units, { line: 5, character: 9 })?.name, 'size');
    assert.equal(unitAt(units, { line: 6, character: 10 })?.name, 'size');
    assert.equal(unitAt(units, { line: 2, character: 4 })?.name, 'Box');
    assert.equal(unitAtName(units, { line: 6, character: 10 }), undefined);
  });

  it('JavaScript / TypeScript: JSDoc, exports and arrow functions bound to names; callbacks are not units', async () => {
    const src = [
      '/** Adds. */',
      'export function add(a, b) { return a + b; }',
      'const twice = (f) => (x) => f(f(x));',
      'class Q { push(v) { this.v = v; } }',
      '[1, 2].map((n) => n + 1);',
    ].join('\n');
    const units = await findUnits(src, 'javascript');
    assert.deepEqual(units.map((u) => [u.name, u.kind]), [['add', 'function'], ['twice', 'function'], ['Q', 'class'], ['push', 'method']]);
    assert.equal(src.slice(units[0]!.start, units[0]!.end), '/** Adds. */\nexport function add(a, b) { return a + b; }');
    assert.equal(src.slice(units[1]!.start, units[1]!.end), 'const twice = (f) => (x) => f(f(x));');
    const ts = await findUnits('interface P { x: number }\nfunction f(p: P): number { return p.x; }\n', 'typescript');
    assert.deepEqual(ts.map((u) => [u.name, u.kind]), [['P', 'class'], ['f', 'function']]);
  });

  it('Java, Go, Rust, C and C++ units with UTF-16 offsets after non-ASCII text', async () => {
    const java = await findUnits('// é ü 😀\nclass A {\n  int f() { return 1; }\n  A() {}\n}\n', 'java');
    assert.deepEqual(java.map((u) => [u.name, u.kind]), [['A', 'class'], ['f', 'method'], ['A', 'method']]);
    const go = await findUnits('package m\n// S is.\ntype S struct{ a int }\nfunc (s S) Get() int { return s.a }\nfunc main() {}\n', 'go');
    assert.deepEqual(go.map((u) => [u.name, u.kind]), [['S', 'class'], ['Get', 'function'], ['main', 'function']]);
    const rust = await findUnits('/// doc\nstruct P { x: i32 }\nimpl P { fn get(&self) -> i32 { self.x } }\nfn main() {}\n', 'rust');
    assert.deepEqual(rust.map((u) => u.name), ['P', 'get', 'main']);
    const c = await findUnits('struct pt { int x; };\nstatic int *f(int a) { return 0; }\n', 'c');
    assert.deepEqual(c.map((u) => [u.name, u.kind]), [['pt', 'class'], ['f', 'function']]);
    const cpp = await findUnits('class K { public: int g() { return 2; } };\n', 'cpp');
    assert.deepEqual(cpp.map((u) => [u.name, u.kind]), [['K', 'class'], ['g', 'method']]);
    const text = '// é ü 😀\nclass A {\n  int f() { return 1; }\n  A() {}\n}\n';
    const f = java[1]!;
    assert.equal(text.slice(f.start, f.end), 'int f() { return 1; }');
  });
});

describe('origin settings and checks', () => {
  it('reads codeOrigin.origin.* and keeps defaults for bad values', () => {
    assert.deepEqual(readOriginSettings(undefined), DEFAULT_ORIGIN_SETTINGS);
    const s = readOriginSettings({ enabled: false, modelPath: ' /m ', severity: 'Warning', threshold: 0.8, enabledLanguages: ['python', 'typescript', 'cobol'], minTokens: 10, maxWindows: 0, debounceMs: -1 });
    assert.equal(s.enabled, false);
    assert.equal(s.modelPath, '/m');
    assert.equal(s.severity, DiagnosticSeverity.Warning);
    assert.equal(s.threshold, 0.8);
    assert.deepEqual(s.enabledLanguages, ['python', 'typescript', 'tsx']);
    assert.equal(s.minTokens, 10);
    assert.equal(s.maxWindows, DEFAULT_ORIGIN_SETTINGS.maxWindows);
    assert.equal(s.debounceMs, DEFAULT_ORIGIN_SETTINGS.debounceMs);
    assert.equal(readOriginSettings({ threshold: 1.5 }).threshold, undefined);
    assert.equal(DEFAULT_ORIGIN_SETTINGS.unevaluatedLanguages, false);
    assert.equal(readOriginSettings({ unevaluatedLanguages: true }).unevaluatedLanguages, true);
    assert.equal(readOriginSettings({ unevaluatedLanguages: 'yes' }).unevaluatedLanguages, false);
    assert.equal(readOriginSettings({ threshold: null }).threshold, undefined);
  });

  it("an llm hover says whether the file's rate is shared among its functions (the language has a curve) or not", () => {
    const policy = {
      llmThreshold: 0.9, humanThreshold: 0, legacy: false,
      perLanguage: { java: { fpr: 0.007, tpr: 0.1, n_human: 1000, fpr_curve: [[0.002, 0.99]] as Array<[number, number]> }, python: { fpr: 0.004, tpr: 0.1, n_human: 800 } },
    };
    const v = { label: 'llm' as const, p_llm: 0.995, confidence: 0.9, tokens: 200 };
    assert.match(verdictExplanation(v, policy, 'java').join(' '), /a function's threshold rises with the number judged in its file, so that together they get it no more often/);
    assert.match(verdictExplanation(v, policy, 'python').join(' '), /each function is judged on its own, so a human file with many functions has one flagged more often/);
  });

  it('spots minified code and formats verdicts', () => {
    assert.equal(looksMinified('def f():\n    return 1\n'), false);
    assert.equal(looksMinified(`var a=1;${'b=2;'.repeat(400)}`), true);
    assert.equal(looksMinified(`${'x=1;y=2;z=3;'.repeat(30)}\n`.repeat(20)), true);
    assert.equal(verdictText({ label: 'llm', p_llm: 0.914, tokens: 100 }), 'Likely LLM-generated (about 91%)');
    assert.equal(verdictText({ label: 'human', p_llm: 0.2, tokens: 100 }), 'Likely human-written (about 80%)');
    // the calibrated confidence is what is shown, never 100% or 0%
    assert.equal(verdictText({ label: 'llm', p_llm: 0.9999, confidence: 0.9996, tokens: 100 }), 'Likely LLM-generated (about 99%)');
    assert.equal(verdictText({ label: 'human', p_llm: 0.3, confidence: 0.999, tokens: 100 }), 'Likely human-written (about 99%)');
    assert.equal(verdictText({ label: 'inconclusive', p_llm: 0.6, confidence: 0.5, tokens: 100, reason: 'between thresholds' }), 'Inconclusive');
    assert.equal(verdictText({ label: 'inconclusive', p_llm: 0.99, confidence: 0.9, tokens: 100, reason: 'not evaluated for Go' }), 'Inconclusive (not evaluated for Go)');
    assert.equal(verdictText({ label: 'too-short', tokens: 12 }), 'Too short to judge (12 tokens)');
  });
});
