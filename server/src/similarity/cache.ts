// Feature cache in sql.js (SQLite) database files, keyed by content hash, language and engine
// version: re-analysis after one file changes only recomputes that file. sql.js's single-file build (wasm inlined) is
// used so the bundled CLI needs no extra .wasm file beside it.
//
// sql.js holds a whole database in memory and copies all of it on every save, so the features are split
// by content hash into SHARDS database files in a folder beside the main file (which keeps the run
// records), each opened when first used and closed after the run that used it: after an edit only the
// edited file's shard is read and written (at 5,000 files, 1.6 MB instead of 25 MB, and nothing held
// between runs). The pair scores are one blob in a plain file beside them (`putPairs`).
//
// Every file is marked as ours (cacheFile.ts) and every entry carries a checksum: a path that holds
// anything else is refused and left untouched, a damaged entry is a warning and a recompute, and two
// processes writing one cache merge their entries (cacheDb.ts).
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import zlib from 'node:zlib';
import { contentHash } from '../core/contentHash';
import type { LanguageId } from '../core/languages';
import { DbFile, type DbKind } from '../store/cacheDb';
import { CacheRefusedError, decodePlain, encodePlain, openEntry, PLAIN_KINDS, probe, refuseForeign, refuseNotFolder, refuseNotRegular, sealEntry, SQLITE_APP_IDS } from '../store/cacheFile';
import { withFileLock } from '../store/cacheLock';
import { loadSqlJs, writeFileAtomic, type SqlJs } from '../store/sqlite';
import { FEATURES_VERSION, type FeatureOptions, type FileFeatures } from './features';
import { sortedUnique } from './hash';

/** Feature shards: the first hex digit of the content hash picks one. */
export const SHARDS = 16;

/** The files' format (1: unmarked databases, entries without checksums). */
export const CACHE_FORMAT = 2;
const MAIN: DbKind = { name: 'cache', appId: SQLITE_APP_IDS.featureMain, version: CACHE_FORMAT, schema: ['CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, data BLOB NOT NULL)'],
  queries: ['SELECT key, data FROM meta'], legacyTables: ['meta', 'features', 'pair_scores'] };
const SHARD: DbKind = { name: 'cache', appId: SQLITE_APP_IDS.featureShard, version: CACHE_FORMAT, schema: ['CREATE TABLE IF NOT EXISTS features (key TEXT PRIMARY KEY, data BLOB NOT NULL)'],
  queries: ['SELECT key, data FROM features'], legacyTables: ['features'] };
const PAIRS_FORMAT = 1;

export class FeatureCache {
  hits = 0;
  misses = 0;
  /** Files found damaged or of another format (each replaced by a new one), entries found damaged, files not written. */
  readonly warnings: string[] = [];
  private readonly main: DbFile;
  private readonly shards: DbFile[];

  private constructor(readonly file: string, SQL: SqlJs, strictShards: boolean) {
    const warn = (m: string) => this.warnings.push(m);
    this.main = new DbFile(SQL, file, MAIN, warn, { strict: true });
    this.shards = Array.from({ length: SHARDS }, (_, i) => new DbFile(SQL, path.join(FeatureCache.featuresDir(file), `${i.toString(16)}.sqlite`), SHARD, warn,
      { strict: strictShards, quietVersion: true }));
  }

  private static featuresDir(file: string): string {
    return `${file}.features`;
  }

  /**
   * Opens (and checks) a cache: throws CacheRefusedError, before anything is created or written, where
   * `file` or a path beside it that the cache uses holds something that is not ours.
   */
  static async open(file: string): Promise<FeatureCache> {
    const fresh = FeatureCache.check(file);
    const c = new FeatureCache(file, await loadSqlJs(), fresh);
    c.main.handle(); // an unmarked database that is not an older cache of ours is refused here
    return c;
  }

  /**
   * Throws CacheRefusedError where `file` or a path beside it holds something that is not ours, from
   * their first bytes only (a path like /proc/version fails at once); whether the cache is new.
   */
  static check(file: string): boolean {
    const first = probe(file, SQLITE_APP_IDS.featureMain);
    refuseNotRegular(file, first);
    if (first.what === 'foreign') refuseForeign(file, first);
    const fresh = first.what === 'absent';
    FeatureCache.checkBeside(file, fresh);
    return fresh;
  }

