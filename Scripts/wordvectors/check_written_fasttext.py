#!/usr/bin/env python3
"""Checks that fastText and gensim load a fastText .bin written by TinyEncoder, and records their vectors.

usage: check_written_fasttext.py MODEL.bin [--out Tests/Fixtures/WordVectors/written/fasttext-tiny.json]
  MODEL.bin: a .bin written by `tinyencoder vectors-train --algorithm fasttext --out MODEL.bin`
      (the committed fixture Tests/Fixtures/WordVectors/written/fasttext-tiny.bin was made with
      --corpus Tests/Fixtures/Pretraining/corpus-slice.txt --dim 4 --bucket 500 --min-count 5
      --epochs 1 --minn 2 --maxn 4 --threads 1 --seed 3)
Loads the file with the official fastText bindings (fasttext.load_model) and with gensim
(load_facebook_model), checks that both see the same dictionary, arguments and vectors (known and
unseen words) and that every known word's vector is the mean of its rows, then writes what they
gave to --out. Exits non-zero on any disagreement. Tests/WordVectorsTests/FastTextBinaryWriterTests
compares our reader and writer against that file.
Requires the peer environment of Scripts/peers/README.md (fasttext-numpy2, gensim 4.4).
"""
import argparse, json, os, sys
import numpy as np
import fasttext
from gensim.models.fasttext import load_facebook_model

ap = argparse.ArgumentParser()
ap.add_argument("model")
ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures",
                                              "WordVectors", "written", "fasttext-tiny.json"))
a = ap.parse_args()

ft = fasttext.load_model(a.model)
gm = load_facebook_model(a.model)
problems = []
words = ft.words
if list(gm.wv.index_to_key) != list(words):
    problems.append("gensim and fastText see different dictionaries")
args = ft.f.getArgs()
if gm.wv.vector_size != ft.get_dimension():
    problems.append("dimension differs")
if (gm.wv.min_n, gm.wv.max_n, gm.wv.bucket) != (args.minn, args.maxn, args.bucket):
    problems.append("n-gram settings differ")

queries = words[:3] + words[100:102] + ["tokenization", "unseenwordxyz", "ελληνικά", "a"]
fasttext_vectors, gensim_vectors = {}, {}
for word in queries:
    ours_ft = np.asarray(ft.get_word_vector(word), dtype=np.float32)
    ours_gm = np.asarray(gm.wv[word], dtype=np.float32)
    scale = max(float(np.abs(ours_ft).max()), 1e-6)
    if float(np.abs(ours_ft - ours_gm).max()) / scale > 2e-6:
        problems.append(f"{word}: fastText and gensim vectors differ")
    fasttext_vectors[word] = [float(x) for x in ours_ft]
    gensim_vectors[word] = [float(x) for x in ours_gm]
# A known word's vector is the mean of its own row and its n-gram rows (fastText's getWordVector).
input_matrix = ft.get_input_matrix()
for word in words[:20]:
    subwords, ids = ft.get_subwords(word)
    mean = input_matrix[ids].mean(axis=0)
    if float(np.abs(mean - ft.get_word_vector(word)).max()) > 1e-6:
        problems.append(f"{word}: the vector is not the mean of its rows")

result = {
    "nwords": len(words), "dim": ft.get_dimension(), "first_words": words[:5],
    "args": {"minn": args.minn, "maxn": args.maxn, "bucket": args.bucket, "ws": args.ws, "epoch": args.epoch,
             "minCount": args.minCount, "neg": args.neg, "t": args.t, "lrUpdateRate": args.lrUpdateRate,
             "model": str(args.model), "loss": str(args.loss), "wordNgrams": args.wordNgrams},
    "input_rows": int(input_matrix.shape[0]), "output_rows": int(ft.get_output_matrix().shape[0]),
    "fasttext": fasttext_vectors, "gensim": gensim_vectors,
}
with open(a.out, "w") as f:
    json.dump(result, f, indent=1, ensure_ascii=False)
    f.write("\n")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"fastText and gensim load {a.model}: {len(words)} words, dim {ft.get_dimension()}, "
      f"{input_matrix.shape[0]} input rows; wrote {a.out}")
