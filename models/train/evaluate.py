#!/usr/bin/env python3
"""Scores a checkpoint on dev (threshold + temperature), test (grouped split, all sources) and
gptsniffer-test, with the run-time windowing and aggregation (data.score_files). Writes eval.json.
Temperature T (fit on dev by NLL) is folded into the head before export, so model.onnx emits calibrated
logits. Usage: evaluate.py CHECKPOINT OUT_JSON [--dev-files N] [--threads 2]"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

import data
import metrics
from model import Config, OriginModel
from train import dev_subset

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.normpath(os.path.join(HERE, '..', 'code-origin-small', 'work'))
# TF-IDF + logistic regression test AUCs from /work/shared/datasets/README.md (same pool, grouped split)
TFIDF_AUC = {'curated-mixed': 0.953, 'gcj2020': 0.988, 'gptjava-rewrite': 0.983, 'gptsniffer': 0.974,
             'realclasseval': 0.958, 'whodunit': 0.993}


def fit_temperature(y, logits):
    best = (1e9, 1.0)
    for t in np.exp(np.linspace(np.log(0.2), np.log(5), 161)):
        p = metrics.p_llm(logits / t)
        nll = -np.mean(np.log(np.where(y == 1, p, 1 - p) + 1e-12))
        best = min(best, (nll, float(t)))
    return best[1]


def breakdown(split, idx, logits, threshold, key):
    out = {}
    vals = sorted({split.meta[i][key] for i in idx})
    for v in vals:
        sel = [k for k, i in enumerate(idx) if split.meta[i][key] == v]
        out[v] = metrics.summary(split.y[[idx[k] for k in sel]], logits[sel], threshold)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('checkpoint')
    ap.add_argument('out')
    ap.add_argument('--work', default=WORK)
    ap.add_argument('--dev-files', type=int, default=300)
    ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    c = torch.load(a.checkpoint)
    model = OriginModel(Config(**c['config']))
    model.load_state_dict(c['model'])
    model.eval()
    meta = data.load_meta(a.work)
    res = {'checkpoint': os.path.basename(a.checkpoint), 'tokens_seen': c['state']['tokens'],
           **({'combine': c['combine']} if c.get('combine') else {}),
           'window': {'length': data.WINDOW_LENGTH, 'stride': data.WINDOW_STRIDE},
           'aggregation': 'token_weighted_mean_logits'}
    t0 = time.time()

    dev = data.Split(a.work, 'dev', meta)
    didx = dev_subset(dev, a.dev_files, c['args'].get('seed', 1234))
    dlog = data.score_files(model, dev, didx)
    dy = dev.y[didx]
    temp = fit_temperature(dy, dlog)
    dlog = dlog / temp
    thr = metrics.best_threshold(dy, metrics.p_llm(dlog))
    res['temperature'] = temp
    res['threshold'] = thr
    res['dev'] = metrics.summary(dy, dlog, thr)
    print('dev', json.dumps(res['dev']), f'T={temp:.3f} thr={thr:.4f}', f'{time.time() - t0:.0f}s', flush=True)

    scores = {}
    for name in ('test', 'gptsniffer_test'):
        sp = data.Split(a.work, name, meta)
        idx = list(range(len(sp)))
        lo = data.score_files(model, sp, idx) / temp
        res[name] = {'all': metrics.summary(sp.y, lo, thr), 'at_0.5': metrics.summary(sp.y, lo, 0.5),
                     'by_source': breakdown(sp, idx, lo, thr, 'source'),
                     'by_language': breakdown(sp, idx, lo, thr, 'language'),
                     'by_generator': breakdown(sp, idx, lo, thr, 'generator')}
        scores[name] = {sp.index[i]['id']: float(p) for i, p in enumerate(metrics.p_llm(lo))}
        print(name, json.dumps(res[name]['all']), f'{time.time() - t0:.0f}s', flush=True)
    res['tfidf_baseline_auc'] = TFIDF_AUC
    res['eval_seconds'] = round(time.time() - t0, 1)
    with open(a.out, 'w') as f:
        json.dump(metrics.json_safe(res), f, indent=1)
    with open(os.path.join(a.work, 'scores.json'), 'w') as f:
        json.dump(scores, f)
    return 0


if __name__ == '__main__':
    sys.exit(main())
