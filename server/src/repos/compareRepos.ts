// Compare git repositories: shallow-clone each into a temporary folder, compare them as sides
// (cross pairs only), name files `repository!/path`, and remove the clones whatever happens.
import path from 'node:path';
import { compare, type CompareOptions, type CompareReport } from '../similarity/engine';
import { parseRepoSpec, shallowClone, type Clone } from './clone';

export interface CompareReposOptions {
  /** Options passed on to the engine; inputs and cross are set here. */
  compare?: Omit<CompareOptions, 'inputs' | 'cross'>;
  signal?: AbortSignal;
  onProgress?: (message: string, fraction: number) => void;
  /** Runs on the report while the clones still exist (the judge reads the sources back from them). */
  judge?: (report: CompareReport, inputs: CompareOptions) => Promise<CompareReport>;
  tmpRoot?: string;
}

export async function compareRepositories(repositories: string[], opts: CompareReposOptions = {}): Promise<CompareReport> {
  const specs = repositories.map(parseRepoSpec); // validate all before cloning any
  const clones: Clone[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      opts.onProgress?.(`cloning ${spec.label}`, i / (specs.length + 1));
      clones.push(await shallowClone(spec, { signal: opts.signal, tmpRoot: opts.tmpRoot }));
    }
    opts.onProgress?.('comparing', specs.length / (specs.length + 1));
    const inputs = { ...opts.compare, inputs: clones.map((c) => c.dir), cross: true };
    let report = await compare(inputs);
    if (opts.judge) report = await opts.judge(report, inputs);
    relabel(report, clones);
    return report;
  } finally {
    await Promise.all(clones.map((c) => c.dispose()));
  }
}

/** Temporary clone folders mean nothing to the user: name files `repository!/path` instead. */
function relabel(report: CompareReport, clones: Clone[]): void {
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
