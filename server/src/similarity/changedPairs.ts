// Pairs of a few changed documents against all others, by direct merges of sorted key sets: what an
// edit needs, without building postings of the whole workspace (that costs a second at 5,000 files;
// this costs milliseconds per changed document plus its pair scores, which `scorePair` gives with
// the same numbers as the postings scorer).
import type { FileFeatures } from './features';
import { effectiveTotal, prepare, type DocEvidence, type Ignored } from './score';

/**
 * Candidate partners of document `c` among those `want` accepts: documents sharing a fingerprint key
 * that is in 2..capDocs documents and not from the template (the index's rule, candidates.ts).
 */
export function candidatesOf(c: number, fpSets: Float64Array[], capDocs: number, templateFp: Set<number>, want: (b: number) => boolean): number[] {
  const keys = fpSets[c]!;
  const df = new Int32Array(keys.length).fill(1);
  const sharing: Array<[number, number[]]> = [];
  for (let b = 0; b < fpSets.length; b++) {
    if (b === c) continue;
    const other = fpSets[b]!;
    let i = 0;
    let j = 0;
    let shared: number[] | undefined;
    while (i < keys.length && j < other.length) {
      const x = keys[i]!;
      const y = other[j]!;
      if (x === y) {
        df[i]!++;
        (shared ??= []).push(i);
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
    if (shared && want(b)) sharing.push([b, shared]);
  }
  const proposes = (k: number) => df[k]! <= capDocs && !templateFp.has(keys[k]!);
  return sharing.filter(([, ks]) => ks.some(proposes)).map(([b]) => b);
}

/** A document's evidence prepared for `scorePair` under one ignored set (kept per context by the caller). */
export function evidenceOf(feats: FileFeatures[], sets: { astSet: Float64Array; fpSet: Float64Array; cfg: Float64Array; df: Float64Array }, ignored: Ignored): DocEvidence {
  const e: DocEvidence = {
    files: feats, astSet: sets.astSet, fpSet: sets.fpSet, cfg: sets.cfg, df: sets.df,
    effectiveTotal: feats.reduce((s, f) => s + effectiveTotal(f, ignored.ast), 0), fpTotal: 0,
  };
  prepare(e, ignored);
  return e;
}
