#!/usr/bin/env python3
"""Splits the origin pool by group into train/dev/test (+ gptsniffer-test, never trained on),
sub-samples big sources to the CPU budget, validates the result loudly and writes:
  models/code-origin-small/splits.json          ids per split (committed; no code)
  models/code-origin-small/work/{split}.jsonl   {id, code} for tokenize-dataset (git-ignored)
  models/code-origin-small/work/meta.jsonl      {id, split, label, language, source, generator, group}
  models/code-origin-small/work/mix.json        counts per split/source/language/label (for MODEL.md)
Usage: prepare_data.py [--pool PATH] [--out DIR] [--small N] [--full-train] [--human-extra JSONL]
  --small: N files per split, for the smoke test.
  --human-extra: human-only rows from real projects (realworld/build_corpus.py train set), source 'debian':
    whole projects go to train or dev (every DEV_EVERY-th project by name to dev), never to test.
"""
import argparse
import collections
import gzip
import hashlib
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..'))
SEED = 20261121
FRACTIONS = {'train': 0.8, 'dev': 0.1, 'test': 0.1}
HOLDOUT_SOURCE = 'gptsniffer-test'
# Per split, per source, per label caps (files). Small sources are kept whole; gcj2020 (72k) and the
# LLM side of realclasseval (14k) are cut so training fits ~1 h of 2 CPU cores and eval a few minutes.
CAPS = {
    'train': {'gcj2020': {'human': 1500, 'llm': 1500}, 'realclasseval': {'llm': 1500}},
    'dev': {'gcj2020': {'human': 250, 'llm': 250}, 'realclasseval': {'llm': 250}},
    'test': {'gcj2020': {'human': 150, 'llm': 150}, 'realclasseval': {'llm': 150}},
}
MIN_CHARS = 40        # the pool's own cut; anything shorter is trivial
MIN_NONSPACE = 20     # ... and so is code with almost no non-whitespace
HUMAN_ONLY_SOURCES = {'debian'}  # real projects: human code only, so no label balance to check
DEV_EVERY = 6


def norm(code):
    """Whitespace-insensitive form: near duplicates differ only in layout."""
    return hashlib.sha1(re.sub(r'\s+', '', code).encode('utf-8', 'surrogatepass')).hexdigest()


class Fail(Exception):
    pass


def load(pool):
    with gzip.open(pool, 'rt', encoding='utf-8') as f:
        return [json.loads(line) for line in f]


def clean(rows, log):
    """Drops trivial code and label-conflicting near duplicates; merges groups that share a near duplicate
    so that no two copies can land on different sides of the split."""
    keep = []
    trivial = 0
    for r in rows:
        if len(r['code']) < MIN_CHARS or len(re.sub(r'\s', '', r['code'])) < MIN_NONSPACE:
            trivial += 1
            continue
        r['norm'] = norm(r['code'])
        keep.append(r)
    by_norm = collections.defaultdict(list)
    for r in keep:
        by_norm[r['norm']].append(r)
    conflict = {h for h, v in by_norm.items() if len({x['label'] for x in v}) > 1}
    keep2 = []
    dup_dropped = 0
    seen = set()
    for r in keep:
        if r['norm'] in conflict:
            continue
        if r['norm'] in seen:  # same label, same code modulo whitespace: one copy is enough
            dup_dropped += 1
            continue
        seen.add(r['norm'])
        keep2.append(r)
    # union-find over groups that shared a near duplicate (before the copies were dropped)
    parent = {}

    def find(g):
        while parent.setdefault(g, g) != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g
    for h, v in by_norm.items():
        gs = sorted({x['group'] for x in v})
        for g in gs[1:]:
            parent[find(g)] = find(gs[0])
    for r in keep2:
        r['split_group'] = find(r['group'])
    log['trivial_dropped'] = trivial
    log['label_conflict_dropped'] = sum(len(by_norm[h]) for h in conflict)
    log['near_duplicates_dropped'] = dup_dropped
    log['groups_merged'] = sum(1 for g in parent if find(g) != g)
    return keep2


