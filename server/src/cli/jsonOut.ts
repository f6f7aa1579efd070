// JSON arrays written element by element, so output larger than one JavaScript string (~512 MB) still
// goes out whole, in the same layout as JSON.stringify(value, null, 2).
import type { CliContext } from './context';

export class JsonArrayWriter {
  private pending: string | undefined;
  private readonly depth: number;
  private readonly start: number;
  private readonly stop: number;

  /** `head` opens the array (e.g. `{\n  "files": [`), `tail` closes it; elements sit `depth` levels deep (2 spaces each). */
  constructor(private readonly ctx: Pick<CliContext, 'out' | 'drained'>, head: string, private readonly tail: string, depth: number) {
    // An element nested `depth` arrays deep comes out of JSON.stringify already indented (a replace over
    // the text afterwards made a second copy and doubled the time); the brackets around it are cut off.
    this.depth = depth;
    const probe = JSON.stringify(this.wrap(0), null, 2);
    this.start = probe.indexOf('0') - depth * 2;
    this.stop = probe.length - probe.indexOf('0') - 1;
    ctx.out(head);
  }

  private wrap(value: unknown): unknown {
    let v = value;
    for (let i = 0; i < this.depth; i++) v = [v];
    return v;
  }

  /** Waits while stdout is full, so a slow reader does not make the output pile up in memory. */
  async add(value: unknown): Promise<void> {
    // The previous element gets its comma once another follows.
    if (this.pending !== undefined) {
      this.ctx.out(`${this.pending},`);
      await this.ctx.drained?.();
    }
    const text = JSON.stringify(this.wrap(value), null, 2);
    this.pending = text.slice(this.start, text.length - this.stop);
  }

  end(): void {
    if (this.pending !== undefined) this.ctx.out(this.pending);
    this.ctx.out(this.tail);
  }
}
