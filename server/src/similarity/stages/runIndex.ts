// Incremental re-analysis. A state keeps the last run as a `RunIndex`: its files, scoring context and
// candidate count, with each document's fingerprints. A quick update starts from it with the changed
// files removed (deleted), updated (read again) or added (created inside an input folder), and counts
// candidates again only around them; the last run itself is not touched, and is replaced by the next
// run's index when that run ends.
import { candidatesOf } from '../changedPairs';
import { collectAdded, collectInputs, type SourceFile } from '../inputs';
import type { Allowed, Context, Doc, Settings } from './types';

export class RunIndex {
  private constructor(
    readonly files: SourceFile[],
    readonly template: SourceFile[],
    readonly ctx: Context,
    readonly candidates: number,
    private readonly fpSets: Float64Array[],
    private readonly docIndex: Map<string, number>,
    private readonly inputs: number[],
  ) {}

  /** The index of a finished run. */
  static of(files: SourceFile[], template: SourceFile[], ctx: Context, candidates: number, docs: Doc[]): RunIndex {
    return new RunIndex(files, template, ctx, candidates, docs.map((d) => d.fpSet), new Map(docs.map((d, i) => [d.name, i])), docs.map((d) => d.input));
  }

  /**
   * A quick update of this run: the files at `paths` that it has read again (deleted ones removed), and
   * those it lacks added where a walk of `inputs` would find them now.
   */
  async update(paths: string[], collect: Settings['collect'], inputs: string[] = []): Promise<QuickUpdate> {
    const up = new QuickUpdate(this, paths);
    const known = new Set<string>();
    for (const f of this.files) {
      known.add(f.path);
      if (!up.changed.has(f.path)) continue;
      const { files: [again], missing } = await collectInputs([f.path], { ...collect, submissions: false });
      if (!again || missing.length > 0 || again.readFailure === 'missing') up.removeFile(f.path);
      else up.updateFile(again);
    }
    for (const f of await collectAdded(paths.filter((p) => !known.has(p)), inputs, { ...collect, submissions: false })) up.addFile(f);
    return up;
  }

  /** Candidate pairs of the documents named `names` then (cross: with those of other inputs). */
  candidatesTouching(names: Set<string>, cross: boolean): number {
    const before = [...names].map((p) => this.docIndex.get(p)).filter((i): i is number => i !== undefined);
    const allowedBefore: Allowed = cross ? (i, j) => this.inputs[i] !== this.inputs[j] : () => true;
    return pairsTouching(this.fpSets, before, this.ctx, allowedBefore);
  }
}

/** The last run's files with explicit removals and updates, and what follows from them. */
export class QuickUpdate {
  readonly changed: Set<string>;
  /** The last run's files, each as it is now (undefined: removed). */
  private readonly now: Array<SourceFile | undefined>;
  /** Files the last run did not have. */
  private readonly added: SourceFile[] = [];

  constructor(readonly base: RunIndex, paths: string[]) {
    this.changed = new Set(paths);
    this.now = [...base.files];
  }

  /** The file is gone: it and its pairs leave the run. */
  removeFile(path: string): void {
    this.base.files.forEach((f, i) => { if (f.path === path) this.now[i] = undefined; });
  }

  /** The file as read again; it keeps its place, input and document. */
  updateFile(file: SourceFile): void {
    this.base.files.forEach((f, i) => { if (f.path === file.path) this.now[i] = { ...file, input: f.input, doc: f.doc }; });
  }

  /** A new file: it joins the run where a walk would place it, and its pairs are scored. */
  addFile(file: SourceFile): void {
    if (!this.added.some((f) => f.path === file.path)) this.added.push(file);
  }

  /** The run's files, in the last run's order, with added ones where a walk puts them (by input, then path). */
  get files(): SourceFile[] {
    const out = this.now.filter((f): f is SourceFile => !!f);
    for (const a of this.added) {
      const at = out.findIndex((f) => f.input > a.input || (f.input === a.input && f.path > a.path));
      out.splice(at < 0 ? out.length : at, 0, a);
    }
    return out;
  }

  get template(): SourceFile[] {
    return this.base.template;
  }

  /** The last run's context: its ignored evidence is kept, so only the changed documents' pairs are scored. */
  get ctx(): Context {
    return this.base.ctx;
  }

  /** The last count, less the changed documents' pairs then, plus theirs now. */
  candidates(docs: Doc[], allowed: Allowed, cross: boolean): number {
    const now = docs.flatMap((d, i) => (this.changed.has(d.name) ? [i] : []));
    return this.base.candidates - this.base.candidatesTouching(this.changed, cross) + pairsTouching(docs.map((d) => d.fpSet), now, this.ctx, allowed);
  }
}

/** Candidate pairs with at least one document in `set`. */
function pairsTouching(fpSets: Float64Array[], set: number[], ctx: Context, allowed: Allowed): number {
  const inSet = new Set(set);
  let c = 0;
  for (const a of set) c += candidatesOf(a, fpSets, ctx.capDocs, ctx.templateFp, (b) => (!inSet.has(b) || b > a) && allowed(Math.min(a, b), Math.max(a, b))).length;
  return c;
}
