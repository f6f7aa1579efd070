#!/usr/bin/env python3
"""Leave-one-source-out (LOSO) evaluation: for each source, train the recipe on the other sources and score
that source, which the model never saw. Predictions go to OUT/preds_NAME.jsonl ({id, fold, source, language,
label, p}); summarise.py turns them into tables, thresholds and calibration.

Recipes (--recipe):
  lexical      the lexical path alone (lexical.py as shipped: order 4, 2^21 rows, 3 epochs, decay 0.3)
  hybrid       the shipped recipe: the lexical path, then a transformer trained from scratch on top of it
               (train.py --init --freeze-lexical, --transformer-tokens), joined by combine.py (weights fit on
               the fold's dev split); temperature fit on the fold's dev split
  tfidf        the README baseline: character 2-4-gram TF-IDF + logistic regression on the raw code
Each fold trains on the train split of the other sources and picks epochs / weights on their dev split.
gptsniffer-test is never trained on; it is held out with gptsniffer (one dataset).
Usage: loso.py WORK OUT --recipe hybrid [--name NAME] [--folds a,b] [--transformer-tokens 400000]
       loso.py WORK OUT --recipe hybrid --final    (the same recipe on every source: the shipped checkpoint,
       OUT/final.pt, and WORK/views/final for evaluate.py --work)
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch

import data
import folds
import metrics
from evaluate import fit_temperature
from model import Config, OriginModel, UNK_ID

HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable


def run(cmd, log):
    t = time.time()
    with open(log, 'a') as f:
        f.write('$ ' + ' '.join(cmd) + '\n')
        f.flush()
        subprocess.run(cmd, check=True, stdout=f, stderr=subprocess.STDOUT, cwd=HERE)
    return time.time() - t


def fresh_hybrid(view, lex_path, out, hidden=128, layers=2, heads=4, min_count=2):
    """An untrained transformer joined to a trained lexical path (weights 1 and 1), as train.py --init reads."""
    meta = data.load_meta(view)
    train = data.Split(view, 'train', meta)
    counts = np.bincount(np.concatenate([train.tokens(i) for i in range(len(train))]), minlength=50265)
    kept = sorted(set(np.nonzero(counts >= min_count)[0].tolist()) | {0, 1, 2, UNK_ID, 4})
    lx = torch.load(lex_path)
    torch.manual_seed(1234)
    cfg = Config(hidden=hidden, layers=layers, heads=heads, intermediate=4 * hidden, compact_vocab=len(kept),
                 lex_buckets=lx['buckets'], lex_order=lx['order'], lex_fp16=False)
    model = OriginModel(cfg)
    model.set_id_map(kept)
    with torch.no_grad():
        model.lex.weight.copy_(lx['weight'])
        model.lex_bias.copy_(lx['bias'])
    torch.save({'model': model.state_dict(), 'config': cfg.to_dict(), 'kept_ids': kept,
                'state': {'tokens': 0}, 'args': {'seed': 1234}}, out)


def recipe_hybrid(view, ckpt, log, a):
    """Trains the recipe on view's train/dev; returns (checkpoint path, temperature, seconds)."""
    os.makedirs(ckpt, exist_ok=True)
    secs = run([PY, 'lexical.py', f'{ckpt}/lex.pt', '--work', view, '--epochs', '3', '--decay', '0.3',
                '--threads', str(a.threads), *a.lexical_args.split()], log)
    final = f'{ckpt}/lex.pt'
    if a.recipe == 'hybrid':
        fresh_hybrid(view, f'{ckpt}/lex.pt', f'{ckpt}/hyb0.pt')
        secs += run([PY, 'train.py', '--run', 'res', '--work', view, '--ckpt-dir', ckpt, '--log', f'{ckpt}/train-log.jsonl',
                     '--init', f'{ckpt}/hyb0.pt', '--freeze-lexical', '--total-tokens', str(a.transformer_tokens),
                     '--eval-tokens', str(a.transformer_tokens), '--dev-files', '150', '--lr', '1e-3', '--warmup', '30',
                     '--threads', str(a.threads)], log)
        secs += run([PY, 'combine.py', f'{ckpt}/res.pt', f'{ckpt}/lex.pt', f'{ckpt}/final.pt', '--work', view,
                     '--threads', str(a.threads)], log)
        final = f'{ckpt}/final.pt'
    return final, secs


def load_model(path):
    c = torch.load(path)
    if 'config' in c:  # a transformer or combined checkpoint
        m = OriginModel(Config(**c['config']))
        m.load_state_dict(c['model'])
        return m.eval()
    return LexicalOnly(c)


class LexicalOnly:
    """A lexical.py checkpoint scored like a model: file logits = bias + sum of rows / token count."""

    def __init__(self, c):
        cfg = Config(hidden=8, layers=0, heads=1, intermediate=8, compact_vocab=8,
                     lex_buckets=c['buckets'], lex_order=c['order'], lex_fp16=False)
        self.m = OriginModel(cfg)
        with torch.no_grad():
            self.m.lex.weight.copy_(c['weight'])
            self.m.lex_bias.copy_(c['bias'])

    def eval(self):
        self.m.eval()
        return self

    def __call__(self, ids, mask):
        return self.m.lexical(ids, mask)[0]


