// `code-origin archive build PATH… -o FILE`, `archive add FILE PATH…`, `archive info FILE`: a saved
// index of earlier submissions for `compare --archive FILE` (similarity/archive.ts).
import fs from 'node:fs';
import type { Command } from 'commander';
import { parseLanguage } from '../../core/languages';
import type { WorkerCount } from '../../core/workerPool';
import { ArchiveError, buildArchive, indexBytes, openIndex, type ArchiveBuildResult } from '../../similarity/archive';
import { type CliContext, ExitCode, UsageError, parseSize } from '../context';
import { oneLine } from '../terminalText';
import { DEFAULT_MAX_FILE_BYTES } from '../../../../protocol/config';

interface Opts { output?: string; submissions?: boolean; exclude: string[]; language?: string; maxFileSize: string; workers: string }

const collect = (v: string, prev: string[]) => [...prev, v];

function withInputOptions(cmd: Command): Command {
  return cmd
    .option('--exclude <pattern>', 'gitignore-style pattern to leave out (repeatable)', collect, [])
    .option('--language <lang>', 'force the language instead of detecting it per file')
    .option('--workers <n>', 'worker threads for parsing: a number (0: none) or auto', 'auto')
    .option('--max-file-size <bytes>', 'skip files larger than this', String(DEFAULT_MAX_FILE_BYTES));
}

export function registerArchive(program: Command, ctx: CliContext): void {
  const archive = program.command('archive').description('a saved index of earlier submissions, for `compare --archive FILE`');
  withInputOptions(archive.command('build')
    .description('index files, folders or .zip archives of earlier submissions (features and text) into FILE')
    .argument('<paths...>', 'files, folders or .zip archives')
    .requiredOption('-o, --output <file>', 'the index to write (an index of ours there is replaced; any other file is refused)')
    .option('--submissions', 'each immediate sub-folder or archive of an input is one submission'))
    .action((paths: string[], opts: Opts) => run(ctx, opts.output!, paths, 'build', opts));
  withInputOptions(archive.command('add')
    .description('add files, folders or .zip archives to an index (a path archived again replaces its entry)')
    .argument('<file>', 'an index made by `archive build`')
    .argument('<paths...>', 'files, folders or .zip archives'))
    .action((file: string, paths: string[], opts: Opts) => run(ctx, file, paths, 'add', opts));
  archive.command('info')
    .description('what an index holds, as JSON')
    .argument('<file>', 'an index made by `archive build`')
    .action(async (file: string) => {
      const { cache, manifest } = await openIndex(file).catch((e: unknown) => { throw e instanceof ArchiveError ? new UsageError(e.message) : e; });
      cache.close();
      const { entries, ...rest } = manifest;
      ctx.out(JSON.stringify({ ...rest, files: entries.length, documents: new Set(entries.map((e) => e.doc)).size, bytes: indexBytes(file) }, null, 2));
    });
}

async function run(ctx: CliContext, file: string, paths: string[], mode: 'build' | 'add', opts: Opts): Promise<void> {
  const language = opts.language ? parseLanguage(opts.language) : undefined;
  if (opts.language && !language) throw new UsageError(`unknown language "${opts.language}"`);
  const workers: WorkerCount = opts.workers === 'auto' ? 'auto' : Number(opts.workers);
  if (workers !== 'auto' && (!Number.isInteger(workers) || workers < 0 || workers > 64)) throw new UsageError(`--workers must be auto or an integer from 0 to 64, got "${opts.workers}"`);
  for (const p of paths) if (!fs.existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
  const t0 = Date.now();
  let r: ArchiveBuildResult;
  try {
    r = await buildArchive(file, paths, mode, {
      submissions: !!opts.submissions, exclude: opts.exclude, language, maxBytes: parseSize(opts.maxFileSize), workers, log: (m) => ctx.err(oneLine(m)),
    });
  } catch (e) {
    throw e instanceof ArchiveError ? new UsageError(e.message) : e;
  }
  ctx.err(`${file}: ${mode === 'build' ? 'built' : 'updated'} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${r.added} files added${r.replaced ? `, ${r.replaced} replaced` : ''}`
    + `${r.skipped ? `, ${r.skipped} skipped` : ''}; it holds ${r.files} files (${r.documents} documents), ${(r.bytes / 1048576).toFixed(1)} MB`);
  ctx.exitCode = r.skipped ? ExitCode.AnalysisProblem : ExitCode.Ok;
}
