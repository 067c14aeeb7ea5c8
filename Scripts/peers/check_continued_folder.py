#!/usr/bin/env python3
"""Checks that a folder continued in PyTorch (continue_pretraining_ddp.py) gives the same sentence
vectors in TinyEncoder as in sentence-transformers: embeds the sentences with
`tinyencoder embed --model DIR` and with SentenceTransformer(DIR), and prints the smallest cosine
and the largest absolute difference over all sentences.

usage: $PEER_PYTHON Scripts/peers/check_continued_folder.py --model continued \
           --tinyencoder .build/release/tinyencoder --sentences sentences-500.txt
(Scripts/huggingface/select_sentences.py --count 500 writes a file of corpus sentences.)

Not handled: CLS or max pooling settings other than the folder's own (both sides read them).
"""
import argparse, subprocess, sys

import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--tinyencoder", required=True)
    p.add_argument("--sentences", required=True, help="one sentence a line")
    args = p.parse_args()
    sentences = [line.rstrip("\n") for line in open(args.sentences, encoding="utf-8") if line.strip()]

    from sentence_transformers import SentenceTransformer
    theirs = SentenceTransformer(args.model, device="cpu").encode(sentences, batch_size=32, convert_to_numpy=True)

    run = subprocess.run([args.tinyencoder, "embed", "--model", args.model, "--format", "tsv"],
                         input="\n".join(sentences) + "\n", capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"tinyencoder embed failed: {run.stderr}")
    ours = np.array([[float(x) for x in line.split("\t")] for line in run.stdout.splitlines()], dtype=np.float64)
    if ours.shape != theirs.shape:
        sys.exit(f"shapes differ: tinyencoder {ours.shape}, sentence-transformers {theirs.shape}")
    theirs = theirs.astype(np.float64)
    cosines = (ours * theirs).sum(1) / (np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1))
    print(f"sentences={len(sentences)} width={ours.shape[1]} min_cosine={cosines.min():.10f} one_minus_min_cosine={1 - cosines.min():.3g} "
          f"median_cosine={np.median(cosines):.8f} max_abs_difference={np.abs(ours - theirs).max():.3g} "
          f"max_abs_value={np.abs(theirs).max():.3g}")


if __name__ == "__main__":
    main()
