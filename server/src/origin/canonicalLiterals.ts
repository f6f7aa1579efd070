// Literal tokens of the origin model's canonical input (canonical.ts): strings, comments, numbers and macro
// bodies, each rewritten the way formatters leave them, with per-character source indices.
import type { LanguageId } from '../core/languages';

/** Whitespace, as every canonical rule reads it. */
export const WS = /\s/;

/** One token of the canonical stream, with where it came from in the source. */
export interface Tok {
  text: string;
  start: number;
  /** Per-char source indices when the text is not a verbatim slice of the source from `start`. */
  map?: number[];
  comment?: boolean;
  end: number;
  dropped?: boolean;
  /** Optional bracket: dropped after the trailing-comma pass has seen it. */
  late?: boolean;
  /** Comma in a Rust match arm or use list. */
  listComma?: boolean;
  /** An identifier (tokens-v2 writes its shape; import sorting still reads its name). */
  ident?: boolean;
}

/** Prettier's number printing: lowercase, no redundant exponent parts, leading 0, no trailing zeros or dot. */
export function prettierNumber(v: string): string {
  return v
    .replace(/^([+-]?[\d.]+e)(?:\+|(-))?0*(\d)/, '$1$2$3')
    .replace(/^([+-]?[\d.]+)e[+-]?0+$/, '$1')
    .replace(/^([+-])?\./, '$10.')
    .replace(/(\.\d+?)0+(?=e|$)/, '$1')
    .replace(/\.(?=e|$)/, '');
}

/** Whitespace runs → one space, trimmed, with per-char source indices. */
export function collapsed(raw: string, base: number): { text: string; start: number; map: number[] } {
  const chars: string[] = [];
  const map: number[] = [];
  let pending = -1;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (WS.test(ch)) {
      if (pending < 0 && chars.length) pending = base + i;
      continue;
    }
    if (pending >= 0) {
      chars.push(' ');
      map.push(pending);
      pending = -1;
    }
    chars.push(ch);
    map.push(base + i);
  }
  return { text: chars.join(''), start: map[0] ?? base, map };
}

/** Crude lexer for a macro body (one tree-sitter leaf): clang-format re-spaces it and realigns its `\` continuations. */
export function lexMacroBody(raw: string, base: number, toks: Tok[]): void {
  const re = /\\\s*\n|\s+|[A-Za-z_]\w*|\d[\w.]*|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?|\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|[^\s\w]/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const s = m[0];
    if (!s || /^\s/.test(s) || /^\\\s*\n/.test(s)) {
      if (!s) re.lastIndex++;
      continue;
    }
    const start = base + m.index;
    if (s.startsWith('//') || s.startsWith('/*')) {
      const t = commentTok(s, start, 'c');
      if (t) toks.push(t);
    } else if (s.startsWith('"') || s.startsWith("'")) {
      toks.push({ ...collapsed(s, start), end: start + s.length });
    } else {
      const text = /^\d/.test(s) ? s.toLowerCase() : s;
      toks.push({ text, start, end: start + s.length });
    }
  }
}

export function stringTok(raw: string, start: number, end: number, lang: LanguageId, isJs: boolean, type: string): Tok {
  const py = lang === 'python';
  if ((py || isJs) && (type === 'string')) {
    const m = /^([A-Za-z]*)('''|"""|'|")/.exec(raw);
    if (m && raw.length >= m[0].length + m[2]!.length && raw.endsWith(m[2]!)) {
      const prefix = m[1]!;
      const q = m[2]!;
      const chars: string[] = [];
      const map: number[] = [];
      for (let i = 0; i < prefix.length; i++) {
        const c = prefix[i]!.toLowerCase();
        if (py && c === 'u') continue;
        chars.push(c);
        map.push(start + i);
      }
      const dq = q.length === 3 ? '"""' : '"';
      for (let i = 0; i < dq.length; i++) { chars.push('"'); map.push(start + prefix.length + i); }
      const bodyStart = prefix.length + q.length;
      const bodyEnd = raw.length - q.length;
      // Python triple-quoted strings (docstrings): black strips the whitespace just inside the quotes.
      let b0 = bodyStart;
      let b1 = bodyEnd;
      if (py && q.length === 3) {
        while (b0 < b1 && WS.test(raw[b0]!)) b0++;
        while (b1 > b0 && WS.test(raw[b1 - 1]!)) b1--;
      }
      let pending = -1;
      for (let i = b0; i < b1; i++) {
        const ch = raw[i]!;
        if (WS.test(ch)) {
          if (pending < 0) pending = start + i;
          continue;
        }
        if (pending >= 0) { chars.push(' '); map.push(pending); pending = -1; }
        if (ch === '\\' && i + 1 < b1) {
          const nx = raw[i + 1]!;
          if (nx === "'" || nx === '"') { chars.push(nx); map.push(start + i); i++; continue; }
          chars.push(ch, nx); map.push(start + i, start + i + 1); i++; continue;
        }
        chars.push(ch); map.push(start + i);
      }
      if (pending >= 0) { chars.push(' '); map.push(pending); }
      for (let i = 0; i < dq.length; i++) { chars.push('"'); map.push(start + bodyEnd + i); }
      return { text: chars.join(''), start, end, map };
    }
  }
  // Other literals: only whitespace runs collapse (kept, not trimmed, inside the quotes).
  if (!/\s/.test(raw)) return { text: raw, start, end };
  const chars: string[] = [];
  const map: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (WS.test(ch)) {
      if (i > 0 && WS.test(raw[i - 1]!)) continue;
      chars.push(' ');
    } else chars.push(ch);
    map.push(start + i);
  }
  return { text: chars.join(''), start, end, map };
}

/** Comment markers stripped, whitespace collapsed, re-emitted as `// words` (`# words` for Python); undefined when empty. */
export function commentTok(raw: string, start: number, lang: LanguageId): Tok | undefined {
  const keep = new Array<boolean>(raw.length).fill(true);
  let i = 0;
  let j = raw.length;
  if (raw.startsWith('/*')) {
    i = 2;
    while (i < j && (raw[i] === '*' || raw[i] === '!')) i++;
    if (raw.endsWith('*/') && j - 2 >= i) j -= 2;
    while (j > i && raw[j - 1] === '*') j--;
    // Leading `*` of each continuation line.
    for (let k = i; k < j; k++) {
      if (raw[k] !== '\n') continue;
      let p = k + 1;
      while (p < j && (raw[p] === ' ' || raw[p] === '\t')) p++;
      while (p < j && raw[p] === '*') keep[p++] = false;
    }
  } else if (raw.startsWith('//')) {
    i = 2;
    while (i < j && (raw[i] === '/' || raw[i] === '!')) i++;
  } else if (raw.startsWith('#')) {
    while (i < j && raw[i] === '#') i++;
  }
  const chars: string[] = [];
  const map: number[] = [];
  let pending = -1;
  for (let k = i; k < j; k++) {
    const ch = raw[k]!;
    if (!keep[k] || WS.test(ch)) {
      if (WS.test(ch) && pending < 0 && chars.length) pending = start + k;
      continue;
    }
    if (pending >= 0) { chars.push(' '); map.push(pending); pending = -1; }
    chars.push(ch); map.push(start + k);
  }
  const words = chars.join('');
  if (!words) return undefined;
  if ((lang === 'c' || lang === 'cpp') && /^namespace(?: [\w:]+)?$/.test(words)) return undefined;
  const marker = lang === 'python' ? '# ' : '// ';
  return { text: marker + words, start, end: start + raw.length, map: [start, start, start, ...map].slice(3 - marker.length), comment: true };
}
