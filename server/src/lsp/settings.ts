// The `codeOrigin.*` settings the server reads, with defaults used when the client sends none.
import { SEVERITIES } from './severity';
import { readLanguages, readSeverity } from './settingValues';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { DIAGNOSTICS_SCOPES, SETTINGS_DEFAULTS, type DiagnosticsScope, type LanguageId } from '../../../protocol/config';
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

export { DIAGNOSTICS_SCOPES, type DiagnosticsScope } from '../../../protocol/config';

export interface ServerSettings {
  maxFileSize: number;
  enabledLanguages: LanguageId[];
  astMaxDepth: number;
  astMaxNodes: number;
  similarity: SimilaritySettings;
  origin: OriginSettings;
}

/** protocol/config.ts's defaults, as the server holds them. */
const sim = SETTINGS_DEFAULTS.similarity;
export const DEFAULT_SETTINGS: ServerSettings = {
  maxFileSize: SETTINGS_DEFAULTS.maxFileSize,
  enabledLanguages: [...SETTINGS_DEFAULTS.enabledLanguages],
  astMaxDepth: SETTINGS_DEFAULTS.ast.maxDepth,
  astMaxNodes: SETTINGS_DEFAULTS.ast.maxNodes,
  similarity: {
    enabled: sim.enabled,
    reportThreshold: sim.reportThreshold,
    raiseThreshold: sim.raiseThreshold,
    severity: SEVERITIES[sim.severity],
    raisedSeverity: SEVERITIES[sim.raisedSeverity],
    maxFiles: sim.maxFiles,
    diagnosticsScope: sim.diagnosticsScope,
  },
  origin: DEFAULT_ORIGIN_SETTINGS,
};

/** Accepts whatever the client sent and keeps only well-formed values. */
export function readSettings(raw: unknown): ServerSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const ast = (s.ast && typeof s.ast === 'object' ? s.ast : {}) as Record<string, unknown>;
  const sim = (s.similarity && typeof s.similarity === 'object' ? s.similarity : {}) as Record<string, unknown>;
  const pos = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : d);
  const unit = (v: unknown, d: number) => (typeof v === 'number' && v >= 0 && v <= 1 ? v : d);
  const defaults = DEFAULT_SETTINGS.similarity;
  return {
    maxFileSize: pos(s.maxFileSize, DEFAULT_SETTINGS.maxFileSize),
    enabledLanguages: readLanguages(s.enabledLanguages, DEFAULT_SETTINGS.enabledLanguages),
    astMaxDepth: Math.floor(pos(ast.maxDepth, DEFAULT_SETTINGS.astMaxDepth)),
    astMaxNodes: Math.floor(pos(ast.maxNodes, DEFAULT_SETTINGS.astMaxNodes)),
    similarity: {
      enabled: typeof sim.enabled === 'boolean' ? sim.enabled : defaults.enabled,
      reportThreshold: unit(sim.reportThreshold, defaults.reportThreshold),
      raiseThreshold: unit(sim.raiseThreshold, defaults.raiseThreshold),
      severity: readSeverity(sim.severity, defaults.severity),
      raisedSeverity: readSeverity(sim.raisedSeverity, defaults.raisedSeverity),
      maxFiles: Math.floor(pos(sim.maxFiles, defaults.maxFiles)),
      diagnosticsScope: (DIAGNOSTICS_SCOPES as readonly unknown[]).includes(sim.diagnosticsScope) ? sim.diagnosticsScope as DiagnosticsScope : defaults.diagnosticsScope,
    },
    origin: readOriginSettings(s.origin),
  };
}
