// Stage 6, judge: each kept pair against the background of this run (significance.ts); the report
// rule decides which pairs are reported.
import type { ReportRule } from '../../../../protocol/report';
import { backgroundOf, isReported, nearCopyGroups, reportRule, significanceOf, standoutOf } from '../significance';
import type { PairScore } from '../score';
import type { Doc } from './types';

export interface Judged {
  /** Kept pairs as [i, j, score], in pair-id order (ties come out the same however the scores were reached). */
  strong: Array<[number, number, number]>;
  rule: ReportRule;
  /** Reported pairs by id (i * n + j). */
  reported: Set<number>;
  significance: (i: number, j: number, score: number) => number | undefined;
  /** Score over each document's next-best partner (decides pairs below the rule's floor). */
  standout: (i: number, j: number, score: number) => number | undefined;
}

export function judge(docs: Doc[], scores: Map<number, PairScore>, minScore: number, cross: boolean): Judged {
  const n = docs.length;
  const strong: Array<[number, number, number]> = [...scores.keys()].sort((x, y) => x - y).map((id) => [Math.floor(id / n), id % n, scores.get(id)!.score]);
  const groupOf = nearCopyGroups(n, strong);
  const inputs = docs.map((d) => d.input);
  const archived = docs.map((d) => d.archive);
  const partners = partnersPerDoc(inputs, cross, archived);
  const partnersOutsideGroup = partnersPerDoc(inputs, cross, archived, groupOf);
  const rule = reportRule(minScore, partners.reduce((a, b) => a + b, 0) / 2);
  const bg = backgroundOf(n, strong, partnersOutsideGroup, groupOf);
  const significance = (i: number, j: number, s: number) => significanceOf(bg, i, j, s);
  const standout = (i: number, j: number, s: number) => standoutOf(bg, i, j, s);
  const reported = new Set<number>();
  for (const [i, j, s] of strong) if (isReported(s, significance(i, j, s), rule, s < rule.floor ? standout(i, j, s) : undefined)) reported.add(i * n + j);
  return { strong, rule, reported, significance, standout };
}

/**
 * How many documents each document may be paired with (all others; with `cross`, those of other
 * inputs; an archived one, only the inputs' documents), less those in its own group of near-copies
 * when `groupOf` is given.
 */
function partnersPerDoc(inputs: number[], cross: boolean, archived: boolean[], groupOf?: Int32Array): Int32Array {
  const n = inputs.length;
  const count = (key: (d: number) => string, only?: (d: number) => boolean) => {
    const m = new Map<string, number>();
    for (let d = 0; d < n; d++) if (!only || only(d)) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
    return (d: number) => m.get(key(d)) ?? 0;
  };
  const fresh = archived.filter((a) => !a).length;
  const input = cross ? count((d) => `${inputs[d]}`) : () => 1;
  const group = groupOf ? count((d) => `${groupOf[d]}`) : () => 1;
  const both = groupOf && cross ? count((d) => `${groupOf[d]}:${inputs[d]}`) : () => 1;
  const freshInGroup = groupOf ? count((d) => `${groupOf[d]}`, (d) => !archived[d]) : () => 0;
  // An archived document pairs only with fresh ones; a fresh one with all others (cross: other inputs).
  // Allowed partners inside the group: group(d) − both(d) for a fresh one, the group's fresh for an archived one.
  return Int32Array.from(inputs, (_, d) =>
    Math.max(0, archived[d] ? fresh - freshInGroup(d) : n - input(d) - (groupOf ? group(d) - both(d) : 0)),
  );
}
