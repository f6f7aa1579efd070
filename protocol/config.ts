// Every default and every list of Code Origin, once. The language server's settings, the CLI's options,
// the engine and the panel read their defaults from here; package.json's `contributes.configuration`
// must say the same (test/protocol/config.test.ts compares them). Nothing here touches Node, the DOM
// or VS Code, so the extension, the server, the CLI and the webview all bundle it.

/**
 * The supported languages, one entry each. Adding a language is one entry here (plus its grammar
 * package in package.json, its node kinds in server/src/core/languages.ts, and package.json's lists,
 * which the config test checks against this table).
 */
export const LANGUAGE_TABLE = [
  { id: 'python', grammar: { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm' }, extensions: ['.py', '.pyw', '.pyi'], vscodeIds: ['python'] },
  { id: 'javascript', grammar: { pkg: 'tree-sitter-javascript', file: 'tree-sitter-javascript.wasm' }, extensions: ['.js', '.mjs', '.cjs', '.jsx'], vscodeIds: ['javascript', 'javascriptreact'] },
  { id: 'typescript', grammar: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' }, extensions: ['.ts', '.mts', '.cts'], vscodeIds: ['typescript'] },
  { id: 'tsx', grammar: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' }, extensions: ['.tsx'], vscodeIds: ['typescriptreact'] },
  { id: 'java', grammar: { pkg: 'tree-sitter-java', file: 'tree-sitter-java.wasm' }, extensions: ['.java'], vscodeIds: ['java'] },
  { id: 'c', grammar: { pkg: 'tree-sitter-c', file: 'tree-sitter-c.wasm' }, extensions: ['.c', '.h'], vscodeIds: ['c'] },
  { id: 'cpp', grammar: { pkg: 'tree-sitter-cpp', file: 'tree-sitter-cpp.wasm' }, extensions: ['.cc', '.cpp', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h++'], vscodeIds: ['cpp'] },
  { id: 'go', grammar: { pkg: 'tree-sitter-go', file: 'tree-sitter-go.wasm' }, extensions: ['.go'], vscodeIds: ['go'] },
  { id: 'rust', grammar: { pkg: 'tree-sitter-rust', file: 'tree-sitter-rust.wasm' }, extensions: ['.rs'], vscodeIds: ['rust'] },
] as const;

export type LanguageId = (typeof LANGUAGE_TABLE)[number]['id'];
export const LANGUAGES: readonly LanguageId[] = LANGUAGE_TABLE.map((l) => l.id);

/** VS Code language id → our language (JSX is a JavaScript dialect the javascript grammar parses). */
export const LANGUAGE_BY_VSCODE_ID: Readonly<Record<string, LanguageId>> = Object.fromEntries(
  LANGUAGE_TABLE.flatMap((l) => l.vscodeIds.map((v) => [v, l.id])),
);
/** The VS Code language ids the extension activates on. */
export const VSCODE_LANGUAGE_IDS: readonly string[] = Object.keys(LANGUAGE_BY_VSCODE_ID);

export function languageFromVscodeId(id: string): LanguageId | undefined {
  return LANGUAGE_BY_VSCODE_ID[id];
}

/** Diagnostic severities by the names the settings use. */
export const SEVERITY_NAMES = ['error', 'warning', 'information', 'hint'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

export const DIAGNOSTICS_SCOPES = ['auto', 'workspace', 'openFiles'] as const;
export type DiagnosticsScope = (typeof DIAGNOSTICS_SCOPES)[number];

export const JUDGE_PROVIDERS = ['off', 'local', 'gemini'] as const;
export type JudgeProvider = (typeof JUDGE_PROVIDERS)[number];

/** Files larger than this many bytes are skipped (settings, CLI `--max-file-size`, each zip entry). */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** The report rule's min_score: pairs at or above it are reported when they stand out from their class. */
export const DEFAULT_REPORT_THRESHOLD = 0.5;
/** Pairs at or above this score join clusters (and the panel's threshold starts here). */
export const DEFAULT_CLUSTER_THRESHOLD = 0.75;
/**
 * An HTML report lists at most this many pairs (and the judge's verdicts of those): 800 identical files
 * (320,000 reported pairs) made a 431 MB page no browser opens. The JSON and CSV reports list every pair.
 */
export const HTML_PAIRS_MAX = 5_000;
export const DEFAULT_AST_MAX_DEPTH = 64;
export const DEFAULT_AST_MAX_NODES = 5000;
/** Origin model: functions with fewer model tokens are "too short to judge". */
export const DEFAULT_MIN_TOKENS = 48;
/** Origin model: windows classified per file or function. */
export const DEFAULT_MAX_WINDOWS = 16;
export const DEFAULT_GEMINI_MODEL = 'gemini-2.5-flash';

/** The `codeOrigin.*` settings' defaults, shaped as the settings object VS Code hands the server. */
export const SETTINGS_DEFAULTS = {
  maxFileSize: DEFAULT_MAX_FILE_BYTES,
  enabledLanguages: LANGUAGES,
  ast: { maxDepth: DEFAULT_AST_MAX_DEPTH, maxNodes: DEFAULT_AST_MAX_NODES },
  similarity: {
    enabled: true,
    reportThreshold: DEFAULT_REPORT_THRESHOLD,
    raiseThreshold: 0.7,
    severity: 'information' as SeverityName,
    raisedSeverity: 'warning' as SeverityName,
    diagnosticsScope: 'auto' as DiagnosticsScope,
    maxFiles: 5000,
  },
  origin: {
    enabled: true,
    modelPath: '',
    severity: 'information' as SeverityName,
    /** null: the model's own llm_threshold. */
    threshold: null as number | null,
    enabledLanguages: LANGUAGES,
    minTokens: DEFAULT_MIN_TOKENS,
    maxWindows: DEFAULT_MAX_WINDOWS,
    debounceMs: 600,
    steps: 32,
    explainMaxWindows: 4,
    codeLens: true,
    unevaluatedLanguages: false,
  },
  judge: {
    provider: 'local' as JudgeProvider,
    model: DEFAULT_GEMINI_MODEL,
    threshold: 0.7,
    maxCalls: 50,
    concurrency: 4,
    timeoutSeconds: 60,
  },
} as const;

/** The defaults as package.json names them: `codeOrigin.similarity.reportThreshold` → 0.5. */
export function flatSettingsDefaults(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (prefix: string, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(`${prefix}.${k}`, x);
    } else out[prefix] = v;
  };
  walk('codeOrigin', SETTINGS_DEFAULTS);
  return out;
}
