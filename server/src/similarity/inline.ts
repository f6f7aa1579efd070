// Extract-function robustness: a statement that only calls a function of the same file, which is
// defined once and called nowhere else, is replaced by that function's body in the light tree, so the
// caller's control-flow graph and def-use edges read as if the code had never been moved out. The
// callee then gets no graph of its own. Recursive calls are left alone. Syntax-tree evidence (subtrees,
// k-grams) is not touched: moved code still matches there.
import type { DefUse, Extracted, LightNode } from './extracted';
import { R_BLOCK, R_FUNCTION, R_LOOP } from './kinds';

/** Inlines single-use same-file callees; returns how many call sites were replaced. */
export function inlineCalls(x: Extracted): number {
  const fns = new Map<string, LightNode | null>(); // null: defined more than once (overloads)
  const sites: LightNode[] = [];
  const stack: LightNode[] = [x.root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.role & R_FUNCTION && n.name !== undefined) fns.set(n.name, fns.has(n.name) ? null : n);
    if (n.callee !== undefined) sites.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  let count = 0;
  for (const s of sites) {
    const g = fns.get(s.callee!);
    if (!g || g.inlined || x.calls.get(s.callee!) !== 1 || !s.parent) continue;
    const body = g.children.find((c) => c.field === x.fields.body && c.role & R_BLOCK);
    if (!body) continue;
    let recursive = false;
    for (let p: LightNode | null = s.parent; p; p = p.parent) if (p === g) recursive = true;
    if (recursive) continue;
    const parent = s.parent;
    parent.children[parent.children.indexOf(s)] = body;
    body.parent = parent;
    body.field = s.field;
    g.children = g.children.filter((c) => c !== body);
    g.inlined = true;
    count++;
  }
  if (count > 0) renumber(x);
  return count;
}

/**
 * Events in the new tree order (a node's own events, then its children's), fresh pre/post numbers and
 * loop event ranges, as the walk would have produced for the inlined code.
 */
function renumber(x: Extracted): void {
  const byUnit = new Map<LightNode, DefUse[]>();
  for (const e of x.events) {
    let l = byUnit.get(e.unit);
    if (!l) byUnit.set(e.unit, (l = []));
    l.push(e);
  }
  const events: DefUse[] = [];
  const loops: Extracted['loops'] = [];
  const loopStart = new Map<LightNode, number>();
  let order = 0;
  const stack: Array<[LightNode, boolean]> = [[x.root, false]];
  while (stack.length > 0) {
    const [n, leaving] = stack.pop()!;
    if (leaving) {
      n.post = order++;
      if (n.role & R_LOOP) loops.push([n, loopStart.get(n)!, events.length]);
      continue;
    }
    n.pre = order++;
    if (n.role & R_LOOP) loopStart.set(n, events.length);
    const own = byUnit.get(n);
    if (own) for (const e of own) events.push(e);
    stack.push([n, true]);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i]!, false]);
  }
  x.events = events;
  x.loops = loops;
}
