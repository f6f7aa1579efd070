// Reads .zip archives in memory (fflate), refusing what could hurt: entries that escape the root,
// too many entries, and more uncompressed bytes than allowed. Sizes are counted while inflating, not
// taken from the headers, so an archive that lies about its sizes is still caught; an entry past its
// limit stops inflating at once, so a bomb costs time only up to the limit, not its full size.
import { type FlateError, Inflate, Unzip, type UnzipDecoder, type UnzipFile } from 'fflate';
import { DEFAULT_MAX_FILE_BYTES } from '../../../protocol/config';

export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxEntryBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxTotalBytes: 256 * 1024 * 1024, maxEntryBytes: DEFAULT_MAX_FILE_BYTES };

export interface ZipEntry { name: string; bytes?: Uint8Array; error?: string }
export type ZipResult = { ok: true; entries: ZipEntry[] } | { ok: false; reason: string };

/** Input is fed to the inflater in slices this big, which bounds what one step can expand to (~16 MB). */
const SLICE = 16 * 1024;

export const ENCRYPTED = 'encrypted archives are not supported';

export function unsafeEntryName(name: string): string | undefined {
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n)) return 'absolute path in archive; refused';
  if (n.split('/').some((s) => s === '..')) return 'path escapes the archive root (..); refused';
  if (n.includes('\0')) return 'NUL byte in entry name; refused';
  return undefined;
}

/**
 * fflate's own inflater has no `terminate`, so an entry refused for its size went on inflating to the
 * end (a 4 MB streaming bomb: 15 s). This one drops everything pushed after `terminate`.
 */
class StoppableInflate implements UnzipDecoder {
  static compression = 8;
  ondata: UnzipDecoder['ondata'] = () => undefined;
  private stopped = false;
  private readonly inflate = new Inflate((dat, final) => this.ondata(null, dat, final));
  push(chunk: Uint8Array, final: boolean): void {
    if (this.stopped) return;
    try {
      this.inflate.push(chunk, final);
    } catch (e) {
      this.stopped = true;
      this.ondata(e as FlateError, new Uint8Array(0), final);
    }
  }
  terminate(): void {
    this.stopped = true;
  }
}

const u32 = (d: Uint8Array, i: number) => (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24)) >>> 0;
const u16 = (d: Uint8Array, i: number) => d[i]! | (d[i + 1]! << 8);
const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;

/** What the central directory says before anything is inflated: empty, or encrypted (its entries would only fail as corrupt). */
function precheck(data: Uint8Array): string | undefined {
  if (data.length === 0) return 'empty file, not a zip archive';
  if (data.length < 4 || (u32(data, 0) !== LOCAL && u32(data, 0) !== END)) return 'not a zip archive (no zip signature at its start)';
  let end = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (u32(data, i) === END) { end = i; break; }
  }
  if (end < 0) return undefined; // no directory: the entries are read as they come
  const count = u16(data, end + 10);
  if (count === 0 && u32(data, 0) === END) return 'empty archive (no entries)';
  let p = u32(data, end + 16);
  for (let k = 0; k < count && p + 46 <= data.length && u32(data, p) === CENTRAL; k++) {
    const flags = u16(data, p + 8);
    const method = u16(data, p + 10);
    // Bit 0: traditional or AES encryption (method 99); bit 6: strong encryption.
    if (flags & 0x41 || method === 99) return ENCRYPTED;
    p += 46 + u16(data, p + 28) + u16(data, p + 30) + u16(data, p + 32);
  }
  return undefined;
}

export function readZip(data: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS, want: (name: string) => boolean = () => true): ZipResult {
  const pre = precheck(data);
  if (pre) return { ok: false, reason: pre };
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let count = 0;
  let total = 0;
  let refused: string | undefined;
  const uz = new Unzip();
  uz.register(StoppableInflate);
  uz.onfile = (file: UnzipFile) => {
    if (refused) return;
    count++;
    if (count > limits.maxEntries) {
      refused = `archive has more than ${limits.maxEntries} entries; refused (zip bomb?)`;
      return;
    }
    const name = file.name;
    if (name.endsWith('/')) return;
    const bad = unsafeEntryName(name);
    if (bad) {
      entries.push({ name, error: bad });
      return;
    }
    if (!want(name)) return;
    // Two entries with one name: unzip tools keep one or the other, so neither is silently chosen.
    if (seen.has(name)) {
      entries.push({ name, error: 'duplicate entry name in archive; only the first entry of this name is read' });
      return;
    }
    seen.add(name);
    if (file.originalSize !== undefined && file.originalSize > limits.maxEntryBytes) {
      entries.push({ name, error: `file too large (${file.originalSize} bytes > limit ${limits.maxEntryBytes})` });
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const entry: ZipEntry = { name };
    entries.push(entry);
    file.ondata = (err, chunk, final) => {
      if (entry.error) return;
      if (err) {
        entry.error = `corrupt archive entry: ${err.message}`;
        file.terminate();
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (total > limits.maxTotalBytes) {
        refused = `archive expands to more than ${limits.maxTotalBytes} bytes; refused (zip bomb?)`;
        entry.error = refused;
        file.terminate();
        return;
      }
      if (size > limits.maxEntryBytes) {
        entry.error = `file too large (expands past ${limits.maxEntryBytes} bytes)`;
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) entry.bytes = concat(chunks, size);
    };
    try {
      file.start();
    } catch (e) {
      entry.error = `unsupported archive entry: ${(e as Error).message}`;
    }
  };
  try {
    for (let off = 0; off < data.length && !refused; off += SLICE) {
      uz.push(data.subarray(off, Math.min(data.length, off + SLICE)), off + SLICE >= data.length);
    }
  } catch (e) {
    return { ok: false, reason: `not a readable zip archive: ${(e as Error).message}` };
  }
  if (refused) return { ok: false, reason: refused };
  if (count === 0) return { ok: false, reason: 'not a zip archive (no entries found)' };
  for (const e of entries) if (!e.bytes && !e.error) e.error = 'truncated archive entry';
  return { ok: true, entries };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
