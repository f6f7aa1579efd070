// The workspace similarity index: runs the engine over the workspace folders in the background,
// with progress and cancellation, publishes diagnostics on matched regions, and answers hovers.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MarkupKind, type Connection, type Diagnostic, type Hover, type Position } from 'vscode-languageserver';
import { compare, type CompareOptions, type CompareReport } from '../../similarity/engine';
import type { ServerSettings } from '../settings';
import type { JudgeHook } from '../judge/judging';
import { regionHoverText, similarityDiagnostics, type RegionLink } from './diagnostics';
import { ReportStore } from './reportStore';

export interface WorkspaceIndexDeps {
  connection: Connection;
  folders: () => string[];
  settings: () => ServerSettings;
  /** Glob keys of VS Code's `files.exclude` that are switched on. */
  filesExclude: () => Promise<string[]>;
  /** sql.js cache file under the extension's storage; undefined: no persistent cache. */
  cachePath: string | undefined;
  reports: ReportStore;
  /** The semantic judge, run on each report before it is stored and published. */
  judge: JudgeHook;
}

export class WorkspaceIndex {
  private report: CompareReport | undefined;
  private diagnostics = new Map<string, Diagnostic[]>();
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CompareReport | undefined> | undefined;
  private template: string[] = [];

  constructor(private readonly deps: WorkspaceIndexDeps) {}

  get current(): CompareReport | undefined {
    return this.report;
  }

  setTemplate(paths: string[]): void {
    this.template = paths.filter((p) => fs.existsSync(p));
  }

  /** Saves and file events come in bursts; analyse once they settle. */
  schedule(delayMs = 600): void {
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
    const task = (async () => {
      try {
        const options = await this.options(folders);
        const report = await this.deps.judge(await compare(options), options, () => cancelled || gen !== this.generation);
        if (cancelled || gen !== this.generation) return undefined; // superseded or cancelled: keep the previous results
        this.accept(report);
        connection.console.info(`similarity: ${report.summary.total_files} files, ${report.summary.suspicious_pairs_count} suspicious pairs in ${Date.now() - started} ms`);
        return report;
      } catch (e) {
        connection.console.error(`workspace analysis failed: ${(e as Error).stack ?? e}`);
        void connection.window.showErrorMessage(`Code Origin: workspace analysis failed: ${(e as Error).message}`);
        return undefined;
      } finally {
        progress?.done();
      }
    })();
    this.running = task;
    return task;
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

  private accept(report: CompareReport): void {
    this.report = report;
    this.deps.reports.put(report);
    const s = this.deps.settings().similarity;
    const next = similarityDiagnostics(report, s, this.deps.folders());
    // Clear files that no longer have matches, then publish the new set.
    for (const uri of this.diagnostics.keys()) if (!next.has(uri)) void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [uri, diagnostics] of next) void this.deps.connection.sendDiagnostics({ uri, diagnostics });
    this.diagnostics = next;
    void this.deps.connection.sendNotification('codeOrigin/reportChanged', { analysis_id: report.analysis_id, summary: report.summary, origin: 'workspace' });
  }

  private async options(folders: string[]): Promise<CompareOptions> {
    const s = this.deps.settings();
    return {
      inputs: folders,
      exclude: [...(await this.deps.filesExclude()), ...folders.flatMap(gitignoreLines)],
      template: this.template.length ? this.template : undefined,
      minScore: s.similarity.reportThreshold,
      maxBytes: s.maxFileSize,
      cachePath: this.deps.cachePath,
    };
  }
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
