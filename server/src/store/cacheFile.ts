// What every cache file of ours shares: how it is recognised (a magic header and a format version), how
// a stored entry is sealed with a checksum, and the checks made before a path is read or written. A path
// given as a cache may be anything (an input file, a device, /proc): what is not one of our caches is
// refused and left untouched, never replaced.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A cache path that is not ours to write: the CLI says so and exits with a usage error. */
export class CacheRefusedError extends Error {}

/**
 * SQLite databases of ours carry one of these in `PRAGMA application_id` (four letters) and their format in
 * `user_version`: so one kind of cache is not taken for another (`--cache X --judge-cache X`).
 */
export const SQLITE_APP_IDS = { featureMain: 0x434f464d /* COFM */, featureShard: 0x434f4653 /* COFS */, verdicts: 0x434f4a56 /* COJV */ } as const;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** The kinds of plain cache files: the feature cache's pair scores, the local judge's key shards and verdicts. */
export const PLAIN_KINDS = { pairs: 'pair', judgeKeys: 'keys', judgeVerdicts: 'verd' } as const;

/** Plain cache files start with MAGIC, a four-letter kind, the format version, the payload's length and checksum. */
const MAGIC = Buffer.from('CodeOrgC', 'latin1');
const HEAD = 32;

/** Bytes of a SHA-256 prefix used as checksum (collisions by a bit flip: 2^-64). */
const SUM = 8;
const sum = (chunks: Uint8Array[]): Buffer => {
  const h = crypto.createHash('sha256');
  for (const c of chunks) h.update(c);
  return h.digest().subarray(0, SUM);
};

/** An entry with its checksum in front, for a database row. */
export function sealEntry(bytes: Uint8Array): Uint8Array {
  return Buffer.concat([sum([bytes]), bytes]);
}

/** The bytes of a sealed entry, or undefined when they do not match their checksum. */
export function openEntry(blob: Uint8Array): Uint8Array | undefined {
  if (blob.length < SUM) return undefined;
  const body = blob.subarray(SUM);
  return Buffer.from(blob.buffer, blob.byteOffset, SUM).equals(sum([body])) ? body : undefined;
}

/** A sealed text (the judge's verdicts are stored as text): checksum in hex, a space, the text. */
export const sealText = (text: string): string => `${sum([Buffer.from(text, 'utf8')]).toString('hex')} ${text}`;
export function openText(stored: string): string | undefined {
  const text = stored.slice(SUM * 2 + 1);
  return stored[SUM * 2] === ' ' && stored.slice(0, SUM * 2) === sum([Buffer.from(text, 'utf8')]).toString('hex') ? text : undefined;
}

/** A plain cache file's chunks: header, then the payload. */
export function encodePlain(kind: string, version: number, payload: Uint8Array[]): Uint8Array[] {
  const head = Buffer.alloc(HEAD);
  MAGIC.copy(head, 0);
  head.write(kind.padEnd(4).slice(0, 4), 8, 'latin1');
  head.writeUInt32LE(version, 12);
  head.writeDoubleLE(payload.reduce((n, c) => n + c.length, 0), 16);
  sum(payload).copy(head, 24);
  return [head, ...payload];
}

export type Decoded = { ok: true; payload: Buffer } | { ok: false; why: 'foreign' | 'other-version' | 'damaged' };

/** A plain cache file's payload, checked against its kind, version, length and checksum. */
export function decodePlain(bytes: Buffer, kind: string, version: number): Decoded {
  if (!isPlainCache(bytes, kind)) return { ok: false, why: 'foreign' };
  if (bytes.length < HEAD) return { ok: false, why: 'damaged' };
  if (bytes.readUInt32LE(12) !== version) return { ok: false, why: 'other-version' };
  const payload = bytes.subarray(HEAD);
  if (bytes.readDoubleLE(16) !== payload.length || !sum([payload]).equals(bytes.subarray(24, 32))) return { ok: false, why: 'damaged' };
  return { ok: true, payload };
}

const isPlainCache = (head: Buffer, kind: string) => head.length >= 12 && head.subarray(0, 8).equals(MAGIC) && head.toString('latin1', 8, 12) === kind.padEnd(4).slice(0, 4);

/**
 * What a path holds, from its first bytes (nothing else is read): nothing, something that is not a
 * regular file, one of our caches of `kind`, an SQLite database without our id (a cache written before
 * the id, or anyone's database: only its tables tell), or something else.
 */
export type Probe = { what: 'absent' } | { what: 'not-regular'; type: string } | { what: 'ours'; version: number } | { what: 'sqlite-unmarked' } | { what: 'foreign' };

/** `kind`: a plain file's kind, or the application id of a database. */
export function probe(file: string, kind: string | number): Probe {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    // Not there (or under a file): nothing to refuse; writing it fails later, as a warning.
    if (['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) return { what: 'absent' };
    throw new CacheRefusedError(`cannot use ${file} as a cache: ${(e as Error).message}`);
  }
  if (!st.isFile()) return { what: 'not-regular', type: fileType(st) };
  const head = Buffer.alloc(100);
  let n = 0;
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
      n = fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw new CacheRefusedError(`cannot use ${file} as a cache: ${(e as Error).message}`);
  }
  const h = head.subarray(0, n);
  if (typeof kind === 'number') {
    if (n < 100 || !h.subarray(0, 16).equals(SQLITE_MAGIC)) return { what: 'foreign' };
    const id = h.readUInt32BE(68);
    if (id === kind) return { what: 'ours', version: h.readUInt32BE(60) };
    return id === 0 ? { what: 'sqlite-unmarked' } : { what: 'foreign' };
  }
  return isPlainCache(h, kind) && n >= 16 ? { what: 'ours', version: h.readUInt32LE(12) } : { what: 'foreign' };
}

function fileType(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Refuses a path that is there and not a regular file (nothing is ever written over one). */
export function refuseNotRegular(file: string, p: Probe, what = 'cache'): void {
  if (p.what === 'not-regular') throw new CacheRefusedError(`refusing to use ${file} as a ${what}: it is ${p.type}, not a file`);
}

/** Refuses a path that is there and not one of our caches: it is left as it is. */
export function refuseForeign(file: string, p: Probe, what = 'cache'): void {
  refuseNotRegular(file, p, what);
  if (p.what === 'foreign' || p.what === 'sqlite-unmarked') {
    throw new CacheRefusedError(`refusing to use ${file} as a ${what}: the file exists and is not a Code Origin cache (left untouched; remove it or choose another path)`);
  }
}

/** Checks that a folder of the cache is a folder (or not there yet). */
export function refuseNotFolder(dir: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (e) {
    if (['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) return;
    throw new CacheRefusedError(`cannot use ${dir} as a cache folder: ${(e as Error).message}`);
  }
  if (!st.isDirectory()) throw new CacheRefusedError(`refusing to use ${dir} as a cache folder: it is ${st.isFile() ? 'a file' : fileType(st)}`);
}

/**
 * Creates a folder and its missing parents one level at a time: Node's recursive mkdirSync never
 * returns on some paths (under /proc it retries forever); here every failure is an error at once.
 */
export function ensureDir(dir: string): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  for (let d = abs; ; d = path.dirname(d)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (st) {
      if (!st.isDirectory()) throw new Error(`${d} is not a folder`);
      break;
    }
    if (path.dirname(d) === d) break;
    missing.push(d);
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** A file's identity on disk: an atomic rename by another process changes it. */
export function identity(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return undefined;
  }
}
