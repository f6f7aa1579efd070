"""Experiment: trains a linear model on hashed token-shape n-grams (orders 1..ORDER) like lexical.py and
writes its file-level llm-minus-human logits for dev, test and gptsniffer-test to OUT.npz, for stacking
with the shipped paths on dev. Env: BUCKETS (2**20), ORDER (5), EPOCHS (3). Usage: shape_train.py OUT.npz"""
import sys, os, json, time, collections
HERE = os.path.dirname(os.path.abspath(__file__)); sys.path.insert(0, os.path.join(HERE, '..')); sys.path.insert(0, HERE)
import numpy as np, torch, torch.nn.functional as F
import data, metrics
from model import VOCAB_SIZE, lex_rows
from shapes import shape_table
W = os.path.join(HERE, '..', '..', 'code-origin-small', 'work')
SH, names = shape_table(os.path.join(HERE, '..', '..', 'code-origin-small', 'tokenizer.json'))
S = len(names)
B = int(os.environ.get('BUCKETS', 2**20)); ORDER = int(os.environ.get('ORDER', 5)); EPOCHS = int(os.environ.get('EPOCHS', 3))
def rows_of(tokens):
    t = torch.from_numpy(SH[tokens.astype(np.int64)])[None]
    rs = lex_rows(t, B, ORDER)
    out = [rs[0].reshape(-1)] + [(r.reshape(-1) - VOCAB_SIZE + S) for r in rs[1:]]
    return torch.cat(out).numpy()
def bags(split, idx):
    rows, offs, wts = [], [], []; o = 0
    for i in idx:
        t = split.tokens(i); r = rows_of(t); rows.append(r)
        wts.append(np.full(len(r), 1.0 / max(1, len(t)), dtype=np.float32)); offs.append(o); o += len(r)
    return torch.from_numpy(np.concatenate(rows)), torch.from_numpy(np.array(offs)), torch.from_numpy(np.concatenate(wts))
torch.set_num_threads(2); torch.manual_seed(1234)
meta = data.load_meta(W)
train, dev = data.Split(W, 'train_full', meta), data.Split(W, 'dev', meta)
capped = data.Split(W, 'train', meta)
cell = lambda m: (m['source'], m['label'])
want = collections.Counter(cell(m) for m in capped.meta); have = collections.Counter(cell(m) for m in train.meta)
sw_all = torch.tensor([want[cell(m)] / have[cell(m)] for m in train.meta], dtype=torch.float32)
table = torch.nn.EmbeddingBag(S + B, 2, mode='sum'); torch.nn.init.zeros_(table.weight)
bias = torch.nn.Parameter(torch.zeros(2)); mix = torch.nn.Linear(2, 2)
lr = 0.05; opt = torch.optim.Adam([table.weight, bias] + list(mix.parameters()), lr=lr)
dx = bags(dev, range(len(dev))); y = torch.from_numpy(train.y)
best = -1; t0 = time.time()
for ep in range(EPOCHS):
    for g in opt.param_groups: g['lr'] = lr * 0.3 ** ep
    perm = np.random.default_rng([1234, ep]).permutation(len(train))
    for s in range(0, len(train), 64):
        idx = perm[s:s + 64]; r, o, w = bags(train, idx)
        lo = mix(table(r, o, per_sample_weights=w)) + bias; swb = sw_all[idx]
        loss = (F.cross_entropy(lo, y[idx], reduction='none') * swb).sum() / swb.sum() + 1e-6 * table.weight.pow(2).sum()
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad(): dl = (mix(table(*dx[:2], per_sample_weights=dx[2])) + bias).double().numpy()
    auc = metrics.auc(dev.y, metrics.p_llm(dl)); print(json.dumps({'epoch': ep, 'dev_auc': auc, 's': round(time.time() - t0)}), flush=True)
    if auc > best:
        best = auc
        with torch.no_grad(): Wt = (table.weight @ mix.weight.T).numpy().copy(); bt = (bias + mix.bias).detach().numpy().copy()
out = {}
for n in ('dev', 'test', 'gptsniffer_test'):
    sp = data.Split(W, n, meta); r = []
    for i in range(len(sp)):
        t = sp.tokens(i); v = Wt[rows_of(t)].sum(0) / max(1, len(t)) + bt; r.append(v[1] - v[0])
    out[n] = np.array(r)
np.savez(sys.argv[1], **out); print('saved', flush=True)
