// The Code Origin language server: maps the analysis core to hovers and custom requests over LSP.
import {
  createConnection, FileChangeType, ProposedFeatures, TextDocuments, TextDocumentSyncKind, MarkupKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import path from 'node:path';
import { inspect } from 'node:util';
import { FrameGuard } from './framing';
import { DocumentAnalyzer } from './documents';
import { renderHtml } from '../similarity/html';
import { filesCsv, pairsCsv } from '../similarity/csv';
import { renderJudgeHtml } from '../judge';
import { Judging } from './judge/judging';
import { JudgeKeyChangedNotification } from './judge/protocol';
import { DEFAULT_JUDGE_SETTINGS, readJudgeSettings, type JudgeSettings } from './judge/settings';
import { compareInputs, compareRepos, type CompareInputsParams, type CompareReposParams } from './similarity/comparisons';
import { ReportStore, withoutRegionCode } from './similarity/reportStore';
import { uriToPath, WorkspaceIndex } from './similarity/workspaceIndex';
import { functionForHover, hoverMarkdown } from './hover';
import {
  AnalyzeWorkspaceRequest, CompareInputsRequest, CompareRepositoriesRequest, RenderReportRequest, SetTemplateRequest,
  SimilarityReportRequest, type RenderReportParams,
  StructureSummaryRequest, VisualizeAstRequest,
  type DocumentParams, type StructureSummaryResult, type VisualizeAstParams, type VisualizeAstResult,
} from './protocol';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';
import { DiagnosticsPublisher } from './diagnostics';
import { withOriginHover } from './origin/requests';
import { OriginService } from './origin/service';

declare const CODE_ORIGIN_VERSION: string | undefined;

const connection = connect();

/**
 * Over stdio (how the extension starts the server) the input goes through FrameGuard, so one malformed
 * header cannot leave the server deaf. Given streams, the library no longer routes `console` to the
 * client's log as it does for `--stdio`, so that is done here: stdout carries only the protocol.
 */
function connect() {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const input = process.stdin.pipe(new FrameGuard((m) => process.stderr.write(`${m}\n`)));
  const c = createConnection(ProposedFeatures.all, input, process.stdout);
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = (...a: unknown[]) => c.console.log(text(a));
  console.info = (...a: unknown[]) => c.console.info(text(a));
  console.warn = (...a: unknown[]) => c.console.warn(text(a));
  console.error = (...a: unknown[]) => c.console.error(text(a));
  console.debug = (...a: unknown[]) => c.console.log(text(a));
  return c;
}
const documents = new TextDocuments(TextDocument);
let settings: ServerSettings = DEFAULT_SETTINGS;
let judgeSettings: JudgeSettings = DEFAULT_JUDGE_SETTINGS;
let canPullConfiguration = false;
let watchesFolders = false;
const analyzer = new DocumentAnalyzer(documents, () => settings);
const reports = new ReportStore();
let folders: string[] = [];
let cachePath: string | undefined;
let index: WorkspaceIndex | undefined;
let judgeCachePath: string | undefined;
const judging = new Judging({ connection, settings: () => judgeSettings, cachePath: () => judgeCachePath });
const diagnostics = new DiagnosticsPublisher(connection);
const origin = new OriginService(connection, documents, () => settings, diagnostics);

// A bug in one request must never take the server down: log it and keep serving.
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

connection.onInitialize((params): InitializeResult => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  watchesFolders = params.capabilities.workspace?.workspaceFolders === true;
  const init = (params.initializationOptions ?? {}) as { settings?: unknown; storagePath?: unknown; template?: unknown };
  if (init.settings) settings = readSettings(init.settings);
  if (init.settings) judgeSettings = readJudgeSettings(init.settings);
  origin.initialize(params.initializationOptions);
  folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
  if (typeof init.storagePath === 'string') cachePath = path.join(init.storagePath, 'similarity-cache.sqlite');
  if (typeof init.storagePath === 'string') judgeCachePath = path.join(init.storagePath, 'judge-verdicts.sqlite');
  index = new WorkspaceIndex({
    connection, diagnostics, folders: () => folders, settings: () => settings, filesExclude, cachePath, reports, judge: judging.hook,
    judgeEnabled: () => judgeSettings.provider !== 'off',
    openFiles: () => new Set(documents.all().map((d) => uriToPath(d.uri)).filter((p): p is string => p !== undefined)),
  });
  if (Array.isArray(init.template)) index.setTemplate(init.template.filter((t): t is string => typeof t === 'string'));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'code-origin', version: typeof CODE_ORIGIN_VERSION === 'string' ? CODE_ORIGIN_VERSION : 'dev' },
  };
});

connection.onInitialized(async () => {
  await refreshSettings();
  index?.schedule(0);
  if (!watchesFolders) return;
  connection.workspace.onDidChangeWorkspaceFolders((e) => {
    const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
    folders = [...folders.filter((f) => !removed.has(f)), ...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p)];
    index?.schedule();
  });
});

