#!/usr/bin/env python3
"""Joins a trained transformer checkpoint and a lexical path (lexical.py) into one checkpoint:
logits = a * transformer logits + b * lexical logits (+ c on the llm logit), with a, b, c fit on the whole
dev split by logistic regression on the file-level logit differences (the run-time windows and
aggregation, data.score_files). evaluate.py and export.py take the result like any checkpoint.
Usage: combine.py TRANSFORMER.pt LEXICAL.pt OUT.pt [--work DIR]"""
import argparse
import json
import os
import sys

import numpy as np
import torch

import data
import metrics
from model import Config, OriginModel

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.normpath(os.path.join(HERE, '..', 'code-origin-small', 'work'))


class Part:
    """One path of the combined model, as score_files calls a model."""

    def __init__(self, model, which):
        self.model, self.which = model, which

    def eval(self):
        self.model.eval()
        return self

    def __call__(self, ids, mask):
        m = self.model
        if self.which == 'transformer':
            return m.head(m.encode(m.word_embeddings(ids), mask))[0]
        return m.lexical(ids, mask)[0]


def fit_stack(x, y, iters=200):
    """Logistic regression p = sigmoid(w . x + c) by Newton's method (3 parameters)."""
    X = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(X.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-X @ w))
        g = X.T @ (p - y)
        h = (X * (p * (1 - p))[:, None]).T @ X + 1e-6 * np.eye(X.shape[1])
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('transformer')
    ap.add_argument('lexical')
    ap.add_argument('out')
    ap.add_argument('--work', default=WORK)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--fp32-table', action='store_true', help='keep the lexical table in float32 (default: float16)')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    t = torch.load(a.transformer)
    lx = torch.load(a.lexical)
    base = {k: v for k, v in t['config'].items() if not k.startswith('lex_')}
    cfg = Config(**{**base, 'lex_buckets': lx['buckets'], 'lex_order': lx['order'], 'lex_fp16': not a.fp32_table})
    model = OriginModel(cfg)
    # The transformer checkpoint may already hold a lexical path (train.py --init --freeze-lexical): it is
    # replaced by LEXICAL's and the weights are fit again.
    missing, unexpected = model.load_state_dict(t['model'], strict=False)
    assert set(missing) <= {'lex.weight', 'lex_bias'} and not unexpected, (missing, unexpected)
    with torch.no_grad():
        model.lex.weight.copy_(lx['weight'])
        model.lex_bias.copy_(lx['bias'])
    model.eval()
    meta = data.load_meta(a.work)
    dev = data.Split(a.work, 'dev', meta)
    idx = list(range(len(dev)))
    with torch.no_grad():
        lt = data.score_files(Part(model, 'transformer'), dev, idx)
        ll = data.score_files(Part(model, 'lexical'), dev, idx)
    x = np.stack([lt[:, 1] - lt[:, 0], ll[:, 1] - ll[:, 0]], axis=1)
    wa, wb, c = fit_stack(x, dev.y.astype(np.float64))
    combined = x @ np.array([wa, wb]) + c
    aucs = {'transformer': metrics.auc(dev.y, 1 / (1 + np.exp(-x[:, 0]))), 'lexical': metrics.auc(dev.y, 1 / (1 + np.exp(-x[:, 1]))),
            'combined': metrics.auc(dev.y, 1 / (1 + np.exp(-combined)))}
    with torch.no_grad():
        model.out_proj.weight *= wa
        model.out_proj.bias *= wa
        model.lex.weight *= wb
        model.lex_bias *= wb
        model.lex_bias[1] += c
    info = {'a': float(wa), 'b': float(wb), 'c': float(c), 'dev_files': len(idx), 'dev_auc': aucs,
            'transformer': os.path.basename(a.transformer), 'lexical': os.path.basename(a.lexical),
            'lexical_epoch': lx['epoch'], 'lexical_args': lx['args']}
    torch.save({'model': model.state_dict(), 'config': cfg.to_dict(), 'state': t['state'], 'args': t['args'],
                'kept_ids': t.get('kept_ids'), 'combine': info}, a.out)
    print(json.dumps(info), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
