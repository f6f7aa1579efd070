// `code-origin summary <path...>`: structure metrics per file and per function.
import type { Command } from 'commander';
import { summarizeFile } from '../../core/analyze';
import { parseLanguage } from '../../core/languages';
import type { FileSummary } from '../../core/summary';
import { expandInputs, reportUnread } from '../files';
import { JsonArrayWriter } from '../jsonOut';
import { type CliContext, ExitCode, UsageError, parseFormat, parseSize } from '../context';
import { oneLine } from '../terminalText';
import { renderTable } from '../table';
import { DEFAULT_MAX_FILE_BYTES } from '../../../../protocol/config';

export function registerSummary(program: Command, ctx: CliContext): void {
  program
    .command('summary')
    .description('Structure summary (depth, functions, classes, loops, ifs, complexity, subtrees, lines of code) per file and function')
    .argument('<paths...>', 'files or folders (folders are searched for supported source files)')
    .option('-f, --format <format>', 'json or table', 'table')
    .option('--language <lang>', 'force the language instead of detecting it from each extension')
    .option('--max-file-size <bytes>', 'skip files larger than this', String(DEFAULT_MAX_FILE_BYTES))
    .option('--no-functions', 'table format: list files only')
    .action(async (paths: string[], opts: { format: string; language?: string; maxFileSize: string; functions: boolean }) => {
      const format = parseFormat(opts.format, ['json', 'table']);
      const maxBytes = parseSize(opts.maxFileSize);
      const language = opts.language ? parseLanguage(opts.language) : undefined;
      if (opts.language && !language) throw new UsageError(`unknown language "${opts.language}"`);
      const { files, missing, problems: unread } = await expandInputs(paths);
      if (missing.length) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
      let problems = reportUnread(ctx, unread);
      if (files.length === 0) {
        if (problems === 0) throw new UsageError('no supported source files found in the given paths');
        ctx.err('code-origin: no supported source files could be read in the given paths');
        ctx.exitCode = ExitCode.AnalysisProblem;
        return;
      }

      // JSON goes out file by file: twelve 1 MB files of small functions make more JSON than one string can hold.
      const json = format === 'json' ? new JsonArrayWriter(ctx, '{\n  "files": [', '  ]\n}', 2) : undefined;
      const rows: Array<{ path: string; s: FileSummary }> = [];
      for (const file of files) {
        const r = await summarizeFile(file, { maxBytes, language });
        if (!r.ok) {
          problems++;
          ctx.err(`${oneLine(r.path)}: skipped: ${oneLine(r.error)}`);
        } else {
          for (const e of r.result.syntax_errors) {
            problems++;
            ctx.err(`${oneLine(r.path)}:${e.line}:${e.column}: ${oneLine(e.message)}`);
          }
        }
        if (json) await json.add(r.ok ? { path: r.path, ...r.result } : { path: r.path, error: r.error });
        else if (r.ok) rows.push({ path: r.path, s: r.result });
      }
      if (json) json.end();
      else ctx.out(summaryTable(rows, opts.functions));
      ctx.exitCode = problems > 0 ? ExitCode.AnalysisProblem : ExitCode.Ok;
    });
}

function summaryTable(rows: Array<{ path: string; s: FileSummary }>, withFunctions: boolean): string {
  const header = ['file / function', 'lang', 'lines', 'LOC', 'fns', 'classes', 'loops', 'ifs', 'CC', 'depth', 'subtrees', 'unique'];
  const body: Array<Array<string | number>> = [];
  for (const { path, s } of rows) {
    const m = s.metrics;
    body.push([path, s.language, m.total_lines, m.lines_of_code, m.function_count, m.class_count, m.loop_count, m.if_count,
      m.basic_cyclomatic_complexity, m.ast_depth, m.total_subtrees, m.unique_subtrees]);
    if (!withFunctions) continue;
    for (const f of s.functions) {
      const fm = f.metrics;
      body.push([`  ${f.name} (line ${f.start_line})`, '', fm.total_lines, fm.lines_of_code, fm.function_count, fm.class_count,
        fm.loop_count, fm.if_count, fm.basic_cyclomatic_complexity, fm.ast_depth, fm.total_subtrees, fm.unique_subtrees]);
    }
  }
  return renderTable(header, body);
}
