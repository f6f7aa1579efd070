// The similarity panel's host API (see similarityPanel.ts) and the message schema it shares with the webview.
export { SimilarityPanel, type SimilarityPanelHandlers, type AstAnswer } from './similarityPanel';
export { panelHtml, contentSecurityPolicy, makeNonce } from './html';
export type { SimilarityReport, HostToWebview, WebviewToHost, PanelState } from '../../../protocol/panel';
