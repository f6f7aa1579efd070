// Earlier submissions (JPlag's `-old`, MOSS's base files): `compare NEW --archive PATH…` pairs the new
// documents with archived ones and with each other, never two archived ones. An archive is a folder, a
// .zip, a source file, or a saved archive index (`archive build`), which keeps every archived file's
// features and text on disk so a large archive is not parsed again.
//
// A saved index IS a feature cache (cache.ts): the same marked sql.js main file and `FILE.features/`
// shards, with one more record, the manifest (meta row `archive`, JSON), listing the archived files.
// The source texts sit in the shards beside the features (key `<sha256>:src:z`). docs/archive-index.md
// describes the layout for readers outside this code.
import fs from 'node:fs';
import path from 'node:path';
import { isSupportedFile, type LanguageId } from '../core/languages';
import type { WorkerCount } from '../core/workerPool';
import { CacheRefusedError, probe, SQLITE_APP_IDS } from '../store/cacheFile';
import { FeatureCache } from './cache';
import type { ArchiveSet } from './engine';
import { openPostings, PostingsError, writePostings, type PostingKind, type PostingsRef, type StoredPostings } from './archivePostings';
import { featuresFor } from './stages/analyse';
import { docHash, unionOf } from './stages/documents';
import { DEFAULT_FEATURE_OPTIONS, FEATURES_VERSION, featuresOfSource, type FeatureOptions, type FileFeatures } from './features';
import { collectInputs, type CollectOptions, type SourceFile } from './inputs';

export const ARCHIVE_META = 'archive';
/** 2: the documents' postings are saved beside the index (`FILE.postings`, archivePostings.ts); 1 had none (still read). */
export const ARCHIVE_FORMAT = 2;

export interface ArchiveEntry {
  /** As given when archived (`x.zip!/inner/path` inside archives). */
  path: string;
  /** The document (submission) it belongs to. */
  doc: string;
  language: LanguageId;
  /** SHA-256 of the text (hex): with the language and options, the key of its features; `<hash>:src:z`: its text. */
  hash: string;
  lines: number;
}

export interface ArchiveManifest {
  format: 'code-origin-archive';
  version: number;
  features_version: number;
  feature_options: FeatureOptions;
  /** Each sub-folder or archive of an input was one document (submission) when archived. */
  submissions: boolean;
  created: string;
  updated: string;
  /** The paths archived, in order (build, then each add). */
  sources: string[];
  entries: ArchiveEntry[];
  /** Version 2: the postings file written with this manifest. */
  postings?: PostingsRef;
}

/** A bad archive (missing, foreign, damaged): the CLI says so and exits with a usage error. */
export class ArchiveError extends Error {}

/** Whether `file` is a database of ours (a feature cache or an archive index), from its first bytes. */
export function looksLikeIndex(file: string): boolean {
  return probe(file, SQLITE_APP_IDS.featureMain).what === 'ours';
}

function readManifest(cache: FeatureCache, file: string): ArchiveManifest {
  const blob = cache.getMeta(ARCHIVE_META);
  if (!blob) {
    if (cache.warnings.length) throw new ArchiveError(`${file}: the archive index is damaged (left as it is); build it again`);
    throw new ArchiveError(`${file} is a Code Origin feature cache, not an archive index (make one with \`code-origin archive build PATH… -o FILE\`)`);
  }
  let m: ArchiveManifest;
  try {
    m = JSON.parse(Buffer.from(blob).toString('utf8')) as ArchiveManifest;
  } catch {
    throw new ArchiveError(`${file}: the archive index's manifest is damaged; build it again`);
  }
  if (m.format !== 'code-origin-archive' || !Array.isArray(m.entries)) throw new ArchiveError(`${file}: not an archive index`);
  if (m.version > ARCHIVE_FORMAT) throw new ArchiveError(`${file}: archive index format ${m.version} is newer than this Code Origin reads (${ARCHIVE_FORMAT}); update Code Origin`);
  return m;
}

/** Opens an existing index (refusing anything that is not one) and reads its manifest. */
export async function openIndex(file: string): Promise<{ cache: FeatureCache; manifest: ArchiveManifest }> {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new ArchiveError(`no such archive index: ${file}`);
  }
  if (!st.isFile()) throw new ArchiveError(`${file} is not an archive index (not a file)`);
  if (!looksLikeIndex(file)) throw new ArchiveError(`${file} is not an archive index made by \`code-origin archive build\` (left untouched)`);
  let cache: FeatureCache;
  try {
    cache = await FeatureCache.open(file);
  } catch (e) {
    throw e instanceof CacheRefusedError ? new ArchiveError(e.message) : e;
  }
  try {
    return { cache, manifest: readManifest(cache, file) };
  } catch (e) {
    cache.close();
    throw e;
  }
}

