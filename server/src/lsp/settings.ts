// The `codeOrigin.*` settings the server reads, with defaults used when the client sends none.
import { DEFAULT_AST_MAX_DEPTH, DEFAULT_AST_MAX_NODES } from '../core/astView';
import { LANGUAGES, type LanguageId } from '../core/languages';
import { DEFAULT_MAX_FILE_BYTES } from '../core/source';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { DEFAULT_ORIGIN_SETTINGS, readOriginSettings, type OriginSettings } from './origin/settings';

export interface SimilaritySettings {
  enabled: boolean;
  reportThreshold: number;
  raiseThreshold: number;
  severity: DiagnosticSeverity;
  raisedSeverity: DiagnosticSeverity;
  /** The workspace index analyses at most this many files (the first in path order) and says so. */
  maxFiles: number;
  /** Which files get diagnostics: see `scopeFor` in similarity/workspaceIndex.ts. */
  diagnosticsScope: DiagnosticsScope;
}

export const DIAGNOSTICS_SCOPES = ['auto', 'workspace', 'openFiles'] as const;
export type DiagnosticsScope = typeof DIAGNOSTICS_SCOPES[number];

export interface ServerSettings {
  maxFileSize: number;
  enabledLanguages: LanguageId[];
  astMaxDepth: number;
  astMaxNodes: number;
  similarity: SimilaritySettings;
  origin: OriginSettings;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  maxFileSize: DEFAULT_MAX_FILE_BYTES,
  enabledLanguages: [...LANGUAGES],
  astMaxDepth: DEFAULT_AST_MAX_DEPTH,
  astMaxNodes: DEFAULT_AST_MAX_NODES,
  similarity: {
    enabled: true,
    reportThreshold: 0.5,
    raiseThreshold: 0.7,
    severity: DiagnosticSeverity.Information,
    raisedSeverity: DiagnosticSeverity.Warning,
    maxFiles: 5000,
    diagnosticsScope: 'auto',
  },
  origin: DEFAULT_ORIGIN_SETTINGS,
};

const SEVERITIES: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

/** Accepts whatever the client sent and keeps only well-formed values. */
export function readSettings(raw: unknown): ServerSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const ast = (s.ast && typeof s.ast === 'object' ? s.ast : {}) as Record<string, unknown>;
  const sim = (s.similarity && typeof s.similarity === 'object' ? s.similarity : {}) as Record<string, unknown>;
  const pos = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : d);
  const unit = (v: unknown, d: number) => (typeof v === 'number' && v >= 0 && v <= 1 ? v : d);
  const sev = (v: unknown, d: DiagnosticSeverity) => (typeof v === 'string' ? SEVERITIES[v.toLowerCase()] ?? d : d);
  const defaults = DEFAULT_SETTINGS.similarity;
  const langs = Array.isArray(s.enabledLanguages)
    ? s.enabledLanguages.filter((l): l is LanguageId => (LANGUAGES as readonly unknown[]).includes(l))
    : DEFAULT_SETTINGS.enabledLanguages;
  // tsx follows typescript: users think of them as one language.
  if (langs.includes('typescript') && !langs.includes('tsx')) langs.push('tsx');
  return {
    maxFileSize: pos(s.maxFileSize, DEFAULT_SETTINGS.maxFileSize),
    enabledLanguages: langs,
    astMaxDepth: Math.floor(pos(ast.maxDepth, DEFAULT_SETTINGS.astMaxDepth)),
    astMaxNodes: Math.floor(pos(ast.maxNodes, DEFAULT_SETTINGS.astMaxNodes)),
    similarity: {
      enabled: typeof sim.enabled === 'boolean' ? sim.enabled : defaults.enabled,
      reportThreshold: unit(sim.reportThreshold, defaults.reportThreshold),
      raiseThreshold: unit(sim.raiseThreshold, defaults.raiseThreshold),
      severity: sev(sim.severity, defaults.severity),
      raisedSeverity: sev(sim.raisedSeverity, defaults.raisedSeverity),
      maxFiles: Math.floor(pos(sim.maxFiles, defaults.maxFiles)),
      diagnosticsScope: (DIAGNOSTICS_SCOPES as readonly unknown[]).includes(sim.diagnosticsScope) ? sim.diagnosticsScope as DiagnosticsScope : defaults.diagnosticsScope,
    },
    origin: readOriginSettings(s.origin),
  };
}
