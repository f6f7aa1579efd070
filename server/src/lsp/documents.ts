// Per-document analysis with a cache keyed by version: hovers and requests share one parse per edit.
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocuments } from 'vscode-languageserver';
import { astOfSource, summarizeSource } from '../core/analyze';
import type { AstView } from '../core/astView';
import { detectLanguage, type LanguageId } from '../core/languages';
import { checkText, decodeSource, normalizeLineEndings } from '../core/source';
import type { FileSummary } from '../core/summary';
import type { ServerSettings } from './settings';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

interface Loaded {
  text: string;
  language: LanguageId;
  key: string;
}

export class DocumentAnalyzer {
  private readonly summaries = new Map<string, { key: string; value: Promise<Outcome<FileSummary>> }>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: () => ServerSettings,
  ) {}

  async summary(uri: string): Promise<Outcome<FileSummary>> {
    const loaded = await this.load(uri);
    if (!loaded.ok) return loaded;
    const { text, language, key } = loaded.value;
    const hit = this.summaries.get(uri);
    if (hit && hit.key === key) return hit.value;
    const value = summarizeSource(text, language).then(
      (s): Outcome<FileSummary> => ({ ok: true, value: s }),
      (e: unknown): Outcome<FileSummary> => ({ ok: false, error: `analysis failed: ${(e as Error).message}` }),
    );
    this.summaries.set(uri, { key, value });
    return value;
  }

  async ast(uri: string, caps: { maxDepth?: number; maxNodes?: number }): Promise<Outcome<AstView>> {
    const loaded = await this.load(uri);
    if (!loaded.ok) return loaded;
    const s = this.settings();
    try {
      const value = await astOfSource(loaded.value.text, loaded.value.language, {
        maxDepth: caps.maxDepth ?? s.astMaxDepth,
        maxNodes: caps.maxNodes ?? s.astMaxNodes,
      });
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: `analysis failed: ${(e as Error).message}` };
    }
  }

  forget(uri: string): void {
    this.summaries.delete(uri);
  }

  /** Open documents come from the editor buffer; others are read from disk with the same checks as the CLI. */
  private async load(uri: string): Promise<Outcome<Loaded>> {
    const s = this.settings();
    const doc = this.documents.get(uri);
    let text: string;
    let language: LanguageId | undefined;
    let key: string;
    if (doc) {
      language = detectLanguage(pathOf(uri), doc.languageId);
      if (!language) return { ok: false, error: `unsupported language "${doc.languageId}"` };
      const problem = checkText(doc.getText(), { maxBytes: s.maxFileSize });
      if (problem) return { ok: false, error: problem };
      // As files read from disk are: rows and columns (what summaries report) are the editor's either way.
      text = normalizeLineEndings(doc.getText());
      key = `v${doc.version}`;
    } else {
      if (!uri.startsWith('file:')) return { ok: false, error: `document not open: ${uri}` };
      const path = fileURLToPath(uri);
      let bytes: Buffer;
      try {
        const st = await fs.stat(path);
        if (st.size > s.maxFileSize) return { ok: false, error: `file too large (${st.size} bytes > limit ${s.maxFileSize})` };
        bytes = await fs.readFile(path);
      } catch (e) {
        return { ok: false, error: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
      }
      const src = decodeSource(bytes, path, { maxBytes: s.maxFileSize });
      if (!src.ok) return { ok: false, error: src.reason };
      ({ text, language } = src);
      key = `disk:${bytes.length}:${hashText(text)}`;
    }
    if (!s.enabledLanguages.includes(language)) return { ok: false, error: `language "${language}" is disabled in codeOrigin.enabledLanguages` };
    return { ok: true, value: { text, language, key: `${key}:${language}:${s.maxFileSize}` } };
  }
}

function pathOf(uri: string): string {
  try {
    return new URL(uri).pathname;
  } catch {
    return uri;
  }
}

function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}
