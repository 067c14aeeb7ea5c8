#!/usr/bin/env python3
"""Trains a fastText skip-gram .bin with Facebook's fastText (the peer), for the experiment's extra
row "fastText n-gram composition": our `vectors-train` writes only word vectors (.vec), and the
bridge needs the n-gram rows of a .bin model to compose sub-word tokens.

usage: train_official_fasttext.py CORPUS OUT.bin [--dim 128] [--epochs 1] [--bucket 200000] [--threads 2]
The corpus is lowercased and split on non-word characters first (the word rule of
Scripts/peers/wordrule.py, as Scripts/peers/fasttext_vectors.py does); hyper-parameters are those of our fastText run in
run_experiment.sh (skip-gram, window 5, 5 negatives, minCount 5, minn 3, maxn 6, seed-free).
Requires the peer environment of Scripts/peers/README.md (fasttext-numpy2).
"""
import argparse
import os
import re
import tempfile

import fasttext

parser = argparse.ArgumentParser()
parser.add_argument("corpus")
parser.add_argument("out")
parser.add_argument("--dim", type=int, default=128)
parser.add_argument("--epochs", type=int, default=1)
parser.add_argument("--bucket", type=int, default=200000)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()

split = re.compile(r"[^\w']+")
with tempfile.NamedTemporaryFile("w", delete=False, suffix=".txt", encoding="utf-8") as words:
    for line in open(args.corpus, encoding="utf-8"):
        words.write(" ".join(w for w in split.split(line.lower()) if w) + "\n")
model = fasttext.train_unsupervised(words.name, model="skipgram", dim=args.dim, epoch=args.epochs, thread=args.threads,
                                    minn=3, maxn=6, minCount=5, ws=5, neg=5, bucket=args.bucket, verbose=0)
os.unlink(words.name)
model.save_model(args.out)
print(f"words={len(model.words)} dim={args.dim} bucket={args.bucket} out={args.out}")