def score(model, view, name):
    meta = data.load_meta(view)
    sp = data.Split(view, name, meta)
    with torch.no_grad():
        lo = data.score_files(model, sp, list(range(len(sp))))
    return sp, lo


def tfidf_fold(work, train_ids, eval_ids, code_file='all.jsonl'):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    code = {}
    with open(os.path.join(work, code_file)) as f:
        for line in f:
            r = json.loads(line)
            code[r['id']] = r['code']
    meta = folds.read_meta(work)
    vec = TfidfVectorizer(analyzer='char', ngram_range=(2, 4), sublinear_tf=True, min_df=2, max_features=300000,
                          dtype=np.float32)
    x = vec.fit_transform([code[i] for i in train_ids])
    y = np.array([meta[i]['label'] == 'llm' for i in train_ids], dtype=int)
    lr = LogisticRegression(C=4.0, max_iter=2000)
    lr.fit(x, y)
    return lr.predict_proba(vec.transform([code[i] for i in eval_ids]))[:, 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('work')
    ap.add_argument('out')
    ap.add_argument('--recipe', choices=['lexical', 'hybrid', 'tfidf'], required=True)
    ap.add_argument('--name', help='predictions file name (default: the recipe)')
    ap.add_argument('--folds', help='comma-separated folds (default: every source)')
    ap.add_argument('--transformer-tokens', type=int, default=400000)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--lexical-args', default='', help='extra lexical.py arguments, e.g. "--order 2 --balance cells"')
    ap.add_argument('--code', default='all.jsonl',
                    help='tfidf: the {id, code} file in WORK it reads (tok_all.text.jsonl: the canonical text)')
    ap.add_argument('--final', action='store_true', help='train on every source (train/dev splits) instead')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    name = a.name or a.recipe
    os.makedirs(a.out, exist_ok=True)
    meta = folds.read_meta(a.work)
    if a.final:
        view = os.path.join(a.work, 'views', 'final')
        split_is = lambda s: (lambda m: m['split'] == s and folds.in_training(m))  # noqa: E731
        print(folds.make_view(a.work, view, {'train': split_is('train'), 'dev': split_is('dev'), 'test': split_is('test'),
                                             'gptsniffer_test': lambda m: m['source'] == 'gptsniffer-test'}), flush=True)
        ck, secs = recipe_hybrid(view, os.path.join(a.out, 'final'), os.path.join(a.out, 'log_final.txt'), a)
        print(json.dumps({'checkpoint': ck, 'train_s': round(secs, 1)}), flush=True)
        return 0
    all_folds = sorted({folds.fold_of(m) for m in meta.values()})
    chosen = a.folds.split(',') if a.folds else all_folds
    preds_path = os.path.join(a.out, f'preds_{name}.jsonl')
    done = set()
    if os.path.exists(preds_path):
        with open(preds_path) as f:
            done = {json.loads(line)['fold'] for line in f}
    log = os.path.join(a.out, f'log_{name}.txt')
    for fold in chosen:
        if fold in done:
            print(f'{fold}: already scored', flush=True)
            continue
        t0 = time.time()
        view = os.path.join(a.work, 'views', f'{name}-{fold}')
        other = lambda m, s: m['split'] == s and folds.fold_of(m) != fold and folds.in_training(m)  # noqa: E731
        counts = folds.make_view(a.work, view, {
            'train': lambda m: other(m, 'train'), 'dev': lambda m: other(m, 'dev'),
            'eval': lambda m: folds.fold_of(m) == fold,
        })
        if a.recipe == 'tfidf':
            idx = folds.read_index(a.work)
            tr = [r['id'] for r in idx if other(meta[r['id']], 'train')]
            ev = [r['id'] for r in idx if folds.fold_of(meta[r['id']]) == fold]
            ps = tfidf_fold(a.work, tr, ev, a.code)
            rows = list(zip(ev, ps))
            extra = {}
        else:
            ck, secs = recipe_hybrid(view, os.path.join(a.work, 'ckpt', f'{name}-{fold}'), log, a)
            model = load_model(ck)
            _, dlo = score(model, view, 'dev')
            dsp = data.Split(view, 'dev', data.load_meta(view))
            temp = fit_temperature(dsp.y, dlo)
            sp, lo = score(model, view, 'eval')
            ps = metrics.p_llm(lo / temp)
            rows = [(sp.index[i]['id'], float(p)) for i, p in enumerate(ps)]
            extra = {'temperature': temp, 'train_s': round(secs, 1)}
        with open(preds_path, 'a') as f:
            for i, p in rows:
                m = meta[i]
                f.write(json.dumps({'id': i, 'fold': fold, 'source': m['source'], 'language': m['language'],
                                    'label': m['label'], 'p': round(float(p), 6)}) + '\n')
        y = np.array([meta[i]['label'] == 'llm' for i, _ in rows], dtype=int)
        p = np.array([p for _, p in rows])
        auc = metrics.auc(y, p) if 0 < y.sum() < len(y) else None
        fpr = float((p[y == 0] >= 0.5).mean()) if (y == 0).any() else None
        print(json.dumps({'fold': fold, 'counts': counts, 'auc': auc, 'fpr@0.5': fpr, **extra,
                          'seconds': round(time.time() - t0, 1)}), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