export interface ArchiveBuildOptions extends CollectOptions {
  workers: WorkerCount;
  log(m: string): void;
}

export interface ArchiveBuildResult { added: number; replaced: number; documents: number; files: number; skipped: number; bytes: number }

/** Files parsed per batch: their features are written to the index and dropped before the next batch. */
const BATCH = 2000;

/**
 * `archive build` (mode `build`: a new index, or one of ours replaced) and `archive add` (an existing
 * index gains the files; a path archived again replaces its entry). Refuses, untouched, a file that is
 * not an index of ours.
 */
export async function buildArchive(file: string, paths: string[], mode: 'build' | 'add', o: ArchiveBuildOptions): Promise<ArchiveBuildResult> {
  let cache: FeatureCache;
  let manifest: ArchiveManifest;
  const now = new Date().toISOString();
  if (mode === 'add') {
    ({ cache, manifest } = await openIndex(file));
  } else {
    const p = probe(file, SQLITE_APP_IDS.featureMain);
    if (p.what === 'not-regular' || p.what === 'foreign' || p.what === 'sqlite-unmarked') {
      throw new ArchiveError(`refusing to write the archive index to ${file}: it exists and is not a Code Origin archive index (left untouched)`);
    }
    if (p.what === 'ours') {
      // Only an archive index of ours is replaced: a feature cache there is someone's working cache.
      (await openIndex(file)).cache.close();
      removeIndex(file);
    }
    try {
      FeatureCache.check(file);
      cache = await FeatureCache.open(file);
    } catch (e) {
      throw e instanceof CacheRefusedError ? new ArchiveError(e.message) : e;
    }
    manifest = {
      format: 'code-origin-archive', version: ARCHIVE_FORMAT, features_version: FEATURES_VERSION, feature_options: DEFAULT_FEATURE_OPTIONS,
      submissions: o.submissions, created: now, updated: now, sources: [], entries: [],
    };
  }
  try {
    const fopts = manifest.feature_options;
    const { files, missing } = await collectInputs(paths, { ...o, submissions: manifest.submissions });
    if (missing.length) throw new ArchiveError(`no such file or folder: ${missing.join(', ')}`);
    let skipped = 0;
    for (const f of files) if (f.error) {
      skipped++;
      o.log(`${f.path}: skipped: ${f.error}`);
    }
    const byPath = new Map(manifest.entries.map((e, i) => [e.path, i]));
    // The evidence sets of the features met here, by feature key, for the postings: only entries an add
    // did not touch are read back from the shards.
    const known = new Map<string, KindSets>();
    let added = 0;
    let replaced = 0;
    const ok = files.filter((f) => !f.error && f.text !== undefined && f.language);
    for (let start = 0; start < ok.length; start += BATCH) {
      const batch = ok.slice(start, start + BATCH);
      // New features go into the index's shards (contents it already holds are hits).
      const { feats, keys } = await featuresFor(batch, fopts, cache, o.workers, undefined, undefined);
      batch.forEach((f, k) => {
        const ft = feats[k];
        if (!ft) {
          skipped++;
          o.log(`${f.path}: skipped: ${f.error ?? 'analysis failed'}`);
          return;
        }
        known.set(keys[k]!, setsOf(ft));
        const hash = FeatureCache.contentHash(f.text!);
        cache.putSource(hash, f.text!);
        const entry: ArchiveEntry = { path: f.path, doc: f.doc, language: f.language!, hash, lines: ft.lineCount };
        const at = byPath.get(f.path);
        if (at === undefined) {
          byPath.set(f.path, manifest.entries.length);
          manifest.entries.push(entry);
          added++;
        } else {
          manifest.entries[at] = entry;
          replaced++;
        }
      });
      o.log(`archived ${Math.min(start + BATCH, ok.length)} of ${ok.length} files`);
    }
    manifest.sources.push(...paths);
    manifest.updated = now;
    // The postings of every archived document, written again after each build or add: an add that
    // replaces an entry changes that document's keys and every count it was in (a v1 index gains them).
    manifest.postings = await savePostings(file, cache, manifest, known);
    manifest.version = ARCHIVE_FORMAT;
    cache.putMeta(ARCHIVE_META, Buffer.from(JSON.stringify(manifest), 'utf8'));
    cache.save();
    for (const w of cache.warnings) o.log(`warning: ${w}`);
    return { added, replaced, documents: new Set(manifest.entries.map((e) => e.doc)).size, files: manifest.entries.length, skipped, bytes: indexBytes(file) };
  } finally {
    cache.close();
  }
}

