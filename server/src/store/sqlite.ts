// sql.js (SQLite in WebAssembly) for every store: the similarity feature cache, the judge's verdict
// cache and the prediction history. One loader and one crash-safe way to write a database file.
import fs from 'node:fs';
import path from 'node:path';
import { ensureDir } from './cacheFile';

export interface SqlStatement {
  bind(values: unknown[]): boolean;
  step(): boolean;
  get(): unknown[];
  getAsObject(): Record<string, unknown>;
  reset(): void;
  run(values: unknown[]): void;
  free(): void;
}

export interface SqlDatabase {
  run(sql: string, params?: unknown[]): void;
  exec(sql: string): Array<{ columns: string[]; values: unknown[][] }>;
  prepare(sql: string): SqlStatement;
  export(): Uint8Array;
  close(): void;
}

export interface SqlJs { Database: new (data?: Uint8Array) => SqlDatabase }

let sqlJs: Promise<SqlJs> | undefined;

/**
 * The inline-wasm build: one JavaScript file, so the bundles need no .wasm file beside them, and
 * about ten times faster than the asm.js build.
 */
export function loadSqlJs(): Promise<SqlJs> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sqlJs ??= (require('sql.js/dist/sql-wasm-inline.js') as () => Promise<SqlJs>)();
  return sqlJs;
}

let writes = 0;

/** Temp files of `file` are named `<name>.tmp-<pid>-<n>`, so leftovers of a crashed write can be found. */
export const TEMP_MARKER = '.tmp-';

/**
 * Writes a whole database (or other file, from its chunks): a temp file beside it, fsynced, then renamed
 * over the old one, so the file on disk is always either the old or the new complete content. Never over
 * something that is not a regular file (a device, a pipe, a folder, a link): that is an error.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array | Uint8Array[]): void {
  ensureDir(path.dirname(path.resolve(file)));
  refuseToReplace(file);
  const tmp = `${file}${TEMP_MARKER}${process.pid}-${++writes}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    for (const chunk of Array.isArray(bytes) ? bytes : [bytes]) {
      for (let off = 0; off < chunk.length;) off += fs.writeSync(fd, chunk, off);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    refuseToReplace(file);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function refuseToReplace(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return; // not there: nothing replaced
  }
  if (!st.isFile()) throw new Error(`${file} is not a regular file; not replaced`);
}
