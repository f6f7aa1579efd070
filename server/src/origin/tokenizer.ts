// The one tokenization path for the origin model: the server and the training data both go through it,
// so the ids a model was trained on are the ids it sees at run time.
// CodeBERT's byte-level BPE via @huggingface/tokenizers, plus what that package lacks: character offsets
// into the source (JS string indices) and splitting of long inputs into `<s> … </s>` windows.
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';

export const BOS_ID = 0;
export const PAD_ID = 1;
export const EOS_ID = 2;
export const UNK_ID = 3;
/** CodeBERT's hard limit (positions embeddings), windows never exceed it. */
export const MAX_LENGTH = 512;
/** Tokens per window including `<s>` and `</s>`; the model was trained on windows of this length. */
export const WINDOW_LENGTH = 256;
/** Content tokens between the starts of consecutive windows: WINDOW_LENGTH - 2, i.e. no overlap (scoring cost on 2 CPU cores). */
export const WINDOW_STRIDE = 254;

/** One token of the source: id and its [start, end) span in JS string indices (UTF-16 code units). */
export interface SourceTokens {
  ids: number[];
  /** start[i], end[i]: span of token i; a token that holds part of a multi-byte character covers all of it. */
  starts: number[];
  ends: number[];
}

/** A model input: `<s>` + content tokens + `</s>`; offsets are -1 for the two special tokens. */
export interface TokenWindow {
  ids: number[];
  starts: number[];
  ends: number[];
  /** Index of the first content token in the SourceTokens this window came from. */
  firstToken: number;
}

interface TokenizerJsonShape {
  added_tokens?: { id: number; content: string }[];
}

/** Byte-level BPE writes each byte as one printable character; this is the inverse of that table. */
function unicodeToByteLength(): Map<string, number> {
  const bytes: number[] = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  const chars = bytes.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      chars.push(256 + n);
      n++;
    }
  }
  const map = new Map<string, number>();
  for (const c of chars) map.set(String.fromCodePoint(c), 1);
  return map;
}
const BYTE_CHARS = unicodeToByteLength();

/** UTF-8 length of the code point at `i` in `s` and how many UTF-16 units it takes (lone surrogates → U+FFFD, 3 bytes, as TextEncoder does). */
function codePointAt(s: string, i: number): { bytes: number; units: number } {
  const c = s.charCodeAt(i);
  if (c < 0x80) return { bytes: 1, units: 1 };
  if (c < 0x800) return { bytes: 2, units: 1 };
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return { bytes: 4, units: 2 };
  }
  return { bytes: 3, units: 1 };
}

export class OriginTokenizer {
  private readonly tokenizer: Tokenizer;
  private readonly addedTokens: Set<string>;

  constructor(tokenizerJson: object) {
    this.tokenizer = new Tokenizer(tokenizerJson, { model_max_length: MAX_LENGTH });
    const added = (tokenizerJson as TokenizerJsonShape).added_tokens ?? [];
    this.addedTokens = new Set(added.map((t) => t.content));
  }

  static fromFile(path: string): OriginTokenizer {
    return new OriginTokenizer(JSON.parse(readFileSync(path, 'utf8')) as object);
  }

  /** Tokens of the whole source without special tokens, with their character spans. */
  encode(text: string): SourceTokens {
    const enc = this.tokenizer.encode(text, { add_special_tokens: false });
    const starts: number[] = new Array<number>(enc.ids.length);
    const ends: number[] = new Array<number>(enc.ids.length);
    // Walk the source by code points while consuming each token's bytes: tokens tile the UTF-8 bytes
    // of the text exactly (no normalizer), so the walk never needs to search.
    let pos = 0; // UTF-16 index of the current code point
    let usedOfCp = 0; // bytes of that code point already consumed by earlier tokens
    for (let t = 0; t < enc.tokens.length; t++) {
      const tok = enc.tokens[t] ?? '';
      let need: number;
      if (this.addedTokens.has(tok)) {
        need = Buffer.byteLength(tok, 'utf8');
      } else {
        need = 0;
        for (const ch of tok) need += BYTE_CHARS.get(ch) ?? Buffer.byteLength(ch, 'utf8');
      }
      starts[t] = pos;
      while (need > 0 && pos < text.length) {
        const cp = codePointAt(text, pos);
        const left = cp.bytes - usedOfCp;
        if (need >= left) {
          need -= left;
          pos += cp.units;
          usedOfCp = 0;
        } else {
          usedOfCp += need;
          need = 0;
        }
      }
      // A token ending inside a code point covers the whole character.
      ends[t] = usedOfCp > 0 ? pos + codePointAt(text, pos).units : pos;
    }
    return { ids: enc.ids, starts, ends };
  }

  /** Splits tokens into windows of at most `length` tokens (with `<s>`/`</s>`), starts `stride` tokens apart. */
  static windows(tokens: SourceTokens, length = WINDOW_LENGTH, stride = WINDOW_STRIDE): TokenWindow[] {
    if (length < 3 || length > MAX_LENGTH) throw new RangeError(`window length ${length} outside 3..${MAX_LENGTH}`);
    const content = length - 2;
    if (stride < 1 || stride > content) throw new RangeError(`stride ${stride} outside 1..${content}`);
    const n = tokens.ids.length;
    const out: TokenWindow[] = [];
    for (let first = 0; ; first += stride) {
      const last = Math.min(first + content, n);
      out.push({
        ids: [BOS_ID, ...tokens.ids.slice(first, last), EOS_ID],
        starts: [-1, ...tokens.starts.slice(first, last), -1],
        ends: [-1, ...tokens.ends.slice(first, last), -1],
        firstToken: first,
      });
      if (last >= n) break;
    }
    return out;
  }

  /** encode + windows: what the model scores for one file. */
  encodeWindows(text: string, length = WINDOW_LENGTH, stride = WINDOW_STRIDE): TokenWindow[] {
    return OriginTokenizer.windows(this.encode(text), length, stride);
  }
}
