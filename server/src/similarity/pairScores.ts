// Exact pair scores of one document against all its candidates at once, from the postings of its
// keys instead of pairwise merges: shared fingerprints, edges and subtrees are counted per partner
// in arrays reused across documents. Gives the same numbers as `scorePair` (same counts, same
// `finishScore`), about an order of magnitude faster, and never holds all pairs in memory.
import { partners, Postings } from './candidates';
import type { FileFeatures } from './features';
import { finishScore, jaccardOfCounts, type Ignored, type PairScore, type Weights } from './score';
import { lowerBound } from './hash';

/** What the scorer needs of a document (a file, or a submission's files). */
export interface ScorerDoc {
  feats: FileFeatures[];
  astSet: Float64Array;
  fpSet: Float64Array;
  cfg: Float64Array;
  df: Float64Array;
}

export interface ScorerOptions {
  /** Keys in more than this many documents propose no pairs. */
  capDocs: number;
  /** Template fingerprints (they propose no pairs). */
  templateFp: Set<number>;
  ignored: Ignored;
  weights: Weights;
  allowed: (i: number, j: number) => boolean;
}

/** Postings of the four evidence sets, when the caller has built them already. */
export interface EvidencePostings { fp: Postings; ast: Postings; cfg: Postings; df: Postings }

export const ZERO: PairScore = { score: 0, ast: 0, cfg: 0, dataflow: 0 };

export class PairScorer {
  readonly fp: Postings;
  private readonly ast: Postings;
  private readonly cfgP: Postings;
  private readonly dfP: Postings;
  private readonly templateFp: Uint8Array;
  private readonly ignFp: Uint8Array;
  private readonly ignAst: Uint8Array;
  private readonly ignCfg: Uint8Array;
  private readonly ignDf: Uint8Array;
  /** Occurrences of each posting's key in its document's fingerprints. */
  private readonly fpOccAt: Int32Array;
  /** The same per document, aligned with its fingerprint set. */
  private readonly fpOcc: Int32Array[];
  /** Per document, per file: the ast key id of each tracked node. */
  private readonly trackedKids: Int32Array[][];
  readonly effectiveTotal: Int32Array;
  readonly fpTotal: Int32Array;
  private readonly cfgKept: Int32Array;
  private readonly dfKept: Int32Array;
  // Per-partner counters, valid where stamp[b] === the document being scored.
  private readonly stamp: Int32Array;
  private readonly shared: Int32Array;
  private readonly fpAcc: Int32Array;
  private readonly covAB: Int32Array;
  private readonly skip: Int32Array;
  private readonly cfgAcc: Int32Array;
  private readonly dfAcc: Int32Array;
  private readonly touched: Int32Array;
  private readonly keyStamp: Int32Array;

  constructor(private readonly docs: ScorerDoc[], private readonly o: ScorerOptions, built: Partial<EvidencePostings> = {}) {
    const n = docs.length;
    this.fp = built.fp ?? new Postings(docs.map((d) => d.fpSet));
    this.ast = built.ast ?? new Postings(docs.map((d) => d.astSet));
    this.cfgP = built.cfg ?? new Postings(docs.map((d) => d.cfg));
    this.dfP = built.df ?? new Postings(docs.map((d) => d.df));
    this.templateFp = this.fp.flags(o.templateFp);
    this.ignFp = this.fp.flags(o.ignored.fp);
    this.ignAst = this.ast.flags(o.ignored.ast);
    this.ignCfg = this.cfgP.flags(o.ignored.cfg);
    this.ignDf = this.dfP.flags(o.ignored.df);
    const occ = docs.map((d) => occurrences(d));
    this.fpOcc = occ;
    this.fpOccAt = this.fp.alongPostings(occ);
    this.fpTotal = Int32Array.from(docs, (_, d) => {
      let t = 0;
      const kids = this.fp.kidsOf[d]!;
      const o = occ[d]!;
      for (let i = 0; i < kids.length; i++) if (!this.ignFp[kids[i]!]) t += o[i]!;
      return t;
    });
    // A tracked hash's key id: its place in the document's own sorted set, then that element's id (the
    // same id as a search of all keys, which at 100,000 archived files missed the cache on every step).
    this.trackedKids = docs.map((d, x) => {
      const kids = this.ast.kidsOf[x]!;
      return d.feats.map((f) => {
        const hs = f.tracked.hash;
        const out = new Int32Array(hs.length);
        for (let i = 0; i < hs.length; i++) out[i] = kids[lowerBound(d.astSet, hs[i]!)]!;
        return out;
      });
    });
    this.effectiveTotal = Int32Array.from(docs, (d, x) => d.feats.reduce((s, f, i) => s + this.effective(f, this.trackedKids[x]![i]!), 0));
    const kept = (p: Postings, ign: Uint8Array) => Int32Array.from(p.kidsOf, (kids) => kids.reduce((s, k) => s + (ign[k] ? 0 : 1), 0));
    this.cfgKept = kept(this.cfgP, this.ignCfg);
    this.dfKept = kept(this.dfP, this.ignDf);
    this.stamp = new Int32Array(n).fill(-1);
    this.shared = new Int32Array(n);
    this.fpAcc = new Int32Array(n);
    this.covAB = new Int32Array(n);
    this.skip = new Int32Array(n);
    this.cfgAcc = new Int32Array(n);
    this.dfAcc = new Int32Array(n);
    this.touched = new Int32Array(n).fill(-1);
    this.keyStamp = new Int32Array(this.ast.keys.length).fill(-1);
  }

