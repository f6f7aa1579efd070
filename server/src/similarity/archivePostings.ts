// The postings of an archive index's documents, saved beside it (`FILE.postings`) by `archive build` and
// `archive add`, so that `compare --archive FILE` does not sort the whole archive's evidence again on every
// query: the run's postings are the saved ones merged with the new documents' (a linear pass, no sort), and
// the document frequencies the common-code filter and the candidate cap count come with them.
// The layout is in docs/archive-index.md ("Postings file"); a reader elsewhere needs no code of ours.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Postings } from './candidates';

export type PostingKind = 'fp' | 'ast' | 'cfg' | 'df';
/** In file order. */
export const POSTING_KINDS: readonly PostingKind[] = ['fp', 'ast', 'cfg', 'df'];

/** A document's sorted unique keys of one kind (as `Doc` holds them). */
export function setOf(d: { fpSet: Float64Array; astSet: Float64Array; cfg: Float64Array; df: Float64Array }, kind: PostingKind): Float64Array {
  return kind === 'fp' ? d.fpSet : kind === 'ast' ? d.astSet : d[kind];
}

/** One kind's saved postings: keys ascending; key k's documents (ordinals, ascending) are `docs[start[k] .. start[k + 1])`. */
export interface StoredKind { keys: Float64Array; start: Int32Array; docs: Int32Array }

const MAGIC = 'COAP';
export const POSTINGS_FORMAT = 1;
/** magic, u32 version, u64 header offset, u64 header length. */
const PRELUDE = 24;

export interface PostingsHeader {
  format: 'code-origin-archive-postings';
  version: number;
  features_version: number;
  feature_options: unknown;
  /** The archived documents by ordinal: name and identity (`Doc.hash`: its files' feature keys). */
  documents: Array<{ doc: string; id: string }>;
  kinds: Record<PostingKind, { keys: number; postings: number; offset: number; bytes: number; sha256: string }>;
}

/** What the manifest records of the postings file: a stale or foreign file is never used. */
export interface PostingsRef { file: string; header_sha256: string }

/** A damaged, stale or mismatched postings file: the query recomputes the postings (and says so). */
export class PostingsError extends Error {}

/**
 * Writes the postings file for documents given by ordinal: `setsOf(kind)` gives each document's keys of
 * one kind (called once per kind, so only one kind's sets are held at a time). Written to a temporary
 * file and renamed; returns what the manifest records.
 */
