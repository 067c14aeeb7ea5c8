#!/usr/bin/env python3
"""Fixtures for the static-distillation tests: an independent NumPy/PyTorch implementation of the
Model2Vec recipe on the tiny BERT fixture, and sentence-transformers' reading of static folders.

usage: PEER_PYTHON Scripts/distillation/make_static_fixtures.py
  (run `tinyencoder distill-static --teacher Tests/Fixtures/HuggingFace/tiny-bert --dim 8
   --out Tests/Fixtures/Distillation/static-ours` first: the script reads that folder too)

Writes Tests/Fixtures/Distillation/:
  static-st/               a StaticEmbedding + Normalize model saved by sentence-transformers itself,
                           whose table is the reference table below
  static-reference.json    the recipe's table for dimension 8 (Zipf SIF weights, a = 1e-4): every
                           token id as [CLS] id [SEP] through transformers' BertModel, the mean of the
                           3 output vectors, PCA by numpy's eigh of the covariance of the centred
                           rows (each axis signed so its largest entry is positive), weights
                           a/(a + p), p ∝ 1/(id + 2); the explained variance; some sentences and
                           sentence-transformers' embeddings of them with static-st and with
                           static-ours (our writer's folder, loaded by sentence-transformers)
Nothing here is needed to build or test; the outputs are committed.
"""
import json, os, re, shutil
import numpy as np
import torch
from transformers import BertModel
from tokenizers import Tokenizer
from sentence_transformers import SentenceTransformer
from sentence_transformers.models import StaticEmbedding, Normalize

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
teacher_dir = os.path.join(root, "Tests/Fixtures/HuggingFace/tiny-bert")
out = os.path.join(root, "Tests/Fixtures/Distillation")
os.makedirs(out, exist_ok=True)
dimension, sif = 8, 1e-4

tokenizer = Tokenizer.from_file(os.path.join(teacher_dir, "tokenizer.json"))
model = BertModel.from_pretrained(teacher_dir).eval()
vocab = tokenizer.get_vocab_size()
cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
ids = torch.arange(vocab)
inputs = torch.stack([torch.full_like(ids, cls), ids, torch.full_like(ids, sep)], 1)
with torch.no_grad():
    hidden = model(input_ids=inputs, attention_mask=torch.ones_like(inputs), token_type_ids=torch.zeros_like(inputs)).last_hidden_state
rows = hidden.mean(1).double().numpy()                                   # [V, C]

placeholder = np.array([re.fullmatch(r"[\[<]unused\d+[\]>]", tokenizer.id_to_token(i) or "") is not None for i in range(vocab)])
kept = rows[~placeholder]
mean = kept.mean(0)
covariance = (kept - mean).T @ (kept - mean) / len(kept)
values, vectors = np.linalg.eigh(covariance)                              # ascending
order = np.argsort(values)[::-1]
values, vectors = values[order], vectors[:, order]
axes = vectors[:, :dimension].copy()
for k in range(dimension):
    if axes[np.argmax(np.abs(axes[:, k])), k] < 0: axes[:, k] *= -1
table = (rows - mean) @ axes
p = 1 / np.arange(2, vocab + 2); p /= p.sum()
table *= (sif / (sif + p))[:, None]
table[placeholder] = 0
explained = values[:dimension].clip(min=0).sum() / values.clip(min=0).sum()

sentences = ["The cat sat on the mat.", "A man is playing a guitar.", "stocks fell sharply today",
             "an unknown word: zyxwvut", "", "Python is a programming language."]

st_dir = os.path.join(out, "static-st")
shutil.rmtree(st_dir, ignore_errors=True)
static = StaticEmbedding(tokenizer, embedding_weights=torch.tensor(table, dtype=torch.float32))
st_model = SentenceTransformer(modules=[static, Normalize()])
st_model.save(st_dir)
for extra in ["README.md"]:
    if os.path.exists(os.path.join(st_dir, extra)): os.remove(os.path.join(st_dir, extra))
reference = {
    "dimension": dimension, "sif": sif, "explained_variance": float(explained),
    "table": table.astype(np.float32).ravel().tolist(), "vocabulary": vocab,
    "sentences": sentences,
    "st_embeddings": SentenceTransformer(st_dir, device="cpu").encode(sentences).tolist(),
}
ours = os.path.join(out, "static-ours")
if os.path.exists(ours):
    reference["ours_st_embeddings"] = SentenceTransformer(ours, device="cpu").encode(sentences).tolist()
else:
    print("static-ours is missing: run tinyencoder distill-static first (see the usage line)")
with open(os.path.join(out, "static-reference.json"), "w") as f:
    json.dump(reference, f)
print("wrote", out)
