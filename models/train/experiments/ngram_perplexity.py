#!/usr/bin/env python3
"""Issue 19 experiment (not shipped): does a token n-gram language model of human code tell LLM code apart
on sources it never saw? LLM text is more predictable than human text under a language model (the idea
behind perplexity detectors such as DetectGPT and Binoculars); a pretrained code LM cannot be downloaded
here, so this trains interpolated absolute-discounting 1-4-gram models of human code per language and
reads 12 perplexity features per file (mean log-probability at each order, spread, quantiles, unknown
share, length, the gain of context over unigrams), then scores them by leave-one-source-out with logistic
regression and gradient boosting. Result: results/loso-ngram-perplexity.md.

LM corpus: Java and C++ files of the Debian packages of the `train` set (models/train/realworld, never the
`measure` set or the reserved packages), Python from this machine's Debian Python 3.11 standard library and
dist-packages minus the reserved projects. The pool's `debian` source is sampled from the same packages,
so it is left out of the classifier's training and shown only for its false-positive rate.

Needs `bash models/train/recipe.sh corpus data` (work/canon and work/realworld). ~3 min on 2 cores.
"""
import collections, json, math, os, random, re, sys, tarfile
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN = os.path.join(HERE, '..')
WORK = os.path.join(TRAIN, 'work')
CAP = 12_000_000  # characters of LM text per language
EXT = {'java': ('.java',), 'python': ('.py',), 'cpp': ('.cpp', '.cc', '.hpp', '.cxx', '.hh')}
RESERVED_PY = {'click', 'flask', 'jinja2', 'werkzeug', 'requests', 'ply', 'serial', 'black', 'blackd', 'blib2to3'}


def lm_corpus():
    manifest = json.load(open(os.path.join(TRAIN, 'realworld', 'manifest.json')))
    packages = sorted({e['package'] for e in manifest['entries'] if e['set'] == 'train'})
    texts, size = collections.defaultdict(list), collections.Counter()
    for p in packages:
        d = os.path.join(WORK, 'realworld', 'src', p)
        if not os.path.isdir(d):
            continue
        for f in os.listdir(d):
            if not re.search(r'\.tar\.(gz|xz|bz2)$', f) or 'debian.tar' in f:
                continue
            with tarfile.open(os.path.join(d, f)) as t:
                for m in t:
                    low = m.name.lower()
                    if not m.isfile() or not 200 < m.size < 200_000 or any(x in low for x in ('/vendor/', 'third_party', '/node_modules/', '.min.', 'generated')):
                        continue
                    for lang in ('java', 'cpp'):
                        if low.endswith(EXT[lang]) and size[lang] < CAP:
                            try:
                                txt = t.extractfile(m).read().decode('utf-8')
                            except (UnicodeDecodeError, AttributeError):
                                break
                            texts[lang].append(txt)
                            size[lang] += len(txt)
                            break
    files = []
    for base in ('/usr/lib/python3.11', '/usr/lib/python3/dist-packages'):
        for root, _, fs in os.walk(base):
            top = os.path.relpath(root, base).split(os.sep)[0]
            if top in RESERVED_PY or 'site-packages' in root:
                continue
            files += [os.path.join(root, f) for f in fs if f.endswith('.py')]
    random.Random(2).shuffle(files)
    for f in files:
        if size['python'] > CAP:
            break
        try:
            if 200 < os.path.getsize(f) < 200_000:
                txt = open(f, encoding='utf-8').read()
                texts['python'].append(txt)
                size['python'] += len(txt)
        except (OSError, UnicodeDecodeError):
            pass
    return texts


TOK = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|[A-Za-z_]\w*|\d[\w.]*|==|!=|<=|>=|&&|\|\||\+\+|--|->|::|<<|>>|\+=|-=|\*=|/=|\S')


def tokens(src, lang, cap=3000):
    """Layout-free tokens (strings STR, numbers NUM, comments dropped)."""
    src = re.sub(r'(?m)#[^\n]*', ' ', src) if lang == 'python' else re.sub(r'//[^\n]*', ' ', re.sub(r'/\*[\s\S]*?\*/', ' ', src))
    out = []
    for m in TOK.finditer(src):
        t = m.group(0)
        out.append('STR' if t[0] in '"\'' else 'NUM' if t[0].isdigit() else t)
        if len(out) >= cap:
            break
    return out


