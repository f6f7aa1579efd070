// Syntax errors from tree-sitter's recovery: ERROR nodes and MISSING tokens, with 1-based line and column.
import type { Node, TreeCursor } from 'web-tree-sitter';

import type { SyntaxProblem } from '../../../protocol/records';

export type { SyntaxProblem } from '../../../protocol/records';

export const MAX_SYNTAX_ERRORS = 100;

/**
 * The first `limit` problems in source order; beyond them one last entry says how many more there are.
 * A TreeCursor walk: `node.child(i)` scans from the first child, so indexing the children of one wide
 * ERROR node (200,000 unbalanced `(`) was quadratic (58 s against a 0.25 s parse).
 */
export function collectSyntaxErrors(root: Node, limit = MAX_SYNTAX_ERRORS): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  if (!root.hasError) return out;
  let more = 0;
  let firstMore: Node | undefined;
  const record = (node: Node, message: () => string) => {
    if (out.length < limit) out.push(problem(node, message()));
    else if (more++ === 0) firstMore = node;
  };
  const cursor: TreeCursor = root.walk();
  try {
    // Only subtrees flagged hasError are entered, so clean parts of a file cost one check per node.
    for (;;) {
      const node = cursor.currentNode;
      let enter = false;
      if (node.isMissing) record(node, () => `missing ${JSON.stringify(node.type)}`);
      else if (node.hasError) {
        if (node.isError) record(node, () => errorMessage(node));
        enter = true;
      }
      if (enter && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          out.sort((a, b) => a.line - b.line || a.column - b.column);
          if (more > 0) out.push(problem(firstMore!, `and ${more} more syntax error${more === 1 ? '' : 's'} (only the first ${limit} are listed)`));
          return out;
        }
      }
    }
  } finally {
    cursor.delete();
  }
}

function errorMessage(node: Node): string {
  // An ERROR node can span the whole file: only the start of its text is read.
  const text = node.text.slice(0, 200).replace(/\s+/g, ' ').trim();
  return text ? `syntax error: unexpected ${JSON.stringify(truncate(text, 30))}` : 'syntax error';
}

function problem(node: Node, message: string): SyntaxProblem {
  return {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    end_line: node.endPosition.row + 1,
    end_column: node.endPosition.column + 1,
    message,
  };
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
