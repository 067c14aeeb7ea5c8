#!/usr/bin/env python3
"""Compare two runs of `tinyencoder embed` on the same texts (for example --precision float32 and
--precision bfloat16): the cosine of each text's two vectors, and with token files the token
counts and per-token cosines.

  tinyencoder embed --model M --precision float32  --out a.npy < texts.txt
  tinyencoder embed --model M --precision bfloat16 --out b.npy < texts.txt
  python3 Scripts/compare-precisions.py a.npy b.npy
  # tokens: --pooling none --out a.safetensors (both runs), then the two .safetensors files

Prints one key=value line: texts= min_cosine= p01_cosine= median_cosine= mean_cosine= and, for
token files, tokens= token_counts_equal= min_token_cosine=. Needs numpy only.
Not handled: files from different texts (the rows are compared in order).
"""
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": np.float32, "I64": np.int64}[info["dtype"]]
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype=dtype).reshape(info["shape"])
    return tensors


def cosines(a, b):
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def main(first, second):
    if first.endswith(".npy"):
        c = cosines(np.load(first), np.load(second))
        print(f"texts={len(c)} min_cosine={c.min():.6f} p01_cosine={np.percentile(c, 1):.6f} "
              f"median_cosine={np.median(c):.6f} mean_cosine={c.mean():.6f}")
        return
    a, b = read_safetensors(first), read_safetensors(second)
    equal = bool(np.array_equal(a["token_counts"], b["token_counts"]))
    c = cosines(a["embeddings"], b["embeddings"])
    print(f"texts={len(a['token_counts'])} tokens={len(c)} token_counts_equal={str(equal).lower()} "
          f"min_token_cosine={c.min():.6f} median_token_cosine={np.median(c):.6f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
