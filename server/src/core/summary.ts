// Structure summary of a file and of each function in it, in one iterative pass over the tree.
import type { Node } from 'web-tree-sitter';
import type { Parsed } from './parser';
import {
  flagTable, F_BOOL_OP, F_BOOL_PARENT, F_CASE, F_CLASS, F_CLASS_IF_BODY, F_COMMENT, F_DECISION,
  F_DECISION_OFFSET, F_FUNCTION, F_IF, F_LOOP, F_NAMED,
} from './nodeFlags';
import { countLines } from './source';
import { collectSyntaxErrors } from './syntaxErrors';
import type { FileSummary, FunctionSummary, Range0, StructureMetrics } from '../../../protocol/records';

// The summary's shapes cross the wire to the extension: protocol/records.ts declares them.
export type { FileSummary, FunctionSummary, Position0, Range0, StructureMetrics } from '../../../protocol/records';

interface Frame {
  node: Node | undefined;
  /** Whether an anonymous function's bound name is looked for (not past BINDER_DEPTH). */
  bound: boolean;
  /** Named depth of the frame's root node. */
  baseDepth: number;
  stackIndex: number;
  m: StructureMetrics;
  shapes: Set<number>;
}

/**
 * An anonymous function deeper than this in the tree is not looked up for the name it is bound to:
 * `node.parent` searches down from the root, so 20,000 nested arrow functions took 8 s of it. Code
 * nests a few dozen levels; past this depth a function is `<anonymous>`.
 */
const BINDER_DEPTH = 500;

function emptyMetrics(): StructureMetrics {
  return {
    ast_depth: 0, function_count: 0, class_count: 0, loop_count: 0, if_count: 0,
    basic_cyclomatic_complexity: 1, total_subtrees: 0, unique_subtrees: 0, lines_of_code: 0, total_lines: 0,
  };
}

