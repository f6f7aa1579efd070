// The documents a run compares (files grouped by document, in input order), which of their pairs may be
// compared, and their postings, built only when a stage needs them.
import crypto from 'node:crypto';
import { Postings } from '../candidates';
import type { FileFeatures } from '../features';
import { sortedUnique } from '../hash';
import type { SourceFile } from '../inputs';
import type { EvidencePostings } from '../pairScores';
import type { Allowed, Doc } from './types';

/** Documents, in input order; a file without features (an error) is in none. */
export function documentsOf(files: SourceFile[], feats: Array<FileFeatures | undefined>, keys: string[]): Doc[] {
  const docs: Doc[] = [];
  const byName = new Map<string, Doc>();
  files.forEach((f, i) => {
    const ft = feats[i];
    if (!ft) return;
    let d = byName.get(f.doc);
    if (!d) {
      d = { name: f.doc, input: f.input, archive: !!f.archive, files: [], feats: [], keys: [], hash: '', astSet: ft.astSet, fpSet: ft.fpSet, cfg: ft.cfg, df: ft.df };
      byName.set(f.doc, d);
      docs.push(d);
    }
    d.files.push(f);
    d.feats.push(ft);
    d.keys.push(keys[i]!);
  });
  const union = (d: Doc, pick: (f: FileFeatures) => Float64Array) =>
    d.feats.length === 1 ? pick(d.feats[0]!) : sortedUnique(d.feats.flatMap((f) => [...pick(f)]));
  for (const d of docs) {
    if (d.feats.length > 1) {
      d.astSet = union(d, (f) => f.astSet);
      d.fpSet = union(d, (f) => f.fpSet);
      d.cfg = union(d, (f) => f.cfg);
      d.df = union(d, (f) => f.df);
    }
    // A document's identity for the pair memory: its files' feature keys (content, language, options).
    d.hash = crypto.createHash('sha256').update(d.keys.join('\n')).digest('base64').slice(0, 16);
  }
  return docs;
}

/** Which pairs may be compared: with `cross`, those of different inputs; with an archive, never two archived documents. */
export function allowedPairs(docs: Doc[], cross: boolean, archive: boolean): Allowed {
  const inputsOnly: Allowed = cross ? (i, j) => docs[i]!.input !== docs[j]!.input : () => true;
  return archive ? (i, j) => !(docs[i]!.archive && docs[j]!.archive) && inputsOnly(i, j) : inputsOnly;
}

/**
 * The documents' postings, built only when something must be indexed or scored (a warm run over
 * unchanged files needs none). The fingerprint postings serve the index and the candidate checks; the
 * other three only the common-code count and the bulk scorer, so they are built one at a time and
 * dropped unless the bulk scorer needs them (together they were ~60 MB at 5,000 files, held through
 * the exact run after an edit).
 */
export class LazyPostings {
  private fpPostings?: Postings;
  private built?: EvidencePostings;

  constructor(private readonly docs: Doc[]) {}

  fp(): Postings {
    return (this.fpPostings ??= new Postings(this.docs.map((d) => d.fpSet)));
  }

  /** All four, kept. */
  all(): EvidencePostings {
    return (this.built ??= {
      fp: this.fp(), ast: new Postings(this.docs.map((d) => d.astSet)), cfg: new Postings(this.docs.map((d) => d.cfg)), df: new Postings(this.docs.map((d) => d.df)),
    });
  }

  /** One kind: the kept one, else built for the caller alone. */
  of(kind: 'ast' | 'cfg' | 'df'): Postings {
    return this.built?.[kind] ?? new Postings(this.docs.map((d) => (kind === 'ast' ? d.astSet : d[kind])));
  }
}
