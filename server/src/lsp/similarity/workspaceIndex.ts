// The workspace similarity index: runs the engine over the workspace folders in the background,
// with progress and cancellation, publishes diagnostics on matched regions, and answers hovers.
//
// Runs after the first are incremental: files whose size or modification time changed (or that
// were deleted), and files the editor reports created, are read and only their pairs are scored, with
// the previous run's ignored (template and common-code) evidence kept, and diagnostics are republished
// for the files whose results changed. An exact full run follows in the background; with pair scores
// remembered it scores only what the changed common-code set affects.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MarkupKind, type Connection, type Diagnostic, type Hover, type Position } from 'vscode-languageserver';
import { compare, newCompareState, RunRecords, type CompareOptions, type CompareProgress, type CompareReport } from '../../similarity/engine';
import type { DiagnosticsPublisher } from '../diagnostics';
import type { DiagnosticsScope, ServerSettings } from '../settings';
import type { JudgeHook } from '../judge/judging';
import type { JudgedReportPair } from '../../judge';
import { regionHoverText, similarityDiagnostics, toUri, type RegionLink } from './diagnostics';
import { ReportStore } from './reportStore';
import { ReportChangedNotification } from '../protocol';
import { pairReported } from '../../similarity/significance';

export interface WorkspaceIndexDeps {
  connection: Connection;
  /** Where the similarity diagnostics go (merged there with the origin diagnostics of the same file). */
  diagnostics: DiagnosticsPublisher;
  folders: () => string[];
  settings: () => ServerSettings;
  /** Glob keys of VS Code's `files.exclude` that are switched on. */
  filesExclude: () => Promise<string[]>;
  /** sql.js cache file under the extension's storage; undefined: no persistent cache. */
  cachePath: string | undefined;
  reports: ReportStore;
  /** The semantic judge, run on each report before it is stored and published. */
  judge: JudgeHook;
  /** Whether a judge runs after each analysis (then structural results are published first). */
  judgeEnabled: () => boolean;
  /** Absolute paths of the documents open in the editor. */
  openFiles: () => Set<string>;
}

/** A reported pair as the diagnostics see it: a signature to spot changes, its regions and files. */
interface PairEntry {
  sig: string;
  regions: CompareReport['similarity']['pairs'][number]['matching_regions'];
  files: string[];
  pair: CompareReport['similarity']['pairs'][number];
}

/** Files with matches beyond which "auto" keeps diagnostics to open files (a Problems panel of thousands helps no one). */
export const AUTO_WORKSPACE_DIAGNOSTICS_FILES = 200;

function scopeFor(setting: DiagnosticsScope, filesWithMatches: number): 'workspace' | 'openFiles' {
  if (setting !== 'auto') return setting;
  return filesWithMatches <= AUTO_WORKSPACE_DIAGNOSTICS_FILES ? 'workspace' : 'openFiles';
}

export class WorkspaceIndex {
  private report: CompareReport | undefined;
  private diagnostics = new Map<string, Diagnostic[]>();
  /** Reported pairs of the last published report (signature, regions, files) and the settings used. */
  private pairs = new Map<string, PairEntry>();
  /** The same entries by file (absolute path), and the files whose diagnostics are published (path → URI). */
  private byFile = new Map<string, PairEntry[]>();
  private published = new Map<string, string>();
  private scope: 'workspace' | 'openFiles' = 'workspace';
  private toldScope = false;
  private settingsKey: string | undefined;
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CompareReport | undefined> | undefined;
  private template: string[] = [];
  /** Features and pair scores kept between runs. */
  private state = newCompareState();
  /** Options of the last completed run (incremental runs need the same ones), and its files' size and mtime. */
  private lastOptions: string | undefined;
  private stats = new Map<string, string>();
  /** Files created since the last run (file events), for the next quick update to add. */
  private created = new Set<string>();
  private fullPending = false;
  private warnedCap: string | undefined;

  constructor(private readonly deps: WorkspaceIndexDeps) {}

  get current(): CompareReport | undefined {
    return this.report;
  }

  setTemplate(paths: string[]): void {
    this.template = paths.filter((p) => fs.existsSync(p));
  }

  /** Files the editor saw created: the next run adds them to the last one's instead of starting over. */
  filesCreated(paths: string[]): void {
    for (const p of paths) this.created.add(p);
  }

