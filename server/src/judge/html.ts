// The judge's part of the HTML report: the summary and each judged pair's verdict and risk level.
import type { JudgedReport } from '../../../protocol/report';
import type { RiskLevel } from './types';
import { HTML_PAIRS_MAX } from '../../../protocol/config';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const RISK_COLOURS: Record<RiskLevel, string> = { NONE: '#d9f2d9', LOW: '#e6eef9', MEDIUM: '#fbe7b5', HIGH: '#f8c4c4', CRITICAL: '#e88' };

/** A `<section>` to place before `</body>` of the similarity report ('' when the judge was off). */
export function renderJudgeHtml(r: JudgedReport): string {
  const s = r.llm_summary;
  if (!r.metadata.llm_enabled || !s) return '';
  // The pairs the page lists (HTML_PAIRS_MAX); the JSON report has every verdict.
  const judged = r.similarity.pairs.map((p, k) => ({ p, k })).filter(({ p }) => p.llm_verdict && p.refined_verdict);
  const shown = judged.filter(({ k }) => k < HTML_PAIRS_MAX);
  const rows = shown.map(({ p, k }) => {
    const v = p.llm_verdict!;
    const rv = p.refined_verdict!;
    return `<tr><td><a href="#pair-${k + 1}">${k + 1}</a></td><td>${esc(p.file1)}</td><td>${esc(p.file2)}</td>` +
      `<td class="num">${(p.similarity_score * 100).toFixed(1)}%</td><td>${esc(v.classification)}</td><td>${esc(v.confidence)}</td>` +
      `<td style="background:${RISK_COLOURS[rv.refined_risk_level]}">${rv.refined_risk_level}</td><td>${esc(v.algorithm_detected ?? '')}</td>` +
      `<td>${esc(v.reasoning)}${v.error ? `<br><em>${esc(v.error)}</em>` : ''}</td><td>${esc(rv.recommendation)}</td><td>${v.source}${v.cached ? ' (cached)' : ''}</td></tr>`;
  }).join('\n');
  const risk = Object.entries(s.risk_level_breakdown).map(([k, n]) => `${k} ${n}`).join(' · ');
  return `<section id="judge"><h2>Semantic judge (${esc(s.provider)}${s.model ? `, ${esc(s.model)}` : ''})</h2>
<ul><li>Pairs judged: ${s.pairs_evaluated_by_llm}</li><li>Likely copies: ${s.likely_copy_count} · standard algorithms: ${s.standard_algorithm_count} · templates: ${s.template_count} · unknown: ${s.unknown_count}</li>
<li>Risk levels: ${risk}</li>${s.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
${rows ? `<table><tr><th>#</th><th>file 1</th><th>file 2</th><th>score</th><th>verdict</th><th>confidence</th><th>risk</th><th>algorithm</th><th>reasoning</th><th>recommendation</th><th>by</th></tr>\n${rows}</table>` : '<p>No pair reached the judge threshold.</p>'}${judged.length > shown.length ? `\n<p class="more">${(judged.length - shown.length).toLocaleString('en')} more judged pairs, past the ${HTML_PAIRS_MAX.toLocaleString('en')} listed, are in the JSON report (<code>--format json</code>).</p>` : ''}
</section>`;
}
