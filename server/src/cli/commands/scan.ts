// `code-origin scan PATH...`: the full main job on a folder: origin verdicts per file and per function /
// method / class (the origin model), plus the structural similarity report, as a table and an HTML report.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { LanguageId } from '../../core/languages';
import { findUnits, type UnitKind } from '../../lsp/origin/units';
import { DEFAULT_MAX_WINDOWS, ModelFolderError, OriginModel, resolveModelDir } from '../../origin/index';
import { readTextForOrigin } from '../../origin/sourceText';
import { compare, type CompareReport } from '../../similarity/engine';
import { renderHtml } from '../../similarity/html';
import { expandInputs, reportUnread } from '../files';
import { reportSyntaxErrors } from '../syntax';
import { type CliContext, ExitCode, UsageError, parseFormat, parseSize } from '../context';
import { renderTable } from '../table';
import type { FileEntry } from './classify';

export const DEFAULT_MIN_TOKENS = 48;

export interface UnitResult {
  name: string;
  kind: UnitKind;
  start_line: number;
  end_line: number;
  tokens: number;
  /** llm, human, or too-short (fewer than the minimum tokens: no guess). */
  label: 'llm' | 'human' | 'too-short';
  p_llm?: number;
  truncated?: boolean;
}

/** Verdicts per function, method and class of one source text (the language server's units). */
export async function classifyUnits(
  model: OriginModel, text: string, language: LanguageId, o: { minTokens?: number; maxWindows?: number } = {},
): Promise<UnitResult[]> {
  const minTokens = o.minTokens ?? DEFAULT_MIN_TOKENS;
  const maxWindows = o.maxWindows ?? DEFAULT_MAX_WINDOWS;
  const units = await findUnits(text, language);
  const texts = units.map((u) => text.slice(u.start, u.end));
  const counts = texts.map((t) => model.windows(t, maxWindows).tokens);
  const judged = texts.map((_, i) => i).filter((i) => counts[i]! >= minTokens);
  const cs = judged.length ? await model.classifyMany(judged.map((i) => texts[i]!), { maxWindows }) : [];
  const byIndex = new Map(judged.map((i, k) => [i, cs[k]!]));
  const threshold = model.folder.manifest.threshold;
  return units.map((u, i): UnitResult => {
    const c = byIndex.get(i);
    const base = { name: u.name, kind: u.kind, start_line: u.range.start.line + 1, end_line: u.range.end.line + 1 };
    if (!c) return { ...base, tokens: counts[i]!, label: 'too-short' };
    return { ...base, tokens: c.tokens, label: c.p_llm >= threshold ? 'llm' : 'human', p_llm: c.p_llm, ...(c.truncated ? { truncated: true } : {}) };
  });
}

export function unitsTable(file: string, units: UnitResult[]): string {
  return [`${file}: functions, methods and classes`, renderTable(
    ['unit', 'kind', 'lines', 'label', 'p_llm', 'tokens'],
    units.map((u) => [u.name, u.kind, `${u.start_line}–${u.end_line}`, u.label, u.p_llm === undefined ? '' : u.p_llm.toFixed(4), u.tokens]),
  )].join('\n');
}

type ScanFile = Omit<FileEntry, 'top_tokens' | 'explain_error'>;

