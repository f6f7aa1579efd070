// Reads source files defensively: size cap, binary detection and strict UTF-8, each with a clear reason.
import fs from 'node:fs/promises';
import { detectLanguage, type LanguageId } from './languages';

import { DEFAULT_MAX_FILE_BYTES } from '../../../protocol/config';

export { DEFAULT_MAX_FILE_BYTES };

export type SourceResult =
  | { ok: true; text: string; language: LanguageId; bytes: number }
  | { ok: false; reason: string };

export interface ReadOptions {
  maxBytes?: number;
  /** Overrides extension-based detection (a VS Code language id or one of ours). */
  language?: LanguageId;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Checks bytes already in memory (an open editor buffer, an archive entry) the same way as files on disk. */
export function decodeSource(bytes: Uint8Array, filePath: string, opts: ReadOptions = {}): SourceResult {
  const language = opts.language ?? detectLanguage(filePath);
  if (!language) return { ok: false, reason: 'unsupported file type' };
  const r = decodeText(bytes, opts.maxBytes);
  return r.ok ? { ok: true, text: r.text, language, bytes: bytes.length } : r;
}

/** Size cap, binary detection and strict UTF-8, for callers that need no grammar (the origin model). */
export function decodeText(bytes: Uint8Array, maxBytes = DEFAULT_MAX_FILE_BYTES): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.length > maxBytes) return { ok: false, reason: `file too large (${formatBytes(bytes.length)} > limit ${formatBytes(maxBytes)})` };
  const utf16 = decodeUtf16(bytes);
  if (utf16) return utf16;
  if (bytes.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: `invalid UTF-8 at byte ${firstInvalidUtf8(bytes)}` };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text: normalizeLineEndings(text) };
}

/**
 * CRLF and lone CR to LF, so that every analysis sees one text whatever the checkout: tree-sitter
 * counts rows at LF only (a lone-CR file was one line, its `//` comment swallowing the rest), and the
 * origin model read `\r` as tokens (the same Java file: llm 0.988 with LF, human 0.378 with CRLF).
 * Rows and columns stay those an editor shows (it breaks lines at all three); offsets move by one per
 * CRLF before them: `originalOffset` maps them back.
 */
export function normalizeLineEndings(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Lines in a text as an editor counts them: a trailing newline ends the last line rather than starting a new one. */
export function countLines(source: string): number {
  if (source.length === 0) return 0;
  let n = 1;
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) n++;
  return source.endsWith('\n') ? n - 1 : n;
}

/** Maps offsets in `normalizeLineEndings(original)` back to offsets in `original`. */
export function originalOffset(original: string): (normalized: number) => number {
  // Normalized offsets at which a CRLF's CR was dropped, in order.
  const dropped: number[] = [];
  for (let i = original.indexOf('\r\n'); i !== -1; i = original.indexOf('\r\n', i + 2)) dropped.push(i - dropped.length);
  if (dropped.length === 0) return (n) => n;
  return (n) => {
    // CRs dropped at or before n: binary search for the first drop position greater than n.
    let lo = 0;
    let hi = dropped.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dropped[mid]! <= n) lo = mid + 1;
      else hi = mid;
    }
    return n + lo;
  };
}

/**
 * Files saved as UTF-16 with a byte-order mark (Windows editors do this) are text, not binary:
 * decoded strictly, then held to the same NUL rule as UTF-8. Without a BOM they stay "binary".
 */
function decodeUtf16(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } | undefined {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  const be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (!le && !be) return undefined;
  let text: string;
  try {
    text = new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: `invalid UTF-16 (${le ? 'little' : 'big'}-endian byte-order mark, broken text after it)` };
  }
  if (text.slice(0, 8192).includes('\0')) return { ok: false, reason: 'binary file (contains NUL characters)' };
  return { ok: true, text };
}

/** Checks text already decoded (an editor buffer) against the size limit. */
export function checkText(text: string, opts: { maxBytes?: number } = {}): string | undefined {
  const max = opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > max) return `file too large (${formatBytes(bytes)} > limit ${formatBytes(max)})`;
  if (text.slice(0, 8192).includes('\0')) return 'binary content (contains NUL characters)';
  return undefined;
}

export async function readSource(filePath: string, opts: ReadOptions = {}): Promise<SourceResult> {
  const r = await readBytes(filePath, opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES);
  return r.ok ? decodeSource(r.bytes, filePath, opts) : r;
}

/** Reads a regular file, refusing one over the limit before it enters memory. */
export async function readBytes(filePath: string, maxBytes: number): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: string }> {
  try {
    const st = await fs.stat(filePath);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    if (st.size > maxBytes) return { ok: false, reason: `file too large (${formatBytes(st.size)} > limit ${formatBytes(maxBytes)})` };
    return { ok: true, bytes: await fs.readFile(filePath) };
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
}

/** Offset of the first byte that breaks UTF-8 (TextDecoder does not say where). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += len;
  }
  return i;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
