#!/usr/bin/env python3
"""Runs our benchmark and a peer's alternately and reports the ratio of medians.

usage: Scripts/bench-alternate.py --runs N --ours 'CMD' --ours-key KEY --peer 'CMD' --peer-key REGEX
       [--label TEXT] [--higher-is-better | --lower-is-better]
  --ours-key   a key of our "key=value" output line(s), e.g. forward_tokens_per_s
  --peer-key   a regular expression with one group that captures the peer's number
               (commas are removed), e.g. 'forward: ([0-9,.]+) tokens/s'
Each run executes peer then ours (then peer, ours, …), so slow drifts in machine load hit both.
Prints every run, the medians and ours/peer. The machine is noisy: use N >= 3 (5 is better).
Only needed to reproduce Docs/Benchmarks.md; the package never needs Python.
"""
import argparse, re, statistics, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--ours", required=True); ap.add_argument("--ours-key", required=True)
ap.add_argument("--peer", required=True); ap.add_argument("--peer-key", required=True)
ap.add_argument("--label", default="")
ap.add_argument("--lower-is-better", action="store_true")
a = ap.parse_args()

def run(cmd):
    p = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {cmd}\n{p.stderr[-2000:]}")
    return p.stdout + p.stderr

def ours_value(text):
    values = re.findall(r"\b" + re.escape(a.ours_key) + r"=([0-9.eE+-]+)", text)
    if not values: sys.exit(f"no {a.ours_key}= in our output:\n{text[-2000:]}")
    return float(values[-1])

def peer_value(text):
    m = re.findall(a.peer_key, text)
    if not m: sys.exit(f"no match for {a.peer_key!r} in the peer's output:\n{text[-2000:]}")
    return float(m[-1].replace(",", ""))

ours, peer = [], []
for i in range(a.runs):
    t = time.time(); p = peer_value(run(a.peer)); tp = time.time() - t
    t = time.time(); o = ours_value(run(a.ours)); to = time.time() - t
    peer.append(p); ours.append(o)
    print(f"run {i + 1}: peer {p:,.2f} ({tp:.0f} s)   ours {o:,.2f} ({to:.0f} s)", flush=True)
mo, mp = statistics.median(ours), statistics.median(peer)
ratio = mp / mo if a.lower_is_better else mo / mp
spread = lambda v: (max(v) - min(v)) / statistics.median(v) * 100
print(f"{a.label} median ours {mo:,.2f} (spread {spread(ours):.0f}%), median peer {mp:,.2f} (spread {spread(peer):.0f}%), "
      f"ratio {ratio:.2f}x ({'peer/ours' if a.lower_is_better else 'ours/peer'}), runs {a.runs}")
