// Dead code, found from the def-use and control evidence, so that inserting it does not disguise a copy:
// statements after a return/throw/break/continue in the same list (unreachable), and statements whose
// results nothing observable depends on (an aggressive dead-code elimination over the light tree).
//
// A statement is observable when it has an effect (a call, a write through a field, element or
// pointer, a write to a name that is not local to its function or that a nested function reads, a
// jump) or is of a kind this pass does not model. Live code is the backward slice from those: the
// definitions reaching a live statement's uses (def-use edges, loop-carried ones included) and the
// control constructs enclosing it, with their headers (conditions, loop clauses, case labels), and
// the declarations of every name live code touches (so `int i;` stays while `i` is used; a dead store
// into a used variable goes, its declaration does not).
// Everything else inside a function is dead and is left out of every feature by a second walk.
import type { DefUseEdge } from './dataflow';
import { nodeKey, type Extracted, type LightNode } from './extracted';
import {
  R_BLOCK, R_BREAK, R_CASE, R_CATCH, R_CLASS, R_CONTINUE, R_ELSE, R_FINALLY, R_FUNCTION, R_IF, R_LOOP, R_RETURN, R_SWITCH,
  R_THROW, R_TRY, R_WRAPPER, X_STATEMENT,
} from './kinds';

const JUMPS = R_RETURN | R_THROW | R_BREAK | R_CONTINUE;
const CONSTRUCTS = R_IF | R_LOOP | R_SWITCH | R_TRY | R_CATCH;
/** Parts of a construct that are dropped whole when nothing in them is live. */
const PARTS = R_ELSE | R_CASE | R_CATCH | R_FINALLY;

export interface DeadCodeOptions {
  /** Every name a function assigns is local to it (Python), not only declared ones. */
  assignmentsDeclare: boolean;
}

