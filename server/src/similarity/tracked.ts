// The tracked subtrees of one walk (see extract.ts): reserved in pre-order when the walk enters a
// node, filled in when it leaves, and compacted at the end to those large enough to be evidence.
import type { TrackedNodes } from './extracted';

export class TrackedSubtrees {
  private readonly hash: number[] = [];
  private readonly size: number[] = [];
  /** Reservations made before the node was left: the first index after its subtree. */
  private readonly endOrder: number[] = [];
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly keep: boolean[] = [];

  /** `minSubtree`: the smallest subtree (in hashed nodes) kept. */
  constructor(private readonly minSubtree: number) {}

  /** Reserves the next index in pre-order for a node starting at `startRow`. */
  reserve(startRow: number): number {
    const idx = this.hash.length;
    this.hash.push(0);
    this.size.push(0);
    this.endOrder.push(0);
    this.start.push(startRow);
    this.end.push(0);
    this.keep.push(false);
    return idx;
  }

  /** Fills in reservation `ti` as its node is left; `endPosition` is the node's end. */
  close(ti: number, key: number, size: number, endPosition: { row: number; column: number }): void {
    this.hash[ti] = key;
    this.size[ti] = size;
    this.endOrder[ti] = this.hash.length;
    // A node ending at column 0 (a trailing newline) ends on the line before.
    const ep = endPosition;
    this.end[ti] = ep.column === 0 && ep.row > this.start[ti]! ? ep.row - 1 : ep.row;
    this.keep[ti] = size >= this.minSubtree;
  }

  /** Keeps the large-enough subtrees, and turns end orders into "next kept index". */
  compact(): TrackedNodes {
    const n = this.hash.length;
    const keptBefore = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) keptBefore[i + 1] = keptBefore[i]! + (this.keep[i] ? 1 : 0);
    const m = keptBefore[n]!;
    const tracked: TrackedNodes = {
      hash: new Float64Array(m), size: new Uint32Array(m), next: new Uint32Array(m), start: new Uint32Array(m), end: new Uint32Array(m),
    };
    for (let i = 0, j = 0; i < n; i++) {
      if (!this.keep[i]) continue;
      tracked.hash[j] = this.hash[i]!;
      tracked.size[j] = this.size[i]!;
      tracked.next[j] = keptBefore[this.endOrder[i]!]!;
      tracked.start[j] = this.start[i]!;
      tracked.end[j] = this.end[i]!;
      j++;
    }
    return tracked;
  }
}