export function summarize(parsed: Parsed): FileSummary {
  const { tree, source, language } = parsed;
  const { flags } = flagTable(language, tree.language);
  const lineCount = countLines(source);
  /** [start, end) UTF-16 offsets of comments, in document order. */
  const comments: number[] = [];

  const fileFrame: Frame = { node: undefined, bound: false, baseDepth: 1, stackIndex: 0, m: emptyMetrics(), shapes: new Set() };
  const open: Frame[] = [fileFrame];
  const closed: Frame[] = [];

  // Parallel stacks, one entry per node on the path from the root (comments are never pushed).
  const hashA: number[] = [];
  const hashB: number[] = [];
  const namedDepth: number[] = [];
  const nodeFlags: number[] = [];
  const isNamed: boolean[] = [];

  const cursor = tree.walk();
  // Counts and shapes go to the innermost open frame only; a frame that closes adds its own into the one
  // around it (closeFrame). Adding to every open frame was depth × nodes: 20,000 nested arrow functions
  // (120 KB) held a shape set per frame of everything inside it, and ran out of 4 GB.
  const addAll = (key: keyof StructureMetrics, delta: number) => {
    open[open.length - 1]!.m[key] += delta;
  };

  let done = false;
  while (!done) {
    // Enter the node under the cursor.
    const id = cursor.nodeTypeId;
    const f = flags[id]!;
    let descended = false;
    if (f & F_COMMENT) {
      comments.push(cursor.startIndex, cursor.endIndex);
    } else if (!(f & F_NAMED) && hashA.length > 0) {
      // Anonymous nodes are tokens, always leaves: fold their shape straight into the parent,
      // saving the child probe and the stack round trip for about half of all nodes.
      const sp = hashA.length;
      if (f !== 0) countKinds(f, sp);
      const a = fmix(Math.imul(id + 1, 0x9e3779b1));
      const b = fmix(Math.imul(id + 7, 0x85ebca6b));
      hashA[sp - 1] = Math.imul(hashA[sp - 1]! ^ a, 0x01000193) + 0x7f4a7c15;
      hashB[sp - 1] = Math.imul((hashB[sp - 1]! << 5) | (hashB[sp - 1]! >>> 27), 0x27d4eb2f) ^ b;
    } else {
      const named = (f & F_NAMED) !== 0;
      const sp = hashA.length;
      const parentDepth = sp > 0 ? namedDepth[sp - 1]! : 0;
      const depth = parentDepth + (named ? 1 : 0);
      hashA.push(Math.imul(id + 1, 0x9e3779b1));
      hashB.push(Math.imul(id + 7, 0x85ebca6b));
      namedDepth.push(depth);
      nodeFlags.push(f);
      isNamed.push(named);
      if (named) {
        const fr = open[open.length - 1]!;
        fr.m.total_subtrees++;
        const d = depth - fr.baseDepth + 1;
        if (d > fr.m.ast_depth) fr.m.ast_depth = d;
      }
      if (f !== 0) countKinds(f, sp);
      if (cursor.gotoFirstChild()) descended = true;
      else leave();
    }
    if (descended) continue;
    // Move to the next sibling, leaving finished ancestors on the way up.
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      leave();
    }
  }
  cursor.delete();

  function countKinds(f: number, sp: number): void {
    if (f & F_FUNCTION) {
      addAll('function_count', 1);
      // The function's own node was counted before its frame opened; it belongs to its own subtree too.
      const m = emptyMetrics();
      m.total_subtrees = 1;
      m.ast_depth = 1;
      open.push({ node: cursor.currentNode, bound: sp <= BINDER_DEPTH, baseDepth: namedDepth[sp]!, stackIndex: sp, m, shapes: new Set() });
    }
    if (f & F_CLASS) addAll('class_count', 1);
    if (f & F_CLASS_IF_BODY && hasClassBody(cursor.currentNode)) addAll('class_count', 1);
    if (f & F_LOOP) { addAll('loop_count', 1); addAll('basic_cyclomatic_complexity', 1); }
    if (f & F_IF) { addAll('if_count', 1); addAll('basic_cyclomatic_complexity', 1); }
    if (f & F_DECISION) addAll('basic_cyclomatic_complexity', 1);
    if (f & F_DECISION_OFFSET) addAll('basic_cyclomatic_complexity', -1);
    if (f & F_CASE && !source.startsWith('default', cursor.startIndex)) addAll('basic_cyclomatic_complexity', 1);
    if (f & F_BOOL_OP && sp > 0 && nodeFlags[sp - 1]! & F_BOOL_PARENT) addAll('basic_cyclomatic_complexity', 1);
  }

  /** Finishes the node on top of the stack: its shape hash feeds its parent and every open frame. */
  function leave(): void {
    const sp = hashA.length - 1;
    const a = fmix(hashA.pop()!);
    const b = fmix(hashB.pop()!);
    namedDepth.pop();
    nodeFlags.pop();
    const named = isNamed.pop()!;
    if (sp > 0) {
      hashA[sp - 1] = Math.imul(hashA[sp - 1]! ^ a, 0x01000193) + 0x7f4a7c15;
      hashB[sp - 1] = Math.imul((hashB[sp - 1]! << 5) | (hashB[sp - 1]! >>> 27), 0x27d4eb2f) ^ b;
    }
    if (named) {
      // A 30-bit key stays a small integer in V8, which keeps Set insertion cheap; for a file's
      // few thousand shapes the chance of a collision skewing the count is well under 1%.
      const key = (a ^ Math.imul(b, 0x9e3779b1)) & 0x3fffffff;
      open[open.length - 1]!.shapes.add(key);
    }
    const top = open[open.length - 1]!;
    if (open.length > 1 && top.stackIndex === sp) closeFrame(open.pop()!, open[open.length - 1]!);
  }

  /** A function's frame is complete: its metrics are final, and what it holds counts for the frame around it too. */
  function closeFrame(fr: Frame, outer: Frame): void {
    const c = fr.m;
    const o = outer.m;
    c.unique_subtrees = fr.shapes.size;
    o.function_count += c.function_count;
    o.class_count += c.class_count;
    o.loop_count += c.loop_count;
    o.if_count += c.if_count;
    o.basic_cyclomatic_complexity += c.basic_cyclomatic_complexity - 1; // each frame starts at 1
    o.total_subtrees += c.total_subtrees - 1; // the function's own node was counted outside already
    o.ast_depth = Math.max(o.ast_depth, c.ast_depth + fr.baseDepth - outer.baseDepth);
    // The union of shapes, the smaller set into the larger (n log n over any nesting).
    if (fr.shapes.size > outer.shapes.size) {
      for (const k of outer.shapes) fr.shapes.add(k);
      outer.shapes = fr.shapes;
    } else for (const k of fr.shapes) outer.shapes.add(k);
    fr.shapes = new Set();
    closed.push(fr);
  }

  while (open.length > 1) closeFrame(open.pop()!, open[open.length - 1]!);

  // Lines of code from the per-row flags, via prefix sums for each function's span.
  const codeRows = codeLines(source, lineCount, comments);
  const prefix = new Uint32Array(lineCount + 2);
  for (let r = 0; r <= lineCount; r++) prefix[r + 1] = prefix[r]! + codeRows[r]!;
  fileFrame.m.lines_of_code = prefix[lineCount + 1]!;
  fileFrame.m.total_lines = lineCount;
  fileFrame.m.unique_subtrees = fileFrame.shapes.size;

  const functions = closed
    .map((fr) => toFunctionSummary(fr, prefix))
    .sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);

  return { language, metrics: fileFrame.m, functions, syntax_errors: collectSyntaxErrors(tree.rootNode) };
}

