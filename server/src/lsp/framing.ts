// A guard in front of vscode-jsonrpc's stream reader. The reader drops a header block without
// `Content-Length` but keeps the body after it, which then prefixes the next header: every later
// message fails the same way and the server, alive, answers nothing. Here each frame is checked and
// only whole, well-formed frames go on; a malformed one is dropped up to the next `Content-Length:`.
import { Transform, type TransformCallback } from 'node:stream';

const HEADER_END = Buffer.from('\r\n\r\n');
const RESYNC = /content-length:/i;
/** A header block longer than this without its blank line is garbage, not a header. */
const MAX_HEADER_BYTES = 8192;

export class FrameGuard extends Transform {
  private buf: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  /** Skipping bytes until the next `Content-Length:`. */
  private resyncing = false;

  constructor(private readonly warn: (message: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      this.drain();
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  private drain(): void {
    for (;;) {
      if (this.resyncing && !this.skipToContentLength()) return;
      const end = this.buf.indexOf(HEADER_END);
      if (end < 0) {
        if (this.buf.length > MAX_HEADER_BYTES) this.dropBad(`a header of over ${MAX_HEADER_BYTES} bytes without its end`);
        else return;
        continue;
      }
      const header = this.buf.subarray(0, end).toString('ascii');
      const length = contentLength(header);
      if (length === undefined) {
        this.dropBad(`a message header without a valid Content-Length (${JSON.stringify(header.slice(0, 80))})`);
        continue;
      }
      const total = end + HEADER_END.length + length;
      if (this.buf.length < total) return;
      this.push(this.buf.subarray(0, total));
      this.buf = this.buf.subarray(total);
    }
  }

  /**
   * Drops bytes up to the next `Content-Length:` after the start of the bad header (a valid header may
   * follow noise on the same line; a bad header's body is skipped), and says so.
   */
  private dropBad(why: string): void {
    this.warn(`code-origin: dropped ${why}; reading on from the next Content-Length header`);
    this.buf = this.buf.subarray(1);
    this.resyncing = true;
  }

  /** True once the buffer starts at a `Content-Length:`; otherwise keeps only a possible partial match. */
  private skipToContentLength(): boolean {
    const text = this.buf.toString('latin1');
    const m = RESYNC.exec(text);
    if (m) {
      this.buf = this.buf.subarray(m.index);
      this.resyncing = false;
      return true;
    }
    const keep = 'content-length:'.length - 1;
    if (this.buf.length > keep) this.buf = this.buf.subarray(this.buf.length - keep);
    return false;
  }
}

function contentLength(header: string): number | undefined {
  let found: number | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const v = line.slice(colon + 1).trim();
    if (!/^\d{1,15}$/.test(v)) return undefined;
    found = Number(v);
  }
  return found;
}
