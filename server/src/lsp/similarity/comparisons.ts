// On-demand comparisons from the command palette: folders and archives, or git repositories,
// each input one side, cross pairs only. Results go to the report store, not to diagnostics.
import fs from 'node:fs';
import type { Connection } from 'vscode-languageserver';
import { ArchiveError, loadArchives, type LoadedArchive } from '../../similarity/archive';
import { compare, type CompareReport } from '../../similarity/engine';
import { RunRecords } from '../../similarity/record';
import { RepoError } from '../../repos/clone';
import { compareRepositories } from '../../repos/compareRepos';
import type { JudgeHook } from '../judge/judging';
import type { ReportStore } from './reportStore';
import type { ServerSettings } from '../settings';
import type { CompareInputsParams, CompareReposParams, ComparisonResult } from '../../../../protocol/messages';

export type { CompareInputsParams, CompareReposParams, ComparisonResult } from '../../../../protocol/messages';

/**
 * `judging`: whether the judge will run on the report; then the comparison keeps its files, hashes and
 * judge keys (record.ts) for it, so the judge neither reads nor parses them again.
 */
export async function compareInputs(p: CompareInputsParams, settings: ServerSettings, store: ReportStore, judge: JudgeHook, judging: boolean): Promise<ComparisonResult> {
  const archivePaths = Array.isArray(p?.archive) ? p.archive.filter((x): x is string => typeof x === 'string') : [];
  // With an archive, one input is enough: its documents meet each other and the archived ones.
  if (!Array.isArray(p?.inputs) || p.inputs.length < (archivePaths.length ? 1 : 2) || !p.inputs.every((x) => typeof x === 'string')) {
    return { error: archivePaths.length ? 'pick the new submissions too, not only the archive' : 'pick at least two folders or archives to compare' };
  }
  let archive: LoadedArchive | undefined;
  if (archivePaths.length) {
    const missing = archivePaths.find((a) => !fs.existsSync(a));
    if (missing) return { error: `no such archive: ${missing}` };
    try {
      archive = await loadArchives(archivePaths, p.inputs.length, { submissions: false, exclude: [], maxBytes: settings.maxFileSize, workers: 1, log: () => undefined });
    } catch (e) {
      if (e instanceof ArchiveError) return { error: e.message };
      throw e;
    }
  }
  const options = {
    inputs: p.inputs,
    cross: p.inputs.length >= 2,
    archive: archive?.set,
    template: p.template?.length ? p.template : undefined,
    minScore: settings.similarity.reportThreshold,
    maxBytes: settings.maxFileSize,
    workers: 1, // as the workspace index: parsing off the server's thread, its memory freed afterwards
    records: judging ? new RunRecords() : undefined,
  };
  let structural: CompareReport;
  try {
    structural = await compare(options);
    // Archived code of the listed pairs, for their regions and the judge.
    archive?.fillTexts(new Set(structural.similarity.pairs.flatMap((x) => [x.file1, x.file2])));
  } finally {
    archive?.close();
  }
  const report = await judge(structural, options);
  store.put(report);
  return { report };
}

export async function compareRepos(p: CompareReposParams, conn: Connection, settings: ServerSettings, store: ReportStore, judge: JudgeHook, judging: boolean): Promise<ComparisonResult> {
  if (!Array.isArray(p?.repositories) || p.repositories.length < 2) return { error: 'give two repositories to compare' };
  const progress = await conn.window.createWorkDoneProgress().catch(() => undefined);
  const ac = new AbortController();
  progress?.begin('Code Origin: comparing repositories', 0, 'cloning', true);
  progress?.token.onCancellationRequested(() => ac.abort());
  try {
    const report = await compareRepositories(p.repositories.map(String), {
      compare: { minScore: settings.similarity.reportThreshold, maxBytes: settings.maxFileSize, workers: 1, records: judging ? new RunRecords() : undefined },
      signal: ac.signal,
      judge,
      onProgress: (message, fraction) => progress?.report(Math.round(fraction * 100), message),
    });
    store.put(report);
    return { report };
  } catch (e) {
    return { error: e instanceof RepoError ? e.message : `comparison failed: ${(e as Error).message}` };
  } finally {
    progress?.done();
  }
}
