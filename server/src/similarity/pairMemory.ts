// Pair scores remembered for one scoring context (see engine.ts), keyed by the two documents'
// identities (hashes of their files' feature keys, so of their content). It knows a set of
// documents: every candidate pair among them was scored, and the pairs kept (score above 0 and the
// floor of the context) are stored; a known pair that is not stored scored 0 or below the floor.
// Identities are interned to small numbers and scores live in one typed array, so hundreds of
// thousands of pairs cost a few megabytes and persist as a handful of arrays.
import v8 from 'node:v8';
import type { FeatureCache } from './cache';
import type { PairScore } from './score';

/** Interned ids stay below 2^26, so a pair of them is one exact number. */
const SHIFT = 67108864;

export class PairMemory {
  private ids = new Map<string, number>();
  private names: string[] = [];
  /** Known documents by identity, with how many documents had it (a new copy of one is not known). */
  private known = new Map<string, number>();
  /** Pair (lo * SHIFT + hi) → slot in `vals` (four numbers: score, ast, cfg, dataflow). */
  private slots = new Map<number, number>();
  private vals = new Float64Array(4096);
  /** Next free slot (slots of forgotten pairs are reclaimed by `compact`). */
  private nextSlot = 0;
  private dirty = false;

  constructor(readonly ctx: string) {}

  private intern(h: string): number {
    let id = this.ids.get(h);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(h, id);
      this.names.push(h);
    }
    return id;
  }

  /** Per document, whether every candidate pair with another known one was scored before. */
  knownOf(hashes: string[]): boolean[] {
    const count = new Map<string, number>();
    for (const h of hashes) count.set(h, (count.get(h) ?? 0) + 1);
    return hashes.map((h) => (this.known.get(h) ?? 0) >= count.get(h)!);
  }

  /** Stored pairs among documents `hashes[i]` that are known: calls `each(i, j, score)`. */
  pairsAmong(hashes: string[], known: boolean[], each: (i: number, j: number, s: PairScore) => void): void {
    // Several documents may share one content: index them all.
    const docsOf: number[][] = [];
    hashes.forEach((h, i) => {
      const id = known[i] ? this.ids.get(h) : undefined;
      if (id !== undefined) (docsOf[id] ??= []).push(i);
    });
    const v = this.vals;
    for (const [pair, slot] of this.slots) {
      const xs = docsOf[Math.floor(pair / SHIFT)];
      const ys = docsOf[pair % SHIFT];
      if (!xs || !ys) continue;
      const s: PairScore = { score: v[slot * 4]!, ast: v[slot * 4 + 1]!, cfg: v[slot * 4 + 2]!, dataflow: v[slot * 4 + 3]! };
      for (const i of xs) for (const j of ys) if (i !== j && (xs !== ys || i < j)) each(i, j, s);
    }
  }

  /** After a run: the documents now known are exactly `hashes`; `fresh` pairs were scored. */
  update(hashes: string[], fresh: Array<[number, number, PairScore]>): void {
    const now = new Map<string, number>();
    for (const h of hashes) now.set(h, (now.get(h) ?? 0) + 1);
    for (const [i, j, s] of fresh) {
      const a = this.intern(hashes[i]!);
      const b = this.intern(hashes[j]!);
      const pair = a < b ? a * SHIFT + b : b * SHIFT + a;
      let slot = this.slots.get(pair);
      if (slot === undefined) {
        slot = this.nextSlot++;
        this.slots.set(pair, slot);
        if (slot * 4 + 4 > this.vals.length) {
          const grown = new Float64Array(this.vals.length * 2);
          grown.set(this.vals);
          this.vals = grown;
        }
      }
      const v = this.vals;
      v[slot * 4] = s.score;
      v[slot * 4 + 1] = s.ast;
      v[slot * 4 + 2] = s.cfg;
      v[slot * 4 + 3] = s.dataflow;
    }
    if (fresh.length) this.dirty = true;
    // Forget documents that are gone (and their pairs), so the memory stays the workspace's size.
    const gone = new Set<number>();
    for (const h of this.known.keys()) if (!now.has(h)) gone.add(this.ids.get(h)!);
    this.known = now;
    if (gone.size) {
      // After an edit one document is gone: drop its pairs in place; renumber when half the slots are free.
      for (const pair of this.slots.keys()) if (gone.has(Math.floor(pair / SHIFT)) || gone.has(pair % SHIFT)) this.slots.delete(pair);
      if (this.nextSlot > 2 * this.slots.size + 4096) this.compact();
      this.dirty = true;
    }
  }

  /** Keeps only pairs of known documents, renumbered densely. */
  private compact(): void {
    const oldNames = this.names;
    const oldSlots = this.slots;
    const oldVals = this.vals;
    this.ids = new Map();
    this.names = [];
    this.slots = new Map();
    this.nextSlot = 0;
    this.vals = new Float64Array(Math.max(4096, oldSlots.size * 4));
    for (const [pair, slot] of oldSlots) {
      const ha = oldNames[Math.floor(pair / SHIFT)]!;
      const hb = oldNames[pair % SHIFT]!;
      if (!this.known.has(ha) || !this.known.has(hb)) continue;
      const a = this.intern(ha);
      const b = this.intern(hb);
      const next = this.nextSlot++;
      this.slots.set(a < b ? a * SHIFT + b : b * SHIFT + a, next);
      this.vals.set(oldVals.subarray(slot * 4, slot * 4 + 4), next * 4);
    }
  }

  get size(): number {
    return this.slots.size;
  }

  /**
   * Written beside the feature cache (one context kept: the latest): the names and known documents,
   * then the pairs and their scores as raw float64 arrays (no serialized copy of the largest part).
   */
  persist(cache: FeatureCache): void {
    if (!this.dirty) return;
    const pairs = new Float64Array(this.slots.size);
    const vals = new Float64Array(this.slots.size * 4);
    let k = 0;
    for (const [pair, slot] of this.slots) {
      pairs[k] = pair;
      vals.set(this.vals.subarray(slot * 4, slot * 4 + 4), k * 4);
      k++;
    }
    const head = v8.serialize({ names: this.names, known: [...this.known], count: pairs.length });
    const len = Buffer.alloc(4);
    len.writeUInt32LE(head.length);
    cache.putPairs(this.ctx, [len, head, new Uint8Array(pairs.buffer), new Uint8Array(vals.buffer)]);
    this.dirty = false;
  }

  static load(cache: FeatureCache, ctx: string): PairMemory | undefined {
    const blob = cache.getPairs(ctx);
    if (!blob) return undefined;
    try {
      const h = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
      const headEnd = 4 + h.readUInt32LE(0);
      const { names, known, count } = v8.deserialize(h.subarray(4, headEnd)) as { names: string[]; known: Array<[string, number]>; count: number };
      if (h.length !== headEnd + count * 40) return undefined; // cut short
      // Copied out: the arrays start at any byte offset of the file.
      const pairs = new Float64Array(count);
      new Uint8Array(pairs.buffer).set(blob.subarray(headEnd, headEnd + count * 8));
      const vals = new Float64Array(count * 4);
      new Uint8Array(vals.buffer).set(blob.subarray(headEnd + count * 8, headEnd + count * 40));
      const m = new PairMemory(ctx);
      m.names = names;
      names.forEach((h, i) => m.ids.set(h, i));
      m.known = new Map(known);
      m.vals = vals.length ? vals : new Float64Array(4096);
      pairs.forEach((p, i) => m.slots.set(p, i));
      m.nextSlot = pairs.length;
      return m;
    } catch {
      return undefined; // an unreadable entry is only a cache miss
    }
  }
}
