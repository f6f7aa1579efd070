// One sql.js database file of a cache (the feature cache's main file and shards, the judge's verdict
// cache): marked as ours (application_id, format in user_version), opened on first use, written back
// when changed. A path that holds something else is refused (`strict`) or, inside a cache's own folder,
// replaced with a warning; a cache of another format is replaced. Writes take a lock file and merge this
// process's changed rows into whatever another process wrote meanwhile, so neither loses entries.
import fs from 'node:fs';
import { CacheRefusedError, identity, probe, refuseForeign, refuseNotRegular } from './cacheFile';
import { withFileLock } from './cacheLock';
import { writeFileAtomic, type SqlDatabase, type SqlJs, type SqlStatement } from './sqlite';

export interface DbKind {
  /** For messages: "cache", "verdict cache". */
  name: string;
  /** Which cache it is, in `PRAGMA application_id` (SQLITE_APP_IDS). */
  appId: number;
  /** Format version, in `PRAGMA user_version`. */
  version: number;
  schema: string[];
  /** The queries the cache makes (without parameters), tried when the file is opened. */
  queries: string[];
  /** Tables of an unmarked database written before the marks: such a file is ours, of an older format. */
  legacyTables: string[];
}

export interface DbFileOptions {
  /** Refuse a file that is not one of ours (a path the user gave); else it is replaced with a warning (inside our folder). */
  strict: boolean;
  /** Replace a file of another format without a warning (the main file warns once for all). */
  quietVersion?: boolean;
}

export class DbFile {
  private db: SqlDatabase | undefined;
  private dirty = false;
  private select: SqlStatement | undefined;
  /** The file's identity when read or last written: another one at save time means another process wrote it. */
  private loadedAs: string | undefined;
  /** Keys of rows put or deleted since the last save, by table: what is merged into another process's file. */
  private readonly touched = new Map<string, Set<string>>();
  private vacuumed = false;
  /** Whether the file was absent when opened. */
  fresh = false;

  constructor(private readonly SQL: SqlJs, readonly file: string, private readonly kind: DbKind, private readonly warn: (m: string) => void,
    private readonly opts: DbFileOptions) {}

  get open(): boolean {
    return this.db !== undefined;
  }

  /** Whether there is something to write. */
  get changed(): boolean {
    return this.dirty;
  }

  handle(): SqlDatabase {
    if (this.db) return this.db;
    // The identity is taken before reading: taken after, a file another process renamed in between would
    // pass for the one read, and the next save would overwrite its entries instead of merging them.
    const before = identity(this.file);
    const r = this.read(true);
    this.db = r.db ?? this.empty();
    this.fresh = r.absent;
    if (!r.db && !r.absent) this.dirty = true; // replaced: written at the next save
    this.loadedAs = before;
    return this.db;
  }

  private empty(): SqlDatabase {
    const db = new this.SQL.Database();
    db.run(`PRAGMA application_id = ${this.kind.appId}`);
    db.run(`PRAGMA user_version = ${this.kind.version}`);
    for (const s of this.kind.schema) db.run(s);
    return db;
  }

  /**
   * The database on disk if it is ours and sound; undefined (after a warning when `report`) where it is
   * absent, damaged or of another format. Throws CacheRefusedError where it is not ours to replace.
   */
  private read(report: boolean): { db?: SqlDatabase; absent: boolean } {
    const p = probe(this.file, this.kind.appId);
    refuseNotRegular(this.file, p, this.kind.name);
    if (p.what === 'absent') return { absent: true };
    const other = () => {
      if (report && !this.opts.quietVersion) this.warn(`${this.kind.name} ${this.file} was written by another version of Code Origin; replaced by a new one`);
      return { absent: false };
    };
    if (p.what === 'ours' && p.version !== this.kind.version) return other();
    if (p.what === 'foreign' && this.opts.strict) refuseForeign(this.file, p, this.kind.name);
    let db: SqlDatabase | undefined;
    try {
      if (p.what === 'foreign') throw new Error('not a database');
      db = new this.SQL.Database(fs.readFileSync(this.file));
      if (p.what === 'sqlite-unmarked') {
        const tables = (db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? []).map((r) => String(r[0]));
        db.close();
        db = undefined;
        if (tables.length > 0 && tables.every((t) => this.kind.legacyTables.includes(t))) return other();
        if (this.opts.strict) refuseForeign(this.file, p, this.kind.name);
        throw new Error('not a Code Origin cache');
      }
      // sql.js reads lazily: a check is what finds a damaged page before a lookup trips on it.
      const check = String(db.exec('PRAGMA quick_check')[0]?.values[0]?.[0] ?? '');
      if (check !== 'ok') throw new Error(`integrity check: ${check || 'no answer'}`);
      for (const s of this.kind.schema) db.run(s);
      // A damaged schema (a column renamed by a flipped bit) passes the check: every query is tried once.
      for (const q of this.kind.queries) db.exec(`${q} LIMIT 1`);
      return { db, absent: false };
    } catch (e) {
      if (e instanceof CacheRefusedError) throw e;
      try {
        db?.close();
      } catch {
        // already unusable
      }
      if (report) this.warn(`${this.kind.name} ${this.file} is damaged (${(e as Error).message}); replaced by a new one`);
      return { absent: false };
    }
  }

