#!/usr/bin/env python3
"""Node (server/src/origin/tokenizer.ts via dist/tokenize-dataset.js) and an independent Python
byte-level BPE must give identical ids, and Node's character offsets must point at the token's text.
Usage: test_tokenizer_agreement.py [N_FILES]   (exit 1 on any mismatch)"""
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile

import numpy as np

from bpe_reference import ReferenceBPE, bytes_to_unicode

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..'))
SHARED = os.path.join(REPO, '..', 'shared')
TOKENIZER = os.environ.get('TOKENIZER_JSON', os.path.join(REPO, 'models', 'code-origin-small', 'tokenizer.json'))
TOKENIZE_JS = os.environ.get('TOKENIZE_JS', os.path.join(REPO, 'dist', 'tokenize-dataset.js'))

# Edge cases the sample may miss: unicode classes, contractions, whitespace runs, specials, lone surrogates.
EXTRA = [
    '', ' ', '\n\n\n', 'a  b\t\tc \n d', "it's they're we've I'm you'll he'd 'S x''s",
    'héllo wörld ñ 日本語 😀😀 \u00a0x\u2003y \ufeff', 'x = 3.14e-10; y=0x1F;', '<s></s><pad> <mask>x<unk>',
    '\ud800 lone \udc00', 'print("\\u00e9")\r\n\tif a:\r\n\t\tpass', '١٢٣ ²³ Ⅻ', '    ' * 40 + 'deep',
]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    pool = os.path.join(SHARED, 'datasets', 'origin', 'pool.jsonl.gz')
    if not os.path.exists(pool):
        print(f'SKIP: {pool} not found (shared data absent)')
        return 0
    rows = []
    with gzip.open(pool, 'rt', encoding='utf-8') as f:
        for line in f:
            rows.append(json.loads(line))
    rng = random.Random(1234)
    # Sample across every source so all languages are covered.
    by_src = {}
    for r in rows:
        by_src.setdefault(r['source'], []).append(r)
    sample = []
    for src in sorted(by_src):
        sample += rng.sample(by_src[src], min(len(by_src[src]), max(20, n // len(by_src))))
    sample = [{'id': r['id'], 'code': r['code']} for r in sample]
    sample += [{'id': f'extra:{i}', 'code': c} for i, c in enumerate(EXTRA)]

    ref = ReferenceBPE(os.path.join(SHARED, 'tokenizers', 'codebert'))
    b2u = bytes_to_unicode()
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, 'in.jsonl')
        with open(inp, 'w', encoding='utf-8') as f:
            for r in sample:
                f.write(json.dumps(r) + '\n')
        subprocess.run(['node', TOKENIZE_JS, '--tokenizer', TOKENIZER, '--in', inp, '--out',
                        os.path.join(tmp, 'out'), '--offsets'], check=True)
        ids = np.fromfile(os.path.join(tmp, 'out.u16'), dtype='<u2')
        with open(os.path.join(tmp, 'out.index.jsonl')) as f:
            index = [json.loads(l) for l in f]
        with open(os.path.join(tmp, 'out.offsets.jsonl')) as f:
            offsets = [json.loads(l) for l in f]

    id2tok = {v: k for k, v in ref.vocab.items()}
    fails = 0
    tokens = 0
    for r, ix, off in zip(sample, index, offsets):
        assert ix['id'] == r['id'] == off['id']
        node = ids[ix['start']:ix['start'] + ix['count']].tolist()
        py = ref.encode(r['code'])
        tokens += len(py)
        if node != py:
            fails += 1
            k = next((i for i, (a, b) in enumerate(zip(node, py)) if a != b), min(len(node), len(py)))
            print(f'MISMATCH {r["id"]} at token {k}: node {node[k:k + 5]} python {py[k:k + 5]}')
            continue
        # Offsets: UTF-16 spans; a token made of whole characters must equal its source slice.
        u16 = r['code'].encode('utf-16-le', 'surrogatepass')
        prev_end = 0
        for t, (s, e) in enumerate(zip(off['starts'], off['ends'])):
            tok = id2tok[node[t]]
            if s < prev_end - 2 or e < s:  # spans only overlap inside a split multi-byte character
                print(f'BAD OFFSETS {r["id"]} token {t}: [{s},{e}) after {prev_end}')
                fails += 1
                break
            prev_end = e
            # Lone surrogates are encoded as U+FFFD (TextEncoder), so compare after the same replacement.
            src = u16[2 * s:2 * e].decode('utf-16-le', 'replace')
            if tok in ('<s>', '</s>', '<pad>', '<unk>', '<mask>'):
                expect = tok
            else:
                try:
                    expect = bytes(next(b for b, u in b2u.items() if u == ch) for ch in tok).decode('utf-8')
                except UnicodeDecodeError:
                    continue  # part of a multi-byte character: covered by the overlap rule above
            if src != expect:
                print(f'BAD SPAN {r["id"]} token {t}: {src!r} != {expect!r}')
                fails += 1
                break
        if off['ends'] and off['ends'][-1] != len(u16) // 2:
            print(f'BAD END {r["id"]}: last end {off["ends"][-1]} != {len(u16) // 2}')
            fails += 1
    print(f'tokenizer agreement: {len(sample)} files, {tokens} tokens, {fails} failures')
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
