// JSON arrays written element by element, so output larger than one JavaScript string (~512 MB) still
// goes out whole, in the same layout as JSON.stringify(value, null, 2).
import type { CliContext } from './context';

export class JsonArrayWriter {
  private pending: string | undefined;
  private readonly pad: string;

  /** `head` opens the array (e.g. `{\n  "files": [`), `tail` closes it; elements are indented by `indent`. */
  constructor(private readonly ctx: Pick<CliContext, 'out' | 'drained'>, head: string, private readonly tail: string, indent: number) {
    this.pad = ' '.repeat(indent);
    ctx.out(head);
  }

  /** Waits while stdout is full, so a slow reader does not make the output pile up in memory. */
  async add(value: unknown): Promise<void> {
    // The previous element gets its comma once another follows.
    if (this.pending !== undefined) {
      this.ctx.out(`${this.pending},`);
      await this.ctx.drained?.();
    }
    this.pending = this.pad + JSON.stringify(value, null, 2).replace(/\n/g, `\n${this.pad}`);
  }

  end(): void {
    if (this.pending !== undefined) this.ctx.out(this.pending);
    this.ctx.out(this.tail);
  }
}
