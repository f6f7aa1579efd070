"""Experiment (not part of the shipped model): token-shape classes, the CodeBERT BPE vocabulary mapped to
~1,000 classes that keep layout and kind but not content. See MODEL.md, "token-shape n-grams".
Usage: shapes.py (prints the class count and the most common classes)"""
import json
import os
import re

import numpy as np
KW = set('''abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for goto if implements import instanceof int interface long native new package private protected public return short static strictfp super switch synchronized this throw throws transient try void volatile while true false null
and as async await def del elif except from global in is lambda nonlocal not or pass raise with yield None True False self print
auto bool delete friend inline mutable namespace operator template typename typedef union unsigned using virtual struct sizeof include define std cout cin endl vector string
fn let mut impl pub use mod match loop func var const go chan defer map range type function console log len
'''.split())
BYTE = {}
def _bytes_to_unicode():
    bs = list(range(ord("!"), ord("~")+1))+list(range(ord("¡"), ord("¬")+1))+list(range(ord("®"), ord("ÿ")+1))
    cs = bs[:]; n = 0
    for b in range(256):
        if b not in bs: bs.append(b); cs.append(256+n); n += 1
    return {chr(c): b for b, c in zip(bs, cs)}
U2B = _bytes_to_unicode()
def decode(tok):
    try: return bytes(U2B[c] for c in tok).decode('utf-8', errors='replace')
    except KeyError: return tok
def bucket(n, edges):
    for i, e in enumerate(edges):
        if n <= e: return i
    return len(edges)
def shape_of(text):
    if text in ('<s>', '</s>', '<pad>', '<unk>', '<mask>'): return 'SPECIAL'
    m = re.match(r'^(\s*)(.*?)(\s*)$', text, re.S)
    lead, core, trail = m.group(1), m.group(2), m.group(3)
    def ws(w):
        if not w: return ''
        nl = w.count('\n'); tab = '\t' in w; sp = w.count(' ')
        return f'W{min(nl,3)}{"t" if tab else ""}s{bucket(sp,[0,1,2,3,4,7,8,11,12,15,16])}'
    if not core: return 'WS:' + ws(lead + trail)
    if re.fullmatch(r'[A-Za-z_][A-Za-z_0-9]*', core):
        if core in KW: c = 'K:' + core
        elif core.isupper() and len(core) > 1: c = 'ID:UP'
        elif '_' in core.strip('_'): c = 'ID:snake'
        elif core[0].isupper(): c = 'ID:Cap'
        elif any(ch.isupper() for ch in core): c = 'ID:camel'
        else: c = f'ID:low{bucket(len(core),[1,3,6])}'
    elif re.fullmatch(r'[0-9]+', core): c = 'NUM'
    elif re.fullmatch(r'[^\w\s]+', core): c = 'P:' + core if len(core) <= 3 else 'P:long'
    elif re.fullmatch(r'[\w]+', core): c = 'WORD'
    else: c = 'MIX'
    return ws(lead) + '|' + c + ('|' + ws(trail) if trail else '')
def shape_table(tok_json):
    v = json.load(open(tok_json))['model']['vocab']
    names = {}
    arr = np.zeros(max(v.values()) + 1, dtype=np.int64)
    for tok, i in v.items():
        s = shape_of(decode(tok))
        arr[i] = names.setdefault(s, len(names))
    return arr, names
if __name__ == '__main__':
    arr, names = shape_table(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'code-origin-small', 'tokenizer.json'))
    print(len(names)); import collections
    c = collections.Counter(arr.tolist()); inv = {v: k for k, v in names.items()}
    print([(inv[k], n) for k, n in c.most_common(25)])
