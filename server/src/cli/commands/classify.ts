// `code-origin classify PATH...`: human or LLM, per file, by the origin model (optionally explained by
// Integrated Gradients), and `code-origin classify --input-jsonl FILE`: the batch path used for evaluation.
import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { parseLanguage, type LanguageId } from '../../core/languages';
import {
  DEFAULT_BATCH_SIZE, DEFAULT_IG_STEPS, DEFAULT_MAX_WINDOWS, ModelFolderError, OriginModel,
  resolveModelDir, type Classification, type TokenAttribution, type VerdictLanguage,
} from '../../origin/index';
import { readTextForOrigin } from '../../origin/sourceText';
import { checkText } from '../../core/source';
import { expandInputs, reportUnread } from '../files';
import { boundedLines } from '../lines';
import { reportSyntaxErrors } from '../syntax';
import { type CliContext, ExitCode, UsageError, parseFormat, parseSize } from '../context';
import { oneLine } from '../terminalText';
import { renderTable } from '../table';
import { classifyUnits, confidenceText, DEFAULT_MIN_TOKENS, unitsTable, type FileEntry, type TopToken } from '../originVerdicts';
import { DEFAULT_MAX_FILE_BYTES } from '../../../../protocol/config';

interface ClassifyCliOptions {
  format: string;
  explain?: boolean;
  top: string;
  steps: string;
  model?: string;
  inputJsonl?: string;
  maxWindows: string;
  batchSize: string;
  threads?: string;
  language?: string;
  maxFileSize: string;
  units?: boolean;
  minTokens: string;
  unevaluatedLanguages?: boolean;
}

/** Records per model call on the --input-jsonl path: their windows share batches. */
const JSONL_CHUNK = 64;

/** Longest --input-jsonl line read; a longer one is reported and skipped (the rest goes on). */
export const JSONL_MAX_LINE_BYTES = 64 * 1024 * 1024;

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

function topTokens(tokens: TokenAttribution[]): TopToken[] {
  return tokens.map((t) => ({ text: t.text, score: Number(t.score.toFixed(6)), line: t.line, column: t.column, start: t.start, end: t.end }));
}

