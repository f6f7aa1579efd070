// Verdict cache: a sql.js (SQLite) database file keyed by the two files' content hashes (order-free),
// the provider and model, and the prompt (or local judge) version. Only real verdicts are kept,
// never UNKNOWN ones, so a failed call is tried again next time.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { loadSqlJs, writeFileAtomic, type SqlDatabase } from '../store/sqlite';
import type { Verdict } from './types';


const SCHEMA = 'CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL, created TEXT NOT NULL)';

export const contentHash = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

export function verdictKey(source1: string, source2: string, model: string, version: string): string {
  const [a, b] = [contentHash(source1), contentHash(source2)].sort();
  return `${a}:${b}:${model}:${version}`;
}

export class VerdictCache {
  private dirty = false;
  hits = 0;
  private constructor(private readonly file: string, private readonly db: SqlDatabase, readonly warning?: string) {}

  static async open(file: string): Promise<VerdictCache> {
    const SQL = await loadSqlJs();
    try {
      const db = fs.existsSync(file) ? new SQL.Database(fs.readFileSync(file)) : new SQL.Database();
      db.run(SCHEMA);
      return new VerdictCache(file, db);
    } catch (e) {
      // A damaged cache is only a cache: start afresh and say so.
      const db = new SQL.Database();
      db.run(SCHEMA);
      return new VerdictCache(file, db, `verdict cache ${file} unreadable (${(e as Error).message}); starting a new one`);
    }
  }

  get(key: string): Verdict | undefined {
    const st = this.db.prepare('SELECT verdict FROM verdicts WHERE key = ?');
    try {
      st.bind([key]);
      if (!st.step()) return undefined;
      this.hits++;
      return { ...(JSON.parse(String(st.get()[0])) as Verdict), cached: true };
    } finally {
      st.free();
    }
  }

  put(key: string, v: Verdict): void {
    if (v.classification === 'UNKNOWN') return;
    const { cached: _cached, error: _error, ...keep } = v;
    this.db.run('INSERT OR REPLACE INTO verdicts (key, verdict, created) VALUES (?, ?, ?)', [key, JSON.stringify(keep), new Date().toISOString()]);
    this.dirty = true;
  }

  /** Writes the database back atomically when something was added. */
  save(): void {
    if (!this.dirty) return;
    writeFileAtomic(this.file, this.db.export());
    this.dirty = false;
  }

  close(): void {
    this.db.close();
  }
}
