// Unused definitions of a C or C++ program, left out of every feature as dead code is: a copy disguised
// with a pasted header of helpers, macros and typedefs it never uses (competitive programmers' templates)
// read as half new code (a 25-line C program with a 16-line header: 1.00 -> 0.51).
//
// Only C and C++, and only in a program (a file with `main`): a library's functions are its interface,
// used from elsewhere. In Java and Python an unused method copied along with the rest is evidence of the
// copy, and leaving it out cost more than it gained (SOCO Java, data flow alone: AUC 0.992 -> 0.984). A
// name is used when the file spells it anywhere beyond its definition (calls, references, prototypes,
// comments and strings too: a cheap, conservative count); a function's own recursive calls do not count.
import type { Node } from 'web-tree-sitter';
import type { Parsed } from '../core/parser';
import { nodeKey, type Extracted, type LightNode } from './extracted';
import { R_FUNCTION } from './kinds';

/** `main`, and C++ members a library may call without the file naming them (comparators, iterators). */
const IMPLICIT = new Set(['main', 'operator', 'begin', 'end', 'size', 'swap', 'hash']);

/** C and C++ top-level definitions that only a later use of their name gives meaning to. */
const C_DEFS: Record<string, string> = { preproc_def: 'name', preproc_function_def: 'name', type_definition: 'declarator' };

/** `nodeKey`s of the unused definitions of a program (empty for anything else). */
export function unusedDefinitions(parsed: Parsed, x: Extracted): Set<number> {
  const out = new Set<number>();
  if (parsed.language !== 'c' && parsed.language !== 'cpp') return out;
  const text = parsed.source;
  // Functions not inside another function (a nested one goes with its parent; their spans do not overlap,
  // so counting the words inside each is linear in the file), and not deeper than MAX_DEPTH: finding
  // the syntax node climbs `parent`, which costs the depth each time.
  const fns: LightNode[] = [];
  const stack: Array<[LightNode, number]> = [[x.root, 0]];
  while (stack.length > 0) {
    const [n, depth] = stack.pop()!;
    if (n.role & R_FUNCTION) {
      if (n.name !== undefined && depth <= MAX_DEPTH) fns.push(n);
      continue;
    }
    for (const c of n.children) stack.push([c, depth + 1]);
  }
  if (fns.length > MAX_FUNCTIONS || !fns.some((f) => f.name === 'main')) return out;
  const words = new Map<string, number>();
  for (const m of text.matchAll(WORD)) words.set(m[0], (words.get(m[0]) ?? 0) + 1);
  const defined = new Map<string, number>();
  for (const f of fns) defined.set(f.name!, (defined.get(f.name!) ?? 0) + 1);
  const root = parsed.tree.rootNode;
  for (const f of fns) {
    const name = f.name!;
    if (IMPLICIT.has(name)) continue;
    const node = syntaxNode(root, f);
    if (!node) continue;
    // Its own name and recursive calls do not count; other definitions of the name (overloads) do.
    let inside = 0;
    for (const m of text.slice(node.startIndex, node.endIndex).matchAll(WORD)) if (m[0] === name) inside++;
    if ((words.get(name) ?? 0) - inside > defined.get(name)! - 1) continue;
    out.add(nodeKey(f.start, f.type));
  }
  for (const d of parsed.tree.rootNode.namedChildren) {
    const field = d && C_DEFS[d.type];
    if (!d || !field) continue;
    const name = definedName(d.childForFieldName(field));
    if (name && (words.get(name) ?? 0) <= 1) out.add(nodeKey(d.startIndex, d.typeId));
  }
  return out;
}

const WORD = /[A-Za-z_$][\w$]*/g;
/** Functions deeper in the tree are kept; a file of more functions keeps all (not a program a student wrote). */
const MAX_DEPTH = 64;
const MAX_FUNCTIONS = 5000;

/** The syntax node a light node stands for (same start and type). */
function syntaxNode(root: Node, f: LightNode): Node | null {
  for (let n: Node | null = root.descendantForIndex(f.start, f.start); n; n = n.parent) {
    if (n.startIndex !== f.start) return null;
    if (n.typeId === f.type) return n;
  }
  return null;
}

/** The name a C definition introduces (`#define NAME`, `typedef ... NAME;`). */
function definedName(n: Node | null): string | undefined {
  if (!n) return undefined;
  if (n.type === 'identifier' || n.type === 'type_identifier') return n.text;
  return undefined;
}