  /**
   * Runs `fn` on the database; where it fails (damage the checks at opening did not see), the database is
   * replaced by a new one, with a warning, and `fn` runs again on that.
   */
  private guard<T>(fn: (db: SqlDatabase) => T): T {
    const db = this.handle();
    try {
      return fn(db);
    } catch (e) {
      this.warn(`${this.kind.name} ${this.file} is damaged (${(e as Error).message}); replaced by a new one`);
      this.select = undefined;
      try {
        db.close();
      } catch {
        // already unusable
      }
      this.db = this.empty();
      this.dirty = true;
      this.touched.clear();
      return fn(this.db);
    }
  }

  /** The first column of the row of `key`, with one prepared statement kept per file for repeated lookups. */
  lookup(sql: string, key: string, keep: boolean): unknown {
    return this.guard((db) => {
      const st = keep ? (this.select ??= db.prepare(sql)) : db.prepare(sql);
      try {
        st.bind([key]);
        return st.step() ? st.get()[0] : undefined;
      } finally {
        if (keep) st.reset();
        else st.free();
      }
    });
  }

  /** Inserts or replaces the row of `key` (the table's first column). */
  put(table: string, columns: string[], values: unknown[]): void {
    this.guard((db) => db.run(`INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, values));
    this.touch(table, String(values[0]));
  }

  delete(table: string, key: string): void {
    this.guard((db) => db.run(`DELETE FROM ${table} WHERE key = ?`, [key]));
    this.touch(table, key);
  }

  keys(table: string): string[] {
    return this.guard((db) => (db.exec(`SELECT key FROM ${table}`)[0]?.values ?? []).map((r) => String(r[0])));
  }

  /** Gives free pages back (after deletions): they would stay in the file and in every save's copy. */
  vacuum(): void {
    this.guard((db) => db.run('VACUUM'));
    this.vacuumed = true;
    this.dirty = true;
  }

  /** Has the file written at the next save even if no row changed (a cache's main file marks its folders as ours). */
  markDirty(): void {
    this.handle();
    this.dirty = true;
  }

  private touch(table: string, key: string): void {
    let s = this.touched.get(table);
    if (!s) this.touched.set(table, (s = new Set()));
    s.add(key);
    this.dirty = true;
  }

  count(sql: string): number {
    return this.guard((db) => Number(db.exec(sql)[0]?.values[0]?.[0] ?? 0));
  }

  /** Writes the file back if it changed, under its lock, merged into what another process wrote meanwhile; a failure is a warning. */
  save(): void {
    if (!this.db || !this.dirty) return;
    this.select?.free(); // export() frees statements anyway
    this.select = undefined;
    try {
      withFileLock(this.file, () => {
        if (identity(this.file) !== this.loadedAs) this.mergeFromDisk();
        writeFileAtomic(this.file, this.db!.export());
        this.loadedAs = identity(this.file);
      });
      this.dirty = false;
      this.fresh = false;
      this.touched.clear();
      this.vacuumed = false;
    } catch (e) {
      this.warn(`cannot write ${this.kind.name} ${this.file} (${(e as Error).message}); results are not cached`);
    }
  }

  /** Applies this process's changed rows to the file on disk (written by another process since it was read) and adopts it. */
  private mergeFromDisk(): void {
    const disk = this.read(false).db;
    if (!disk) return; // gone, damaged or of another format: ours replaces it
    const mine = this.db!;
    for (const [table, keys] of this.touched) {
      const st = mine.prepare(`SELECT * FROM ${table} WHERE key = ?`);
      try {
        for (const key of keys) {
          st.bind([key]);
          if (st.step()) {
            const row = st.getAsObject();
            const cols = Object.keys(row);
            disk.run(`INSERT OR REPLACE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => row[c]));
          } else disk.run(`DELETE FROM ${table} WHERE key = ?`, [key]);
          st.reset();
        }
      } finally {
        st.free();
      }
    }
    if (this.vacuumed) disk.run('VACUUM');
    mine.close();
    this.db = disk;
  }

  /** Closes the database without writing it (see `save`). */
  close(): void {
    this.select?.free();
    this.select = undefined;
    this.db?.close();
    this.db = undefined;
    this.touched.clear();
    this.dirty = false;
    this.vacuumed = false;
  }
}
