// A self-contained HTML report (no scripts from the network, no external styles): summary, ranked
// pairs, clusters and side-by-side matching regions.
import type { CompareReport } from './engine';
import { pairReported } from './significance';
import { HTML_PAIRS_MAX } from '../../../protocol/config';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A page shows the regions of at most this many pairs (HTML_PAIRS_MAX: how many it lists). */
const DETAILS_MAX = 1_000;

export function renderHtml(r: CompareReport): string {
  const s = r.summary;
  // The report rule decides what is listed (older reports: the raw threshold).
  const reported = r.similarity.pairs.filter((p) => pairReported(p, r.metadata.thresholds.min_score));
  const listed = reported.slice(0, HTML_PAIRS_MAX);
  const more = reported.length - listed.length;
  const sig = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(1));
  // Earlier submissions (compare --archive) are marked wherever a document is named.
  const archived = new Set(r.graph.nodes.filter((n) => n.archive).map((n) => n.id));
  const tag = (d: string) => (archived.has(d) ? ' <span class="archive">archive</span>' : '');
  const rows = listed.map((p, k) => `<tr><td>${k + 1}</td><td><a href="#pair-${k + 1}">${esc(p.file1)}</a>${tag(p.file1)}</td><td>${esc(p.file2)}${tag(p.file2)}</td>` +
    `<td class="num ${p.similarity_score >= r.metadata.thresholds.cluster ? 'high' : p.similarity_score >= r.metadata.thresholds.min_score ? 'mid' : ''}">${pct(p.similarity_score)}</td>` +
    `<td class="num">${sig(p.significance)}${p.standout === undefined ? '' : ` <span title="the score over either file's next-best match">(${p.standout.toFixed(1)}×)</span>`}</td><td class="num">${pct(p.components.ast)}</td><td class="num">${pct(p.components.cfg)}</td><td class="num">${pct(p.components.dataflow)}</td><td class="num">${p.matching_regions.length}</td></tr>`).join('\n');
  const details = listed.map((p, i) => ({ p, k: i + 1 })).filter(({ p }) => p.matching_regions.length > 0).slice(0, DETAILS_MAX).map(({ p, k }) => {
    const regions = p.matching_regions.map((m) => `<div class="region"><div class="side"><div class="hdr">${esc(m.file1 ?? p.file1)} lines ${m.file1_lines[0]}–${m.file1_lines[1]}</div><pre>${esc(m.file1_code)}</pre></div>` +
      `<div class="side"><div class="hdr">${esc(m.file2 ?? p.file2)} lines ${m.file2_lines[0]}–${m.file2_lines[1]}</div><pre>${esc(m.file2_code)}</pre></div></div>`).join('\n');
    return `<section id="pair-${k}"><h3>#${k} ${esc(p.file1)}${tag(p.file1)} ↔ ${esc(p.file2)}${tag(p.file2)}: ${pct(p.similarity_score)}</h3>` +
      `<p>AST ${pct(p.components.ast)} · control flow ${pct(p.components.cfg)} · data flow ${pct(p.components.dataflow)}</p>${regions}</section>`;
  }).join('\n');
  const clusters = r.clusters.map((c) => `<li>Cluster ${c.id} (max ${pct(c.max_similarity)}): ${c.files.map(esc).join(', ')}</li>`).join('\n');
  const errors = r.files.filter((f) => f.error).map((f) => `<li>${esc(f.path)}: ${esc(f.error!)}</li>`).join('\n');
  const w = r.metadata.weights;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Code Origin similarity report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}td.num{text-align:right}
td.high{background:#f8c4c4}td.mid{background:#fbe7b5}
.region{display:flex;gap:1em;margin:.6em 0}.side{flex:1;min-width:0}.hdr{font-weight:600;font-size:.9em}
pre{background:#f6f6f6;padding:.5em;overflow:auto;font-size:.85em;margin:0}
section{border-top:1px solid #ddd;margin-top:1.5em}
.archive{font-size:.75em;font-weight:600;background:#dde6f3;color:#234;border-radius:3px;padding:0 .4em}
</style></head><body>
<h1>Code Origin — similarity report</h1>
<p>${esc(r.metadata.timestamp)} · analysis ${esc(r.analysis_id)}</p>
<h2>Summary</h2>
<ul><li>Files: ${s.total_files} (${s.total_documents} compared ${r.metadata.submissions ? 'submissions' : 'files'})</li>
${r.metadata.archive ? `<li>Archive: ${r.metadata.archive.documents} earlier ${r.metadata.submissions ? 'submissions' : 'files'} from ${r.metadata.archive.sources.map(esc).join(', ')}, compared with the new ones only (never with each other)</li>` : ''}
<li>Suspicious pairs: ${s.suspicious_pairs_count} (${esc(r.metadata.report_rule?.description ?? `score ≥ ${pct(r.metadata.thresholds.min_score)}`)})</li>
${r.metadata.common ? `<li>Common code: ${esc(r.metadata.common.rule)}; left out ${r.metadata.common.ignored.fingerprints} fingerprints, ${r.metadata.common.ignored.ast} subtrees (${r.metadata.common.documents} ${r.metadata.submissions ? 'submissions' : 'files'} in ${r.metadata.common.groups} groups)</li>` : ''}
<li>Highest similarity: ${pct(s.highest_similarity)}</li><li>Clusters (≥ ${pct(r.metadata.thresholds.cluster)}): ${s.cluster_count}</li>
<li>Score = ${w.ast}·AST + ${w.cfg}·control flow + ${w.dataflow}·data flow</li></ul>
${clusters ? `<h2>Clusters</h2><ul>${clusters}</ul>` : ''}
<h2>Pairs</h2>
${rows ? `<table><tr><th>#</th><th>file 1</th><th>file 2</th><th>score</th><th title="how far the score stands above this run's background, in class spreads">significance</th><th>AST</th><th>CFG</th><th>data flow</th><th>regions</th></tr>\n${rows}</table>` : '<p>No pair reached the threshold.</p>'}${more > 0 ? `<p class="more">The ${listed.length.toLocaleString('en')} highest-ranked of ${reported.length.toLocaleString('en')} reported pairs are listed here; every pair is in the JSON and CSV reports (<code>--format json</code>, <code>--format csv</code>).</p>\n` : ''}
${details ? `<h2>Matching regions</h2>${details}` : ''}
${errors ? `<h2>Files not analysed</h2><ul>${errors}</ul>` : ''}
</body></html>
`;
}