export function registerClassify(program: Command, ctx: CliContext): void {
  program
    .command('classify')
    .description('Human-written or LLM-generated, per file, by the origin model; --input-jsonl for batches of {id, code} records')
    .argument('[paths...]', 'files or folders (folders are searched for supported source files)')
    .option('-f, --format <format>', 'json, jsonl or table', 'table')
    .option('--explain', 'add the tokens that weigh most for the label (Integrated Gradients)')
    .option('--top <n>', 'tokens listed per file with --explain', '5')
    .option('--steps <n>', 'Integrated Gradients steps', String(DEFAULT_IG_STEPS))
    .option('--model <dir>', 'model folder (default: $CODE_ORIGIN_MODEL, else models/code-origin-small beside the program)')
    .option('--input-jsonl <file>', 'classify JSON lines {"id", "code", "language"?} ("-" for stdin); writes {"id", "label", "p_llm", "confidence", "reason"?} lines')
    .option('--max-windows <n>', 'windows classified per file, from its start; longer files are marked truncated', String(DEFAULT_MAX_WINDOWS))
    .option('--batch-size <n>', 'windows per model call', String(DEFAULT_BATCH_SIZE))
    .option('--threads <n>', 'onnxruntime threads (default: one per core)')
    .option('--language <lang>', 'force the language instead of detecting it from each extension (with --input-jsonl: for records without "language")')
    .option('--unevaluated-languages', 'give verdicts for languages the model has no LLM evaluation data for (default: "inconclusive")')
    .option('--max-file-size <bytes>', 'skip files larger than this', String(DEFAULT_MAX_FILE_BYTES))
    .option('--units', 'also judge each function, method and class (tree-sitter units, as in the editor)')
    .option('--min-tokens <n>', 'with --units: units with fewer model tokens are "too short to judge"', String(DEFAULT_MIN_TOKENS))
    .action(async (paths: string[], opts: ClassifyCliOptions) => {
      const format = parseFormat(opts.format, ['json', 'jsonl', 'table']);
      const top = positiveInt(opts.top, '--top');
      const steps = positiveInt(opts.steps, '--steps');
      const maxWindows = positiveInt(opts.maxWindows, '--max-windows');
      const batchSize = positiveInt(opts.batchSize, '--batch-size');
      const threads = opts.threads ? positiveInt(opts.threads, '--threads') : undefined;
      const maxBytes = parseSize(opts.maxFileSize);
      const language = opts.language ? parseLanguage(opts.language) : undefined;
      if (opts.language && !language) throw new UsageError(`unknown language "${opts.language}"`);
      if (opts.inputJsonl && paths.length) throw new UsageError('give either paths or --input-jsonl, not both');
      if (!opts.inputJsonl && paths.length === 0) throw new UsageError('nothing to classify: give files or folders, or --input-jsonl FILE');

      let files: string[] = [];
      let unread = 0;
      if (!opts.inputJsonl) {
        const expanded = await expandInputs(paths);
        if (expanded.missing.length) throw new UsageError(`no such file or folder: ${expanded.missing.join(', ')}`);
        if (expanded.files.length === 0 && expanded.problems.length === 0) throw new UsageError('no supported source files found in the given paths');
        unread = reportUnread(ctx, expanded.problems);
        if (expanded.files.length === 0) {
          ctx.err('code-origin: no supported source files could be read in the given paths');
          ctx.exitCode = ExitCode.AnalysisProblem;
          return;
        }
        files = expanded.files;
      }

      let model: OriginModel;
      try {
        model = OriginModel.open(resolveModelDir(opts.model), { batchSize, threads });
        await model.ready();
      } catch (e) {
        if (!(e instanceof ModelFolderError)) throw e;
        ctx.err(`code-origin: ${e.message}`);
        ctx.exitCode = ExitCode.AnalysisProblem;
        return;
      }
      try {
        const run = { model, explain: opts.explain === true, top, steps, maxWindows, unevaluatedLanguages: opts.unevaluatedLanguages === true, language };
        const ok = opts.inputJsonl
          ? await classifyJsonl(ctx, opts.inputJsonl, { ...run, maxBytes })
          : await classifyFiles(ctx, files, { ...run, format, maxBytes, language, units: opts.units ? positiveInt(opts.minTokens, '--min-tokens') : undefined });
        ctx.exitCode = ok && unread === 0 ? ExitCode.Ok : ExitCode.AnalysisProblem;
      } catch (e) {
        if (!(e instanceof ModelFolderError)) throw e;
        ctx.err(`code-origin: ${e.message}`);
        ctx.exitCode = ExitCode.AnalysisProblem;
      } finally {
        await model.dispose();
      }
    });
}

interface RunOptions {
  model: OriginModel;
  explain: boolean;
  top: number;
  steps: number;
  maxWindows: number;
  unevaluatedLanguages: boolean;
  /** --language: forced for files, the default for JSONL records without one. */
  language?: LanguageId;
}

/** The verdict fields of an output entry. */
function verdictFields(c: Classification): Pick<FileEntry, 'label' | 'p_llm' | 'confidence' | 'reason'> {
  return { label: c.label, p_llm: c.p_llm, confidence: Number(c.confidence.toFixed(6)), ...(c.reason ? { reason: c.reason } : {}) };
}

