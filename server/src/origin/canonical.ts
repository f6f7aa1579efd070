// Formatting-invariant text for the origin model (issue 19): the tree-sitter token stream with layout,
// quote style, trailing commas, optional semicolons/parens and import order canonicalized, so that running
// black, clang-format, gofmt, rustfmt or prettier does not change what the model reads.
import type { TreeCursor } from 'web-tree-sitter';
import type { LanguageId } from '../core/languages';
import { parseSource } from '../core/parser';
import { identifierShape, shapeMap } from './identifierShape';
import { collapsed, commentTok, lexMacroBody, prettierNumber, stringTok, WS, type Tok } from './canonicalLiterals';

/** tokens-v1: layout-blind token stream. tokens-v2: the same with identifiers as their shape (identifierShape.ts). */
export const CANONICAL_VERSIONS = ['tokens-v1', 'tokens-v2'] as const;
export type CanonicalVersion = (typeof CANONICAL_VERSIONS)[number];
/** The version `canonicalizeForOrigin` uses when none is named. */
export const CANONICAL_VERSION: CanonicalVersion = 'tokens-v1';

const PARSE_BUDGET_MS = 1500;

export interface CanonicalText {
  /** The canonical text fed to the tokenizer. */
  text: string;
  /**
   * map[i] = UTF-16 index in the ORIGINAL source of canonical char i (synthesized chars: the start of the
   * token they belong to / next token). Length text.length + 1 (last entry = source.length).
   */
  map: Int32Array;
}

/** Literal kinds that are one token each (their children, e.g. interpolations, are not walked). */
const STRING_TYPES = new Set([
  'string', 'template_string', 'regex', 'string_literal', 'char_literal', 'character_literal', 'raw_string_literal',
  'interpreted_string_literal', 'rune_literal', 'system_lib_string', 'text_block',
]);
const COMMENT_TYPES = new Set(['comment', 'line_comment', 'block_comment']);
const NUMBER_TYPES = new Set([
  'integer', 'float', 'number', 'number_literal', 'int_literal', 'float_literal', 'imaginary_literal', 'integer_literal',
  'decimal_integer_literal', 'hex_integer_literal', 'octal_integer_literal', 'binary_integer_literal',
  'decimal_floating_point_literal', 'hex_floating_point_literal',
]);

/** Import-like items whose consecutive runs formatters sort; value: the parent kinds where they are sorted. */
const IMPORTS: Partial<Record<LanguageId, Record<string, Set<string> | null>>> = {
  python: { import_statement: new Set(['module']), import_from_statement: new Set(['module']) },
  javascript: { import_statement: new Set(['program']) },
  typescript: { import_statement: new Set(['program']) },
  tsx: { import_statement: new Set(['program']) },
  java: { import_declaration: new Set(['program']) },
  c: { preproc_include: null },
  cpp: { preproc_include: null },
  go: { import_spec: new Set(['import_spec_list']) },
  rust: {
    use_declaration: new Set(['source_file', 'declaration_list']),
    mod_item: new Set(['source_file', 'declaration_list']),
    // Items of `use a::{c, b}`: rustfmt sorts them too.
    identifier: new Set(['use_list']), scoped_identifier: new Set(['use_list']), scoped_use_list: new Set(['use_list']),
    use_as_clause: new Set(['use_list']), use_wildcard: new Set(['use_list']), use_list: new Set(['use_list']), self: new Set(['use_list']),
  },
};

const CLOSERS = new Set([')', ']', '}']);

interface Item {
  first: number; // token index range [first, last)
  last: number;
  parentId: number;
}

interface Frame {
  type: string;
  dropParens: boolean;
  id: number;
}

export async function canonicalizeForOrigin(source: string, language: LanguageId | 'unknown', version: CanonicalVersion = CANONICAL_VERSION): Promise<CanonicalText> {
  try {
    if (language === 'unknown' || typeof source !== 'string') return collapseFallback(String(source ?? ''));
    // CRLF / CR → LF and BOM cut (a space would be an indent to Python, `\ ` no line continuation);
    // `orig` takes clean indices back to source indices.
    const { clean, orig } = normalizeNewlines(source);
    // tree-sitter's error recovery is superlinear on some garbage (200 KB of broken C: minutes); past the
    // budget the parse is cancelled and the fallback rule applies. Only pathological input gets there.
    const deadline = Date.now() + PARSE_BUDGET_MS;
    const parsed = await parseSource(clean, language, { progressCallback: () => Date.now() > deadline });
    try {
      const out = canonicalFromTree(clean, language, parsed.tree.walk(), version === 'tokens-v2');
      if (orig) for (let i = 0; i < out.map.length; i++) out.map[i] = orig[out.map[i]!]!;
      return out;
    } finally {
      parsed.dispose();
    }
  } catch {
    return collapseFallback(typeof source === 'string' ? source : '');
  }
}

