// Setting values as users write them, read the same way by every feature's settings.
import type { DiagnosticSeverity } from 'vscode-languageserver';
import { LANGUAGES, type LanguageId } from '../../../protocol/config';
import { SEVERITIES } from './severity';

/** "warning", "Error"...: the LSP severity, or the default for anything else. */
export function readSeverity(v: unknown, d: DiagnosticSeverity): DiagnosticSeverity {
  return typeof v === 'string' ? (SEVERITIES as Record<string, DiagnosticSeverity>)[v.toLowerCase()] ?? d : d;
}

/** The known languages of a list (a fresh array; the default's copy when it is not a list); tsx follows typescript. */
export function readLanguages(v: unknown, d: readonly LanguageId[]): LanguageId[] {
  const langs = Array.isArray(v) ? v.filter((l): l is LanguageId => (LANGUAGES as readonly unknown[]).includes(l)) : [...d];
  // tsx follows typescript: users think of them as one language.
  if (langs.includes('typescript') && !langs.includes('tsx')) langs.push('tsx');
  return langs;
}
