// Plain-text tables for `--format table`: columns padded to width, numbers right-aligned; cells are
// escaped (oneLine), so a file name cannot break a row or reach the terminal as a control sequence.
import { oneLine } from './terminalText';

export function renderTable(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map((c) => oneLine(String(c))))];
  // A loop, not Math.max(...): 320,000 rows overflowed the call stack as arguments.
  const widths = header.map((_, i) => cells.reduce((w, r) => Math.max(w, (r[i] ?? '').length), 0));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === ''));
  const line = (r: string[]) =>
    r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
