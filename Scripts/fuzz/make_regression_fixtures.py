#!/usr/bin/env python3
# The regression inputs found by auditing (not by a fuzzer run), written as the smallest files that
# reached each trap; the fuzzer's own finds are minimised by `run.sh --minimize` and copied as they
# are. Output: Tests/Fixtures/Regression/. Standard library only.
# Not handled: the tests themselves (Tests/*Tests/Regression*Tests.swift).
import json
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Fixtures", "Regression")


def safetensors(path, tensors, metadata=None):
    header, blobs = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, (shape, values) in tensors.items():
        blob = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(blobs), len(blobs) + len(blob)]}
        blobs += blob
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(os.path.join(OUT, path), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + blobs)


def text(path, content):
    os.makedirs(os.path.dirname(os.path.join(OUT, path)), exist_ok=True)
    with open(os.path.join(OUT, path), "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode())


def main():
    os.makedirs(OUT, exist_ok=True)
    # tokenizer.json padding that allocates per token (10¹¹ tokens, a multiple of 2·10⁹).
    text("tokenizer-padding-fixed-huge.json", '{"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"padding":{"strategy":{"Fixed":100000000000}}}\n')
    text("tokenizer-padding-multiple-huge.json", '{"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"padding":{"strategy":"BatchLongest","pad_to_multiple_of":2000000000}}\n')
    # A model folder whose config.json asks for 2.6 TB next to an empty weights file.
    text("model-folder-size-bomb/config.json", '{"vocab_size":10000000,"hidden_size":65536,"num_hidden_layers":1,"num_attention_heads":1,"intermediate_size":1048576}\n')
    text("model-folder-size-bomb/model.safetensors", struct.pack("<Q", 8) + b"{}      ")
    # probe --features files: a NaN label, vectors of no dimensions, test vectors of another width.
    nan = float("nan")
    base = {"train.x": ([2, 2], [1, 0, 0, 1]), "train.y": ([2], [0, 1]), "test.x": ([1, 2], [1, 0]), "test.y": ([1], [0])}
    safetensors("probe-features-nan-label.safetensors", dict(base, **{"test.y": ([1], [nan])}), {"classes": "a,b"})
    safetensors("probe-features-no-dimensions.safetensors", dict(base, **{"train.x": ([2, 0], []), "test.x": ([1, 0], [])}), {"classes": "a,b"})
    safetensors("probe-features-width-mismatch.safetensors", dict(base, **{"test.x": ([1, 3], [1, 0, 0])}), {"classes": "a,b"})
    # fuzz-tokenizer-json's out-of-memory input, reduced by hand: small-roberta.json, whose
    # truncation key "strategy" the fuzzer had garbled (so LongestFirst), encoding a pair of 8 KB texts.
    roberta = json.load(open(os.path.join(OUT, "..", "Tokenization", "small-roberta.json")))
    roberta["truncation"] = {"direction": "Right", "max_length": 14, "strategy": "LongestFirst", "stride": 2}
    text("tokenizer-truncation-pair-windows.json", json.dumps(roberta, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
