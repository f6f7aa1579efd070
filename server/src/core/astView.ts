// The normalized syntax tree as lightweight JSON: named nodes only, comments dropped, capped in depth and size.
import type { Parsed } from './parser';
import { flagTable, F_COMMENT } from './nodeFlags';

import type { AstJsonNode, AstView } from '../../../protocol/records';

export type { AstJsonNode, AstView } from '../../../protocol/records';
import { DEFAULT_AST_MAX_DEPTH, DEFAULT_AST_MAX_NODES } from '../../../protocol/config';

export { DEFAULT_AST_MAX_DEPTH, DEFAULT_AST_MAX_NODES };
const LABEL_MAX = 40;

export function astView(parsed: Parsed, opts: { maxDepth?: number; maxNodes?: number } = {}): AstView {
  const maxDepth = Math.max(1, opts.maxDepth ?? DEFAULT_AST_MAX_DEPTH);
  const maxNodes = Math.max(1, opts.maxNodes ?? DEFAULT_AST_MAX_NODES);
  const { flags } = flagTable(parsed.language, parsed.tree.language);
  const cursor = parsed.tree.walk();
  const root = jsonNode(cursor.nodeType, cursor.startPosition.row, cursor.endPosition.row);
  // One entry per cursor level below the root: the JSON node it became, the parent it shares
  // (anonymous nodes), or null inside a subtree cut by a cap, which is still walked to count it.
  const path: Array<AstJsonNode | null> = [root];
  const depthOf = new Map<AstJsonNode, number>([[root, 1]]);
  let nodeCount = 1;
  let totalNamed = 1;
  let depthCut = false;
  let sizeCut = false;

  let done = !cursor.gotoFirstChild();
  while (!done) {
    const parent = path[path.length - 1]!;
    let entry: AstJsonNode | null | undefined = parent; // anonymous tokens pass their parent through
    if (flags[cursor.nodeTypeId]! & F_COMMENT) {
      entry = undefined; // comments are dropped with everything in them
    } else if (cursor.nodeIsNamed) {
      totalNamed++;
      if (parent === null) {
        entry = null;
      } else if (depthOf.get(parent)! >= maxDepth || nodeCount >= maxNodes) {
        if (depthOf.get(parent)! >= maxDepth) depthCut = true;
        else sizeCut = true;
        parent.truncated_children = (parent.truncated_children ?? 0) + 1;
        entry = null;
      } else {
        const node = jsonNode(cursor.nodeType, cursor.startPosition.row, cursor.endPosition.row);
        parent.children.push(node);
        depthOf.set(node, depthOf.get(parent)! + 1);
        nodeCount++;
        entry = node;
      }
    }
    if (entry !== undefined && cursor.gotoFirstChild()) {
      path.push(entry);
      continue;
    }
    if (entry && entry !== parent) entry.label = shorten(parsed.source.slice(cursor.startIndex, cursor.endIndex));
    while (!cursor.gotoNextSibling()) {
      if (path.length === 1 || !cursor.gotoParent()) { done = true; break; }
      path.pop();
    }
  }
  cursor.delete();

  const reasons: string[] = [];
  if (depthCut) reasons.push(`depth capped at ${maxDepth}`);
  if (sizeCut) reasons.push(`node count capped at ${maxNodes}`);
  return {
    language: parsed.language,
    root,
    node_count: nodeCount,
    total_named_nodes: totalNamed,
    truncated: depthCut || sizeCut,
    caps: { max_depth: maxDepth, max_nodes: maxNodes },
    ...(reasons.length ? { truncated_reason: `${reasons.join('; ')} (showing ${nodeCount} of ${totalNamed} nodes)` } : {}),
  };
}

function jsonNode(type: string, start: number, end: number): AstJsonNode {
  return { type, start_line: start + 1, end_line: end + 1, children: [] };
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > LABEL_MAX ? `${oneLine.slice(0, LABEL_MAX - 1)}…` : oneLine;
}
