// The origin diagnostics of a judged document: one on the name of each unit judged LLM, or, for a file without
// judged units (a script), one on its first line. They are published with the similarity diagnostics of the
// same file by the server's DiagnosticsPublisher.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Range0 } from '../../core/summary';
import type { DocAnalysis } from './analysis';
import { verdictText } from './hover';
import { ORIGIN_DIAGNOSTIC_CODE, ORIGIN_DOCS_URL, type OriginVerdict } from './protocol';

/** `firstLine`: the document's first line, where a whole-file verdict is shown. */
export function originDiagnostics(a: DocAnalysis, severity: DiagnosticSeverity | undefined, firstLine: string): Diagnostic[] {
  const make = (range: Range0, v: OriginVerdict, subject: string, data: Record<string, unknown>): Diagnostic => ({
    range,
    severity: severity ?? DiagnosticSeverity.Information,
    source: 'Code Origin',
    code: ORIGIN_DIAGNOSTIC_CODE,
    codeDescription: { href: ORIGIN_DOCS_URL },
    message: `${verdictText(v)}${subject ? ` — ${subject}` : ''}`,
    data: { kind: 'origin', p_llm: v.p_llm, confidence: v.confidence, threshold: a.threshold, ...data },
  });
  const out = a.units.filter((u) => u.label === 'llm').map((u) => make(u.name_range, u, '', { unit: u.name, unitKind: u.kind }));
  if (a.file.label === 'llm' && !a.units.some((u) => u.label !== 'too-short')) {
    out.push(make({ start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } }, a.file, 'whole file', { unit: null }));
  }
  return out;
}
