#!/usr/bin/env python3
"""Checks an exported model directory against its checkpoint and the runtime contract:
1. the explicit backward in the model (what attribution.onnx holds) equals torch.autograd (≤1e-3);
2. the three ONNX graphs are valid and have the contract's names, dtypes and dynamic axes;
3. onnxruntime-node reproduces the PyTorch logits (≤1e-4), embeddings and gradients (≤1e-3) on the
   fixture (check_onnx.mjs; onnx 1.12 has no onnx.reference and onnxruntime-python is not installed).
Usage: test_export.py EXPORT_DIR [CHECKPOINT]   (exit 1 on failure)"""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
import torch

import data
from export import load, CONTRACT

HERE = os.path.dirname(os.path.abspath(__file__))
ELEM = {onnx.TensorProto.INT64: 'int64', onnx.TensorProto.FLOAT: 'float32'}


def check_gradients(model, failures):
    g = torch.Generator().manual_seed(5)
    for batch, seq in ((1, 7), (3, 40)):
        ids = torch.randint(5, 50265, (batch, seq), generator=g)  # any CodeBERT id, unknown ones included
        ids[:, 0] = data.BOS
        mask = torch.ones_like(ids)
        if batch > 1:  # right padding as at run time
            ids[1, seq // 2:] = data.PAD
            mask[1, seq // 2:] = 0
        ids[torch.arange(batch), mask.sum(1) - 1] = data.EOS
        target = torch.randint(0, 2, (batch,), generator=g)
        emb = model.word_embeddings(ids).detach().requires_grad_(True)
        logits = model.head(model.encode(emb, mask))[0]
        ref, = torch.autograd.grad(logits.gather(1, target[:, None]).sum(), emb)
        with torch.no_grad():
            lo2, mine = model.logits_and_gradients(emb.detach(), mask, target)
        err = (ref - mine).abs().max().item()
        lerr = (logits - lo2).abs().max().item()
        ok = err <= 1e-3 and lerr <= 1e-5
        print(f'{"ok  " if ok else "FAIL"} explicit backward [{batch},{seq}]: max |grad - autograd| {err:.2e} '
              f'(|grad| max {ref.abs().max().item():.2e}), logits {lerr:.1e}')
        if not ok:
            failures.append('gradients')


def check_graphs(out, failures):
    man = json.load(open(os.path.join(out, 'manifest.json')))
    for fkey, fname in man['files'].items():
        m = onnx.load(os.path.join(out, fname))
        onnx.checker.check_model(m)
        got = {('in', v.name): v for v in m.graph.input}
        got.update({('out', v.name): v for v in m.graph.output})
        spec = {'inputs': man['inputs'], 'outputs': man['outputs']}  # the contract, with the lexical output if any
        for kind, specs in (('in', spec['inputs']), ('out', spec['outputs'])):
            for s in (x for x in specs if x['file'] == fkey):
                v = got.get((kind, s['name']))
                if v is None:
                    failures.append(f'{fname}: missing {s["name"]}')
                    print(f'FAIL {fname}: missing {kind}put {s["name"]}')
                    continue
                t = v.type.tensor_type
                dims = [d.dim_param or d.dim_value for d in t.shape.dim]
                want = [man['hidden_size'] if d == 'hidden' else d for d in s['shape']]
                if s['name'] == 'lexical_contributions':
                    want = ['batch', 'seq', 2]
                dyn_ok = all((isinstance(w, str) and isinstance(d, str)) or w == d for w, d in zip(want, dims))
                ok = ELEM.get(t.elem_type) == s['dtype'] and len(dims) == len(want) and dyn_ok
                print(f'{"ok  " if ok else "FAIL"} {fname} {kind} {s["name"]}: {ELEM.get(t.elem_type)} {dims}')
                if not ok:
                    failures.append(f'{fname}:{s["name"]}')
        extra = {v.name for v in m.graph.input} - {s['name'] for s in CONTRACT['inputs'] if s['file'] == fkey}
        if extra:
            failures.append(f'{fname}: extra inputs {extra}')
    total = sum(os.path.getsize(os.path.join(out, f)) for f in man['files'].values())
    print(f'{"ok  " if total <= 60e6 else "FAIL"} model files {total / 1e6:.1f} MB (≤ 60 MB)')
    if total > 60e6:
        failures.append('size')


def check_fixture(model, out, failures):
    fx = json.load(open(os.path.join(out, 'fixtures', 'export-check.json')))
    ids = torch.tensor(fx['inputs']['input_ids'])
    mask = torch.tensor(fx['inputs']['attention_mask'])
    with torch.no_grad():
        lo = model(ids, mask).numpy()
    err = np.abs(lo - np.array(fx['expected']['logits'])).max()
    print(f'{"ok  " if err <= 1e-5 else "FAIL"} fixture matches this checkpoint ({err:.1e})')
    if err > 1e-5:
        failures.append('fixture')
    r = subprocess.run(['node', os.path.join(HERE, 'check_onnx.mjs'), out])
    if r.returncode:
        failures.append('onnxruntime-node')


def main():
    out = sys.argv[1]
    ckpt = sys.argv[2] if len(sys.argv) > 2 else None
    torch.set_num_threads(2)
    failures = []
    if ckpt:
        model, _ = load(ckpt)
        t = json.load(open(os.path.join(out, 'manifest.json'))).get('training', {}).get('temperature_folded')
        if t:  # export.py folded the dev temperature into the head
            model.fold_temperature(t)
        check_gradients(model, failures)
        check_fixture(model, out, failures)
    else:
        print('no checkpoint given: skipping the PyTorch-side checks, running the ONNX ones')
        if subprocess.run(['node', os.path.join(HERE, 'check_onnx.mjs'), out]).returncode:
            failures.append('onnxruntime-node')
    check_graphs(out, failures)
    print('test_export:', 'FAILED ' + ', '.join(failures) if failures else 'all ok')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
