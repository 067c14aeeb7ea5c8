#!/usr/bin/env python3
"""Evaluate any word-vector file with gensim's own evaluators (the reference for `vectors-eval`).

usage: eval_with_gensim.py FILE [--format word2vec-txt|word2vec-bin|glove-txt|fasttext-bin]
       --data DIR   (the folder with wordsim353.tsv and questions-words.txt; or DATA_DIR)
Prints the same two figures as Scripts/peers/gensim_vectors.py: WordSim-353 Spearman (with the
OOV share) and Google-analogy accuracy (3CosAdd over the first 300,000 words, gensim's default), so
vectors from TinyEncoder, GloVe C and fastText are all scored by one evaluator.
"""
import argparse, os
from gensim.models import KeyedVectors
from gensim.models.fasttext import load_facebook_vectors

ap = argparse.ArgumentParser()
ap.add_argument("file")
ap.add_argument("--format", default=None)
ap.add_argument("--data", default=os.environ.get("DATA_DIR"), required="DATA_DIR" not in os.environ,
                help="folder with wordsim353.tsv and questions-words.txt (Tests/Fixtures/WordVectors has both)")
a = ap.parse_args()
fmt = a.format or ("word2vec-bin" if a.file.endswith(".bin") else "word2vec-txt")
if fmt == "fasttext-bin":
    kv = load_facebook_vectors(a.file)
else:
    kv = KeyedVectors.load_word2vec_format(a.file, binary=(fmt == "word2vec-bin"), no_header=(fmt == "glove-txt"))
ws = kv.evaluate_word_pairs(os.path.join(a.data, "wordsim353.tsv"))
an = kv.evaluate_word_analogies(os.path.join(a.data, "questions-words.txt"))
print(f"vocab {len(kv)} dim {kv.vector_size}")
print(f"wordsim353 spearman {ws[1].statistic:.4f} (oov {ws[2]:.1f}%)  analogy accuracy {an[0]:.4f}")
