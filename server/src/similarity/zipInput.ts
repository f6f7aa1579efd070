// A .zip input as source files: its entries read within the limits (zip.ts), grouped into documents,
// and decoded like files on disk.
import fs from 'node:fs/promises';
import type { Ignore } from 'ignore';
import { isSupportedFile } from '../core/languages';
import { decodeInto, readError, type DecodeOptions, type SourceFile } from './sourceFile';
import { DEFAULT_ZIP_LIMITS, readZip, type ZipLimits } from './zip';

/**
 * `files`: every entry is its own document (or belongs to `doc`); `one`: the archive is one
 * submission; `split`: the archive's top-level folders are the submissions (a single wrapping
 * folder is looked through, as archives often have one).
 */
export type ZipMode = 'files' | 'one' | 'split';

export interface ZipInput {
  p: string;
  input: number;
  mode: ZipMode;
  doc?: string;
}

export async function zipSources(z: ZipInput, opts: DecodeOptions & { zipLimits?: ZipLimits }, ig: Ignore): Promise<SourceFile[]> {
  const { p, input, mode, doc } = z;
  const failed = (error: string): SourceFile[] => [{ path: p, input, doc: doc ?? p, error }];
  const limits = opts.zipLimits ?? DEFAULT_ZIP_LIMITS;
  let data: Uint8Array;
  try {
    const st = await fs.stat(p);
    if (st.size > limits.maxTotalBytes) return failed(`archive larger than ${limits.maxTotalBytes} bytes; refused`);
    data = await fs.readFile(p);
  } catch (e) {
    return [{ path: p, input, doc: doc ?? p, ...readError(e) }];
  }
  const wanted = (name: string) => !ig.ignores(name.replace(/\\/g, '/')) && (isSupportedFile(name) || opts.language !== undefined);
  const read = readZip(data, { ...limits, maxEntryBytes: opts.maxBytes }, wanted);
  if (!read.ok) return failed(read.reason);
  const entries = read.entries.filter((e) => e.error || wanted(e.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (entries.length === 0) return failed('archive holds no supported source files');
  let strip = '';
  if (mode === 'split') {
    // Look through wrapping folders that every entry shares.
    for (;;) {
      const firsts = new Set(entries.map((e) => e.name.slice(strip.length).split('/')[0]));
      const only = [...firsts][0];
      if (firsts.size !== 1 || entries.some((e) => !e.name.slice(strip.length).includes('/'))) break;
      strip += `${only}/`;
    }
  }
  return entries.map((e) => {
    const fp = `${p}!/${e.name}`;
    let d = doc ?? fp;
    if (mode === 'one') d = doc ?? p;
    if (mode === 'split') {
      const rest = e.name.slice(strip.length);
      d = rest.includes('/') ? `${p}!/${strip}${rest.split('/')[0]}` : fp;
    }
    const f: SourceFile = { path: fp, input, doc: d };
    if (e.error) f.error = e.error;
    else if (e.name.toLowerCase().endsWith('.zip')) f.error = 'nested archive; not read';
    else decodeInto(f, e.bytes!, opts);
    return f;
  });
}
