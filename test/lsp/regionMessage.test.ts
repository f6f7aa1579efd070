// The similarity diagnostic's wording: one-line and multi-line regions, paths relative to the workspace.
import assert from 'node:assert/strict';
import path from 'node:path';
import { regionMessage, type RegionLink } from '../../server/src/lsp/similarity/diagnostics';

const root = path.resolve('/ws');
const link = (here: [number, number], there: [number, number]): RegionLink => ({
  score: 0.874, components: { ast: 0.9, cfg: 0.8, dataflow: 0.85 },
  here: { path: path.join(root, 'a.py'), lines: here }, there: { path: path.join(root, 'src', 'b.py'), lines: there },
});

describe('similarity diagnostic message', () => {
  it('names a span of lines in the plural and the other file relative to the workspace', () => {
    assert.equal(regionMessage(link([5, 12], [8, 15]), [root]),
      `Lines 5–12 closely match ${path.join('src', 'b.py')}:8–15 (similarity 0.87 — AST 0.90, CFG 0.80, data flow 0.85)`);
  });
  it('says "Line N closely matches" for a one-line region', () => {
    assert.equal(regionMessage(link([4, 4], [11, 11]), [root]),
      `Line 4 closely matches ${path.join('src', 'b.py')}:11 (similarity 0.87 — AST 0.90, CFG 0.80, data flow 0.85)`);
  });
  it('states how far the pair stands above its class when significance is known', () => {
    assert.equal(regionMessage({ ...link([5, 12], [8, 15]), significance: 12.44 }, [root]),
      `Lines 5–12 closely match ${path.join('src', 'b.py')}:8–15 (similarity 0.87, 12.4σ above the class — AST 0.90, CFG 0.80, data flow 0.85)`);
  });
  it('says how far a pair under the floor stands out from either file\'s next-best match', () => {
    assert.equal(regionMessage({ ...link([5, 12], [8, 15]), score: 0.31, significance: 14.2, standout: 3.46 }, [root]),
      `Lines 5–12 closely match ${path.join('src', 'b.py')}:8–15 (similarity 0.31, 14.2σ above the class, 3.5× either file's next-best match — AST 0.90, CFG 0.80, data flow 0.85)`);
  });
});
