// Entry points of the parsing core used by the LSP layer and the CLI.
import { astView, type AstView } from './astView';
import type { LanguageId } from './languages';
import { withParsed } from './parser';
import { readSource, type ReadOptions } from './source';
import { summarize, type FileSummary } from './summary';

export type FileOutcome<T> = { path: string; ok: true; result: T } | { path: string; ok: false; error: string };

export function summarizeSource(source: string, lang: LanguageId): Promise<FileSummary> {
  return withParsed(source, lang, summarize);
}

export function astOfSource(source: string, lang: LanguageId, caps: { maxDepth?: number; maxNodes?: number } = {}): Promise<AstView> {
  return withParsed(source, lang, (p) => astView(p, caps));
}

/** Reads, checks and summarizes one file; a file that cannot be analysed yields its reason, never a throw. */
export async function summarizeFile(filePath: string, opts: ReadOptions = {}): Promise<FileOutcome<FileSummary>> {
  const src = await readSource(filePath, opts);
  if (!src.ok) return { path: filePath, ok: false, error: src.reason };
  try {
    return { path: filePath, ok: true, result: await summarizeSource(src.text, src.language) };
  } catch (e) {
    return { path: filePath, ok: false, error: `analysis failed: ${(e as Error).message}` };
  }
}

export async function astOfFile(filePath: string, opts: ReadOptions & { maxDepth?: number; maxNodes?: number } = {}): Promise<FileOutcome<AstView>> {
  const src = await readSource(filePath, opts);
  if (!src.ok) return { path: filePath, ok: false, error: src.reason };
  try {
    return { path: filePath, ok: true, result: await astOfSource(src.text, src.language, opts) };
  } catch (e) {
    return { path: filePath, ok: false, error: `analysis failed: ${(e as Error).message}` };
  }
}