/** Classification (and explanation) of one text, as the fields of an output entry. */
async function classifyOne(text: string, language: VerdictLanguage, o: RunOptions): Promise<Pick<FileEntry, 'label' | 'p_llm' | 'confidence' | 'reason' | 'windows' | 'truncated' | 'top_tokens' | 'top_tokens_for' | 'explain_error'>> {
  let c: Classification;
  let topList: TokenAttribution[] | undefined;
  let topFor: 'human' | 'llm' | undefined;
  let explainError: string | undefined;
  const co = { maxWindows: o.maxWindows, language, unevaluatedLanguages: o.unevaluatedLanguages };
  if (o.explain && !o.model.explainUnavailable) {
    const e = await o.model.explain(text, { ...co, top: o.top, steps: o.steps });
    c = e.classification;
    topList = e.top;
    topFor = e.target;
  } else {
    c = await o.model.classify(text, co);
    if (o.explain) explainError = o.model.explainUnavailable;
  }
  return {
    ...verdictFields(c), windows: c.windows,
    ...(c.truncated ? { truncated: true } : {}),
    ...(topList ? { top_tokens: topTokens(topList), top_tokens_for: topFor } : {}),
    ...(explainError ? { explain_error: explainError } : {}),
  };
}

async function classifyFiles(
  ctx: CliContext,
  files: string[],
  o: RunOptions & { format: 'json' | 'jsonl' | 'table'; maxBytes: number; units?: number },
): Promise<boolean> {
  const entries: FileEntry[] = [];
  let ok = true;
  let explainNoticeShown = false;
  for (const path of files) {
    const src = await readTextForOrigin(path, o.maxBytes, o.language);
    let entry: FileEntry;
    if (!src.ok) {
      ok = false;
      ctx.err(`${oneLine(path)}: skipped: ${oneLine(src.reason)}`);
      entry = { path, error: src.reason };
    } else {
      entry = { path, language: src.language, ...(await classifyOne(src.text, src.language, o)) };
      if (src.language !== 'unknown' && (await reportSyntaxErrors(ctx, path, src.text, src.language)) > 0) ok = false;
      if (o.units !== undefined && src.language !== 'unknown') {
        try {
          entry.units = await classifyUnits(o.model, src.text, src.language, { minTokens: o.units, maxWindows: o.maxWindows, unevaluatedLanguages: o.unevaluatedLanguages });
        } catch (e) {
          // One file the parser cannot take (a wasm abort) is reported; the next files go on.
          ok = false;
          entry.units_error = (e as Error).message;
          ctx.err(`${oneLine(path)}: units skipped: ${oneLine(entry.units_error)}`);
        }
      }
      if (entry.truncated) ctx.err(`${oneLine(path)}: long file: only its first ${entry.windows} windows were classified`);
      if (entry.explain_error) {
        ok = false;
        if (!explainNoticeShown) ctx.err(`code-origin: ${entry.explain_error}`);
        explainNoticeShown = true;
      }
    }
    if (o.format === 'jsonl') ctx.out(JSON.stringify(entry));
    entries.push(entry);
  }
  if (o.format === 'json') {
    const m = o.model.folder;
    ctx.out(JSON.stringify({ model: { name: m.manifest.name, version: m.manifest.version, dir: m.dir }, files: entries }, null, 2));
  } else if (o.format === 'table') {
    ctx.out(classifyTable(entries, o.maxWindows));
  }
  return ok;
}

function classifyTable(entries: FileEntry[], maxWindows: number): string {
  const rows = entries.map((e) => [
    e.path, e.language ?? '', e.label ?? '-', confidenceText(e), e.p_llm === undefined ? '' : e.p_llm.toFixed(4), e.windows ?? '',
    e.error ? `error: ${e.error}` : [e.reason, e.truncated ? `truncated to the first ${maxWindows} windows` : ''].filter(Boolean).join('; '),
  ]);
  const parts = [renderTable(['file', 'language', 'label', 'confidence', 'p_llm', 'windows', 'note'], rows)];
  for (const e of entries) if (e.units?.length) parts.push('', unitsTable(e.path, e.units));
  for (const e of entries) {
    if (!e.top_tokens?.length) continue;
    parts.push('', `${e.path}: tokens that weigh most for "${e.top_tokens_for ?? e.label}"`);
    parts.push(renderTable(['line:col', 'score', 'token'], e.top_tokens.map((t) => [`${t.line}:${t.column}`, t.score.toFixed(4), JSON.stringify(t.text)])));
  }
  return parts.join('\n');
}

