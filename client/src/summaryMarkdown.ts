// Renders a structure summary as Markdown: file metrics, then one row per function.
import { METRIC_LABELS, type FileSummary } from '../../protocol/records';

export function renderSummaryMarkdown(file: string, s: FileSummary): string {
  const m = s.metrics;
  const out = [
    `# Structure summary — ${file}`,
    '',
    `Language: ${s.language} · ${m.total_lines} lines · ${s.functions.length} functions`,
    '',
    '| Metric | Value |',
    '|---|---:|',
    ...METRIC_LABELS.map(([k, label]) => `| ${label === 'Nested functions' ? 'Functions' : label} (\`${k}\`) | ${m[k]} |`),
    '',
  ];
  if (s.functions.length > 0) {
    out.push('## Functions', '', '| Function | Lines | LOC | Complexity | Depth | Loops | Ifs |', '|---|---|---:|---:|---:|---:|---:|');
    for (const f of s.functions) {
      const fm = f.metrics;
      out.push(`| \`${f.name.replace(/\|/g, '\\|')}\` | ${f.start_line}–${f.end_line} | ${fm.lines_of_code} | ${fm.basic_cyclomatic_complexity} | ${fm.ast_depth} | ${fm.loop_count} | ${fm.if_count} |`);
    }
    out.push('');
  }
  if (s.syntax_errors.length > 0) {
    out.push('## Syntax errors', '', 'The file was analysed as far as the syntax tree allows.', '');
    for (const e of s.syntax_errors) out.push(`- line ${e.line}, column ${e.column}: ${e.message}`);
    out.push('');
  }
  return out.join('\n');
}
