// The panel's messages, the report as the panel reads it, and their validators: protocol/panel.ts
// (shared with the extension), re-exported for the webview's modules.
export * from '../../protocol/panel';
