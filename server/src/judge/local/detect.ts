// Finds standard algorithms in a file, per function (or in the whole file when it has none): by
// structural signature, or by containing most of a catalog entry's k-grams.
import type { LanguageId } from '../../core/languages';
import { CATALOG, catalogLanguage } from './catalog';
import { kgramHashes } from './kgrams';
import { matchSignatures } from './signatures';
import { tokenize, type Token, type TokenizedFile } from './tokens';

export const CATALOG_K = 6;
/** Share of a catalog entry's k-grams a function must contain to be that entry. */
export const CATALOG_CONTAINMENT = 0.6;
const MAX_UNIT_TOKENS = 4000;

export interface DetectedAlgorithm {
  name: string;
  /** Zero-based inclusive line span of the function it was found in. */
  start: number;
  end: number;
  via: 'signature' | 'catalog';
}

const catalogHashes = new Map<'python' | 'c', Promise<Array<{ name: string; hashes: Set<number> }>>>();

function catalogFor(lang: LanguageId): Promise<Array<{ name: string; hashes: Set<number> }>> {
  const form = catalogLanguage(lang);
  let p = catalogHashes.get(form);
  if (!p) {
    p = Promise.all(CATALOG.map(async (e) => {
      const t = await tokenize(e[form], form);
      return { name: e.name, hashes: new Set(kgramHashes(t.tokens, CATALOG_K)) };
    }));
    catalogHashes.set(form, p);
  }
  return p;
}

/** Token text with names and literal values kept: what signatures read. */
export function namedText(tokens: Token[]): string {
  return tokens.map((t) => t.name ?? t.t).join(' ');
}

export async function detectAlgorithms(file: TokenizedFile): Promise<DetectedAlgorithm[]> {
  const catalog = await catalogFor(file.language);
  const units = file.functions.length > 0
    ? file.functions
    : [{ name: '', start: 0, end: Math.max(0, file.lineCount - 1) }];
  const found: DetectedAlgorithm[] = [];
  for (const u of units) {
    const toks = file.tokens.filter((t) => t.line >= u.start && t.line <= u.end);
    if (toks.length === 0) continue;
    // Signatures read one function; a giant one is read in part (regular expressions stay fast).
    const text = namedText(toks.length > MAX_UNIT_TOKENS ? toks.slice(0, MAX_UNIT_TOKENS) : toks);
    const names = `${u.name} ${toks.filter((t) => t.t === 'v').map((t) => t.name).join(' ')}`;
    // It calls itself: its name appears again after the header line.
    const recursive = u.name !== '' && toks.some((t) => t.t === 'v' && t.name === u.name && t.line > u.start);
    const names1 = new Set(matchSignatures(text, names, recursive));
    const hashes = new Set(kgramHashes(toks, CATALOG_K));
    for (const e of catalog) {
      if (names1.has(e.name) || e.hashes.size === 0) continue;
      let hit = 0;
      for (const h of e.hashes) if (hashes.has(h)) hit++;
      if (hit / e.hashes.size >= CATALOG_CONTAINMENT) found.push({ name: e.name, start: u.start, end: u.end, via: 'catalog' });
    }
    for (const n of names1) found.push({ name: n, start: u.start, end: u.end, via: 'signature' });
  }
  return found;
}
