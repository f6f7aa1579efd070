// The message schema shared by the panel host and the webview, and the panel's CSP page (no browser needed).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../client/src/panel/html';
import { parseHostMessage, parseReport, parseState, parseWebviewMessage } from '../../webview/src/protocol';
import { buildModel, clusterOrder, clustersAt, histogram, snippetLines } from '../../webview/src/model';

const report = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'webview', 'fixtures', 'report.json'), 'utf8'));

describe('similarity panel protocol', () => {
  it('accepts the CLI report and the messages the host sends', () => {
    assert.equal(parseReport(report).ok, true);
    assert.equal(parseHostMessage({ type: 'analysis', report }).ok, true);
    assert.equal(parseHostMessage({ type: 'fileContents', path: 'a.py', text: 'x = 1\n' }).ok, true);
    assert.equal(parseHostMessage({ type: 'fileContents', path: 'a.py', error: 'gone' }).ok, true);
    assert.equal(parseHostMessage({ type: 'showTab', tab: 'matrix' }).ok, true);
    assert.equal(parseHostMessage({ type: 'clear' }).ok, true);
    const withJudge = structuredClone(report);
    withJudge.similarity.pairs[0].llm_verdict = { classification: 'plagiarism', confidence: 0.9 };
    withJudge.similarity.pairs[0].refined_verdict = { refined_classification: 'copied', refined_risk_level: 'high', reasoning: 'same loops', extra: [1] };
    withJudge.llm_summary = { summary: 'two groups', pairs_judged: 3 };
    assert.equal(parseReport(withJudge).ok, true);
    const noMatrix = { ...report, matrix: { files: report.matrix.files, values: null, note: 'too big' } };
    assert.equal(parseReport(noMatrix).ok, true);
  });

  it('rejects malformed and unknown messages with a reason', () => {
    const bad = (m: unknown) => {
      const r = parseHostMessage(m);
      assert.equal(r.ok, false);
      return (r as { error: string }).error;
    };
    assert.match(bad(null), /not an object/);
    assert.match(bad({ type: 'eval', code: 'x' }), /unknown message type/);
    assert.match(bad({ type: '__proto__' }), /unknown message type/);
    assert.match(bad({ type: 'analysis', report: { ...report, summary: { ...report.summary, total_files: -1 } } }), /total_files/);
    assert.match(bad({ type: 'analysis', report: { ...report, matrix: { files: ['a', 'b'], values: [[1]] } } }), /rows and files differ|not square/);
    assert.match(bad({ type: 'analysis', report: { ...report, matrix: { files: ['a'], values: [[NaN]] } } }), /finite number/);
    assert.match(bad({ type: 'fileContents', path: 'x'.repeat(5000) }), /longer than/);
    assert.match(bad({ type: 'showTab', tab: 'settings' }), /one of/);
    const region = structuredClone(report);
    region.similarity.pairs[0].matching_regions[0].file1_lines = [9, 3];
    assert.match(bad({ type: 'analysis', report: region }), /end before start/);
    // The error names the exact place, however deep.
    assert.equal(bad({ type: 'analysis', report: { ...report, similarity: { pairs: [report.similarity.pairs[0], { file1: 'a' }] } } }),
      'host message: analysis.report.similarity.pairs[1].file2: expected a string');
    assert.equal(bad({ type: 'analysis', report: { ...report, matrix: { files: ['a', 'b'], values: [[1, 0], [0, 'x']] } } }),
      'host message: analysis.report.matrix.values[1][1]: expected a finite number');
    const leaf = (type: string, start_line = 1) => ({ type, start_line, end_line: 2, children: [] });
    const ast = { language: 'python', node_count: 4, total_named_nodes: 4, truncated: false, root: { ...leaf('module'), children: [leaf('a'), { ...leaf('b'), children: [leaf('c'), leaf('d', -1)] }] } };
    assert.equal(parseHostMessage({ type: 'ast', path: 'a.py', ast }).ok, false);
    assert.equal(bad({ type: 'ast', path: 'a.py', ast }), 'host message: ast.ast.root.children[1].children[1].start_line: expected an integer ≥ 0');
    assert.equal(parseHostMessage({ type: 'ast', path: 'a.py', ast: { ...ast, root: { ...ast.root, children: [leaf('a')] } } }).ok, true);
    assert.equal(parseReport({ ...report, files: [{ path: 3 }] }).ok, false);
    assert.equal((parseReport({ ...report, files: [{ path: 3 }] }) as { error: string }).error, 'report.files[0].path: expected a string');
  });

  it('checks what the webview posts', () => {
    assert.equal(parseWebviewMessage({ type: 'ready' }).ok, true);
    assert.equal(parseWebviewMessage({ type: 'openPair', file1: 'a', file2: 'b' }).ok, true);
    assert.equal(parseWebviewMessage({ type: 'openFile', path: 'a', line: 3, endLine: 9 }).ok, true);
    assert.equal(parseWebviewMessage({ type: 'requestFile', path: 'a' }).ok, true);
    assert.equal(parseWebviewMessage({ type: 'requestAst', path: 'a' }).ok, true);
    assert.equal(parseWebviewMessage({ type: 'openFile', path: 'a', line: 0 }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'openFile', path: 'a', line: 1.5 }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'requestFile' }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'runCommand', command: 'rm' }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'log', level: 'debug', message: 'x' }).ok, false);
  });

  it('keeps only well-formed state', () => {
    assert.equal(parseState(undefined), undefined);
    assert.equal(parseState({ v: 1, tab: 'nope' }), undefined);
    assert.deepEqual(parseState({ v: 1, tab: 'pair', threshold: 2, pair: { file1: 'a', file2: 'b' } }), { v: 1, tab: 'pair', pair: { file1: 'a', file2: 'b' } });
    assert.equal(parseState({ v: 1, tab: 'matrix', report: { nope: 1 } })?.report, undefined);
  });
});

