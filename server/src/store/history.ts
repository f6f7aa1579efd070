// The prediction history: every origin verdict the user saw, in a sql.js (SQLite) database file.
// Crash safety: the database lives in memory and is written whole to a temp file beside it, fsynced, then
// renamed over the old file, so the file on disk is always either the old or the new complete database.
// A file that cannot be read as a database is moved aside (history.sqlite.corrupt-<time>) and reported
// in `warning`; it is never silently dropped. Leftover temp files from a crash are removed on open.
import fs from 'node:fs';
import path from 'node:path';
import { loadSqlJs, TEMP_MARKER, writeFileAtomic, type SqlDatabase, type SqlStatement } from './sqlite';



export const HISTORY_FILE_NAME = 'prediction-history.sqlite';
const SCHEMA_VERSION = 1;
/** A temp file older than this belongs to a write that died. */
const TEMP_STALE_MS = 30_000;
/** Old rows are pruned this often (and on every write to disk). */
const PRUNE_EVERY = 100;
/** Oldest rows are dropped beyond this many. */
export const DEFAULT_MAX_ROWS = 20_000;

import type { PredictionRecord } from '../../../protocol/records';

export type { PredictionRecord };

export interface TopToken {
  text: string;
  score: number;
}

/** What a caller records: a history row without its id, with an optional time and confidence. */
export type PredictionInput = Omit<PredictionRecord, 'id' | 'time' | 'confidence' | 'top_tokens'> & {
  time?: Date;
  /** Calibrated probability of the stated verdict; without it, the raw p_llm (1 − p_llm for human). */
  confidence?: number;
  top_tokens?: TopToken[];
};

const COLUMNS = ['id', 'time', 'file', 'content_hash', 'language', 'model', 'model_version', 'subject', 'label', 'confidence', 'p_llm', 'top_tokens'] as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS predictions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL,
  file TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  language TEXT NOT NULL,
  model TEXT NOT NULL,
  model_version TEXT NOT NULL,
  subject TEXT NOT NULL,
  label TEXT NOT NULL,
  confidence REAL NOT NULL,
  p_llm REAL,
  top_tokens TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS predictions_time ON predictions(time);
