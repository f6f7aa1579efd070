// The AST view: named nodes only, comments dropped, caps that say what they cut.
import assert from 'node:assert/strict';
import { astOfSource } from '../../server/src/core/analyze';
import type { AstJsonNode } from '../../server/src/core/astView';

function count(n: AstJsonNode): number {
  let c = 0;
  const stack = [n];
  while (stack.length) { const x = stack.pop()!; c++; stack.push(...x.children); }
  return c;
}

describe('AST view', () => {
  it('builds the named tree with labels and 1-based lines', async () => {
    const v = await astOfSource('# note\nx = 1\n', 'python');
    assert.equal(v.truncated, false);
    assert.deepEqual(v.root, {
      type: 'module', start_line: 1, end_line: 3, children: [{
        type: 'expression_statement', start_line: 2, end_line: 2, children: [{
          type: 'assignment', start_line: 2, end_line: 2, children: [
            { type: 'identifier', label: 'x', start_line: 2, end_line: 2, children: [] },
            { type: 'integer', label: '1', start_line: 2, end_line: 2, children: [] },
          ],
        }],
      }],
    });
    assert.equal(v.node_count, 5);
    assert.equal(v.total_named_nodes, 5);
  });

  it('caps depth and says how much was cut', async () => {
    const v = await astOfSource('def f(a):\n    return [a, a]\n', 'python', { maxDepth: 3 });
    assert.equal(v.truncated, true);
    assert.match(v.truncated_reason!, /^depth capped at 3 \(showing \d+ of \d+ nodes\)$/);
    const full = await astOfSource('def f(a):\n    return [a, a]\n', 'python');
    assert.equal(v.total_named_nodes, full.node_count);
    assert.equal(count(v.root), v.node_count);
    assert.ok(v.node_count < full.node_count);
  });

  it('caps the node count', async () => {
    const src = Array.from({ length: 200 }, (_, i) => `v${i} = ${i}`).join('\n');
    const v = await astOfSource(src, 'python', { maxNodes: 50 });
    assert.equal(v.node_count, 50);
    assert.equal(count(v.root), 50);
    assert.equal(v.total_named_nodes, 801);
    assert.match(v.truncated_reason!, /node count capped at 50/);
  });
});
