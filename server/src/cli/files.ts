// Expands CLI inputs (files and folders) into the supported source files they hold, in a stable order.
import fs from 'node:fs/promises';
import path from 'node:path';
import { isSupportedFile } from '../core/languages';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', 'target', '__pycache__', '.venv', 'venv']);

export interface Expanded {
  files: string[];
  /** Inputs that do not exist or cannot be read: a usage problem, reported by the caller. */
  missing: string[];
}

/**
 * Folders are walked iteratively; symlinks are not followed (a link out of the input must not
 * pull in outside files). Files named explicitly are kept even with unknown extensions, so the
 * caller can report them as unsupported rather than silently dropping them.
 */
export async function expandInputs(inputs: string[]): Promise<Expanded> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    let st;
    try {
      st = await fs.lstat(input);
    } catch {
      missing.push(input);
      continue;
    }
    if (!st.isDirectory()) {
      files.push(input);
      continue;
    }
    const found: string[] = [];
    const stack = [input];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(p);
        } else if (e.isFile() && isSupportedFile(p)) {
          found.push(p);
        }
      }
    }
    files.push(...found.sort());
  }
  return { files, missing };
}
