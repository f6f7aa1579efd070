// The custom requests and notifications between the extension and the server are declared once, with
// their types, in protocol/messages.ts (shared with the client); this file re-exports them for the
// server's modules.
export * from '../../../protocol/messages';
