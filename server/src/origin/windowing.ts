// Turns one document into the model's windows (via the shared tokenizer module), at most `maxWindows` of them.
// A very long document is tokenized only as far as those windows reach, so a 1 MiB file costs no more than
// the part of it that is classified.
import { OriginTokenizer, type SourceTokens, type TokenWindow } from './tokenizer';

export interface WindowingOptions {
  length: number;
  stride: number;
  /** Most windows to keep (from the start of the document); Infinity keeps all. */
  maxWindows: number;
  bos: number;
  eos: number;
}

/** A window plus where it sits: its index and the source character range its content tokens cover. */
export interface ModelWindow extends TokenWindow {
  index: number;
  /** Content tokens (without `<s>`/`</s>`). */
  tokens: number;
  start: number;
  end: number;
}

export interface DocumentWindows {
  windows: ModelWindow[];
  /** Tokens of the document that were tokenized (all of them unless truncated). */
  tokens: SourceTokens;
  /** True when the document has more windows than were kept. */
  truncated: boolean;
}

/** Tokens past the last kept window that must exist before a prefix is trusted to tokenize like the whole text. */
const PREFIX_MARGIN_TOKENS = 64;
/** Generous characters per token: prefixes are cut this far out, so a short prefix is rare. */
const PREFIX_CHARS_PER_TOKEN = 16;

function tokensNeeded(o: WindowingOptions): number {
  return (o.maxWindows - 1) * o.stride + (o.length - 2);
}

/**
 * Tokens of `text`, or of a prefix of it long enough for `maxWindows` windows. The prefix is cut at a line
 * break and must yield PREFIX_MARGIN_TOKENS more tokens than the windows use: BPE works per pre-token
 * (words, runs of spaces), so only the last few tokens of a prefix can differ from the whole text's.
 */
function tokenizeEnough(tok: OriginTokenizer, text: string, o: WindowingOptions): { tokens: SourceTokens; partial: boolean } {
  if (Number.isFinite(o.maxWindows)) {
    const needed = tokensNeeded(o) + PREFIX_MARGIN_TOKENS;
    let cut = needed * PREFIX_CHARS_PER_TOKEN;
    if (cut < text.length) {
      const nl = text.indexOf('\n', cut);
      if (nl >= 0 && nl - cut < 4096) cut = nl + 1;
      const tokens = tok.encode(text.slice(0, cut));
      if (tokens.ids.length >= needed) return { tokens, partial: true };
    }
  }
  return { tokens: tok.encode(text), partial: false };
}

export function documentWindows(tok: OriginTokenizer, text: string, o: WindowingOptions): DocumentWindows {
  const { tokens, partial } = tokenizeEnough(tok, text, o);
  const all = OriginTokenizer.windows(tokens, o.length, o.stride);
  const kept = Number.isFinite(o.maxWindows) ? all.slice(0, Math.max(1, o.maxWindows)) : all;
  const windows = kept.map((w, index): ModelWindow => {
    const ids = w.ids.slice();
    ids[0] = o.bos;
    ids[ids.length - 1] = o.eos;
    const n = ids.length - 2;
    return {
      ...w,
      ids,
      index,
      tokens: n,
      start: n > 0 ? w.starts[1]! : 0,
      end: n > 0 ? w.ends[n]! : 0,
    };
  });
  return { windows, tokens, truncated: partial || kept.length < all.length };
}
