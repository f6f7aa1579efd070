// The analysed-file records of one comparison, kept for the local judge that follows it, so that one
// read, one content hash and one parse of each file serve both: `compare()` fills the `RunRecords` it
// is given (`CompareOptions.records`) with the run's documents as collected, each analysed text's
// content hash (core/contentHash.ts), and the judge's document keys of the files parsed now, made from
// the tree their features came from (features.ts `analyseSource`, in the analyse stage's per-file
// task). `judgeReport` (similarity/judgeReport.ts) reads them instead of reading the inputs, hashing the texts
// and parsing the files again. A file whose features came from memory or the feature cache has no keys
// here: the judge takes them from its own caches, or parses it.
import type { DocKeys } from '../judge/local/context';
import type { SourceFile } from './sourceFile';

export class RunRecords {
  /** The inputs' and the template's files as collected, before the analysis marked any as failed (the judge's documents). */
  files: SourceFile[] | undefined;
  template: SourceFile[] | undefined;
  /** Content hash of each analysed text, by the text. */
  readonly hashes = new Map<string, string>();
  /** The local judge's keys of files parsed in this run, by the judge's content key (judge/local/cache.ts `contentKey`). */
  readonly judgeKeys = new Map<string, DocKeys>();
}