  /** Saves and file events come in bursts; analyse once they settle (briefly: an update is quick). */
  schedule(delayMs = 250): void {
    if (!this.deps.settings().similarity.enabled) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delayMs);
  }

  /** Runs now (a newer run supersedes an older one, whose result is dropped). */
  async run(): Promise<CompareReport | undefined> {
    const gen = ++this.generation;
    const folders = this.deps.folders();
    if (folders.length === 0) return undefined;
    const { connection } = this.deps;
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Code Origin: analyzing workspace', undefined, `${folders.length} folder(s)`, true);
    let cancelled = false;
    progress?.token.onCancellationRequested(() => {
      cancelled = true;
      this.generation++;
    });
    const started = Date.now();
    // Runs share the engine state (features, pair scores, last file list): one at a time.
    const previous = this.running;
    const task = (async () => {
      try {
        await previous?.catch(() => undefined);
        if (cancelled || gen !== this.generation) return undefined; // a newer run is waiting behind this one
        const options = await this.options(folders, progress ? (p) => reportProgress(progress, p) : undefined);
        const key = optionsKey(options);
        const changed = key === this.lastOptions ? this.changedFiles() : undefined;
        // Nothing known changed (a settings change, a file created but not reported): a full run, cheap with the pair memory.
        // With a judge to run, the files parsed now also give it their keys from the same parse (similarity/record.ts).
        const records = this.deps.judgeEnabled() ? new RunRecords() : undefined;
        const quick = { ...options, ...(changed && changed.length > 0 ? { changed } : {}), records };
        const statsBefore = this.statFiles(changed ?? undefined);
        const stale = () => cancelled || gen !== this.generation;
        const structural = await compare(quick);
        if (stale()) return undefined; // superseded or cancelled: keep the previous results
        this.lastOptions = key;
        this.remember(structural, statsBefore);
        this.fullPending = !!structural.metadata.incremental;
        this.warnCap(structural, options.maxFiles!);
        for (const w of structural.metadata.cache?.warnings ?? []) connection.console.warn(`similarity: ${w}`);
        // Structural results are published at once, with the last verdicts of pairs that did not change;
        // the judge (seconds on a large workspace) then republishes the files whose verdicts changed.
        const judging = this.deps.judgeEnabled();
        const early = judging ? withKnownVerdicts(structural, this.report) : structural;
        // The judge holds the thread for a while: let the diagnostics and the notification go out first.
        await this.accept(early, judging);
        connection.console.info(`similarity: ${structural.summary.total_files} files, ${structural.summary.suspicious_pairs_count} suspicious pairs in ${Date.now() - started} ms` +
          `${structural.metadata.incremental ? ' (incremental update)' : ''}; ${structural.metadata.cache?.pair_scored ?? '?'} pairs scored; ` +
          `engine ${JSON.stringify(structural.metadata.timings_ms)}; memory ${memoryLine()}`);
        const judgeStarted = Date.now();
        const report = await this.deps.judge(structural, quick, stale);
        if (stale()) return undefined;
        if (!judging) return early;
        void this.accept(report, false);
        connection.console.info(`similarity: judged in ${Date.now() - judgeStarted} ms; memory ${memoryLine()}`);
        return report;
      } catch (e) {
        connection.console.error(`workspace analysis failed: ${(e as Error).stack ?? e}`);
        void connection.window.showErrorMessage(`Code Origin: workspace analysis failed: ${(e as Error).message}`);
        return undefined;
      } finally {
        progress?.done();
        // The exact run after a quick update (ignored evidence recomputed, new files picked up).
        if (this.fullPending && gen === this.generation) {
          this.fullPending = false;
          this.lastOptions = undefined;
          this.schedule(0);
        }
      }
    })();
    this.running = task;
    return task;
  }

  /**
   * Known files that changed or disappeared since the last run (by size and modification time), and
   * files created since (not when the last run left files out for the cap: the full run decides).
   */
  private changedFiles(): string[] {
    const out: string[] = [];
    for (const [p, sig] of this.stats) if (statSig(p) !== sig) out.push(p);
    const capped = (this.report?.metadata.skipped_files ?? 0) > 0;
    if (!capped) for (const p of this.created) if (!this.stats.has(p)) out.push(p);
    this.created.clear();
    return out;
  }

  /** Size and mtime of the files about to be analysed, taken before reading them (a later change is then seen). */
  private statFiles(changed: string[] | undefined): Map<string, string> {
    if (!changed) return new Map();
    const m = new Map(this.stats);
    for (const p of changed) m.set(p, statSig(p));
    return m;
  }

  private remember(report: CompareReport, before: Map<string, string>): void {
    const next = new Map<string, string>();
    for (const f of report.files) next.set(f.path, before.get(f.path) ?? statSig(f.path));
    this.stats = next;
  }

  /** One warning per cap and file count: how many files were left out and which setting raises the cap. */
  private warnCap(report: CompareReport, cap: number): void {
    const skipped = report.metadata.skipped_files ?? 0;
    const key = `${cap}:${skipped}`;
    if (!skipped || this.warnedCap === key) return;
    this.warnedCap = key;
    void this.deps.connection.window.showWarningMessage(
      `Code Origin: the workspace has ${cap + skipped} source files; similarity analyzed the first ${cap} and skipped ${skipped}. ` +
      'Raise the "codeOrigin.similarity.maxFiles" setting to analyze more.');
  }

  /** Waits for the run in flight, if any (tests and the "Analyze Workspace" command). */
  async settled(): Promise<CompareReport | undefined> {
    return this.running ? this.running : this.report;
  }

  hover(uri: string, pos: Position): Hover | null {
    const hits = (this.diagnostics.get(uri) ?? []).filter((d) => pos.line >= d.range.start.line && pos.line < d.range.end.line);
    if (hits.length === 0) return null;
    const parts = hits.map((d) => {
      const link = d.data as RegionLink;
      const args = encodeURIComponent(JSON.stringify([{ left: link.here, right: link.there }]));
      return `**Code Origin** · similar code\n\n${regionHoverText(d)}\n\n[Compare side by side](command:codeOrigin.compareRegions?${args})`;
    });
    return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') } };
  }

  /** `judging`: verdicts are still to come (the report notification says so; a second one follows). */
  private accept(report: CompareReport, judging = false): Promise<void> {
    this.report = report;
    this.deps.reports.put(report, true);
    const s = this.deps.settings().similarity;
    const folders = this.deps.folders();
    // Diagnostics of a file follow from the reported pairs it is in: find the pairs that changed, and
    // rebuild and send only their files' diagnostics (thousands of files otherwise, after each edit).
    const pairs = new Map<string, PairEntry>();
    const byFile = new Map<string, PairEntry[]>();
    for (const p of report.similarity.pairs) {
      if (!pairReported(p, s.reportThreshold)) continue;
      const { matching_regions: regions, ...rest } = p;
      const files = [...new Set([p.file1, p.file2, ...regions.flatMap((r) => [r.file1, r.file2].filter((f): f is string => !!f))])];
      // A digest, not the JSON itself: kept for every reported pair between runs (with verdicts, ~500 bytes each).
      const entry = { sig: crypto.createHash('sha1').update(JSON.stringify(rest)).digest('base64'), regions, files, pair: p };
      pairs.set(`${p.file1}\0${p.file2}`, entry);
      for (const f of files) {
        const list = byFile.get(f);
        if (list) list.push(entry);
        else byFile.set(f, [entry]);
      }
    }
    const scope = scopeFor(s.diagnosticsScope, byFile.size);
    const settingsKey = JSON.stringify([s, folders, scope]);
    const full = settingsKey !== this.settingsKey;
    let affected: Set<string>;
    if (full) {
      affected = new Set([...byFile.keys(), ...this.published.keys()]);
    } else {
      affected = new Set<string>();
      for (const [key, p] of pairs) {
        const old = this.pairs.get(key);
        // Unchanged pairs share their regions array with the last report (the engine's region memory).
        if (!old || old.sig !== p.sig || (old.regions !== p.regions && regionsSig(old.regions) !== regionsSig(p.regions))) for (const f of p.files) affected.add(f);
      }
      for (const [key, old] of this.pairs) if (!pairs.has(key)) for (const f of old.files) affected.add(f);
    }
    this.pairs = pairs;
    this.byFile = byFile;
    this.scope = scope;
    this.settingsKey = settingsKey;
    const open = scope === 'openFiles' ? this.deps.openFiles() : undefined;
    this.publish([...affected].filter((f) => !open || open.has(f) || this.published.has(f)));
    if (scope === 'openFiles' && s.diagnosticsScope === 'auto' && !this.toldScope) {
      this.toldScope = true;
      this.deps.connection.console.info(`similarity: ${byFile.size} files have matches; diagnostics are shown on open files only ` +
        '(the tree view lists every pair; the "codeOrigin.similarity.diagnosticsScope" setting changes this)');
    }
    // Messages are written in order: once this one is out, so are the diagnostics before it.
    return this.deps.connection.sendNotification(ReportChangedNotification, { analysis_id: report.analysis_id, summary: report.summary, origin: 'workspace', judging })
      .catch(() => undefined);
  }

  /** Rebuilds and sends the diagnostics of `files` (absolute paths): empty where a file has none or is out of scope. */
  private publish(files: string[]): void {
    if (files.length === 0) return;
    const s = this.deps.settings().similarity;
    const folders = this.deps.folders();
    const root = folders[0] ?? process.cwd();
    const open = this.scope === 'openFiles' ? this.deps.openFiles() : undefined;
    const wanted = files.filter((f) => !open || open.has(f));
    const touching = new Set<PairEntry>();
    for (const f of wanted) for (const e of this.byFile.get(f) ?? []) touching.add(e);
    const next = similarityDiagnostics({ similarity: { pairs: [...touching].map((e) => e.pair) } }, s, folders);
    const keep = new Set(wanted);
    for (const f of files) {
      const uri = toUri(f, root);
      const diagnostics = keep.has(f) ? next.get(uri) ?? [] : [];
      if (diagnostics.length === 0 && !this.published.has(f)) continue;
      if (diagnostics.length) {
        this.diagnostics.set(uri, diagnostics);
        this.published.set(f, uri);
      } else {
        this.diagnostics.delete(uri);
        this.published.delete(f);
      }
      this.deps.diagnostics.set('similarity', uri, diagnostics);
    }
  }

  /** Settings changed (thresholds, severities, scope): the last report's diagnostics again, under them. */
  republish(): void {
    if (this.report) void this.accept(this.report);
  }

  /** A document was opened: with diagnostics on open files only, it gets its own now. */
  opened(uri: string): void {
    const p = uriToPath(uri);
    if (p && this.scope === 'openFiles' && !this.published.has(p) && this.byFile.has(p)) this.publish([p]);
  }

  /** A document was closed: with diagnostics on open files only, its own are withdrawn. */
  closed(uri: string): void {
    const p = uriToPath(uri);
    if (p && this.scope === 'openFiles' && this.published.has(p)) this.publish([p]);
  }

  private async options(folders: string[], onProgress?: (p: CompareProgress) => void): Promise<CompareOptions> {
    const s = this.deps.settings();
    return {
      inputs: folders,
      exclude: [...(await this.deps.filesExclude()), ...folders.flatMap(gitignoreLines)],
      template: this.template.length ? this.template : undefined,
      minScore: s.similarity.reportThreshold,
      maxBytes: s.maxFileSize,
      maxFiles: s.similarity.maxFiles,
      cachePath: this.deps.cachePath,
      // One parser thread: the server's own thread stays free for requests, and a thread's parser memory
      // goes when the run ends (parsing here would grow this thread's for good: 922 MB peak at 5,000
      // files, against 597 with one worker and 663 with two, which index 3.7 s faster).
      workers: 1,
      state: this.state,
      onProgress,
    };
  }
}

