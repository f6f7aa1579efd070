#!/usr/bin/env python3
"""learning-curves.png from training-log.jsonl: dev AUC and losses vs training tokens, one line per run."""
import json
import os
import sys

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, '..', 'code-origin-small'))


def main():
    log = sys.argv[1] if len(sys.argv) > 1 else os.path.join(OUT, 'training-log.jsonl')
    png = sys.argv[2] if len(sys.argv) > 2 else os.path.join(OUT, 'learning-curves.png')
    runs = {}
    for line in open(log):
        r = json.loads(line)
        runs.setdefault(r['run'], []).append(r)
    fig, ax = plt.subplots(1, 2, figsize=(11, 4))
    for k, (name, rs) in enumerate(runs.items()):
        rs.sort(key=lambda r: r['tokens_seen'])
        t = [r['tokens_seen'] / 1e6 for r in rs]
        label = f'{name} ({rs[0]["params"] / 1e6:.1f}M params)'
        ax[0].plot(t, [r['dev_auc'] for r in rs], marker='o', color=f'C{k}', label=label)
        ax[1].plot(t, [r['train_loss'] for r in rs], marker='.', linestyle='--', color=f'C{k}', label=f'{name} train')
        ax[1].plot(t, [r['dev_loss'] for r in rs], marker='o', color=f'C{k}', label=f'{name} dev')
    ax[0].set(xlabel='training tokens (M)', ylabel='dev AUC-ROC (subset, first 3 windows)', title='dev AUC')
    ax[1].set(xlabel='training tokens (M)', ylabel='cross-entropy', title='loss')
    for a in ax:
        a.grid(alpha=0.3)
        a.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    print('wrote', png)


if __name__ == '__main__':
    main()
