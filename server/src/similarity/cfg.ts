// Control-flow graphs per function, built from the light statement tree. Consecutive simple statements
// form one basic block labelled by the multiset of their shapes (names ignored), so renaming and
// reordering inside a block leave the graph unchanged; edges are compared as a set of
// (label, kind, label) keys.
import { combine, combineUnordered } from './hash';
import type { Extracted, LightNode } from './extract';
import {
  R_BLOCK, R_BREAK, R_CASE, R_CATCH, R_CONTINUE, R_CONTROL, R_DO, R_ELSE, R_FINALLY, R_FUNCTION, R_IF, R_INFINITE,
  R_LOOP, R_RETURN, R_SWITCH, R_THROW, R_TRY, R_WRAPPER,
} from './kinds';

export type CfgNodeKind = 'entry' | 'exit' | 'block' | 'if' | 'loop' | 'do' | 'switch' | 'case' | 'try' | 'catch' | 'finally' | 'return' | 'throw';
export type CfgEdgeKind = 'seq' | 'true' | 'false' | 'back' | 'continue' | 'break' | 'case' | 'nomatch' | 'exception' | 'return' | 'throw';

export interface CfgNode {
  kind: CfgNodeKind;
  /** Shapes of the statements of a block (empty for other kinds). */
  shapes: number[];
  line: number;
}

export interface Cfg {
  /** Line of the function (zero-based); -1 for top-level code. */
  line: number;
  nodes: CfgNode[];
  edges: Array<{ from: number; to: number; kind: CfgEdgeKind }>;
}

interface Pred { from: number; kind: CfgEdgeKind }

/** Deeper nesting than this is treated as one opaque statement: bounds the builder's recursion. */
const MAX_NESTING = 120;

const EDGE_CODE: Record<CfgEdgeKind, number> = {
  seq: 1, true: 2, false: 2, back: 3, continue: 3, break: 4, case: 5, nomatch: 6, exception: 7, return: 8, throw: 9,
};

export function buildCfgs(x: Extracted): Cfg[] {
  const out: Cfg[] = [];
  const program = x.root.children[0];
  if (program) out.push(buildOne(x, program, -1, program.children));
  // Every function-like node gets its own graph; nested functions are found by an explicit-stack scan.
  const stack: LightNode[] = [x.root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    if (n.role & R_FUNCTION) {
      const body = n.children.find((c) => c.field === x.fields.body);
      out.push(buildOne(x, n, n.line, body ? [body] : []));
    }
  }
  return out;
}

