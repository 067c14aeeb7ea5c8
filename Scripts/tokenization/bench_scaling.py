#!/usr/bin/env python3
"""How BPE training time grows with the corpus: TinyEncoder's bpe-train and HF tokenizers' trainer
(the settings of Scripts/peers/hf_bpe.py, training only) on the same files, alternately.

usage: $PEER_PYTHON Scripts/tokenization/bench_scaling.py FILE [FILE ...] [--runs 3] [--threads 2]
        [--tinyencoder .build/release/tinyencoder] [--vocab 8000]
Make the files from the English corpus, e.g. its first half (cut at a line end) and the corpus twice:
  python3 -c "d=open('corpus-en.txt','rb').read(); open('half.txt','wb').write(d[:d.index(b'\\n', len(d)//2)+1])"
  cat corpus-en.txt corpus-en.txt > double.txt
Prints, per file, the median seconds of each side (ours split into counting and merging).
"""
import argparse, os, re, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HF_TRAIN = r'''
import os, sys, time
os.environ["RAYON_NUM_THREADS"] = sys.argv[2]
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers
tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tok.decoder = decoders.ByteLevel()
tr = trainers.BpeTrainer(vocab_size=int(sys.argv[3]), min_frequency=2, show_progress=False,
                         special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
                         initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
t0 = time.perf_counter(); tok.train([sys.argv[1]], tr); print(f"{time.perf_counter() - t0:.3f}")
'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--vocab", type=int, default=8000)
    ap.add_argument("--tinyencoder", default=os.path.join(ROOT, ".build", "release", "tinyencoder"))
    a = ap.parse_args()
    results = {f: {"hf": [], "ours": [], "count": [], "merge": []} for f in a.files}
    for round_ in range(a.runs):
        for f in a.files:
            hf = float(subprocess.run([sys.executable, "-c", HF_TRAIN, f, str(a.threads), str(a.vocab)],
                                      capture_output=True, text=True, check=True).stdout)
            out = subprocess.run([a.tinyencoder, "bpe-train", "--corpus", f, "--vocab-size", str(a.vocab),
                                  "--out", "/tmp/bench-scaling.json",
                                  "--threads", str(a.threads)], capture_output=True, text=True, check=True)
            ours = float(re.search(r"seconds=([0-9.]+)", out.stdout).group(1))
            # The final progress line of each phase ends with its total time (earlier ones with an ETA).
            phases = re.findall(r"^(counting words|learning merges)(?![^\n]*ETA)[^\n]*, ([0-9.]+) s\s*$", out.stderr, re.M)
            count = next((float(t) for name, t in phases if name == "counting words"), float("nan"))
            merge = next((float(t) for name, t in phases if name == "learning merges"), float("nan"))
            r = results[f]
            r["hf"].append(hf); r["ours"].append(ours); r["count"].append(count); r["merge"].append(merge)
            print(f"round {round_ + 1} {os.path.basename(f)} ({os.path.getsize(f) / 1e6:.1f} MB): hf {hf:.2f} s, "
                  f"ours {ours:.2f} s (counting {count:.1f} s, merges {merge:.1f} s)", flush=True)
    print(f"threads={a.threads} runs={a.runs} (medians)")
    for f in a.files:
        r = results[f]
        m = {k: statistics.median(v) for k, v in r.items()}
        print(f"{os.path.getsize(f) / 1e6:6.1f} MB: hf {m['hf']:6.2f} s   ours {m['ours']:5.2f} s "
              f"(counting {m['count']:.2f} s + merges {m['merge']:.2f} s)   ratio {m['hf'] / m['ours']:.2f}x")


if __name__ == "__main__":
    main()