def assign_groups(rows, rng):
    """Greedy, seeded: groups of each (source, majority language) stratum go to the split whose
    per-label share is furthest below its target, so labels and languages stay balanced across splits."""
    groups = collections.defaultdict(list)
    for r in rows:
        groups[r['split_group']].append(r)
    strata = collections.defaultdict(list)
    for g, rs in groups.items():
        lang = collections.Counter(r['language'] for r in rs).most_common(1)[0][0]
        strata[(rs[0]['source'], lang)].append(g)
    where = {}
    for key in sorted(strata):
        gs = sorted(strata[key])
        rng.shuffle(gs)
        # big groups first, so the small ones can even out the shares
        gs.sort(key=lambda g: -len(groups[g]))
        total = collections.Counter(r['label'] for g in gs for r in groups[g])
        cur = {s: collections.Counter() for s in FRACTIONS}
        for g in gs:
            n = collections.Counter(r['label'] for r in groups[g])

            def need(s):
                # relative fill: each split gets its share of every label, not just of the sizes
                return sum(n[l] * (1 - cur[s][l] / (FRACTIONS[s] * total[l])) for l in n)
            best = max(FRACTIONS, key=need)
            where[g] = best
            cur[best].update(n)
    return where


def load_extra(path, pool_norms):
    """Human rows of real projects; a file whose whitespace-free form is in the pool is dropped."""
    out, seen = [], set(pool_norms)
    with open(path, encoding='utf-8') as f:
        for line in f:
            r = json.loads(line)
            if len(r['code']) < MIN_CHARS or r['label'] != 'human':
                continue
            r['norm'] = norm(r['code'])
            if r['norm'] in seen:
                continue
            seen.add(r['norm'])
            out.append({'id': r['id'], 'code': r['code'], 'label': 'human', 'language': r['language'],
                        'source': 'debian', 'generator': 'human', 'group': r['group'], 'split_group': r['group'],
                        'norm': r['norm']})
    return out


