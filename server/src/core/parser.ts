// Loads web-tree-sitter and the grammars once, and parses source text into syntax trees.
import fs from 'node:fs';
import path from 'node:path';
import type { Language, Parser, ParseOptions, Tree } from 'web-tree-sitter';
import { GRAMMAR_FILES, type LanguageId } from './languages';

type TreeSitter = typeof import('web-tree-sitter');

/**
 * Bundles find the wasm files in dist/wasm beside them; tests and scripts run from sources,
 * where the files are still in their npm packages.
 */
function wasmPath(pkg: string, file: string): string {
  const bundled = path.join(__dirname, 'wasm', file);
  if (fs.existsSync(bundled)) return bundled;
  // web-tree-sitter's main entry for `require` is its CommonJS build, in the folder of its other files.
  return path.join(path.dirname(require.resolve(pkg === 'web-tree-sitter' ? pkg : `${pkg}/package.json`)), file);
}

/**
 * web-tree-sitter keeps one wasm instance per copy of its JS module, and an `Aborted()` (an allocation
 * that failed inside a parse) leaves that instance full and unusable: even freeing the parser aborts.
 * So the runtime's CommonJS build is loaded from disk (dist/wasm, or the npm package), not bundled,
 * and after an abort it is loaded again as a new module with a new instance.
 */
let ts: TreeSitter | undefined;
let runtime: Promise<TreeSitter> | undefined;
let languages = new Map<LanguageId, Promise<Language>>();
let parsers = new Map<LanguageId, Parser>();
/** Runtimes dropped after an abort, in this process. */
export let parserRestarts = 0;

/**
 * The parser's wasm memory limit in MiB (web-tree-sitter's own is 2 GiB). A knob for operations and for
 * the tests, which reach a real out-of-memory `Aborted()` with 2 MB of input instead of 50 MB.
 */
function wasmMemory(): WebAssembly.Memory | undefined {
  const mb = Number(process.env.CODE_ORIGIN_PARSER_MEMORY_MB);
  if (!Number.isFinite(mb) || mb <= 0) return undefined;
  // 64 KiB pages; the runtime starts at 32 MiB, the least it accepts.
  return new WebAssembly.Memory({ initial: 512, maximum: Math.max(512, Math.floor(mb * 16)) });
}

function initRuntime(): Promise<TreeSitter> {
  runtime ??= (async () => {
    const file = wasmPath('web-tree-sitter', 'web-tree-sitter.cjs');
    // A dynamic path: bundlers leave it to Node's require, so each load after a cache delete is a new module.
    const load: NodeJS.Require = require;
    delete load.cache[file];
    const mod = load(file) as TreeSitter;
    const memory = wasmMemory();
    await mod.Parser.init({ locateFile: () => wasmPath('web-tree-sitter', 'web-tree-sitter.wasm'), ...(memory ? { wasmMemory: memory } : {}),
      // Its "Aborted()" line on stderr says less than the ParserAbortedError that reports the file.
      printErr: () => undefined });
    ts = mod;
    return mod;
  })();
  return runtime;
}

export async function loadLanguage(lang: LanguageId): Promise<Language> {
  let loaded = languages.get(lang);
  if (!loaded) {
    const { pkg, file } = GRAMMAR_FILES[lang];
    loaded = initRuntime().then((mod) => mod.Language.load(wasmPath(pkg, file)));
    languages.set(lang, loaded);
  }
  return loaded;
}

async function parserFor(lang: LanguageId): Promise<Parser> {
  const language = await loadLanguage(lang);
  let parser = parsers.get(lang);
  if (!parser) {
    parser = new ts!.Parser();
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

/** The parse of one input aborted the wasm runtime; it was replaced, and later parses work. */
export class ParserAbortedError extends Error {
  override name = 'ParserAbortedError';
}

/** `options.progressCallback` may cancel a parse (returning true); a cancelled parse throws. */
export async function parseSource(source: string, lang: LanguageId, options?: ParseOptions): Promise<Parsed> {
  let parser = await parserFor(lang);
  // Another parse may have aborted and replaced the runtime while this one waited: never use a dropped parser.
  while (parsers.get(lang) !== parser) parser = await parserFor(lang);
  let tree: Tree | null;
  try {
    tree = options ? parser.parse(source, null, options) : parser.parse(source);
  } catch (e) {
    if (!isAbort(e)) throw e;
    dropRuntime();
    throw new ParserAbortedError(`the parser ran out of memory on this ${formatSize(source.length)} ${lang} input (tree-sitter ${(e as Error).message.split('.')[0]}); it was restarted for the next file`);
  }
  // A cancelled parse would otherwise resume on the parser's next call, with another text.
  if (!tree) parser.reset();
  if (!tree) throw new Error(`tree-sitter returned no tree for ${lang} source`);
  const t = tree;
  return { language: lang, source, tree: t, dispose: () => t.delete() };
}

/** Emscripten's `abort()` throws a RuntimeError "Aborted(...)" (its own copy of the class, so the name is checked). */
function isAbort(e: unknown): boolean {
  return e instanceof Error && (e instanceof WebAssembly.RuntimeError || e.name === 'RuntimeError') && /^Aborted\(/.test(e.message);
}

/** Forgets the aborted instance: the next parse loads a new one (trees still held keep the old one alive until freed). */
function dropRuntime(): void {
  parserRestarts++;
  // Deleting unregisters each parser's finalizer before the call into the dead instance (which aborts
  // again, caught here): left registered, the finalizer would abort later, uncaught, and end the process.
  for (const p of parsers.values()) {
    try {
      p.delete();
    } catch {
      // expected: the instance is out of memory
    }
  }
  runtime = undefined;
  ts = undefined;
  languages = new Map();
  parsers = new Map();
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} M-character` : `${Math.ceil(chars / 1024)} K-character`;
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