function buildOne(x: Extracted, _owner: LightNode, line: number, body: LightNode[]): Cfg {
  const F = x.fields;
  const names = x.table.names;
  const nodes: CfgNode[] = [];
  const edges: Cfg['edges'] = [];
  const loops: Array<{ head: number; breaks: Pred[] }> = [];
  const breakables: Array<{ breaks: Pred[]; loop: boolean }> = [];
  let open = -1; // the block still accepting statements

  const add = (kind: CfgNodeKind, ln: number): number => {
    nodes.push({ kind, shapes: [], line: ln });
    return nodes.length - 1;
  };
  const connect = (preds: Pred[], to: number, kind?: CfgEdgeKind) => {
    for (const p of preds) edges.push({ from: p.from, to, kind: kind ?? p.kind });
  };
  const entry = add('entry', line);
  const exit = add('exit', line);

  const statementsOf = (n: LightNode): LightNode[] => n.children.filter((c) => !isLabel(c));
  const isLabel = (c: LightNode): boolean => {
    const nm = names[c.type] ?? '';
    if (nm.includes('label') || nm.includes('pattern')) return true;
    if (c.parent && c.parent.role & R_CASE && names[c.parent.type] !== 'match_arm' && c.field === F.value) return true;
    return false;
  };

  function simple(s: LightNode, preds: Pred[]): Pred[] {
    if (preds.length === 1 && preds[0]!.from === open && preds[0]!.kind === 'seq') {
      nodes[open]!.shapes.push(s.shape);
      return preds;
    }
    const b = add('block', s.line);
    nodes[b]!.shapes.push(s.shape);
    connect(preds, b);
    open = b;
    return [{ from: b, kind: 'seq' }];
  }

  function seq(list: LightNode[], preds: Pred[], depth: number): Pred[] {
    for (const s of list) preds = stmt(s, preds, depth);
    return preds;
  }

  function stmt(s: LightNode, preds: Pred[], depth: number): Pred[] {
    const r = s.role;
    if (depth > MAX_NESTING) return simple(s, preds);
    // Expression statements wrapping a control construct (Rust `if`, `match`, `return` as expressions).
    if (!(r & (R_CONTROL | R_BLOCK)) && s.children.length === 1 && s.children[0]!.role & R_CONTROL && !(s.children[0]!.role & R_FUNCTION)) {
      return stmt(s.children[0]!, preds, depth + 1);
    }
    if (r & R_FUNCTION) return simple(s, preds);
    if (r & R_BLOCK || r & R_ELSE || r & R_WRAPPER) return seq(statementsOf(s), preds, depth + 1);
    if (r & R_IF) {
      const [exits, pending] = ifNode(s, preds, depth);
      return [...exits, ...pending];
    }
    if (r & R_LOOP) return loop(s, preds, depth);
    if (r & R_SWITCH) return switchNode(s, preds, depth);
    if (r & R_TRY) return tryNode(s, preds, depth);
    if (r & (R_RETURN | R_THROW)) {
      const kind = r & R_RETURN ? 'return' : 'throw';
      const n = add(kind, s.line);
      connect(preds, n);
      edges.push({ from: n, to: exit, kind });
      open = -1;
      return [];
    }
    if (r & R_BREAK) {
      const target = breakables[breakables.length - 1];
      if (target) for (const p of preds) target.breaks.push({ from: p.from, kind: 'break' });
      open = -1;
      return [];
    }
    if (r & R_CONTINUE) {
      const target = loops[loops.length - 1];
      if (target) connect(preds, target.head, 'continue');
      open = -1;
      return [];
    }
    return simple(s, preds);
  }

  /** Returns the exits of the taken branches and the edges leaving when no branch is taken. */
  function ifNode(s: LightNode, preds: Pred[], depth: number): [Pred[], Pred[]] {
    const n = add('if', s.line);
    connect(preds, n);
    open = -1;
    const cons = s.children.find((c) => c.field === F.consequence);
    const exits: Pred[] = cons ? stmt(cons, [{ from: n, kind: 'true' }], depth + 1) : [{ from: n, kind: 'true' }];
    let pending: Pred[] = [{ from: n, kind: 'false' }];
    for (const alt of s.children.filter((c) => c.field === F.alternative)) {
      open = -1;
      if (alt.role & R_IF) {
        const [e, p] = ifNode(alt, pending, depth + 1);
        exits.push(...e);
        pending = p;
      } else {
        exits.push(...stmt(alt, pending, depth + 1));
        pending = [];
      }
    }
    open = -1;
    return [exits, pending];
  }

  function loop(s: LightNode, preds: Pred[], depth: number): Pred[] {
    // A for loop's initializer runs once before the head and its update at the end of the body,
    // so `for (init; c; u) body` and `init; while (c) { body; u; }` give the same graph.
    const clause = s.children.find((c) => c.role & R_WRAPPER) ?? s;
    const init = clause.children.find((c) => c.field === F.initializer);
    const update = clause.children.find((c) => c.field === F.update);
    if (init) preds = simple(init, preds);
    const head = add(s.role & R_DO ? 'do' : 'loop', s.line);
    connect(preds, head);
    open = -1;
    const ctx = { head, breaks: [] as Pred[] };
    loops.push(ctx);
    breakables.push({ breaks: ctx.breaks, loop: true });
    const body = s.children.find((c) => c.field === F.body);
    let exits = body ? stmt(body, [{ from: head, kind: 'true' }], depth + 1) : [{ from: head, kind: 'true' as CfgEdgeKind }];
    if (update && exits.length > 0) exits = simple(update, exits);
    connect(exits, head, 'back');
    loops.pop();
    breakables.pop();
    open = -1;
    const out: Pred[] = s.role & R_INFINITE ? [] : [{ from: head, kind: 'false' }];
    return [...out, ...ctx.breaks];
  }

  function casesOf(s: LightNode): LightNode[] {
    const found: LightNode[] = [];
    const stack = [...s.children].reverse();
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (c.role & R_CASE) found.push(c);
      else if (c.role & (R_WRAPPER | R_BLOCK)) for (let i = c.children.length - 1; i >= 0; i--) stack.push(c.children[i]!);
    }
    return found;
  }

  function switchNode(s: LightNode, preds: Pred[], depth: number): Pred[] {
    const sw = add('switch', s.line);
    connect(preds, sw);
    const ctx = { breaks: [] as Pred[], loop: false };
    breakables.push(ctx);
    const exits: Pred[] = [];
    let fall: Pred[] = [];
    let hasDefault = false;
    for (const c of casesOf(s)) {
      open = -1;
      hasDefault ||= c.isDefault;
      const cn = add('case', c.line);
      edges.push({ from: sw, to: cn, kind: 'case' });
      connect(fall, cn);
      const ex = seq(statementsOf(c), [{ from: cn, kind: 'seq' }], depth + 1);
      const fallsThrough = x.table.fallthrough && names[c.type] !== 'switch_rule';
      if (fallsThrough) fall = ex;
      else exits.push(...ex);
    }
    breakables.pop();
    open = -1;
    exits.push(...fall, ...ctx.breaks);
    if (!hasDefault) exits.push({ from: sw, kind: 'nomatch' });
    return exits;
  }

  function tryNode(s: LightNode, preds: Pred[], depth: number): Pred[] {
    const t = add('try', s.line);
    connect(preds, t);
    open = -1;
    const body = s.children.find((c) => c.field === F.body);
    let exits = body ? stmt(body, [{ from: t, kind: 'seq' }], depth + 1) : [{ from: t, kind: 'seq' as CfgEdgeKind }];
    // Python's try/else runs after a body that raised nothing.
    const orElse = s.children.find((c) => c.role & R_ELSE);
    if (orElse) exits = stmt(orElse, exits, depth + 1);
    for (const h of s.children.filter((c) => c.role & R_CATCH)) {
      open = -1;
      const hn = add('catch', h.line);
      edges.push({ from: t, to: hn, kind: 'exception' });
      const blocks = h.children.filter((c) => c.role & R_BLOCK);
      exits.push(...seq(blocks, [{ from: hn, kind: 'seq' }], depth + 1));
    }
    const fin = s.children.find((c) => c.role & R_FINALLY);
    if (fin) {
      open = -1;
      const fn = add('finally', fin.line);
      connect(exits, fn);
      edges.push({ from: t, to: fn, kind: 'exception' });
      exits = seq(fin.children.filter((c) => c.role & R_BLOCK), [{ from: fn, kind: 'seq' }], depth + 1);
    }
    open = -1;
    return exits;
  }

  let preds: Pred[] = [{ from: entry, kind: 'seq' }];
  for (const b of body) {
    // A lambda with an expression body is one statement.
    preds = b.role & (R_BLOCK | R_CONTROL) ? stmt(b, preds, 0) : simple(b, preds);
  }
  connect(preds, exit);
  return { line, nodes, edges };
}

/** Normalized label of a node: its kind, and for blocks the multiset of statement shapes. */
function nodeLabel(n: CfgNode): number {
  return n.kind === 'block' ? combineUnordered(n.shapes, 11) : combine(KIND_CODE[n.kind]);
}

const KIND_CODE: Record<CfgNodeKind, number> = {
  entry: 1, exit: 2, block: 3, if: 4, loop: 5, do: 6, switch: 7, case: 8, try: 9, catch: 10, finally: 11, return: 12, throw: 13,
};

/**
 * Edge keys of all graphs of a file. `true`/`false` share one code so that negating a condition
 * and swapping the branches gives the same set.
 */
export function cfgEdgeKeys(cfgs: Cfg[]): number[] {
  const keys: number[] = [];
  for (const g of cfgs) {
    const labels = g.nodes.map(nodeLabel);
    for (const e of g.edges) keys.push(combine(labels[e.from]!, EDGE_CODE[e.kind], labels[e.to]!));
  }
  return keys;
}
