// Runs inside a desktop VS Code with Code Origin under development (see ../run.js).
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const EXAMPLES = process.env.CODE_ORIGIN_EXAMPLES || path.resolve(__dirname, '../../../examples');
const PY = path.join(EXAMPLES, 'python', 'inventory.py');
const METRICS = ['ast_depth', 'function_count', 'class_count', 'loop_count', 'if_count',
  'basic_cyclomatic_complexity', 'total_subtrees', 'unique_subtrees', 'lines_of_code'];

async function until(what, fn, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('Code Origin in desktop VS Code', function () {
  let doc;

  before(async () => {
    doc = await vscode.workspace.openTextDocument(PY);
    await vscode.window.showTextDocument(doc);
  });

  it('activates on a Python file', async () => {
    const ext = vscode.extensions.getExtension('code-origin.code-origin');
    assert.ok(ext, 'extension code-origin.code-origin is not installed');
    await until('activation', () => ext.isActive);
  });

  it('hover on a function name shows its metrics', async () => {
    const text = doc.getText();
    const m = /^def\s+([A-Za-z_]\w*)/m.exec(text);
    assert.ok(m, 'no top-level function in inventory.py');
    const pos = doc.positionAt(m.index + m[0].length - 1);
    const hoverText = await until('a Code Origin hover', async () => {
      const hovers = (await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos)) || [];
      const all = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
      return all.includes('**Code Origin**') ? all : undefined;
    });
    assert.match(hoverText, /Cyclomatic complexity/);
    assert.match(hoverText, /Lines of code/);
  });

  it('"Show Structure Summary" opens the summary with the metrics', async () => {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('codeOrigin.showStructureSummary');
    const summary = await until('the summary document', () =>
      vscode.window.visibleTextEditors.map((e) => e.document).find((d) => d.uri.scheme === 'code-origin' && /Structure summary/.test(d.uri.path)));
    const body = summary.getText();
    for (const k of METRICS) assert.ok(body.includes(k), `summary lacks ${k}`);
    assert.match(body, /restock_report/);
  });
});
