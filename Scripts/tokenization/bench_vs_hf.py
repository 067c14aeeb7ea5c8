#!/usr/bin/env python3
"""Side-by-side speed of TinyEncoder's BPE against HF tokenizers (Scripts/peers/hf_bpe.py).

usage: $PEER_PYTHON Scripts/tokenization/bench_vs_hf.py CORPUS [--runs 3] [--threads 2]
        [--tinyencoder .build/release/tinyencoder] [--vocab 8000] [--skip-encode]

Runs the peer and ours alternately (peer, ours, peer, ours, ...), `--runs` times each, at the same
thread count, and prints each run and the ratio of medians for
  training time   (hf_bpe.py "train: ... in X s"  vs  tinyencoder bpe-train "seconds=")
  batch encoding  (hf_bpe.py "encode_batch: X MB/s" vs tinyencoder bench tokenize "encode_mb_per_s=")
Both encode with the tokenizer HF trained in the same round, so the work is identical.
"""
import argparse, os, re, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEER = os.path.join(ROOT, "Scripts", "peers", "hf_bpe.py")


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    return result.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--vocab", type=int, default=8000)
    ap.add_argument("--tinyencoder", default=os.path.join(ROOT, ".build", "release", "tinyencoder"))
    ap.add_argument("--skip-encode", action="store_true", help="time training only (our side)")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="bench-bpe-")
    hf_train, hf_encode, our_train, our_encode = [], [], [], []
    for round_ in range(a.runs):
        out = run([sys.executable, PEER, a.corpus, "--vocab", str(a.vocab), "--out", os.path.join(work, "hf"),
                   "--threads", str(a.threads)])
        hf_train.append(float(re.search(r"train: .* in ([0-9.]+) s", out).group(1)))
        hf_encode.append(float(re.search(r"encode_batch: ([0-9.]+) MB/s", out).group(1)))
        print(f"round {round_ + 1}: hf  train {hf_train[-1]:.2f} s  encode_batch {hf_encode[-1]:.2f} MB/s", flush=True)

        out = run([a.tinyencoder, "bpe-train", "--corpus", a.corpus, "--vocab-size", str(a.vocab),
                   "--out", os.path.join(work, "ours.json"), "--threads", str(a.threads), "--quiet"])
        our_train.append(float(re.search(r"seconds=([0-9.]+)", out).group(1)))
        line = f"round {round_ + 1}: ours train {our_train[-1]:.2f} s"
        if not a.skip_encode:
            out = run([a.tinyencoder, "bench", "tokenize", "--tokenizer", os.path.join(work, "hf", "tokenizer.json"),
                       "--corpus", a.corpus, "--threads", str(a.threads)])
            our_encode.append(float(re.search(r"encode_mb_per_s=([0-9.]+)", out).group(1)))
            line += f"  encode {our_encode[-1]:.2f} MB/s  ({out.strip()})"
        same = open(os.path.join(work, "ours.json"), "rb").read() == open(os.path.join(work, "hf", "tokenizer.json"), "rb").read()
        print(line + f"  tokenizer.json identical to HF's: {same}", flush=True)

    median = statistics.median
    print(f"threads={a.threads} runs={a.runs} corpus={a.corpus}")
    print(f"training: hf median {median(hf_train):.2f} s (range {min(hf_train):.2f}-{max(hf_train):.2f}), "
          f"ours median {median(our_train):.2f} s (range {min(our_train):.2f}-{max(our_train):.2f}), "
          f"speed-up {median(hf_train) / median(our_train):.2f}x")
    if our_encode:
        print(f"encoding: hf median {median(hf_encode):.2f} MB/s (range {min(hf_encode):.2f}-{max(hf_encode):.2f}), "
              f"ours median {median(our_encode):.2f} MB/s (range {min(our_encode):.2f}-{max(our_encode):.2f}), "
              f"speed-up {median(our_encode) / median(hf_encode):.2f}x")


if __name__ == "__main__":
    main()
