// Common code: evidence that many *independent* documents share (boilerplate, the obvious way to read
// input) says nothing about copying and is left out of the scores. It is counted in groups of
// near-copies (candidates.ts), so the copies of one source, however many, count once and keep their
// evidence; and only evidence in more than max(COMMON_MIN_GROUPS, share × groups) groups is common,
// so small folders keep all of theirs (MOSS's rule: passages in more than 10 programs).
//
// Near-copies are found twice: by shared fingerprints while indexing (cheap, but a copy with a dead
// statement in every function shares few winnowed k-grams with its source: Dice ~0.1 in the tests),
// and, up to GROUP_PASS_MAX_DOCS documents, by a first scoring pass with only the template left out
// (pairs at GROUP_SCORE or more). The first pass costs one more scoring of the candidates (SOCO Java:
// +0.2 s of 3.4 s); above that size the fingerprint groups alone are used.
import { commonKeys, type IndexResult, type Postings } from './candidates';
import { clustersOf } from './clusters';
import type { Ignored } from './score';

/** Evidence in this many groups or fewer is never common. */
export const COMMON_MIN_GROUPS = 10;

import type { CommonInfo } from '../../../protocol/report';

export type { CommonInfo };

/** Pairs scoring at least this in the first pass are near-copies (the default cluster threshold is 0.75). */
export const GROUP_SCORE = 0.7;
/** The first pass runs on inputs of up to this many documents (classes; not whole workspaces). */
export const GROUP_PASS_MAX_DOCS = 1000;

/** The index's groups merged with the first pass's near-copies (`pairs`: [i, j, score] at or above GROUP_SCORE). */
export function regroup(index: IndexResult, pairs: Array<[number, number, number]>): IndexResult {
  if (pairs.length === 0) return index;
  const n = index.groupOf.length;
  // Each index group is joined into one chain so both kinds of links count.
  const links: Array<[number, number, number]> = [...pairs];
  const firstOf = new Map<number, number>();
  for (let d = 0; d < n; d++) {
    const g = index.groupOf[d]!;
    const f = firstOf.get(g);
    if (f === undefined) firstOf.set(g, d);
    else links.push([f, d, 1]);
  }
  const groupOf = new Int32Array(n).fill(-1);
  let g = 0;
  for (const c of clustersOf(n, links, GROUP_SCORE)) {
    for (const m of c.members) groupOf[m] = g;
    g++;
  }
  for (let d = 0; d < n; d++) if (groupOf[d]! < 0) groupOf[d] = g++;
  return { candidates: index.candidates, groupOf, groupCount: g };
}

const counts = (i: Ignored) => ({ ast: i.ast.size, fingerprints: i.fp.size, cfg: i.cfg.size, dataflow: i.df.size });

/**
 * Adds common keys to `ignored` (which holds the template's on entry) and says what was done.
 * `share` ≤ 0 turns the filter off.
 */
export function commonEvidence(index: IndexResult, n: number, share: number, minGroups: number, ignored: Ignored,
  postings: { fp: Postings; of: (kind: 'ast' | 'cfg' | 'df') => Postings }): CommonInfo {
  const template = counts(ignored);
  const sizes = new Map<number, number>();
  for (const g of index.groupOf) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const largest = Math.max(0, ...sizes.values());
  const maxGroups = share > 0 ? Math.max(minGroups, Math.floor(share * index.groupCount)) : 0;
  const added = { ast: new Set<number>(), fp: new Set<number>(), cfg: new Set<number>(), df: new Set<number>() };
  if (share > 0 && index.groupCount > maxGroups) {
    const add = (into: Set<number>, mine: Set<number>, p: Postings) => {
      for (const k of commonKeys(p, index.groupOf, maxGroups)) {
        if (!into.has(k)) mine.add(k);
        into.add(k);
      }
    };
    add(ignored.ast, added.ast, postings.of('ast'));
    add(ignored.fp, added.fp, postings.fp);
    add(ignored.cfg, added.cfg, postings.of('cfg'));
    add(ignored.df, added.df, postings.of('df'));
  }
  return {
    rule: share > 0
      ? `evidence in more than max(${minGroups}, ${share} × ${index.groupCount} groups) = ${maxGroups} groups of near-copies is common`
      : 'off (--common-share 0): only template evidence is left out',
    documents: n, groups: index.groupCount, largest_group: largest, max_groups: maxGroups,
    ignored: counts(added), template,
  };
}
