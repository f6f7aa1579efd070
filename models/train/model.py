"""CodeBERT-architecture classifier (RoBERTa encoder + RobertaClassificationHead) in plain torch, plus an
explicit backward pass for Integrated Gradients that exports to ONNX as ordinary forward ops.

Input contract: CodeBERT token ids (0..50264). The word embedding table only has rows for ids seen in
training; `id_map` (a Gather) sends every other CodeBERT id to the <unk> row, which shrinks the model
without changing what callers pass in.
Positions follow RoBERTa: position id = padding_idx + 1 + index among attended tokens (pad positions get
padding_idx), computed from attention_mask so the inputs_embeds path uses the very same positions.
"""
import math
from dataclasses import dataclass, asdict

import torch
from torch import nn
import torch.nn.functional as F

VOCAB_SIZE = 50265
PAD_ID = 1
UNK_ID = 3
MAX_POSITIONS = 514  # RoBERTa: 512 tokens + padding_idx offset of 2
LN_EPS = 1e-5


@dataclass
class Config:
    hidden: int = 128
    layers: int = 2
    heads: int = 4
    intermediate: int = 512
    dropout: float = 0.1
    compact_vocab: int = VOCAB_SIZE  # rows of the word embedding table after id remapping
    # Lexical path (0: none): hashed token n-grams of orders 1..lex_order into lex_buckets rows, each row a
    # logit pair; a window's lexical logits are their sum over its content tokens / the content token count.
    lex_buckets: int = 0
    lex_order: int = 4
    lex_fp16: bool = False  # store the n-gram table in half precision (read as float32): half the file and memory

    def to_dict(self):
        return asdict(self)


# n-gram hashing, int64 throughout (ids < 2^16, so no product overflows): unigrams keep their id (rows
# 0..VOCAB_SIZE-1); bigrams and trigrams land in rows VOCAB_SIZE..VOCAB_SIZE+buckets-1.
HASH_A, HASH_B = 1000003, 999983
HASH_MOD = 2 ** 40


def lex_rows(ids, buckets, order):
    """Row indices per n-gram start position: [B,T] for order 1, [B,T-1] for 2, [B,T-2] for 3."""
    out = [ids]
    if order >= 2:
        out.append(torch.remainder(ids[:, :-1] * HASH_A + ids[:, 1:], buckets) + VOCAB_SIZE)
    if order >= 3:
        out.append(torch.remainder((ids[:, :-2] * HASH_A + ids[:, 1:-1]) * HASH_B + ids[:, 2:], buckets) + VOCAB_SIZE)
    if order >= 4:  # reduced before the last step, so the product stays below 2^63
        h3 = torch.remainder((ids[:, :-3] * HASH_A + ids[:, 1:-2]) * HASH_B + ids[:, 2:-1], HASH_MOD)
        out.append(torch.remainder(h3 * HASH_A + ids[:, 3:], buckets) + VOCAB_SIZE)
    if order >= 5:
        h4 = torch.remainder(h3[:, :-1] * HASH_A + ids[:, 3:-1], HASH_MOD)
        out.append(torch.remainder(h4 * HASH_B + ids[:, 4:], buckets) + VOCAB_SIZE)
    if order > 5:
        raise ValueError(f'lexical order {order}: at most 5')
    return out


def content_mask(input_ids, attention_mask):
    """1 at attended positions that are not <s>, </s> or <pad>."""
    m = attention_mask.to(torch.int64)
    return m * (input_ids != 0).to(torch.int64) * (input_ids != 2).to(torch.int64) * (input_ids != PAD_ID).to(torch.int64)


def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def gelu_grad(x):
    return 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0))) + x * torch.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def layer_norm_backward(g_y, u, weight):
    """d/du of LayerNorm(u) (last dim) given upstream g_y; written out so it exports as plain ops."""
    mu = u.mean(-1, keepdim=True)
    d = u - mu
    inv = torch.rsqrt((d * d).mean(-1, keepdim=True) + LN_EPS)
    xhat = d * inv
    g_xhat = g_y * weight
    return inv * (g_xhat - g_xhat.mean(-1, keepdim=True) - xhat * (g_xhat * xhat).mean(-1, keepdim=True))


def position_ids(attention_mask):
    m = attention_mask.to(torch.int64)
    return torch.cumsum(m, dim=1) * m + PAD_ID


