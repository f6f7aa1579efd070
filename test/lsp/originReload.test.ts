// Hot reload of the origin model: the server watches the files the model folder's manifest names, so a
// folder whose manifest gives its files other names than the defaults is reloaded when one of them changes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { OriginClassifyResult } from '../../server/src/lsp/origin/protocol';
import { MODEL_DIR, requireModel, tempDir } from '../origin/helpers';
import { EXAMPLES, startServer } from './originHarness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A copy of the model folder with every file renamed, as its manifest says. */
function renamedCopy(into: string): { dir: string; model: string } {
  const dir = path.join(into, 'model');
  fs.mkdirSync(dir);
  const manifest = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8')) as { files?: Record<string, string>; tokenizer?: string };
  const files = manifest.files ?? {};
  const renamed: Record<string, string> = {};
  for (const [key, name] of [['model', 'classifier-v2.onnx'], ['embeddings', 'embed-v2.onnx'], ['attribution', 'ig-v2.onnx']] as const) {
    const src = path.join(MODEL_DIR, files[key] ?? `${key}.onnx`);
    if (!fs.existsSync(src)) continue;
    fs.copyFileSync(src, path.join(dir, name));
    renamed[key] = name;
  }
  fs.copyFileSync(path.join(MODEL_DIR, manifest.tokenizer ?? 'tokenizer.json'), path.join(dir, 'vocab-v2.json'));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, files: { ...files, ...renamed }, tokenizer: 'vocab-v2.json' }, null, 1));
  return { dir, model: path.join(dir, 'classifier-v2.onnx') };
}

describe('origin model hot reload over LSP', function () {
  this.timeout(240_000);

  it('a model folder with other file names (from its manifest) is reloaded when one of them changes', async function () {
    requireModel(this);
    const tmp = tempDir('code-origin-origin-reload-');
    const storage = path.join(tmp, 'storage');
    fs.mkdirSync(storage);
    const { dir, model } = renamedCopy(tmp);
    const s = await startServer(dir, storage);
    try {
      const uri = await s.open(path.join(EXAMPLES, 'llm_like.py'));
      await s.waitFor(() => s.statuses.get(uri)?.state === 'ready');
      // The settings read after `initialized` may judge the document once more: let that settle.
      await sleep(1500);
      await s.waitFor(() => s.statuses.get(uri)?.state === 'ready');
      const before = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri } });
      assert.ok(!('error' in before && before.error), JSON.stringify(before));
      assert.equal(s.messages.filter((m) => m.type === 1).length, 0, JSON.stringify(s.messages));

      // A new export: the renamed model file changes. The folder is checked at most every 5 s, on the next use.
      s.statuses.delete(uri);
      const later = new Date(Date.now() + 60_000);
      fs.utimesSync(model, later, later);
      await sleep(5500);
      const after = await s.conn.sendRequest<OriginClassifyResult>('codeOrigin/classify', { textDocument: { uri } });
      assert.ok(!('error' in after && after.error), JSON.stringify(after));
      // The reloaded model judges the open document again: a fresh status comes.
      await s.waitFor(() => s.statuses.get(uri)?.state === 'ready', 30_000);
    } finally {
      await s.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
