// One source file as a comparison reads it: where it was reached, which document it belongs to, and
// its text or why there is none. Files on disk and archive entries are decoded here, the same way.
import fs from 'node:fs/promises';
import { isSupportedFile, type LanguageId } from '../core/languages';
import { decodeSource } from '../core/source';

export interface SourceFile {
  /** As reached from the inputs; `archive.zip!/inner/path` inside archives. */
  path: string;
  input: number;
  /** The document it belongs to (the file itself, or its submission). */
  doc: string;
  text?: string;
  language?: LanguageId;
  error?: string;
  /** Set with `error` where reading the file failed, to be tested instead of the text. */
  readFailure?: ReadFailure;
  /** An earlier submission (`compare --archive`): paired with the inputs only. */
  archive?: boolean;
}

/** Why reading failed: `missing` (ENOENT: gone, deleted between listing and reading), `unreadable` (any other I/O error). */
export type ReadFailure = 'missing' | 'unreadable';

/** What decoding needs: the size limit, and a language that overrides detection by extension. */
export interface DecodeOptions {
  maxBytes: number;
  language?: LanguageId;
}

/** The error text and failure kind of an I/O error. */
export function readError(e: unknown): { error: string; readFailure: ReadFailure } {
  const code = (e as NodeJS.ErrnoException).code;
  return { error: `cannot read: ${code ?? String(e)}`, readFailure: code === 'ENOENT' ? 'missing' : 'unreadable' };
}

/** Reads `f.path` from disk into `f` (text and language, or the reason there is none). */
export async function readFromDisk(f: SourceFile, opts: DecodeOptions, explicit: boolean): Promise<void> {
  if (explicit && !opts.language && !isSupportedFile(f.path)) {
    f.error = 'unsupported file type';
    return;
  }
  let bytes: Uint8Array;
  try {
    const st = await fs.stat(f.path);
    if (!st.isFile()) {
      f.error = 'not a regular file';
      return;
    }
    if (st.size > opts.maxBytes) {
      f.error = `file too large (${st.size} bytes > limit ${opts.maxBytes})`;
      return;
    }
    bytes = await fs.readFile(f.path);
  } catch (e) {
    Object.assign(f, readError(e));
    return;
  }
  decodeInto(f, bytes, opts);
}

/** Decodes bytes read for `f` (from disk or an archive); the language comes from the name inside an archive. */
export function decodeInto(f: SourceFile, bytes: Uint8Array, opts: DecodeOptions): void {
  const r = decodeSource(bytes, f.path.replace(/^.*!\//, ''), { maxBytes: opts.maxBytes, language: opts.language });
  if (r.ok) {
    f.text = r.text;
    f.language = r.language;
  } else f.error = r.reason;
}
