#!/usr/bin/env python3
"""Turns leave-one-source-out predictions (loso.py) into what ships and what is reported:
  - the verdict thresholds: `llm` at the smallest p_llm where human code of unseen sources is flagged at most
    --max-fpr overall and at most --max-fold-fpr in every source with enough human files, and for each
    evaluated language whose own human code needs more, the same rule within the language (a language's
    threshold only ever tightens the model's); a language is evaluated with at least 100 files of each label
    and `llm` flagging its LLM files at least --min-lr times as often as its human files; `human` at the
    largest p_llm where at most --max-miss of LLM code is cleared (pooled; --max-fold-miss in every source
    with enough LLM files) and the verdict is evidence: human files get it at least --min-lr times as
    often as LLM files (--min-lr; 0 when no p_llm qualifies: the model then never says `human`); in between `inconclusive`;
  - with --token-counts, the fewest model tokens a text needs for a verdict: the shortest length L of a grid
    from which the band [L, 2L) meets the same standard as the model (human FPR <= --max-fpr, and LLM files
    flagged at least --min-lr times as often as human ones);
  - an isotonic calibration p_llm -> P(llm) fit on the pooled LOSO predictions, with its ECE measured
    cross-fitted (each fold calibrated by a map fit on the other folds);
  - per source and per language tables (AUC, TPR, FPR at the chosen threshold and at 0.5), beside other
    prediction files (e.g. the TF-IDF baseline) given with --compare.
Writes OUT.json (the manifest's `verdict` block + tables) and OUT.md.
Usage: summarise.py PREDS.jsonl OUT [--compare NAME=PREDS.jsonl ...] [--compare-from SUMMARY.json] [--max-fpr 0.01]
"""
import argparse
import collections
import json
import sys

import numpy as np
from sklearn.isotonic import IsotonicRegression

import metrics

MIN_FOLD_HUMAN = 50      # a source's FPR constrains the threshold only with this many human files
MIN_EVAL_PER_LABEL = 100  # a language is "evaluated" with this many LOSO files of each label


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def arrays(rows):
    return np.array([r['label'] == 'llm' for r in rows], dtype=int), np.array([r['p'] for r in rows])


def choose_llm_threshold(rows, max_fpr, max_fold_fpr):
    y, p = arrays(rows)
    by_fold = collections.defaultdict(list)
    for r in rows:
        if r['label'] == 'human':
            by_fold[r['fold']].append(r['p'])
    candidates = np.unique(np.concatenate([p, [0.5, 1.0]]))
    for t in candidates[candidates >= 0.5]:
        if (p[y == 0] >= t).mean() > max_fpr:
            continue
        if any(len(v) >= MIN_FOLD_HUMAN and (np.array(v) >= t).mean() > max_fold_fpr for v in by_fold.values()):
            continue
        # strictly above every human p that would be flagged at a lower candidate
        return float(t)
    return 1.0


def choose_human_threshold(rows, max_miss, max_fold_miss, min_lr, llm_threshold):
    """The largest t where p_llm <= t clears at most max_miss of LLM files pooled, at most max_fold_miss of
    any source's, and is a likelihood ratio of at least min_lr for human code (one unseen LLM file
    assumed below t): without the last, a source
    whose LLM code the model scores lowest of all (realclasseval) makes `human` a verdict that LLM files
    get more often than human files do. 0 when no t qualifies."""
    y, p = arrays(rows)
    if not (y == 1).any() or not (y == 0).any():
        return 0.0
    folds = collections.defaultdict(list)
    for r in rows:
        if r['label'] == 'llm':
            folds[r['fold']].append(r['p'])
    fold_llm = [np.sort(v) for v in folds.values() if len(v) >= MIN_FOLD_HUMAN]
    human, llm = np.sort(p[y == 0]), np.sort(p[y == 1])
    best = 0.0
    for t in np.unique(p[p < llm_threshold]):
        miss = np.searchsorted(llm, t, side='right') / len(llm)
        if miss > max_miss or any(np.searchsorted(v, t, side='right') / len(v) > max_fold_miss for v in fold_llm):
            break  # both only grow with t
        cleared = np.searchsorted(human, t, side='right') / len(human)
        # One LLM file more than seen, so that a handful of human files below t and no LLM file is not
        # taken for an infinite ratio.
        if cleared >= min_lr * (miss + 1 / len(llm)):
            best = float(t)
    return best