def validate(splits, log):
    """Fails loudly: leakage of groups or near duplicates across splits, trivial code, missing labels."""
    errors = []
    seen_group, seen_norm, seen_id = {}, {}, set()
    for s, rs in splits.items():
        for r in rs:
            if r['id'] in seen_id:
                errors.append(f'duplicate id {r["id"]}')
            seen_id.add(r['id'])
            if len(r['code'].strip()) < MIN_CHARS // 2:
                errors.append(f'trivial code {r["id"]}')
            for key, seen in (('split_group', seen_group), ('norm', seen_norm)):
                other = seen.setdefault(r[key], s)
                if other != s:
                    errors.append(f'{key} {r[key]} in {other} and {s} ({r["id"]})')
            if r['group'] != r['split_group'] and seen_group.get(r['group'], s) != s:
                errors.append(f'group {r["group"]} leaks')
    balance = {}
    for s, rs in splits.items():
        c = collections.Counter((r['source'], r['label']) for r in rs)
        for src in sorted({r['source'] for r in rs}):
            h, l = c[(src, 'human')], c[(src, 'llm')]
            balance[f'{s}/{src}'] = {'human': h, 'llm': l, 'llm_share': round(l / (h + l), 3)}
            if (h == 0 or l == 0) and src not in HUMAN_ONLY_SOURCES:
                errors.append(f'{s}/{src} has only one label (human {h}, llm {l})')
    log['label_balance'] = balance
    if errors:
        for e in errors[:30]:
            print('VALIDATION ERROR:', e, file=sys.stderr)
        raise Fail(f'{len(errors)} validation errors')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--pool', default=os.path.join(REPO, '..', 'shared', 'datasets', 'origin', 'pool.jsonl.gz'))
    ap.add_argument('--out', default=os.path.join(REPO, 'models', 'code-origin-small'))
    ap.add_argument('--small', type=int, default=0)
    ap.add_argument('--full-train', action='store_true',
                    help='also write work/train_full.jsonl: every training-split file, before the caps (for lexical.py)')
    ap.add_argument('--human-extra', help='JSONL of human rows from real projects (source becomes "debian")')
    a = ap.parse_args()
    rng = random.Random(SEED)
    log = {'seed': SEED, 'pool_sha1': hashlib.sha1(open(a.pool, 'rb').read()).hexdigest()}
    rows = clean(load(a.pool), log)
    holdout = [r for r in rows if r['source'] == HOLDOUT_SOURCE]
    rows = [r for r in rows if r['source'] != HOLDOUT_SOURCE]
    where = assign_groups(rows, rng)
    if a.human_extra:
        extra = load_extra(a.human_extra, {r['norm'] for r in rows})
        projects = sorted({r['group'] for r in extra})
        for k, g in enumerate(projects):
            where[g] = 'dev' if k % DEV_EVERY == DEV_EVERY - 1 else 'train'
        rows += extra
        log['human_extra'] = {'files': len(extra), 'projects': len(projects),
                              'dev_projects': [g for g in projects if where[g] == 'dev']}
    full = {s: [r for r in rows if where[r['split_group']] == s] for s in FRACTIONS}
    full['gptsniffer_test'] = holdout
    log['full_split_counts'] = {s: len(v) for s, v in full.items()}
    validate(full, log)  # on the full split: leakage checks see every copy

    splits = {}
    for s, rs in full.items():
        rs = sorted(rs, key=lambda r: r['id'])
        rng.shuffle(rs)
        taken, cnt = [], collections.Counter()
        for r in rs:
            cap = CAPS.get(s, {}).get(r['source'], {}).get(r['label'])
            if cap is not None and cnt[(r['source'], r['label'])] >= cap:
                continue
            cnt[(r['source'], r['label'])] += 1
            taken.append(r)
        if a.small:
            taken = taken[:a.small]
        splits[s] = taken
    if not a.small:
        validate(splits, log)

    work = os.path.join(a.out, 'work')
    os.makedirs(work, exist_ok=True)
    mix = {}
    with open(os.path.join(work, 'meta.jsonl'), 'w', encoding='utf-8') as meta:
        for s, rs in splits.items():
            with open(os.path.join(work, f'{s}.jsonl'), 'w', encoding='utf-8') as f:
                for r in rs:
                    f.write(json.dumps({'id': r['id'], 'code': r['code'], 'language': r['language']}) + '\n')
                    meta.write(json.dumps({'id': r['id'], 'split': s, 'label': r['label'], 'language': r['language'],
                                           'source': r['source'], 'generator': r['generator'],
                                           'group': r['group']}) + '\n')
            c = collections.Counter(f'{r["source"]}/{r["language"]}/{r["label"]}' for r in rs)
            mix[s] = dict(sorted(c.items()))
        if a.full_train and not a.small:
            # The same training groups, nothing capped: the lexical path is cheap enough to read them all.
            taken = {r['id'] for r in splits['train']}
            with open(os.path.join(work, 'train_full.jsonl'), 'w', encoding='utf-8') as f:
                for r in sorted(full['train'], key=lambda r: r['id']):
                    f.write(json.dumps({'id': r['id'], 'code': r['code']}) + '\n')
                    if r['id'] not in taken:
                        meta.write(json.dumps({'id': r['id'], 'split': 'train_full', 'label': r['label'], 'language': r['language'],
                                               'source': r['source'], 'generator': r['generator'], 'group': r['group']}) + '\n')
    log['mix'] = mix
    with open(os.path.join(work, 'mix.json'), 'w') as f:
        json.dump(log, f, indent=1)
    manifest = {
        'seed': SEED, 'pool_sha1': log['pool_sha1'], 'caps': CAPS,
        'note': 'ids only. groups_* = every group on that side of the split (before sub-sampling).',
        **{s: sorted(r['id'] for r in rs) for s, rs in splits.items()},
        **{f'groups_{s}': sorted({r['group'] for r in rs}) for s, rs in full.items()},
    }
    if not a.small:
        with open(os.path.join(a.out, 'splits.json'), 'w') as f:
            json.dump(manifest, f, separators=(',', ':'))
    print(json.dumps({k: log[k] for k in log if k not in ('mix', 'label_balance')}, indent=1))
    for s, rs in splits.items():
        print(s, len(rs), collections.Counter(r['label'] for r in rs))


if __name__ == '__main__':
    try:
        main()
    except Fail as e:
        print('prepare_data FAILED:', e, file=sys.stderr)
        sys.exit(1)
