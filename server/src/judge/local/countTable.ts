// Counts by integer key (the judge's 53-bit hashes) in two typed arrays with open addressing: the
// common-code document frequencies hold a key per distinct k-gram, line and name of the workspace
// (150,000 in the benchmark's 5,000 files, many more in varied code), which as a Map of numbers cost
// V8 ~50-90 bytes each (an entry, and a heap number per key above 2^31); here 12 bytes a slot at a
// load of at most one half.

const EMPTY = 0; // a count of 0 marks a free slot: zero counts are removed, never stored

export class CountTable {
  private keys: Float64Array;
  private counts: Int32Array;
  private mask: number;
  private shift: number;
  /** Keys with a non-zero count. */
  size = 0;

  constructor(capacity = 1024) {
    let bits = 4;
    while (1 << bits < capacity * 2) bits++;
    this.keys = new Float64Array(1 << bits);
    this.counts = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  /** Home slot of a key: both 32-bit halves mixed, the top bits of a multiplicative hash. */
  private home(k: number): number {
    return Math.imul((k >>> 0) ^ Math.floor(k / 4294967296), 0x9e3779b1) >>> this.shift;
  }

  private slot(k: number): number {
    let i = this.home(k);
    while (this.counts[i] !== EMPTY && this.keys[i] !== k) i = (i + 1) & this.mask;
    return i;
  }

  get(k: number): number {
    return this.counts[this.slot(k)]!;
  }

  /** Adds `n` (may be negative) to the count of `k`; a count reaching 0 removes the key. Returns the old count. */
  add(k: number, n: number): number {
    let i = this.slot(k);
    const old = this.counts[i]!;
    const now = old + n;
    if (old === EMPTY) {
      if (now === 0) return 0;
      if ((this.size + 1) * 2 > this.counts.length) {
        this.grow();
        i = this.slot(k);
      }
      this.keys[i] = k;
      this.counts[i] = now;
      this.size++;
    } else if (now === 0) {
      this.remove(i);
    } else {
      this.counts[i] = now;
    }
    return old;
  }

  /** Frees slot `i`, moving later entries of the same probe run back so that every key stays reachable. */
  private remove(i: number): void {
    this.counts[i] = EMPTY;
    this.size--;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (this.counts[j] === EMPTY) return;
      const h = this.home(this.keys[j]!);
      // Entry j may move to the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? h > i && h <= j : h > i || h <= j) continue;
      this.keys[i] = this.keys[j]!;
      this.counts[i] = this.counts[j]!;
      this.counts[j] = EMPTY;
      i = j;
    }
  }

  private grow(): void {
    const keys = this.keys;
    const counts = this.counts;
    const bits = 32 - this.shift + 1;
    this.keys = new Float64Array(1 << bits);
    this.counts = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    for (let s = 0; s < counts.length; s++) {
      if (counts[s] === EMPTY) continue;
      const i = this.slot(keys[s]!);
      this.keys[i] = keys[s]!;
      this.counts[i] = counts[s]!;
    }
  }
}
