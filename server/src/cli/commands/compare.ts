// `code-origin compare PATH...`: structural similarity between files or submissions.
import fs from 'node:fs';
import type { WorkerCount } from '../../core/workerPool';
import type { Command } from 'commander';
import { parseLanguage, type LanguageId } from '../../core/languages';
import { FeatureCache } from '../../similarity/cache';
import { collectInputs } from '../../similarity/inputs';
import { ArchiveError, loadArchives } from '../../similarity/archive';
import { compare, RunRecords, type CompareReport } from '../../similarity/engine';
import { renderHtml } from '../../similarity/html';
import { filesCsv, pairsCsv } from '../../similarity/csv';
import { DEFAULT_WEIGHTS, type Weights } from '../../similarity/score';
import { type CliContext, ExitCode, UsageError, parseFormat, parseSize } from '../context';
import { oneLine } from '../terminalText';
import { checkReportOutput, writeReport } from '../reportOutput';
import { writeJsonFile, writeJsonLines } from '../jsonStream';
import { renderTable } from '../table';
import { JudgeConfigError, renderJudgeHtml, VerdictCache } from '../../judge';
import { judgeReport } from '../../similarity/judgeReport';
import { addJudgeOptions, judgeOptionsFromCli, type JudgeCliFlags } from '../judgeOptions';
import { renderJudgeTable } from '../judgeTable';
import { CacheRefusedError } from '../../store/cacheFile';
import { DEFAULT_CLUSTER_THRESHOLD, DEFAULT_MAX_FILE_BYTES, DEFAULT_REPORT_THRESHOLD } from '../../../../protocol/config';

interface Opts extends JudgeCliFlags {
  template?: string[]; submissions?: boolean; cross?: boolean; minScore: string; clusterThreshold: string; allPairs?: boolean;
  language?: string; format: string; output?: string; exclude: string[]; weights?: string; commonShare: string;
  commonMinDocs: string; cache?: string; maxFileSize: string; workers: string; archive: string[];
}

const collect = (v: string, prev: string[]) => [...prev, v];

function unitNumber(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`${name} must be a number between 0 and 1, got "${v}"`);
  return n;
}

function parseWeights(v: string | undefined): Weights {
  if (!v) return DEFAULT_WEIGHTS;
  const parts = v.split(',').map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x) || x < 0) || parts.reduce((a, b) => a + b, 0) <= 0) {
    throw new UsageError(`--weights must be three non-negative numbers AST,CFG,DATAFLOW (e.g. 0.4,0.3,0.3), got "${v}"`);
  }
  const sum = parts.reduce((a, b) => a + b, 0);
  return { ast: parts[0]! / sum, cfg: parts[1]! / sum, dataflow: parts[2]! / sum };
}

