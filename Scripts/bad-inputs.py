#!/usr/bin/env python3
"""Bad inputs per parser, fed to the real `tinyencoder` command line: what the user sees.

For every parser (safetensors, config.json, pooling files, tokenizer.json, vocab.json + merges.txt,
BERT vocab.txt, word2vec bin/txt, fastText .bin, the argument parser) this writes a handful of
broken files into a scratch folder, runs the command that reads them, and prints one Markdown
table row per case: the parser, the input, the exit status and the first line of standard error
(paths shortened to the file name). Docs/Reliability.md holds the table this printed.

    python3 Scripts/bad-inputs.py [--bin PATH]   (default: .build-rel/release/tinyencoder)

`--mode outputs` runs every command that writes on paths where writing would destroy a user's
files (`.`, `..`, `/`, home, a user's file or folder, a link to one, an unwritable folder), on its
own earlier output with and without --force, on sizes that do not fit in memory, and on a locked
checkpoint; it prints input, command, exit status and message, and fails if anything crashed, if
a case that must be refused was not, or if any user file changed.

Exits non-zero if any case crashed (killed by a signal) or exited 0, except the few inputs that
are accepted on purpose (as the reference tools accept them; listed in `accepted`). Needs only Python 3.
Not handled: the fuzzers' inputs (Scripts/fuzz); these are the hand-picked cases a user hits.
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Tests/Fixtures/Pretraining/corpus-slice.txt")


def run(binary, args, scratch, stdin=None):
    """Runs the CLI; returns (status, first stderr line with the scratch folder removed)."""
    result = subprocess.run([binary] + args, input=stdin, capture_output=True, timeout=120)
    text = result.stderr.decode("utf-8", "replace").strip() or result.stdout.decode("utf-8", "replace").strip()
    line = text.splitlines()[0] if text else "(no output)"
    line = line.replace(scratch + "/", "").replace(scratch, ".")
    return result.returncode, line


def safetensors(tensors, header_extra=None, raw_header=None):
    """A safetensors file: {name: (dtype, shape, bytes)}."""
    header, data = {}, b""
    for name, (dtype, shape, payload) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    if header_extra:
        header.update(header_extra)
    blob = raw_header if raw_header is not None else json.dumps(header).encode()
    return struct.pack("<Q", len(blob)) + blob + data


def fasttext_header(magic=793712314, version=12, dim=4, bucket=0, size=1, nwords=1):
    args = struct.pack("<12i", dim, 5, 5, 1, 5, 1, 2, 1, bucket, 3, 6, 100) + struct.pack("<d", 1e-4)
    return struct.pack("<2i", magic, version) + args + struct.pack("<3iqq", size, nwords, 0, 10, -1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build-rel/release/tinyencoder"))
    parser.add_argument("--mode", choices=["parsers", "outputs"], default="parsers",
                        help="outputs: the --out cases (Docs/Reliability.md, \"Writing outputs\")")
    options = parser.parse_args()
    binary = os.path.abspath(options.bin)
    if options.mode == "outputs":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from bad_outputs import outputs
        return outputs(binary)
    scratch = tempfile.mkdtemp(prefix="bad-inputs-")
    path = lambda name: os.path.join(scratch, name)

    def write(name, content):
        os.makedirs(os.path.dirname(path(name)), exist_ok=True)
        with open(path(name), "wb") as handle:
            handle.write(content if isinstance(content, bytes) else content.encode())
        return path(name)

    # A small valid model folder (post-LN, learned positions) and tokenizer to corrupt piece by piece.
    subprocess.run([binary, "bpe-train", "--corpus", CORPUS, "--vocab-size", "300", "--out", path("tokenizer.json"), "--quiet"],
                   check=True, capture_output=True)
    config = {"vocab_size": 300, "hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
              "intermediate_size": 32, "hidden_act": "gelu", "max_position_embeddings": 64, "type_vocab_size": 2}
    write("config.json", json.dumps(config))
    subprocess.run([binary, "pretrain", "--corpus", CORPUS, "--tokenizer", path("tokenizer.json"), "--config", path("config.json"),
                    "--steps", "1", "--batch", "2", "--seq", "16", "--threads", "1", "--quiet", "--out", path("ckpt"),
                    "--export", path("good")], check=True, capture_output=True)
    good_json = json.load(open(path("good/config.json")))

    def folder(name, replace):
        """A copy of the good model folder with files replaced (content None = removed)."""
        target = path(name)
        shutil.copytree(path("good"), target)
        for file, content in replace.items():
            if content is None:
                os.remove(os.path.join(target, file))
            else:
                write(os.path.join(name, file), content)
        return target

    def config_with(**changes):
        changed = dict(good_json)
        for key, value in changes.items():
            if value is None:
                changed.pop(key, None)
            else:
                changed[key] = value
        return json.dumps(changed)

    embed = lambda model: ["embed", "--model", model, "hello world"]
    cases = []  # (parser, description, args, stdin)
    # Inputs that are accepted on purpose, as the reference tools accept them: description → why.
    accepted = {
        "1_Pooling/config.json dimension 999": "accepted: word_embedding_dimension is informational; the model's hidden_size is used (sentence-transformers does not check it either)",
        "value nan": "accepted: \"nan\" parses as a float, as in word2vec.c and gensim; the vector is kept as given",
    }

    # safetensors
    for description, content in [
        ("empty file", b""),
        ("4 bytes", b"\x01\x02\x03\x04"),
        ("header length 2^63 in a 16-byte file", struct.pack("<Q", 1 << 63) + b"{}      "),
        ("header length 100, file of 20 bytes", struct.pack("<Q", 100) + b"{\"a\":1}    "),
        ("header is not JSON", safetensors({}, raw_header=b"hello")),
        ("header is a JSON array", safetensors({}, raw_header=b"[]")),
        ("unknown dtype Q4", safetensors({"x": ("Q4", [1], b"\0\0\0\0")})),
        ("data_offsets past the end", safetensors({}, header_extra={"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 1 << 40]}})),
        ("shape [2^40, 2^40] (element count overflows)", safetensors({}, header_extra={"x": {"dtype": "F32", "shape": [1 << 40, 1 << 40], "data_offsets": [0, 4]}})),
        ("shape [2,2] F32 with 4 bytes of data", safetensors({"x": ("F32", [2, 2], b"\0\0\0\0")})),
        ("valid file, no model tensors", safetensors({"x": ("F32", [1], b"\0\0\0\0")})),
    ]:
        cases.append(("safetensors (model folder)", description, embed(folder("st-%d" % len(cases), {"model.safetensors": content})), None))

    # config.json
    for description, content in [
        ("not JSON", "{hidden_size: 16"),
        ("hidden_size missing", config_with(hidden_size=None)),
        ("hidden_size is a string", config_with(hidden_size="sixteen")),
        ("hidden_size 15 with 2 heads", config_with(hidden_size=15)),
        ("vocab_size -1", config_with(vocab_size=-1)),
        ("vocab_size 10^12 (weights are 300 rows)", config_with(vocab_size=10 ** 12)),
        ("num_hidden_layers 10^9", config_with(num_hidden_layers=10 ** 9)),
        ("hidden_act \"swish\"", config_with(hidden_act="swish")),
        ("position_embedding_type \"relative_key\"", config_with(position_embedding_type="relative_key")),
        ("layer_norm_eps -1", config_with(layer_norm_eps=-1)),
        ("config.json missing", None),
    ]:
        cases.append(("config.json", description, embed(folder("cfg-%d" % len(cases), {"config.json": content})), None))

    # sentence-transformers pooling files
    for description, replace in [
        ("1_Pooling/config.json not JSON", {"1_Pooling/config.json": "{"}),
        ("1_Pooling/config.json with no mode set", {"1_Pooling/config.json": json.dumps({"word_embedding_dimension": 16})}),
        ("1_Pooling/config.json dimension 999", {"1_Pooling/config.json": json.dumps({"word_embedding_dimension": 999, "pooling_mode_mean_tokens": True})}),
        ("modules.json is an object", {"modules.json": "{}"}),
    ]:
        cases.append(("pooling (modules.json, 1_Pooling)", description, embed(folder("pool-%d" % len(cases), replace)), None))

    # tokenizer.json
    good_tokenizer = json.load(open(path("tokenizer.json")))

    def tokenizer_with(edit):
        changed = json.loads(json.dumps(good_tokenizer))
        edit(changed)
        return json.dumps(changed)

    first_token = next(iter(good_tokenizer["model"]["vocab"]))
    for description, content in [
        ("empty file", ""),
        ("truncated JSON", json.dumps(good_tokenizer)[:200]),
        ("100,000 nested arrays", "[" * 100000 + "]" * 100000),
        ("invalid UTF-8", b"{\"version\": \"1.0\xff\xfe\"}"),
        ("version \"2.0\"", tokenizer_with(lambda t: t.update(version="2.0"))),
        ("model type Unigram", tokenizer_with(lambda t: t["model"].update(type="Unigram"))),
        ("merge of a token not in the vocabulary", tokenizer_with(lambda t: t["model"]["merges"].insert(0, ["zzzq", "qqzz"]))),
        ("vocabulary id -5", tokenizer_with(lambda t: t["model"]["vocab"].update({first_token: -5}))),
        ("vocabulary id 2^40", tokenizer_with(lambda t: t["model"]["vocab"].update({first_token: 1 << 40}))),
        ("padding to a fixed 10^12 tokens", tokenizer_with(lambda t: t.update(padding={"strategy": {"Fixed": 10 ** 12}, "direction": "Right",
                                                                                       "pad_to_multiple_of": None, "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"}))),
        ("added token id 10^9", tokenizer_with(lambda t: t["added_tokens"].append({"id": 10 ** 9, "content": "<big>", "single_word": False, "lstrip": False,
                                                                                  "rstrip": False, "normalized": False, "special": True}))),
        ("pre_tokenizer type \"Nonexistent\"", tokenizer_with(lambda t: t.update(pre_tokenizer={"type": "Nonexistent"}))),
    ]:
        file = write("tok-%d.json" % len(cases), content)
        cases.append(("tokenizer.json", description, ["tokenize", "--tokenizer", file, "hello world"], None))

    # vocab.json + merges.txt (GPT-2)
    vocab = {"a": 0, "b": 1, "ab": 2, "\u0120": 3}
    for description, vocab_content, merges_content in [
        ("vocab.json is an array", "[1, 2]", "#version: 0.2\na b\n"),
        ("vocab id \"x\"", json.dumps({"a": "x"}), "#version: 0.2\n"),
        ("vocab id -1", json.dumps({"a": -1, "b": 1}), "#version: 0.2\n"),
        ("merges line with one token", json.dumps(vocab), "#version: 0.2\nab\n"),
        ("merge of tokens not in vocab.json", json.dumps(vocab), "#version: 0.2\nx y\n"),
        ("merges.txt invalid UTF-8", json.dumps(vocab), b"#version: 0.2\na \xff\n"),
        ("merges.txt missing", json.dumps(vocab), None),
    ]:
        v = write("gpt2-%d/vocab.json" % len(cases), vocab_content)
        m = path("gpt2-%d/merges.txt" % len(cases))
        if merges_content is not None:
            write("gpt2-%d/merges.txt" % len(cases), merges_content)
        cases.append(("vocab.json + merges.txt", description, ["tokenize", "--tokenizer", v, "--merges", m, "ab"], None))

    # BERT vocab.txt (a model folder with vocab.txt instead of tokenizer.json)
    for description, content in [
        ("empty vocab.txt", ""),
        ("no [UNK] line", "[PAD]\n[CLS]\n[SEP]\n[MASK]\nhello\n"),
        ("invalid UTF-8", b"[PAD]\n[UNK]\n\xff\xfe\n"),
    ]:
        model = folder("wp-%d" % len(cases), {"tokenizer.json": None, "vocab.txt": content})
        cases.append(("BERT vocab.txt (model folder)", description, embed(model), None))

    # word2vec binary
    for description, content in [
        ("empty file", b""),
        ("header \"abc def\"", b"abc def\n"),
        ("header says 10^9 words × 10^9 dims, file of 30 bytes", b"1000000000 1000000000\nx "),
        ("header \"-1 3\"", b"-1 3\n"),
        ("dimension 0", b"1 0\nx \n"),
        ("2 words promised, 1 present", b"2 2\nx " + struct.pack("<2f", 1, 2) + b"\n"),
        ("word that is invalid UTF-8", b"1 2\n\xff\xfe " + struct.pack("<2f", 1, 2) + b"\n"),
    ]:
        file = write("w2v-%d.bin" % len(cases), content)
        cases.append(("word2vec .bin", description, ["vectors-convert", "--in", file, "--in-format", "word2vec-bin", "--out", path("out-%d.txt" % len(cases)), "--out-format", "word2vec-txt"], None))

    # word2vec / GloVe text
    for description, content in [
        ("header says 3 rows, 2 present", "3 2\na 1 2\nb 3 4\n"),
        ("row with 1 of 2 numbers", "2 2\na 1 2\nb 3\n"),
        ("number \"abc\"", "1 2\na abc 2\n"),
        ("header \"1 10000000000000\"", "1 10000000000000\na 1\n"),
        ("invalid UTF-8 word", b"1 2\n\xff 1 2\n"),
        ("value nan", "1 2\na nan 2\n"),
    ]:
        file = write("w2v-%d.vec" % len(cases), content)
        cases.append(("word2vec .txt/.vec", description, ["vectors-convert", "--in", file, "--in-format", "word2vec-txt", "--out", path("out-%d.txt" % len(cases)), "--out-format", "word2vec-txt"], None))

    # fastText .bin
    for description, content in [
        ("4 bytes", b"\x00\x01\x02\x03"),
        ("wrong magic number", fasttext_header(magic=1234)),
        ("version 99", fasttext_header(version=99)),
        ("dimension -4", fasttext_header(dim=-4)),
        ("2·10^9 dictionary words, then the end", fasttext_header(size=2_000_000_000, nwords=2_000_000_000)),
        ("header, dictionary cut short", fasttext_header() + b"wor"),
        ("bucket 2·10^9, matrix missing", fasttext_header(bucket=2_000_000_000, size=0, nwords=0)),
    ]:
        file = write("ft-%d.bin" % len(cases), content)
        cases.append(("fastText .bin", description, ["vectors-convert", "--in", file, "--in-format", "fasttext-bin", "--out", path("out-%d.txt" % len(cases)), "--out-format", "word2vec-txt"], None))

    # the argument parser
    for description, args in [
        ("unknown command", ["embedd"]),
        ("unknown option", ["embed", "--modle", "x"]),
        ("option without its value", ["vectors-train", "--algorithm", "skipgram", "--corpus", CORPUS, "--out"]),
        ("--dim abc", ["vectors-train", "--algorithm", "skipgram", "--corpus", CORPUS, "--out", path("x.vec"), "--dim", "abc"]),
        ("--dim 0", ["vectors-train", "--algorithm", "skipgram", "--corpus", CORPUS, "--out", path("x.vec"), "--dim", "0"]),
        ("--dim 99999999999999999999", ["vectors-train", "--algorithm", "skipgram", "--corpus", CORPUS, "--out", path("x.vec"), "--dim", "99999999999999999999"]),
        ("--threads 0", ["tokenize", "--tokenizer", path("tokenizer.json"), "--threads", "0", "hi"]),
        ("--out missing", ["bpe-train", "--corpus", CORPUS, "--vocab-size", "300"]),
        ("--vocab-size -5", ["bpe-train", "--corpus", CORPUS, "--vocab-size", "-5", "--out", path("t.json")]),
        ("--algorithm word2vec", ["vectors-train", "--algorithm", "word2vec", "--corpus", CORPUS, "--out", path("x.vec")]),
        ("--corpus that does not exist", ["bpe-train", "--corpus", path("nope.txt"), "--vocab-size", "300", "--out", path("t.json")]),
        ("embed text longer than max_position_embeddings", ["embed", "--model", path("good"), "word " * 200]),
    ]:
        cases.append(("command line", description, args, None))

    failures = 0
    print("| parser | bad input | exit | what the user sees (first line of stderr) |")
    print("|---|---|---|---|")
    for parser_name, description, args, stdin in cases:
        status, line = run(binary, args, scratch, stdin)
        if status == 0 and description in accepted:
            line = "(%s)" % accepted[description]
        elif status < 0 or status > 128 or status == 0:
            failures += 1
            line = "**%s** %s" % ("CRASH (signal %d)" % -status if status < 0 else "exit %d" % status, line)
        elif parser_name != "command line" and (status != 1 or not names_its_file(line, args)):
            # A bad file is a read error (exit 1) that names the file; anything else (a usage
            # error, an output that already exists) means the case no longer tests the parser.
            failures += 1
            line = "**not a read error of the input** %s" % line
        line = line.replace("|", "\\|")
        print("| %s | %s | %d | %s |" % (parser_name, description, status, line))
    shutil.rmtree(scratch, ignore_errors=True)
    print("\n%d cases, %d crashed or were accepted" % (len(cases), failures), file=sys.stderr)
    return 1 if failures else 0


def names_its_file(line, args):
    """Whether the message names the bad file (or the folder holding it) given in args."""
    names = set()
    for arg in args:
        if os.path.sep in arg:
            names.add(os.path.basename(arg))
            names.add(os.path.basename(os.path.dirname(arg)))
    return any(name and name in line for name in names)


if __name__ == "__main__":
    sys.exit(main())
