// Feature cache in a sql.js (SQLite) database file, keyed by content hash, language and engine
// version: re-analysis after one file changes only recomputes that file. sql.js's single-file build (wasm inlined) is
// used so the bundled CLI needs no extra .wasm file beside it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import v8 from 'node:v8';
import zlib from 'node:zlib';
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
    // `:z`: the entry is deflated (entries written before compression have keys without it, never read).
    return `${h}:${language}:v${FEATURES_VERSION}:m${opts.minSubtree}:k${opts.k}:w${opts.w}:u${opts.unordered ? 1 : 0}:z`;
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
      let f: Partial<FileFeatures> & Omit<FileFeatures, 'astSet' | 'fpSet'>;
      try {
        f = v8.deserialize(zlib.inflateRawSync(st.get()[0] as Uint8Array));
      } catch {
        this.misses++;
        return undefined; // a damaged entry is only a cache miss (and is written again)
      }
      this.hits++;
      // The sorted sets are derived, not stored (a fifth of each entry).
      f.astSet = sortedUnique(f.tracked.hash);
      f.fpSet = sortedUnique(f.fp.hash);
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
    // Deflated (fastest level): entries are 42% smaller, and the whole database is held in memory by
    // sql.js and copied once more on every save. Inflating 5,000 entries at a warm start takes ~0.1 s.
    this.db.run('INSERT OR REPLACE INTO features (key, data) VALUES (?, ?)', [key, zlib.deflateRawSync(v8.serialize(stored), { level: 1 })]);
    this.dirty = true;
  }

  /**
   * Drops the entries of contents no longer in use (edited or deleted files) once they outnumber a
   * quarter of those in use (plus 64): a workspace's cache would otherwise grow with every save of every
   * file, and sql.js holds all of it in memory. Returns the number of entries dropped.
   */
  prune(inUse: Set<string>): number {
    const rows = Number(this.db.exec('SELECT COUNT(*) FROM features')[0]?.values[0]?.[0] ?? 0);
    if (rows <= inUse.size * 1.25 + 64) return 0;
    this.db.run('CREATE TEMP TABLE IF NOT EXISTS in_use (key TEXT PRIMARY KEY)');
    this.db.run('DELETE FROM in_use');
    const ins = this.db.prepare('INSERT OR IGNORE INTO in_use (key) VALUES (?)');
    try {
      for (const k of inUse) ins.run([k]);
    } finally {
      ins.free();
    }
    this.db.run('DELETE FROM features WHERE key NOT IN (SELECT key FROM in_use)');
    this.db.run('DROP TABLE in_use');
    const dropped = rows - Number(this.db.exec('SELECT COUNT(*) FROM features')[0]?.values[0]?.[0] ?? 0);
    this.db.run('VACUUM'); // free pages would otherwise stay in the file (and in every save's copy)
    this.dirty = true;
    return dropped;
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
