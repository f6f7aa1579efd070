#!/usr/bin/env python3
"""Exports a checkpoint to the runtime contract: model.onnx, embeddings.onnx, attribution.onnx,
manifest.json and fixtures/export-check.json (inputs + PyTorch outputs that check_onnx.mjs compares
against onnxruntime-node). Usage: export.py CHECKPOINT OUT_DIR [--eval eval.json]
Without a checkpoint file (path 'untrained:H,L,A'), exports a randomly initialised model.
With --eval, the dev-fit temperature is folded into the head (the manifest's threshold assumes it)."""
import argparse
import json
import os
import sys

import numpy as np
import torch

import data
import metrics
from model import (Config, OriginModel, ModelExport, EmbeddingsExport, AttributionExport, count_parameters,
                   VOCAB_SIZE)

OPSET = 17  # LayerNormalization is native from 17; onnxruntime-node 1.30 runs it
HERE = os.path.dirname(os.path.abspath(__file__))
CONTRACT = {
    'inputs': [
        {'file': 'model', 'name': 'input_ids', 'dtype': 'int64', 'shape': ['batch', 'seq']},
        {'file': 'model', 'name': 'attention_mask', 'dtype': 'int64', 'shape': ['batch', 'seq']},
        {'file': 'embeddings', 'name': 'input_ids', 'dtype': 'int64', 'shape': ['batch', 'seq']},
        {'file': 'attribution', 'name': 'inputs_embeds', 'dtype': 'float32', 'shape': ['batch', 'seq', 'hidden']},
        {'file': 'attribution', 'name': 'attention_mask', 'dtype': 'int64', 'shape': ['batch', 'seq']},
        {'file': 'attribution', 'name': 'target', 'dtype': 'int64', 'shape': ['batch']},
    ],
    'outputs': [
        {'file': 'model', 'name': 'logits', 'dtype': 'float32', 'shape': ['batch', 2]},
        {'file': 'embeddings', 'name': 'inputs_embeds', 'dtype': 'float32', 'shape': ['batch', 'seq', 'hidden']},
        {'file': 'attribution', 'name': 'logits', 'dtype': 'float32', 'shape': ['batch', 2]},
        {'file': 'attribution', 'name': 'gradients', 'dtype': 'float32', 'shape': ['batch', 'seq', 'hidden'],
         'meaning': 'd logits[b, target[b]] / d inputs_embeds[b]'},
    ],
}


LEXICAL_OUTPUT = {'file': 'model', 'name': 'lexical_contributions', 'dtype': 'float32', 'shape': ['batch', 'seq', 2],
                  'meaning': 'share of each position in the lexical path\'s logits (sum over positions = lexical '
                             'logits minus their bias); exact token attributions of that path'}


def contract(model):
    c = {'inputs': CONTRACT['inputs'], 'outputs': list(CONTRACT['outputs'])}
    if model.config.lex_buckets:
        c['outputs'].insert(1, LEXICAL_OUTPUT)
    return c


def load(ckpt):
    if ckpt.startswith('untrained:'):
        h, l, a = (int(x) for x in ckpt.split(':')[1].split(','))
        torch.manual_seed(0)
        m = OriginModel(Config(hidden=h, layers=l, heads=a, intermediate=4 * h))
        return m.eval(), {'checkpoint': 'untrained', 'state': {}}
    c = torch.load(ckpt)
    m = OriginModel(Config(**c['config']))
    m.load_state_dict(c['model'])
    return m.eval(), {'checkpoint': os.path.basename(ckpt), 'state': c['state'], 'args': c.get('args', {})}


