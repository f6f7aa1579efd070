// Unused definitions of a C or C++ program, left out of every feature as dead code is: a copy disguised
// with a pasted header of helpers, macros, typedefs, constants and structs it never uses (competitive
// programmers' templates) read as half new code (a 25-line C program with a 16-line header: 1.00 -> 0.51).
//
// Only C and C++, and only in a program (a file with `main`): a library's functions are its interface,
// used from elsewhere. In Java and Python an unused method copied along with the rest is evidence of the
// copy, and leaving it out cost more than it gained (SOCO Java, data flow alone: AUC 0.992 -> 0.984).
// Only top-level definitions are judged. A name is used when the file spells it anywhere outside its own
// definition (calls, references, prototypes, comments and strings too: a cheap, conservative count);
// what only unused definitions use is unused too (a helper only an unused helper calls, its constant).
import type { Node } from 'web-tree-sitter';
import type { Parsed } from '../core/parser';
import { nodeKey } from './extracted';

const WORD = /[A-Za-z_$][\w$]*/g;
/** A file of more top-level definitions keeps all (not a program a student wrote). */
const MAX_DEFINITIONS = 5000;

interface Definition { node: Node; names: string[]; words: Map<string, number> }

/** `nodeKey`s of the unused top-level definitions of a C or C++ program (empty for anything else). */
export function unusedDefinitions(parsed: Parsed): Set<number> {
  const out = new Set<number>();
  if (parsed.language !== 'c' && parsed.language !== 'cpp') return out;
  const top = parsed.tree.rootNode.namedChildren.filter((n): n is Node => n !== null);
  if (top.length > MAX_DEFINITIONS || !top.some((n) => n.type === 'function_definition' && functionName(n) === 'main')) return out;
  const defs: Definition[] = [];
  for (const node of top) {
    const names = definedNames(node);
    if (names.length === 0 || names.includes('main')) continue;
    defs.push({ node, names, words: countWords(node.text) });
  }
  if (defs.length === 0) return out;
  // Words of the file; a removed definition's own words are taken out, and the definitions of the names
  // it spelled are looked at again (a worklist: a chain of helpers is not quadratic).
  const words = countWords(parsed.source);
  const byName = new Map<string, Definition[]>();
  for (const d of defs) {
    for (const nm of d.names) {
      const list = byName.get(nm);
      if (list) list.push(d);
      else byName.set(nm, [d]);
    }
  }
  const removed = new Set<Definition>();
  const work = [...defs];
  while (work.length > 0) {
    const d = work.pop()!;
    if (removed.has(d) || d.names.some((nm) => (words.get(nm) ?? 0) > (d.words.get(nm) ?? 0))) continue;
    removed.add(d);
    out.add(nodeKey(d.node.startIndex, d.node.typeId));
    for (const [w, c] of d.words) {
      words.set(w, words.get(w)! - c);
      for (const e of byName.get(w) ?? []) if (!removed.has(e)) work.push(e);
    }
  }
  return out;
}

function countWords(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const [w] of text.matchAll(WORD)) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/** The names a top-level node defines, where it is a definition this pass judges (else none). */
function definedNames(n: Node): string[] {
  switch (n.type) {
    case 'function_definition': {
      const name = functionName(n);
      return name ? [name] : [];
    }
    case 'template_declaration': {
      const inner = n.namedChildren.find((c) => c && c.type !== 'template_parameter_list');
      return inner ? definedNames(inner) : [];
    }
    case 'preproc_def':
    case 'preproc_function_def':
    case 'struct_specifier':
    case 'class_specifier':
    case 'union_specifier':
    case 'alias_declaration':
      return plain(n.childForFieldName('name'));
    case 'type_definition':
      return plain(n.childForFieldName('declarator'));
    case 'declaration': {
      // Globals and constants (`const int MOD = 1e9 + 7;`, `int a[N];`): every name it declares.
      const names = n.childrenForFieldName('declarator').map((d) => declaratorName(d));
      return names.length > 0 && names.every((x): x is string => !!x) ? names : [];
    }
    default:
      return [];
  }
}

/** A function definition's name when it is a plain identifier (not an operator or a qualified member). */
function functionName(n: Node): string | undefined {
  let d = n.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const id = d?.childForFieldName('declarator');
  return id && id.type === 'identifier' ? id.text : undefined;
}

/** The identifier a declarator declares (`x`, `x = 1`, `a[N]`, `*p`); none for functions' prototypes or anything else. */
function declaratorName(d: Node | null): string | undefined {
  for (let k = 0; d && k < 8; k++) {
    if (d.type === 'identifier') return d.text;
    if (d.type !== 'init_declarator' && d.type !== 'array_declarator' && d.type !== 'pointer_declarator' && d.type !== 'reference_declarator') return undefined;
    d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c?.type === 'identifier') ?? null;
  }
  return undefined;
}

function plain(n: Node | null): string[] {
  return n && (n.type === 'identifier' || n.type === 'type_identifier') ? [n.text] : [];
}
