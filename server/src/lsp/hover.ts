// Hover over a function's name: its structure metrics as a small Markdown table.
import type { FileSummary, FunctionSummary, Position0, Range0 } from '../core/summary';
import { METRIC_LABELS } from '../../../protocol/records';

export { METRIC_LABELS };

/** The function whose name (or, for anonymous ones, whose first line) is under the cursor. */
export function functionForHover(summary: FileSummary, pos: Position0): FunctionSummary | undefined {
  let best: FunctionSummary | undefined;
  for (const fn of summary.functions) {
    const anchor: Range0 = isEmpty(fn.name_range)
      ? { start: fn.range.start, end: { line: fn.range.start.line, character: Number.MAX_SAFE_INTEGER } }
      : fn.name_range;
    if (inside(anchor, pos) && (!best || fn.range.start.line >= best.range.start.line)) best = fn;
  }
  return best;
}

export function hoverMarkdown(fn: FunctionSummary): string {
  const lines = [
    `**Code Origin** · \`${fn.name}\` (${fn.kind.replace(/_/g, ' ')}, lines ${fn.start_line}–${fn.end_line})`,
    '',
    '| Metric | Value |',
    '|---|---:|',
    ...METRIC_LABELS.map(([k, label]) => `| ${label} | ${fn.metrics[k]} |`),
  ];
  return lines.join('\n');
}

function isEmpty(r: Range0): boolean {
  return r.start.line === r.end.line && r.start.character === r.end.character;
}

function inside(r: Range0, p: Position0): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}