interface JsonlRecord {
  line: number;
  id: unknown;
  code?: string;
  language?: VerdictLanguage;
  error?: string;
}

function parseRecord(text: string, line: number, maxBytes: number): JsonlRecord {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { line, id: null, error: `line ${line}: invalid JSON (${(e as Error).message})` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { line, id: null, error: `line ${line}: not a JSON object` };
  const r = v as Record<string, unknown>;
  const id = r['id'] ?? null;
  if (typeof r['code'] !== 'string') return { line, id, error: `line ${line}: "code" must be a string` };
  if (r['code'].trim().length === 0) return { line, id, error: `line ${line}: "code" is empty` };
  // The checks a file gets: size, and NUL characters (binary content gets no verdict).
  const bad = checkText(r['code'], { maxBytes });
  if (bad) return { line, id, error: `line ${line}: "code" refused: ${bad}` };
  const lang = r['language'];
  if (lang === undefined || lang === null) return { line, id, code: r['code'] };
  if (typeof lang !== 'string' || !lang.trim()) return { line, id, error: `line ${line}: "language" must be a language name` };
  // A language the runtime does not parse (php, csharp...) is read as unknown text, but keeps its name for
  // the verdict: the model may have been evaluated on it.
  return { line, id, code: r['code'], language: parseLanguage(lang) ?? lang.trim().toLowerCase() };
}

/** Streams records in chunks; output lines keep input order. Returns false when any record failed. */
async function classifyJsonl(ctx: CliContext, file: string, o: RunOptions & { maxBytes: number }): Promise<boolean> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    if (file === '-') resolve();
    else input.once('open', () => resolve()).once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    throw new UsageError(`cannot read --input-jsonl ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let ok = true;
  let chunk: JsonlRecord[] = [];
  const flush = async (): Promise<void> => {
    const good = chunk.filter((r) => r.code !== undefined);
    const results: Array<Awaited<ReturnType<typeof classifyOne>>> = [];
    const langOf = (r: JsonlRecord): VerdictLanguage => r.language ?? o.language ?? 'unknown';
    if (o.explain) for (const r of good) results.push(await classifyOne(r.code!, langOf(r), o));
    else {
      const cs = await o.model.classifyMany(good.map((r) => r.code!), { maxWindows: o.maxWindows, languages: good.map(langOf), unevaluatedLanguages: o.unevaluatedLanguages });
      results.push(...cs.map(verdictFields));
    }
    let k = 0;
    for (const r of chunk) {
      if (r.error) {
        ok = false;
        ctx.err(`code-origin: ${oneLine(r.error)}`);
        ctx.out(JSON.stringify({ id: r.id, error: r.error }));
      } else {
        ctx.out(JSON.stringify({ id: r.id, ...results[k++]! }));
      }
    }
    chunk = [];
  };
  try {
    for await (const l of boundedLines(input, JSONL_MAX_LINE_BYTES)) {
      if ('overflow' in l) {
        // The results so far go out now: the rest of this line may never come (/dev/zero).
        ctx.err(`code-origin: line ${l.n}: longer than ${JSONL_MAX_LINE_BYTES} bytes; skipping to its end`);
        await flush();
        continue;
      }
      if ('tooLong' in l) chunk.push({ line: l.n, id: null, error: `line ${l.n}: longer than ${JSONL_MAX_LINE_BYTES} bytes (${l.tooLong} bytes); skipped` });
      else if (!l.text.trim()) continue;
      else chunk.push(parseRecord(l.text, l.n, o.maxBytes));
      if (chunk.length >= JSONL_CHUNK) await flush();
    }
  } catch (e) {
    // A read that fails midway (EISDIR, EIO): the records read so far still get their results.
    await flush();
    ctx.err(`code-origin: cannot read --input-jsonl ${oneLine(file)}: ${oneLine((e as NodeJS.ErrnoException).code ?? (e as Error).message)}`);
    return false;
  }
  await flush();
  return ok;
}
