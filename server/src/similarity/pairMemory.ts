// Pair scores remembered for one scoring context (see engine.ts), keyed by the two documents'
// identities (hashes of their files' feature keys, so of their content). It knows a set of
// documents: every candidate pair among them was scored, and the pairs kept (score above 0 and the
// floor of the context) are stored; a known pair that is not stored scored 0 or below the floor.
import v8 from 'node:v8';
import type { FeatureCache } from './cache';
import type { PairScore } from './score';

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export class PairMemory {
  /** Known documents by identity, with how many documents had it (a new copy of one is not known). */
  private known = new Map<string, number>();
  private scores = new Map<string, PairScore>();
  private dirty = false;

  constructor(readonly ctx: string) {}

  /** Per document, whether every candidate pair with another known one was scored before. */
  knownOf(hashes: string[]): boolean[] {
    const count = new Map<string, number>();
    for (const h of hashes) count.set(h, (count.get(h) ?? 0) + 1);
    return hashes.map((h) => (this.known.get(h) ?? 0) >= count.get(h)!);
  }

  /** Stored pairs among documents `hashes[i]` that are known, as [i, j, score]. */
  *pairsAmong(hashes: string[], known: boolean[]): Generator<[number, number, PairScore]> {
    // Several documents may share one content: index them all.
    const at = new Map<string, number[]>();
    hashes.forEach((h, i) => {
      if (!known[i]) return;
      const l = at.get(h);
      if (l) l.push(i);
      else at.set(h, [i]);
    });
    for (const [key, s] of this.scores) {
      const bar = key.indexOf('|');
      const xs = at.get(key.slice(0, bar));
      const ys = at.get(key.slice(bar + 1));
      if (!xs || !ys) continue;
      for (const i of xs) for (const j of ys) if (i !== j && (xs !== ys || i < j)) yield [i, j, s];
    }
  }

  /** After a run: the documents now known are exactly `hashes`; `fresh` pairs were scored. */
  update(hashes: string[], fresh: Array<[number, number, PairScore]>): void {
    const now = new Map<string, number>();
    for (const h of hashes) now.set(h, (now.get(h) ?? 0) + 1);
    for (const [i, j, s] of fresh) this.scores.set(pairKey(hashes[i]!, hashes[j]!), s);
    // Forget pairs of documents that are gone, so the memory stays the size of the workspace's.
    if (now.size !== this.known.size || [...this.known.keys()].some((h) => !now.has(h))) {
      for (const key of this.scores.keys()) {
        const bar = key.indexOf('|');
        if (!now.has(key.slice(0, bar)) || !now.has(key.slice(bar + 1))) this.scores.delete(key);
      }
      this.dirty = true;
    }
    if (fresh.length) this.dirty = true;
    this.known = now;
  }

  get size(): number {
    return this.scores.size;
  }

  /** Written into the feature cache's database (one context kept: the latest). */
  persist(cache: FeatureCache): void {
    if (!this.dirty) return;
    const keys = [...this.scores.keys()];
    const values = new Float64Array(keys.length * 4);
    keys.forEach((k, i) => {
      const s = this.scores.get(k)!;
      values.set([s.score, s.ast, s.cfg, s.dataflow], i * 4);
    });
    cache.putPairs(this.ctx, v8.serialize({ known: [...this.known], keys, values }));
    this.dirty = false;
  }

  static load(cache: FeatureCache, ctx: string): PairMemory | undefined {
    const blob = cache.getPairs(ctx);
    if (!blob) return undefined;
    try {
      const { known, keys, values } = v8.deserialize(blob) as { known: Array<[string, number]>; keys: string[]; values: Float64Array };
      const m = new PairMemory(ctx);
      m.known = new Map(known);
      keys.forEach((k, i) => m.scores.set(k, { score: values[i * 4]!, ast: values[i * 4 + 1]!, cfg: values[i * 4 + 2]!, dataflow: values[i * 4 + 3]! }));
      return m;
    } catch {
      return undefined; // an unreadable entry is only a cache miss
    }
  }
}
