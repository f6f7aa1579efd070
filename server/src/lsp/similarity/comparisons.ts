// On-demand comparisons from the command palette: folders and archives, or git repositories,
// each input one side, cross pairs only. Results go to the report store, not to diagnostics.
import type { Connection } from 'vscode-languageserver';
import { compare, type CompareReport } from '../../similarity/engine';
import { RepoError } from '../../repos/clone';
import { compareRepositories } from '../../repos/compareRepos';
import type { JudgeHook } from '../judge/judging';
import type { ReportStore } from './reportStore';
import type { ServerSettings } from '../settings';

export interface CompareInputsParams {
  inputs: string[];
  template?: string[];
}

export interface CompareReposParams {
  repositories: string[];
}

export type ComparisonResult = { report: CompareReport } | { error: string };

export async function compareInputs(p: CompareInputsParams, settings: ServerSettings, store: ReportStore, judge: JudgeHook): Promise<ComparisonResult> {
  if (!Array.isArray(p?.inputs) || p.inputs.length < 2 || !p.inputs.every((x) => typeof x === 'string')) {
    return { error: 'pick at least two folders or archives to compare' };
  }
  const options = {
    inputs: p.inputs,
    cross: true,
    template: p.template?.length ? p.template : undefined,
    minScore: settings.similarity.reportThreshold,
    maxBytes: settings.maxFileSize,
    workers: 1, // as the workspace index: parsing off the server's thread, its memory freed afterwards
  };
  const report = await judge(await compare(options), options);
  store.put(report);
  return { report };
}

export async function compareRepos(p: CompareReposParams, conn: Connection, settings: ServerSettings, store: ReportStore, judge: JudgeHook): Promise<ComparisonResult> {
  if (!Array.isArray(p?.repositories) || p.repositories.length < 2) return { error: 'give two repositories to compare' };
  const progress = await conn.window.createWorkDoneProgress().catch(() => undefined);
  const ac = new AbortController();
  progress?.begin('Code Origin: comparing repositories', 0, 'cloning', true);
  progress?.token.onCancellationRequested(() => ac.abort());
  try {
    const report = await compareRepositories(p.repositories.map(String), {
      compare: { minScore: settings.similarity.reportThreshold, maxBytes: settings.maxFileSize, workers: 1 },
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
