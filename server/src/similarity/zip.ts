// Reads .zip archives in memory (fflate), refusing what could hurt: entries that escape the root,
// too many entries, and more uncompressed bytes than allowed. Sizes are counted while inflating, not
// taken from the headers, so an archive that lies about its sizes is still caught.
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';

export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxEntryBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxTotalBytes: 256 * 1024 * 1024, maxEntryBytes: 1024 * 1024 };

export interface ZipEntry { name: string; bytes?: Uint8Array; error?: string }
export type ZipResult = { ok: true; entries: ZipEntry[] } | { ok: false; reason: string };

/** Input is fed to the inflater in slices this big, which bounds what one step can expand to. */
const SLICE = 16 * 1024;

export function unsafeEntryName(name: string): string | undefined {
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n)) return 'absolute path in archive; refused';
  if (n.split('/').some((s) => s === '..')) return 'path escapes the archive root (..); refused';
  if (n.includes('\0')) return 'NUL byte in entry name; refused';
  return undefined;
}

export function readZip(data: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS, want: (name: string) => boolean = () => true): ZipResult {
  const entries: ZipEntry[] = [];
  let count = 0;
  let total = 0;
  let refused: string | undefined;
  const uz = new Unzip();
  uz.register(UnzipInflate);
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
