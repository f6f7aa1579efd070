// Lines of a byte stream with a cap on each: readline builds a whole line as one string, so a line
// over ~512 MB (or endless, as from /dev/zero) threw and lost everything not yet printed. Here a line
// past the cap is dropped as it streams (memory stays at the cap) and reported in its place.
import type { Readable } from 'node:stream';

export type Line = { n: number; text: string } | { n: number; tooLong: number } | { n: number; overflow: true };

/** A line past the cap is announced at once by `{ n, overflow }` (an endless one is never done), then ends as `tooLong`. */
export async function* boundedLines(input: Readable, maxBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let n = 0;
  const done = (): Line => {
    n++;
    if (size > maxBytes) return { n, tooLong: size };
    let text = Buffer.concat(parts).toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return { n, text };
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      const end = nl < 0 ? buf.length : nl;
      if (size + (end - start) <= maxBytes) parts.push(Buffer.from(buf.subarray(start, end)));
      else if (size <= maxBytes) {
        parts = [];
        yield { n: n + 1, overflow: true };
      }
      size += end - start;
      if (nl < 0) break;
      yield done();
      parts = [];
      size = 0;
      start = nl + 1;
    }
  }
  if (size > 0) yield done();
}
