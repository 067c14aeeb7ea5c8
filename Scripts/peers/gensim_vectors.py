#!/usr/bin/env python3
"""Peer driver: gensim's Word2Vec (skip-gram or CBOW) or FastText trained on a corpus, timed, then scored.

usage: $PEER_PYTHON Scripts/peers/gensim_vectors.py CORPUS {word2vec|fasttext} [--sg 1] [--dim 100]
       [--window 5] [--negative 5] [--epochs 1] [--min-count 5] [--sample 1e-3] [--threads 2]
       [--data-dir DIR] [--save FILE]
The corpus is read one line = one sentence, words by the rule of wordrule.py (TinyEncoder's
`WordTokenizer`). The defaults are word2vec.c's and `tinyencoder vectors-train`'s.
Prints: "<model> sg=… dim=… epochs=… threads=…: N words, T s, R words/s, vocab V" (words/s counts
corpus words × epochs over the training call, vocabulary building included), then, when DIR (or
DATA_DIR) holds wordsim353.tsv and questions-words.txt, "wordsim353 spearman S (oov P%)  analogy
accuracy A" from gensim's own evaluators. --save writes the vectors in word2vec binary format.
Not handled: hierarchical softmax, phrases.
"""
import argparse
import time

from wordrule import data_file, words


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("model", choices=["word2vec", "fasttext"])
    ap.add_argument("--sg", type=int, default=1, help="1 skip-gram, 0 CBOW")
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--negative", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data-dir", help="folder with wordsim353.tsv and questions-words.txt (or DATA_DIR)")
    ap.add_argument("--save", help="write the vectors here (word2vec binary)")
    args = ap.parse_args()
    from gensim.models import FastText, Word2Vec

    with open(args.corpus, encoding="utf-8") as f:
        sentences = [words(line) for line in f]
    count = sum(len(s) for s in sentences)
    trainer = Word2Vec if args.model == "word2vec" else FastText
    start = time.perf_counter()
    model = trainer(sentences, vector_size=args.dim, window=args.window, negative=args.negative, sg=args.sg,
                    epochs=args.epochs, min_count=args.min_count, sample=args.sample, workers=args.threads, seed=1)
    seconds = time.perf_counter() - start
    print(f"{args.model} sg={args.sg} dim={args.dim} epochs={args.epochs} threads={args.threads}: {count} words, "
          f"{seconds:.1f} s, {count * args.epochs / seconds:,.0f} words/s, vocab {len(model.wv)}", flush=True)

    pairs, analogies = data_file(args.data_dir, "wordsim353.tsv"), data_file(args.data_dir, "questions-words.txt")
    if pairs and analogies:
        _, spearman, oov = model.wv.evaluate_word_pairs(pairs)
        accuracy, _ = model.wv.evaluate_word_analogies(analogies)
        print(f"wordsim353 spearman {spearman.statistic:.3f} (oov {oov:.1f}%)  analogy accuracy {accuracy:.3f}")
    if args.save:
        model.wv.save_word2vec_format(args.save, binary=True)


if __name__ == "__main__":
    main()
