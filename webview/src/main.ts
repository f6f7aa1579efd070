/// <reference lib="dom" />
// Entry point of the similarity panel's webview bundle (dist/webview/main.js).
import './style.css';
import { App, type VsCodeApi } from './app';

declare function acquireVsCodeApi(): VsCodeApi;

function start(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const api: VsCodeApi = typeof acquireVsCodeApi === 'function'
    ? acquireVsCodeApi()
    : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };
  (window as unknown as { codeOriginPanel: App }).codeOriginPanel = new App(root, api);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
