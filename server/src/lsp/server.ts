// The Code Origin language server: maps the analysis core to hovers and custom requests over LSP.
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, MarkupKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyzer } from './documents';
import { functionForHover, hoverMarkdown } from './hover';
import {
  StructureSummaryRequest, VisualizeAstRequest,
  type DocumentParams, type StructureSummaryResult, type VisualizeAstParams, type VisualizeAstResult,
} from './protocol';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';

declare const CODE_ORIGIN_VERSION: string | undefined;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let settings: ServerSettings = DEFAULT_SETTINGS;
let canPullConfiguration = false;
const analyzer = new DocumentAnalyzer(documents, () => settings);

// A bug in one request must never take the server down: log it and keep serving.
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

connection.onInitialize((params): InitializeResult => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  const init = (params.initializationOptions ?? {}) as { settings?: unknown };
  if (init.settings) settings = readSettings(init.settings);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
    },
    serverInfo: { name: 'code-origin', version: typeof CODE_ORIGIN_VERSION === 'string' ? CODE_ORIGIN_VERSION : 'dev' },
  };
});

connection.onInitialized(() => void refreshSettings());

connection.onDidChangeConfiguration((change) => {
  const pushed = (change.settings as { codeOrigin?: unknown } | undefined)?.codeOrigin;
  if (pushed) settings = readSettings(pushed);
  else void refreshSettings();
});

async function refreshSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    settings = readSettings(await connection.workspace.getConfiguration('codeOrigin'));
  } catch (e) {
    connection.console.warn(`could not read settings, keeping defaults: ${(e as Error).message}`);
  }
}

documents.onDidClose((e) => analyzer.forget(e.document.uri));

connection.onHover(async (params) => {
  try {
    const r = await analyzer.summary(params.textDocument.uri);
    if (!r.ok) return null;
    const fn = functionForHover(r.value, params.position);
    if (!fn) return null;
    return { contents: { kind: MarkupKind.Markdown, value: hoverMarkdown(fn) }, range: fn.name_range };
  } catch (e) {
    connection.console.error(`hover failed for ${params.textDocument.uri}: ${(e as Error).stack}`);
    return null;
  }
});

connection.onRequest(StructureSummaryRequest, async (params: DocumentParams): Promise<StructureSummaryResult> => {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string') return { uri: String(uri), error: 'missing textDocument.uri' };
  try {
    const r = await analyzer.summary(uri);
    if (!r.ok) connection.console.info(`summary skipped for ${uri}: ${r.error}`);
    return r.ok ? { uri, ...r.value } : { uri, error: r.error };
  } catch (e) {
    connection.console.error(`summary failed for ${uri}: ${(e as Error).stack}`);
    return { uri, error: `internal error: ${(e as Error).message}` };
  }
});

connection.onRequest(VisualizeAstRequest, async (params: VisualizeAstParams): Promise<VisualizeAstResult> => {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string') return { uri: String(uri), error: 'missing textDocument.uri' };
  const cap = (v: unknown) => (typeof v === 'number' && v >= 1 ? Math.floor(v) : undefined);
  try {
    const r = await analyzer.ast(uri, { maxDepth: cap(params.maxDepth), maxNodes: cap(params.maxNodes) });
    return r.ok ? { uri, ...r.value } : { uri, error: r.error };
  } catch (e) {
    connection.console.error(`AST failed for ${uri}: ${(e as Error).stack}`);
    return { uri, error: `internal error: ${(e as Error).message}` };
  }
});

documents.listen(connection);
connection.listen();