describe('similarity panel model', () => {
  it('orders clusters together, clusters at any threshold like the CLI, bins scores', () => {
    const m = buildModel(report);
    assert.equal(m.n, report.matrix.files.length);
    const atCli = clustersAt(m, m.clusterThreshold).map((c) => c.members.map((i) => m.names[i]).sort());
    assert.deepEqual(atCli, report.clusters.map((c: { files: string[] }) => [...c.files].sort()));
    const order = clusterOrder(m, clustersAt(m, m.clusterThreshold));
    assert.deepEqual([...order].sort((a, b) => a - b), [...Array(m.n).keys()]);
    assert.equal(histogram(m).reduce((a, b) => a + b, 0), report.similarity.pairs.length);
    assert.ok(clustersAt(m, 0.4).some((c) => c.members.length === 3));
  });

  it('reads region code with the CLI\'s line prefixes', () => {
    assert.deepEqual(snippetLines('4: def f():\n5:     return 1\n', 4), [{ line: 4, text: 'def f():' }, { line: 5, text: '    return 1' }]);
    assert.deepEqual(snippetLines('a\nb', 10), [{ line: 10, text: 'a' }, { line: 11, text: 'b' }]);
  });
});

describe('similarity panel page', () => {
  it('has a strict CSP with a nonce, no inline code, no remote resources', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(nonce, makeNonce());
    const html = panelHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce, scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js', styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.css' });
    const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', nonce);
    assert.ok(html.includes(csp.replace(/'/g, "'")));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0]!.includes(`nonce="${nonce}"`) && scripts[0]!.includes('src='));
    assert.doesNotMatch(html, /<script[^>]*>[^<]/); // no inline script body
    assert.doesNotMatch(html, /\son[a-z]+=/i); // no inline handlers
    assert.doesNotMatch(html, /<style/); // no inline style block
    assert.throws(() => panelHtml({ cspSource: 'x', nonce: 'short', scriptUri: 'a', styleUri: 'b' }));
  });
});
