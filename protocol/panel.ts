// The similarity panel's messages (host <-> webview), and their validators. Both sides import this file:
// the extension (client/src/panel) checks what the webview posts, the webview checks what the host
// posts. Nothing here touches the DOM or Node, so it bundles for either. (webview/src/protocol.ts
// re-exports it for the webview's modules.)
//
// Host → webview: analysis | clear | ast | fileContents | showPair | showTab
// Webview → host: ready | openPair | openFile | requestAst | requestFile | log

import type * as records from './records';
import type { AstJsonNode, AstView, FileSummary, FunctionSummary, SyntaxProblem } from './records';
import type * as schema from './report';

// ---------------------------------------------------------------------------------------------
// Report shapes: the schema is protocol/report.ts (what `code-origin compare --format json` writes);
// the panel reads it leniently: what older reports (and reports asked `withoutCode`) may lack is
// optional here, and extra fields are allowed and kept. The compiler checks that every report the
// server builds is one the panel accepts (the assignment test at the end of this section).

/** Makes the keys K of T optional. */
type Loose<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export type MatchingRegion = Loose<schema.ReportPair['matching_regions'][number], 'file1_code' | 'file2_code'>;
/** Verdicts are shown generically: whatever fields a judge writes. */
export type RefinedVerdict = Partial<schema.RefinedVerdict>;

export type ReportPair = Loose<Omit<schema.ReportPair, 'matching_regions'>, 'significance' | 'reported'> & {
  matching_regions: MatchingRegion[];
  llm_verdict?: Partial<schema.Verdict> | string;
  refined_verdict?: RefinedVerdict;
};

export type ReportCluster = schema.CompareReport['clusters'][number];

type Meta = schema.CompareReport['metadata'];

export interface SimilarityReport {
  analysis_id: string;
  summary: Loose<schema.CompareReport['summary'], 'total_documents' | 'candidate_pairs'>;
  files: schema.CompareReport['files'];
  similarity: { pairs: ReportPair[] };
  graph?: { nodes: Array<Loose<schema.CompareReport['graph']['nodes'][number], 'files'>>; edges: schema.CompareReport['graph']['edges'] };
  matrix?: { files: string[]; values: number[][] | null; note?: string };
  clusters: ReportCluster[];
  metadata?: Partial<Omit<Meta, 'thresholds'>> & { thresholds?: Partial<Meta['thresholds']> & { [key: string]: unknown }; [key: string]: unknown };
  llm_summary?: unknown;
}

/** The syntax tree and structure summary as the panel reads them (protocol/records.ts, leniently). */
export type AstNode = AstJsonNode;
export type AstViewData = Loose<AstView, 'caps'>;
export type StructureMetrics = records.StructureMetrics;
export type StructureSummaryData = Omit<FileSummary, 'functions' | 'syntax_errors'> & {
  functions: Array<Omit<FunctionSummary, 'range' | 'name_range' | 'metrics'> & { metrics?: Partial<StructureMetrics> }>;
  syntax_errors: Array<Loose<SyntaxProblem, 'end_line' | 'end_column'>>;
};

// Every report the server builds (judged or not) and every tree and summary it sends is one the panel accepts.
type Accepts<T, U extends T> = U;
export type _ReportAccepted = Accepts<SimilarityReport, schema.JudgedReport>;
export type _AstAccepted = Accepts<AstViewData, AstView>;
export type _SummaryAccepted = Accepts<StructureSummaryData, FileSummary>;

// ---------------------------------------------------------------------------------------------
// Messages

export type PanelTab = 'overview' | 'matrix' | 'graph' | 'clusters' | 'pair' | 'ast';
export const PANEL_TABS: readonly PanelTab[] = ['overview', 'matrix', 'graph', 'clusters', 'pair', 'ast'];