export function registerCompare(program: Command, ctx: CliContext): void {
  addJudgeOptions(program
    .command('compare')
    .description('Structural similarity (normalized AST, control flow, data flow) between files, folders, .zip archives or submissions')
    .argument('<paths...>', 'files, folders or .zip archives')
    .option('--template <path>', 'base code given to everyone (file, folder or .zip; repeatable): removed from the evidence', collect, [])
    .option('--submissions', 'each immediate sub-folder or archive of an input is one submission')
    .option('--cross', 'only compare files that come from different inputs')
    .option('--archive <path>', 'earlier submissions (folder, .zip, or an index from `archive build`; repeatable): compared with the inputs, never with each other', collect, [])
    .option('--min-score <x>', 'report pairs at or above this score that stand out from the class (see metadata.report_rule), and their matching regions', String(DEFAULT_REPORT_THRESHOLD))
    .option('--cluster-threshold <x>', 'pairs at or above this score join clusters', String(DEFAULT_CLUSTER_THRESHOLD))
    .option('--all-pairs', 'report every pair, even those scoring 0')
    .option('--language <lang>', 'force the language instead of detecting it per file')
    .option('--exclude <pattern>', 'gitignore-style pattern to leave out (repeatable)', collect, [])
    .option('--weights <a,c,d>', 'weights of AST, control flow and data flow', '0.4,0.3,0.3')
    .option('--common-share <x>', 'ignore evidence found in more than this share of files (0: off)', '0.1')
    .option('--common-min-docs <n>', 'never treat evidence in this many groups of near-copies or fewer as common', '10')
    .option('--cache <file>', 'sql.js database caching per-file features by content hash, with the pair scores in FILE.pairs and the per-file keys and verdicts of the local judge in FILE.judge/ (off by default)')
    .option('--workers <n>', 'worker threads for parsing: a number (0: none) or auto (one per core, up to 8, once there are 2 million characters to parse)', 'auto')
    .option('--max-file-size <bytes>', 'skip files larger than this', String(DEFAULT_MAX_FILE_BYTES))
    .option('-f, --format <format>', 'json, table, html, csv (one row per reported pair) or csv-files (one row per document with its highest match)', 'json')
    .option('-o, --output <file>', 'write the report to a file instead of stdout'))
    .action(async (paths: string[], opts: Opts) => {
      const format = parseFormat(opts.format, ['json', 'table', 'html', 'csv', 'csv-files']);
      const language = opts.language ? parseLanguage(opts.language) : undefined;
      if (opts.language && !language) throw new UsageError(`unknown language "${opts.language}"`);
      if (opts.cross && paths.length < 2) throw new UsageError('--cross needs at least two inputs');
      const commonMinDocs = Number(opts.commonMinDocs);
      if (!Number.isInteger(commonMinDocs) || commonMinDocs < 1) throw new UsageError(`--common-min-docs must be a positive integer, got "${opts.commonMinDocs}"`);
      const workers: WorkerCount = opts.workers === 'auto' ? 'auto' : Number(opts.workers);
      if (workers !== 'auto' && (!Number.isInteger(workers) || workers < 0 || workers > 64)) throw new UsageError(`--workers must be auto or an integer from 0 to 64, got "${opts.workers}"`);
      for (const p of [...paths, ...(opts.template ?? [])]) {
        if (!fs.existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
      }
      for (const p of opts.archive) if (!fs.existsSync(p)) throw new UsageError(`--archive: no such file, folder or archive index: ${p}`);
      if (opts.output) checkReportOutput(opts.output);
      const judgeOpts = judgeOptionsFromCli(opts, process.env, (m) => ctx.err(m));
      // Cache paths are checked before any work: one that holds something else is refused, untouched.
      try {
        if (opts.cache) FeatureCache.check(opts.cache);
        if (judgeOpts.cachePath) await VerdictCache.check(judgeOpts.cachePath);
      } catch (e) {
        throw e instanceof CacheRefusedError ? new UsageError(e.message) : e;
      }
      const compareOpts = {
        inputs: paths, template: opts.template, submissions: opts.submissions, cross: opts.cross,
        minScore: unitNumber('--min-score', opts.minScore), clusterThreshold: unitNumber('--cluster-threshold', opts.clusterThreshold),
        allPairs: opts.allPairs, language, exclude: opts.exclude, weights: parseWeights(opts.weights),
        commonShare: unitNumber('--common-share', opts.commonShare), commonMinDocs, cachePath: opts.cache,
        maxBytes: parseSize(opts.maxFileSize), workers,
        // The judge reads the comparison's files, hashes and parse (record.ts) rather than doing them again.
        records: judgeOpts.provider !== 'off' ? new RunRecords() : undefined,
      };
      await checkTemplates(compareOpts);
      const archive = opts.archive.length
        ? await loadArchives(opts.archive, paths.length, { submissions: !!opts.submissions, exclude: opts.exclude, language, maxBytes: compareOpts.maxBytes, workers, log: (m) => ctx.err(oneLine(m)) })
          .catch((e: unknown) => { throw e instanceof ArchiveError ? new UsageError(e.message) : e; })
        : undefined;
      const report = await compare({ ...compareOpts, archive: archive?.set }).catch((e: unknown) => {
        archive?.close();
        throw e instanceof CacheRefusedError ? new UsageError(e.message) : e;
      });
      // Archived code of the listed pairs, for their regions and the judge.
      archive?.fillTexts(new Set(report.similarity.pairs.flatMap((p) => [p.file1, p.file2])));
      archive?.close();
      // Reasons first, so that when nothing could be analysed the user still learns why (a zip bomb, a bad archive).
      for (const f of report.files) if (f.error) ctx.err(`${oneLine(f.path)}: skipped: ${oneLine(f.error)}`);
      const analysed = report.files.filter((f) => !f.error).length;
      if (analysed === 0) {
        if (report.files.length === 0) throw new UsageError('no supported source files found in the given paths');
        ctx.err('code-origin: no supported source files could be analysed in the given paths');
        ctx.exitCode = ExitCode.AnalysisProblem;
        return;
      }
      for (const f of report.files) for (const w of f.warnings ?? []) ctx.err(`${oneLine(f.path)}: warning: ${oneLine(w)}`);
      const syntax = report.files.filter((f) => f.syntax_errors);
      for (const f of syntax) ctx.err(`${oneLine(f.path)}: syntax errors (evidence around them is tree-sitter's guess; \`code-origin summary\` lists them)`);
      for (const w of report.metadata.cache?.warnings ?? []) ctx.err(`warning: ${oneLine(w)}`);
      const judged = await judgeReport(report, { ...compareOpts, archive: archive?.set }, judgeOpts).catch((e: unknown) => {
        throw e instanceof JudgeConfigError || e instanceof CacheRefusedError ? new UsageError(e.message) : e;
      });
      // CSV to a file ends rows in CRLF (RFC 4180); to the terminal in LF (a raw CR would be escaped).
      const eol = opts.output ? '\r\n' : '\n';
      if (format === 'json') {
        // In parts: a report of hundreds of thousands of pairs is longer than one string can be.
        if (opts.output) await writeJsonFile(opts.output, judged);
        else await writeJsonLines(judged, (t) => ctx.out(t), ctx.drained ? () => ctx.drained!() : undefined);
      } else {
        const text = format === 'csv' ? pairsCsv(judged, eol)
          : format === 'csv-files' ? filesCsv(judged, eol)
          : format === 'html' ? renderHtml(report).replace('</body>', `${renderJudgeHtml(judged)}\n</body>`)
            : [table(report), renderJudgeTable(judged)].filter(Boolean).join('\n\n');
        if (opts.output) writeReport(opts.output, text.endsWith('\n') ? text : `${text}\n`);
        else ctx.out(text.endsWith('\n') ? text.slice(0, -1) : text);
      }
      if (opts.output) ctx.err(`report written to ${opts.output}`);
      ctx.exitCode = report.files.some((f) => f.error) || syntax.length > 0 ? ExitCode.AnalysisProblem : ExitCode.Ok;
    });
}

/**
 * Template code is removed from the evidence: a template that cannot be read would leave it in and
 * report shared boilerplate as copying, so it stops the run (exit 2) with the reasons.
 */
async function checkTemplates(o: { template?: string[]; language?: LanguageId; exclude: string[]; maxBytes: number }): Promise<void> {
  if (!o.template?.length) return;
  const { files, missing } = await collectInputs(o.template, { submissions: false, exclude: o.exclude, language: o.language, maxBytes: o.maxBytes });
  const bad = [...missing.map((m) => `${m}: no such file or folder`), ...files.filter((f) => f.error).map((f) => `${f.path}: ${f.error}`)];
  if (bad.length) throw new UsageError(`--template cannot be used: ${bad.join('; ')}`);
  if (files.length === 0) throw new UsageError(`--template holds no supported source files: ${o.template.join(', ')}`);
}

function table(r: CompareReport): string {
  const s = r.summary;
  const archived = new Set(r.graph.nodes.filter((n) => n.archive).map((n) => n.id));
  const head = `${s.total_documents} ${r.metadata.submissions ? 'submissions' : 'files'}${archived.size ? ` (${archived.size} archived)` : ''}, ${s.suspicious_pairs_count} suspicious pairs, ` +
    `highest ${s.highest_similarity}, ${s.cluster_count} clusters`;
  const name = (d: string) => (archived.has(d) ? `${d} [archive]` : d);
  if (r.similarity.pairs.length === 0) return `${head}\nno pair reached the threshold`;
  const rows = r.similarity.pairs.map((p) => [name(p.file1), name(p.file2), p.similarity_score.toFixed(3),
    `${p.significance?.toFixed(1) ?? '–'}${p.standout === undefined ? '' : ` (${p.standout.toFixed(1)}×)`}`, p.components.ast.toFixed(3), p.components.cfg.toFixed(3),
    p.components.dataflow.toFixed(3), p.matching_regions.length]);
  return `${head}\n${renderTable(['file 1', 'file 2', 'score', 'significance', 'ast', 'cfg', 'dataflow', 'regions'], rows)}`;
}
