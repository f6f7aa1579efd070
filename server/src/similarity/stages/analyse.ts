// Stage 2, analyse: every file's features (from memory, the feature cache, or parsed now), with the
// archived submissions' files added after the inputs'. Given the run's records (record.ts), it keeps
// each file's content hash there, and the local judge's keys of the files parsed now, from the same parse.
import { resolveWorkers, type WorkerCount } from '../../core/workerPool';
import { FeatureCache } from '../cache';
import { contentKey } from '../../judge/local/cache';
import type { DocKeys } from '../../judge/local/context';
import { analyseSource, type FeatureOptions, type FileFeatures } from '../features';
import type { SourceFile } from '../sourceFile';
import type { RunRecords } from '../record';
import * as workerPool from '../workers';
import type { ArchiveSet, CompareProgress, Settings } from './types';

export interface Analysed {
  /** The inputs' files, then the archive's. */
  files: SourceFile[];
  /** Features and cache keys by file (undefined where the file has an error). */
  feats: Array<FileFeatures | undefined>;
  keys: string[];
  templateFeats: FileFeatures[];
  templateKeys: Array<string | undefined>;
  /** Features found in the state's memory. */
  memoHits: number;
  workersUsed: number;
  /** Archived files left out as new submissions of the same name. */
  archivedDup: number;
}

export async function analyse(files: SourceFile[], template: SourceFile[], s: Settings, cache: FeatureCache | undefined, memo: Map<string, FileFeatures> | undefined,
  archive: ArchiveSet | undefined, onProgress: ((p: CompareProgress) => void) | undefined, records?: RunRecords): Promise<Analysed> {
  // The judge's keys are made for the files it reads as they are: those alone in their document (the
  // judge joins a submission's files into one source, which is another parse).
  let judgeFor: ((i: number) => boolean) | undefined;
  if (records) {
    const perDoc = new Map<string, number>();
    for (const f of files) perDoc.set(f.doc, (perDoc.get(f.doc) ?? 0) + 1);
    judgeFor = (i) => i < files.length && perDoc.get(files[i]!.doc) === 1;
  }
  const { feats, keys, memoHits, hashes, judgeKeys } = await featuresFor([...files, ...template], s.fopts, cache, s.workers, memo, onProgress, judgeFor);
  if (records) {
    [...files, ...template].forEach((f, i) => {
      if (hashes[i] !== undefined) records.hashes.set(f.text!, hashes[i]!);
      if (judgeKeys[i]) records.judgeKeys.set(contentKey(f.text!, f.language!, hashes[i]), judgeKeys[i]!);
    });
  }
  const workersUsed = workerPool.lastWorkersUsed;
  // Archived files follow the inputs' (before the template's), features as given; an archived document
  // named as a new one is that submission again, and left out.
  let archivedDup = 0;
  if (archive) {
    const fresh = new Set(files.map((f) => f.doc));
    const take = archive.files.flatMap((f, i) => (fresh.has(f.doc) ? [] : [i]));
    archivedDup = archive.files.length - take.length;
    feats.splice(files.length, 0, ...take.map((i) => archive.feats[i]));
    keys.splice(files.length, 0, ...take.map((i) => archive.keys[i]!));
    files = [...files, ...take.map((i) => archive.files[i]!)];
  }
  const templateFeats = template.map((_, i) => feats[files.length + i]).filter((f): f is FileFeatures => !!f);
  const templateKeys = template.map((_, i) => keys[files.length + i]);
  return { files, feats, keys, templateFeats, templateKeys, memoHits, workersUsed, archivedDup };
}

/**
 * Features per file (undefined where the file has an error, which is then recorded on it), with their
 * cache keys. `memo` (a state's features by key) is used first and left holding only these files'.
 */
export async function featuresFor(files: SourceFile[], fopts: FeatureOptions, cache: FeatureCache | undefined, workers: WorkerCount,
  memo: Map<string, FileFeatures> | undefined, onProgress: ((p: CompareProgress) => void) | undefined, judgeFor?: (i: number) => boolean,
): Promise<{ feats: Array<FileFeatures | undefined>; keys: string[]; memoHits: number; hashes: string[]; judgeKeys: Array<DocKeys | undefined> }> {
  const out: Array<FileFeatures | undefined> = new Array(files.length);
  const todo: number[] = [];
  const lookup: number[] = [];
  const keys: string[] = [];
  const hashes: string[] = [];
  const judgeKeys: Array<DocKeys | undefined> = new Array(files.length);
  let done = 0;
  const step = Math.max(1, Math.floor(files.length / 100));
  const tick = () => {
    done++;
    if (onProgress && (done % step === 0 || done === files.length)) onProgress({ phase: 'features', done, total: files.length });
  };
  const seen = new Set<string>();
  let memoHits = 0;
  files.forEach((f, i) => {
    if (f.error || f.text === undefined || !f.language) {
      tick();
      return;
    }
    hashes[i] = FeatureCache.contentHash(f.text);
    keys[i] = FeatureCache.keyOf(hashes[i]!, f.language, fopts);
    seen.add(keys[i]!);
    const inMemory = memo?.get(keys[i]!);
    if (inMemory) {
      memoHits++;
      out[i] = inMemory;
      tick();
    } else lookup.push(i);
  });
  // The rest from the database, shard by shard.
  const found = cache ? cache.getMany(lookup.map((i) => keys[i]!)) : [];
  lookup.forEach((i, k) => {
    const hit = found[k];
    if (hit) {
      out[i] = hit;
      memo?.set(keys[i]!, hit);
      tick();
    } else todo.push(i);
  });
  workerPool.resetWorkersUsed();
  const threads = resolveWorkers(workers, todo.length, todo.reduce((n, i) => n + files[i]!.text!.length, 0));
  const computed = threads > 0
    ? await workerPool.computeFeaturesParallel(todo.map((i) => ({ text: files[i]!.text!, language: files[i]!.language!, judgeKeys: !!judgeFor?.(i) })), fopts, threads, tick)
    : await Promise.all(todo.map(async (i) => {
      try {
        return await analyseSource(files[i]!.text!, files[i]!.language!, fopts, !!judgeFor?.(i));
      } catch (e) {
        return `analysis failed: ${(e as Error).message}`;
      } finally {
        tick();
      }
    }));
  todo.forEach((i, k) => {
    const r = computed[k]!;
    if (typeof r === 'string') files[i]!.error = r;
    else {
      out[i] = r.features;
      judgeKeys[i] = r.judgeKeys;
      memo?.set(keys[i]!, r.features);
      if (cache) cache.put(keys[i]!, r.features);
    }
  });
  // Features of files no longer present are dropped from memory (the database keeps them).
  if (memo) for (const k of memo.keys()) if (!seen.has(k)) memo.delete(k);
  return { feats: out, keys, memoHits, hashes, judgeKeys };
}
