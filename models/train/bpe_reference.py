"""Independent byte-level BPE encoder (GPT-2/RoBERTa scheme) from CodeBERT's vocab.json + merges.txt.
Used only to check that the server's tokenizer module (Node) produces the same ids; no `regex` package
is available, so the GPT-2 pre-tokenizer pattern is implemented by hand with unicodedata classes."""
import json
import os
import unicodedata

SPECIALS = ['<s>', '<pad>', '</s>', '<unk>', '<mask>']
# JavaScript's \s (what the Node pre-tokenizer regex uses), not Python's str.isspace.
JS_SPACE = set('\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff') | {chr(c) for c in range(0x2000, 0x200b)}


def bytes_to_unicode():
    bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def _cls(ch):
    if ch in JS_SPACE:
        return 's'
    cat = unicodedata.category(ch)
    if cat[0] == 'L':
        return 'L'
    if cat[0] == 'N':
        return 'N'
    return 'o'


def pretokenize(text):
    """'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"""
    out = []
    i, n = 0, len(text)
    cls = [_cls(c) for c in text]
    while i < n:
        if text[i] == "'":
            m = None
            for c in ('re', 've', 'll', 's', 't', 'm', 'd'):
                if text.startswith(c, i + 1):
                    m = c
                    break
            if m:
                out.append(text[i:i + 1 + len(m)])
                i += 1 + len(m)
                continue
        j = i + 1 if (text[i] == ' ' and i + 1 < n) else i
        k = cls[j] if j < n else None
        if k in ('L', 'N', 'o') and (j == i + 1 or cls[i] != 's'):
            e = j
            while e < n and cls[e] == k:
                e += 1
            out.append(text[i:e])
            i = e
            continue
        # whitespace run
        e = i
        while e < n and cls[e] == 's':
            e += 1
        if e == n:
            out.append(text[i:e])
            i = e
        elif e - i >= 2:
            out.append(text[i:e - 1])  # \s+(?!\S): leave the last space to prefix the next word
            i = e - 1
        else:
            out.append(text[i:e])
            i = e
    return out


class ReferenceBPE:
    def __init__(self, src_dir):
        with open(os.path.join(src_dir, 'vocab.json'), encoding='utf-8') as f:
            self.vocab = json.load(f)
        with open(os.path.join(src_dir, 'merges.txt'), encoding='utf-8') as f:
            merges = [tuple(ln.rstrip('\n').split(' ')) for ln in f if ln.strip() and not ln.startswith('#version')]
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.b2u = bytes_to_unicode()
        self.cache = {}

    def bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        parts = list(word)
        while len(parts) > 1:
            best, bi = None, -1
            for i in range(len(parts) - 1):
                r = self.ranks.get((parts[i], parts[i + 1]))
                if r is not None and (best is None or r < best):
                    best, bi = r, i
            if best is None:
                break
            parts = parts[:bi] + [parts[bi] + parts[bi + 1]] + parts[bi + 2:]
        self.cache[word] = parts
        return parts

    def encode(self, text):
        """Ids without <s>/</s>; special-token strings in the text map to their ids (as in tokenizer.json)."""
        # Lone surrogates become U+FFFD, as JavaScript's TextEncoder does.
        text = text.encode('utf-16', 'surrogatepass').decode('utf-16', 'replace')
        ids = []
        pieces = [text]
        for sp in SPECIALS:
            nxt = []
            for p in pieces:
                if p in SPECIALS:
                    nxt.append(p)
                    continue
                segs = p.split(sp)
                for si, s in enumerate(segs):
                    if si:
                        nxt.append(sp)
                    if s:
                        nxt.append(s)
            pieces = nxt
        for p in pieces:
            if p in SPECIALS:
                ids.append(self.vocab[p])
                continue
            for w in pretokenize(p):
                u = ''.join(self.b2u[b] for b in w.encode('utf-8'))
                ids.extend(self.vocab.get(t, self.vocab['<unk>']) for t in self.bpe(u))
        return ids
