// The test host for the similarity panel's webview: a local HTTP server that serves the panel page
// exactly as the extension builds it (client/src/panel/html.ts, strict CSP with a nonce) plus the
// VS Code stand-in (vscode-stub.js), and a Chromium launcher. Used by test/webview/*.test.ts and by
// test/bench/webview-render.mjs.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = process.env.CODE_ORIGIN_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'];

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.json': 'application/json', '.map': 'application/json' };

/** Repository root (this file is test/webview/host/server.mjs, or bundled into out/test/webview). */
export function repoRoot() {
  let dir = path.dirname(typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/**
 * Starts the host. `panelHtml` is client/src/panel/html.ts's function (the test imports it, the
 * benchmark transpiles it), so the page under test is the one VS Code gets.
 */
export async function startHost({ panelHtml, makeNonce }) {
  const root = repoRoot();
  // CODE_ORIGIN_WEBVIEW_DIR serves another build of the bundle (e.g. to compare two versions in the benchmark).
  const bundleDir = process.env.CODE_ORIGIN_WEBVIEW_DIR ? path.resolve(process.env.CODE_ORIGIN_WEBVIEW_DIR) : path.join(root, 'dist', 'webview');
  const dirs = { '/webview/': bundleDir, '/host/': path.join(root, 'test', 'webview', 'host') };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const origin = `http://${req.headers.host}`;
      const nonce = makeNonce();
      let html = panelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/webview/main.js`, styleUri: `${origin}/webview/main.css`, title: 'Code Origin test host' });
      // The VS Code stand-in runs first, with the page's nonce (as VS Code's own preload does).
      html = html.replace('<script nonce=', `<script nonce="${nonce}" src="${origin}/host/vscode-stub.js"></script>\n<script nonce=`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    for (const [prefix, dir] of Object.entries(dirs)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = path.join(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
      if (!file.startsWith(dir) || !existsSync(file)) break;
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(readFileSync(file));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
