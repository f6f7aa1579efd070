// What the local judge keeps on disk beside a comparison's feature cache, for a new process (the
// language server's first run in a workspace, a CLI re-run with --cache): each document's keys (its
// k-grams, names and lines, which the common-code counts need), and the last run's verdicts with the
// digests they were given under. Without them a new process parsed every file again to count its common
// code, and every judged file again to judge its pairs: at 5,000 files, most of the judge's time.
//
// Plain files: the keys in SHARDS files by content key, each a v8-serialized list, of which a run reads
// those of the documents it counts and rewrites those that gained a document (an edit: one), keeping
// only documents in use; the verdicts in one file, rewritten by a run that judged any pair anew.
// Nothing is held between runs.
//
// Each file starts with a mark of ours, the format and a checksum of its contents (cacheFile.ts): a
// damaged file is a warning and is rebuilt, and another process's entries written since this one read a
// file are merged in when it writes it (under a lock file), so concurrent runs do not drop each other's.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { decodePlain, encodePlain, identity, PLAIN_KINDS } from '../../store/cacheFile';
import { withFileLock } from '../../store/cacheLock';
import { writeFileAtomic } from '../../store/sqlite';
import type { Verdict } from '../types';
import type { DocKeys } from './context';
import { textHash } from './kgrams';

const SHARDS = 16;
/** Bumped when the stored layout changes; a file of another format or version is ignored (and rewritten). 1: no header. */
const FORMAT = 2;

type KeysEntry = [key: string, hashes: Float64Array, names: Float64Array, lines: Float64Array];
/** A pair's verdict key (both contents and the score), both files' digests, the verdict. */
export type VerdictEntry = [pair: string, digest1: string, digest2: string, verdict: Verdict];
interface StoredFile<T> { version: string; entries: T[] }
/** What a file held when read: its identity on disk and its entries' keys (a merge adds only others' entries). */
interface Seen { id: string | undefined; keys: Set<string> }

export class LocalJudgeStore {
  private readonly shards: Array<Map<string, DocKeys> | undefined> = new Array(SHARDS).fill(undefined);
  private readonly shardSeen: Array<Seen | undefined> = new Array(SHARDS).fill(undefined);
  private readonly dirty = new Set<number>();
  private verdictMap: Map<string, VerdictEntry> | undefined;
  private verdictsSeen: Seen | undefined;
  /** Files that could not be read or written (the run goes on without them). */
  readonly warnings: string[] = [];

  /** `version`: what the keys and verdicts are computed by (another one makes everything stored a miss). */
  constructor(readonly dir: string, private readonly version: string) {}

  private shardOf(key: string): number {
    return textHash(key) % SHARDS;
  }

  /** A file's entries: [] when absent or of another format or version, undefined (after a warning when `report`) when damaged. */
  private read<T>(file: string, kind: string, report = true): T[] | undefined {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []; // nothing stored yet
      if (report) this.warnings.push(`judge cache ${file} unreadable (${(e as Error).message})`);
      return undefined;
    }
    const d = decodePlain(bytes, kind, FORMAT);
    if (!d.ok && d.why === 'other-version') return [];
    try {
      if (!d.ok) {
        // A file of the first format (no header) is only of another version.
        if (d.why === 'foreign' && (v8.deserialize(bytes) as { format?: unknown })?.format === 1) return [];
        throw new Error(d.why === 'damaged' ? 'checksum mismatch' : 'not a judge cache file');
      }
      const data = v8.deserialize(d.payload) as StoredFile<T>;
      return data?.version === this.version && Array.isArray(data.entries) ? data.entries : [];
    } catch (e) {
      if (report) this.warnings.push(`judge cache ${file} unreadable (${(e as Error).message}); it is rebuilt`);
      return undefined;
    }
  }

  /**
   * Writes a file under its lock; where another process wrote it since `seen`, its entries this process
   * never saw (by `keyOf`) are kept beside this run's.
   */
  private write<T>(file: string, kind: string, entries: T[], keyOf: (e: T) => string, seen: Seen | undefined, what: string): void {
    try {
      withFileLock(file, () => {
        let all = entries;
        if (seen && identity(file) !== seen.id) {
          const mine = new Set(entries.map(keyOf));
          const theirs = (this.read<T>(file, kind, false) ?? []).filter((e) => !seen.keys.has(keyOf(e)) && !mine.has(keyOf(e)));
          all = [...entries, ...theirs];
        }
        writeFileAtomic(file, encodePlain(kind, FORMAT, [v8.serialize({ version: this.version, entries: all } satisfies StoredFile<T>)]));
      });
    } catch (e) {
      this.warnings.push(`cannot write judge cache ${file} (${(e as Error).message}); ${what} are not cached`);
    }
  }

  private keysFile(s: number): string {
    return path.join(this.dir, `${s.toString(16)}.keys`);
  }

  private shard(s: number): Map<string, DocKeys> {
    let m = this.shards[s];
    if (m) return m;
    const file = this.keysFile(s);
    const id = identity(file);
    const entries = this.read<KeysEntry>(file, PLAIN_KINDS.judgeKeys);
    if (!entries) this.dirty.add(s); // damaged: written again at the end of the run
    m = new Map((entries ?? []).map(([k, hashes, names, lines]) => [k, { hashes, names, lines }]));
    this.shards[s] = m;
    this.shardSeen[s] = { id, keys: new Set(m.keys()) };
    return m;
  }

  getKeys(key: string): DocKeys | undefined {
    return this.shard(this.shardOf(key)).get(key);
  }

  putKeys(key: string, keys: DocKeys): void {
    const s = this.shardOf(key);
    this.shard(s).set(key, keys);
    this.dirty.add(s);
  }

  /** Writes the key shards that changed, with the documents of `inUse` only, and lets go of every shard read. */
  saveKeys(inUse: Set<string>): void {
    for (const s of this.dirty) {
      const entries: KeysEntry[] = [];
      for (const [k, v] of this.shards[s] ?? []) if (inUse.has(k)) entries.push([k, v.hashes, v.names, v.lines]);
      this.write(this.keysFile(s), PLAIN_KINDS.judgeKeys, entries, (e) => e[0], this.shardSeen[s], 'document keys');
    }
    this.dirty.clear();
    this.shards.fill(undefined);
    this.shardSeen.fill(undefined);
  }

  private get verdictsFile(): string {
    return path.join(this.dir, 'verdicts');
  }

  private verdicts(): Map<string, VerdictEntry> {
    if (this.verdictMap) return this.verdictMap;
    const id = identity(this.verdictsFile);
    this.verdictMap = new Map((this.read<VerdictEntry>(this.verdictsFile, PLAIN_KINDS.judgeVerdicts) ?? []).map((e) => [e[0], e]));
    this.verdictsSeen = { id, keys: new Set(this.verdictMap.keys()) };
    return this.verdictMap;
  }

  /** The stored verdict of a pair key, if it was given under these digests (the file is read on first use). */
  verdict(pair: string, digest1: string, digest2: string): Verdict | undefined {
    const e = this.verdicts().get(pair);
    return e && e[1] === digest1 && e[2] === digest2 ? e[3] : undefined;
  }

  /** Replaces the stored verdicts with a run's (the pairs judged now are the ones worth keeping), keeping those another process added meanwhile. */
  saveVerdicts(entries: VerdictEntry[]): void {
    this.verdicts();
    this.write(this.verdictsFile, PLAIN_KINDS.judgeVerdicts, entries, (e) => e[0], this.verdictsSeen, 'verdicts');
    this.verdictMap = undefined;
    this.verdictsSeen = undefined;
  }
}