export type HostToWebview =
  /** A new or updated analysis; replaces the one shown. */
  | { type: 'analysis'; report: SimilarityReport }
  /** No analysis (e.g. the workspace changed); the panel shows its empty state. */
  | { type: 'clear'; reason?: string }
  /** Answer to requestAst: the tree and/or the structure summary, or why there is none. */
  | { type: 'ast'; path: string; ast?: AstViewData; summary?: StructureSummaryData; error?: string }
  /** Answer to requestFile: the full text of a file, or why it could not be read. */
  | { type: 'fileContents'; path: string; text?: string; error?: string }
  /** Ask the panel to show a pair (e.g. from the tree view). */
  | { type: 'showPair'; file1: string; file2: string }
  /** Ask the panel to switch tab (e.g. "Show AST" from a command). */
  | { type: 'showTab'; tab: PanelTab; path?: string };

export type WebviewToHost =
  /** The webview has loaded (or reloaded) and wants the current analysis. */
  | { type: 'ready'; analysisId?: string }
  /** The user opened a pair in the panel (matrix cell, graph, list). Informational for the host. */
  | { type: 'openPair'; file1: string; file2: string }
  /** Open a file in the editor, optionally at a one-based line range. */
  | { type: 'openFile'; path: string; line?: number; endLine?: number }
  | { type: 'requestAst'; path: string }
  | { type: 'requestFile'; path: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------
// A tiny schema checker: each check returns undefined, or an error as "<path below the value>: <what>"
// (e.g. ".pairs[3].file2: expected a string"). The path is only built on the way back from an error,
// so checking a large report allocates nothing per value.

type Check = (v: unknown) => string | undefined;

const MAX_PATH = 4096;
const MAX_TEXT = 32 * 1024 * 1024;
const MAX_MESSAGE = 4096;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (max = MAX_PATH): Check => (v) => (typeof v !== 'string' ? ': expected a string' : v.length > max ? `: longer than ${max} characters` : undefined);
const num: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : ': expected a finite number');
const int = (min: number): Check => (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min ? undefined : `: expected an integer ≥ ${min}`);
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : ': expected a boolean');
const any: Check = () => undefined;
const oneOf = (values: readonly string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? undefined : `: expected one of ${values.join(', ')}`);
const opt = (c: Check): Check => (v) => (v === undefined ? undefined : c(v));
const nullable = (c: Check): Check => (v) => (v === null ? undefined : c(v));
const either = (a: Check, b: Check): Check => (v) => (a(v) === undefined ? undefined : b(v));
const arr = (c: Check, max = 10_000_000): Check => (v) => {
  if (!Array.isArray(v)) return ': expected an array';
  if (v.length > max) return `: more than ${max} items`;
  for (let i = 0; i < v.length; i++) {
    const e = c(v[i]);
    if (e) return `[${i}]${e}`;
  }
  return undefined;
};
const obj = (fields: Record<string, Check>): Check => {
  const keys = Object.keys(fields);
  const checks = keys.map((k) => fields[k]!);
  return (v) => {
    if (!isObj(v)) return ': expected an object';
    for (let f = 0; f < keys.length; f++) {
      const e = checks[f]!(v[keys[f]!]);
      if (e) return `.${keys[f]}${e}`;
    }
    return undefined;
  };
};
const int0 = int(0);
const lineRange: Check = (v) => {
  if (!Array.isArray(v) || v.length !== 2) return ': expected [start, end]';
  const e0 = int0(v[0]);
  if (e0) return `[0]${e0}`;
  const e1 = int0(v[1]);
  if (e1) return `[1]${e1}`;
  return v[1] < v[0] ? ': end before start' : undefined;
};
/** A matrix row: numbers only (checked with a plain loop, it is the largest part of a report). */
const numberRow: Check = (v) => {
  if (!Array.isArray(v)) return ': expected an array';
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) return `[${i}]: expected a finite number`;
  return undefined;
};

