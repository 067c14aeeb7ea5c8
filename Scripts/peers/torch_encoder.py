#!/usr/bin/env python3
"""Peer driver: a BERT-style encoder in PyTorch on the CPU: inference forward and one masked-LM
training step, in tokens/s, and the peak resident memory.

usage: $PEER_PYTHON Scripts/peers/torch_encoder.py [--layers 4] [--dim 256] [--heads 4] [--ffn 1024]
       [--vocab 8000] [--batch 32] [--seq 128] [--mask-percent 15] [--steps 10] [--threads 2]
The model is the one `tinyencoder bench encoder` / `bench train` build: token and learned position
embeddings, LayerNorm (ε 1e-12), then `nn.TransformerEncoder` post-LN layers with GELU and no
dropout (BERT's layout). The training step runs the masked-LM head (dense → GELU → LayerNorm →
decoder tied to the token embedding, plus a bias) at the masked positions only, cross-entropy,
backward and AdamW. Inputs are random ids, no padding. Prints:
  forward: R tokens/s (M ms per batch BxT)
  mlm train step (P% masked): R tokens/s (M ms per step)
  peak resident memory: N MiB
Every position of the batch counts as a token in both rates. Not handled: padding masks, dropout.
"""
import argparse
import resource
import time

import torch
from torch import nn


class TinyBert(nn.Module):
    def __init__(self, vocab, dim, heads, ffn, layers):
        super().__init__()
        self.tokens = nn.Embedding(vocab, dim)
        self.positions = nn.Embedding(512, dim)
        self.embedding_norm = nn.LayerNorm(dim, eps=1e-12)
        block = nn.TransformerEncoderLayer(dim, heads, ffn, dropout=0.0, activation="gelu",
                                           layer_norm_eps=1e-12, batch_first=True)
        self.blocks = nn.TransformerEncoder(block, layers, enable_nested_tensor=False)
        self.head_transform = nn.Sequential(nn.Linear(dim, dim), nn.GELU(), nn.LayerNorm(dim, eps=1e-12))
        self.head_bias = nn.Parameter(torch.zeros(vocab))

    def forward(self, ids):                                   # ids [B, T] -> hidden [B, T, C]
        positions = torch.arange(ids.shape[1])
        return self.blocks(self.embedding_norm(self.tokens(ids) + self.positions(positions)))

    def masked_lm_logits(self, hidden):                       # hidden [M, C] -> logits [M, V]
        return self.head_transform(hidden) @ self.tokens.weight.T + self.head_bias


def timed(step, repeats):
    step()                                                    # warm-up
    start = time.perf_counter()
    for _ in range(repeats):
        step()
    return (time.perf_counter() - start) / repeats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name, default in [("layers", 4), ("dim", 256), ("heads", 4), ("ffn", 1024), ("vocab", 8000),
                          ("batch", 32), ("seq", 128), ("mask-percent", 15), ("steps", 10), ("threads", 2)]:
        ap.add_argument("--" + name, type=int, default=default)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = TinyBert(args.vocab, args.dim, args.heads, args.ffn, args.layers)
    ids = torch.randint(0, args.vocab, (args.batch, args.seq))
    tokens = args.batch * args.seq

    def forward():
        with torch.inference_mode():
            model(ids)
    seconds = timed(forward, args.steps)
    print(f"forward: {tokens / seconds:,.0f} tokens/s ({seconds * 1000:.1f} ms per batch {args.batch}x{args.seq})", flush=True)

    generator = torch.Generator().manual_seed(1)
    masked = torch.rand(args.batch, args.seq, generator=generator) < args.mask_percent / 100
    labels = torch.randint(0, args.vocab, (int(masked.sum()),), generator=generator)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)

    def train_step():
        optimizer.zero_grad()
        logits = model.masked_lm_logits(model(ids)[masked])
        nn.functional.cross_entropy(logits, labels).backward()
        optimizer.step()
    seconds = timed(train_step, args.steps)
    print(f"mlm train step ({args.mask_percent}% masked): {tokens / seconds:,.0f} tokens/s ({seconds * 1000:.1f} ms per step)")
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
