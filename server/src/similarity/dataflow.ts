// Def-use edges between normalized statements. Each name's reaching definitions are tracked in
// source order per function: a definition kills earlier ones only when it runs on every path that
// reaches them (same branch or an enclosing one), definitions in sibling branches both reach the
// merge, and uses early in a loop body also see definitions later in the same body (loop-carried).
// Edges are keyed by the two statements' structure hashes (and, beside them, their shallow shapes), so
// renaming and reordering independent statements leave the set unchanged.
import { combine } from './hash';
import type { DefUse, Extracted, LightNode } from './extracted';
import { R_CASE, R_CATCH, R_ELSE, R_FINALLY, R_FUNCTION, R_IF, R_LOOP, R_SWITCH, R_TRY } from './kinds';

export interface DefUseEdge {
  def: LightNode;
  use: LightNode;
  name: string;
  loopCarried: boolean;
}

const BRANCHING = R_IF | R_ELSE | R_LOOP | R_CASE | R_CATCH | R_TRY | R_FINALLY | R_SWITCH;

/**
 * Bounds of the work per file. Definitions reaching one use (per name): sibling branches that all define
 * a name (a 20,000-branch else-if chain) used to make every later use read all of them. Edges in all:
 * with both caps a file's edges are at most uses x 64, so this last cap holds memory at tens of MB
 * for hostile input; ordinary files stay far below it (a 1 MB Java file of real code: ~100k).
 */
export const MAX_REACHING_DEFS = 64;
export const MAX_DEF_USE_EDGES = 400_000;

export interface DefUseResult {
  edges: DefUseEdge[];
  /** Set when a bound was hit: the edges are incomplete (and dead-code removal must not trust them). */
  note?: string;
}

export function defUseEdges(x: Extracted): DefUseResult {
  const F = x.fields;
  const branchFields = new Set([F.consequence, F.alternative, F.body]);
  const stops = (n: LightNode): boolean => {
    if (!n.parent || n.role & R_FUNCTION) return true;
    const p = n.parent;
    return !!(p.role & (R_CASE | R_ELSE | R_CATCH | R_FINALLY)) || !!(p.role & BRANCHING && branchFields.has(n.field));
  };
  /** The innermost node that may be skipped on some path: a branch, a loop body, a case, a handler. */
  const regionOf = memoUp(stops);
  const scope = memoUp((n) => !n.parent || !!(n.role & R_FUNCTION));
  const inside = (n: LightNode, region: LightNode) => n.pre >= region.pre && n.post <= region.post;

  const edges: DefUseEdge[] = [];
  let dropped = 0;
  let capped = false;
  const add = (def: LightNode, use: LightNode, name: string, loopCarried: boolean) => {
    if (edges.length < MAX_DEF_USE_EDGES) edges.push({ def, use, name, loopCarried });
    else dropped++;
  };
  // Reaching definitions per (scope, name).
  const reaching = new Map<LightNode, Map<string, LightNode[]>>();
  const ev = x.events;
  let i = 0;
  while (i < ev.length) {
    // Events of one statement: its uses read the definitions from before it (`x = x + 1`).
    let j = i;
    while (j < ev.length && ev[j]!.unit === ev[i]!.unit) j++;
    const unit = ev[i]!.unit;
    const sc = scope(unit);
    let names = reaching.get(sc);
    if (!names) reaching.set(sc, (names = new Map()));
    for (let k = i; k < j; k++) {
      const e = ev[k]!;
      if (!e.use) continue;
      for (const d of names.get(e.name) ?? []) add(d, unit, e.name, false);
    }
    for (let k = i; k < j; k++) {
      const e = ev[k]!;
      if (!e.def) continue;
      const region = regionOf(unit);
      const prev = names.get(e.name) ?? [];
      const kept = prev.filter((d) => d !== unit && !inside(d, region));
      kept.push(unit);
      // The most recent definitions are kept: they are the ones nearest the uses that follow.
      if (kept.length > MAX_REACHING_DEFS) {
        kept.shift();
        capped = true;
      }
      names.set(e.name, kept);
    }
    i = j;
  }
  // A pair carried around an inner loop is also carried around every loop enclosing it, in the same
  // order: only the outermost loops are walked (walking each of 5,000 nested loops was quadratic,
  // 12.5M edges and 2.4 GB for a 50 KB file). Loops come in post-order, so an outer loop follows
  // the loops inside it and its event range contains theirs.
  const outermost: Array<[number, number]> = [];
  for (const [, from, to] of x.loops) {
    while (outermost.length > 0 && outermost[outermost.length - 1]![0] >= from && outermost[outermost.length - 1]![1] <= to) outermost.pop();
    outermost.push([from, to]);
  }
  for (const [from, to] of outermost) loopCarried(ev, from, to, add);
  if (dropped > 0) return { edges, note: `data flow truncated: ${dropped} def-use edges over the limit of ${MAX_DEF_USE_EDGES} left out` };
  if (capped) return { edges, note: `data flow approximated: over ${MAX_REACHING_DEFS} definitions of one name reached one place; the latest were kept` };
  return { edges };
}

/**
 * The nearest ancestor-or-self for which `stop` holds, memoized for every node on the way up, so
 * nesting 50,000 deep costs one walk instead of one walk per statement.
 */
function memoUp(stop: (n: LightNode) => boolean): (n: LightNode) => LightNode {
  const memo = new Map<LightNode, LightNode>();
  const path: LightNode[] = [];
  return (start) => {
    let n = start;
    let hit = memo.get(n);
    while (!hit) {
      if (stop(n)) {
        hit = n;
        break;
      }
      path.push(n);
      n = n.parent!;
      hit = memo.get(n);
    }
    memo.set(n, hit);
    for (const p of path) memo.set(p, hit);
    path.length = 0;
    return hit;
  };
}

/** Uses in a loop that come before a definition of the same name later in the loop. */
function loopCarried(ev: DefUse[], from: number, to: number,
  add: (def: LightNode, use: LightNode, name: string, loopCarried: boolean) => void): void {
  const lastDef = new Map<string, LightNode[]>();
  // Walk backwards: definitions seen so far come later in the body than the current use.
  for (let k = to - 1; k >= from; k--) {
    const e = ev[k]!;
    if (e.use) {
      for (const d of lastDef.get(e.name) ?? []) if (d !== e.unit) add(d, e.unit, e.name, true);
    }
    if (e.def) {
      const l = lastDef.get(e.name) ?? [];
      if (l.length < MAX_REACHING_DEFS && !l.includes(e.unit)) l.push(e.unit);
      lastDef.set(e.name, l);
    }
  }
}

/**
 * Two keys per edge: the two statements' full structure hashes, and their shallow shapes (own node type
 * and its children's types), which survive edits deeper inside a statement (ConPlag data-flow AUC
 * 0.917 -> 0.928 with both; shapes alone lose too much on SOCO).
 */
export function dataflowKeys(edges: DefUseEdge[]): number[] {
  const keys: number[] = [];
  for (const e of edges) {
    keys.push(combine(e.def.hash, e.use.hash, e.loopCarried ? 1 : 0));
    keys.push(combine(e.def.shape, e.use.shape, e.loopCarried ? 3 : 2));
  }
  return keys;
}