class Layer(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.h, self.nh = c.hidden, c.heads
        self.dh = c.hidden // c.heads
        self.q = nn.Linear(c.hidden, c.hidden)
        self.k = nn.Linear(c.hidden, c.hidden)
        self.v = nn.Linear(c.hidden, c.hidden)
        self.ao = nn.Linear(c.hidden, c.hidden)
        self.ln1 = nn.LayerNorm(c.hidden, eps=LN_EPS)
        self.inter = nn.Linear(c.hidden, c.intermediate)
        self.out = nn.Linear(c.intermediate, c.hidden)
        self.ln2 = nn.LayerNorm(c.hidden, eps=LN_EPS)
        self.drop = nn.Dropout(c.dropout)

    def split(self, x):  # [B,T,H] -> [B,nh,T,dh]
        b, t = x.shape[0], x.shape[1]
        return x.reshape(b, t, self.nh, self.dh).transpose(1, 2)

    def merge(self, x):  # [B,nh,T,dh] -> [B,T,H]
        b, t = x.shape[0], x.shape[2]
        return x.transpose(1, 2).reshape(b, t, self.h)

    def forward(self, x, mask_bias, cache=None):
        q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
        s = q @ k.transpose(-1, -2) / math.sqrt(self.dh) + mask_bias
        p = torch.softmax(s, dim=-1)
        c = self.merge(self.drop(p) @ v)
        u1 = self.drop(self.ao(c)) + x
        y1 = self.ln1(u1)
        i = self.inter(y1)
        u2 = self.drop(self.out(gelu(i))) + y1
        y2 = self.ln2(u2)
        if cache is not None:
            cache.append((q, k, v, p, u1, i, u2))
        return y2

    def backward(self, g_y2, saved):
        """Gradient w.r.t. the layer input, dropout off. Mirrors forward() line by line."""
        q, k, v, p, u1, i, u2 = saved
        g_u2 = layer_norm_backward(g_y2, u2, self.ln2.weight)
        g_i = (g_u2 @ self.out.weight) * gelu_grad(i)
        g_y1 = g_i @ self.inter.weight + g_u2
        g_u1 = layer_norm_backward(g_y1, u1, self.ln1.weight)
        g_c = self.split(g_u1 @ self.ao.weight)
        g_p = g_c @ v.transpose(-1, -2)
        g_v = p.transpose(-1, -2) @ g_c
        g_s = p * (g_p - (g_p * p).sum(-1, keepdim=True))
        scale = 1.0 / math.sqrt(self.dh)
        g_q = (g_s @ k) * scale
        g_k = (g_s.transpose(-1, -2) @ q) * scale
        return (g_u1 + self.merge(g_q) @ self.q.weight + self.merge(g_k) @ self.k.weight
                + self.merge(g_v) @ self.v.weight)


class OriginModel(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.config = c
        self.register_buffer('id_map', torch.arange(VOCAB_SIZE, dtype=torch.int64) if c.compact_vocab == VOCAB_SIZE
                             else torch.full((VOCAB_SIZE,), UNK_ID, dtype=torch.int64))
        self.word = nn.Embedding(c.compact_vocab, c.hidden)
        self.pos = nn.Embedding(MAX_POSITIONS, c.hidden)
        self.tok_type = nn.Embedding(1, c.hidden)
        self.ln = nn.LayerNorm(c.hidden, eps=LN_EPS)
        self.drop = nn.Dropout(c.dropout)
        self.layers = nn.ModuleList(Layer(c) for _ in range(c.layers))
        self.dense = nn.Linear(c.hidden, c.hidden)
        self.out_proj = nn.Linear(c.hidden, 2)
        self.apply(self._init)
        if c.lex_buckets:
            self.lex = nn.Embedding(VOCAB_SIZE + c.lex_buckets, 2)
            self.lex_bias = nn.Parameter(torch.zeros(2))
            nn.init.zeros_(self.lex.weight)

    @staticmethod
    def _init(m):  # BERT init: N(0, 0.02), zero bias, unit LayerNorm
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)
        if isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)

    def set_id_map(self, kept_ids):
        """kept_ids[j] = CodeBERT id of compact row j; row UNK_ID's slot must be present."""
        m = torch.full((VOCAB_SIZE,), -1, dtype=torch.int64)
        m[torch.as_tensor(kept_ids)] = torch.arange(len(kept_ids))
        m[m < 0] = m[UNK_ID]
        self.id_map.copy_(m)

    def word_embeddings(self, input_ids):
        return self.word(self.id_map[input_ids])

    def encode(self, inputs_embeds, attention_mask, cache=None):
        pos = position_ids(attention_mask)
        e = inputs_embeds + self.pos(pos) + self.tok_type.weight[0]
        h = self.drop(self.ln(e))
        # additive mask: -1e4 (not -inf) keeps fully padded rows finite, as in BERT
        mask_bias = (1.0 - attention_mask.to(inputs_embeds.dtype))[:, None, None, :] * -10000.0
        if cache is not None:
            cache.append(e)
        for layer in self.layers:
            h = layer(h, mask_bias, cache)
        return h

    def head(self, h):
        x = self.drop(h[:, 0])
        z = torch.tanh(self.dense(x))
        return self.out_proj(self.drop(z)), z

    def lexical(self, input_ids, attention_mask):
        """(logits [B,2], per-position contributions [B,T,2]): each n-gram's row is shared equally by its
        tokens, so the contributions sum to the logits minus lex_bias (exact token attributions)."""
        c = self.config
        t = input_ids.shape[1]
        cm = content_mask(input_ids, attention_mask).to(self.lex.weight.dtype)  # [B,T]
        n = cm.sum(1).clamp(min=1.0)  # content tokens per window
        # Right-pad by order-1 non-content positions so every n-gram order has at least one start position
        # even in windows shorter than the order (e.g. "<s> x </s>" at order 5): without it, slices of
        # negative length wrap around in the exported graph. Padded n-grams are invalid, so nothing changes.
        input_ids = F.pad(input_ids, (0, c.lex_order - 1), value=0)
        cm = F.pad(cm, (0, c.lex_order - 1))
        contrib = torch.zeros(input_ids.shape[0], input_ids.shape[1], 2, dtype=self.lex.weight.dtype, device=input_ids.device)
        for k, rows in enumerate(lex_rows(input_ids, c.lex_buckets, c.lex_order)):
            span = k + 1
            valid = cm[:, :cm.shape[1] - k]
            for j in range(1, span):
                valid = valid * cm[:, j:cm.shape[1] - k + j]
            w = F.embedding(rows, self.lex.weight.half()).float() if c.lex_fp16 else self.lex(rows)
            v = w * (valid / span)[:, :, None]  # [B,T-k,2], shared by the span's tokens
            for j in range(span):
                contrib = contrib + F.pad(v, (0, 0, j, k - j))
        contrib = contrib[:, :t] / n[:, None, None]
        return contrib.sum(1) + self.lex_bias, contrib

    @torch.no_grad()
    def fold_temperature(self, t):
        """logits / t from the graphs themselves: both paths' last linear maps divided by t."""
        self.out_proj.weight /= t
        self.out_proj.bias /= t
        if self.config.lex_buckets:
            self.lex.weight /= t
            self.lex_bias /= t

    def forward(self, input_ids, attention_mask):
        logits = self.head(self.encode(self.word_embeddings(input_ids), attention_mask))[0]
        if self.config.lex_buckets:
            logits = logits + self.lexical(input_ids, attention_mask)[0]
        return logits

    def logits_and_gradients(self, inputs_embeds, attention_mask, target):
        """logits and d logits[b, target[b]] / d inputs_embeds[b], by the explicit backward (eval mode)."""
        cache = []
        h = self.encode(inputs_embeds, attention_mask, cache)
        logits, z = self.head(h)
        g_logits = (torch.arange(2, device=target.device)[None, :] == target[:, None]).to(logits.dtype)
        g_pre = (g_logits @ self.out_proj.weight) * (1.0 - z * z)
        g_x0 = g_pre @ self.dense.weight  # [B,H]
        first = (torch.arange(h.shape[1], device=h.device) == 0).to(h.dtype)  # only <s> feeds the head
        g_h = g_x0[:, None, :] * first[None, :, None]
        e = cache[0]
        for n in range(len(self.layers) - 1, -1, -1):
            g_h = self.layers[n].backward(g_h, cache[1 + n])
        g_e = layer_norm_backward(g_h, e, self.ln.weight)
        return logits, g_e


class ModelExport(nn.Module):
    """model.onnx: (input_ids, attention_mask) -> logits [, lexical_contributions]"""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask):
        if not self.m.config.lex_buckets:
            return self.m(input_ids, attention_mask)
        t = self.m.head(self.m.encode(self.m.word_embeddings(input_ids), attention_mask))[0]
        lex, contrib = self.m.lexical(input_ids, attention_mask)
        return t + lex, contrib


class EmbeddingsExport(nn.Module):
    """embeddings.onnx: input_ids -> word embeddings only"""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        return self.m.word_embeddings(input_ids)


class AttributionExport(nn.Module):
    """attribution.onnx: (inputs_embeds, attention_mask, target) -> (logits, gradients)"""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, inputs_embeds, attention_mask, target):
        return self.m.logits_and_gradients(inputs_embeds, attention_mask, target)


def count_parameters(m):
    return sum(p.numel() for p in m.parameters())
