#!/usr/bin/env python3
"""Issue 19 experiment: how far can a linear n-gram model go in distribution on the formatting-blind text?
TF-IDF + logistic regression on the tokens-v1 text (what the shipped model reads), trained on the train
split and scored on the grouped test split, per source. The raw-text TF-IDF baseline reaches 0.953-0.993
per source; the gap to it is what layout carries. Result: results/indist-canonical-tfidf.md.
Needs `bash models/train/recipe.sh corpus data` (work/canon). ~2 min on 2 cores.
"""
import json, os
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

W = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'work', 'canon', 'work')
meta = {r['id']: r for r in map(json.loads, open(os.path.join(W, 'meta.jsonl')))}
text = {r['id']: r['code'] for r in map(json.loads, open(os.path.join(W, 'tok_all.text.jsonl')))}
ids = [i for i in meta if i in text]
tr = [i for i in ids if meta[i]['split'] == 'train']
te = [i for i in ids if meta[i]['split'] == 'test']
y = lambda s: np.array([meta[i]['label'] == 'llm' for i in s], int)
grams = lambda s: [' '.join(g) for t in [s.split()] for n in (1, 2, 3) for g in zip(*[t[k:] for k in range(n)])]
sources = sorted(s for s in {meta[i]['source'] for i in te} if len({meta[i]['label'] for i in te if meta[i]['source'] == s}) > 1)
print('| features | pooled | ' + ' | '.join(sources) + ' |')
for name, vec in (('character 2-4-grams', TfidfVectorizer(analyzer='char', ngram_range=(2, 4), max_features=300_000, sublinear_tf=True)),
                  ('token 1-3-grams', TfidfVectorizer(analyzer=grams, max_features=300_000, sublinear_tf=True))):
    p = LogisticRegression(C=10, max_iter=3000).fit(vec.fit_transform([text[i] for i in tr]), y(tr)).predict_proba(vec.transform([text[i] for i in te]))[:, 1]
    per = [roc_auc_score(y([i for i in te if meta[i]['source'] == s]), p[[k for k, i in enumerate(te) if meta[i]['source'] == s]]) for s in sources]
    print(f'| {name} | {roc_auc_score(y(te), p):.3f} | ' + ' | '.join(f'{a:.3f}' for a in per) + ' |')
