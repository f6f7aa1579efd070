// `--output FILE` for reports: checked before any work, and written without destroying what the user has.
// A new path is written; an existing file is replaced only when it is empty or a report of ours (a re-run
// over last week's report). Anything else (a source file named by mistake, a link, a folder, a device) is
// refused untouched: `compare d --output main.py` replaced main.py with the report.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './context';

/** First lines of the reports this CLI writes (HTML, compare's JSON, its two CSVs, the table). */
const OURS: RegExp[] = [
  /^<!doctype html>\s*<html[^>]*><head><meta charset="utf-8"><title>Code Origin /i,
  /^\{\s*"analysis_id":/,
  /^file1,file2,file1_archive,file2_archive,score,/,
  /^document,files,reported_pairs,/,
  /^\d+ files?, \d+ suspicious pairs?/,
];

export function checkReportOutput(file: string, opts: { makeFolder?: boolean } = {}): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`--output ${file}: cannot check it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    const dir = path.dirname(path.resolve(file));
    if (!opts.makeFolder && !fs.existsSync(dir)) throw new UsageError(`--output ${file}: no such folder: ${dir}`);
    return;
  }
  const refuse = (why: string) => new UsageError(`--output ${file}: ${why}; refusing to replace it (remove it or choose another path)`);
  if (st.isSymbolicLink()) throw refuse('is a symbolic link');
  if (st.isDirectory()) throw new UsageError(`--output ${file}: is a folder; give a file path`);
  if (!st.isFile()) throw refuse('is not a regular file');
  if (st.size === 0) return;
  const head = Buffer.alloc(Math.min(st.size, 4096));
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (!OURS.some((r) => r.test(text))) throw refuse('exists and is not a Code Origin report');
}

/** Writes a checked output path (`checkReportOutput` first, before the work). */
export function writeReport(file: string, text: string, opts: { makeFolder?: boolean } = {}): void {
  if (opts.makeFolder) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}
