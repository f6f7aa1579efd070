#!/usr/bin/env python3
"""Trains the lexical path of the origin model: one logit pair per token id and per hashed bigram and
trigram (model.lex_rows), a file's lexical logits being their sum over its tokens / its token count.
It is a linear model, so it trains on whole files in minutes (Adam, a few epochs, the best dev AUC kept),
and the run-time windows' token-weighted mean of lexical logits equals the file's, but for the n-grams
that cross a window boundary. combine.py then joins it to a trained transformer.
Usage: lexical.py OUT.pt [--work DIR] [--train-split train|train_full] [--buckets 2097152] [--order 4] [--epochs 4] [--lr 0.05]"""
import argparse
import collections
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import data
import metrics
from model import VOCAB_SIZE, lex_rows

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.normpath(os.path.join(HERE, '..', 'code-origin-small', 'work'))


def file_rows(tokens, buckets, order):
    """The rows a file's n-grams read: model.lex_rows on the file as one window without specials."""
    t = torch.from_numpy(tokens.astype(np.int64))[None]
    return torch.cat([r.reshape(-1) for r in lex_rows(t, buckets, order)]).numpy()


def bags(split, idx, buckets, order):
    """EmbeddingBag inputs: rows, offsets and per-row weights 1 / token count."""
    rows, offs, wts = [], [], []
    o = 0
    for i in idx:
        t = split.tokens(i)
        r = file_rows(t, buckets, order)
        rows.append(r)
        wts.append(np.full(len(r), 1.0 / max(1, len(t)), dtype=np.float32))
        offs.append(o)
        o += len(r)
    return torch.from_numpy(np.concatenate(rows)), torch.from_numpy(np.array(offs)), torch.from_numpy(np.concatenate(wts))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--work', default=WORK)
    ap.add_argument('--buckets', type=int, default=2 ** 21)
    ap.add_argument('--order', type=int, default=4)
    ap.add_argument('--epochs', type=int, default=4)
    ap.add_argument('--lr', type=float, default=0.05)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--l2', type=float, default=1e-6)
    ap.add_argument('--decay', type=float, default=1.0, help='learning rate factor per epoch')
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--balance', choices=['none', 'cells'], default='none',
                    help='cells: every (source, label) cell weighs the same in the loss, so that neither a large '
                         'source nor a source\'s label mix (a domain that is mostly LLM in the pool) is learnt as a cue')
    ap.add_argument('--train-split', default='train',
                    help='train, or train_full (prepare_data.py --full-train: every training-group file, uncapped)')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    meta = data.load_meta(a.work)
    train, dev = data.Split(a.work, a.train_split, meta), data.Split(a.work, 'dev', meta)
    # Each (source, label) cell weighs what it weighs in the capped training split: more files of a capped
    # source add n-grams, not weight (gcj2020 alone is 72k of the 77k uncapped files).
    capped = data.Split(a.work, 'train', meta) if a.train_split != 'train' else train
    cell = lambda m: (m['source'], m['label'])  # noqa: E731
    want = collections.Counter(cell(m) for m in capped.meta)
    have = collections.Counter(cell(m) for m in train.meta)
    # --balance cells: each cell's total weight is the mean cell's instead of its own size.
    target = (lambda c: sum(want.values()) / len(want)) if a.balance == 'cells' else want.__getitem__  # noqa: E731
    sample_w = torch.tensor([target(cell(m)) / have[cell(m)] for m in train.meta], dtype=torch.float32)
    table = torch.nn.EmbeddingBag(VOCAB_SIZE + a.buckets, 2, mode='sum')
    torch.nn.init.zeros_(table.weight)
    bias = torch.nn.Parameter(torch.zeros(2))
    # A learned 2x2 mixing of the table's logit pairs, folded into the table when saved: Adam on the bare
    # table trained poorly (dev AUC 0.969 vs 0.981 with the mixing, same data and epochs).
    mix = torch.nn.Linear(2, 2)
    opt = torch.optim.Adam([table.weight, bias] + list(mix.parameters()), lr=a.lr)
    dx = bags(dev, range(len(dev)), a.buckets, a.order)
    y = torch.from_numpy(train.y)
    best = {'dev_auc': -1.0}
    log = []
    t0 = time.time()
    for ep in range(a.epochs):
        for g in opt.param_groups:
            g['lr'] = a.lr * a.decay ** ep
        perm = np.random.default_rng([a.seed, ep]).permutation(len(train))
        for s in range(0, len(train), a.batch):
            idx = perm[s:s + a.batch]
            r, o, w = bags(train, idx, a.buckets, a.order)
            lo = mix(table(r, o, per_sample_weights=w)) + bias
            sw = sample_w[idx]
            loss = (F.cross_entropy(lo, y[idx], reduction='none') * sw).sum() / sw.sum() + a.l2 * table.weight.pow(2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            dl = (mix(table(*dx[:2], per_sample_weights=dx[2])) + bias).double().numpy()
        auc = metrics.auc(dev.y, metrics.p_llm(dl))
        rec = {'epoch': ep, 'dev_auc': auc, 'elapsed_s': round(time.time() - t0, 1)}
        log.append(rec)
        print(json.dumps(rec), flush=True)
        if auc > best['dev_auc']:
            with torch.no_grad():  # fold the mixing: logits = W (sum w_r E_r) + b + bias = sum w_r (W E_r) + (b + bias)
                best = {'dev_auc': auc, 'epoch': ep, 'weight': table.weight @ mix.weight.T, 'bias': bias + mix.bias}
    torch.save({'weight': best['weight'], 'bias': best['bias'], 'buckets': a.buckets, 'order': a.order,
                'dev_auc': best['dev_auc'], 'epoch': best['epoch'], 'log': log, 'args': vars(a),
                'data_hash': {'train': train.digest(), 'dev': dev.digest()}}, a.out)
    print(json.dumps({'best_epoch': best['epoch'], 'dev_auc': best['dev_auc']}), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