  /**
   * The folders and files the cache keeps beside `file` (shards, pair scores, the local judge's store):
   * nothing there may be other than a folder or file of ours; when `file` itself is new, neither may a
   * file there that is not marked as ours (it would be someone's, not a damaged cache).
   */
  private static checkBeside(file: string, fresh: boolean): void {
    const check = (f: string, kind: string | number) => {
      const p = probe(f, kind);
      refuseNotRegular(f, p);
      if (fresh && p.what !== 'ours' && p.what !== 'absent' && p.what !== 'sqlite-unmarked') refuseForeign(f, p);
    };
    check(`${file}.pairs`, PLAIN_KINDS.pairs);
    for (const [dir, files] of [
      [FeatureCache.featuresDir(file), Array.from({ length: SHARDS }, (_, i) => [`${i.toString(16)}.sqlite`, SQLITE_APP_IDS.featureShard])],
      [`${file}.judge`, [...Array.from({ length: 16 }, (_, i) => [`${i.toString(16)}.keys`, PLAIN_KINDS.judgeKeys]), ['verdicts', PLAIN_KINDS.judgeVerdicts]]],
    ] as Array<[string, Array<[string, string | number]>]>) {
      refuseNotFolder(dir);
      if (fs.existsSync(dir)) for (const [name, kind] of files) check(path.join(dir, name), kind);
    }
  }

  static key(text: string, language: LanguageId, opts: FeatureOptions): string {
    return FeatureCache.keyOf(FeatureCache.contentHash(text), language, opts);
  }

  static contentHash(text: string): string {
    return contentHash(text);
  }

  static keyOf(hash: string, language: LanguageId, opts: FeatureOptions): string {
    // `:z`: the entry is deflated.
    return `${hash}:${language}:v${FEATURES_VERSION}:m${opts.minSubtree}:k${opts.k}:w${opts.w}:u${opts.unordered ? 1 : 0}:z`;
  }

  /** Where a source text is kept (archive indexes keep the archived files' text beside their features). */
  static sourceKey(hash: string): string {
    return `${hash}:src:z`;
  }

  putSource(hash: string, text: string): void {
    const key = FeatureCache.sourceKey(hash);
    this.shards[FeatureCache.shardOf(key)]!.put('features', ['key', 'data'], [key, sealEntry(zlib.deflateRawSync(Buffer.from(text, 'utf8'), { level: 6 }))]);
  }

  /** Source texts by content hash; undefined where absent or damaged. */
  getSources(hashes: string[]): Array<string | undefined> {
    return hashes.map((h) => {
      const key = FeatureCache.sourceKey(h);
      const blob = this.shards[FeatureCache.shardOf(key)]!.lookup('SELECT data FROM features WHERE key = ?', key, true) as Uint8Array | undefined;
      const bytes = blob ? openEntry(blob) : undefined;
      if (!bytes) return undefined;
      try {
        return zlib.inflateRawSync(bytes).toString('utf8');
      } catch {
        return undefined;
      }
    });
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
   * so a warm start holds one shard's database at a time. Damaged entries are misses, with one warning per shard.
   */
  getMany(keys: string[]): Array<FileFeatures | undefined> {
    const out: Array<FileFeatures | undefined> = new Array(keys.length);
    const byShard: number[][] = this.shards.map(() => []);
    keys.forEach((k, i) => byShard[FeatureCache.shardOf(k)]!.push(i));
    byShard.forEach((idx, s) => {
      if (idx.length === 0) return;
      const shard = this.shards[s]!;
      const wasOpen = shard.open;
      let damaged = 0;
      for (const i of idx) {
        const blob = shard.lookup('SELECT data FROM features WHERE key = ?', keys[i]!, true) as Uint8Array | undefined;
        const f = blob ? this.decode(blob) : undefined;
        if (blob && !f) damaged++;
        if (f) this.hits++;
        else this.misses++;
        out[i] = f;
      }
      if (damaged > 0) this.warnings.push(`cache ${shard.file}: ${damaged} damaged ${damaged === 1 ? 'entry' : 'entries'} ignored and computed again`);
      if (!wasOpen && keys.length > 1) {
        shard.save(); // a damaged file read here was replaced by an empty database
        shard.close();
      }
    });
    return out;
  }

  /** An entry's features, or undefined when it fails its checksum (or, checksum passing, does not decode). */
  private decode(blob: Uint8Array): FileFeatures | undefined {
    const bytes = openEntry(blob);
    if (!bytes) return undefined;
    let f: Partial<FileFeatures> & Omit<FileFeatures, 'astSet' | 'fpSet'>;
    try {
      f = v8.deserialize(zlib.inflateRawSync(bytes));
    } catch {
      return undefined;
    }
    // The sorted sets are derived, not stored (a fifth of each entry).
    f.astSet = sortedUnique(f.tracked.hash);
    f.fpSet = sortedUnique(f.fp.hash);
    return f as FileFeatures;
  }

  /** The pair memory stored for a scoring context (engine.ts), if it is the one stored and intact. */
  getPairs(ctx: string): Uint8Array | undefined {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(this.pairsFile);
    } catch {
      return undefined;
    }
    const d = decodePlain(buf, PLAIN_KINDS.pairs, PAIRS_FORMAT);
    if (!d.ok) {
      if (d.why === 'damaged') this.warnings.push(`cache ${this.pairsFile} is damaged; the pair scores are computed again`);
      return undefined;
    }
    const p = d.payload;
    const n = p.length >= 4 ? p.readUInt32LE(0) : -1;
    if (n < 0 || 4 + n > p.length || p.toString('utf8', 4, 4 + n) !== ctx) return undefined;
    return p.subarray(4 + n);
  }

