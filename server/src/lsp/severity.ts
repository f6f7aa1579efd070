// The LSP severity of each setting name (protocol/config.ts lists the names); one map for every feature.
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { SeverityName } from '../../../protocol/config';

export const SEVERITIES: Record<SeverityName, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};
