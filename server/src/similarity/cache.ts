// Feature cache in a sql.js (SQLite) database file, keyed by content hash, language and engine
// version: re-analysis after one file changes only recomputes that file. sql.js's single-file build (wasm inlined) is
// used so the bundled CLI needs no extra .wasm file beside it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import v8 from 'node:v8';
import type { LanguageId } from '../core/languages';
import { loadSqlJs, writeFileAtomic, type SqlDatabase, type SqlStatement } from '../store/sqlite';
import { FEATURES_VERSION, type FeatureOptions, type FileFeatures } from './features';
import { sortedUnique } from './hash';



export class FeatureCache {
  private dirty = false;
  private select: SqlStatement | undefined;
  hits = 0;
  misses = 0;
  private constructor(readonly file: string, private readonly db: SqlDatabase, readonly warning?: string) {}

  static async open(file: string): Promise<FeatureCache> {
    const SQL = await loadSqlJs();
    let db: SqlDatabase;
    let warning: string | undefined;
    try {
      db = fs.existsSync(file) ? new SQL.Database(fs.readFileSync(file)) : new SQL.Database();
      db.run('CREATE TABLE IF NOT EXISTS features (key TEXT PRIMARY KEY, data BLOB NOT NULL)');
      db.run('CREATE TABLE IF NOT EXISTS pair_scores (ctx TEXT PRIMARY KEY, data BLOB NOT NULL)');
      db.run('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, data BLOB NOT NULL)');
    } catch (e) {
      // A damaged cache is only a cache: start a fresh one and say so.
      warning = `cache ${file} unreadable (${(e as Error).message}); starting a new one`;
      db = new SQL.Database();
      db.run('CREATE TABLE IF NOT EXISTS features (key TEXT PRIMARY KEY, data BLOB NOT NULL)');
      db.run('CREATE TABLE IF NOT EXISTS pair_scores (ctx TEXT PRIMARY KEY, data BLOB NOT NULL)');
      db.run('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, data BLOB NOT NULL)');
    }
    return new FeatureCache(file, db, warning);
  }

  static key(text: string, language: LanguageId, opts: FeatureOptions): string {
    const h = crypto.createHash('sha256').update(text).digest('hex');
    return `${h}:${language}:v${FEATURES_VERSION}:m${opts.minSubtree}:k${opts.k}:w${opts.w}:u${opts.unordered ? 1 : 0}`;
  }

  get(key: string): FileFeatures | undefined {
    // One prepared statement for all lookups: preparing one per file was most of a warm start.
    const st = (this.select ??= this.db.prepare('SELECT data FROM features WHERE key = ?'));
    try {
      st.bind([key]);
      if (!st.step()) {
        this.misses++;
        return undefined;
      }
      this.hits++;
      const f = v8.deserialize(st.get()[0] as Uint8Array) as Partial<FileFeatures> & Omit<FileFeatures, 'astSet' | 'fpSet'>;
      // The sorted sets are derived, not stored (a fifth of each entry); entries written before kept them.
      f.astSet ??= sortedUnique(f.tracked.hash);
      f.fpSet ??= sortedUnique(f.fp.hash);
      return f as FileFeatures;
    } finally {
      st.reset();
    }
  }

  /** The pair memory stored for a scoring context (engine.ts), if it is the one stored. */
  getPairs(ctx: string): Uint8Array | undefined {
    return this.blob('SELECT data FROM pair_scores WHERE ctx = ?', ctx);
  }

  /** Small records of the engine's (the last run's context). */
  getMeta(key: string): Uint8Array | undefined {
    return this.blob('SELECT data FROM meta WHERE key = ?', key);
  }

  private blob(sql: string, key: string): Uint8Array | undefined {
    const st = this.db.prepare(sql);
    try {
      st.bind([key]);
      return st.step() ? (st.get()[0] as Uint8Array) : undefined;
    } finally {
      st.free();
    }
  }

  putMeta(key: string, data: Uint8Array): void {
    this.db.run('INSERT OR REPLACE INTO meta (key, data) VALUES (?, ?)', [key, data]);
    this.dirty = true;
  }

  /** Keeps one context only: a workspace has one, and old ones would only grow the file. */
  putPairs(ctx: string, data: Uint8Array): void {
    this.db.run('DELETE FROM pair_scores');
    this.db.run('INSERT INTO pair_scores (ctx, data) VALUES (?, ?)', [ctx, data]);
    this.dirty = true;
  }

  put(key: string, f: FileFeatures): void {
    const { astSet: _a, fpSet: _f, ...stored } = f;
    this.db.run('INSERT OR REPLACE INTO features (key, data) VALUES (?, ?)', [key, v8.serialize(stored)]);
    this.dirty = true;
  }

  /** Writes the database back (atomically) when something was added. */
  save(): void {
    if (this.dirty) {
      writeFileAtomic(this.file, this.db.export());
      this.dirty = false;
    }
  }

  close(): void {
    this.select?.free();
    this.select = undefined;
    this.db.close();
  }
}
