// Stage 4, candidates: which pairs come from the pair memory (both documents known in this context,
// and still a candidate) and which documents' pairs must be scored now, by which scorer.
import type { FeatureCache } from '../cache';
import { sharesProposingKey } from '../candidates';
import { PairMemory } from '../pairMemory';
import type { PairScore } from '../score';
import type { LazyPostings } from './documents';
import type { Allowed, Context, Doc } from './types';

export interface Candidates {
  /** By document: whether the pair memory knows it (its pairs with other known ones are remembered). */
  known: boolean[];
  /** Each remembered pair that is still a candidate. */
  remembered: (each: (i: number, j: number, s: PairScore) => void) => void;
  /** By document: whether its pairs are scored from its side (with later documents and known ones). */
  scoreFrom: boolean[];
  /** Few unknown documents: scored by direct merges, with no postings of the whole input. */
  direct: boolean;
}

/** The pair memory for this context: the state's, else the one persisted beside the features (none without either). */
export function pairMemoryFor(inState: PairMemory | undefined, cache: FeatureCache | undefined, ctx: string, wanted: boolean): PairMemory | undefined {
  if (!wanted) return undefined;
  if (inState?.ctx === ctx) return inState;
  return (cache ? PairMemory.load(cache, ctx) : undefined) ?? new PairMemory(ctx);
}

/**
 * `recorded`: the context is a recorded run's, so every stored pair is still a candidate once all
 * documents are known; `recheck`: false in a quick update, which keeps the other pairs as they were
 * (the exact run that follows checks them).
 */
export function candidatePairs(docs: Doc[], ctx: Context, memory: PairMemory | undefined, recorded: boolean, recheck: boolean,
  postings: LazyPostings, allowed: Allowed, archive: boolean): Candidates {
  const n = docs.length;
  const hashes = docs.map((d) => d.hash);
  const known = memory ? memory.knownOf(hashes) : docs.map(() => false);
  const templateFlags = !recheck || (recorded && known.every(Boolean)) ? undefined : postings.fp().flags(ctx.templateFp);
  // A few documents the pair memory does not know (a quick update's changed ones; the same in the exact
  // run after it) are scored by direct merges: no postings of the workspace for the bulk scorer.
  const unknown = docs.map((_, i) => i).filter((i) => !known[i]);
  const direct = unknown.length <= 20 && unknown.length < n;
  // Archived documents come last and never meet each other: from their side there is nothing left to
  // score, unless a new document the pair memory knows left its pairs to them.
  const archivedLast = archive && !known.some((k, i) => k && !docs[i]!.archive);
  // Its pairs with unknown documents are scored from their side.
  const scoreFrom = docs.map((d, a) => !(known[a] || (archivedLast && d.archive)));
  const remembered = (each: (i: number, j: number, s: PairScore) => void) => memory?.pairsAmong(hashes, known, (i, j, s) => {
    // Still a candidate? (another document can push a shared key past the cap.)
    if (allowed(Math.min(i, j), Math.max(i, j)) && (!templateFlags || sharesProposingKey(postings.fp(), i, j, ctx.capDocs, templateFlags))) each(i, j, s);
  });
  return { known, remembered, scoreFrom, direct };
}
