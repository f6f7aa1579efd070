// Turns the paths given to `compare` (files, folders, .zip archives) into source files grouped into
// documents: one per file, or with `submissions` one per immediate sub-folder / archive of an input.
// Excludes are gitignore-style; symlinks are followed only when they stay inside their input, and a
// file reached both directly and through a link (or through two links) is read once.
import fs from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isSupportedFile, type LanguageId } from '../core/languages';
import { decodeSource } from '../core/source';
import { DEFAULT_ZIP_LIMITS, readZip, type ZipLimits } from './zip';

export interface SourceFile {
  /** As reached from the inputs; `archive.zip!/inner/path` inside archives. */
  path: string;
  input: number;
  /** The document it belongs to (the file itself, or its submission). */
  doc: string;
  text?: string;
  language?: LanguageId;
  error?: string;
  /** Set with `error` where reading the file failed, to be tested instead of the text. */
  readFailure?: ReadFailure;
  /** An earlier submission (`compare --archive`): paired with the inputs only. */
  archive?: boolean;
}

/** Why reading failed: `missing` (ENOENT: gone, deleted between listing and reading), `unreadable` (any other I/O error). */
export type ReadFailure = 'missing' | 'unreadable';

/** The error text and failure kind of an I/O error. */
function readError(e: unknown): { error: string; readFailure: ReadFailure } {
  const code = (e as NodeJS.ErrnoException).code;
  return { error: `cannot read: ${code ?? String(e)}`, readFailure: code === 'ENOENT' ? 'missing' : 'unreadable' };
}

export interface CollectOptions {
  submissions: boolean;
  exclude: string[];
  language?: LanguageId;
  maxBytes: number;
  zipLimits?: ZipLimits;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv']);

const isZip = (p: string) => p.toLowerCase().endsWith('.zip');

export async function collectInputs(inputs: string[], opts: CollectOptions): Promise<{ files: SourceFile[]; missing: string[] }> {
  const files: SourceFile[] = [];
  const missing: string[] = [];
  const ig = ignore().add(opts.exclude);
  for (let input = 0; input < inputs.length; input++) {
    const root = inputs[input]!;
    let st;
    try {
      // stat, not lstat: a link the user names (a linked folder) is what they mean to compare.
      st = await fs.stat(root);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') missing.push(root);
      else files.push({ path: root, input, doc: root, ...readError(e) });
      continue;
    }
    if (st.isDirectory()) await walkFolder(root, input, opts, ig, files);
    else if (isZip(root)) await addZip(root, input, opts, ig, files, opts.submissions ? 'split' : 'files');
    else await addFile(root, root, input, opts, files, true);
  }
  return { files, missing };
}

/**
 * Files created since a walk of `inputs`, as that walk would have found them (same exclude patterns,
 * skipped folders and languages), for a quick update that adds them. Only plain source files directly
 * inside a folder input qualify: links and archives are left to the full run that follows.
 */
export async function collectAdded(paths: string[], inputs: string[], opts: CollectOptions): Promise<SourceFile[]> {
  const ig = ignore().add(opts.exclude);
  const out: SourceFile[] = [];
  for (const p of paths) {
    const input = inputs.findIndex((root) => {
      const rel = path.relative(root, p);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    });
    if (input < 0 || isZip(p) || !(isSupportedFile(p) || opts.language !== undefined)) continue;
    const root = inputs[input]!;
    const parts = path.relative(root, p).split(path.sep);
    const dirs = parts.slice(0, -1);
    const hidden = dirs.some((d, i) => SKIP_DIRS.has(d) || d.startsWith('.') || ig.ignores(`${dirs.slice(0, i + 1).join('/')}/`));
    if (hidden || ig.ignores(parts.join('/'))) continue;
    const st = await fs.lstat(p).catch(() => undefined);
    const rootSt = await fs.stat(root).catch(() => undefined);
    if (!st?.isFile() || !rootSt?.isDirectory()) continue;
    await addFile(p, p, input, opts, out, false);
  }
  return out;
}

async function walkFolder(root: string, input: number, opts: CollectOptions, ig: Ignore, out: SourceFile[]): Promise<void> {
  const realRoot = await fs.realpath(root);
  const stack: string[] = [root];
  const found: Array<{ p: string; kind: 'file' | 'zip' | 'error'; error?: string; target?: string }> = [];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      found.push({ p: dir, kind: 'error', error: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      continue;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      const rel = path.relative(root, p).split(path.sep).join('/');
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || e.name.startsWith('.') || ig.ignores(`${rel}/`)) continue;
        stack.push(p);
        continue;
      }
      if (ig.ignores(rel)) continue;
      const wanted = isZip(p) || isSupportedFile(p) || opts.language !== undefined;
      if (!wanted) continue;
      if (e.isSymbolicLink()) {
        // Follow a link only to a regular file inside this input; anything else is reported, not read.
        let target: string;
        try {
          target = await fs.realpath(p);
        } catch {
          found.push({ p, kind: 'error', error: 'broken symbolic link; not followed' });
          continue;
        }
        const inside = target === realRoot || target.startsWith(realRoot + path.sep);
        const tst = await fs.stat(target).catch(() => undefined);
        if (!inside) found.push({ p, kind: 'error', error: 'symbolic link leads outside the input; not followed' });
        else if (!tst?.isFile()) found.push({ p, kind: 'error', error: 'symbolic link to a non-file; not followed' });
        else found.push({ p, kind: isZip(p) ? 'zip' : 'file', target });
      } else if (e.isFile()) {
        found.push({ p, kind: isZip(p) ? 'zip' : 'file' });
      }
    }
  }
  found.sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0));
  dropRepeatedLinks(found, root, realRoot);
  // Files are read READ_AHEAD at a time: each stat and read is a round trip to libuv's thread pool, and one
  // file at a time that latency was most of a re-run over cached features. `addFile` takes its place in
  // `out` before its first await, so the order stays; an archive waits for the files before it.
  const reading = new Set<Promise<void>>();
  for (const f of found) {
    const doc = opts.submissions ? submissionOf(root, f.p) : f.p;
    if (f.kind === 'error') out.push({ path: f.p, input, doc, error: f.error });
    else if (f.kind === 'zip') {
      await Promise.all(reading);
      await addZip(f.p, input, opts, ig, out, opts.submissions && doc === f.p ? 'one' : 'files', opts.submissions ? doc : undefined);
    } else {
      const r: Promise<void> = addFile(f.p, doc, input, opts, out, false).finally(() => reading.delete(r));
      reading.add(r);
      if (reading.size >= READ_AHEAD) await Promise.race(reading);
    }
  }
  await Promise.all(reading);
}