function normalizeNewlines(source: string): { clean: string; orig?: Int32Array } {
  const bom = source.startsWith('\uFEFF') ? 1 : 0;
  if (!bom && !source.includes('\r')) return { clean: source };
  const chars: string[] = [];
  const orig: number[] = [];
  for (let i = bom; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\r') {
      if (source[i + 1] === '\n') continue;
      chars.push('\n');
    } else chars.push(ch);
    orig.push(i);
  }
  orig.push(source.length);
  return { clean: chars.join(''), orig: Int32Array.from(orig) };
}

/** Rule 8: whitespace runs → one space, trimmed (BOM stripped, CR counts as whitespace). */
function collapseFallback(source: string): CanonicalText {
  const chars: string[] = [];
  const map: number[] = [];
  let pendingSpace = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if ((i === 0 && ch === '\uFEFF') || WS.test(ch)) {
      pendingSpace = chars.length > 0;
      continue;
    }
    if (pendingSpace) {
      chars.push(' ');
      map.push(i);
      pendingSpace = false;
    }
    chars.push(ch);
    map.push(i);
  }
  map.push(source.length);
  return { text: chars.join(''), map: Int32Array.from(map) };
}

function canonicalFromTree(src: string, lang: LanguageId, cursor: TreeCursor, shapes: boolean): CanonicalText {
  const toks: Tok[] = [];
  const items: Item[] = [];
  const importKinds = IMPORTS[lang] ?? {};
  const isJs = lang === 'javascript' || lang === 'typescript' || lang === 'tsx';
  const stack: Frame[] = [];
  const openItems: { frameDepth: number; item: Item }[] = [];
  let nextFrameId = 0;
  try {
    let descend = true;
    for (;;) {
      const type = cursor.nodeType;
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      const parent = stack[stack.length - 1];
      let entered = false;
      if (descend) {
        const kinds = importKinds[type];
        const parentOk = kinds === null || (kinds !== undefined && parent !== undefined && kinds.has(parent.type));
        if (parentOk && (type !== 'mod_item' || src.slice(start, end).trimEnd().endsWith(';'))) {
          const item: Item = { first: toks.length, last: -1, parentId: parent?.id ?? -1 };
          items.push(item);
          openItems.push({ frameDepth: stack.length, item });
        }
        const atomic = STRING_TYPES.has(type) || COMMENT_TYPES.has(type);
        if (!atomic && skipWholeNode(lang, type, parent, cursor)) {
          // nothing emitted
        } else if (!atomic && cursor.gotoFirstChild()) {
          const dropParens = (isJs && type === 'formal_parameters' && parent?.type === 'arrow_function' && singlePlainParam(cursor)) ||
            (lang === 'rust' && type === 'block' && parent?.type === 'match_arm' && singleExpressionBlock(cursor));
          stack.push({ type, dropParens, id: nextFrameId++ });
          entered = true;
        } else if (end > start && !cursor.nodeIsMissing) {
          emitLeaf(src, lang, isJs, type, start, end, parent, toks);
        }
        if (entered) continue;
      }
      // Close an import item that ends at this node.
      while (openItems.length && openItems[openItems.length - 1]!.frameDepth === stack.length) {
        openItems.pop()!.item.last = toks.length;
      }
      if (cursor.gotoNextSibling()) {
        descend = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      stack.pop();
      descend = false;
    }
  } finally {
    cursor.delete();
  }
  for (const o of openItems) o.item.last = toks.length;
  postProcess(src, lang, isJs, toks);
  const order = sortImports(src, toks, items);
  return assemble(src, toks, order, shapes);
}

/** Python `class A():` → black removes the empty parens. */
function skipWholeNode(lang: LanguageId, type: string, parent: Frame | undefined, cursor: TreeCursor): boolean {
  if (lang === 'python' && type === 'argument_list' && parent?.type === 'class_definition') {
    return cursor.currentNode.childCount === 2;
  }
  return false;
}

/** rustfmt turns `0 => { 1 }` into `0 => 1` (and wraps long arms in a block). */
function singleExpressionBlock(cursor: TreeCursor): boolean {
  const block = cursor.currentNode.parent;
  if (!block) return false;
  const named = block.namedChildren.filter((n) => n && !COMMENT_TYPES.has(n.type));
  return named.length === 1 && !/statement|declaration|item/.test(named[0]!.type) && block.childCount === named.length + 2;
}

/** `(x) => …` with one plain identifier: prettier's arrowParens adds or removes these parens. */
function singlePlainParam(cursor: TreeCursor): boolean {
  // The cursor sits on the first child of formal_parameters.
  const params = cursor.currentNode.parent;
  if (!params) return false;
  const named = params.namedChildren.filter((n) => n && !COMMENT_TYPES.has(n.type));
  if (named.length !== 1) return false;
  const p = named[0]!;
  if (p.type === 'identifier') return true;
  return p.type === 'required_parameter' && p.childCount === 1 && p.child(0)?.type === 'identifier';
}

function emitLeaf(src: string, lang: LanguageId, isJs: boolean, type: string, start: number, end: number, parent: Frame | undefined, toks: Tok[]): void {
  const raw = src.slice(start, end);
  if (COMMENT_TYPES.has(type)) {
    const t = commentTok(raw, start, lang);
    if (t) toks.push(t);
    return;
  }
  if (STRING_TYPES.has(type)) {
    toks.push(stringTok(raw, start, end, lang, isJs, type));
    return;
  }
  if (type === 'line_continuation') return;
  if ((raw === '(' || raw === ')') && parent && (parent.type === 'parenthesized_expression' || parent.dropParens)) return void toks.push({ text: raw, start, end, late: true });
  if ((raw === '{' || raw === '}') && parent?.dropParens && parent.type === 'block') return void toks.push({ text: raw, start, end, late: true });
  if (lang === 'python' && raw.trim() === '\\') return; // line continuation
  // black wraps a long `from x import a, b` in parens.
  if ((raw === '(' || raw === ')') && lang === 'python' && parent?.type === 'import_from_statement') return void toks.push({ text: raw, start, end, late: true });
  // `# include` → clang-format writes `#include`.
  if ((lang === 'c' || lang === 'cpp') && raw.startsWith('#') && /\s/.test(raw)) {
    const t = collapsed(raw, start);
    const keep = [...t.text].map((ch, i) => (ch === ' ' ? -1 : i)).filter((i) => i >= 0);
    toks.push({ text: keep.map((i) => t.text[i]).join(''), start, end, map: keep.map((i) => t.map[i]!) });
    return;
  }
  if (raw === ';' && (isJs || lang === 'go')) return;
  if (NUMBER_TYPES.has(type)) {
    let text = raw.toLowerCase();
    if (isJs) text = prettierNumber(text);
    toks.push({ text, start, end, map: text.length === raw.length ? undefined : new Array<number>(text.length).fill(start) });
    return;
  }
  if (type === 'preproc_arg') {
    lexMacroBody(raw, start, toks);
    return;
  }
  const listComma = raw === ',' && lang === 'rust' && (parent?.type === 'match_arm' || parent?.type === 'use_list');
  if (/\s/.test(raw)) {
    const t = collapsed(raw, start);
    if (t.text) toks.push({ ...t, end });
    return;
  }
  toks.push({ text: raw, start, end, listComma, ident: type.endsWith('identifier') && /^[A-Za-z_$][\w$]*$/.test(raw) });
}

function postProcess(src: string, lang: LanguageId, _isJs: boolean, toks: Tok[]): void {
  // Merge comments separated only by whitespace (formatters reflow long comments into several lines).
  let prev: Tok | undefined;
  for (const t of toks) {
    if (t.dropped) continue;
    if (t.comment && prev?.comment && /^\s*$/.test(src.slice(prev.end, t.start))) {
      const words = t.text.slice(t.text.indexOf(' ') + 1);
      // Appended in place: copying the merged map for each comment was n² (250,000 comment lines: minutes).
      const map = prev.map!;
      const from = t.map!;
      map.push(t.start);
      for (let i = from.length - words.length; i < from.length; i++) map.push(from[i]!);
      prev.text = `${prev.text} ${words}`;
      prev.end = t.end;
      t.dropped = true;
      continue;
    }
    prev = t;
  }
  // Backwards: trailing commas before closers, Rust `;` before `}`, Rust match-arm / use-list commas.
  let next: Tok | undefined;
  for (let k = toks.length - 1; k >= 0; k--) {
    const t = toks[k]!;
    if (t.dropped) continue;
    if (t.text === ',' && (t.listComma || (next && CLOSERS.has(next.text)))) { t.dropped = true; continue; }
    if (lang === 'rust' && t.text === ';' && next?.text === '}') { t.dropped = true; continue; }
    next = t;
  }
  for (const t of toks) if (t.late) t.dropped = true;
}

/** Token order with each run of consecutive import items sorted by canonical text. */
function sortImports(src: string, toks: Tok[], items: Item[]): number[] {
  const order: number[] = [];
  const live = (a: number, b: number): number[] => {
    const r: number[] = [];
    for (let k = a; k < b; k++) if (!toks[k]!.dropped) r.push(k);
    return r;
  };
  // Same-line trailing comments travel with their import.
  for (const it of items) {
    while (it.last < toks.length) {
      const t = toks[it.last]!;
      if (t.dropped) { it.last++; continue; }
      if (t.comment && it.last > it.first && !toks.slice(it.first, it.last).some((x) => !x.dropped && x.end > t.start)) {
        const lastLive = live(it.first, it.last).pop();
        if (lastLive !== undefined && !src.slice(toks[lastLive]!.end, t.start).includes('\n')) { it.last++; continue; }
      }
      break;
    }
  }
  // Outer items only (nested items, e.g. use-list entries, are sorted within their own run).
  const sortedRuns: { first: number; last: number; groups: Item[] }[] = [];
  const byParent = new Map<number, Item[]>();
  for (const it of items) {
    if (it.last <= it.first) continue;
    const arr = byParent.get(it.parentId) ?? [];
    arr.push(it);
    byParent.set(it.parentId, arr);
  }
  for (const arr of byParent.values()) {
    let run: Item[] = [];
    const flush = (): void => {
      if (run.length > 1) sortedRuns.push({ first: run[0]!.first, last: run[run.length - 1]!.last, groups: run });
      run = [];
    };
    for (const it of arr) {
      const prevIt = run[run.length - 1];
      if (prevIt && live(prevIt.last, it.first).length === 0 && prevIt.last <= it.first) run.push(it);
      else { flush(); run.push(it); }
    }
    flush();
  }
  // Apply innermost runs first: a permutation array over token indices.
  const perm = toks.map((_, k) => k);
  sortedRuns.sort((a, b) => (a.last - a.first) - (b.last - b.first));
  for (const r of sortedRuns) {
    const keyed = r.groups.map((g) => {
      const idx = perm.slice(g.first, g.last);
      return { idx, key: idx.filter((k) => !toks[k]!.dropped).map((k) => toks[k]!.text).join(' ') };
    });
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const flat = keyed.flatMap((x) => x.idx);
    // Tokens between groups are all dropped; keep them after the run.
    const inRun = new Set(flat);
    const rest = perm.slice(r.first, r.last).filter((k) => !inRun.has(k));
    perm.splice(r.first, r.last - r.first, ...flat, ...rest);
  }
  for (const k of perm) if (!toks[k]!.dropped) order.push(k);
  return order;
}

function assemble(src: string, toks: Tok[], order: number[], shapes: boolean): CanonicalText {
  const parts: string[] = [];
  const map: number[] = [];
  for (const k of order) {
    let t = toks[k]!;
    if (shapes && t.ident) {
      const text = identifierShape(t.text);
      t = { ...t, text, map: shapeMap(text, t.start, t.end) };
    }
    if (parts.length) { parts.push(' '); map.push(t.map ? t.map[0] ?? t.start : t.start); }
    parts.push(t.text);
    if (t.map) for (const m of t.map) map.push(m);
    else for (let i = 0; i < t.text.length; i++) map.push(t.start + i);
  }
  map.push(src.length);
  return { text: parts.join(''), map: Int32Array.from(map) };
}
