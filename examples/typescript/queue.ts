// A bounded FIFO queue that drops the oldest entry when full.
export class BoundedQueue<T> {
  private readonly items: T[] = [];

  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new RangeError('capacity must be at least 1');
  }

  push(item: T): T | undefined {
    this.items.push(item);
    return this.items.length > this.capacity ? this.items.shift() : undefined;
  }

  drain(limit: number): T[] {
    const out: T[] = [];
    while (this.items.length > 0 && out.length < limit) {
      out.push(this.items.shift() as T);
    }
    return out;
  }
}
