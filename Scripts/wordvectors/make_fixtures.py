#!/usr/bin/env python3
"""Generates Tests/Fixtures/WordVectors: real gensim test files and golden values from the peers.

usage: make_fixtures.py GENSIM_TEST_DATA_DIR CORPUS_2MB [--out Tests/Fixtures/WordVectors]
  GENSIM_TEST_DATA_DIR: gensim/test/test_data from an unpacked gensim wheel
      (pip download --no-deps gensim; unzip gensim-*.whl 'gensim/test/test_data/*')
  CORPUS_2MB: the first 2,000,000 bytes of the English corpus (head -c 2000000;
      Scripts/peers/README.md says what the corpus is)
Writes:
  gensim/*                 copies of small real files (word2vec .bin/.vec, GloVe .txt, fastText .bin)
  golden-files.json        what gensim loads from each file (rows, dim, some words and vectors), and
                           for fastText .bin also the official fastText bindings' vectors (OOV too)
                           and subword ids
  tokenize-golden.json     Python's re.split(r"[^\\w']+", line.lower()) on tricky lines
  eval-vectors.bin         a small gensim Word2Vec (seed 1, one worker) trained on CORPUS_2MB
  golden-eval.json         gensim's evaluate_word_pairs / evaluate_word_analogies / most_similar on it
  wordsim353.tsv, questions-words.txt   the evaluation files (from gensim's test data)
Requires the peer environment of Scripts/peers/README.md (gensim 4.4, fasttext-numpy2).
"""
import argparse, json, os, re, shutil
import numpy as np
from gensim.models import KeyedVectors, Word2Vec
from gensim.models.fasttext import load_facebook_vectors
import fasttext

ap = argparse.ArgumentParser()
ap.add_argument("testdata"); ap.add_argument("corpus")
ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "WordVectors"))
a = ap.parse_args()
out = a.out
os.makedirs(os.path.join(out, "gensim"), exist_ok=True)

def vec(v):
    return [float(x) for x in np.asarray(v, dtype=np.float32)]

# --- 1. Real files and what gensim loads from them -------------------------------------------
golden = {}
w2v_files = [("euclidean_vectors.bin", "word2vec-bin"), ("toy-model.vec", "word2vec-txt"),
             ("test_glove.txt", "glove-txt"), ("crime-and-punishment.vec", "fasttext-vec"),
             ("high_precision.kv.bin", "word2vec-bin"), ("high_precision.kv.txt", "word2vec-txt")]