const regionCheck = obj({
  file1_lines: lineRange, file2_lines: lineRange, file1_code: opt(str(MAX_TEXT)), file2_code: opt(str(MAX_TEXT)),
  file1: opt(str()), file2: opt(str()),
});
// Verdicts are shown generically (any keys, any JSON values); only their being objects is checked, so
// a judge that adds or reshapes fields never makes the whole analysis unreadable.
const verdictCheck = obj({});
const pairCheck = obj({
  file1: str(), file2: str(), similarity_score: num, significance: opt(num),
  components: obj({ ast: num, cfg: num, dataflow: num }),
  matching_regions: arr(regionCheck),
  llm_verdict: opt(either(str(MAX_TEXT), obj({}))),
  refined_verdict: opt(verdictCheck),
});
const reportCheck = obj({
  analysis_id: str(),
  summary: obj({ total_files: int(0), suspicious_pairs_count: int(0), highest_similarity: num, cluster_count: int(0) }),
  files: arr(obj({ path: str(), language: opt(str()), error: opt(str(MAX_TEXT)), submission: opt(str()) })),
  similarity: obj({ pairs: arr(pairCheck) }),
  graph: opt(obj({ nodes: arr(obj({ id: str(), archive: opt(bool) })), edges: arr(obj({ source: str(), target: str(), weight: num })) })),
  matrix: opt(obj({ files: arr(str()), values: nullable(arr(numberRow)), note: opt(str(MAX_MESSAGE)) })),
  clusters: arr(obj({ id: int(0), files: arr(str()), max_similarity: num })),
  metadata: opt(obj({ thresholds: opt(obj({ min_score: opt(num), cluster: opt(num) })), submissions: opt(bool), llm_enabled: opt(bool) })),
  llm_summary: any,
});
/** The matrix must be square and name the same number of files as it has rows. */
function matrixShape(r: SimilarityReport): string | undefined {
  const m = r.matrix;
  if (!m || !m.values) return undefined;
  if (m.values.length !== m.files.length) return 'report.matrix: rows and files differ in number';
  for (let i = 0; i < m.values.length; i++) if (m.values[i]!.length !== m.files.length) return `report.matrix.values[${i}]: not square`;
  return undefined;
}

const astNodeFields = obj({ type: str(MAX_MESSAGE), label: opt(str(MAX_MESSAGE)), start_line: int0, end_line: int0, truncated_children: opt(int0) });
const astNodeCheck: Check = (v) => {
  // Iterative, trees can be deep; each entry is [node, index of its parent's entry, child index].
  const seen: Array<[unknown, number, number]> = [];
  const stack: number[] = [];
  const pathOf = (k: number): string => {
    let p = '';
    for (let x = k; seen[x]![1] >= 0; x = seen[x]![1]) p = `.children[${seen[x]![2]}]${p}`;
    return p;
  };
  seen.push([v, -1, 0]);
  stack.push(0);
  while (stack.length) {
    const k = stack.pop()!;
    if (k >= 1_000_000) return ': too many nodes';
    const n = seen[k]![0];
    const e = astNodeFields(n);
    if (e) return `${pathOf(k)}${e}`;
    const kids = (n as Record<string, unknown>).children;
    if (!Array.isArray(kids)) return `${pathOf(k)}.children: expected an array`;
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push(seen.length);
      seen.push([kids[i], k, i]);
    }
  }
  return undefined;
};
const astCheck = obj({ language: str(), root: astNodeCheck, node_count: int(0), total_named_nodes: int(0), truncated: bool, truncated_reason: opt(str(MAX_MESSAGE)) });
const metricsCheck = obj({
  ast_depth: num, function_count: num, class_count: num, loop_count: num, if_count: num, basic_cyclomatic_complexity: num,
  total_subtrees: num, unique_subtrees: num, lines_of_code: num, total_lines: num,
});
const summaryCheck = obj({
  language: str(), metrics: metricsCheck,
  functions: arr(obj({ name: str(MAX_MESSAGE), kind: str(MAX_MESSAGE), start_line: int(0), end_line: int(0) })),
  syntax_errors: arr(obj({ line: int(0), column: int(0), message: str(MAX_MESSAGE) })),
});

