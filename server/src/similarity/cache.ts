// Feature cache in sql.js (SQLite) database files, keyed by content hash, language and engine
// version: re-analysis after one file changes only recomputes that file. sql.js's single-file build (wasm inlined) is
// used so the bundled CLI needs no extra .wasm file beside it.
//
// sql.js holds a whole database in memory and copies all of it on every save, so the features are split
// by content hash into SHARDS database files in a folder beside the main file (which keeps the run
// records), each opened when first used and closed after the run that used it: after an edit only the
// edited file's shard is read and written (at 5,000 files, 1.6 MB instead of 25 MB, and nothing held
// between runs). The pair scores are one blob in a plain file beside them (`putPairs`).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import zlib from 'node:zlib';
import type { LanguageId } from '../core/languages';
import { loadSqlJs, writeFileAtomic, type SqlDatabase, type SqlJs, type SqlStatement } from '../store/sqlite';
import { FEATURES_VERSION, type FeatureOptions, type FileFeatures } from './features';
import { sortedUnique } from './hash';

/** Feature shards: the first hex digit of the content hash picks one. */
export const SHARDS = 16;

const MAIN_SCHEMA = ['CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, data BLOB NOT NULL)'];
const SHARD_SCHEMA = ['CREATE TABLE IF NOT EXISTS features (key TEXT PRIMARY KEY, data BLOB NOT NULL)'];

/** Writes a cache file; a failure (a read-only or full disk) is a warning, not a failed analysis. */
function writeOrWarn(file: string, bytes: () => Uint8Array | Uint8Array[], warn: (m: string) => void): boolean {
  try {
    writeFileAtomic(file, bytes());
    return true;
  } catch (e) {
    warn(`cannot write cache ${file} (${(e as Error).message}); results are not cached`);
    return false;
  }
}

/** One database file: opened on first use, written back when changed, closed by `release`. */
class DbFile {
  private db: SqlDatabase | undefined;
  private dirty = false;
  private select: SqlStatement | undefined;

  constructor(private readonly SQL: SqlJs, readonly file: string, private readonly schema: string[], private readonly warn: (m: string) => void) {}

  get open(): boolean {
    return this.db !== undefined;
  }

  handle(): SqlDatabase {
    if (this.db) return this.db;
    let db: SqlDatabase | undefined;
    try {
      db = fs.existsSync(this.file) ? new this.SQL.Database(fs.readFileSync(this.file)) : new this.SQL.Database();
      for (const s of this.schema) db.run(s);
    } catch (e) {
      // A damaged cache is only a cache: start a fresh one (written over the damaged file) and say so.
      this.warn(`cache ${this.file} unreadable (${(e as Error).message}); starting a new one`);
      try {
        db?.close();
      } catch {
        // already unusable
      }
      db = new this.SQL.Database();
      for (const s of this.schema) db.run(s);
      this.dirty = true;
    }
    this.db = db;
    return db;
  }

  /** The blob of the first column for `key`, with one prepared statement kept per file for repeated lookups. */
  lookup(sql: string, key: string, keep: boolean): Uint8Array | undefined {
    const st = keep ? (this.select ??= this.handle().prepare(sql)) : this.handle().prepare(sql);
    try {
      st.bind([key]);
      return st.step() ? (st.get()[0] as Uint8Array) : undefined;
    } finally {
      if (keep) st.reset();
      else st.free();
    }
  }

  run(sql: string, params?: unknown[]): void {
    this.handle().run(sql, params);
    this.dirty = true;
  }

  count(sql: string): number {
    return Number(this.handle().exec(sql)[0]?.values[0]?.[0] ?? 0);
  }

  save(): void {
    if (this.db && this.dirty && writeOrWarn(this.file, () => this.db!.export(), this.warn)) this.dirty = false;
  }

  /** Closes the database without writing it (see `save`). */
  close(): void {
    this.select?.free();
    this.select = undefined;
    this.db?.close();
    this.db = undefined;
  }
}

export class FeatureCache {
  hits = 0;
  misses = 0;
  /** Files that could not be read as databases (each was replaced by a new one). */
  readonly warnings: string[] = [];
  private readonly main: DbFile;
  private readonly shards: DbFile[];

  private constructor(readonly file: string, SQL: SqlJs) {
    const warn = (m: string) => this.warnings.push(m);
    this.main = new DbFile(SQL, file, MAIN_SCHEMA, warn);
    const dir = `${file}.features`;
    this.shards = Array.from({ length: SHARDS }, (_, i) => new DbFile(SQL, path.join(dir, `${i.toString(16)}.sqlite`), SHARD_SCHEMA, warn));
  }

  static async open(file: string): Promise<FeatureCache> {
    const c = new FeatureCache(file, await loadSqlJs());
    // Caches written before kept the features and the pair scores in the main file: drop them there.
    if (fs.existsSync(file) && c.main.count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('features', 'pair_scores')") > 0) {
      c.main.run('DROP TABLE IF EXISTS features');
      c.main.run('DROP TABLE IF EXISTS pair_scores');
      c.main.run('VACUUM');
    }
    return c;
  }

  static key(text: string, language: LanguageId, opts: FeatureOptions): string {
    const h = crypto.createHash('sha256').update(text).digest('hex');
    // `:z`: the entry is deflated (entries written before compression have keys without it, never read).
    return `${h}:${language}:v${FEATURES_VERSION}:m${opts.minSubtree}:k${opts.k}:w${opts.w}:u${opts.unordered ? 1 : 0}:z`;
  }