N, D = 4, 0.75


class NGram:
    def __init__(self, docs):
        uni = collections.Counter(t for d in docs for t in d)
        self.vocab = {t for t, c in uni.items() if c >= 2}
        self.c = [collections.Counter() for _ in range(N + 1)]
        self.h = [collections.Counter() for _ in range(N + 1)]
        self.u = [collections.Counter() for _ in range(N + 1)]
        for d in docs:
            s = ['<s>'] * (N - 1) + [t if t in self.vocab else '<unk>' for t in d]
            for i in range(N - 1, len(s)):
                for n in range(1, N + 1):
                    g = tuple(s[i - n + 1:i + 1])
                    if self.c[n][g] == 0:
                        self.u[n][g[:-1]] += 1
                    self.c[n][g] += 1
                    self.h[n][g[:-1]] += 1
        self.total, self.V = sum(self.c[1].values()), len(self.vocab) + 2

    def features(self, d):
        s = ['<s>'] * (N - 1) + [t if t in self.vocab else '<unk>' for t in d]
        lp = np.zeros((len(s) - N + 1, N))
        for k, i in enumerate(range(N - 1, len(s))):
            w = s[i]
            p = (self.c[1][(w,)] + 1) / (self.total + self.V)
            lp[k, 0] = math.log(p)
            for n in range(2, N + 1):
                h = tuple(s[i - n + 1:i])
                if self.h[n][h]:
                    p = max(self.c[n][h + (w,)] - D, 0) / self.h[n][h] + D * self.u[n][h] / self.h[n][h] * p
                lp[k, n - 1] = math.log(p)
        if len(lp) == 0:
            return [0.0] * 12
        unk = np.array([t == '<unk>' for t in s[N - 1:]])
        l4 = lp[:, 3]
        return [lp[:, 0].mean(), lp[:, 1].mean(), lp[:, 2].mean(), l4.mean(), l4.std(), float(np.median(l4)), float(np.quantile(l4, 0.1)),
                unk.mean(), math.log(len(lp)), (l4 - lp[:, 0]).mean(), (l4 - lp[:, 1]).mean(), (l4 > math.log(0.5)).mean()]


def main():
    lms = {lang: NGram([tokens(t, lang, cap=50_000) for t in docs]) for lang, docs in lm_corpus().items()}
    canon = os.path.join(WORK, 'canon', 'work')
    meta = {r['id']: r for r in map(json.loads, open(os.path.join(canon, 'meta.jsonl')))}
    rows = []
    for r in map(json.loads, open(os.path.join(canon, 'all.jsonl'))):
        m = meta.get(r['id'])
        if m and m['language'] in lms:
            src = 'gptsniffer' if m['source'] == 'gptsniffer-test' else m['source']
            rows.append((src, m['label'] == 'llm', m['language'], lms[m['language']].features(tokens(r['code'], m['language']))))
    X = lambda rs: np.array([f + [lang == l for l in EXT] for _, _, lang, f in rs], dtype=float)
    y = lambda rs: np.array([lab for _, lab, _, _ in rs], dtype=int)
    folds = sorted({s for s, *_ in rows} - {'debian'})
    for name, make in (('logistic regression', lambda: LogisticRegression(max_iter=2000)),
                       ('gradient boosting', lambda: HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_depth=3))):
        aucs, deb = {}, []
        for f in folds:
            tr = [r for r in rows if r[0] not in (f, 'debian')]
            te = [r for r in rows if r[0] == f]
            sc = StandardScaler().fit(X(tr))
            model = make().fit(sc.transform(X(tr)), y(tr))
            aucs[f] = roc_auc_score(y(te), model.predict_proba(sc.transform(X(te)))[:, 1])
            deb.append(model.predict_proba(sc.transform(X([r for r in rows if r[0] == 'debian'])))[:, 1])
        print(f'| {name} | ' + ' | '.join(f'{aucs[f]:.3f}' for f in folds) + f' | {np.mean(list(aucs.values())):.3f} / {min(aucs.values()):.3f} | {np.mean(np.mean(deb, 0) >= 0.5):.1%} |')
    print('folds:', ', '.join(folds))


if __name__ == '__main__':
    sys.exit(main())
