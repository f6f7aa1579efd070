#!/usr/bin/env python3
"""Trains the origin classifier from scratch on tokenized splits; resumable.

Each epoch every training file contributes one window of WINDOW_LENGTH tokens at a random start; batches
group similar lengths. Every --eval-tokens it scores a fixed, stratified dev subset (first 3 windows per
file, same aggregation as run time), appends to training-log.jsonl and writes a checkpoint.
Stops at --total-tokens (which also sets the LR schedule) or after --max-minutes (resume with the same
command). Usage: train.py --run NAME --hidden 128 --layers 2 [--total-tokens N] [--max-minutes M]
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import data
import metrics
from model import Config, OriginModel, count_parameters, UNK_ID

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, '..', 'code-origin-small'))


def parse():
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', required=True)
    ap.add_argument('--work', default=os.path.join(OUT, 'work'))
    ap.add_argument('--ckpt-dir', default=os.path.join(OUT, 'checkpoints'))
    ap.add_argument('--log', default=os.path.join(OUT, 'training-log.jsonl'))
    ap.add_argument('--hidden', type=int, default=128)
    ap.add_argument('--layers', type=int, default=2)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--min-count', type=int, default=2, help='ids seen fewer times in train map to <unk>')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--warmup', type=int, default=60)
    ap.add_argument('--total-tokens', type=float, default=4.5e6)
    ap.add_argument('--eval-tokens', type=float, default=300e3)
    ap.add_argument('--dev-files', type=int, default=300)
    ap.add_argument('--max-minutes', type=float, default=1e9)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--init', help='start from this checkpoint (its config, weights and kept ids), e.g. a combined one')
    ap.add_argument('--freeze-lexical', action='store_true',
                    help='with --init of a combined checkpoint: train the transformer on top of the fixed lexical path')
    return ap.parse_args()


def dev_subset(split, n, seed):
    """Fixed stratified subset: the same share of every (source, label) cell."""
    rng = random.Random(seed)
    cells = {}
    for i, m in enumerate(split.meta):
        cells.setdefault((m['source'], m['label']), []).append(i)
    frac = min(1.0, n / len(split))
    out = []
    for key in sorted(cells):
        idx = cells[key]
        rng.shuffle(idx)
        out += idx[:max(1, round(len(idx) * frac))]
    return sorted(out)


def epoch_batches(split, epoch, seed, batch):
    rng = np.random.default_rng([seed, epoch])
    seqs = [data.random_window(split.tokens(i), rng) for i in range(len(split))]
    order = rng.permutation(len(split))
    # sort by length inside chunks of 50 batches: little padding, still random
    chunks = [order[i:i + 50 * batch] for i in range(0, len(order), 50 * batch)]
    batches = []
    for ch in chunks:
        ch = sorted(ch, key=lambda i: len(seqs[i]))
        batches += [ch[i:i + batch] for i in range(0, len(ch), batch)]
    rng.shuffle(batches)
    return [([seqs[i] for i in b], split.y[b]) for b in batches]


def main():
    a = parse()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    meta = data.load_meta(a.work)
    train, dev = data.Split(a.work, 'train', meta), data.Split(a.work, 'dev', meta)
    data_hash = {'train': train.digest(), 'dev': dev.digest()}
    counts = np.bincount(train.ids, minlength=50265)
    kept = sorted(set(np.nonzero(counts >= a.min_count)[0].tolist()) | {0, 1, 2, UNK_ID, 4})
    init = torch.load(a.init) if a.init else None
    if init:
        kept = init['kept_ids']
        cfg = Config(**init['config'])
        model = OriginModel(cfg)
        model.load_state_dict(init['model'])
    else:
        cfg = Config(hidden=a.hidden, layers=a.layers, heads=a.heads, intermediate=4 * a.hidden, compact_vocab=len(kept))
        model = OriginModel(cfg)
        model.set_id_map(kept)
    if a.freeze_lexical and cfg.lex_buckets:
        # The transformer learns what the lexical path gets wrong (its logits are added, its rows fixed).
        model.lex.weight.requires_grad_(False)
        model.lex_bias.requires_grad_(False)
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in trainable if p.dim() > 1 and 'word' not in n and 'pos' not in n and 'lex' not in n]
    no_decay = [p for n, p in trainable if not (p.dim() > 1 and 'word' not in n and 'pos' not in n and 'lex' not in n)]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.01}, {'params': no_decay, 'weight_decay': 0.0}],
                            lr=a.lr, betas=(0.9, 0.98), eps=1e-6)
    avg_tokens = np.mean([min(len(train.tokens(i)), data.WINDOW_LENGTH - 2) + 2 for i in range(len(train))])
    total_steps = max(1, int(a.total_tokens / (avg_tokens * a.batch)))

    def lr_at(step):  # linear warmup, cosine decay to 5%
        if step < a.warmup:
            return a.lr * (step + 1) / a.warmup
        t = min(1.0, (step - a.warmup) / max(1, total_steps - a.warmup))
        return a.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * t)))

    os.makedirs(a.ckpt_dir, exist_ok=True)
    ckpt = os.path.join(a.ckpt_dir, f'{a.run}.pt')
    state = {'step': 0, 'epoch': 0, 'batch_in_epoch': 0, 'tokens': 0, 'next_eval': a.eval_tokens,
             'elapsed': 0.0, 'loss_sum': 0.0, 'loss_n': 0, 'best_auc': -1.0}
    if os.path.exists(ckpt):
        c = torch.load(ckpt)
        model.load_state_dict(c['model'])
        opt.load_state_dict(c['opt'])
        state = c['state']
        torch.set_rng_state(c['torch_rng'])
        print(f'resumed {ckpt} at step {state["step"]}, {state["tokens"]:.0f} tokens', flush=True)
    n_params = count_parameters(model)
    dev_idx = dev_subset(dev, a.dev_files, a.seed)
    print(f'run {a.run}: {cfg.to_dict()} params {n_params} vocab rows {len(kept)} total_steps {total_steps} '
          f'dev subset {len(dev_idx)}', flush=True)

    def save(path):
        torch.save({'model': model.state_dict(), 'opt': opt.state_dict(), 'state': state, 'config': cfg.to_dict(),
                    'kept_ids': kept, 'torch_rng': torch.get_rng_state(), 'args': vars(a)}, path + '.tmp')
        os.replace(path + '.tmp', path)

    def evaluate():
        t = time.time()
        lo = data.score_files(model, dev, dev_idx, max_windows=3)
        y = dev.y[dev_idx]
        p = metrics.p_llm(lo)
        loss = float(-np.mean(np.log(np.where(y == 1, p, 1 - p) + 1e-12)))
        rec = {'run': a.run, 'step': state['step'], 'epoch': state['epoch'], 'tokens_seen': int(state['tokens']),
               'elapsed_s': round(state['elapsed'], 1), 'train_loss': state['loss_sum'] / max(1, state['loss_n']),
               'dev_loss': loss, 'dev_auc': metrics.auc(y, p), 'dev_f1': metrics.f1(y, (p >= 0.5).astype(int)),
               'dev_files': len(dev_idx), 'lr': lr_at(state['step']), 'params': n_params, 'config': cfg.to_dict(),
               'batch': a.batch, 'data_hash': data_hash, 'seed': a.seed, 'eval_s': round(time.time() - t, 1)}
        with open(a.log, 'a') as f:
            f.write(json.dumps(rec) + '\n')
        print(json.dumps({k: rec[k] for k in ('step', 'tokens_seen', 'elapsed_s', 'train_loss', 'dev_loss',
                                              'dev_auc', 'dev_f1', 'eval_s')}), flush=True)
        state['loss_sum'], state['loss_n'] = 0.0, 0
        model.train()
        return rec

    started = time.time()
    base_elapsed = state['elapsed']
    model.train()
    while state['tokens'] < a.total_tokens:
        batches = epoch_batches(train, state['epoch'], a.seed, a.batch)
        while state['batch_in_epoch'] < len(batches):
            seqs, y = batches[state['batch_in_epoch']]
            ids, mask = data.pad_batch(seqs)
            for g in opt.param_groups:
                g['lr'] = lr_at(state['step'])
            loss = F.cross_entropy(model(ids, mask), torch.from_numpy(y))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
            opt.step()
            state['step'] += 1
            state['batch_in_epoch'] += 1
            state['tokens'] += int(mask.sum())
            state['loss_sum'] += float(loss)
            state['loss_n'] += 1
            state['elapsed'] = base_elapsed + time.time() - started
            if state['tokens'] >= state['next_eval'] or state['tokens'] >= a.total_tokens:
                state['next_eval'] += a.eval_tokens
                rec = evaluate()
                if rec['dev_auc'] > state['best_auc']:
                    state['best_auc'] = rec['dev_auc']
                    save(os.path.join(a.ckpt_dir, f'{a.run}.best.pt'))
                save(ckpt)
            if state['tokens'] >= a.total_tokens:
                break
            if (time.time() - started) / 60 > a.max_minutes:
                save(ckpt)
                print('time limit reached; checkpoint saved', flush=True)
                return 0
        else:
            state['epoch'] += 1
            state['batch_in_epoch'] = 0
    save(ckpt)
    print('done', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
