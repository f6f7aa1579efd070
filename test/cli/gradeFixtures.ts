// Small generated classes for the grader's tests (CSV export, archives): programs of one task, near-copies
// of them with renamed identifiers, and unrelated programs, written as files.
import fs from 'node:fs';
import path from 'node:path';

/** A ~30-line Python program; `seed` picks the task, `rename` disguises the identifiers (a copy). */
export function program(seed: number, rename = ''): string {
  const v = (n: string) => `${n}${rename}`;
  const ops = ['+', '-', '*'];
  const op = ops[seed % 3]!;
  const k = seed % 7 + 2;
  return [
    `def ${v('load')}(${v('path')}):`,
    `    ${v('rows')} = []`,
    `    with open(${v('path')}) as ${v('fh')}:`,
    `        for ${v('line')} in ${v('fh')}:`,
    `            ${v('parts')} = ${v('line')}.strip().split(",")`,
    `            if len(${v('parts')}) < ${k}:`,
    '                continue',
    `            ${v('rows')}.append([int(${v('x')}) for ${v('x')} in ${v('parts')}[:${k}]])`,
    `    return ${v('rows')}`,
    '',
    `def ${v('score')}(${v('rows')}, ${v('w')}):`,
    `    ${v('total')} = 0`,
    `    for ${v('i')}, ${v('row')} in enumerate(${v('rows')}):`,
    `        ${v('acc')} = 1`,
    `        for ${v('j')}, ${v('cell')} in enumerate(${v('row')}):`,
    `            if ${v('cell')} % ${k} == ${seed % k}:`,
    `                ${v('acc')} = ${v('acc')} ${op} ${v('cell')} * ${v('w')}`,
    `            elif ${v('cell')} > ${v('i')} ${op} ${v('j')}:`,
    `                ${v('acc')} -= ${v('j')}`,
    '            else:',
    `                ${v('acc')} += ${seed}`,
    `        ${v('total')} += ${v('acc')} if ${v('acc')} > 0 else -${v('acc')}`,
    `    return ${v('total')}`,
    '',
    `def main_${seed % 5}():`,
    `    ${v('data')} = ${v('load')}("in${seed}.csv")`,
    `    print(${v('score')}(${v('data')}, ${seed % 4 + 1}))`,
    `    while ${v('data')}:`,
    `        ${v('data')}.pop()`,
    '',
  ].join('\n');
}

/** Unrelated code of its own shape (a different structure per seed). */
export function unrelated(seed: number): string {
  const lines = [`class Box${seed}:`, '    def __init__(self, items):', '        self.items = list(items)', ''];
  for (let m = 0; m < 3 + (seed % 4); m++) {
    lines.push(`    def m${m}(self, q):`);
    lines.push(m % 2 ? `        return [x for x in self.items if x != q * ${m + seed}]` : `        self.items.sort(key=lambda t: (t % ${m + 2}, -t))`);
    if (m % 2 === 0) lines.push(`        return self.items[:${m + seed % 9}]`);
    lines.push('');
  }
  return lines.join('\n');
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** RFC 4180 reader (independent of the writer under test): rows of fields, quotes undone. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      // CRLF ends the row; the LF is skipped below.
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) throw new Error('CSV does not end with a line break');
  return rows;
}
