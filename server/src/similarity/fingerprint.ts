// Winnowed k-gram fingerprints of the normalized token stream (as in MOSS and Dolos): robust to
// edits that break whole-subtree equality, and the input of the candidate index.

export interface Fingerprints {
  /** Fingerprint hashes in token order (may repeat). */
  hash: Float64Array;
  /** Zero-based rows covered by each fingerprint's k-gram. */
  start: Uint32Array;
  end: Uint32Array;
}

export function winnow(tokens: Int32Array, rows: Uint32Array, k: number, w: number): Fingerprints {
  const n = tokens.length - k + 1;
  if (n <= 0) return { hash: new Float64Array(0), start: new Uint32Array(0), end: new Uint32Array(0) };
  // Two 32-bit polynomial rolling hashes make one 53-bit k-gram hash.
  const B1 = 0x01000193;
  const B2 = 0x5bd1e995;
  let p1 = 1;
  let p2 = 1;
  for (let i = 0; i < k - 1; i++) {
    p1 = Math.imul(p1, B1);
    p2 = Math.imul(p2, B2);
  }
  const grams = new Float64Array(n);
  let h1 = 0;
  let h2 = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (i >= k) {
      h1 = (h1 - Math.imul(tokens[i - k]! + 1, p1)) | 0;
      h2 = (h2 - Math.imul(Math.imul(tokens[i - k]! + 1, 0x9e3779b1), p2)) | 0;
    }
    h1 = (Math.imul(h1, B1) + tokens[i]! + 1) | 0;
    h2 = (Math.imul(h2, B2) + Math.imul(tokens[i]! + 1, 0x9e3779b1)) | 0;
    if (i >= k - 1) grams[i - k + 1] = (mix(h1) >>> 0) * 2097152 + (mix(h2 ^ h1) >>> 11);
  }
  // Winnowing: the rightmost minimum of each window of w k-grams, each position once.
  const picked: number[] = [];
  const win = Math.max(1, Math.min(w, n));
  let last = -1;
  for (let s = 0; s + win <= n; s++) {
    let m = s;
    for (let i = s + 1; i < s + win; i++) if (grams[i]! <= grams[m]!) m = i;
    if (m !== last) {
      picked.push(m);
      last = m;
    }
  }
  const hash = new Float64Array(picked.length);
  const start = new Uint32Array(picked.length);
  const end = new Uint32Array(picked.length);
  picked.forEach((pos, i) => {
    hash[i] = grams[pos]!;
    start[i] = rows[pos]!;
    end[i] = rows[pos + k - 1]!;
  });
  return { hash, start, end };
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
