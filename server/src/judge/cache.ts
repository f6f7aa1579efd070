// Verdict cache: a sql.js (SQLite) database file keyed by the two files' content hashes (order-free),
// the provider and model, and the prompt (or local judge) version. Only real verdicts are kept,
// never UNKNOWN ones, so a failed call is tried again next time. The file is marked as ours and each
// verdict carries a checksum (cacheFile.ts): another file at the path is refused and left untouched, a
// damaged verdict is a warning and a miss, and two processes writing the file merge their verdicts.
import { contentHash } from '../core/contentHash';
import { DbFile, type DbKind } from '../store/cacheDb';
import { openText, probe, refuseForeign, sealText, SQLITE_APP_IDS } from '../store/cacheFile';
import { loadSqlJs, type SqlJs } from '../store/sqlite';
import type { Verdict } from './types';

/** 1: unmarked database, verdicts without checksums. */
const KIND: DbKind = {
  name: 'verdict cache', appId: SQLITE_APP_IDS.verdicts, version: 2, legacyTables: ['verdicts'],
  schema: ['CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL, created TEXT NOT NULL)'],
  queries: ['SELECT key, verdict, created FROM verdicts'],
};

export { contentHash };

export function verdictKey(source1: string, source2: string, model: string, version: string): string {
  const [a, b] = [contentHash(source1), contentHash(source2)].sort();
  return `${a}:${b}:${model}:${version}`;
}

export class VerdictCache {
  hits = 0;
  /** Files replaced (damaged, of another format), verdicts found damaged, a file not written. */
  readonly warnings: string[] = [];
  private readonly db: DbFile;
  private constructor(SQL: SqlJs, file: string) {
    this.db = new DbFile(SQL, file, KIND, (m) => this.warnings.push(m), { strict: true });
  }

  /** The first warning (its opening's), for callers that log one. */
  get warning(): string | undefined {
    return this.warnings[0];
  }

  /** Throws CacheRefusedError where `file` holds something that is not ours; writes nothing. */
  static async check(file: string): Promise<void> {
    (await VerdictCache.open(file)).close();
  }

  static async open(file: string): Promise<VerdictCache> {
    // The first bytes tell most paths that are not ours, before the database engine loads.
    const p = probe(file, SQLITE_APP_IDS.verdicts);
    if (p.what === 'foreign' || p.what === 'not-regular') refuseForeign(file, p, 'verdict cache');
    const c = new VerdictCache(await loadSqlJs(), file);
    c.db.handle(); // an unmarked database that is not an older verdict cache is refused here
    return c;
  }

  get(key: string): Verdict | undefined {
    const stored = this.db.lookup('SELECT verdict FROM verdicts WHERE key = ?', key, true);
    if (stored === undefined) return undefined;
    const text = openText(String(stored));
    let v: Verdict | undefined;
    try {
      v = text === undefined ? undefined : (JSON.parse(text) as Verdict);
    } catch {
      v = undefined;
    }
    if (!v) {
      this.warnings.push(`verdict cache ${this.db.file}: a damaged verdict was ignored`);
      return undefined;
    }
    this.hits++;
    return { ...v, cached: true };
  }

  put(key: string, v: Verdict): void {
    if (v.classification === 'UNKNOWN') return;
    const { cached: _cached, error: _error, ...keep } = v;
    this.db.put('verdicts', ['key', 'verdict', 'created'], [key, sealText(JSON.stringify(keep)), new Date().toISOString()]);
  }

  /** Writes the database back atomically (merged with another process's writes) when something was added. */
  save(): void {
    this.db.save();
  }

  close(): void {
    this.db.close();
  }
}
