// Loads web-tree-sitter and the grammars once, and parses source text into syntax trees.
import fs from 'node:fs';
import path from 'node:path';
import { Language, Parser, type ParseOptions, type Tree } from 'web-tree-sitter';
import { GRAMMAR_FILES, type LanguageId } from './languages';

/**
 * Bundles find the wasm files in dist/wasm beside them; tests and scripts run from sources,
 * where the files are still in their npm packages.
 */
function wasmPath(pkg: string, file: string): string {
  const bundled = path.join(__dirname, 'wasm', file);
  if (fs.existsSync(bundled)) return bundled;
  const spec = pkg === 'web-tree-sitter' ? 'web-tree-sitter/web-tree-sitter.wasm' : `${pkg}/package.json`;
  const resolved = require.resolve(spec);
  return pkg === 'web-tree-sitter' ? resolved : path.join(path.dirname(resolved), file);
}

let runtime: Promise<void> | undefined;
const languages = new Map<LanguageId, Promise<Language>>();
const parsers = new Map<LanguageId, Parser>();

function initRuntime(): Promise<void> {
  runtime ??= Parser.init({ locateFile: () => wasmPath('web-tree-sitter', 'web-tree-sitter.wasm') });
  return runtime;
}

export async function loadLanguage(lang: LanguageId): Promise<Language> {
  let loaded = languages.get(lang);
  if (!loaded) {
    const { pkg, file } = GRAMMAR_FILES[lang];
    loaded = initRuntime().then(() => Language.load(wasmPath(pkg, file)));
    languages.set(lang, loaded);
  }
  return loaded;
}

async function parserFor(lang: LanguageId): Promise<Parser> {
  const language = await loadLanguage(lang);
  let parser = parsers.get(lang);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language);
    parsers.set(lang, parser);
  }
  return parser;
}

/** A parsed file. Call `dispose()` when done: trees live in wasm memory, not the JS heap. */
export interface Parsed {
  language: LanguageId;
  source: string;
  tree: Tree;
  dispose(): void;
}

/** `options.progressCallback` may cancel a parse (returning true); a cancelled parse throws. */
export async function parseSource(source: string, lang: LanguageId, options?: ParseOptions): Promise<Parsed> {
  const parser = await parserFor(lang);
  const tree = options ? parser.parse(source, null, options) : parser.parse(source);
  // A cancelled parse would otherwise resume on the parser's next call, with another text.
  if (!tree) parser.reset();
  if (!tree) throw new Error(`tree-sitter returned no tree for ${lang} source`);
  return { language: lang, source, tree, dispose: () => tree.delete() };
}

/** Parses, runs `fn`, and frees the tree whatever happens. */
export async function withParsed<T>(source: string, lang: LanguageId, fn: (p: Parsed) => T): Promise<T> {
  const parsed = await parseSource(source, lang);
  try {
    return fn(parsed);
  } finally {
    parsed.dispose();
  }
}
