#!/usr/bin/env python3
"""Builds models/code-origin-small/tokenizer.json (the format @huggingface/tokenizers reads)
from CodeBERT's vocab.json + merges.txt: byte-level BPE, RoBERTa `<s> ... </s>` post-processing.

Usage: build_tokenizer.py [SRC_DIR] [OUT_FILE]
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..'))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, '..', 'shared', 'tokenizers', 'codebert')
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, 'models', 'code-origin-small', 'tokenizer.json')

SPECIALS = ['<s>', '<pad>', '</s>', '<unk>', '<mask>']


def main() -> None:
    with open(os.path.join(SRC, 'vocab.json'), encoding='utf-8') as f:
        vocab = json.load(f)
    with open(os.path.join(SRC, 'merges.txt'), encoding='utf-8') as f:
        merges = [ln.rstrip('\n') for ln in f if ln.strip() and not ln.startswith('#version')]
    assert len(vocab) == 50265, len(vocab)
    added = [
        # lstrip is false for <mask> too (HF RoBERTa sets it true): keeps every token's character
        # span inside the source, so offsets stay exact. <mask> never occurs in real code we score.
        {'id': vocab[t], 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False,
         'normalized': False, 'special': True}
        for t in SPECIALS
    ]
    tok = {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': added,
        'normalizer': None,
        'pre_tokenizer': {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': True},
        'post_processor': {'type': 'RobertaProcessing', 'sep': ['</s>', vocab['</s>']], 'cls': ['<s>', vocab['<s>']],
                           'trim_offsets': True, 'add_prefix_space': False},
        'decoder': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': True, 'use_regex': True},
        'model': {'type': 'BPE', 'dropout': None, 'unk_token': '<unk>', 'continuing_subword_prefix': '',
                  'end_of_word_suffix': '', 'fuse_unk': False, 'byte_fallback': False, 'ignore_merges': False,
                  'vocab': vocab, 'merges': merges},
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump(tok, f, ensure_ascii=False, separators=(',', ':'))
    print(f'wrote {OUT}: {len(vocab)} ids, {len(merges)} merges')


if __name__ == '__main__':
    main()
