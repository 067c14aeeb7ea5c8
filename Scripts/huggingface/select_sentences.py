#!/usr/bin/env python3
"""A fixed, reproducible selection of corpus sentences for the MiniLM parity and speed runs:
`--count` lines spread evenly over the corpus (line i * (usable // count) of the usable lines),
where usable lines are non-blank and hold no carriage return (so that Python's `open` and
`tinyencoder embed`'s line reading see the same texts). No randomness: the same corpus gives the
same file everywhere.

usage: python3 Scripts/huggingface/select_sentences.py --count 1000 --out /tmp/minilm-1000.txt
        [--corpus CORPUS] [--offset 0]
  --offset  start at this usable line (the speed run uses a different slice than the parity run)
"""
import argparse
import os

ap = argparse.ArgumentParser()
ap.add_argument("--count", type=int, required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--corpus", default=os.environ.get("CORPUS"), required="CORPUS" not in os.environ,
                help="the English corpus (Scripts/peers/README.md); or set CORPUS")
ap.add_argument("--offset", type=int, default=0)
a = ap.parse_args()
with open(a.corpus, encoding="utf-8", newline="\n") as f:
    usable = [line.rstrip("\n") for line in f if line.strip() and "\r" not in line]
step = max(1, (len(usable) - a.offset) // a.count)
chosen = [usable[a.offset + i * step] for i in range(a.count)]
with open(a.out, "w", encoding="utf-8") as f:
    f.writelines(line + "\n" for line in chosen)
print(f"{len(chosen)} of {len(usable)} usable lines (every {step}th from {a.offset}) -> {a.out}")
