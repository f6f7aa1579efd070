// The one in-memory LRU of the server (origin verdicts and explanations, the local judge's analyses,
// keys and verdicts): a Map kept in use order, bounded by entries or by a weight per entry.

/** A Map kept in use order, evicting the least recently used entries past a weight. */
export class Lru<K, V> {
  private readonly map = new Map<K, { v: V; w: number }>();
  weight = 0;
  constructor(readonly maxWeight: number, private readonly weigh: (v: V) => number = () => 1) {}

  get size(): number {
    return this.map.size;
  }

  get(k: K): V | undefined {
    const e = this.map.get(k);
    if (!e) return undefined;
    this.map.delete(k);
    this.map.set(k, e);
    return e.v;
  }

  has(k: K): boolean {
    return this.map.has(k);
  }

  set(k: K, v: V): void {
    this.delete(k);
    const w = this.weigh(v);
    this.map.set(k, { v, w });
    this.weight += w;
    this.trim();
  }

  delete(k: K): void {
    const e = this.map.get(k);
    if (!e) return;
    this.map.delete(k);
    this.weight -= e.w;
  }

  /** Evicts the least recently used entries until the weight fits (the newest one always stays). */
  private trim(): void {
    for (const [k, e] of this.map) {
      if (this.weight <= this.maxWeight || this.map.size <= 1) break;
      this.map.delete(k);
      this.weight -= e.w;
    }
  }

  clear(): void {
    this.map.clear();
    this.weight = 0;
  }
}
