import type { Browser } from 'playwright-core';
export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: string[];
export declare function repoRoot(): string;
export declare function startHost(o: {
  panelHtml: (o: { cspSource: string; nonce: string; scriptUri: string; styleUri: string; title?: string }) => string;
  makeNonce: () => string;
}): Promise<{ url: string; close(): Promise<void> }>;
export declare function launchChromium(): Promise<Browser>;