/** `nodeKey`s of the maximal dead statements inside functions. */
export function deadStatements(x: Extracted, edges: DefUseEdge[], opts: DeadCodeOptions): Set<number> {
  const F = x.fields;
  const names = x.table.names;
  const aux = x.table.aux;
  const bodyFields = new Set([F.body, F.consequence, F.alternative]);

  // Scope (innermost function, or the root) of every light node, by an explicit-stack walk.
  const scopeOf = new Map<LightNode, LightNode>();
  const all: LightNode[] = [];
  const walk: Array<[LightNode, LightNode]> = [[x.root, x.root]];
  while (walk.length > 0) {
    const [n, outer] = walk.pop()!;
    const sc = n.role & R_FUNCTION ? n : outer;
    scopeOf.set(n, sc);
    all.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) walk.push([n.children[i]!, sc]);
  }
  // Statements of a function with a syntax error are never judged: the tree around them is a guess.
  const inFunction = (n: LightNode) => {
    const sc = scopeOf.get(n)!;
    return sc !== x.root && sc !== n && !sc.hasError;
  };

  // Names local to each function; names read where they are not local (fields, globals, captures).
  const locals = new Map<LightNode, Set<string>>();
  for (const e of x.events) {
    if (!(e.decl || (opts.assignmentsDeclare && e.def))) continue;
    const sc = scopeOf.get(e.unit)!;
    let s = locals.get(sc);
    if (!s) locals.set(sc, (s = new Set()));
    s.add(e.name);
  }
  const shared = new Set<string>();
  for (const e of x.events) {
    const sc = scopeOf.get(e.unit)!;
    const tn = names[e.unit.type] ?? '';
    if (tn === 'global_statement' || tn === 'nonlocal_statement') shared.add(e.name);
    else if (e.use && !locals.get(sc)?.has(e.name)) shared.add(e.name);
  }

  const isHeader = (c: LightNode): boolean => {
    const p = c.parent;
    if (!p) return false;
    if (p.role & R_CASE) {
      const nm = names[c.type] ?? '';
      return c.field === F.value || nm.includes('label') || nm.includes('pattern');
    }
    if (p.role & R_WRAPPER) return !!p.parent && !!(p.parent.role & R_LOOP) && !(c.role & R_CASE);
    if (!(p.role & CONSTRUCTS)) return false;
    if (bodyFields.has(c.field) || c.role & (R_BLOCK | PARTS)) return false;
    return !(c.role & R_WRAPPER) || !!(p.role & R_LOOP);
  };

  // Observable statements: the roots of the slice.
  const observable = new Set<LightNode>();
  for (const n of all) {
    if (!inFunction(n)) continue;
    const r = n.role;
    if (n.effect || r & (JUMPS | R_FUNCTION | R_CLASS)) observable.add(n);
    else if (!(r & (CONSTRUCTS | R_BLOCK | PARTS | R_WRAPPER)) && !(aux[n.type]! & X_STATEMENT) && !isHeader(n)) observable.add(n);
  }
  for (const e of x.events) {
    if (!e.def || !inFunction(e.unit)) continue;
    const sc = scopeOf.get(e.unit)!;
    if (shared.has(e.name) || !locals.get(sc)?.has(e.name)) observable.add(e.unit);
  }

  const defsOf = new Map<LightNode, LightNode[]>();
  for (const e of edges) {
    let l = defsOf.get(e.use);
    if (!l) defsOf.set(e.use, (l = []));
    l.push(e.def);
  }

  // Declarations of each function's names: a name live code touches keeps its declaration.
  const declsOf = new Map<LightNode, Map<string, LightNode[]>>();
  const namesOf = new Map<LightNode, string[]>();
  for (const e of x.events) {
    let l = namesOf.get(e.unit);
    if (!l) namesOf.set(e.unit, (l = []));
    l.push(e.name);
    if (!e.decl) continue;
    const sc = scopeOf.get(e.unit)!;
    let m = declsOf.get(sc);
    if (!m) declsOf.set(sc, (m = new Map()));
    const d = m.get(e.name);
    if (!d) m.set(e.name, [e.unit]);
    else if (!d.includes(e.unit)) d.push(e.unit);
  }

  const live = new Set<LightNode>();
  const work = [...observable];
  while (work.length > 0) {
    const n = work.pop()!;
    if (live.has(n)) continue;
    live.add(n);
    const ds = defsOf.get(n);
    if (ds) for (const d of ds) if (!live.has(d)) work.push(d);
    const decls = declsOf.get(scopeOf.get(n)!);
    const touched = namesOf.get(n);
    if (decls && touched) for (const nm of touched) for (const d of decls.get(nm) ?? []) if (!live.has(d)) work.push(d);
    if (n.parent && scopeOf.get(n) !== n) work.push(n.parent);
    if (n.role & (CONSTRUCTS | R_CASE | R_WRAPPER)) for (const c of n.children) if (!live.has(c) && isHeader(c)) work.push(c);
  }

  // Statements after a jump in the same list never run (labels may be jumped to: they end the run).
  const unreachable = new Set<LightNode>();
  for (const n of all) {
    if (!(n.role & (R_BLOCK | R_CASE)) || !inFunction(n)) continue;
    let jumped = false;
    for (const c of n.children) {
      if ((names[c.type] ?? '').includes('label') && !isHeader(c)) jumped = false;
      else if (jumped && !(c.role & (R_FUNCTION | R_CLASS)) && !isHeader(c)) unreachable.add(c);
      if (c.role & JUMPS) jumped = true;
    }
  }

  const removable = (n: LightNode): boolean => {
    if (!inFunction(n) || n.role & (R_BLOCK | R_FUNCTION | R_CLASS | R_WRAPPER) || isHeader(n)) return false;
    const p = n.parent!;
    return !!(n.role & PARTS || p.role & (R_BLOCK | R_CASE) || (p.role & CONSTRUCTS && bodyFields.has(n.field)));
  };
  const out = new Set<number>();
  const stack: LightNode[] = [x.root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (removable(n) && (unreachable.has(n) || !live.has(n))) {
      out.add(nodeKey(n.start, n.type));
      continue;
    }
    for (const c of n.children) stack.push(c);
  }
  return out;
}