  /** The shard of a key (keys start with a hex content hash). */
  static shardOf(key: string): number {
    const d = parseInt(key[0] ?? '0', 16);
    return Number.isNaN(d) ? 0 : d % SHARDS;
  }

  get(key: string): FileFeatures | undefined {
    return this.getMany([key])[0];
  }

  /**
   * Features of many keys, read shard by shard: a shard that nothing was written to is closed once read,
   * so a warm start holds one shard's database at a time.
   */
  getMany(keys: string[]): Array<FileFeatures | undefined> {
    const out: Array<FileFeatures | undefined> = new Array(keys.length);
    const byShard: number[][] = this.shards.map(() => []);
    keys.forEach((k, i) => byShard[FeatureCache.shardOf(k)]!.push(i));
    byShard.forEach((idx, s) => {
      if (idx.length === 0) return;
      const shard = this.shards[s]!;
      const wasOpen = shard.open;
      for (const i of idx) out[i] = this.decode(shard.lookup('SELECT data FROM features WHERE key = ?', keys[i]!, true));
      if (!wasOpen && keys.length > 1) {
        shard.save(); // a damaged file read here was replaced by an empty database
        shard.close();
      }
    });
    return out;
  }

  private decode(blob: Uint8Array | undefined): FileFeatures | undefined {
    if (!blob) {
      this.misses++;
      return undefined;
    }
    let f: Partial<FileFeatures> & Omit<FileFeatures, 'astSet' | 'fpSet'>;
    try {
      f = v8.deserialize(zlib.inflateRawSync(blob));
    } catch {
      this.misses++;
      return undefined; // a damaged entry is only a cache miss (and is written again)
    }
    this.hits++;
    // The sorted sets are derived, not stored (a fifth of each entry).
    f.astSet = sortedUnique(f.tracked.hash);
    f.fpSet = sortedUnique(f.fp.hash);
    return f as FileFeatures;
  }

  /** The pair memory stored for a scoring context (engine.ts), if it is the one stored. */
  getPairs(ctx: string): Uint8Array | undefined {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(this.pairsFile);
    } catch {
      return undefined;
    }
    const n = buf.length >= 4 ? buf.readUInt32LE(0) : -1;
    if (n < 0 || 4 + n > buf.length || buf.toString('utf8', 4, 4 + n) !== ctx) return undefined;
    return buf.subarray(4 + n);
  }

  /** Small records of the engine's (the last run's context). */
  getMeta(key: string): Uint8Array | undefined {
    return this.main.lookup('SELECT data FROM meta WHERE key = ?', key, false);
  }

  putMeta(key: string, data: Uint8Array): void {
    this.main.run('INSERT OR REPLACE INTO meta (key, data) VALUES (?, ?)', [key, data]);
  }

  /**
   * Keeps one context only (a workspace has one), in a plain file beside the databases: with the whole
   * matrix (up to 1,000 documents) it holds every candidate pair's scores, ~20 MB at 1,000 files, which
   * sql.js would copy into its memory (whose size never shrinks) and again on every save.
   */
  putPairs(ctx: string, data: Uint8Array[]): void {
    const id = Buffer.from(ctx, 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt32LE(id.length);
    writeOrWarn(this.pairsFile, () => [head, id, ...data], (m) => this.warnings.push(m));
  }

  private get pairsFile(): string {
    return `${this.file}.pairs`;
  }

  put(key: string, f: FileFeatures): void {
    const { astSet: _a, fpSet: _f, ...stored } = f;
    // Deflated (fastest level): entries are 42% smaller, and sql.js holds a database in memory and
    // copies it on every save. Inflating 5,000 entries at a warm start takes ~0.1 s.
    this.shards[FeatureCache.shardOf(key)]!.run('INSERT OR REPLACE INTO features (key, data) VALUES (?, ?)', [key, zlib.deflateRawSync(v8.serialize(stored), { level: 1 })]);
  }

  /**
   * Drops the entries of contents no longer in use (edited or deleted files) from the shards open now
   * (those this run read or wrote), in each shard once they outnumber a quarter of those in use there
   * (plus 8): a workspace's cache would otherwise grow with every save of every file. Returns the number
   * of entries dropped.
   */
  prune(inUse: Set<string>): number {
    const used: string[][] = this.shards.map(() => []);
    for (const k of inUse) used[FeatureCache.shardOf(k)]!.push(k);
    let dropped = 0;
    this.shards.forEach((shard, s) => {
      if (!shard.open) return;
      const rows = shard.count('SELECT COUNT(*) FROM features');
      if (rows <= used[s]!.length * 1.25 + 8) return;
      shard.run('CREATE TEMP TABLE IF NOT EXISTS in_use (key TEXT PRIMARY KEY)');
      shard.run('DELETE FROM in_use');
      for (const k of used[s]!) shard.run('INSERT OR IGNORE INTO in_use (key) VALUES (?)', [k]);
      shard.run('DELETE FROM features WHERE key NOT IN (SELECT key FROM in_use)');
      shard.run('DROP TABLE in_use');
      dropped += rows - shard.count('SELECT COUNT(*) FROM features');
      shard.run('VACUUM'); // free pages would otherwise stay in the file (and in every save's copy)
    });
    return dropped;
  }

  /** Writes back (atomically) every database that changed. */
  save(): void {
    this.main.save();
    for (const s of this.shards) s.save();
  }

  /** Writes back what changed and closes every database (a long-lived caller's cache, between runs). */
  release(): void {
    this.save();
    this.close();
  }

  /** Closes every database without writing. */
  close(): void {
    this.main.close();
    for (const s of this.shards) s.close();
  }
}
