// Reads a file for classification with the core's checks (size cap, binary, strict UTF-8). Unlike parsing,
// classification needs no grammar, so a file of an unsupported language is still read, as language "unknown".
import { detectLanguage, type LanguageId } from '../core/languages';
import { decodeText, readBytes } from '../core/source';

export type OriginLanguage = LanguageId | 'unknown';

export type TextResult = { ok: true; text: string; language: OriginLanguage } | { ok: false; reason: string };

export async function readTextForOrigin(filePath: string, maxBytes: number, language?: LanguageId): Promise<TextResult> {
  const read = await readBytes(filePath, maxBytes);
  if (!read.ok) return read;
  const r = decodeText(read.bytes, maxBytes);
  if (!r.ok) return r;
  if (r.text.trim().length === 0) return { ok: false, reason: 'empty file (nothing to classify)' };
  return { ok: true, text: r.text, language: language ?? detectLanguage(filePath) ?? 'unknown' };
}
