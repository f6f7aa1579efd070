// Stage 5, score: every candidate pair's score, from the pair memory where it knows both documents,
// else computed (by direct merges for a few documents, by the postings scorer for many); then the new
// scores remembered and the feature cache written back.
import type { FeatureCache } from '../cache';
import { candidatesOf, evidenceOf } from '../changedPairs';
import type { PairMemory } from '../pairMemory';
import { PairScorer } from '../pairScores';
import { scorePair, type DocEvidence, type PairScore } from '../score';
import type { Candidates } from './candidates';
import type { LazyPostings } from './documents';
import type { Allowed, CompareProgress, Context, Doc, Settings } from './types';

export interface Scored {
  /** Kept scores by pair id (i * n + j, i < j). */
  scores: Map<number, PairScore>;
  highest: number;
  /** Pairs scored now. */
  pairScored: number;
  /** Those of them the pair memory keeps (above zero and the floor). */
  fresh: Array<[number, number, PairScore]>;
}

export function scorePairs(docs: Doc[], ctx: Context, s: Settings, floor: number, c: Candidates, postings: LazyPostings, allowed: Allowed,
  remembering: boolean, evidence: Map<string, DocEvidence>, onProgress: ((p: CompareProgress) => void) | undefined): Scored {
  const n = docs.length;
  const { known } = c;
  const scores = new Map<number, PairScore>();
  let highest = 0;
  let pairScored = 0;
  const keep = (i: number, j: number, sc: PairScore) => {
    if (sc.score > highest) highest = sc.score;
    if (sc.score >= floor && (sc.score > 0 || s.allPairs)) scores.set(i < j ? i * n + j : j * n + i, sc);
  };
  // Pairs between two documents the memory knows come from it; the rest are scored.
  c.remembered(keep);
  const fresh: Array<[number, number, PairScore]> = [];
  const found = (a: number, b: number, sc: PairScore) => {
    keep(a, b, sc);
    if (remembering && sc.score > 0 && sc.score >= floor) fresh.push([a, b, sc]);
  };
  const ev = (i: number) => {
    const d = docs[i]!;
    let e = evidence.get(d.hash);
    if (!e) evidence.set(d.hash, (e = evidenceOf(d.feats, d, ctx.ignored)));
    return e;
  };
  let scorer: PairScorer | undefined;
  const step = Math.max(1, Math.floor(n / 100));
  const fpSets = c.direct ? docs.map((d) => d.fpSet) : [];
  for (let a = 0; a < n; a++) {
    if (!c.scoreFrom[a]) {
      // Its pairs with unknown documents are scored from their side.
    } else if (c.direct) {
      const bs = candidatesOf(a, fpSets, ctx.capDocs, ctx.templateFp, (b) => (b > a || known[b]!) && allowed(Math.min(a, b), Math.max(a, b)));
      for (const b of bs) found(a, b, scorePair(ev(a), ev(b), ctx.ignored, s.weights));
      pairScored += bs.length;
    } else {
      scorer ??= new PairScorer(docs, { capDocs: ctx.capDocs, templateFp: ctx.templateFp, ignored: ctx.ignored, weights: s.weights, allowed }, postings.all());
      pairScored += scorer.scoreDoc(a, (b) => b > a || known[b]!, (b, sc) => found(a, b, sc));
    }
    if (onProgress && (a % step === 0 || a === n - 1)) onProgress({ phase: 'scoring', done: a + 1, total: n });
  }
  return { scores, highest, pairScored, fresh };
}

/**
 * The new scores into the pair memory; with `writeBack`, the memory persisted and the cache written
 * back and closed (sql.js would hold the databases in memory until the next run), first pruned to
 * `keepKeys` where given (a long-lived caller's cache keeps only what its inputs use now).
 */
export function storeScores(memory: PairMemory | undefined, cache: FeatureCache | undefined, docs: Doc[], fresh: Array<[number, number, PairScore]>,
  writeBack: boolean, keepKeys: Set<string> | undefined): void {
  if (memory) {
    memory.update(docs.map((d) => d.hash), fresh);
    if (cache && writeBack) memory.persist(cache);
  }
  if (writeBack && keepKeys && cache) cache.prune(keepKeys);
  if (writeBack) cache?.release();
}

/**
 * Documents' evidence prepared for direct scoring, kept in `kept` from one quick update to the next
 * only: a full run drops it (after an edit it held thousands of documents' evidence, ~17 MB at 5,000
 * files, for the next edit's few pairs).
 */
export function evidenceMemo(kept: { evidence?: { ctx: string; map: Map<string, DocEvidence> } } | undefined, ctx: string, quick: boolean): Map<string, DocEvidence> {
  const map = quick && kept?.evidence?.ctx === ctx ? kept.evidence.map : new Map<string, DocEvidence>();
  if (kept) kept.evidence = quick ? { ctx, map } : undefined;
  return map;
}
