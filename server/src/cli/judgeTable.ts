// The judge's part of `--format table`: one row per judged pair.
import type { JudgedReport } from '../../../protocol/report';
import { renderTable } from './table';

export function renderJudgeTable(r: JudgedReport): string {
  const s = r.llm_summary;
  if (!r.metadata.llm_enabled || !s) return '';
  const rows = r.similarity.pairs.filter((p) => p.llm_verdict && p.refined_verdict).map((p) => [
    p.file1, p.file2, p.similarity_score.toFixed(3), p.llm_verdict!.classification, p.llm_verdict!.confidence,
    p.refined_verdict!.refined_risk_level, p.llm_verdict!.algorithm_detected ?? '', p.llm_verdict!.source,
  ]);
  const head = `judge (${s.provider}${s.model ? `, ${s.model}` : ''}): ${s.pairs_evaluated_by_llm} pairs judged, ${s.likely_copy_count} likely copies, ` +
    `${s.standard_algorithm_count} standard algorithms, ${s.template_count} templates, ${s.unknown_count} unknown`;
  return rows.length ? `${head}\n${renderTable(['file 1', 'file 2', 'score', 'verdict', 'confidence', 'risk', 'algorithm', 'by'], rows)}` : head;
}
