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

/**
 * Tokens read across a file's units, at most this many times the file's own (plus a floor): nested units
 * each read their whole span, so 10,000 nested arrow functions were n² (40 s). Ordinary code reads each
 * token a few times (a class, its methods, their closures); units past the budget are not read.
 */
const UNIT_READS = 8;
const UNIT_READS_FLOOR = 50_000;

export async function detectAlgorithms(file: TokenizedFile): Promise<DetectedAlgorithm[]> {
  const catalog = await catalogFor(file.language);
  const units = file.functions.length > 0
    ? file.functions
    : [{ name: '', start: 0, end: Math.max(0, file.lineCount - 1) }];
  const found: DetectedAlgorithm[] = [];
  // Units of one span and name (nested lambdas on one line) are read once.
  const bySpan = new Map<string, Array<{ name: string; via: DetectedAlgorithm['via'] }>>();
  let budget = UNIT_READS * file.tokens.length + UNIT_READS_FLOOR;
  for (const u of units) {
    const key = `${u.start}:${u.end}:${u.name}`;
    let hits = bySpan.get(key);
    if (!hits) {
      const [from, to] = tokenRange(file.tokens, u.start, u.end);
      if (to === from || to - from > budget) continue;
      budget -= to - from;
      hits = detectInUnit(file.tokens.slice(from, to), u.name, u.start, catalog);
      bySpan.set(key, hits);
    }
    for (const h of hits) found.push({ name: h.name, start: u.start, end: u.end, via: h.via });
  }
  return found;
}

/** Where the tokens on lines start..end are, [from, to) (tokens are in source order: their lines never decrease). */
function tokenRange(tokens: Token[], start: number, end: number): [number, number] {
  const first = (line: number) => {
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid]!.line < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [first(start), first(end + 1)];
}

function detectInUnit(toks: Token[], name: string, start: number, catalog: Array<{ name: string; hashes: Set<number> }>): Array<{ name: string; via: DetectedAlgorithm['via'] }> {
  // Signatures read one function; a giant one is read in part (regular expressions stay fast).
  const text = namedText(toks.length > MAX_UNIT_TOKENS ? toks.slice(0, MAX_UNIT_TOKENS) : toks);
  const names = `${name} ${toks.filter((t) => t.t === 'v').map((t) => t.name).join(' ')}`;
  // It calls itself: its name appears again after the header line.
  const recursive = name !== '' && toks.some((t) => t.t === 'v' && t.name === name && t.line > start);
  const names1 = new Set(matchSignatures(text, names, recursive));
  const hashes = new Set(kgramHashes(toks, CATALOG_K));
  const out: Array<{ name: string; via: DetectedAlgorithm['via'] }> = [];
  for (const e of catalog) {
    if (names1.has(e.name) || e.hashes.size === 0) continue;
    let hit = 0;
    for (const h of e.hashes) if (hashes.has(h)) hit++;
    if (hit / e.hashes.size >= CATALOG_CONTAINMENT) out.push({ name: e.name, via: 'catalog' });
  }
  for (const n of names1) out.push({ name: n, via: 'signature' });
  return out;
}
