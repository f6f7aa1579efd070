// The units the origin model judges: named functions, methods and classes found with tree-sitter, each
// with its leading doc comments / decorators (they are part of how code was written) and its name range.
import type { Node } from 'web-tree-sitter';
import { NODE_KINDS, type LanguageId } from '../core/languages';
import { withParsed } from '../core/parser';
import { functionNameNode as nameNode, hasClassBody as hasBody, toRange, type Range0 } from '../core/summary';

export type UnitKind = 'function' | 'method' | 'class';

export interface OriginUnit {
  name: string;
  kind: UnitKind;
  /** tree-sitter node type, e.g. function_definition. */
  nodeType: string;
  /** UTF-16 offsets of the judged text (doc comments and decorators included). */
  start: number;
  end: number;
  range: Range0;
  name_range: Range0;
}

/** Anonymous functions count as units only when bound to a name by one of these (not callbacks, not keyword args). */
const BOUND_PARENT = /declarator|assignment|^pair$|field_definition|short_var_declaration|let_declaration|expression_list/;

const COMMENT_TYPES = new Set(['comment', 'line_comment', 'block_comment', 'html_comment']);

/**
 * The node whose text is judged: decorated definitions (Python), export statements (JS/TS) and variable
 * declarations binding an arrow function, widened over contiguous comments directly above it.
 */
function outerNode(node: Node): { first: Node; last: Node } {
  let top = node;
  for (;;) {
    const p = top.parent;
    if (!p) break;
    if (p.type === 'decorated_definition' || p.type === 'export_statement') top = p;
    else if ((p.type === 'variable_declarator' || p.type === 'lexical_declaration' || p.type === 'variable_declaration') && p.namedChildCount <= 2) top = p;
    else break;
  }
  let first = top;
  for (let prev = first.previousSibling; prev && COMMENT_TYPES.has(prev.type) && first.startPosition.row - prev.endPosition.row <= 1; prev = prev.previousSibling) {
    first = prev;
  }
  return { first, last: top };
}

/**
 * The units' texts together are at most this many times the source (plus a floor): each unit is judged on
 * its own text, so 200 nested functions spanning a 650 KB file were 200 judgements of the whole file
 * (70 s). Ordinary code repeats a line in a few units (a class, its method, a closure); units found past
 * the budget are left to their enclosing unit.
 */
export const UNIT_TEXT_SHARE = 8;
const UNIT_TEXT_FLOOR = 20_000;

/** Units of a parsed source, outermost first within document order. */
export async function findUnits(source: string, language: LanguageId): Promise<OriginUnit[]> {
  let budget = UNIT_TEXT_SHARE * source.length + UNIT_TEXT_FLOOR;
  const kinds = NODE_KINDS[language];
  const fnTypes = new Set(kinds.functions);
  const classTypes = new Set(kinds.classes);
  const bodyClassTypes = new Set(kinds.classesWithBody ?? []);
  return withParsed(source, language, (p) => {
    const units: OriginUnit[] = [];
    const visit = (node: Node, inClass: boolean, depth: number) => {
      if (depth > 200) return;
      const t = node.type;
      let isClass = classTypes.has(t) || (bodyClassTypes.has(t) && hasBody(node));
      const isFn = fnTypes.has(t);
      if (isFn || isClass) {
        const n = isClass || node.childForFieldName('name') || t === 'function_definition' || BOUND_PARENT.test(node.parent?.type ?? '') ? nameNode(node) : null;
        if (n && n.text.length > 0 && n.text.length < 200) {
          const { first, last } = outerNode(node);
          budget -= last.endIndex - first.startIndex;
          if (budget >= 0) units.push({
            name: n.text,
            kind: isClass ? 'class' : inClass ? 'method' : 'function',
            nodeType: t,
            start: first.startIndex,
            end: last.endIndex,
            range: { start: toRange(first).start, end: toRange(last).end },
            name_range: toRange(n),
          });
        } else isClass = false;
      }
      for (let i = 0; i < node.namedChildCount; i++) {
        const c = node.namedChild(i);
        if (c) visit(c, isClass || (inClass && !isFn), depth + 1);
      }
    };
    visit(p.tree.rootNode, false, 0);
    return units;
  });
}

/** The innermost unit whose name range holds the position. */
export function unitAtName<T extends { name_range: Range0 }>(units: T[], pos: { line: number; character: number }): T | undefined {
  let best: T | undefined;
  for (const u of units) {
    const r = u.name_range;
    const after = pos.line > r.start.line || (pos.line === r.start.line && pos.character >= r.start.character);
    const before = pos.line < r.end.line || (pos.line === r.end.line && pos.character <= r.end.character);
    if (after && before) best = u;
  }
  return best;
}

/** The innermost unit containing the position. */
export function unitAt<T extends { range: Range0 }>(units: T[], pos: { line: number; character: number }): T | undefined {
  let best: T | undefined;
  for (const u of units) {
    const r = u.range;
    const after = pos.line > r.start.line || (pos.line === r.start.line && pos.character >= r.start.character);
    const before = pos.line < r.end.line || (pos.line === r.end.line && pos.character <= r.end.character);
    if (after && before && (!best || r.start.line > best.range.start.line || (r.start.line === best.range.start.line && r.start.character >= best.range.start.character))) best = u;
  }
  return best;
}