/** One file's evidence sets, copied out of its features (a typed array read from the shards may hold its whole entry's buffer). */
type KindSets = Partial<Record<PostingKind, Float64Array>>;

function setsOf(f: FileFeatures): KindSets {
  return { fp: f.fpSet.slice(), ast: f.astSet.slice(), cfg: f.cfg.slice(), df: f.df.slice() };
}

/**
 * Writes `FILE.postings` for the manifest's documents: those with features, in the order a query's
 * `documentsOf` meets them, each kind's keys unioned over a document's files as it does. `known` holds the
 * sets of the features this build or add met; the others are read from the shards once, in batches. Each
 * kind's sets are let go once written.
 */
async function savePostings(file: string, cache: FeatureCache, manifest: ArchiveManifest, known: Map<string, KindSets>): Promise<PostingsRef> {
  const keys = manifest.entries.map((e) => FeatureCache.keyOf(e.hash, e.language, manifest.feature_options));
  const missing = [...new Set(keys.filter((k) => !known.has(k)))];
  for (let start = 0; start < missing.length; start += BATCH) {
    const batch = missing.slice(start, start + BATCH);
    cache.getMany(batch).forEach((f, k) => { if (f) known.set(batch[k]!, setsOf(f)); });
  }
  const docs: Array<{ doc: string; keys: string[]; files: KindSets[] }> = [];
  const byDoc = new Map<string, number>();
  manifest.entries.forEach((e, i) => {
    const sets = known.get(keys[i]!);
    if (!sets) return; // no features: a query leaves the file out too
    let d = byDoc.get(e.doc);
    if (d === undefined) {
      byDoc.set(e.doc, (d = docs.length));
      docs.push({ doc: e.doc, keys: [], files: [] });
    }
    docs[d]!.keys.push(keys[i]!);
    docs[d]!.files.push(sets);
  });
  return writePostings(`${file}.postings`, {
    features_version: manifest.features_version, feature_options: manifest.feature_options,
    documents: docs.map((d) => ({ doc: d.doc, id: docHash(d.keys) })),
  }, async (kind) => {
    const out = docs.map((d) => unionOf(d.files.map((f) => f[kind]!)));
    for (const sets of known.values()) delete sets[kind];
    return out;
  });
}

/** Removes an index of ours: the main file and its shards (nothing else is touched). */
function removeIndex(file: string): void {
  const dir = `${file}.features`;
  for (let i = 0; i < 16; i++) fs.rmSync(path.join(dir, `${i.toString(16)}.sqlite`), { force: true });
  try {
    fs.rmdirSync(dir);
  } catch {
    // not there, or holding something else: left
  }
  fs.rmSync(`${file}.pairs`, { force: true });
  fs.rmSync(`${file}.postings`, { force: true });
  fs.rmSync(file, { force: true });
}

/** Bytes on disk of an index: the main file and its shards. */
export function indexBytes(file: string): number {
  const size = (p: string) => { try { return fs.statSync(p).size; } catch { return 0; } };
  let n = size(file) + size(`${file}.postings`);
  for (let i = 0; i < 16; i++) n += size(path.join(`${file}.features`, `${i.toString(16)}.sqlite`));
  return n;
}

/**
 * The postings saved with a format-2 index, when they are the ones its manifest was written with. A
 * format-1 index has none: the query sorts the archive's postings itself, as before (and says how to
 * save the time). Used only where the index is the run's one archive.
 */
function savedPostings(p: string, manifest: ArchiveManifest, log: (m: string) => void): StoredPostings | undefined {
  const say = (m: string) => log(`${p}: ${m}`);
  if (!manifest.postings) {
    say(`an index of format ${manifest.version} holds no postings: they are computed over the whole archive on every query (\`code-origin archive build\` it again, or \`archive add\` to it, to save the time)`);
    return undefined;
  }
  try {
    // Only a file beside the index: the manifest is read from a file a user gave us.
    return openPostings(path.join(path.dirname(p), path.basename(String(manifest.postings.file))), manifest.postings, say);
  } catch (e) {
    if (!(e instanceof PostingsError)) throw e;
    say(`${e.message}: the postings are computed over the whole archive (build the index again to save the time)`);
    return undefined;
  }
}

/** What `compare --archive` holds for the run: the set for the engine, and how to read back archived texts. */
export interface LoadedArchive {
  set: ArchiveSet;
  /** Gives archived files from indexes their text (for the regions' code and the judge), for these documents only. */
  fillTexts(docs: Set<string>): void;
  close(): void;
}

/**
 * Loads the archives for a comparison. Their documents' inputs are numbered from `inputOffset` (one per
 * archive path), after the new inputs'; a document archived twice (two archives naming it) is kept once.
 * (The engine leaves out an archived document named as a new one: it is the same submission.)
 */
