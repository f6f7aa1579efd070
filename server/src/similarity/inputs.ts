// Turns the paths given to `compare` (files, folders, .zip archives) into source files grouped into
// documents: one per file, or with `submissions` one per immediate sub-folder / archive of an input.
// Excludes are gitignore-style; symlinks are followed only when they stay inside their input, and a
// file reached both directly and through a link (or through two links) is read once.
// Two steps: list every input (nothing read yet), then read what was listed, in order.
import fs from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isSupportedFile, type LanguageId } from '../core/languages';
import { readError, readFromDisk, type SourceFile } from './sourceFile';
import type { ZipLimits } from './zip';
import { zipSources, type ZipInput } from './zipInput';

export type { ReadFailure, SourceFile } from './sourceFile';

export interface CollectOptions {
  submissions: boolean;
  exclude: string[];
  language?: LanguageId;
  maxBytes: number;
  zipLimits?: ZipLimits;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv']);

const isZip = (p: string) => p.toLowerCase().endsWith('.zip');

/** What listing found: a file to read, an archive to open, or a problem to report as it is. */
type Listed = { file: SourceFile; explicit: boolean } | { zip: ZipInput } | { problem: SourceFile };

export async function collectInputs(inputs: string[], opts: CollectOptions): Promise<{ files: SourceFile[]; missing: string[] }> {
  const listed: Listed[] = [];
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
      else listed.push({ problem: { path: root, input, doc: root, ...readError(e) } });
      continue;
    }
    // A loop, not push(...): a folder of 200,000 files would overflow the call stack as arguments.
    if (st.isDirectory()) for (const l of await listFolder(root, input, opts, ig)) listed.push(l);
    else if (isZip(root)) listed.push({ zip: { p: root, input, mode: opts.submissions ? 'split' : 'files' } });
    else listed.push({ file: { path: root, input, doc: root }, explicit: true });
  }
  return { files: await readListed(listed, opts, ig), missing };
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
    const f: SourceFile = { path: p, input, doc: p };
    await readFromDisk(f, opts, false);
    out.push(f);
  }
  return out;
}

async function listFolder(root: string, input: number, opts: CollectOptions, ig: Ignore): Promise<Listed[]> {
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
  return found.map((f): Listed => {
    const doc = opts.submissions ? submissionOf(root, f.p) : f.p;
    if (f.kind === 'error') return { problem: { path: f.p, input, doc, error: f.error } };
    if (f.kind === 'zip') return { zip: { p: f.p, input, mode: opts.submissions && doc === f.p ? 'one' : 'files', doc: opts.submissions ? doc : undefined } };
    return { file: { path: f.p, input, doc }, explicit: false };
  });
}

/**
 * Reads what listing found, READ_AHEAD files at a time: each stat and read is a round trip to libuv's
 * thread pool, and one file at a time that latency was most of a re-run over cached features. Each file
 * takes its place in `out` before it is read, so the order stays; an archive waits for the files before it.
 */
async function readListed(listed: Listed[], opts: CollectOptions, ig: Ignore): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const reading = new Set<Promise<void>>();
  for (const item of listed) {
    if ('problem' in item) out.push(item.problem);
    else if ('zip' in item) {
      await Promise.all(reading);
      for (const f of await zipSources(item.zip, opts, ig)) out.push(f);
    } else {
      out.push(item.file);
      const r: Promise<void> = readFromDisk(item.file, opts, item.explicit).finally(() => reading.delete(r));
      reading.add(r);
      if (reading.size >= READ_AHEAD) await Promise.race(reading);
    }
  }
  await Promise.all(reading);
  return out;
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
