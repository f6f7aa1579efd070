// The documents a run compares (files grouped by document, in input order), which of their pairs may be
// compared, and their postings, built only when a stage needs them.
import crypto from 'node:crypto';
import { mergeStored, PostingsError, setOf, type PostingKind, type StoredPostings } from '../archivePostings';
import { Postings } from '../candidates';
import type { FileFeatures } from '../features';
import { sortedUnique } from '../hash';
import type { SourceFile } from '../sourceFile';
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
  for (const d of docs) {
    if (d.feats.length > 1) {
      d.astSet = unionOf(d.feats.map((f) => f.astSet));
      d.fpSet = unionOf(d.feats.map((f) => f.fpSet));
      d.cfg = unionOf(d.feats.map((f) => f.cfg));
      d.df = unionOf(d.feats.map((f) => f.df));
    }
    d.hash = docHash(d.keys);
  }
  return docs;
}

/** A document's evidence of one kind from its files' sets: one file's as it is, several files' sorted unique union (archive.ts builds the saved postings with it too). */
export function unionOf(sets: Float64Array[]): Float64Array {
  return sets.length === 1 ? sets[0]! : sortedUnique(sets.flatMap((s) => [...s]));
}

/** A document's identity for the pair memory and the saved postings: its files' feature keys (content, language, options). */
export function docHash(keys: string[]): string {
  return crypto.createHash('sha256').update(keys.join('\n')).digest('base64').slice(0, 16);
}

/** Saved postings an archive index brought (archivePostings.ts), placed in this run's documents. */
export interface StoredInRun { stored: StoredPostings; first: number; ordinals: Int32Array }

/**
 * Where the run's archived documents are in the saved postings: the new documents must all come first,
 * and every archived one be a saved document with the same identity (its files' feature keys), in the
 * saved order. Otherwise (an index changed since, features of another version) undefined, said in `log`.
 */
export function placeStored(docs: Doc[], stored: StoredPostings | undefined): StoredInRun | undefined {
  if (!stored) return undefined;
  let first = docs.findIndex((d) => d.archive);
  if (first < 0) first = docs.length;
  const ordinal = new Map(stored.header.documents.map((d, i) => [d.doc, i]));
  const ordinals = new Int32Array(docs.length - first);
  for (let i = first; i < docs.length; i++) {
    const d = docs[i]!;
    const o = d.archive ? ordinal.get(d.name) : undefined;
    if (o === undefined || stored.header.documents[o]!.id !== d.hash || (i > first && o <= ordinals[i - first - 1]!)) {
      stored.log(`the saved postings do not match the archived document ${d.name}; computed again (build the index again to save the time)`);
      return undefined;
    }
    ordinals[i - first] = o;
  }
  return { stored, first, ordinals };
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
  /** With saved postings, each kind is merged once and kept (merging reads the file again). */
  private readonly merged = new Map<PostingKind, Postings>();

  /** `stored`: an archive index's saved postings for the archived documents (placeStored). */
  constructor(private readonly docs: Doc[], private stored?: StoredInRun) {}

  fp(): Postings {
    return (this.fpPostings ??= this.build('fp'));
  }

  /** All four, kept. */
  all(): EvidencePostings {
    return (this.built ??= { fp: this.fp(), ast: this.of('ast'), cfg: this.of('cfg'), df: this.of('df') });
  }

  /** One kind: the kept one, else built for the caller alone. */
  of(kind: 'ast' | 'cfg' | 'df'): Postings {
    return this.built?.[kind] ?? this.build(kind);
  }

  private build(kind: PostingKind): Postings {
    const st = this.stored;
    if (st) {
      const kept = this.merged.get(kind);
      if (kept) return kept;
      try {
        const p = mergeStored(this.docs.slice(0, st.first).map((d) => setOf(d, kind)), st.stored.kind(kind), st.stored.header.documents.length, st.ordinals,
          this.docs.slice(st.first).map((d) => setOf(d, kind)));
        this.merged.set(kind, p);
        return p;
      } catch (e) {
        if (!(e instanceof PostingsError)) throw e;
        // Kinds merged before stay: each equals what the sets give.
        st.stored.log(`${e.message}; the postings are computed again (build the index again to save the time)`);
        this.stored = undefined;
      }
    }
    return new Postings(this.docs.map((d) => setOf(d, kind)));
  }
}
