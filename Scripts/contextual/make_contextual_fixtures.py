#!/usr/bin/env python3
"""Golden fixtures for the contextual-embedding experiments (Sources/Encoder/Contextual and
Sources/Evaluation/Contextuality), made with HF transformers / tokenizers and NumPy on the committed
tiny random BERT (Tests/Fixtures/HuggingFace/tiny-bert: 2 layers x 32 wide, WordPiece, cut at 16 tokens) and the
committed byte-level BPE tokenizer (Tests/Fixtures/Tokenization/small-roberta.json, 600 tokens).

usage: $PEER_PYTHON Scripts/contextual/make_contextual_fixtures.py

Writes Tests/Fixtures/Contextual/:
  hidden-states.safetensors  (a) BertModel(output_hidden_states=True) on a few sentences, one at a
                             time: tensor "text.I" F32 [L + 1, T, C] (layer 0 = embedding output);
                             metadata "texts" (JSON list) and "ids" (JSON list of id lists)
  word-pooling.json          (b) for each tokenizer (wordpiece, bpe) and text: HF's words (tokens
                             grouped by word_ids(), special tokens left out, the text of the
                             characters the tokens cover, whitespace trimmed) and each word's
                             first / mean / last of made-up token vectors h[t][c] = sin(1 + 0.7 t + 1.3 c),
                             c < 4 (so the grouping alone is tested), computed in float64
  contextuality.json         (c) Ethayarajh's measures, written out in NumPy from the definitions:
                             "synthetic": a fixed sample (words, sentence of each occurrence, seeded
                             normal vectors at 2 layers) and its measures at K = 3; "tiny_bert": the
                             measures of tiny-bert's mean-pooled word vectors (HF hidden states, HF
                             word ids) on the sentences at K = 3, with the words of every sentence
Definitions (as Sources/Evaluation/Contextuality/Contextuality.swift states them): occurrences are words
with a letter or digit, their type the word through the tokenizer's normaliser (lowercased here); a word's contexts are its first occurrence in each sentence; self-similarity
is the mean cosine over pairs j != k of a word's contexts, averaged over words with >= K contexts;
intra-sentence similarity is the mean cosine of a sentence's vectors with their mean, averaged over
sentences of >= 2 occurrences; anisotropy is the mean cosine over all pairs of occurrences from
different sentences; MEV is s1^2 / sum s_i^2 of a word's context matrix (np.linalg.svd), averaged.
Nothing here is needed to build or test; the outputs are committed.
"""
import json, os
import numpy as np
import torch
from safetensors.numpy import save_file
from tokenizers import Tokenizer
from transformers import AutoTokenizer, BertModel

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")
OUT = os.path.join(FIXTURES, "Contextual")
TINY_BERT = os.path.join(FIXTURES, "HuggingFace", "tiny-bert")
BPE = os.path.join(FIXTURES, "Tokenization", "small-roberta.json")

HIDDEN_TEXTS = [
    "A man is playing a guitar.",
    "We sat on the river bank.",
    "She opened a bank account!",
    "naïve café, Zürich",
]

POOLING_TEXTS = [
    "Unbelievably, the hyperparameterization worked.",
    "(re-tokenized!) words—next to punctuation...",
    "We sat on the river bank; she opened a bank account.",
    "  spaces   before and after  ",
    "naïve café owners' 1990s counter-revolutionaries?",
    "x",
]

CONTEXT_SENTENCES = [
    "The bank of the river was steep",
    "she went to the bank for money",
    "a river runs through the old town",
    "the old man sat by the river",
    "money is kept in a bank",
    "the town has one old bank",
    "he saw a man with money",
    "the man went to the town",
    "she sat on the bank of the river",
    "we kept the money in the old house",
    "a house by the river, near town",
    "the house of the man is old",
]


def words_of(encoding, text):
    """HF's words: tokens grouped by word id (special tokens, with no word id, left out)."""
    words, current = [], None
    for token, word in enumerate(encoding.word_ids):
        if word is None or encoding.special_tokens_mask[token]:
            continue
        if current is not None and current[0] == word:
            current[1].append(token)
        else:
            if current is not None:
                words.append(current)
            current = (word, [token])
    if current is not None:
        words.append(current)
    result = []
    for _, tokens in words:
        start = min(encoding.offsets[t][0] for t in tokens)
        end = max(encoding.offsets[t][1] for t in tokens)
        piece = text[start:end].strip()
        if piece:
            result.append({"text": piece, "tokens": tokens})
    return result


def synthetic_states(count, width=4):
    t = np.arange(count, dtype=np.float64)[:, None]
    c = np.arange(width, dtype=np.float64)[None, :]
    return np.sin(1 + 0.7 * t + 1.3 * c)


def word_pooling():
    result = {"formula": "h[t][c] = sin(1 + 0.7 t + 1.3 c), c < 4", "tokenizers": {}}
    for name, path in [("wordpiece", os.path.join(TINY_BERT, "tokenizer.json")), ("bpe", BPE)]:
        tokenizer = Tokenizer.from_file(path)
        tokenizer.no_truncation()
        tokenizer.no_padding()
        cases = []
        for text in POOLING_TEXTS:
            encoding = tokenizer.encode(text)
            states = synthetic_states(len(encoding.ids))
            words = words_of(encoding, text)
            for word in words:
                rows = states[word["tokens"]]
                word["first"], word["mean"], word["last"] = rows[0].tolist(), rows.mean(0).tolist(), rows[-1].tolist()
            cases.append({"text": text, "tokens": encoding.tokens, "words": words})
        result["tokenizers"][name] = {"file": os.path.relpath(path, FIXTURES), "cases": cases}
    return result


