#!/usr/bin/env python3
"""Golden fixtures for Tests/StaticVectorInitializationTests/StaticInitialization*Tests.swift.

1. fastText compositions: for pieces of words with or without the boundary marks "<" and ">",
   the mean of the input-matrix rows of their character n-grams, where the n-gram -> row map
   (FNV-1a hash, bucket, pruning) and the rows themselves come from Facebook's fastText
   (get_subword_id, get_input_vector) reading Tests/Fixtures/WordVectors/gensim/crime-and-punishment.bin.
   For whole words (both marks) the n-gram list is fastText's own get_subwords, and
   get_word_vector of an out-of-vocabulary word is recorded too: it must equal the composition.
2. PCA: a 40 x 6 matrix with a clear spectrum, its column means, and the top 3 principal axes
   and explained-variance share from numpy's SVD (LAPACK) of the centred matrix.

Requires the peer environment of Scripts/peers/README.md (fasttext-numpy2, numpy). Run from the package root:
    $PEER_PYTHON Scripts/static-init/make_fixtures.py
"""
import json
import os

import fasttext
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "Tests/Fixtures/WordVectors/gensim/crime-and-punishment.bin")
OUT = os.path.join(ROOT, "Tests/Fixtures/StaticInit/golden.json")


def piece_ngrams(piece, begins, ends, minn, maxn):
    """fastText's computeSubwords on '<'? + piece + '>'?, skipping a lone mark (n == 1)."""
    chars = (["<"] if begins else []) + list(piece) + ([">"] if ends else [])
    result = []
    for start in range(len(chars)):
        for n in range(1, maxn + 1):
            end = start + n
            if end > len(chars):
                break
            lone_mark = n == 1 and ((begins and start == 0) or (ends and end == len(chars)))
            if n >= minn and not lone_mark:
                result.append("".join(chars[start:end]))
    return result


ft = fasttext.load_model(MODEL)
args = ft.f.getArgs()
minn, maxn = args.minn, args.maxn
pieces = [
    ("inter", True, False), ("ation", False, False), ("ing", False, True), ("xyzzy", True, True),
    ("раск", True, False), ("ольник", False, True), ("th", False, False), ("the", True, True),
]
compositions = []
for piece, begins, ends in pieces:
    grams = piece_ngrams(piece, begins, ends, minn, maxn)
    if begins and ends:
        official = list(ft.get_subwords(piece)[0])
        if ft.get_word_id(piece) >= 0:  # a known word's list starts with the word itself
            official = official[1:]
        assert official == grams, (piece, official, grams)
    rows = [ft.get_subword_id(g) for g in grams]
    vector = np.mean([ft.get_input_vector(r) for r in rows], axis=0).tolist() if rows else None
    entry = {"piece": piece, "begins": begins, "ends": ends, "ngrams": grams,
             "rows": [int(r) for r in rows], "mean": vector}
    if begins and ends and ft.get_word_id(piece) < 0:
        entry["fasttext_word_vector"] = ft.get_word_vector(piece).tolist()
    compositions.append(entry)

rng = np.random.default_rng(7)
basis = np.linalg.qr(rng.normal(size=(6, 6)))[0]
scales = np.array([5.0, 3.0, 2.0, 0.5, 0.3, 0.1])
x = (rng.normal(size=(40, 6)) * scales) @ basis.T + np.array([1.0, -2.0, 0.5, 0.0, 3.0, 1.0])
mean = x.mean(axis=0)
u, s, vt = np.linalg.svd(x - mean, full_matrices=False)
pca = {"rows": x.astype(np.float32).tolist(), "mean": mean.tolist(), "components": vt[:3].tolist(),
       "explained": float((s[:3] ** 2).sum() / (s ** 2).sum())}

with open(OUT, "w") as f:
    json.dump({"model": "WordVectors/gensim/crime-and-punishment.bin", "minn": minn, "maxn": maxn,
               "bucket": args.bucket, "compositions": compositions, "pca": pca}, f, indent=1)
print("wrote", OUT)
