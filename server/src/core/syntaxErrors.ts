// Syntax errors from tree-sitter's recovery: ERROR nodes and MISSING tokens, with 1-based line and column.
import type { Node } from 'web-tree-sitter';

export interface SyntaxProblem {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  message: string;
}

export const MAX_SYNTAX_ERRORS = 100;

export function collectSyntaxErrors(root: Node, limit = MAX_SYNTAX_ERRORS): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  if (!root.hasError) return out;
  // Only subtrees flagged hasError are visited, so clean files cost nothing here.
  const stack: Node[] = [root];
  while (stack.length > 0 && out.length < limit) {
    const node = stack.pop()!;
    if (node.isMissing) {
      out.push(problem(node, `missing ${JSON.stringify(node.type)}`));
      continue;
    }
    if (node.isError) {
      const text = node.text.replace(/\s+/g, ' ').trim();
      out.push(problem(node, text ? `syntax error: unexpected ${JSON.stringify(truncate(text, 30))}` : 'syntax error'));
    }
    for (let i = node.childCount - 1; i >= 0; i--) {
      const child = node.child(i);
      if (child && (child.hasError || child.isMissing)) stack.push(child);
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
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