  /** Small records of the engine's (the last run's context); a damaged one is a warning and a miss. */
  getMeta(key: string): Uint8Array | undefined {
    const blob = this.main.lookup('SELECT data FROM meta WHERE key = ?', key, false) as Uint8Array | undefined;
    if (!blob) return undefined;
    const bytes = openEntry(blob);
    if (!bytes) this.warnings.push(`cache ${this.file}: its record "${key}" is damaged and ignored`);
    return bytes;
  }

  putMeta(key: string, data: Uint8Array): void {
    this.main.put('meta', ['key', 'data'], [key, sealEntry(data)]);
  }

  /**
   * Keeps one context only (a workspace has one), in a plain file beside the databases: with the whole
   * matrix (up to 1,000 documents) it holds every candidate pair's scores, ~20 MB at 1,000 files, which
   * sql.js would copy into its memory (whose size never shrinks) and again on every save. One value: the
   * last process to write it wins (under the lock, so the file is always one whole write).
   */
  putPairs(ctx: string, data: Uint8Array[]): void {
    const id = Buffer.from(ctx, 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt32LE(id.length);
    try {
      withFileLock(this.pairsFile, () => writeFileAtomic(this.pairsFile, encodePlain(PLAIN_KINDS.pairs, PAIRS_FORMAT, [head, id, ...data])));
    } catch (e) {
      if (e instanceof CacheRefusedError) throw e;
      this.warnings.push(`cannot write cache ${this.pairsFile} (${(e as Error).message}); results are not cached`);
    }
  }

  private get pairsFile(): string {
    return `${this.file}.pairs`;
  }

  put(key: string, f: FileFeatures): void {
    const { astSet: _a, fpSet: _f, ...stored } = f;
    // Deflated (fastest level): entries are 42% smaller, and sql.js holds a database in memory and
    // copies it on every save. Inflating 5,000 entries at a warm start takes ~0.1 s.
    this.shards[FeatureCache.shardOf(key)]!.put('features', ['key', 'data'], [key, sealEntry(zlib.deflateRawSync(v8.serialize(stored), { level: 1 }))]);
  }

  /**
   * Drops the entries of contents no longer in use (edited or deleted files) from the shards open now
   * (those this run read or wrote), in each shard once they outnumber a quarter of those in use there
   * (plus 8): a workspace's cache would otherwise grow with every save of every file. Returns the number
   * of entries dropped. Each is deleted by key, so a merge with another process's writes drops only these.
   */
  prune(inUse: Set<string>): number {
    const used: number[] = this.shards.map(() => 0);
    for (const k of inUse) used[FeatureCache.shardOf(k)]!++;
    let dropped = 0;
    this.shards.forEach((shard, s) => {
      if (!shard.open) return;
      const rows = shard.count('SELECT COUNT(*) FROM features');
      if (rows <= used[s]! * 1.25 + 8) return;
      const drop = shard.keys('features').filter((k) => !inUse.has(k));
      for (const k of drop) shard.delete('features', k);
      dropped += drop.length;
      shard.vacuum();
    });
    return dropped;
  }

  /** Writes back (atomically, merged with other processes' writes) every database that changed. */
  save(): void {
    // The main file is what marks the folders beside it as a cache's: written whenever they are.
    if (this.main.fresh && this.shards.some((s) => s.changed)) this.main.markDirty();
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