for name, fmt in w2v_files:
    shutil.copy(os.path.join(a.testdata, name), os.path.join(out, "gensim", name))
    kv = KeyedVectors.load_word2vec_format(os.path.join(a.testdata, name), binary=fmt.endswith("bin"),
                                           no_header=(fmt == "glove-txt"))
    picks = sorted(set([0, 1, len(kv) // 2, len(kv) - 1]))
    golden[name] = {"format": fmt, "rows": len(kv), "dim": kv.vector_size,
                    "words": {kv.index_to_key[i]: vec(kv.vectors[i]) for i in picks},
                    "order": [kv.index_to_key[i] for i in picks], "positions": picks}

ft_files = ["toy-model.bin", "lee_fasttext.bin", "lee_fasttext_new.bin", "crime-and-punishment.bin", "non_ascii_fasttext.bin"]
probe_words = ["the", "and", "night", "unseenword", "résumé", "ab", "x", "nights"]
for name in ft_files:
    src = os.path.join(a.testdata, name)
    shutil.copy(src, os.path.join(out, "gensim", name))
    kv = load_facebook_vectors(src)
    try:  # the official bindings cannot read files from before the 2017 header (lee_fasttext.bin)
        ft = fasttext.load_model(src)
    except ValueError:
        ft = None
    words = [w for w in kv.index_to_key[:3]] + probe_words
    entry = {"format": "fasttext-bin", "rows": len(kv), "dim": kv.vector_size,
             "first": kv.index_to_key[:3],
             "gensim": {w: vec(kv[w]) for w in words},
             "fasttext": {w: vec(ft.get_word_vector(w)) for w in words} if ft else {},
             "subwords": {}}
    for w in (["night", "résumé", "unseenword"] if ft else []):
        subwords, ids = ft.get_subwords(w)
        entry["subwords"][w] = {"subwords": list(subwords), "ids": [int(i) for i in ids]}
    golden[name] = entry
# A file whose words are not UTF-8 (cp852): must be rejected with a typed error.
shutil.copy(os.path.join(a.testdata, "cp852_fasttext.bin"), os.path.join(out, "gensim", "cp852_fasttext.bin"))
with open(os.path.join(out, "golden-files.json"), "w") as f:
    json.dump(golden, f, ensure_ascii=False, indent=0)

# --- 2. The shared tokenisation rule ------------------------------------------------------------
tok = re.compile(r"[^\w']+")
lines = [
    "Don't STOP—naïve_user 42!", "  leading and trailing  ", "", "'quoted' words' 'n' stuff",
    "İstanbul İİ", "ΟΔΥΣΣΕΥΣ ΣΑΣ. Σ", "Straße STRASSE ß", "café vs cafe\u0301 (combining accent)",
    "x² ½ ⅔ Ⅻ ٣ 三 〇", "tab\tsep\u00a0nbsp\u2003emspace", "emoji 🙂 and ZWJ 👩‍👩‍👧 here",
    "hyphen-ated e-mail user@example.com http://x.y/z?q=1", "ﬁ ligature ǅ titlecase ǈ",
    "Ǆ DŽ", "日本語のテキスト、句読点。", "العربية و English", "a_b__c ___", "123.456,789",
    "ΣΑΣ'Σ", "ΑΣ̈Β", "Ⓐ circled ⓐ", "\u0130\u0307", "KELVIN SIGN \u212a ANGSTROM \u212b",
    "ǰ ΐ ẞ", "mid\u00adsoft\u00adhyphen", "Ω ohm \u2126", "ßiNGle", "ﬀ ﬃ ﬄ", "Ⅰ Ⅱ ⅰ",
]
cases = [{"line": l, "words": [w for w in tok.split(l.lower()) if w]} for l in lines]
with open(os.path.join(out, "tokenize-golden.json"), "w") as f:
    json.dump(cases, f, ensure_ascii=False, indent=0)

# --- 3. Evaluation: a small gensim model and gensim's scores ----------------------------------
sentences = [[w for w in tok.split(l.lower()) if w] for l in open(a.corpus, encoding="utf-8", newline="\n")]
model = Word2Vec(sentences, vector_size=32, window=5, negative=5, sg=1, epochs=5, min_count=5,
                 workers=1, seed=1)
kv = model.wv
keep = 2500
small = KeyedVectors(vector_size=kv.vector_size)
small.add_vectors(kv.index_to_key[:keep], kv.vectors[:keep])
small.save_word2vec_format(os.path.join(out, "eval-vectors.bin"), binary=True)
small = KeyedVectors.load_word2vec_format(os.path.join(out, "eval-vectors.bin"), binary=True)
for name in ["wordsim353.tsv", "questions-words.txt"]:
    shutil.copy(os.path.join(a.testdata, name), os.path.join(out, name))
ws = small.evaluate_word_pairs(os.path.join(out, "wordsim353.tsv"))
ev = {"word_pairs": {"spearman": float(ws[1].statistic), "pearson": float(ws[0].statistic), "oov_percent": float(ws[2])}}
for restrict in [300000, 1000]:
    score, sections = small.evaluate_word_analogies(os.path.join(out, "questions-words.txt"), restrict_vocab=restrict)
    ev[f"analogies_{restrict}"] = {"accuracy": float(score),
        "sections": [{"name": s["section"], "correct": len(s["correct"]), "incorrect": len(s["incorrect"])} for s in sections]}
ev["most_similar"] = {w: [[k, float(s)] for k, s in small.most_similar(w, topn=5)] for w in ["water", "king", "red"]}
ev["analogy_add"] = [[k, float(s)] for k, s in small.most_similar(positive=["woman", "king"], negative=["man"], topn=3)]
ev["analogy_mul"] = [[k, float(s)] for k, s in small.most_similar_cosmul(positive=["woman", "king"], negative=["man"], topn=3)]
with open(os.path.join(out, "golden-eval.json"), "w") as f:
    json.dump(ev, f, ensure_ascii=False, indent=1)
print("wrote", out)