MIN_TOKENS_GRID = (48, 64, 96, 128, 192, 256)
MIN_BAND_HUMAN = 100


def length_bands(rows, flagged, counts):
    """Per band [L, 2L) of the grid: human and LLM files, and how many of each get `llm`."""
    out = {}
    for lo in MIN_TOKENS_GRID:
        m = np.array([lo <= counts.get(r['id'], -1) < 2 * lo for r in rows])
        y = np.array([r['label'] == 'llm' for r in rows])
        out[lo] = {'n_human': int((m & ~y).sum()), 'n_llm': int((m & y).sum()),
                   'fp': int((m & ~y & flagged).sum()), 'tp': int((m & y & flagged).sum())}
    return out


def choose_min_tokens(bands, max_fpr, min_lr):
    """The shortest grid length whose band holds the model's standard (one more false positive than seen
    counted, so a quiet small band does not pass on luck); the longest when none does."""
    for lo, b in sorted(bands.items()):
        if b['n_human'] < MIN_BAND_HUMAN or b['n_llm'] == 0:
            continue
        fpr = (b['fp'] + 1) / b['n_human']
        if fpr <= max_fpr and b['tp'] / b['n_llm'] >= min_lr * fpr:
            return lo
    return max(bands)


UNIT_FPR_LEVELS = (0.005, 0.002, 0.001, 0.0005, 0.0002)


def fpr_curve(rows, lang, thr, tokens, min_tokens):
    """For the language, the threshold at which LOSO human files (of at least min_tokens) are flagged at
    most each rate of UNIT_FPR_LEVELS: [[rate, threshold], ...], thresholds never below the language's. The
    runtime raises a function's threshold with the number of functions judged in its file, along this curve."""
    human = np.sort([r['p'] for r in rows if r['language'] == lang and r['label'] == 'human'
                     and (tokens is None or tokens.get(r['id'], 0) >= (min_tokens or 0))])
    if len(human) == 0:
        return None
    base = thr({'language': lang, 'id': None})
    out = []
    for level in UNIT_FPR_LEVELS:
        k = int(np.floor(level * len(human)))  # at most k human files at or above the threshold
        t = human[len(human) - k] if k > 0 else np.nextafter(human[-1], 1.0)
        out.append([level, round(float(max(t, base)), 6)])
    return out


def fit_calibration(y, p, knots=40):
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds='clip').fit(p, y)
    xs = np.unique(np.concatenate([[0.0, 1.0], np.quantile(p, np.linspace(0, 1, knots))]))
    ys = np.maximum.accumulate(np.clip(iso.predict(xs), 0.0, 1.0))
    return {'method': 'isotonic', 'x': [round(float(v), 6) for v in xs], 'y': [round(float(v), 6) for v in ys]}


def apply_calibration(cal, p):
    return np.interp(p, cal['x'], cal['y'])