interface ScanOpts {
  model?: string; format: string; output?: string; minTokens: string; maxWindows: string; similarity: boolean;
  minScore: string; maxFileSize: string; threads?: string;
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
    .option('--min-score <x>', 'similarity pairs reported at or above this score', '0.5')
    .option('--threads <n>', 'onnxruntime threads (default: one per core)')
    .option('--max-file-size <bytes>', 'skip files larger than this', '1048576')
    .action(async (paths: string[], opts: ScanOpts) => {
      const format = parseFormat(opts.format, ['table', 'json']);
      const minTokens = positiveInt(opts.minTokens, '--min-tokens');
      const maxWindows = positiveInt(opts.maxWindows, '--max-windows');
      const maxBytes = parseSize(opts.maxFileSize);
      const minScore = Number(opts.minScore);
      if (!(minScore >= 0 && minScore <= 1)) throw new UsageError(`--min-score must be a number between 0 and 1, got "${opts.minScore}"`);
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
              ctx.err(`${p}: skipped: ${src.reason}`);
              files.push({ path: p, error: src.reason });
              continue;
            }
            const c = await model.classify(src.text, { maxWindows });
            const entry: ScanFile = { path: p, language: src.language, label: c.label, p_llm: c.p_llm, windows: c.windows, ...(c.truncated ? { truncated: true } : {}) };
            if (c.truncated) ctx.err(`${p}: long file: only its first ${c.windows} windows were classified`);
            if (src.language !== 'unknown' && (await reportSyntaxErrors(ctx, p, src.text, src.language)) > 0) ok = false;
            if (src.language !== 'unknown') entry.units = await classifyUnits(model, src.text, src.language, { minTokens, maxWindows });
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
          if (!f.error) continue;
          ok = false;
          if (!said.has(f.path)) ctx.err(`${f.path}: skipped: ${f.error}`);
        }
      }
      const info = model ? { name: model.folder.manifest.name, version: model.folder.manifest.version, threshold: model.folder.manifest.threshold } : undefined;
      if (format === 'json') ctx.out(JSON.stringify({ model: info ?? { error: modelError }, files, similarity }, null, 2));
      else ctx.out(scanTable(files, similarity, modelError));
      if (opts.output) {
        fs.mkdirSync(path.dirname(path.resolve(opts.output)), { recursive: true });
        fs.writeFileSync(opts.output, scanHtml(files, similarity, info, modelError));
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
      ['file', 'language', 'label', 'p_llm', 'llm units', 'note'],
      files.map((f) => [f.path, f.language ?? '', f.label ?? '-', f.p_llm === undefined ? '' : f.p_llm.toFixed(4),
        f.units ? `${f.units.filter((u) => u.label === 'llm').length}/${f.units.filter((u) => u.label !== 'too-short').length}` : '',
        f.error ? `error: ${f.error}` : f.truncated ? `first ${f.windows} windows only` : '']),
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

function verdictCell(label: string | undefined, p: number | undefined): string {
  if (label === 'too-short') return '<td>too short</td><td></td>';
  if (!label || p === undefined) return '<td>-</td><td></td>';
  return `<td class="${label}">${label === 'llm' ? 'LLM' : 'human'}</td><td class="num">${p.toFixed(3)}</td>`;
}

function scanHtml(files: ScanFile[], sim: CompareReport | undefined, info: { name: string; version: string; threshold: number } | undefined, modelError?: string): string {
  const fileRows = files.map((f) => `<tr><td><a href="#f-${files.indexOf(f)}">${esc(f.path)}</a></td><td>${esc(f.language ?? '')}</td>${verdictCell(f.label, f.p_llm)}`
    + `<td>${f.error ? esc(`error: ${f.error}`) : f.truncated ? `first ${f.windows} windows only` : ''}</td></tr>`).join('\n');
  const unitSections = files.filter((f) => f.units?.length).map((f) => `<section id="f-${files.indexOf(f)}"><h3>${esc(f.path)}</h3><table><tr><th>unit</th><th>kind</th><th>lines</th><th>label</th><th>p(LLM)</th><th>tokens</th></tr>`
    + f.units!.map((u) => `<tr><td><code>${esc(u.name)}</code></td><td>${u.kind}</td><td>${u.start_line}–${u.end_line}</td>${verdictCell(u.label, u.p_llm)}<td class="num">${u.tokens}</td></tr>`).join('\n')
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
    : `<p>Model <code>${esc(info!.name)}</code> v${esc(info!.version)}, threshold ${info!.threshold.toFixed(2)}. A verdict is a statistical estimate, not proof: see “How the origin verdict works” in the README.</p>
<table><tr><th>file</th><th>language</th><th>label</th><th>p(LLM)</th><th>note</th></tr>
${fileRows}
</table>
${unitSections}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Code Origin report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
${simStyle}
td.llm{background:#fbd9b5}td.human{background:#cfe3fb}p.error{color:#a00}
</style></head><body>
<h1>Code Origin report</h1>
<h2>Origin</h2>
${origin}
${sim ? `<h2>Similarity</h2>\n<div class="similarity">${simBody}</div>` : ''}
</body></html>
`;
}