def sample_inputs(hidden, seed=7):
    """Two right-padded windows of CodeBERT ids (one full, one short) for tracing and fixtures."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(5, VOCAB_SIZE, (2, 12), generator=g)
    ids[:, 0] = data.BOS
    ids[0, -1] = data.EOS
    ids[1, 7] = data.EOS
    ids[1, 8:] = data.PAD
    mask = (ids != data.PAD).to(torch.int64)
    return ids, mask


def export(model, out):
    os.makedirs(out, exist_ok=True)
    model.eval()
    ids, mask = sample_inputs(model.config.hidden)
    emb = model.word_embeddings(ids).detach()
    target = torch.tensor([1, 0])
    kw = dict(opset_version=OPSET, do_constant_folding=True)
    lex = bool(model.config.lex_buckets)
    with torch.no_grad():
        torch.onnx.export(ModelExport(model), (ids, mask), os.path.join(out, 'model.onnx'),
                          input_names=['input_ids', 'attention_mask'],
                          output_names=['logits', 'lexical_contributions'] if lex else ['logits'],
                          dynamic_axes={'input_ids': {0: 'batch', 1: 'seq'}, 'attention_mask': {0: 'batch', 1: 'seq'},
                                        'logits': {0: 'batch'},
                                        **({'lexical_contributions': {0: 'batch', 1: 'seq'}} if lex else {})}, **kw)
        if lex:
            fix_class_axis(os.path.join(out, 'model.onnx'))
        torch.onnx.export(EmbeddingsExport(model), (ids,), os.path.join(out, 'embeddings.onnx'),
                          input_names=['input_ids'], output_names=['inputs_embeds'],
                          dynamic_axes={'input_ids': {0: 'batch', 1: 'seq'}, 'inputs_embeds': {0: 'batch', 1: 'seq'}},
                          **kw)
        torch.onnx.export(AttributionExport(model), (emb, mask, target), os.path.join(out, 'attribution.onnx'),
                          input_names=['inputs_embeds', 'attention_mask', 'target'],
                          output_names=['logits', 'gradients'],
                          dynamic_axes={'inputs_embeds': {0: 'batch', 1: 'seq'},
                                        'attention_mask': {0: 'batch', 1: 'seq'}, 'target': {0: 'batch'},
                                        'logits': {0: 'batch'}, 'gradients': {0: 'batch', 1: 'seq'}}, **kw)
    write_fixture(model, out)


def fix_class_axis(path):
    """States the class axis (2) of model.onnx's outputs: with the lexical path, shape inference leaves it
    symbolic, and the contract (and test_export.py) names it."""
    import onnx
    m = onnx.load(path)
    for o in m.graph.output:
        d = o.type.tensor_type.shape.dim[-1]
        d.Clear()
        d.dim_value = 2
    onnx.save(m, path)


def write_fixture(model, out):
    """Inputs and PyTorch outputs; check_onnx.mjs runs the same inputs through onnxruntime-node."""
    model.eval()  # torch.onnx.export restores the wrapper's train mode, which reaches the model too
    ids, mask = sample_inputs(model.config.hidden, seed=11)
    # a second, longer shape than the tracing one proves the axes are dynamic
    ids = torch.cat([ids, ids[:, 1:6]], dim=1)
    ids[0, -1] = data.EOS
    mask = torch.ones_like(ids)
    mask[1, 8:] = 0
    ids[1, 8:] = data.PAD
    target = torch.tensor([1, 0])
    with torch.no_grad():
        logits = model(ids, mask)
        emb = model.word_embeddings(ids)
        a_logits, grads = model.logits_and_gradients(emb, mask, target)
        lex = model.lexical(ids, mask)[1] if model.config.lex_buckets else None
        # a window shorter than the lexical order (one content token): the export once broke only there
        short = torch.tensor([[data.BOS, 100, data.EOS]])
        short_logits = model(short, torch.ones_like(short))
    fx = {
        'format': 'code-origin export check v1',
        'tolerance': {'logits': 1e-4, 'inputs_embeds': 1e-5, 'gradients': 1e-3},
        'shape': {'batch': ids.shape[0], 'seq': ids.shape[1], 'hidden': model.config.hidden},
        'inputs': {'input_ids': ids.tolist(), 'attention_mask': mask.tolist(), 'target': target.tolist()},
        'expected': {'logits': logits.tolist(), 'inputs_embeds': emb.tolist(),
                     'attribution_logits': a_logits.tolist(), 'gradients': grads.tolist(),
                     **({'lexical_contributions': lex.tolist()} if lex is not None else {})},
        'short': {'input_ids': short.tolist(), 'logits': short_logits.tolist()},
    }
    os.makedirs(os.path.join(out, 'fixtures'), exist_ok=True)
    with open(os.path.join(out, 'fixtures', 'export-check.json'), 'w') as f:
        json.dump(fx, f)


def manifest_metrics(ev):
    """The headline numbers of eval.json (full tables: MODEL.md / eval.json)."""
    keep = ('n', 'human', 'llm', 'auc', 'f1', 'accuracy', 'ece')
    pick = lambda m: {k: m[k] for k in keep}  # noqa: E731
    return {
        'split': 'grouped test split (by task), threshold applied',
        'test': pick(ev['test']['all']),
        'test_by_source': {k: pick(v) for k, v in ev['test']['by_source'].items()},
        'test_by_language': {k: pick(v) for k, v in ev['test']['by_language'].items()},
        'gptsniffer_test': pick(ev['gptsniffer_test']['all']),
        'dev': pick(ev['dev']),
        'temperature': ev.get('temperature'),
        'tokens_seen': ev.get('tokens_seen'),
    }


def write_manifest(model, out, info, evaluation, canonical=None, verdict=None):
    c = model.config
    man = {
        'name': 'code-origin-small',
        # 0.2: tokens-v1 input and three-way LOSO verdicts (0.1 read raw text, two-way); history rows name it
        'version': '0.2.0' if canonical else '0.1.0',
        'architecture': 'roberta' + ('+lexical-ngrams' if c.lex_buckets else ''),
        'parameters': count_parameters(model),
        'hidden_size': c.hidden,
        'num_layers': c.layers,
        'num_heads': c.heads,
        'intermediate_size': c.intermediate,
        'vocab_size': VOCAB_SIZE,
        'embedding_rows': c.compact_vocab,
        'labels': ['human', 'llm'],
        'max_length': 512,
        'window': {'length': data.WINDOW_LENGTH, 'stride': data.WINDOW_STRIDE,
                   'note': 'length counts <s> and </s>; stride counts content tokens between window starts'},
        'aggregation': 'token_weighted_mean_logits: file logits = sum_w n_w * logits_w / sum_w n_w, n_w = content '
                       'tokens of window w; p_llm = softmax(file logits)[1]',
        'positions': 'RoBERTa: position id = 1 + (1-based index among attended tokens, from attention_mask), pad -> 1; '
                     'pad on the right',
        'tokenizer': 'tokenizer.json',
        'files': {'model': 'model.onnx', 'embeddings': 'embeddings.onnx', 'attribution': 'attribution.onnx'},
        'opset': OPSET,
        **contract(model),
        **({'lexical': {'buckets': c.lex_buckets, 'order': c.lex_order, 'table_dtype': 'float16' if c.lex_fp16 else 'float32',
                        'note': 'hashed token n-grams (orders 1..order) of content tokens, one logit pair per row; '
                                'window lexical logits = bias + sum / content tokens, added to the transformer logits; '
                                'attribution.onnx covers the transformer path only (Integrated Gradients), '
                                'lexical_contributions gives this path\'s exact per-token shares'}}
           if c.lex_buckets else {}),
        'special_tokens': {'bos': 0, 'pad': 1, 'eos': 2, 'unk': 3},
        'ig_baseline': 'pad-token embedding at non-special positions: baseline inputs_embeds = embeddings(input_ids '
                       'with every token except <s> and </s> replaced by <pad> (id 1)); <s>/</s> keep their own '
                       'embeddings; attention_mask unchanged',
        # with a verdict block, the legacy two-way threshold is its llm threshold (same meaning for old readers)
        'threshold': verdict['llm_threshold'] if verdict else (evaluation.get('threshold', 0.5) if evaluation else 0.5),
        **({'input': {'canonicalization': canonical,
                      'note': 'the run time canonicalizes source text (server/src/origin/canonical.ts) before tokenizing'}}
           if canonical else {}),
        **({'verdict': verdict} if verdict else {}),
        'metrics': manifest_metrics(evaluation) if evaluation else {},
        'training': {k: v for k, v in info.items() if k != 'args'},
    }
    with open(os.path.join(out, 'manifest.json'), 'w') as f:
        json.dump(metrics.json_safe(man), f, indent=1)
    return man


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('checkpoint')
    ap.add_argument('out')
    ap.add_argument('--eval', help='eval.json from evaluate.py (threshold + metrics for the manifest)')
    ap.add_argument('--canonical', help='input canonicalization the model was trained on (e.g. tokens-v1)')
    ap.add_argument('--verdict', help='summarise.py OUT.json: its `verdict` block (LOSO thresholds, calibration)')
    a = ap.parse_args()
    torch.set_num_threads(2)
    model, info = load(a.checkpoint)
    evaluation = json.load(open(a.eval)) if a.eval else None
    if evaluation and evaluation.get('temperature', 1.0) != 1.0:
        # calibrated logits = logits / T: fold T into the last linear layer so the graphs emit them directly
        t = evaluation['temperature']
        model.fold_temperature(t)
        info['temperature_folded'] = t
    export(model, a.out)
    verdict = json.load(open(a.verdict))['verdict'] if a.verdict else None
    man = write_manifest(model, a.out, info, evaluation, a.canonical, verdict)
    sizes = {f: os.path.getsize(os.path.join(a.out, f)) for f in man['files'].values()}
    print(json.dumps({'parameters': man['parameters'], 'sizes': sizes}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