export async function writePostings(file: string, head: Omit<PostingsHeader, 'format' | 'version' | 'kinds'>,
  setsOf: (kind: PostingKind) => Promise<Float64Array[]>): Promise<PostingsRef> {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    let at = PRELUDE;
    const write = (b: Uint8Array) => {
      fs.writeSync(fd, b, 0, b.byteLength, at);
      at += b.byteLength;
    };
    const bytesOf = (a: Float64Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const kinds = {} as PostingsHeader['kinds'];
    for (const kind of POSTING_KINDS) {
      const p = new Postings(await setsOf(kind));
      const offset = at;
      const h = crypto.createHash('sha256');
      for (const part of [bytesOf(p.keys), bytesOf(p.start), bytesOf(p.docs)]) {
        h.update(part);
        write(part);
      }
      const bytes = at - offset;
      if (at % 8) write(new Uint8Array(8 - (at % 8)));
      kinds[kind] = { keys: p.keys.length, postings: p.docs.length, offset, bytes, sha256: h.digest('hex') };
    }
    const header: PostingsHeader = { format: 'code-origin-archive-postings', version: POSTINGS_FORMAT, ...head, kinds };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const headerAt = at;
    write(json);
    const prelude = Buffer.alloc(PRELUDE);
    prelude.write(MAGIC, 0, 'ascii');
    prelude.writeUInt32LE(POSTINGS_FORMAT, 4);
    prelude.writeBigUInt64LE(BigInt(headerAt), 8);
    prelude.writeBigUInt64LE(BigInt(json.length), 16);
    fs.writeSync(fd, prelude, 0, PRELUDE, 0);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
    return { file: file.split(/[\\/]/).pop()!, header_sha256: crypto.createHash('sha256').update(json).digest('hex') };
  } catch (e) {
    try { fs.closeSync(fd); } catch { /* closed */ }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** An opened postings file: its header, and each kind read (and checked) when asked for. */
export interface StoredPostings {
  header: PostingsHeader;
  kind(kind: PostingKind): StoredKind;
  /** Where a query says it could not use them. */
  log(m: string): void;
}

/** Opens `file` if it is the one `ref` names (same header); throws PostingsError otherwise. */
export function openPostings(file: string, ref: PostingsRef, log: (m: string) => void): StoredPostings {
  if (os.endianness() !== 'LE') throw new PostingsError('the postings are little-endian and this machine is not');
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    throw new PostingsError(`${file} is missing`);
  }
  const size = fs.fstatSync(fd).size;
  // Offsets and lengths come from the file: a crafted one must not make us allocate past its own size.
  const inFile = (offset: number, length: number) => Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= size;
  const read = (offset: number, length: number): Buffer => {
    if (!inFile(offset, length)) throw new PostingsError(`${file} is truncated or damaged`);
    // Unpooled: offset 0 in its own ArrayBuffer, so typed arrays can view it without a copy.
    const b = Buffer.allocUnsafeSlow(length);
    if (fs.readSync(fd, b, 0, length, offset) !== length) throw new PostingsError(`${file} is truncated`);
    return b;
  };
  try {
    const prelude = read(0, PRELUDE);
    if (prelude.toString('ascii', 0, 4) !== MAGIC) throw new PostingsError(`${file} is not a postings file of ours`);
    if (prelude.readUInt32LE(4) !== POSTINGS_FORMAT) throw new PostingsError(`${file}: postings format ${prelude.readUInt32LE(4)} is not the one this Code Origin reads (${POSTINGS_FORMAT})`);
    const json = read(Number(prelude.readBigUInt64LE(8)), Number(prelude.readBigUInt64LE(16)));
    if (crypto.createHash('sha256').update(json).digest('hex') !== ref.header_sha256) throw new PostingsError(`${file} is not the one the index was last written with`);
    const header = JSON.parse(json.toString('utf8')) as PostingsHeader;
    fs.closeSync(fd);
    return {
      header,
      log,
      kind(kind) {
        const k = header.kinds?.[kind];
        const counts = k && Number.isSafeInteger(k.keys) && Number.isSafeInteger(k.postings) && k.keys >= 0 && k.postings >= 0;
        if (!counts || !inFile(k.offset, k.bytes) || k.bytes !== 8 * k.keys + 4 * (k.keys + 1) + 4 * k.postings) {
          throw new PostingsError(`${file}: the ${kind} postings are damaged`);
        }
        let fd2: number;
        try {
          fd2 = fs.openSync(file, 'r');
        } catch {
          throw new PostingsError(`${file} is missing`);
        }
        const b = Buffer.allocUnsafeSlow(k.bytes);
        try {
          if (fs.readSync(fd2, b, 0, k.bytes, k.offset) !== k.bytes) throw new PostingsError(`${file} is truncated`);
        } finally {
          fs.closeSync(fd2);
        }
        if (crypto.createHash('sha256').update(b).digest('hex') !== k.sha256) throw new PostingsError(`${file}: the ${kind} postings are damaged`);
        const keys = new Float64Array(b.buffer, 0, k.keys);
        const start = new Int32Array(b.buffer, 8 * k.keys, k.keys + 1);
        const docs = new Int32Array(b.buffer, 8 * k.keys + 4 * (k.keys + 1), k.postings);
        return { keys, start, docs };
      },
    };
  } catch (e) {
    try { fs.closeSync(fd); } catch { /* closed */ }
    if (e instanceof PostingsError) throw e;
    throw new PostingsError(`${file} is damaged (${(e as Error).message})`);
  }
}

/**
 * The postings of a run's documents, equal to `new Postings(sets)` where the first `newSets.length`
 * documents are the new ones and the rest are archived ones found in `stored`: run document
 * `newSets.length + i` is stored ordinal `ordinals[i]` (ascending; ordinals not listed are left out),
 * with keys `archivedSets[i]` (only their lengths are read: a check that the file matches them).
 * Linear in the stored postings; nothing is sorted but the new documents' keys.
 */
export function mergeStored(newSets: Float64Array[], stored: StoredKind, storedCount: number, ordinals: Int32Array, archivedSets: Float64Array[]): Postings {
  const m = newSets.length;
  const B = new Postings(newSets);
  const A = stored;
  const nA = A.keys.length;
  const nB = B.keys.length;
  // Run document of each stored ordinal (−1: not in this run).
  const runOf = new Int32Array(storedCount).fill(-1);
  for (let i = 0; i < ordinals.length; i++) {
    if ((i > 0 && ordinals[i]! <= ordinals[i - 1]!) || ordinals[i]! >= storedCount) throw new PostingsError('archived documents out of order');
    runOf[ordinals[i]!] = m + i;
  }
  for (let x = 0; x < A.docs.length; x++) if (!(A.docs[x]! >= 0 && A.docs[x]! < storedCount)) throw new PostingsError('a stored document number is out of range');
  // Stored postings still in the run, per key (all of them unless some archived documents are left out).
  const all = ordinals.length === storedCount;
  const live = all ? undefined : new Int32Array(nA);
  if (live) for (let k = 0; k < nA; k++) for (let x = A.start[k]!; x < A.start[k + 1]!; x++) if (runOf[A.docs[x]!]! >= 0) live[k]!++;
  // First pass: the union's size (keys left with no document are dropped, as the constructor never makes them).
  let u = 0;
  let total = B.docs.length;
  if (live) {
    for (let k = 0; k < nA; k++) total += live[k]!;
  } else total += A.docs.length;
  for (let i = 0, j = 0; i < nA || j < nB;) {
    if (j >= nB || (i < nA && A.keys[i]! < B.keys[j]!)) {
      if (!live || live[i]! > 0) u++;
      i++;
    } else {
      if (i < nA && A.keys[i] === B.keys[j]) i++;
      j++;
      u++;
    }
  }
  const keys = new Float64Array(u);
  const start = new Int32Array(u + 1);
  const docs = new Int32Array(total);
  const bToU = new Int32Array(nB);
  // One buffer for every archived document's key ids (400,000 typed arrays of their own took seconds).
  // Filled through plain offsets (`fill[d]` up to `end[d]`), viewed per document at the end.
  const end = new Int32Array(archivedSets.length);
  let kidsTotal = 0;
  archivedSets.forEach((set, d) => { end[d] = kidsTotal += set.length; });
  const kidsBuf = new Int32Array(kidsTotal);
  const fill = new Int32Array(archivedSets.length);
  for (let d = 1; d < fill.length; d++) fill[d] = end[d - 1]!;
  let o = 0;
  let k = 0;
  for (let i = 0, j = 0; i < nA || j < nB;) {
    const a = i < nA ? A.keys[i]! : Infinity;
    const b = j < nB ? B.keys[j]! : Infinity;
    const from = o;
    if (b <= a) {
      // New documents first: their numbers are below every archived one's.
      for (let x = B.start[j]!; x < B.start[j + 1]!; x++) docs[o++] = B.docs[x]!;
      bToU[j++] = k;
    }
    if (a <= b) {
      for (let x = A.start[i]!; x < A.start[i + 1]!; x++) {
        const r = runOf[A.docs[x]!]!;
        if (r < 0) continue;
        docs[o++] = r;
        const d = r - m;
        if (fill[d]! >= end[d]!) throw new PostingsError('the stored postings do not match the archived features');
        kidsBuf[fill[d]!++] = k;
      }
      i++;
    }
    if (o > from) {
      keys[k] = Math.min(a, b);
      start[++k] = o;
    }
  }
  for (let d = 0; d < fill.length; d++) if (fill[d] !== end[d]) throw new PostingsError('the stored postings do not match the archived features');
  const archKids = archivedSets.map((set, d) => kidsBuf.subarray(end[d]! - set.length, end[d]!));
  const kidsOf = [...B.kidsOf.map((kids) => kids.map((x) => bToU[x]!)), ...archKids];
  return Postings.fromParts(keys, start, docs, kidsOf);
}
