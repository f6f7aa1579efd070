// The similarity panel's webview bundle in headless Chromium, against a host page that stands in for
// VS Code and posts a real analysis produced by the CLI on test/webview/fixtures/project.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeNonce, panelHtml } from '../../client/src/panel/html';
import type { HostToWebview, SimilarityReport, WebviewToHost } from '../../webview/src/protocol';
import { CHROMIUM, launchChromium, repoRoot, startHost } from './host/server.mjs';

const root = repoRoot();
const fixtures = path.join(root, 'test', 'webview', 'fixtures');
const artifacts = path.join(root, 'test', 'webview', 'artifacts');
const report = JSON.parse(readFileSync(path.join(fixtures, 'report.json'), 'utf8')) as SimilarityReport;
const astFixture = JSON.parse(readFileSync(path.join(fixtures, 'ast-grades.json'), 'utf8'));
const fileText = (p: string) => readFileSync(path.join(fixtures, p), 'utf8');

const GRADES = 'project/grades.py';
const COPY = 'project/marks_copy.py';
const HOSTILE_A = 'project/odd name & "quotes".js';
const HOSTILE_B = 'project/render<script>.js';

describe('similarity panel webview (Chromium)', function () {
  // Generous: CI machines here share their CPU with training runs.
  this.timeout(300_000);
  let browser: Browser;
  let context: BrowserContext;
  let host: { url: string; close(): Promise<void> };
  let page: Page;
  const problems: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`    (skipped: no Chromium at ${CHROMIUM}; install Debian's chromium or set CODE_ORIGIN_CHROMIUM)`);
      this.skip();
    }
    assert.ok(existsSync(path.join(root, 'dist', 'webview', 'main.js')), 'dist/webview/main.js is missing: run node esbuild.mjs first');
    mkdirSync(artifacts, { recursive: true });
    host = await startHost({ panelHtml, makeNonce });
    browser = await launchChromium();
    context = await browser.newContext({ deviceScaleFactor: 1 });
    context.setDefaultTimeout(90_000);
  });

  after(async () => {
    await browser?.close();
    await host?.close();
  });

  async function open(theme = 'light', width = 1200, height = 900): Promise<Page> {
    const p = await context.newPage();
    await p.setViewportSize({ width, height });
    p.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('dialog', (d) => {
      problems.push(`dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    await p.goto(`${host.url}?theme=${theme}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await p.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    return p;
  }

  const post = (p: Page, m: HostToWebview | Record<string, unknown>) => p.evaluate((msg) => window.postMessage(msg, '*'), m);
  const posted = (p: Page) => p.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted);
  async function loadReport(p: Page): Promise<void> {
    await post(p, { type: 'analysis', report });
    await p.waitForFunction((id) => document.body.dataset.analysis === id, report.analysis_id);
  }
  async function tab(p: Page, name: string): Promise<void> {
    await p.click(`#tab-${name}`);
    await p.waitForSelector(`#panel-${name}:not([hidden])`);
  }
  /** Answers the panel's requestFile messages with the fixture files, as the extension would. */
  async function serveFiles(p: Page, paths: string[]): Promise<void> {
    await p.waitForFunction((want) => {
      const got = (window as unknown as { __posted: WebviewToHost[] }).__posted.filter((m) => m.type === 'requestFile').map((m) => (m as { path: string }).path);
      return want.every((w) => got.includes(w));
    }, paths);
    for (const f of paths) await post(p, { type: 'fileContents', path: f, text: fileText(f) });
  }
  async function cellCenter(p: Page, a: string, b: string): Promise<{ x: number; y: number }> {
    return p.evaluate(([fa, fb]) => {
      const c = document.querySelector('.matrix-canvas') as HTMLCanvasElement;
      const order = JSON.parse(c.dataset.order!) as string[];
      const size = Number(c.dataset.cellSize);
      const gutter = Number(c.dataset.gutter);
      const r = c.getBoundingClientRect();
      return { x: r.left + gutter + (order.indexOf(fb!) + 0.5) * size, y: r.top + (order.indexOf(fa!) + 0.5) * size };
    }, [a, b]);
  }

  beforeEach(() => {
    problems.length = 0;
  });
  afterEach(async () => {
    await page?.close();
    assert.deepEqual(problems, [], 'no CSP violation, page error or dialog');
  });

  it('starts with "ready", shows the empty state, then the overview of a posted analysis', async () => {
    page = await open();
    const first = (await posted(page))[0];
    assert.equal(first?.type, 'ready');
    assert.equal(await page.isVisible('.empty'), true);
    await loadReport(page);
    assert.equal(await page.isVisible('.empty'), false);
    const cards = await page.$$eval('.card', (els) => els.map((e) => [e.querySelector('.card-label')!.textContent, e.querySelector('.card-value')!.textContent]));
    assert.deepEqual(cards, [
      ['Files', String(report.summary.total_files)],
      ['Suspicious pairs', String(report.summary.suspicious_pairs_count)],
      ['Highest similarity', report.summary.highest_similarity.toFixed(2)],
      ['Clusters', String(report.summary.cluster_count)],
    ]);
    // Only the bundle and the stand-in are scripts: nothing from the report became one.
    assert.equal(await page.$$eval('script', (s) => s.length), 2);
  });

  it('draws the histogram of pair scores in 20 bins that match the report', async () => {
    page = await open();
    await loadReport(page);
    const counts = await page.$$eval('.histogram .bin', (els) => els.map((e) => Number(e.getAttribute('data-count'))));
    const expected = new Array(20).fill(0);
    for (const p of report.similarity.pairs) expected[Math.min(19, Math.floor(p.similarity_score * 20 + 1e-9))]++;
    assert.deepEqual(counts, expected);
    assert.equal(counts.reduce((a, b) => a + b, 0), report.similarity.pairs.length);
  });

  it('dragging the histogram threshold filters the graph, the clusters and the pair list', async () => {
    page = await open();
    await loadReport(page);
    const rows = async () => page.$$eval('.pairs-table tbody tr', (r) => r.filter((x) => !x.querySelector('.muted')).length);
    const at = (t: number) => report.similarity.pairs.filter((p) => p.similarity_score >= t).length;
    assert.equal(await rows(), at(0.75));
    // Drag the handle to 0.45: the x of a score is read off the axis labels.
    const box = await page.evaluate(() => {
      const ticks = Array.from(document.querySelectorAll('.histogram .tick')).map((t) => t.getBoundingClientRect());
      const handle = document.querySelector('.threshold-handle')!.getBoundingClientRect();
      return { x0: ticks[0]!.left, x1: ticks[4]!.left, hx: handle.left + handle.width / 2, hy: handle.top + 6 };
    });
    await page.mouse.move(box.hx, box.hy);
    await page.mouse.down();
    await page.mouse.move(box.x0 + (box.x1 - box.x0) * 0.6, box.hy, { steps: 4 });
    await page.mouse.move(box.x0 + (box.x1 - box.x0) * 0.452, box.hy, { steps: 4 });
    await page.mouse.up();
    assert.equal(await page.inputValue('#threshold'), '0.45');
    assert.equal(await page.getAttribute('.threshold-handle', 'aria-valuenow'), '0.45');
    assert.equal(await rows(), at(0.45));
    // Keyboard: the handle is a slider.
    await page.focus('.threshold-handle');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.inputValue('#threshold'), '0.44');
    await tab(page, 'graph');
    assert.equal(Number(await page.getAttribute('.graph-canvas', 'data-edges')), at(0.44));
    await tab(page, 'clusters');
    // At 0.44 grades_again joins grades and marks_copy.
    const members = await page.$$eval('.cluster', (cs) => cs.map((c) => c.querySelectorAll('.members li').length));
    assert.deepEqual(members.sort(), [2, 3]);
  });

  it('overview lists the pairs 50 at a time, "Show more" adds 50 and moves the focus to the first new row', async () => {
    page = await open();
    // 30 files, every pair at or above the threshold: 435 pairs.
    const files = Array.from({ length: 30 }, (_, i) => `many/f${String(i).padStart(2, '0')}.py`);
    const pairs: SimilarityReport['similarity']['pairs'] = [];
    for (let i = 0; i < files.length; i++) for (let j = i + 1; j < files.length; j++) {
      pairs.push({ file1: files[i]!, file2: files[j]!, similarity_score: 1 - pairs.length / 2000, components: { ast: 0.9, cfg: 0.8, dataflow: 0.7 }, matching_regions: [] });
    }
    const many: SimilarityReport = {
      analysis_id: 'many', summary: { total_files: files.length, suspicious_pairs_count: pairs.length, highest_similarity: pairs[0]!.similarity_score, cluster_count: 1 },
      files: files.map((f) => ({ path: f })), similarity: { pairs }, clusters: [], metadata: { thresholds: { min_score: 0.3, cluster: 0.75 } },
    };
    await post(page, { type: 'analysis', report: many });
    await page.waitForFunction(() => document.body.dataset.analysis === 'many');
    const rows = () => page.$$eval('.pairs-table tbody tr', (r) => r.length);
    assert.equal(await rows(), 50);
    assert.match((await page.textContent('.pairs-section h3'))!, /: 435 \(first 50\)$/);
    assert.equal(await page.textContent('.more-pairs'), 'Show 50 more');
    await page.focus('.more-pairs');
    await page.keyboard.press('Enter');
    assert.equal(await rows(), 100);
    assert.equal(await page.evaluate(() => document.activeElement?.closest('tr')?.rowIndex), 51, 'focus on the first new row (after the header)');
    await page.click('.more-pairs');
    await page.click('.more-pairs');
    assert.equal(await rows(), 200);
    assert.equal(await page.isVisible('.more-pairs'), false, 'at most 200 rows');
    assert.match((await page.textContent('.pairs-section h3'))!, /: 435 \(first 200\)$/);
    // The rows are the strongest pairs, in order.
    const first = await page.$$eval('.pairs-table tbody tr td:nth-child(1)', (tds) => tds.slice(0, 3).map((t) => t.textContent));
    assert.deepEqual(first, pairs.slice(0, 3).map((p) => p.similarity_score.toFixed(2)));
  });

  it('matrix: one cell per pair of files, clusters adjacent, tooltip, click posts openPair with the right files', async () => {
    page = await open();
    await loadReport(page);
    await tab(page, 'matrix');
    const n = report.matrix!.files.length;
    await page.waitForSelector('.matrix-canvas[data-drawn]');
    assert.equal(Number(await page.getAttribute('.matrix-canvas', 'data-files')), n);
    assert.equal(Number(await page.getAttribute('.matrix-canvas', 'data-cells')), n * n);
    const order = JSON.parse((await page.getAttribute('.matrix-canvas', 'data-order'))!) as string[];
    assert.equal(order.length, n);
    for (const c of report.clusters) {
      const idx = c.files.map((f) => order.indexOf(f)).sort((a, b) => a - b);
      assert.equal(idx[idx.length - 1]! - idx[0]!, idx.length - 1, `cluster ${c.id} is contiguous in the matrix order`);
    }
    const { x, y } = await cellCenter(page, GRADES, COPY);
    await page.mouse.move(x, y);
    const tip = await page.textContent('.matrix .tooltip');
    assert.match(tip!, /grades\.py ↔ project\/marks_copy\.py: 0\.\d\d/);
    await page.mouse.click(x, y);
    const msgs = (await posted(page)).filter((m) => m.type === 'openPair');
    assert.deepEqual(msgs[msgs.length - 1], { type: 'openPair', file1: GRADES, file2: COPY });
    await page.waitForSelector('#panel-pair:not([hidden]) .pair-title');
    // The diagonal opens nothing.
    await tab(page, 'matrix');
    const d = await cellCenter(page, GRADES, GRADES);
    await page.mouse.click(d.x, d.y);
    assert.equal((await posted(page)).filter((m) => m.type === 'openPair').length, 1);
    // Keyboard: focus the matrix, move off the diagonal (the last click), Enter opens the focused pair.
    await page.focus('.matrix-canvas');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    assert.equal((await posted(page)).filter((m) => m.type === 'openPair').length, 2);
  });

  it('colours clusters consistently in the legend, the graph and the cluster list', async () => {
    page = await open();
    await loadReport(page);
    await tab(page, 'clusters');
    const palette = await page.evaluate(() => [0, 1, 2].map((k) => getComputedStyle(document.body).getPropertyValue(`--co-cluster-${k}`).trim()));
    const list = await page.$$eval('.cluster', (cs) => cs.map((c) => ({ id: Number(c.getAttribute('data-cluster')), color: c.getAttribute('data-color'), files: Array.from(c.querySelectorAll('.members .path')).map((p) => p.textContent) })));
    assert.equal(list.length, report.clusters.length);
    list.forEach((c, k) => assert.equal(c.color, palette[k], `cluster ${c.id} has palette colour ${k}`));
    assert.notEqual(list[0]!.color, list[1]!.color);
    // Theme colour for cluster 1 is the theme's blue (light theme: #1a85ff).
    assert.equal(palette[0], '#1a85ff');
    await tab(page, 'graph');
    const nodes = await page.$$eval('.node-picker option[data-file]', (os) => os.map((o) => ({ file: o.getAttribute('data-file'), color: o.getAttribute('data-color'), cluster: Number(o.getAttribute('data-cluster')) })));
    for (const c of list) for (const f of c.files) assert.equal(nodes.find((nd) => nd.file === f)?.color, c.color, `${f} is drawn in its cluster's colour`);
    await tab(page, 'matrix');
    const legend = await page.$$eval('.matrix-legend .swatch', (s) => s.map((e) => getComputedStyle(e).backgroundColor));
    assert.equal(legend.length, report.clusters.length);
    assert.equal(legend[0], 'rgb(26, 133, 255)');
    // A theme change (VS Code swaps the body class and the variables) recolours the canvases' legend.
    const drawn = Number(await page.getAttribute('.matrix-canvas', 'data-drawn'));
    await page.evaluate(() => {
      const link = document.querySelector('link[href*="theme-light"]') as HTMLLinkElement;
      link.href = link.href.replace('theme-light', 'theme-dark');
      link.addEventListener('load', () => {
        document.body.classList.replace('vscode-light', 'vscode-dark');
      });
    });
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.matrix-legend .swatch')!).backgroundColor === 'rgb(55, 148, 255)');
    await page.waitForFunction((n) => Number(document.querySelector('.matrix-canvas')!.getAttribute('data-drawn')) > n, drawn);
  });

  it('pair view highlights exactly the regions\' lines, in matching colours on both sides', async () => {
    page = await open();
    await loadReport(page);
    await post(page, { type: 'showPair', file1: GRADES, file2: COPY });
    await serveFiles(page, [GRADES, COPY]);
    await page.waitForSelector('.pane-1 .code[data-mode=full]');
    await page.waitForSelector('.pane-2 .code[data-mode=full]');
    const pair = report.similarity.pairs.find((p) => p.file1 === GRADES && p.file2 === COPY)!;
    assert.ok(pair.matching_regions.length >= 2);
    for (const side of [1, 2] as const) {
      const got = await page.$$eval(`.pane-${side} .line.hl`, (ls) => ls.map((l) => [Number(l.getAttribute('data-line')), Number(l.getAttribute('data-region'))]));
      const want: number[][] = [];
      pair.matching_regions.forEach((r, k) => {
        const [a, b] = side === 1 ? r.file1_lines : r.file2_lines;
        for (let l = a; l <= b; l++) want.push([l, k]);
      });
      assert.deepEqual(got, want, `side ${side}: highlighted lines are the regions' lines`);
      const total = await page.$$eval(`.pane-${side} .line`, (ls) => ls.length);
      assert.equal(total, fileText(side === 1 ? GRADES : COPY).replace(/\n$/, '').split('\n').length);
    }
    // Region k has the same colour on both sides, and a different one from region k+1.
    const colours = await page.evaluate(() => {
      const c = (sel: string) => getComputedStyle(document.querySelector(sel)!).borderLeftColor;
      return [0, 1].map((k) => [c(`.pane-1 .line[data-region="${k}"]`), c(`.pane-2 .line[data-region="${k}"]`)]);
    });
    assert.equal(colours[0]![0], colours[0]![1]);
    assert.equal(colours[1]![0], colours[1]![1]);
    assert.notEqual(colours[0]![0], colours[1]![0]);
    // Component scores.
    const meters = await page.$$eval('.meter', (ms) => ms.map((m) => [m.getAttribute('aria-label'), m.getAttribute('aria-valuenow')]));
    assert.deepEqual(meters, [['AST', pair.components.ast.toFixed(2)], ['CFG', pair.components.cfg.toFixed(2)], ['Data flow', pair.components.dataflow.toFixed(2)]]);
    // Region 2 button scrolls both sides to it; the editor buttons post openFile at the region.
    await page.click('.region-chip[data-region="2"]');
    const r2 = pair.matching_regions[2]!;
    const seen = await page.evaluate(([a, b]) => [[1, a], [2, b]].map(([s, line]) => {
      const code = document.querySelector(`.pane-${s} .code`)!.getBoundingClientRect();
      const l = document.querySelector(`.pane-${s} .line[data-line="${line}"]`)!.getBoundingClientRect();
      return l.top >= code.top - 1 && l.bottom <= code.bottom + 1;
    }), [r2.file1_lines[0], r2.file2_lines[0]]);
    assert.deepEqual(seen, [true, true], 'region 3 starts in view on both sides');
    assert.equal(await page.getAttribute('.region-chip[data-region="2"]', 'aria-current'), 'true');
    await page.click('.pane-2 .pane-head button');
    const last = (await posted(page)).filter((m) => m.type === 'openFile').pop();
    assert.deepEqual(last, { type: 'openFile', path: COPY, line: r2.file2_lines[0], endLine: r2.file2_lines[1] });
  });

  it('aligned scrolling: scrolling one side brings the matching lines of the other into view', async () => {
    page = await open('light', 1200, 400);
    await loadReport(page);
    await post(page, { type: 'showPair', file1: GRADES, file2: COPY });
    await serveFiles(page, [GRADES, COPY]);
    await page.waitForSelector('.pane-2 .code[data-mode=full]');
    const pair = report.similarity.pairs.find((p) => p.file1 === GRADES && p.file2 === COPY)!;
    const r = pair.matching_regions[1]!;
    // Scroll the left pane so region 2 starts at the top; the right pane follows to its region 2.
    const right = await page.evaluate(async (line) => {
      const left = document.querySelector('.pane-1 .code') as HTMLElement;
      const el = left.querySelector(`.line[data-line="${line}"]`) as HTMLElement;
      left.scrollTop = el.offsetTop - left.offsetTop;
      await new Promise((res) => setTimeout(res, 150));
      const code = document.querySelector('.pane-2 .code') as HTMLElement;
      const top = code.getBoundingClientRect().top;
      const lines = Array.from(code.querySelectorAll('.line')) as HTMLElement[];
      return Number(lines.find((l) => l.getBoundingClientRect().bottom > top + 1)!.getAttribute('data-line'));
    }, r.file1_lines[0]);
    assert.ok(Math.abs(right - r.file2_lines[0]) <= 1, `right pane top ${right}, region starts at ${r.file2_lines[0]}`);
  });

  it('shows hostile file contents and odd file names as text', async () => {
    page = await open();
    await loadReport(page);
    await tab(page, 'overview');
    const names = await page.$$eval('.pairs-table td.path', (tds) => tds.map((t) => t.getAttribute('title')));
    assert.ok(names.includes(HOSTILE_A) && names.includes(HOSTILE_B));
    await page.click('.pairs-table tbody tr:first-child button');
    await page.waitForSelector('#panel-pair:not([hidden]) .pair-title');
    // Before the files arrive: the regions' code from the report.
    assert.equal(await page.getAttribute('.pane-1 .code', 'data-mode'), 'snippets');
    const snippet = await page.textContent('.pane-1 .line[data-line="3"] .src');
    assert.ok(snippet!.includes(`'<script>alert("owned")</script>'`), snippet!);
    await serveFiles(page, [HOSTILE_A, HOSTILE_B]);
    await page.waitForSelector('.pane-1 .code[data-mode=full]');
    const line1 = await page.textContent('.pane-1 .line[data-line="1"] .src');
    assert.equal(line1, '/* a <b>bold</b> copy: </textarea><img src=x onerror=alert(1)> */');
    const title = await page.textContent('.pair-title');
    assert.ok(title!.includes('render<script>.js') && title!.includes('odd name & "quotes".js'), title!);
    assert.equal(await page.$$eval('img, b, textarea, ul.code script', (e) => e.length), 0);
    assert.equal(await page.$$eval('script', (s) => s.length), 2);
    // Region legend and the graph's labels are text too.
    await tab(page, 'graph');
    const opts = await page.$$eval('.node-picker option', (os) => os.map((o) => o.textContent));
    assert.ok(opts.some((o) => o!.startsWith('render<script>.js')));
  });

  it('AST view: requests the tree, shows it collapsible with keyboard navigation and the structure metrics', async () => {
    page = await open();
    await loadReport(page);
    await tab(page, 'clusters');
    await page.click(`.cluster button.icon[aria-label="Show the AST of ${GRADES}"]`);
    await page.waitForSelector('#panel-ast:not([hidden])');
    const req = (await posted(page)).filter((m) => m.type === 'requestAst');
    assert.deepEqual(req, [{ type: 'requestAst', path: GRADES }]);
    await post(page, { type: 'ast', path: GRADES, ast: astFixture.ast, summary: astFixture.summary });
    await page.waitForSelector('[role=tree]');
    assert.equal(await page.textContent('dd[data-metric="function_count"]'), String(astFixture.summary.metrics.function_count));
    assert.equal(await page.textContent('dd[data-metric="basic_cyclomatic_complexity"]'), String(astFixture.summary.metrics.basic_cyclomatic_complexity));
    const root = '[role=tree] > [role=treeitem]';
    assert.equal(await page.getAttribute(root, 'aria-expanded'), 'true');
    assert.equal(await page.textContent(`${root} > .node .node-type`), 'module');
    // Keyboard: down to the first child, right expands it, left collapses.
    await page.focus(root);
    await page.keyboard.press('ArrowDown');
    const focused = () => page.evaluate(() => [document.activeElement?.getAttribute('aria-level'), document.activeElement?.getAttribute('aria-expanded'), document.activeElement?.querySelector('.node-type')?.textContent]);
    assert.deepEqual((await focused()).slice(0, 1), ['2']);
    const funcs = await page.$$eval('[role=tree] [aria-level="2"] > .node .node-type', (e) => e.map((x) => x.textContent));
    assert.ok(funcs.includes('function_definition'));
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const opened = (await posted(page)).filter((m) => m.type === 'openFile').pop() as { path: string; line: number };
    assert.equal(opened.path, GRADES);
    assert.ok(opened.line >= 1);
  });

  it('validates host messages against the schema and ignores the rest', async () => {
    page = await open();
    await loadReport(page);
    const before = await page.getAttribute('body', 'data-analysis');
    await post(page, { type: 'analysis', report: { ...report, analysis_id: 'bad', similarity: { pairs: [{ file1: 'a' }] } } });
    await post(page, { type: 'analysis', report: { ...report, analysis_id: 'bad2', matrix: { files: ['a'], values: [[1, 2]] } } });
    await post(page, { type: 'evil', html: '<img src=x onerror=alert(1)>' });
    await post(page, { type: 'fileContents', path: 42 });
    await page.waitForFunction(() => (window as unknown as { __posted: WebviewToHost[] }).__posted.filter((m) => m.type === 'log').length >= 4);
    const logs = (await posted(page)).filter((m) => m.type === 'log') as Array<{ message: string }>;
    assert.match(logs[0]!.message, /similarity\.pairs\[0\]\.file2: expected a string/);
    assert.match(logs[1]!.message, /not square/);
    assert.match(logs[2]!.message, /unknown message type/);
    assert.equal(await page.getAttribute('body', 'data-analysis'), before);
  });

  it('restores its state (tab, threshold, pair) after a reload', async () => {
    page = await open();
    await loadReport(page);
    await page.fill('#threshold', '0.6');
    await page.dispatchEvent('#threshold', 'input');
    await post(page, { type: 'showPair', file1: COPY, file2: GRADES });
    await page.waitForSelector('#panel-pair:not([hidden]) .pair-title');
    await page.waitForTimeout(300); // the state is saved on a short debounce
    await page.reload();
    await page.waitForFunction((id) => document.body.dataset.analysis === id, report.analysis_id);
    assert.equal(await page.getAttribute('body', 'data-tab'), 'pair');
    assert.equal(await page.inputValue('#threshold'), '0.6');
    assert.match((await page.textContent('.pair-title'))!, /grades\.py ↔ marks_copy\.py/);
    const ready = (await posted(page))[0] as { type: string; analysisId?: string };
    assert.deepEqual(ready, { type: 'ready', analysisId: report.analysis_id });
  });

  it('saves screenshots in light, dark and high-contrast themes, and at a narrow width', async () => {
    for (const theme of ['light', 'dark', 'hc']) {
      page = await open(theme, 1280, 860);
      await loadReport(page);
      await page.screenshot({ path: path.join(artifacts, `overview-${theme}.png`), fullPage: true });
      await tab(page, 'matrix');
      await page.waitForSelector('.matrix-canvas[data-drawn]');
      const { x, y } = await cellCenter(page, GRADES, COPY);
      await page.mouse.move(x, y);
      await page.screenshot({ path: path.join(artifacts, `matrix-${theme}.png`) });
      await tab(page, 'graph');
      // Let the layout settle (it animates; on a loaded machine it may still move a little).
      await page.waitForFunction(() => document.querySelector('.graph-canvas')?.getAttribute('data-settled') === '1', undefined, { timeout: 20_000 }).catch(() => undefined);
      await page.selectOption('.node-picker', { label: 'grades.py (cluster 2)' });
      await page.screenshot({ path: path.join(artifacts, `graph-${theme}.png`) });
      await tab(page, 'clusters');
      await page.screenshot({ path: path.join(artifacts, `clusters-${theme}.png`) });
      await post(page, { type: 'showPair', file1: GRADES, file2: COPY });
      await serveFiles(page, [GRADES, COPY]);
      await page.waitForSelector('.pane-2 .code[data-mode=full]');
      await page.screenshot({ path: path.join(artifacts, `pair-${theme}.png`) });
      await post(page, { type: 'showTab', tab: 'ast', path: GRADES });
      await post(page, { type: 'ast', path: GRADES, ast: astFixture.ast, summary: astFixture.summary });
      await page.waitForSelector('[role=tree]');
      await page.screenshot({ path: path.join(artifacts, `ast-${theme}.png`) });
      await page.close();
    }
    page = await open('dark', 380, 800);
    await loadReport(page);
    await page.screenshot({ path: path.join(artifacts, 'overview-narrow-dark.png'), fullPage: true });
    await post(page, { type: 'showPair', file1: HOSTILE_A, file2: HOSTILE_B });
    await serveFiles(page, [HOSTILE_A, HOSTILE_B]);
    await page.waitForSelector('.pane-2 .code[data-mode=full]');
    await page.screenshot({ path: path.join(artifacts, 'pair-narrow-dark.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal scrolling at 380px (overflow ${overflow}px)`);
  });
});
