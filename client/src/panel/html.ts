// The similarity panel's HTML page: a strict Content-Security-Policy with a per-load nonce, the
// bundle and stylesheet from dist/webview, nothing inline and nothing remote. No `vscode` import,
// so tests build the very same page.

export interface PanelHtmlOptions {
  /** webview.cspSource: the origin local resources are served from. */
  cspSource: string;
  /** A fresh random nonce for this page (see makeNonce). */
  nonce: string;
  /** URIs (as strings) of dist/webview/main.js and dist/webview/main.css, from webview.asWebviewUri. */
  scriptUri: string;
  styleUri: string;
  title?: string;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function panelHtml(o: PanelHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(o.nonce)) throw new Error('panelHtml: the nonce must be at least 16 base64 characters');
  const csp = contentSecurityPolicy(o.cspSource, o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${o.nonce}" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(o.title ?? 'Code Origin: Similarity')}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${o.nonce}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}

/** 32 random characters from a CSPRNG (globalThis.crypto exists in Node 20 and in browsers). */
export function makeNonce(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
