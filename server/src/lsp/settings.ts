// The `codeOrigin.*` settings the server reads, with defaults used when the client sends none.
import { DEFAULT_AST_MAX_DEPTH, DEFAULT_AST_MAX_NODES } from '../core/astView';
import { LANGUAGES, type LanguageId } from '../core/languages';
import { DEFAULT_MAX_FILE_BYTES } from '../core/source';

export interface ServerSettings {
  maxFileSize: number;
  enabledLanguages: LanguageId[];
  astMaxDepth: number;
  astMaxNodes: number;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  maxFileSize: DEFAULT_MAX_FILE_BYTES,
  enabledLanguages: [...LANGUAGES],
  astMaxDepth: DEFAULT_AST_MAX_DEPTH,
  astMaxNodes: DEFAULT_AST_MAX_NODES,
};

/** Accepts whatever the client sent and keeps only well-formed values. */
export function readSettings(raw: unknown): ServerSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const ast = (s.ast && typeof s.ast === 'object' ? s.ast : {}) as Record<string, unknown>;
  const pos = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : d);
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
  };
}
