// Windows of a document as the model sees them: count, offsets inside the text, truncation, prefix tokenizing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { OriginTokenizer } from '../../server/src/origin/tokenizer';
import { documentWindows, type WindowingOptions } from '../../server/src/origin/windowing';
import { MODEL_DIR, longSource, SMALL_PY } from './helpers';

const OPTS: WindowingOptions = { length: 256, stride: 192, maxWindows: Infinity, bos: 0, eos: 2 };

describe('origin windowing', () => {
  let tok: OriginTokenizer;
  before(function () {
    const p = path.join(MODEL_DIR, 'tokenizer.json');
    if (!fs.existsSync(p)) this.skip();
    tok = OriginTokenizer.fromFile(p);
  });

  it('cuts a long input into overlapping windows with offsets inside the document', () => {
    const text = longSource(60);
    const d = documentWindows(tok, text, OPTS);
    const n = d.tokens.ids.length;
    assert.ok(n > 1000, `only ${n} tokens`);
    assert.equal(d.truncated, false);
    assert.equal(d.windows.length, Math.ceil(Math.max(0, n - 254) / 192) + 1);
    d.windows.forEach((w, k) => {
      assert.equal(w.index, k);
      assert.equal(w.firstToken, k * 192);
      assert.ok(w.ids.length <= 256);
      assert.equal(w.ids[0], 0);
      assert.equal(w.ids[w.ids.length - 1], 2);
      assert.equal(w.tokens, w.ids.length - 2);
      for (let i = 1; i < w.ids.length - 1; i++) {
        assert.ok(w.starts[i]! >= 0 && w.starts[i]! < w.ends[i]! && w.ends[i]! <= text.length);
        if (i > 1) assert.equal(w.starts[i], w.ends[i - 1], 'tokens tile the text');
      }
      assert.equal(w.start, w.starts[1]);
      assert.equal(w.end, w.ends[w.ids.length - 2]);
    });
    assert.equal(d.windows[0]!.start, 0);
    assert.equal(d.windows.at(-1)!.end, text.length);
  });

  it('keeps only the first windows of a huge input and says it is truncated', () => {
    const text = longSource(60);
    const full = documentWindows(tok, text, OPTS);
    const d = documentWindows(tok, text, { ...OPTS, maxWindows: 2 });
    assert.equal(d.truncated, true);
    assert.equal(d.windows.length, 2);
    assert.deepEqual(d.windows.map((w) => w.ids), full.windows.slice(0, 2).map((w) => w.ids));
  });

  it('tokenizes only a prefix of a very long input, with the same windows as the whole text', () => {
    const text = longSource(600); // ~100 KB
    const full = documentWindows(tok, text, OPTS);
    const d = documentWindows(tok, text, { ...OPTS, maxWindows: 3 });
    assert.ok(d.tokens.ids.length < full.tokens.ids.length / 2, 'prefix tokenized');
    assert.equal(d.truncated, true);
    for (let k = 0; k < 3; k++) {
      assert.deepEqual(d.windows[k]!.ids, full.windows[k]!.ids);
      assert.deepEqual(d.windows[k]!.starts, full.windows[k]!.starts);
    }
  });

  it('gives one window to a short or empty input', () => {
    const d = documentWindows(tok, SMALL_PY, OPTS);
    assert.equal(d.windows.length, 1);
    assert.equal(d.windows[0]!.end, SMALL_PY.length);
    const e = documentWindows(tok, '', OPTS);
    assert.deepEqual(e.windows[0]!.ids, [0, 2]);
    assert.equal(e.windows[0]!.tokens, 0);
  });

  it('uses the special token ids of the manifest', () => {
    const d = documentWindows(tok, SMALL_PY, { ...OPTS, bos: 5, eos: 6 });
    assert.equal(d.windows[0]!.ids[0], 5);
    assert.equal(d.windows[0]!.ids.at(-1), 6);
  });
});