export async function loadArchives(paths: string[], inputOffset: number, o: CollectOptions & { workers: WorkerCount; cache?: FeatureCache; log(m: string): void }): Promise<LoadedArchive> {
  const set: ArchiveSet = { files: [], feats: [], keys: [], sources: paths };
  const seen = new Set<string>();
  const fromIndex: Array<{ cache: FeatureCache; files: SourceFile[]; hashes: string[] }> = [];
  const dropped = new Map<string, number>();
  const keep = (f: SourceFile) => {
    if (seen.has(f.doc)) {
      dropped.set(f.doc, (dropped.get(f.doc) ?? 0) + 1);
      return false;
    }
    return true;
  };
  try {
    for (let k = 0; k < paths.length; k++) {
      const p = paths[k]!;
      const input = inputOffset + k;
      const docsHere = new Set<string>();
      const mark = (f: SourceFile) => {
        docsHere.add(f.doc);
        f.archive = true;
      };
      if (fs.existsSync(p) && fs.statSync(p).isFile() && looksLikeIndex(p)) {
        const { cache, manifest } = await openIndex(p);
        const group = { cache, files: [] as SourceFile[], hashes: [] as string[] };
        fromIndex.push(group);
        const entries = manifest.entries.filter((e) => !seen.has(e.doc));
        for (const e of manifest.entries) if (seen.has(e.doc)) dropped.set(e.doc, (dropped.get(e.doc) ?? 0) + 1);
        const keys = entries.map((e) => FeatureCache.keyOf(e.hash, e.language, manifest.feature_options));
        const feats = cache.getMany(keys);
        const stale = feats.filter((f) => !f).length;
        if (stale) {
          o.log(`${p}: ${stale} archived files have no features this version can use; computed again from their stored text (run \`code-origin archive build\` again to save the time)`);
          const texts = cache.getSources(entries.flatMap((e, i) => (feats[i] ? [] : [e.hash])));
          let t = 0;
          for (let i = 0; i < entries.length; i++) {
            if (feats[i]) continue;
            const text = texts[t++];
            feats[i] = text === undefined ? undefined : await featuresOfSource(text, entries[i]!.language, manifest.feature_options).catch(() => undefined);
          }
        }
        entries.forEach((e, i) => {
          const f: SourceFile = { path: e.path, input, doc: e.doc, language: e.language };
          if (!feats[i]) f.error = 'archived features and text are missing or damaged';
          mark(f);
          set.files.push(f);
          set.feats.push(feats[i]);
          set.keys.push(keys[i]!);
          group.files.push(f);
          group.hashes.push(e.hash);
        });
        // Shards hold every archived text too: only what the run needs stays in memory.
        cache.close();
        if (paths.length === 1) set.postings = savedPostings(p, manifest, o.log);
      } else {
        if (fs.existsSync(p) && fs.statSync(p).isFile() && !p.toLowerCase().endsWith('.zip') && !o.language && !isSupportedFile(p)) {
          throw new ArchiveError(`--archive: ${p} is not a folder, a .zip, a source file or an archive index made by \`code-origin archive build\``);
        }
        const { files, missing } = await collectInputs([p], o);
        if (missing.length) throw new ArchiveError(`--archive: no such file, folder or archive index: ${p}`);
        const kept = files.filter(keep);
        const { feats, keys } = await featuresFor(kept, DEFAULT_FEATURE_OPTIONS, o.cache, o.workers, undefined, undefined);
        kept.forEach((f, i) => {
          mark(f);
          f.input = input;
          set.files.push(f);
          set.feats.push(feats[i]);
          set.keys.push(keys[i]!);
        });
      }
      for (const d of docsHere) seen.add(d);
    }
  } catch (e) {
    for (const g of fromIndex) g.cache.close();
    throw e;
  }
  if (dropped.size) o.log(`--archive: ${dropped.size} archived documents were in an earlier archive too and are compared once (${[...dropped.keys()].slice(0, 3).join(', ')}${dropped.size > 3 ? ', …' : ''})`);
  return {
    set,
    fillTexts(docs) {
      for (const g of fromIndex) {
        const idx = g.files.flatMap((f, i) => (docs.has(f.doc) && f.text === undefined ? [i] : []));
        if (!idx.length) continue;
        const texts = g.cache.getSources(idx.map((i) => g.hashes[i]!));
        idx.forEach((i, k) => {
          if (texts[k] !== undefined) g.files[i]!.text = texts[k];
        });
        g.cache.close();
      }
    },
    close() {
      for (const g of fromIndex) g.cache.close();
    },
  };
}
