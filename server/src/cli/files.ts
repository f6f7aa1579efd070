// Expands CLI inputs (files and folders) into the supported source files they hold, in a stable order,
// with what could not be read (a folder, a link) reported rather than skipped in silence.
import fs from 'node:fs/promises';
import path from 'node:path';
import { isSupportedFile } from '../core/languages';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', 'target', '__pycache__', '.venv', 'venv']);

export interface Expanded {
  files: string[];
  /** Inputs that do not exist: a usage problem, reported by the caller. */
  missing: string[];
  /** Folders and links that could not be read or followed, with why; the caller reports them. */
  problems: Array<{ path: string; reason: string }>;
}

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e);

/**
 * An input that is a link is followed (the user named it). Inside folders, which are walked
 * iteratively, a link is followed only to a regular file inside the same input, and a file reached
 * twice (directly and through a link) is listed once. Files named explicitly are kept even with
 * unknown extensions, so the caller can report them as unsupported rather than silently dropping them.
 */
export async function expandInputs(inputs: string[]): Promise<Expanded> {
  const files: string[] = [];
  const missing: string[] = [];
  const problems: Expanded['problems'] = [];
  for (const input of inputs) {
    let st;
    try {
      st = await fs.stat(input);
    } catch (e) {
      if (code(e) === 'ENOENT') missing.push(input);
      else problems.push({ path: input, reason: `cannot read: ${code(e)}` });
      continue;
    }
    if (!st.isDirectory()) {
      files.push(input);
      continue;
    }
    const realRoot = await fs.realpath(input);
    const found: string[] = [];
    const real = new Set<string>();
    const links: Array<{ p: string; target: string }> = [];
    const stack = [input];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (e) {
        problems.push({ path: dir, reason: `cannot read folder: ${code(e)}` });
        continue;
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(p);
        } else if (!isSupportedFile(p)) {
          continue;
        } else if (e.isFile()) {
          found.push(p);
          real.add(path.join(realRoot, path.relative(input, p)));
        } else if (e.isSymbolicLink()) {
          const target = await fs.realpath(p).catch(() => undefined);
          const tst = target ? await fs.stat(target).catch(() => undefined) : undefined;
          if (!target) problems.push({ path: p, reason: 'broken symbolic link; not followed' });
          else if (target !== realRoot && !target.startsWith(realRoot + path.sep)) problems.push({ path: p, reason: 'symbolic link leads outside the input; not followed' });
          else if (!tst?.isFile()) problems.push({ path: p, reason: 'symbolic link to a non-file; not followed' });
          else links.push({ p, target });
        }
      }
    }
    links.sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0));
    for (const l of links) {
      if (real.has(l.target)) continue;
      real.add(l.target);
      found.push(l.p);
    }
    for (const f of found.sort()) files.push(f); // not push(...): 200,000 files overflow the call stack
  }
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, missing, problems };
}

/** Prints each folder or link that could not be read; returns how many (each is an analysis problem). */
export function reportUnread(ctx: { err(text: string): void }, problems: Expanded['problems']): number {
  for (const p of problems) ctx.err(`${p.path}: skipped: ${p.reason}`);
  return problems.length;
}