# MARK: - Ethayarajh's measures, from the definitions

def is_counted(word):
    return any(ch.isalnum() for ch in word)


def cos(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def measures(sentences, layers, k):
    """sentences: [[(word, [layer][C] vector)]] (occurrences only). Plain loops over pairs."""
    contexts = {}
    for s, sentence in enumerate(sentences):
        seen = set()
        for word, vectors in sentence:
            if word not in seen:
                seen.add(word)
                contexts.setdefault(word, []).append(vectors)
    measured = sorted(((w, v) for w, v in contexts.items() if len(v) >= k), key=lambda item: (-len(item[1]), item[0]))
    rows = []
    for p, layer in enumerate(layers):
        self_sims, mevs = [], []
        for _, occurrences in measured:
            x = np.array([o[p] for o in occurrences], dtype=np.float64)
            n = len(x)
            self_sims.append(np.mean([cos(x[j], x[i]) for j in range(n) for i in range(n) if i != j]))
            singular = np.linalg.svd(x, compute_uv=False)
            mevs.append(singular[0] ** 2 / (singular ** 2).sum())
        intra = []
        for sentence in sentences:
            if len(sentence) >= 2:
                x = np.array([v[p] for _, v in sentence], dtype=np.float64)
                centre = x.mean(0)
                intra.append(np.mean([cos(row, centre) for row in x]))
        pairs = []
        flat = [(s, np.asarray(v[p], dtype=np.float64)) for s, sentence in enumerate(sentences) for _, v in sentence]
        for i, (si, a) in enumerate(flat):
            for j, (sj, b) in enumerate(flat):
                if si != sj:
                    pairs.append(cos(a, b))
        rows.append({"layer": layer, "self_similarity": float(np.mean(self_sims)), "intra_similarity": float(np.mean(intra)),
                     "anisotropy": float(np.mean(pairs)), "mev": float(np.mean(mevs))})
    return {"min_contexts": k, "measured_words": [[w, len(v)] for w, v in measured],
            "intra_sentences": sum(1 for s in sentences if len(s) >= 2),
            "occurrences": sum(len(s) for s in sentences), "layers": rows}


def synthetic_sample():
    """Words over 8 sentences, one repeated within a sentence, one word of punctuation only (not
    counted), 2 layers of 5-wide vectors with a shared offset (so the anisotropy is not ~0)."""
    rng = np.random.default_rng(23)
    sentences_words = [
        ["the", "bank", "river", "the", ","], ["bank", "money", "the"], ["river", "flows"], ["money", "bank", "the", "money"],
        ["one"], ["river", "bank", "money", "!"], ["the", "river"], ["bank", "the", "town", "river"],
    ]
    words, sentence_of, vectors = [], [], [[], []]
    for s, sentence in enumerate(sentences_words):
        for word in sentence:
            words.append(word)
            sentence_of.append(s)
            for p in range(2):
                vectors[p].append((rng.normal(size=5) + (0.5 + p) * np.array([1, 0.5, 0, -0.5, 1])).astype(np.float32))
    sentences = [[] for _ in sentences_words]
    for i, word in enumerate(words):
        if is_counted(word):
            sentences[sentence_of[i]].append((word, [vectors[0][i].astype(np.float64), vectors[1][i].astype(np.float64)]))
    result = measures(sentences, [0, 1], 3)
    result.update({"words": words, "sentence_of": sentence_of, "width": 5,
                   "vectors": [[float(x) for v in layer for x in v] for layer in vectors]})
    return result


def tiny_bert_reference(tokenizer, model):
    sentences, words_per_sentence = [], []
    for text in CONTEXT_SENTENCES:
        batch = tokenizer(text, truncation=True, max_length=16, return_tensors="pt")
        with torch.no_grad():
            hidden = [h[0].numpy().astype(np.float64) for h in model(**batch, output_hidden_states=True).hidden_states]
        encoding = batch.encodings[0]
        sentence = []
        for word in words_of(encoding, text):
            if is_counted(word["text"]):   # the type: the word through the tokenizer's normaliser
                kind = tokenizer.backend_tokenizer.normalizer.normalize_str(word["text"])
                sentence.append((kind, [h[word["tokens"]].mean(0) for h in hidden]))
        sentences.append(sentence)
        words_per_sentence.append([w for w, _ in sentence])
    result = measures(sentences, list(range(len(hidden))), 3)
    result.update({"sentences": CONTEXT_SENTENCES, "words": words_per_sentence, "word_pooling": "mean"})
    return result


def main():
    os.makedirs(OUT, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(TINY_BERT)
    model = BertModel.from_pretrained(TINY_BERT).eval()
    tensors, ids = {}, []
    for index, text in enumerate(HIDDEN_TEXTS):
        batch = tokenizer(text, truncation=True, max_length=16, return_tensors="pt")
        with torch.no_grad():
            states = model(**batch, output_hidden_states=True).hidden_states
        tensors[f"text.{index}"] = np.stack([s[0].numpy() for s in states]).astype(np.float32)
        ids.append(batch["input_ids"][0].tolist())
    save_file(tensors, os.path.join(OUT, "hidden-states.safetensors"),
              metadata={"texts": json.dumps(HIDDEN_TEXTS, ensure_ascii=False), "ids": json.dumps(ids)})

    def write(name, value):
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            json.dump(value, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")

    write("word-pooling.json", word_pooling())
    write("contextuality.json", {"synthetic": synthetic_sample(), "tiny_bert": tiny_bert_reference(tokenizer, model)})
    for name in sorted(os.listdir(OUT)):
        print(f"  {name}: {os.path.getsize(os.path.join(OUT, name)):,} bytes")


if __name__ == "__main__":
    main()
