"""Views of one tokenized pool as the split files data.Split reads, without re-tokenizing.

prepare_data.py writes {split}.jsonl; all of them are concatenated into all.jsonl and tokenized once
(tok_all.u16 + tok_all.index.jsonl). A view is a folder whose tok_NAME.index.jsonl lists a subset of those
rows (offsets into the shared u16 file, which is linked, not copied) and whose meta.jsonl is the pool's.
"""
import json
import os


def read_index(work):
    with open(os.path.join(work, 'tok_all.index.jsonl')) as f:
        return [json.loads(line) for line in f]


def read_meta(work):
    with open(os.path.join(work, 'meta.jsonl')) as f:
        return {m['id']: m for m in (json.loads(line) for line in f)}


def _link(src, dst):
    if os.path.lexists(dst):
        os.remove(dst)
    os.symlink(os.path.abspath(src), dst)


def make_view(work, out, splits):
    """splits: {name: predicate(meta row) -> bool}. Writes out/tok_NAME.{u16,index.jsonl} and out/meta.jsonl."""
    os.makedirs(out, exist_ok=True)
    index, meta = read_index(work), read_meta(work)
    _link(os.path.join(work, 'meta.jsonl'), os.path.join(out, 'meta.jsonl'))
    counts = {}
    for name, keep in splits.items():
        _link(os.path.join(work, 'tok_all.u16'), os.path.join(out, f'tok_{name}.u16'))
        rows = [r for r in index if keep(meta[r['id']])]
        with open(os.path.join(out, f'tok_{name}.index.jsonl'), 'w') as f:
            for r in rows:
                f.write(json.dumps(r) + '\n')
        counts[name] = len(rows)
    return counts


def fold_of(m):
    """The LOSO fold a row belongs to: its source, with gptsniffer-test counted as gptsniffer (one dataset)."""
    return 'gptsniffer' if m['source'] == 'gptsniffer-test' else m['source']


def in_training(m):
    """Rows a model may train on (gptsniffer-test is a test set, never trained on)."""
    return m['source'] != 'gptsniffer-test'
