"""Binary metrics without sklearn (not installed): AUC-ROC, F1, accuracy, ECE, threshold choice."""
import numpy as np


def p_llm(logits):
    z = logits - logits.max(1, keepdims=True)
    e = np.exp(z)
    return e[:, 1] / e.sum(1)


def auc(y, s):
    """Mann-Whitney U with average ranks for ties; nan when one class is absent."""
    y = np.asarray(y)
    s = np.asarray(s, dtype=np.float64)
    pos, neg = (y == 1).sum(), (y == 0).sum()
    if pos == 0 or neg == 0:
        return float('nan')
    order = np.argsort(s, kind='mergesort')
    ranks = np.empty(len(s))
    sorted_s = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def f1(y, pred):
    y, pred = np.asarray(y), np.asarray(pred)
    tp = ((pred == 1) & (y == 1)).sum()
    fp = ((pred == 1) & (y == 0)).sum()
    fn = ((pred == 0) & (y == 1)).sum()
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def ece(y, p, bins=10):
    """Expected calibration error of p_llm (equal-width bins over [0, 1])."""
    y, p = np.asarray(y), np.asarray(p)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for b in range(bins):
        m = (p >= edges[b]) & ((p < edges[b + 1]) if b < bins - 1 else (p <= 1))
        if m.any():
            total += m.sum() / len(p) * abs(p[m].mean() - y[m].mean())
    return float(total)


def best_threshold(y, p):
    """Threshold on p_llm maximising F1 on the given (dev) data; ties go to the one closest to 0.5."""
    cands = np.unique(np.concatenate([p, [0.5]]))
    best = (-1.0, 0.0, 0.5)
    for t in cands:
        score = f1(y, (p >= t).astype(int))
        key = (score, -abs(t - 0.5))
        if key > best[:2]:
            best = (score, -abs(t - 0.5), float(t))
    return best[2]


def summary(y, logits, threshold=0.5):
    p = p_llm(logits)
    pred = (p >= threshold).astype(int)
    y = np.asarray(y)
    return {
        'n': int(len(y)), 'human': int((y == 0).sum()), 'llm': int((y == 1).sum()),
        'auc': auc(y, p), 'f1': f1(y, pred), 'accuracy': float((pred == y).mean()) if len(y) else float('nan'),
        'ece': ece(y, p),
    }


def json_safe(x):
    """NaN (e.g. AUC of a one-class subset) -> None, so JSON.parse in Node accepts the file."""
    if isinstance(x, float) and x != x:
        return None
    if isinstance(x, dict):
        return {k: json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    return x