`;

export interface HistoryOptions {
  maxRows?: number;
  /** Delay before a write reaches disk, so a burst of predictions costs one write (default 300 ms). */
  flushDelayMs?: number;
}

export class PredictionHistory {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private insert: SqlStatement | undefined;
  private sincePrune = 0;

  private constructor(
    readonly file: string,
    private readonly db: SqlDatabase,
    private readonly opts: Required<HistoryOptions>,
    /** Set when the file on disk was unreadable and moved aside (where to, and why). */
    readonly warning?: string,
  ) {}

  static async open(file: string, opts: HistoryOptions = {}): Promise<PredictionHistory> {
    const SQL = await loadSqlJs();
    const o: Required<HistoryOptions> = { maxRows: opts.maxRows ?? DEFAULT_MAX_ROWS, flushDelayMs: opts.flushDelayMs ?? 300 };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    removeTempFiles(file);
    let db: SqlDatabase | undefined;
    let warning: string | undefined;
    if (fs.existsSync(file)) {
      try {
        db = new SQL.Database(fs.readFileSync(file));
        // sql.js reads lazily: a query is what finds out whether the bytes are a database.
        const check = db.exec('PRAGMA quick_check');
        const verdict = String(check[0]?.values[0]?.[0] ?? '');
        if (verdict !== 'ok') throw new Error(`integrity check: ${verdict || 'no answer'}`);
        db.exec(SCHEMA);
      } catch (e) {
        try { db?.close(); } catch { /* already unusable */ }
        db = undefined;
        const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        fs.renameSync(file, aside);
        warning = `the prediction history ${file} could not be read (${(e as Error).message}); it was moved to ${aside} and a new history was started`;
      }
    }
    if (!db) {
      db = new SQL.Database();
      db.exec(SCHEMA);
    }
    db.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', ['schema_version', String(SCHEMA_VERSION)]);
    return new PredictionHistory(file, db, o, warning);
  }

  add(p: PredictionInput): void {
    if (this.closed) return;
    const confidence = p.p_llm === null ? 0 : p.confidence ?? (p.label === 'human' ? 1 - p.p_llm : p.p_llm);
    this.insert ??= this.db.prepare(
      'INSERT INTO predictions (time, file, content_hash, language, model, model_version, subject, label, confidence, p_llm, top_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insert.run(
      [(p.time ?? new Date()).toISOString(), p.file, p.content_hash, p.language, p.model, p.model_version, p.subject, p.label,
        confidence, p.p_llm, JSON.stringify((p.top_tokens ?? []).map((t) => ({ text: t.text, score: Number(t.score.toFixed(6)) })))],
    );
    if (++this.sincePrune >= PRUNE_EVERY || this.opts.maxRows < PRUNE_EVERY) this.prune();
    this.dirty = true;
    this.scheduleFlush();
  }

  private prune(): void {
    this.sincePrune = 0;
    this.db.run('DELETE FROM predictions WHERE id <= (SELECT MAX(id) FROM predictions) - ?', [this.opts.maxRows]);
  }

  /** Newest first. */
  list(limit = 500): PredictionRecord[] {
    const st = this.db.prepare(`SELECT ${COLUMNS.join(', ')} FROM predictions ORDER BY id DESC LIMIT ?`);
    const rows: PredictionRecord[] = [];
    try {
      st.bind([Math.max(0, Math.floor(limit))]);
      while (st.step()) rows.push(st.getAsObject() as unknown as PredictionRecord);
    } finally {
      st.free();
    }
    return rows;
  }

  count(): number {
    return Number(this.db.exec('SELECT COUNT(*) FROM predictions')[0]?.values[0]?.[0] ?? 0);
  }

  /** The last row for a file, to avoid storing the same verdict twice. */
  lastFor(file: string, subject: string): PredictionRecord | undefined {
    const st = this.db.prepare(`SELECT ${COLUMNS.join(', ')} FROM predictions WHERE file = ? AND subject = ? ORDER BY id DESC LIMIT 1`);
    try {
      st.bind([file, subject]);
      return st.step() ? (st.getAsObject() as unknown as PredictionRecord) : undefined;
    } finally {
      st.free();
    }
  }

  /** Every row, oldest first, as CSV (RFC 4180 quoting). */
  toCsv(): string {
    const res = this.db.exec(`SELECT ${COLUMNS.join(', ')} FROM predictions ORDER BY id ASC`);
    const lines = [COLUMNS.join(',')];
    for (const row of res[0]?.values ?? []) lines.push(row.map(csvField).join(','));
    return `${lines.join('\r\n')}\r\n`;
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch {
        // Retried on the next write; the old file stays intact.
        this.dirty = true;
      }
    }, this.opts.flushDelayMs);
    this.timer.unref?.();
  }

  /** Writes the database now: temp file, fsync, rename. */
  flush(): void {
    if (!this.dirty) return;
    this.prune();
    writeFileAtomic(this.file, this.db.export());
    this.dirty = false;
  }

  close(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.insert?.free();
      this.db.close();
    }
  }
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const s = String(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Temp files left by a write that was interrupted (the process died between write and rename). */
function removeTempFiles(file: string): void {
  const dir = path.dirname(file);
  const base = `${path.basename(file)}${TEMP_MARKER}`;
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  // Another server (a second window) may be between its write and its rename: leave fresh temp files alone.
  const now = Date.now();
  for (const n of names) {
    if (!n.startsWith(base)) continue;
    const p = path.join(dir, n);
    try {
      const st = fs.statSync(p);
      if (n.includes(`${TEMP_MARKER}${process.pid}-`) || now - st.mtimeMs > TEMP_STALE_MS) fs.rmSync(p, { force: true });
    } catch {
      // gone already
    }
  }
}
