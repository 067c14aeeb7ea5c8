#!/usr/bin/env python3
"""Parity checks against HF tokenizers that need the English corpus (the unit tests use fixtures).

usage: $PEER_PYTHON Scripts/tokenization/check_parity.py --ours OURS.json --hf HF.json
        [--tinyencoder .build/release/tinyencoder] [--corpus CORPUS] [--lines 20000]

1. Trainer parity: the share of identical merges, in order, between our tokenizer.json (from
   `tinyencoder bpe-train`) and HF's (from hf_bpe.py), and whether the files are byte-identical.
2. Our saved tokenizer.json loads in HF tokenizers and encodes like HF's own file, on the parity
   texts and on `--lines` corpus lines.
3. `tinyencoder tokenize --tokenizer HF.json --json` gives HF's ids on the same texts, and
   `--decode` gives back each text.
"""
import argparse, json, os, subprocess
from tokenizers import Tokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--hf", required=True)
    ap.add_argument("--tinyencoder", default=os.path.join(ROOT, ".build", "release", "tinyencoder"))
    ap.add_argument("--corpus", default=os.environ.get("CORPUS"), required="CORPUS" not in os.environ,
                    help="the English corpus, one paragraph a line (Scripts/peers/README.md); or set CORPUS")
    ap.add_argument("--lines", type=int, default=20000)
    a = ap.parse_args()

    ours_json, hf_json = json.load(open(a.ours, encoding="utf-8")), json.load(open(a.hf, encoding="utf-8"))
    ours_merges, hf_merges = ours_json["model"]["merges"], hf_json["model"]["merges"]
    same = 0
    for x, y in zip(ours_merges, hf_merges):
        if x != y:
            break
        same += 1
    print(f"merges: ours {len(ours_merges)}, hf {len(hf_merges)}, identical in order: {same} "
          f"({100.0 * same / max(1, len(hf_merges)):.2f}%); vocab equal: {ours_json['model']['vocab'] == hf_json['model']['vocab']}; "
          f"files byte-identical: {open(a.ours, 'rb').read() == open(a.hf, 'rb').read()}")

    texts = json.load(open(os.path.join(ROOT, "Tests", "Fixtures", "Tokenization", "parity-texts.json"), encoding="utf-8"))
    with open(a.corpus, encoding="utf-8") as f:
        corpus = [line.rstrip("\n") for _, line in zip(range(a.lines), f)]
    inputs = texts + corpus
    ours_in_hf, hf = Tokenizer.from_file(a.ours), Tokenizer.from_file(a.hf)
    a_ids = [e.ids for e in ours_in_hf.encode_batch(inputs)]
    b_ids = [e.ids for e in hf.encode_batch(inputs)]
    print(f"our tokenizer.json loaded in HF: {sum(x == y for x, y in zip(a_ids, b_ids))}/{len(inputs)} texts encode identically")

    out = subprocess.run([a.tinyencoder, "tokenize", "--tokenizer", a.hf, "--json", "--decode"],
                         input=json.dumps(inputs), capture_output=True, text=True, check=True).stdout.split("\n")
    our_ids, decoded = json.loads(out[0]), json.loads(out[1])
    print(f"tinyencoder tokenize vs HF encode: {sum(x == y for x, y in zip(our_ids, b_ids))}/{len(inputs)} identical ids "
          f"({len(texts)} parity texts + {len(corpus)} corpus lines); decode round trip: "
          f"{sum(x == y for x, y in zip(decoded, inputs))}/{len(inputs)}")


if __name__ == "__main__":
    main()