const READ_AHEAD = 16;

/**
 * A link to a file of the same input is that file again, not a copy of it: it is dropped when the
 * file itself is walked, and only the first of several links to one file (outside the walk) is kept.
 */
function dropRepeatedLinks(found: Array<{ p: string; kind: string; target?: string }>, root: string, realRoot: string): void {
  // Walked folders are never links, so a plain file's real path is its place under the real root.
  const seen = new Set(found.filter((f) => f.kind !== 'error' && !f.target).map((f) => path.join(realRoot, path.relative(root, f.p))));
  for (let i = found.length - 1; i >= 0; i--) if (found[i]!.target && seen.has(found[i]!.target!)) found.splice(i, 1);
  const firstLink = new Set<string>();
  for (let i = 0; i < found.length; i++) {
    const t = found[i]!.target;
    if (!t) continue;
    if (firstLink.has(t)) found.splice(i--, 1);
    else firstLink.add(t);
  }
}

/** The immediate child of the input that holds `p` (a sub-folder, an archive, or a loose file). */
function submissionOf(root: string, p: string): string {
  const rel = path.relative(root, p).split(path.sep);
  return path.join(root, rel[0]!);
}

async function addFile(p: string, doc: string, input: number, opts: CollectOptions, out: SourceFile[], explicit: boolean): Promise<void> {
  const f: SourceFile = { path: p, input, doc };
  out.push(f);
  if (explicit && !opts.language && !isSupportedFile(p)) {
    f.error = 'unsupported file type';
    return;
  }
  let bytes: Uint8Array;
  try {
    const st = await fs.stat(p);
    if (!st.isFile()) {
      f.error = 'not a regular file';
      return;
    }
    if (st.size > opts.maxBytes) {
      f.error = `file too large (${st.size} bytes > limit ${opts.maxBytes})`;
      return;
    }
    bytes = await fs.readFile(p);
  } catch (e) {
    Object.assign(f, readError(e));
    return;
  }
  setText(f, bytes, opts);
}

function setText(f: SourceFile, bytes: Uint8Array, opts: CollectOptions): void {
  const r = decodeSource(bytes, f.path.replace(/^.*!\//, ''), { maxBytes: opts.maxBytes, language: opts.language });
  if (r.ok) {
    f.text = r.text;
    f.language = r.language;
  } else f.error = r.reason;
}

/**
 * `files`: every entry is its own document (or belongs to `doc`); `one`: the archive is one
 * submission; `split`: the archive's top-level folders are the submissions (a single wrapping
 * folder is looked through, as archives often have one).
 */
async function addZip(p: string, input: number, opts: CollectOptions, ig: Ignore, out: SourceFile[], mode: 'files' | 'one' | 'split', doc?: string): Promise<void> {
  let data: Uint8Array;
  try {
    const st = await fs.stat(p);
    const limits = opts.zipLimits ?? DEFAULT_ZIP_LIMITS;
    if (st.size > limits.maxTotalBytes) {
      out.push({ path: p, input, doc: doc ?? p, error: `archive larger than ${limits.maxTotalBytes} bytes; refused` });
      return;
    }
    data = await fs.readFile(p);
  } catch (e) {
    out.push({ path: p, input, doc: doc ?? p, ...readError(e) });
    return;
  }
  const wanted = (name: string) => !ig.ignores(name.replace(/\\/g, '/')) && (isSupportedFile(name) || opts.language !== undefined);
  const z = readZip(data, { ...(opts.zipLimits ?? DEFAULT_ZIP_LIMITS), maxEntryBytes: opts.maxBytes }, wanted);
  if (!z.ok) {
    out.push({ path: p, input, doc: doc ?? p, error: z.reason });
    return;
  }
  const entries = z.entries.filter((e) => e.error || wanted(e.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (entries.length === 0) {
    out.push({ path: p, input, doc: doc ?? p, error: 'archive holds no supported source files' });
    return;
  }
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
  for (const e of entries) {
    const fp = `${p}!/${e.name}`;
    let d = doc ?? fp;
    if (mode === 'one') d = doc ?? p;
    if (mode === 'split') {
      const rest = e.name.slice(strip.length);
      d = rest.includes('/') ? `${p}!/${strip}${rest.split('/')[0]}` : fp;
    }
    const f: SourceFile = { path: fp, input, doc: d };
    out.push(f);
    if (e.error) f.error = e.error;
    else if (e.name.toLowerCase().endsWith('.zip')) f.error = 'nested archive; not read';
    else setText(f, e.bytes!, opts);
  }
}
