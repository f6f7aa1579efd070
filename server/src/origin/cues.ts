// Cues in words: token attributions summed into a few named groups (comments and docstrings, identifier
// naming, string and message text, keywords and structure, punctuation and operators, layout), by the
// lexical class of each token's source characters. A small scanner (comments and strings per language
// family, then words) is enough here: it only has to say what kind of text a highlighted token sits in.
import type { OriginLanguage } from './sourceText';

import type { Cue, CueGroup } from '../../../protocol/records';

export type { Cue, CueGroup } from '../../../protocol/records';

export const CUE_NAMES: Record<CueGroup, string> = {
  comments: 'comment and docstring style',
  naming: 'identifier naming',
  strings: 'string, log and message text',
  structure: 'keywords and structure',
  punctuation: 'punctuation and operators',
  layout: 'whitespace and layout',
};

const KEYWORDS = new Set((
  'abstract as async await break case catch class const continue def default defer del delete do elif else enum export '
  + 'extends extern final finally fn for foreach from func function go goto if impl implements import in instanceof interface '
  + 'lambda let loop match mod module move mut namespace new nonlocal not or and is pass package private protected pub public '
  + 'raise return select self static struct super switch template this throw throws trait try type typedef typeof union unsafe '
  + 'use using var virtual void volatile where while with yield int long short char float double bool boolean byte unsigned '
  + 'signed string str auto crate dyn ref true false null nil None True False undefined chan map range println printf '
  + 'String Object Integer Long Double Boolean Character List Map Set Vec Option Result Some Ok Err std System print len size_t'
).split(' '));

/** Per source character: 0 code, 1 comment/docstring, 2 string. */
function commentAndStringMask(text: string, language: OriginLanguage): Uint8Array {
  const mask = new Uint8Array(text.length);
  const hashComments = language === 'python';
  const slashComments = language !== 'python';
  const backticks = language === 'javascript' || language === 'typescript' || language === 'tsx' || language === 'go';
  let i = 0;
  const fill = (from: number, to: number, v: number) => mask.fill(v, from, Math.min(to, text.length));
  while (i < text.length) {
    const c = text[i]!;
    const n = text[i + 1];
    if ((hashComments && c === '#') || (slashComments && c === '/' && n === '/')) {
      const e = text.indexOf('\n', i);
      const end = e < 0 ? text.length : e;
      fill(i, end, 1);
      i = end;
    } else if (slashComments && c === '/' && n === '*') {
      const e = text.indexOf('*/', i + 2);
      const end = e < 0 ? text.length : e + 2;
      fill(i, end, 1);
      i = end;
    } else if (language === 'python' && (text.startsWith('"""', i) || text.startsWith("'''", i))) {
      // Triple-quoted strings in Python are docstrings nearly always: their style is comment style.
      const q = text.slice(i, i + 3);
      const e = text.indexOf(q, i + 3);
      const end = e < 0 ? text.length : e + 3;
      fill(i, end, 1);
      i = end;
    } else if (c === '"' || c === "'" || (backticks && c === '`')) {
      // A Rust lifetime ('a) or a quote in a char literal must not swallow the line: single-quoted runs stop at a newline.
      let j = i + 1;
      while (j < text.length && text[j] !== c && !(text[j] === '\n' && c !== '`')) j += text[j] === '\\' ? 2 : 1;
      const end = Math.min(j + 1, text.length);
      fill(i, end, 2);
      i = end;
    } else i++;
  }
  return mask;
}

/** The cue group of the source text [start, end), given the comment/string mask. */
function groupOf(text: string, mask: Uint8Array, start: number, end: number): CueGroup {
  let comment = 0;
  let str = 0;
  for (let i = start; i < end; i++) {
    if (mask[i] === 1) comment++;
    else if (mask[i] === 2) str++;
  }
  const n = Math.max(1, end - start);
  if (comment * 2 >= n) return 'comments';
  if (str * 2 >= n) return 'strings';
  const span = text.slice(start, end);
  if (/^\s*$/.test(span)) return 'layout';
  const word = /[A-Za-z_$][A-Za-z0-9_$]*/.exec(span);
  if (!word) return /\d/.test(span) ? 'strings' : 'punctuation';
  // A BPE piece may be part of a longer word: classify the whole word around it.
  let a = start + word.index;
  let b = a + word[0].length;
  while (a > 0 && /[A-Za-z0-9_$]/.test(text[a - 1]!)) a--;
  while (b < text.length && /[A-Za-z0-9_$]/.test(text[b]!)) b++;
  return KEYWORDS.has(text.slice(a, b)) ? 'structure' : 'naming';
}

/**
 * The groups that carry most of the attribution toward the explained side (`sign` 1: positive scores,
 * -1: negative ones), largest first: at most `k`, each with at least `minShare` of the total.
 */
export function cueGroups(
  text: string,
  language: OriginLanguage,
  tokens: Array<{ start: number; end: number; score: number }>,
  o: { sign?: 1 | -1; k?: number; minShare?: number } = {},
): Cue[] {
  const sign = o.sign ?? 1;
  const mask = commentAndStringMask(text, language);
  const sums = new Map<CueGroup, number>();
  let total = 0;
  for (const t of tokens) {
    const v = t.score * sign;
    if (!(v > 0)) continue;
    const g = groupOf(text, mask, t.start, t.end);
    sums.set(g, (sums.get(g) ?? 0) + v);
    total += v;
  }
  if (!(total > 0)) return [];
  return [...sums.entries()]
    .map(([group, v]) => ({ group, name: CUE_NAMES[group], share: v / total }))
    .sort((a, b) => b.share - a.share)
    .filter((c) => c.share >= (o.minShare ?? 0.15))
    .slice(0, o.k ?? 3);
}

/** "comment and docstring style, identifier naming" */
export function cueSentence(cues: Cue[]): string {
  return cues.map((c) => c.name).join(', ');
}

/** Exposed for tests: the group of one span. */
export function cueGroupOfSpan(text: string, language: OriginLanguage, start: number, end: number): CueGroup {
  return groupOf(text, commentAndStringMask(text, language), start, end);
}
