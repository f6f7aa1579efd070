// Reads a file for classification with the core's checks (size cap, binary, strict UTF-8). Unlike parsing,
// classification needs no grammar, so a file of an unsupported language is still read, as language "unknown".
import fs from 'node:fs/promises';
import { detectLanguage, type LanguageId } from '../core/languages';
import { decodeSource, formatBytes } from '../core/source';

export type OriginLanguage = LanguageId | 'unknown';

export type TextResult = { ok: true; text: string; language: OriginLanguage } | { ok: false; reason: string };

export async function readTextForOrigin(filePath: string, maxBytes: number, language?: LanguageId): Promise<TextResult> {
  let size: number;
  try {
    const st = await fs.stat(filePath);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    size = st.size;
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  if (size > maxBytes) return { ok: false, reason: `file too large (${formatBytes(size)} > limit ${formatBytes(maxBytes)})` };
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(filePath);
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const detected: OriginLanguage = language ?? detectLanguage(filePath) ?? 'unknown';
  // decodeSource insists on a language; any stands in for "unknown" since only its checks are used here.
  const r = decodeSource(bytes, filePath, { maxBytes, language: detected === 'unknown' ? 'c' : detected });
  if (!r.ok) return r;
  if (r.text.trim().length === 0) return { ok: false, reason: 'empty file (nothing to classify)' };
  return { ok: true, text: r.text, language: detected };
}
