// JSON.stringify(value, null, 2), written in pieces: the report of 800 identical files (320,000 pairs)
// was over the longest JavaScript string (~512 MB) and `compare --format json` failed with "Invalid string
// length". Containers down to STREAM_DEPTH are written member by member; what is below is stringified whole.
import fs from 'node:fs';

const STREAM_DEPTH = 3; // report → similarity → pairs → each pair

/** The pieces of `JSON.stringify(value, null, 2)`, in order; joined they are exactly that text. */
export function* jsonPieces(value: unknown, depth = 0): Generator<string> {
  const v = toJsonValue(value);
  if (depth >= STREAM_DEPTH || v === null || typeof v !== 'object') {
    const text = JSON.stringify(v, null, 2) ?? 'null';
    yield depth > 0 && text.includes('\n') ? text.replace(/\n/g, `\n${'  '.repeat(depth)}`) : text;
    return;
  }
  const inner = '  '.repeat(depth + 1);
  const outer = '  '.repeat(depth);
  if (Array.isArray(v)) {
    if (v.length === 0) { yield '[]'; return; }
    yield '[';
    for (let i = 0; i < v.length; i++) {
      yield `${i > 0 ? ',' : ''}\n${inner}`;
      const item = toJsonValue(v[i]);
      // As JSON.stringify: undefined, functions and symbols in arrays are null.
      yield* jsonPieces(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, depth + 1);
    }
    yield `\n${outer}]`;
    return;
  }
  const entries = Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => [k, toJsonValue(x)] as const)
    .filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol');
  if (entries.length === 0) { yield '{}'; return; }
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [k, x] = entries[i]!;
    yield `${i > 0 ? ',' : ''}\n${inner}${JSON.stringify(k)}: `;
    yield* jsonPieces(x, depth + 1);
  }
  yield `\n${outer}}`;
}

function toJsonValue(x: unknown): unknown {
  return x !== null && typeof x === 'object' && typeof (x as { toJSON?: unknown }).toJSON === 'function' ? (x as { toJSON(): unknown }).toJSON() : x;
}

/**
 * Writes `value` as `out(JSON.stringify(value, null, 2))` would, in parts of about 64 KB cut at line ends
 * (`out` ends each part with the newline it was cut at), waiting for `drained` between parts.
 */
export async function writeJsonLines(value: unknown, out: (text: string) => void, drained?: () => Promise<void>): Promise<void> {
  let buf = '';
  for (const piece of jsonPieces(value)) {
    buf += piece;
    if (buf.length < 1 << 16) continue;
    const cut = buf.lastIndexOf('\n');
    if (cut < 0) continue;
    out(buf.slice(0, cut));
    buf = buf.slice(cut + 1);
    await drained?.();
  }
  out(buf);
}

/** Writes `value` to `file` as `JSON.stringify(value, null, 2)` and a newline, in parts. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  const fd = fs.openSync(file, 'w');
  try {
    await writeJsonLines(value, (text) => fs.writeSync(fd, `${text}\n`));
  } finally {
    fs.closeSync(fd);
  }
}
