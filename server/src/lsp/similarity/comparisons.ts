// On-demand comparisons from the command palette: folders and archives, or git repositories,
// each input one side, cross pairs only. Results go to the report store, not to diagnostics.
import path from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { compare, type CompareReport } from '../../similarity/engine';
import { parseRepoSpec, RepoError, shallowClone, type Clone } from '../../repos/clone';
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

export async function compareInputs(p: CompareInputsParams, settings: ServerSettings, store: ReportStore): Promise<ComparisonResult> {
  if (!Array.isArray(p?.inputs) || p.inputs.length < 2 || !p.inputs.every((x) => typeof x === 'string')) {
    return { error: 'pick at least two folders or archives to compare' };
  }
  const report = await compare({
    inputs: p.inputs,
    cross: true,
    template: p.template?.length ? p.template : undefined,
    minScore: settings.similarity.reportThreshold,
    maxBytes: settings.maxFileSize,
  });
  store.put(report);
  return { report };
}

export async function compareRepositories(p: CompareReposParams, conn: Connection, settings: ServerSettings, store: ReportStore): Promise<ComparisonResult> {
  if (!Array.isArray(p?.repositories) || p.repositories.length < 2) return { error: 'give two repositories to compare' };
  let specs;
  try {
    specs = p.repositories.map((r) => parseRepoSpec(String(r)));
  } catch (e) {
    return { error: (e as Error).message };
  }
  const progress = await conn.window.createWorkDoneProgress().catch(() => undefined);
  const ac = new AbortController();
  progress?.begin('Code Origin: comparing repositories', 0, 'cloning', true);
  progress?.token.onCancellationRequested(() => ac.abort());
  const clones: Clone[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      progress?.report(Math.round((i / (specs.length + 1)) * 100), `cloning ${spec.label}`);
      clones.push(await shallowClone(spec, { signal: ac.signal }));
    }
    progress?.report(Math.round((specs.length / (specs.length + 1)) * 100), 'comparing');
    const report = await compare({ inputs: clones.map((c) => c.dir), cross: true, minScore: settings.similarity.reportThreshold, maxBytes: settings.maxFileSize });
    relabel(report, clones);
    store.put(report);
    return { report };
  } catch (e) {
    return { error: e instanceof RepoError ? e.message : `comparison failed: ${(e as Error).message}` };
  } finally {
    await Promise.all(clones.map((c) => c.dispose()));
    progress?.done();
  }
}

/** Temporary clone folders mean nothing to the user: name files `repository!/path` instead. */
export function relabel(report: CompareReport, clones: Clone[]): void {
  const map = (p: string) => {
    for (const c of clones) {
      const rel = path.relative(c.dir, p);
      if (!rel.startsWith('..') && !path.isAbsolute(rel)) return `${c.spec.label}!/${rel.split(path.sep).join('/')}`;
    }
    return p;
  };
  for (const f of report.files) f.path = map(f.path);
  for (const pair of report.similarity.pairs) {
    pair.file1 = map(pair.file1);
    pair.file2 = map(pair.file2);
    for (const r of pair.matching_regions) {
      if (r.file1) r.file1 = map(r.file1);
      if (r.file2) r.file2 = map(r.file2);
    }
  }
  for (const n of report.graph.nodes) n.id = map(n.id);
  for (const e of report.graph.edges) { e.source = map(e.source); e.target = map(e.target); }
  report.matrix.files = report.matrix.files.map(map);
  for (const c of report.clusters) c.files = c.files.map(map);
}
