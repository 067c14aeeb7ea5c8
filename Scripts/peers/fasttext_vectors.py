#!/usr/bin/env python3
"""Peer driver: Facebook's fastText (its Python binding, PyPI `fasttext-numpy2`), unsupervised training.

usage: $PEER_PYTHON Scripts/peers/fasttext_vectors.py CORPUS [--model skipgram|cbow] [--dim 100]
       [--epochs 1] [--minn 3] [--maxn 6] [--threads 2] [--data-dir DIR] [--out PREFIX]
The corpus is first rewritten with the words of wordrule.py (lower-cased, split on non-word
characters) into a temporary file, since fastText splits on white space only; that pass is not
timed. Window 5, 5 negatives and min-count 5, as `tinyencoder vectors-train --algorithm fasttext`.
Prints "fastText <model> dim=… epochs=… threads=…: N words, T s, R words/s" and, when DIR (or
DATA_DIR) holds wordsim353.tsv, "wordsim353 spearman S" over every pair (subword vectors have no
out-of-vocabulary words). --out PREFIX writes PREFIX.bin (fastText's own format).
Not handled: supervised mode, quantisation.
"""
import argparse
import os
import tempfile
import time

from wordrule import data_file, words


def spearman_wordsim(model, path):
    import numpy as np
    from scipy.stats import spearmanr

    def unit(word):
        v = model.get_word_vector(word)
        return v / (np.linalg.norm(v) + 1e-9)

    human, cosine = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            first, second, score = line.rstrip("\n").split("\t")
            human.append(float(score))
            cosine.append(float(unit(first.lower()) @ unit(second.lower())))
    return spearmanr(human, cosine).statistic


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--model", choices=["skipgram", "cbow"], default="skipgram")
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--minn", type=int, default=3)
    ap.add_argument("--maxn", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data-dir", help="folder with wordsim353.tsv (or DATA_DIR)")
    ap.add_argument("--out", help="save the model as OUT.bin")
    args = ap.parse_args()
    import fasttext

    count = 0
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as plain, \
            open(args.corpus, encoding="utf-8") as source:
        for line in source:
            line_words = words(line)
            count += len(line_words)
            plain.write(" ".join(line_words) + "\n")
    try:
        start = time.perf_counter()
        model = fasttext.train_unsupervised(plain.name, model=args.model, dim=args.dim, epoch=args.epochs,
                                            minn=args.minn, maxn=args.maxn, thread=args.threads,
                                            ws=5, neg=5, minCount=5, verbose=0)
        seconds = time.perf_counter() - start
    finally:
        os.unlink(plain.name)
    print(f"fastText {args.model} dim={args.dim} epochs={args.epochs} threads={args.threads}: {count} words, "
          f"{seconds:.1f} s, {count * args.epochs / seconds:,.0f} words/s", flush=True)
    pairs = data_file(args.data_dir, "wordsim353.tsv")
    if pairs:
        print(f"wordsim353 spearman {spearman_wordsim(model, pairs):.3f} (subword vectors, no OOV)")
    if args.out:
        model.save_model(args.out + ".bin")


if __name__ == "__main__":
    main()
