#!/usr/bin/env python3
"""The shipped model as sentence-transformers reads it: a golden fixture for ShippedModelTests.

usage: PEER_PYTHON Scripts/distillation/make_shipped_fixture.py

Loads Weights/tinyencoder-small with sentence-transformers (and the static model beside it, if
Weights/tinyencoder-static exists), embeds the thirty sentences of Weights/paraphrase-pairs.tsv,
and writes Tests/Fixtures/Distillation/shipped-st.json:
  sentences        the thirty sentences, anchor/paraphrase/unrelated per line of the TSV
  student          per sentence: the first 16 components and the L2 norm of its vector
  student_cosines  per triple: [cos(anchor, paraphrase), cos(anchor, unrelated)]
  static, static_cosines   the same for the static model (absent when it is not shipped)
  versions         the sentence-transformers, transformers and torch versions used
Nothing here is needed to build or test; the output is committed.
"""
import json, os
import numpy as np
import sentence_transformers, transformers, torch
from sentence_transformers import SentenceTransformer

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
weights = os.path.join(root, "Weights")
triples = [line.rstrip("\n").split("\t") for line in open(os.path.join(weights, "paraphrase-pairs.tsv"), encoding="utf-8")
           if line.strip() and not line.startswith("#")]
assert len(triples) == 10 and all(len(t) == 3 for t in triples)
sentences = [s for t in triples for s in t]


def describe(folder):
    model = SentenceTransformer(folder, device="cpu", model_kwargs={"dtype": torch.float32})  # compute in float32, as we do
    vectors = model.encode(sentences, convert_to_numpy=True, normalize_embeddings=False).astype(np.float64)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = [{"head": [round(float(x), 7) for x in v[:16]], "norm": round(float(np.linalg.norm(v)), 7)} for v in vectors]
    cosines = [[round(float(unit[3 * k] @ unit[3 * k + 1]), 7), round(float(unit[3 * k] @ unit[3 * k + 2]), 7)]
               for k in range(len(triples))]
    return rows, cosines


fixture = {"sentences": sentences}
fixture["student"], fixture["student_cosines"] = describe(os.path.join(weights, "tinyencoder-small"))
static = os.path.join(weights, "tinyencoder-static")
if os.path.isdir(static):
    fixture["static"], fixture["static_cosines"] = describe(static)
fixture["versions"] = {"sentence_transformers": sentence_transformers.__version__,
                       "transformers": transformers.__version__, "torch": torch.__version__}
out = os.path.join(root, "Tests/Fixtures/Distillation/shipped-st.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(fixture, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("wrote", out)
