"""Tokenized splits (written by dist/tokenize-dataset.js) and the windowing shared by training and eval.
Windows mirror server/src/origin/tokenizer.ts: `<s>` + up to LENGTH-2 content tokens + `</s>`, starts STRIDE apart."""
import hashlib
import json
import os

import numpy as np
import torch

BOS, PAD, EOS = 0, 1, 2
WINDOW_LENGTH = 256   # = WINDOW_LENGTH in tokenizer.ts
WINDOW_STRIDE = 254   # = WINDOW_STRIDE in tokenizer.ts (no overlap)
LABELS = ['human', 'llm']


class Split:
    def __init__(self, work, name, meta):
        self.name = name
        self.ids = np.fromfile(os.path.join(work, f'tok_{name}.u16'), dtype='<u2').astype(np.int64)
        with open(os.path.join(work, f'tok_{name}.index.jsonl')) as f:
            self.index = [json.loads(line) for line in f]
        self.meta = [meta[r['id']] for r in self.index]
        self.y = np.array([LABELS.index(m['label']) for m in self.meta], dtype=np.int64)

    def __len__(self):
        return len(self.index)

    def tokens(self, i):
        r = self.index[i]
        return self.ids[r['start']:r['start'] + r['count']]

    def digest(self):
        h = hashlib.sha1(self.ids.tobytes())
        h.update(json.dumps([r['id'] for r in self.index]).encode())
        return h.hexdigest()[:16]


def load_meta(work):
    with open(os.path.join(work, 'meta.jsonl')) as f:
        return {m['id']: m for m in (json.loads(line) for line in f)}


def windows(tokens, length=WINDOW_LENGTH, stride=WINDOW_STRIDE):
    """All windows of one file, as in OriginTokenizer.windows; returns (list of id arrays, content sizes)."""
    content = length - 2
    out, sizes = [], []
    first = 0
    n = len(tokens)
    while True:
        last = min(first + content, n)
        out.append(np.concatenate([[BOS], tokens[first:last], [EOS]]))
        sizes.append(max(last - first, 1))
        if last >= n:
            break
        first += stride
    return out, sizes


def random_window(tokens, rng, length=WINDOW_LENGTH):
    """Training sample: one window at a random start (any token, not only stride multiples)."""
    content = length - 2
    n = len(tokens)
    start = int(rng.integers(0, n - content + 1)) if n > content else 0
    return np.concatenate([[BOS], tokens[start:start + content], [EOS]])


def pad_batch(seqs):
    t = max(len(s) for s in seqs)
    ids = np.full((len(seqs), t), PAD, dtype=np.int64)
    mask = np.zeros((len(seqs), t), dtype=np.int64)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = s
        mask[i, :len(s)] = 1
    return torch.from_numpy(ids), torch.from_numpy(mask)


@torch.no_grad()
def score_files(model, split, files, max_windows=None, batch_tokens=16384):
    """File-level logits: token-weighted mean of window logits (windows as at run time).
    Returns [len(files), 2] float64 logits."""
    model.eval()
    items = []  # (file position, window ids, weight)
    for k, i in enumerate(files):
        ws, sizes = windows(split.tokens(i))
        if max_windows:
            ws, sizes = ws[:max_windows], sizes[:max_windows]
        items += [(k, w, s) for w, s in zip(ws, sizes)]
    items.sort(key=lambda it: len(it[1]))  # similar lengths together: little padding
    acc = np.zeros((len(files), 2))
    wsum = np.zeros(len(files))
    b = 0
    while b < len(items):
        e = b
        while e < len(items) and (e - b + 1) * len(items[e][1]) <= batch_tokens:
            e += 1
        e = max(e, b + 1)
        chunk = items[b:e]
        ids, mask = pad_batch([it[1] for it in chunk])
        lo = model(ids, mask).double().numpy()
        for (k, _, s), l in zip(chunk, lo):
            acc[k] += s * l
            wsum[k] += s
        b = e
    return acc / wsum[:, None]