function toFunctionSummary(fr: Frame, prefix: Uint32Array): FunctionSummary {
  const node = fr.node!;
  const s = node.startPosition;
  const e = node.endPosition;
  fr.m.lines_of_code = prefix[e.row + 1]! - prefix[s.row]!;
  fr.m.total_lines = e.row - s.row + 1;
  const nameNode = functionNameNode(node, fr.bound);
  const range = toRange(node);
  return {
    name: nameNode?.text ?? anonymousName(node),
    kind: node.type,
    start_line: s.row + 1,
    end_line: e.row + 1,
    range,
    name_range: nameNode ? toRange(nameNode) : { start: range.start, end: range.start },
    metrics: fr.m,
  };
}

export function toRange(node: Node): Range0 {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/**
 * The identifier that names a function: its own name field, or what an anonymous one is bound to
 * (not looked for with `bound: false`).
 */
export function functionNameNode(node: Node, bound = true): Node | null {
  const own = node.childForFieldName('name');
  if (own) return own;
  // C and C++ nest the name inside declarators: int (*f)(int) -> function_declarator -> identifier.
  let decl = node.type === 'function_definition' ? node.childForFieldName('declarator') : null;
  while (decl) {
    const inner = decl.childForFieldName('declarator');
    if (!inner) return decl;
    decl = inner;
  }
  if (!bound) return null;
  let parent = node.parent;
  // Go binds func literals through an expression_list: f := func() {}.
  if (parent?.type === 'expression_list') parent = parent.parent;
  if (!parent) return null;
  for (const field of ['name', 'left', 'key', 'pattern', 'property', 'declarator']) {
    const bound = parent.childForFieldName(field);
    if (bound && bound.id !== node.id && bound.endIndex <= node.startIndex) {
      // Go's short_var_declaration wraps names in an expression_list.
      return bound.type === 'expression_list' && bound.namedChildCount === 1 ? bound.namedChild(0) : bound;
    }
  }
  return null;
}

function anonymousName(node: Node): string {
  return node.type.includes('lambda') || node.type.includes('closure') ? '<lambda>' : '<anonymous>';
}

/** Whether a struct-like node is class-like: it has a body (Go: a struct or interface type). */
export function hasClassBody(node: Node): boolean {
  if (node.type === 'type_spec') {
    const t = node.childForFieldName('type')?.type;
    return t === 'struct_type' || t === 'interface_type';
  }
  return node.childForFieldName('body') !== null;
}

/**
 * Marks rows holding a non-blank character outside comments. Scanning the text is much cheaper than
 * asking tree-sitter for the position of every token.
 */
function codeLines(source: string, lineCount: number, comments: number[]): Uint8Array {
  const rows = new Uint8Array(lineCount + 1);
  let row = 0;
  let c = 0; // index of the next comment's start in `comments`
  for (let i = 0; i < source.length; i++) {
    if (c < comments.length && i === comments[c]) {
      // Jump over the comment, counting the line breaks inside it.
      const end = comments[c + 1]!;
      for (; i < end; i++) if (source.charCodeAt(i) === 10) row++;
      c += 2;
      i--;
      continue;
    }
    const ch = source.charCodeAt(i);
    if (ch === 10) row++;
    else if (ch > 32 && ch !== 0xfeff && ch !== 0xa0) rows[row] = 1;
  }
  return rows;
}

/** Murmur3's finalizer: spreads the accumulated bits so nearby shapes do not collide. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
