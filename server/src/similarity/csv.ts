// Spreadsheet exports of a `compare` report: one row per listed pair, and one row per document with
// its highest match (what a gradebook needs). RFC 4180: CRLF rows, fields quoted when they hold a
// quote, comma or line break. Paths come from users, so text that a spreadsheet would run as a formula
// (leading =, +, -, @, tab or CR) is prefixed with an apostrophe, as OWASP advises: quoting alone does
// not stop Excel or LibreOffice from evaluating it.
import type { CompareReport, ReportPair } from './engine';

/** What the CSV reads of a pair besides the engine's fields: the judge's verdicts, when it ran. */
type CsvPair = ReportPair & {
  llm_verdict?: { classification?: string; confidence?: string };
  refined_verdict?: { refined_classification?: string; refined_risk_level?: string };
};
type CsvReport = Pick<CompareReport, 'files' | 'graph'> & { similarity: { pairs: CsvPair[] } };

export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `eol`: CRLF as RFC 4180 says; LF where the text goes to a terminal (which must not get raw CRs). */
export function csvRows(rows: unknown[][], eol = '\r\n'): string {
  return rows.map((r) => r.map(csvField).join(',')).join(eol) + eol;
}

export const PAIR_COLUMNS = ['file1', 'file2', 'file1_archive', 'file2_archive', 'score', 'reported', 'significance', 'standout', 'ast', 'cfg',
  'dataflow', 'verdict', 'verdict_confidence', 'risk', 'regions'] as const;

export const FILE_COLUMNS = ['document', 'files', 'reported_pairs', 'highest_score', 'best_match', 'best_match_archive', 'significance', 'verdict', 'risk'] as const;

/** The documents an archive supplied (`archive: true` on the graph's nodes). */
function archiveDocs(r: CsvReport): Set<string> {
  return new Set(r.graph.nodes.filter((n) => (n as { archive?: boolean }).archive).map((n) => n.id));
}

/** One row per pair the report lists (reported pairs; every pair with --all-pairs), in the report's order. */
export function pairsCsv(r: CsvReport, eol?: string): string {
  const arch = archiveDocs(r);
  return csvRows([[...PAIR_COLUMNS], ...r.similarity.pairs.map((p) => [
    p.file1, p.file2, arch.has(p.file1), arch.has(p.file2), p.similarity_score, !!p.reported, p.significance, p.standout,
    p.components.ast, p.components.cfg, p.components.dataflow,
    p.refined_verdict?.refined_classification ?? p.llm_verdict?.classification, p.llm_verdict?.confidence, p.refined_verdict?.refined_risk_level,
    p.matching_regions.length,
  ])], eol);
}

/**
 * One row per analysed document that is not from an archive, in report order, with its best reported
 * pair (highest score); a document without one has 0 reported pairs and empty match columns.
 */
export function filesCsv(r: CsvReport, eol?: string): string {
  const arch = archiveDocs(r);
  const best = new Map<string, { p: CsvPair; other: string }>();
  const count = new Map<string, number>();
  for (const p of r.similarity.pairs) {
    if (p.reported === false) continue;
    for (const [self, other] of [[p.file1, p.file2], [p.file2, p.file1]] as const) {
      count.set(self, (count.get(self) ?? 0) + 1);
      const b = best.get(self);
      if (!b || p.similarity_score > b.p.similarity_score) best.set(self, { p, other });
    }
  }
  const rows = r.graph.nodes.filter((n) => !arch.has(n.id)).map((n) => {
    const b = best.get(n.id);
    return [n.id, n.files, count.get(n.id) ?? 0, b?.p.similarity_score, b?.other, b ? arch.has(b.other) : undefined, b?.p.significance,
      b ? b.p.refined_verdict?.refined_classification ?? b.p.llm_verdict?.classification : undefined, b?.p.refined_verdict?.refined_risk_level];
  });
  return csvRows([[...FILE_COLUMNS], ...rows], eol);
}