def ece(y, q, bins=10):
    idx = np.minimum((q * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.mean() * abs(q[m].mean() - y[m].mean())
    return float(total)


def cross_fitted_ece(rows):
    """Each fold's predictions calibrated by a map fit on the other folds; the ECE of all of them."""
    fold_names = sorted({r['fold'] for r in rows})
    ys, qs = [], []
    for f in fold_names:
        train = [r for r in rows if r['fold'] != f]
        test = [r for r in rows if r['fold'] == f]
        cal = fit_calibration(*arrays(train))
        y, p = arrays(test)
        ys.append(y)
        qs.append(apply_calibration(cal, p))
    y, q = np.concatenate(ys), np.concatenate(qs)
    return ece(y, q), {f: ece(a, b) for f, a, b in zip(fold_names, ys, qs)}


def table(rows, key, thr):
    """Per value of `key`: counts, AUC, and rates at `thr` (a number, or a function of the row)."""
    out = {}
    for v in sorted({r[key] for r in rows}):
        sel = [r for r in rows if r[key] == v]
        y, p = arrays(sel)
        t = np.array([thr(r) for r in sel]) if callable(thr) else thr
        out[v] = {
            'n_human': int((y == 0).sum()), 'n_llm': int((y == 1).sum()),
            'auc': metrics.auc(y, p) if 0 < y.sum() < len(y) else None,
            'tpr': float((p >= t)[y == 1].mean()) if (y == 1).any() else None,
            'fpr': float((p >= t)[y == 0].mean()) if (y == 0).any() else None,
            'fpr_at_0.5': float((p[y == 0] >= 0.5).mean()) if (y == 0).any() else None,
            'tpr_at_0.5': float((p[y == 1] >= 0.5).mean()) if (y == 1).any() else None,
        }
    return out


def fmt(v, d=3):
    return '–' if v is None or (isinstance(v, float) and np.isnan(v)) else f'{v:.{d}f}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('preds')
    ap.add_argument('out')
    ap.add_argument('--compare', action='append', default=[], help='NAME=PREDS.jsonl, reported beside')
    ap.add_argument('--token-counts', help='the tokenized data\'s index (tok_all.index.jsonl: {id, count}) for the minimum length of a verdict')
    ap.add_argument('--compare-from', help="an earlier summary's JSON whose baseline tables (`compare`) are reported beside; "
                    'they are rates at 0.5 and AUCs of other predictions, so no threshold chosen here changes them')
    ap.add_argument('--max-fpr', type=float, default=0.01)
    ap.add_argument('--max-fold-fpr', type=float, default=0.03)
    ap.add_argument('--max-miss', type=float, default=0.01)
    ap.add_argument('--max-fold-miss', type=float, default=0.03)
    ap.add_argument('--min-lr', '--min-human-lr', dest='min_lr', type=float, default=10.0,
                    help='how much more often a verdict must hit its class than the other (human verdict, length bands, languages)')
    a = ap.parse_args()
    rows = load(a.preds)
    llm_t = choose_llm_threshold(rows, a.max_fpr, a.max_fold_fpr)
    counts = collections.Counter((r['language'], r['label']) for r in rows)
    evaluated = sorted({lang for lang, _ in counts if counts[(lang, 'human')] >= MIN_EVAL_PER_LABEL and counts[(lang, 'llm')] >= MIN_EVAL_PER_LABEL})
    own = {lang: choose_llm_threshold([r for r in rows if r['language'] == lang], a.max_fpr, a.max_fold_fpr) for lang in evaluated}
    lang_t = {lang: t for lang, t in own.items() if t > llm_t}
    thr = lambda r: lang_t.get(r['language'], llm_t)  # noqa: E731
    human_t = choose_human_threshold(rows, a.max_miss, a.max_fold_miss, a.min_lr, llm_t)
    y, p = arrays(rows)
    cal = fit_calibration(y, p)
    ece_cf, ece_folds = cross_fitted_ece(rows)
    bands, min_tokens, tokens = None, None, None
    if a.token_counts:
        with open(a.token_counts) as f:
            tokens = {r['id']: r['count'] for r in map(json.loads, f)}
        bands = length_bands(rows, p >= np.array([thr(r) for r in rows]), tokens)
        min_tokens = choose_min_tokens(bands, a.max_fpr, a.min_lr)
        # What ships: texts under the minimum get no verdict, so the rates below count them as not flagged.
        by_thr = thr
        thr = lambda r: by_thr(r) if tokens.get(r['id'], 0) >= min_tokens else np.inf  # noqa: E731
    by_lang = table(rows, 'language', thr)
    # A language is evaluated where `llm` is evidence there, by the same standard as elsewhere: LLM files
    # flagged at least --min-lr times as often as human ones (one more false positive than seen). Others
    # get no verdict by default, so the pooled rates and the source tables leave them unflagged.
    evaluated = [lang for lang in evaluated
                 if by_lang[lang]['tpr'] >= a.min_lr * (by_lang[lang]['fpr'] * by_lang[lang]['n_human'] + 1) / by_lang[lang]['n_human']]
    lang_t = {lang: t for lang, t in lang_t.items() if lang in evaluated}
    per_lang_thr = thr
    thr = lambda r: per_lang_thr(r) if r['language'] in evaluated else np.inf  # noqa: E731
    by_fold = table(rows, 'fold', thr)
    by_source = table(rows, 'source', thr)
    flagged = p >= np.array([thr(r) for r in rows])
    aucs = [s['auc'] for s in by_fold.values() if s['auc'] is not None]
    base_thr = lambda r: lang_t.get(r['language'], llm_t)  # noqa: E731
    curves = {lang: fpr_curve(rows, lang, base_thr, tokens, min_tokens) for lang in evaluated}
    verdict = {
        'llm_threshold': round(llm_t, 6), 'human_threshold': round(human_t, 6), 'calibration': cal,
        'evaluated_languages': evaluated,
        **({'min_tokens': min_tokens} if min_tokens else {}),
        'per_language': {lang: {**({'llm_threshold': round(lang_t[lang], 6)} if lang in lang_t else {}),
                                **({'fpr_curve': curves[lang]} if curves.get(lang) else {}),
                                **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.items()
                                   if k in ('fpr', 'tpr', 'n_human', 'n_llm')}} for lang, s in by_lang.items()},
        'fpr': round(float(flagged[y == 0].mean()), 4), 'tpr': round(float(flagged[y == 1].mean()), 4),
        'source': 'leave-one-source-out predictions (models/train/loso.py)',
    }
    compare = {}
    if a.compare_from:
        with open(a.compare_from) as f:
            compare.update(json.load(f).get('compare', {}))
    for spec in a.compare:
        name, path = spec.split('=', 1)
        crows = load(path)
        compare[name] = {'by_fold': table(crows, 'fold', 0.5), 'by_language': table(crows, 'language', 0.5)}
    res = {'verdict': verdict, 'ece_cross_fitted': ece_cf, 'ece_by_fold': ece_folds,
           'auc_mean_over_sources': float(np.mean(aucs)) if aucs else None, 'auc_worst_source': float(min(aucs)) if aucs else None,
           'human_share_inconclusive': float(((p > human_t) & ~flagged)[y == 0].mean()),
           'llm_share_inconclusive': float(((p > human_t) & ~flagged)[y == 1].mean()),
           'llm_share_called_human': float((p[y == 1] <= human_t).mean()),
           **({'by_length': bands} if bands else {}),
           'by_fold': by_fold, 'by_source': by_source, 'by_language': by_lang, 'compare': compare,
           'args': vars(a)}
    with open(a.out + '.json', 'w') as f:
        json.dump(metrics.json_safe(res), f, indent=1)
    lines = [f'# LOSO: {a.preds}', '',
             f'llm threshold {llm_t:.4f} (pooled human FPR ≤ {a.max_fpr}, every source ≤ {a.max_fold_fpr}'
             f'{"; tighter where a language needs it: " + ", ".join(f"{k} {v:.4f}" for k, v in sorted(lang_t.items())) if lang_t else ""}), '
             f'human threshold {human_t:.4g} (≤ {a.max_miss} of LLM files cleared, ≤ {a.max_fold_miss} per source, '
             f'human files cleared ≥ {a.min_lr:g}× as often{"; none qualifies: no human verdicts" if human_t == 0 else ""}); '
             f'overall FPR {verdict["fpr"]:.4f}, TPR {verdict["tpr"]:.4f}; cross-fitted ECE {ece_cf:.4f}; '
             f'AUC mean over sources {fmt(res["auc_mean_over_sources"])}, worst {fmt(res["auc_worst_source"])}.', '']
    if bands:
        lines += [f'Verdicts from {min_tokens} model tokens (the shortest band [L, 2L) where `llm` holds the same standard; '
                  'rates by band before that rule):', '',
                  '| tokens | human | llm | FPR | TPR |', '|---|---|---|---|---|']
        lines += [f'| {lo}-{2 * lo - 1} | {b["n_human"]} | {b["n_llm"]} | {fmt(b["fp"] / b["n_human"] if b["n_human"] else None)} | '
                  f'{fmt(b["tp"] / b["n_llm"] if b["n_llm"] else None)} |' for lo, b in sorted(bands.items())]
        lines.append('')
    for title, t in (('source (fold)', by_fold), ('language', by_lang)):
        head = f'| {title} | human | llm | AUC | TPR | FPR | FPR@0.5 |' + ''.join(f' {n} AUC | {n} FPR@0.5 |' for n in compare)
        lines += [head, '|' + '---|' * (7 + 2 * len(compare))]
        for k, s in t.items():
            extra = ''
            for n, c in compare.items():
                cs = c['by_fold' if t is by_fold else 'by_language'].get(k, {})
                extra += f' {fmt(cs.get("auc"))} | {fmt(cs.get("fpr_at_0.5"))} |'
            lines.append(f'| {k} | {s["n_human"]} | {s["n_llm"]} | {fmt(s["auc"])} | {fmt(s["tpr"])} | {fmt(s["fpr"])} | '
                         f'{fmt(s["fpr_at_0.5"])} |' + extra)
        lines.append('')
    with open(a.out + '.md', 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines[:3]))
    return 0


if __name__ == '__main__':
    sys.exit(main())
