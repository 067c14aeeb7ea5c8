#!/usr/bin/env python3
"""Peer driver: Hugging Face `tokenizers` byte-level BPE, trained on a corpus and then encoding it.

usage: $PEER_PYTHON Scripts/peers/hf_bpe.py CORPUS [--vocab 8000] [--min-frequency 2] [--threads 2] [--out DIR]
The tokenizer is the one `tinyencoder bpe-train` makes by default: GPT-2's byte-level
pre-tokeniser without a prefix space, the 256 byte symbols as the initial alphabet, and the
special tokens [PAD] [UNK] [CLS] [SEP] [MASK]. It is saved as DIR/tokenizer.json (default
./hf-bpe). Prints three lines:
  train: S MB in T s = R MB/s, vocab V
  encode_batch: R MB/s, N tokens, B bytes/token       (every line of the corpus, Python's splitlines)
  encode one by one (first 50k lines): R MB/s
Not handled: normalisers and post-processors (none are set, as in bpe-train's default).
"""
import argparse
import os
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--vocab", type=int, default=8000)
    ap.add_argument("--min-frequency", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default="hf-bpe")
    args = ap.parse_args()
    os.environ["RAYON_NUM_THREADS"] = str(args.threads)   # read when tokenizers starts its pool
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=args.vocab, min_frequency=args.min_frequency, show_progress=False,
                                  special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    megabytes = os.path.getsize(args.corpus) / 1e6

    start = time.perf_counter()
    tokenizer.train([args.corpus], trainer)
    seconds = time.perf_counter() - start
    os.makedirs(args.out, exist_ok=True)
    tokenizer.save(os.path.join(args.out, "tokenizer.json"))
    print(f"train: {megabytes:.1f} MB in {seconds:.2f} s = {megabytes / seconds:.2f} MB/s, vocab {tokenizer.get_vocab_size()}")

    with open(args.corpus, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = time.perf_counter()
    encodings = tokenizer.encode_batch(lines)
    seconds = time.perf_counter() - start
    tokens = sum(len(e.ids) for e in encodings)
    print(f"encode_batch: {megabytes / seconds:.2f} MB/s, {tokens} tokens, {megabytes * 1e6 / tokens:.3f} bytes/token")

    first = lines[:50000]
    start = time.perf_counter()
    for line in first:
        tokenizer.encode(line)
    seconds = time.perf_counter() - start
    print(f"encode one by one (first 50k lines): {sum(len(l.encode()) for l in first) / 1e6 / seconds:.2f} MB/s")


if __name__ == "__main__":
    main()