  /** Nodes of a file outside ignored subtrees (as `effectiveTotal` in score.ts). */
  private effective(f: FileFeatures, kids: Int32Array): number {
    const t = f.tracked;
    let removed = 0;
    let i = 0;
    while (i < kids.length) {
      if (this.ignAst[kids[i]!]) {
        removed += t.size[i]!;
        i = t.next[i]!;
      } else i++;
    }
    return Math.max(0, f.total - removed);
  }

  /**
   * Scores document `a` against each candidate partner b accepted by `want` (b ≠ a, allowed):
   * `emit(b, score)` once per candidate; pairs that are not candidates score 0.
   */
  scoreDoc(a: number, want: (b: number) => boolean, emit: (b: number, s: PairScore) => void): number {
    const { stamp, fpAcc, covAB, skip, cfgAcc, dfAcc, touched } = this;
    const cands = partners(this.fp, a, this.o.capDocs, this.templateFp, (b) => want(b) && this.o.allowed(Math.min(a, b), Math.max(a, b)), stamp, this.shared);
    if (cands.length === 0) return 0;
    for (const b of cands) {
      fpAcc[b] = covAB[b] = skip[b] = cfgAcc[b] = dfAcc[b] = 0;
    }
    // Shared fingerprint occurrences, both sides, over keys that are not ignored.
    const fp = this.fp;
    const fpKids = fp.kidsOf[a]!;
    for (let i = 0; i < fpKids.length; i++) {
      const k = fpKids[i]!;
      if (this.ignFp[k] || fp.df(k) < 2) continue;
      const occA = this.fpOcc[a]![i]!;
      for (let x = fp.start[k]!, end = fp.start[k + 1]!; x < end; x++) {
        const b = fp.docs[x]!;
        if (stamp[b] === a && b !== a) fpAcc[b]! += occA + this.fpOccAt[x]!;
      }
    }
    // Edges kept on both sides.
    count(this.cfgP, this.ignCfg, a, stamp, cfgAcc);
    count(this.dfP, this.ignDf, a, stamp, dfAcc);
    // Partners with any not-ignored subtree key of a (only they can cover a's subtrees or be covered).
    const ast = this.ast;
    let anyTouched = false;
    for (const k of ast.kidsOf[a]!) {
      if (this.ignAst[k]) continue;
      for (let x = ast.start[k]!, end = ast.start[k + 1]!; x < end; x++) {
        const b = ast.docs[x]!;
        if (stamp[b] === a && b !== a) {
          touched[b] = a;
          anyTouched = true;
        }
      }
    }
    if (anyTouched) {
      // a's maximal subtrees found in each partner: walk a's visible nodes once, each partner skips
      // the inside of what it already covered (positions are global over a's files, in preorder).
      let off = 0;
      this.docs[a]!.feats.forEach((f, fi) => {
        const kids = this.trackedKids[a]![fi]!;
        const t = f.tracked;
        let i = 0;
        while (i < kids.length) {
          const k = kids[i]!;
          if (this.ignAst[k]) {
            i = t.next[i]!;
            continue;
          }
          for (let x = ast.start[k]!, end = ast.start[k + 1]!; x < end; x++) {
            const b = ast.docs[x]!;
            if (touched[b] === a && b !== a && off + i >= skip[b]!) {
              covAB[b]! += t.size[i]!;
              skip[b] = off + t.next[i]!;
            }
          }
          i++;
        }
        off += kids.length;
      });
      for (const k of ast.kidsOf[a]!) this.keyStamp[k] = a;
    }
    const ea = this.effectiveTotal[a]!;
    const fa = this.fpTotal[a]!;
    for (const b of cands) {
      let cov = covAB[b]!;
      if (touched[b] === a) cov += this.coveredBy(b, a);
      const s = finishScore(cov, ea + this.effectiveTotal[b]!, fpAcc[b]!, fa + this.fpTotal[b]!,
        jaccardOfCounts(cfgAcc[b]!, this.cfgKept[a]!, this.cfgKept[b]!), jaccardOfCounts(dfAcc[b]!, this.dfKept[a]!, this.dfKept[b]!), this.o.weights);
      emit(b, s);
    }
    return cands.length;
  }

  /** Nodes of b's files inside maximal subtrees whose key a has (keyStamp marks a's keys). */
  private coveredBy(b: number, a: number): number {
    let cov = 0;
    this.docs[b]!.feats.forEach((f, fi) => {
      const kids = this.trackedKids[b]![fi]!;
      const t = f.tracked;
      let i = 0;
      while (i < kids.length) {
        const k = kids[i]!;
        if (this.ignAst[k]) i = t.next[i]!;
        else if (this.keyStamp[k] === a) {
          cov += t.size[i]!;
          i = t.next[i]!;
        } else i++;
      }
    });
    return cov;
  }
}

/** Adds 1 to acc[b] for each not-ignored key a shares with a stamped partner b. */
function count(p: Postings, ign: Uint8Array, a: number, stamp: Int32Array, acc: Int32Array): void {
  for (const k of p.kidsOf[a]!) {
    if (ign[k]) continue;
    for (let x = p.start[k]!, end = p.start[k + 1]!; x < end; x++) {
      const b = p.docs[x]!;
      if (stamp[b] === a && b !== a) acc[b]!++;
    }
  }
}

/** Occurrences of each key of the document's sorted fingerprint set in its files' fingerprints. */
function occurrences(d: ScorerDoc): Int32Array {
  const out = new Int32Array(d.fpSet.length);
  for (const f of d.feats) {
    for (const h of f.fp.hash) out[lowerBound(d.fpSet, h)]!++;
  }
  return out;
}