const hostChecks: Record<HostToWebview['type'], Check> = {
  analysis: obj({ report: reportCheck }),
  clear: obj({ reason: opt(str(MAX_MESSAGE)) }),
  ast: obj({ path: str(), ast: opt(astCheck), summary: opt(summaryCheck), error: opt(str(MAX_MESSAGE)) }),
  fileContents: obj({ path: str(), text: opt(str(MAX_TEXT)), error: opt(str(MAX_MESSAGE)) }),
  showPair: obj({ file1: str(), file2: str() }),
  showTab: obj({ tab: oneOf(PANEL_TABS), path: opt(str()) }),
};

const webviewChecks: Record<WebviewToHost['type'], Check> = {
  ready: obj({ analysisId: opt(str()) }),
  openPair: obj({ file1: str(), file2: str() }),
  openFile: obj({ path: str(), line: opt(int(1)), endLine: opt(int(1)) }),
  requestAst: obj({ path: str() }),
  requestFile: obj({ path: str() }),
  log: obj({ level: oneOf(['info', 'warn', 'error']), message: str(MAX_MESSAGE) }),
};

function parseWith<T extends { type: string }>(checks: Record<string, Check>, v: unknown, side: string): Parsed<T> {
  if (!isObj(v)) return { ok: false, error: `${side}: not an object` };
  const type = v.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(checks, type)) {
    return { ok: false, error: `${side}: unknown message type ${JSON.stringify(String(type)).slice(0, 80)}` };
  }
  const e = checks[type]!(v);
  if (e) return { ok: false, error: `${side}: ${type}${e}` };
  if (type === 'analysis') {
    const shape = matrixShape((v as { report: SimilarityReport }).report);
    if (shape) return { ok: false, error: `${side}: ${shape}` };
  }
  return { ok: true, value: v as unknown as T };
}

/** Checks a message the host sent (run by the webview). */
export function parseHostMessage(v: unknown): Parsed<HostToWebview> {
  return parseWith<HostToWebview>(hostChecks, v, 'host message');
}

/** Checks a message the webview sent (run by the extension). */
export function parseWebviewMessage(v: unknown): Parsed<WebviewToHost> {
  return parseWith<WebviewToHost>(webviewChecks, v, 'webview message');
}

/** Checks a report on its own (e.g. one read from disk before it is posted). */
export function parseReport(v: unknown): Parsed<SimilarityReport> {
  const r = reportCheck(v);
  const e = r ? `report${r}` : matrixShape(v as SimilarityReport);
  return e ? { ok: false, error: e } : { ok: true, value: v as SimilarityReport };
}

/** What the webview keeps across reloads (vscode.setState); the serializer receives it back. */
export interface PanelState {
  v: 1;
  tab: PanelTab;
  threshold?: number;
  pair?: { file1: string; file2: string };
  astPath?: string;
  node?: string;
  /** The last analysis, kept when it is small enough (see MAX_STATE_REPORT_CHARS). */
  report?: SimilarityReport;
}

/** Reports up to about this size (as JSON) are kept in the webview state; larger ones come from the host. */
export const MAX_STATE_REPORT_CHARS = 1024 * 1024;

export function parseState(v: unknown): PanelState | undefined {
  if (!isObj(v) || v.v !== 1 || typeof v.tab !== 'string' || !PANEL_TABS.includes(v.tab as PanelTab)) return undefined;
  const s: PanelState = { v: 1, tab: v.tab as PanelTab };
  if (typeof v.threshold === 'number' && v.threshold >= 0 && v.threshold <= 1) s.threshold = v.threshold;
  if (isObj(v.pair) && typeof v.pair.file1 === 'string' && typeof v.pair.file2 === 'string') s.pair = { file1: v.pair.file1, file2: v.pair.file2 };
  if (typeof v.astPath === 'string') s.astPath = v.astPath;
  if (typeof v.node === 'string') s.node = v.node;
  if (v.report !== undefined && parseReport(v.report).ok) s.report = v.report as SimilarityReport;
  return s;
}
