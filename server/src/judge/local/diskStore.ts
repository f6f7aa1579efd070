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
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { writeFileAtomic } from '../../store/sqlite';
import type { Verdict } from '../types';
import type { DocKeys } from './context';
import { textHash } from './kgrams';

const SHARDS = 16;
/** Bumped when the stored layout changes; a file of another format or version is ignored (and rewritten). */
const FORMAT = 1;

type KeysEntry = [key: string, hashes: Float64Array, names: Float64Array, lines: Float64Array];
/** A pair's verdict key (both contents and the score), both files' digests, the verdict. */
export type VerdictEntry = [pair: string, digest1: string, digest2: string, verdict: Verdict];
interface StoredFile<T> { format: number; version: string; entries: T[] }

export class LocalJudgeStore {
  private readonly shards: Array<Map<string, DocKeys> | undefined> = new Array(SHARDS).fill(undefined);
  private readonly dirty = new Set<number>();
  private verdictMap: Map<string, VerdictEntry> | undefined;
  /** Files that could not be read or written (the run goes on without them). */
  readonly warnings: string[] = [];

  /** `version`: what the keys and verdicts are computed by (another one makes everything stored a miss). */
  constructor(readonly dir: string, private readonly version: string) {}

  private shardOf(key: string): number {
    return textHash(key) % SHARDS;
  }

  private read<T>(file: string): T[] | undefined {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      return []; // nothing stored yet
    }
    try {
      const data = v8.deserialize(bytes) as StoredFile<T>;
      return data?.format === FORMAT && data.version === this.version && Array.isArray(data.entries) ? data.entries : [];
    } catch (e) {
      this.warnings.push(`judge cache ${file} unreadable (${(e as Error).message}); it is rebuilt`);
      return undefined;
    }
  }

  private write<T>(file: string, entries: T[], what: string): void {
    try {
      writeFileAtomic(file, v8.serialize({ format: FORMAT, version: this.version, entries } satisfies StoredFile<T>));
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
    const entries = this.read<KeysEntry>(this.keysFile(s));
    if (!entries) this.dirty.add(s); // damaged: written again at the end of the run
    m = new Map((entries ?? []).map(([k, hashes, names, lines]) => [k, { hashes, names, lines }]));
    this.shards[s] = m;
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
      this.write(this.keysFile(s), entries, 'document keys');
    }
    this.dirty.clear();
    this.shards.fill(undefined);
  }

  private get verdictsFile(): string {
    return path.join(this.dir, 'verdicts');
  }

  /** The stored verdict of a pair key, if it was given under these digests (the file is read on first use). */
  verdict(pair: string, digest1: string, digest2: string): Verdict | undefined {
    this.verdictMap ??= new Map((this.read<VerdictEntry>(this.verdictsFile) ?? []).map((e) => [e[0], e]));
    const e = this.verdictMap.get(pair);
    return e && e[1] === digest1 && e[2] === digest2 ? e[3] : undefined;
  }

  /** Replaces the stored verdicts with a run's (the pairs judged now are the ones worth keeping). */
  saveVerdicts(entries: VerdictEntry[]): void {
    this.write(this.verdictsFile, entries, 'verdicts');
    this.verdictMap = undefined;
  }
}
