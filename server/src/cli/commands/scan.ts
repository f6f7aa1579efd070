// `code-origin scan PATH...`: the full main job on a folder: origin verdicts per file and per function /
// method / class (the origin model), plus the structural similarity report, as a table and an HTML report.
import type { Command } from 'commander';
import { DEFAULT_MAX_WINDOWS, languageName, ModelFolderError, OriginModel, resolveModelDir } from '../../origin/index';
import { readTextForOrigin } from '../../origin/sourceText';
import { compare, type CompareReport } from '../../similarity/engine';
import { renderHtml } from '../../similarity/html';
import { expandInputs, reportUnread } from '../files';
import { reportSyntaxErrors } from '../syntax';
import { type CliContext, ExitCode, UsageError, parseFormat, parseSize } from '../context';
import { oneLine } from '../terminalText';
import { renderTable } from '../table';
import { checkReportOutput, writeReport } from '../reportOutput';
import { writeJsonLines } from '../jsonStream';
import { classifyUnits, confidenceText, DEFAULT_MIN_TOKENS, unitsTable, type FileEntry } from '../originVerdicts';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_REPORT_THRESHOLD } from '../../../../protocol/config';

type ScanFile = Omit<FileEntry, 'top_tokens' | 'explain_error'>;

interface ScanOpts {
  model?: string; format: string; output?: string; minTokens: string; maxWindows: string; similarity: boolean;
  minScore: string; maxFileSize: string; threads?: string; unevaluatedLanguages?: boolean;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

export function registerScan(program: Command, ctx: CliContext): void {
  program
    .command('scan')
    .description('The full job on files or folders: origin verdicts per file and per function/method/class, plus the similarity report')
    .argument('<paths...>', 'files or folders')
    .option('--model <dir>', 'origin model folder (default: $CODE_ORIGIN_MODEL, else models/code-origin-small beside the program)')
    .option('-f, --format <format>', 'table or json on stdout', 'table')
    .option('-o, --output <file>', 'also write a self-contained HTML report here')
    .option('--min-tokens <n>', 'functions with fewer model tokens are "too short to judge"', String(DEFAULT_MIN_TOKENS))
    .option('--max-windows <n>', 'windows classified per file or function', String(DEFAULT_MAX_WINDOWS))
    .option('--no-similarity', 'skip the similarity report')
    .option('--min-score <x>', 'similarity pairs reported at or above this score', String(DEFAULT_REPORT_THRESHOLD))
    .option('--threads <n>', 'onnxruntime threads (default: one per core)')
    .option('--max-file-size <bytes>', 'skip files larger than this', String(DEFAULT_MAX_FILE_BYTES))
    .option('--unevaluated-languages', 'give verdicts for languages the model has no LLM evaluation data for (default: "inconclusive")')
    .action(async (paths: string[], opts: ScanOpts) => {
      const format = parseFormat(opts.format, ['table', 'json']);
      const minTokens = positiveInt(opts.minTokens, '--min-tokens');
      const maxWindows = positiveInt(opts.maxWindows, '--max-windows');
      const maxBytes = parseSize(opts.maxFileSize);
      const minScore = Number(opts.minScore);
      if (!(minScore >= 0 && minScore <= 1)) throw new UsageError(`--min-score must be a number between 0 and 1, got "${opts.minScore}"`);
      if (opts.output) checkReportOutput(opts.output, { makeFolder: true });
      const expanded = await expandInputs(paths);
      if (expanded.missing.length) throw new UsageError(`no such file or folder: ${expanded.missing.join(', ')}`);
      if (expanded.files.length === 0 && expanded.problems.length === 0) throw new UsageError('no supported source files found in the given paths');
      let ok = reportUnread(ctx, expanded.problems) === 0;
      if (expanded.files.length === 0) {
        ctx.err('code-origin: no supported source files could be read in the given paths');
        ctx.exitCode = ExitCode.AnalysisProblem;
        return;
      }

      const files: ScanFile[] = [];
      let model: OriginModel | undefined;
      let modelError: string | undefined;
      try {
        model = OriginModel.open(resolveModelDir(opts.model), { threads: opts.threads ? positiveInt(opts.threads, '--threads') : undefined });
        await model.ready();
      } catch (e) {
        if (!(e instanceof ModelFolderError)) throw e;
        modelError = e.message;
        model = undefined;
        ok = false;
        ctx.err(`code-origin: ${e.message} (origin verdicts skipped; the similarity report still runs)`);
      }
      try {
        if (model) {
          for (const p of expanded.files) {
            const src = await readTextForOrigin(p, maxBytes);
            if (!src.ok) {
              ok = false;
              ctx.err(`${oneLine(p)}: skipped: ${oneLine(src.reason)}`);
              files.push({ path: p, error: src.reason });
              continue;
            }
            const unevaluatedLanguages = opts.unevaluatedLanguages === true;
            const c = await model.classify(src.text, { maxWindows, language: src.language, unevaluatedLanguages });
            const entry: ScanFile = {
              path: p, language: src.language, label: c.label, p_llm: c.p_llm, confidence: Number(c.confidence.toFixed(6)),
              ...(c.reason ? { reason: c.reason } : {}), windows: c.windows, ...(c.truncated ? { truncated: true } : {}),
            };
            if (c.truncated) ctx.err(`${oneLine(p)}: long file: only its first ${c.windows} windows were classified`);
            if (src.language !== 'unknown' && (await reportSyntaxErrors(ctx, p, src.text, src.language)) > 0) ok = false;
            if (src.language !== 'unknown') {
              try {
                entry.units = await classifyUnits(model, src.text, src.language, { minTokens, maxWindows, unevaluatedLanguages });
              } catch (e) {
                ok = false;
                entry.units_error = (e as Error).message;
                ctx.err(`${oneLine(p)}: units skipped: ${oneLine(entry.units_error)}`);
              }
            }
            files.push(entry);
          }
        }
      } finally {
        await model?.dispose();
      }
      let similarity: CompareReport | undefined;
      if (opts.similarity) {
        similarity = await compare({ inputs: paths, minScore, maxBytes });
        // What the origin pass already reported is not said twice; archives and links are the similarity pass's own.
        const said = new Set([...files.filter((f) => f.error).map((f) => f.path), ...expanded.problems.map((p) => p.path)]);
        for (const f of similarity.files) {
          for (const w of f.warnings ?? []) ctx.err(`${oneLine(f.path)}: similarity: warning: ${oneLine(w)}`);
          if (!f.error) continue;
          ok = false;
          if (!said.has(f.path)) ctx.err(`${oneLine(f.path)}: similarity: skipped: ${oneLine(f.error)}`);
        }
      }
      const man = model?.folder.manifest;
      const info = man ? {
        name: man.name, version: man.version, threshold: man.threshold,
        calibrated: !!man.verdict.calibration,
        ...(man.verdict.legacy ? {} : {
          human_threshold: man.verdict.humanThreshold, evaluated_languages: man.verdict.evaluatedLanguages, fpr: man.verdict.fpr,
          ...languageThresholds(man.verdict.perLanguage),
        }),
      } : undefined;
      if (format === 'json') await writeJsonLines({ model: info ?? { error: modelError }, files, similarity }, (t) => ctx.out(t), ctx.drained ? () => ctx.drained!() : undefined);
      else ctx.out(scanTable(files, similarity, modelError));
      if (opts.output) {
        writeReport(opts.output, scanHtml(files, similarity, info, modelError), { makeFolder: true });
        ctx.err(`report written to ${opts.output}`);
      }
      ctx.exitCode = ok ? ExitCode.Ok : ExitCode.AnalysisProblem;
    });
}

function scanTable(files: ScanFile[], sim: CompareReport | undefined, modelError?: string): string {
  const parts: string[] = [];
  if (modelError) parts.push(`origin verdicts unavailable: ${modelError}`);
  else {
    parts.push('Origin verdicts per file', renderTable(
      ['file', 'language', 'label', 'confidence', 'p_llm', 'llm units', 'note'],
      files.map((f) => [f.path, f.language ?? '', f.label ?? '-', confidenceText(f), f.p_llm === undefined ? '' : f.p_llm.toFixed(4),
        f.units ? `${f.units.filter((u) => u.label === 'llm').length}/${f.units.filter((u) => u.label !== 'too-short').length}` : '',
        f.error ? `error: ${f.error}` : [f.reason, f.truncated ? `first ${f.windows} windows only` : ''].filter(Boolean).join('; ')]),
    ));
    for (const f of files) if (f.units?.length) parts.push('', unitsTable(f.path, f.units));
  }
  if (sim) {
    const s = sim.summary;
    parts.push('', `Similarity: ${s.total_documents} files, ${s.suspicious_pairs_count} suspicious pairs, highest ${s.highest_similarity}, ${s.cluster_count} clusters`);
    if (sim.similarity.pairs.length) {
      parts.push(renderTable(['file 1', 'file 2', 'score', 'ast', 'cfg', 'dataflow', 'regions'], sim.similarity.pairs.map((p) => [
        p.file1, p.file2, p.similarity_score.toFixed(3), p.components.ast.toFixed(3), p.components.cfg.toFixed(3), p.components.dataflow.toFixed(3), p.matching_regions.length,
      ])));
    }
  }
  return parts.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const LABEL_WORDS: Record<string, string> = { llm: 'likely LLM', human: 'likely human', inconclusive: 'inconclusive' };

/** Verdict, calibrated confidence ("about 87%", never 0 or 100%) and the raw score. */
function verdictCell(v: { label?: string; p_llm?: number; confidence?: number; reason?: string }): string {
  if (v.label === 'too-short') return '<td>too short</td><td></td><td></td>';
  if (!v.label || v.p_llm === undefined) return '<td>-</td><td></td><td></td>';
  const title = v.reason ? ` title="${esc(v.reason)}"` : '';
  const word = v.reason?.startsWith('not evaluated') ? `inconclusive (${esc(v.reason)})` : esc(LABEL_WORDS[v.label] ?? v.label);
  const conf = confidenceText(v);
  return `<td class="${esc(v.label)}"${title}>${word}</td><td class="num">${conf}</td><td class="num">${v.p_llm.toFixed(3)}</td>`;
}

type ScanInfo = { name: string; version: string; threshold: number; calibrated: boolean; human_threshold?: number; fpr?: number; language_thresholds?: Record<string, number> };

/** Languages with their own, stricter `llm` threshold (none: nothing added). */
function languageThresholds(per: Record<string, { llm_threshold?: number }>): { language_thresholds?: Record<string, number> } {
  const own = Object.fromEntries(Object.entries(per).flatMap(([lang, r]) => (r.llm_threshold !== undefined ? [[lang, r.llm_threshold]] : [])));
  return Object.keys(own).length ? { language_thresholds: own } : {};
}

function scanHtml(files: ScanFile[], sim: CompareReport | undefined, info: ScanInfo | undefined, modelError?: string): string {
  const fileRows = files.map((f) => `<tr><td><a href="#f-${files.indexOf(f)}">${esc(f.path)}</a></td><td>${esc(f.language ?? '')}</td>${verdictCell(f)}`
    + `<td>${f.error ? esc(`error: ${f.error}`) : f.truncated ? `first ${f.windows} windows only` : ''}</td></tr>`).join('\n');
  const unitSections = files.filter((f) => f.units?.length).map((f) => `<section id="f-${files.indexOf(f)}"><h3>${esc(f.path)}</h3><table><tr><th>unit</th><th>kind</th><th>lines</th><th>verdict</th><th>confidence</th><th>raw p(LLM)</th><th>tokens</th></tr>`
    + f.units!.map((u) => `<tr><td><code>${esc(u.name)}</code></td><td>${u.kind}</td><td>${u.start_line}–${u.end_line}</td>${verdictCell(u)}<td class="num">${u.tokens}</td></tr>`).join('\n')
    + '</table></section>').join('\n');
  let simBody = '';
  let simStyle = '';
  if (sim) {
    const html = renderHtml(sim);
    simStyle = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    simBody = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
  }
  const origin = modelError
    ? `<p class="error">Origin verdicts unavailable: ${esc(modelError)}</p>`
    : `<p>Model <code>${esc(info!.name)}</code> v${esc(info!.version)}: LLM at raw p(LLM) ≥ ${info!.threshold.toFixed(2)}${
      Object.entries(info!.language_thresholds ?? {}).map(([lang, t]) => ` (${esc(languageName(lang))}: ≥ ${t.toFixed(2)})`).join('')}${info!.human_threshold !== undefined ? `, ${info!.human_threshold > 0 ? `human at ≤ ${Number(info!.human_threshold.toPrecision(2))}, inconclusive between` : 'never human (no score was evidence enough for it on code from sources the model never saw), inconclusive below'}` : ''}.`
      + `${info!.fpr !== undefined ? ` On code from sources the model never saw, ${(info!.fpr * 100).toFixed(1)}% of human files got an LLM verdict.` : ''}`
      + ` Confidence is ${info!.calibrated ? 'calibrated' : 'the raw score, not calibrated,'} and shown between 1% and 99%. A verdict is a statistical estimate, not proof: see “How the origin verdict works” in the README.</p>
<table><tr><th>file</th><th>language</th><th>verdict</th><th>confidence</th><th>raw p(LLM)</th><th>note</th></tr>
${fileRows}
</table>
${unitSections}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Code Origin report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
${simStyle}
td.llm{background:#fbd9b5}td.human{background:#cfe3fb}td.inconclusive{background:#eee}p.error{color:#a00}
</style></head><body>
<h1>Code Origin report</h1>
<h2>Origin</h2>
${origin}
${sim ? `<h2>Similarity</h2>\n<div class="similarity">${simBody}</div>` : ''}
</body></html>
`;
}