async function filesExclude(): Promise<string[]> {
  if (!canPullConfiguration) return [];
  try {
    const map = (await connection.workspace.getConfiguration('files.exclude')) as Record<string, unknown> | null;
    return Object.entries(map ?? {}).filter(([, on]) => on === true).map(([glob]) => glob);
  } catch {
    return [];
  }
}

connection.onDidChangeConfiguration((change) => {
  const pushed = (change.settings as { codeOrigin?: unknown } | undefined)?.codeOrigin;
  const before = JSON.stringify(settings.similarity);
  if (pushed) settings = readSettings(pushed);
  if (pushed && JSON.stringify(settings.similarity) !== before) index?.republish();
  if (pushed) setJudgeSettings(readJudgeSettings(pushed));
  if (pushed) origin.settingsChanged();
  else void refreshSettings();
});

/** Another judge (e.g. gemini after the key is set) re-judges the workspace instead of waiting for a save. */
function setJudgeSettings(next: JudgeSettings): void {
  const changed = JSON.stringify(next) !== JSON.stringify(judgeSettings);
  judgeSettings = next;
  if (changed) index?.schedule();
}

async function refreshSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    const raw: unknown = await connection.workspace.getConfiguration('codeOrigin');
    const before = JSON.stringify(settings.similarity);
    settings = readSettings(raw);
    if (JSON.stringify(settings.similarity) !== before) index?.republish();
    setJudgeSettings(readJudgeSettings(raw));
    origin.settingsChanged();
  } catch (e) {
    connection.console.warn(`could not read settings, keeping defaults: ${(e as Error).message}`);
  }
}

documents.onDidClose((e) => {
  analyzer.forget(e.document.uri);
  index?.closed(e.document.uri);
});
documents.onDidOpen((e) => index?.opened(e.document.uri));
// Saved files and files created, changed or deleted outside the editor refresh the index.
documents.onDidSave(() => index?.schedule());
connection.onDidChangeWatchedFiles((e) => {
  index?.filesCreated(e.changes.filter((c) => c.type === FileChangeType.Created).map((c) => uriToPath(c.uri)).filter((p): p is string => !!p));
  index?.schedule();
});

connection.onHover(withOriginHover((p) => origin.hover(p), async (params) => {
  try {
    const similar = index?.hover(params.textDocument.uri, params.position) ?? null;
    const r = await analyzer.summary(params.textDocument.uri);
    const fn = r.ok ? functionForHover(r.value, params.position) : undefined;
    if (!fn) return similar;
    const value = hoverMarkdown(fn);
    const extra = similar ? `\n\n---\n\n${(similar.contents as { value: string }).value}` : '';
    return { contents: { kind: MarkupKind.Markdown, value: value + extra }, range: fn.name_range };
  } catch (e) {
    connection.console.error(`hover failed for ${params.textDocument.uri}: ${(e as Error).stack}`);
    return null;
  }
}));

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

connection.onRequest(AnalyzeWorkspaceRequest, async () => {
  if (!index || folders.length === 0) return { error: 'open a folder to analyze a workspace' };
  const report = await index.run();
  return report ? { analysis_id: report.analysis_id, summary: report.summary } : { error: 'the analysis did not finish (cancelled or failed; see the output)' };
});

connection.onRequest(SimilarityReportRequest, (params: { analysis_id?: string; withoutCode?: boolean } | undefined) => {
  const report = (params?.analysis_id ? reports.get(params.analysis_id) : index?.current) ?? null;
  return report && params?.withoutCode ? withoutRegionCode(report) : report;
});

connection.onRequest(CompareInputsRequest, async (params: CompareInputsParams) => {
  try {
    return await compareInputs(params, settings, reports, judging.hook, judgeSettings.provider !== 'off');
  } catch (e) {
    connection.console.error(`compare failed: ${(e as Error).stack}`);
    return { error: (e as Error).message };
  }
});

connection.onRequest(CompareRepositoriesRequest, (params: CompareReposParams) => compareRepos(params, connection, settings, reports, judging.hook, judgeSettings.provider !== 'off'));

connection.onRequest(RenderReportRequest, (params: RenderReportParams) => {
  const report = reports.get(params?.analysis_id);
  if (!report) return { error: 'that report is no longer available; run the analysis again' };
  // As the CLI does: the judge's section goes at the end of the HTML report.
  const html = () => renderHtml(report).replace('</body>', `${renderJudgeHtml(report)}\n</body>`);
  if (params.format === 'csv') return { text: pairsCsv(report) };
  if (params.format === 'csv-files') return { text: filesCsv(report) };
  return { text: params.format === 'html' ? html() : JSON.stringify(report, null, 2) };
});

connection.onRequest(SetTemplateRequest, (params: { paths?: unknown }) => {
  const paths = Array.isArray(params?.paths) ? params.paths.filter((p): p is string => typeof p === 'string') : [];
  index?.setTemplate(paths);
  index?.schedule(0);
  return { template: paths };
});

// A new (or cleared) Gemini key: forget an earlier refusal and judge the workspace again.
connection.onNotification(JudgeKeyChangedNotification, () => {
  judging.keyChanged();
  index?.schedule(0);
});

documents.listen(connection);
connection.listen();