/** Verdicts of the previous report's pairs carried over to the same pairs (same files, same score) of a new one. */
function withKnownVerdicts(report: CompareReport, previous: CompareReport | undefined): CompareReport {
  const old = new Map<string, JudgedReportPair>();
  for (const p of (previous?.similarity.pairs ?? []) as JudgedReportPair[]) if (p.llm_verdict) old.set(`${p.file1}\0${p.file2}`, p);
  if (old.size === 0) return report;
  const pairs = report.similarity.pairs.map((p) => {
    const o = old.get(`${p.file1}\0${p.file2}`);
    return o && o.similarity_score === p.similarity_score ? { ...p, llm_verdict: o.llm_verdict, refined_verdict: o.refined_verdict } : p;
  });
  return { ...report, similarity: { ...report.similarity, pairs } };
}

/** The options that decide what a run computes (an incremental run needs the same as the last). */
function optionsKey(o: CompareOptions): string {
  return JSON.stringify([o.inputs, o.exclude, o.template, o.minScore, o.maxBytes, o.maxFiles]);
}

/** What diagnostics show of a pair's regions: their files and lines (not their code, which is built only when read). */
function regionsSig(regions: CompareReport['similarity']['pairs'][number]['matching_regions']): string {
  return JSON.stringify(regions.map((r) => [r.file1, r.file2, r.file1_lines, r.file2_lines]));
}

/** Resident, JS heap and external (wasm, buffers) memory in MB, for the log. */
function memoryLine(): string {
  const m = process.memoryUsage();
  return `rss ${Math.round(m.rss / 1e6)} MB, heap ${Math.round(m.heapUsed / 1e6)} MB, external ${Math.round(m.external / 1e6)} MB`;
}

function statSig(p: string): string {
  try {
    const st = fs.statSync(p);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'gone';
  }
}

/** Work-done progress: features are most of a cold run (0–80 %), scoring the rest; with file counts. */
function reportProgress(progress: { report(percentage: number, message?: string): void }, p: CompareProgress): void {
  const share = p.phase === 'features' ? [0, 80] : [80, 20];
  const pct = Math.min(100, Math.round(share[0]! + (share[1]! * p.done) / Math.max(1, p.total)));
  progress.report(pct, p.phase === 'features' ? `${p.done}/${p.total} files` : `comparing ${p.done}/${p.total} files`);
}

/** Root .gitignore patterns of a folder (nested .gitignore files are not read). */
function gitignoreLines(folder: string): string[] {
  try {
    return fs.readFileSync(path.join(folder, '.gitignore'), 'utf8').split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'));
  } catch {
    return [];
  }
}

export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
