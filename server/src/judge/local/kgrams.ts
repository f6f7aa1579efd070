// k-grams of abstract tokens: the unit of shared evidence between two files, and between a file and
// the template, the common code or a catalog entry.
import type { Token } from './tokens';

// A token's id is a hash of its text, not an order of first appearance: hashes computed on worker
// threads must equal those computed here.
const ids = new Map<string, number>();
function idOf(t: string): number {
  let id = ids.get(t);
  if (id === undefined) {
    id = 0x811c9dc5;
    for (let i = 0; i < t.length; i++) id = Math.imul(id ^ t.charCodeAt(i), 0x01000193);
    ids.set(t, (id >>>= 0));
  }
  return id;
}

/**
 * A 53-bit hash of a text (two 32-bit FNV-style lanes): lines and names are kept and counted as these
 * numbers, not strings (a workspace's judge held ~30 MB of line and name strings; collisions at 53 bits
 * are negligible against the few hundred thousand lines a workspace has).
 */
export function textHash(t: string, salt = 0): number {
  let a = 0x811c9dc5 ^ salt;
  let b = 0x2545f491;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ (c + 0x9e37), 0x85ebca6b) ^ (b >>> 13);
  }
  return (a >>> 0) * 2097152 + ((b >>> 0) >>> 11);
}

/** Hash of the k tokens starting at each position (length: tokens - k + 1, or 0). */
export function kgramHashes(tokens: Token[], k: number): number[] {
  const out: number[] = [];
  const codes = tokens.map((t) => idOf(t.t));
  for (let i = 0; i + k <= codes.length; i++) {
    let a = 0x811c9dc5;
    let b = 0x2545f491;
    for (let j = i; j < i + k; j++) {
      a = Math.imul(a ^ codes[j]!, 0x01000193);
      b = Math.imul(b ^ (codes[j]! + 0x9e37), 0x85ebca6b) ^ (b >>> 13);
    }
    out.push((a >>> 0) * 2097152 + ((b >>> 0) >>> 11));
  }
  return out;
}

/** Marks the tokens covered by k-grams whose hash is in `other`. */
export function coveredBy(hashes: ArrayLike<number>, k: number, tokenCount: number, other: { has(h: number): boolean }): Uint8Array {
  const mark = new Uint8Array(tokenCount);
  for (let i = 0; i < hashes.length; i++) {
    if (other.has(hashes[i]!)) for (let j = i; j < i + k; j++) mark[j] = 1;
  }
  return mark;
}

export function fraction(mark: Uint8Array): number {
  if (mark.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < mark.length; i++) n += mark[i]!;
  return n / mark.length;
}
