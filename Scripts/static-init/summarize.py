#!/usr/bin/env python3
"""Collects the static-initialisation experiment's outputs into tables.

usage: summarize.py OUT_DIR VARIANT [VARIANT ...]
Reads OUT/VARIANT.jsonl (the pretrain --log: "eval" lines), OUT/VARIANT.out (pretrain's and probe's
key=value lines), OUT/coverage-*.txt (init-report's key=value line) and OUT/probe-vectors-*.out.
Writes OUT/curves.tsv (variant, step, eval loss, eval accuracy), OUT/results.tsv (one row per
variant: loss and accuracy at each evaluated step, the probe accuracy, the pretraining seconds) and
OUT/coverage.tsv; prints the Markdown tables that Docs/StaticInitialization.md quotes.
"""
import glob
import json
import os
import sys


def key_values(line):
    return dict(part.split("=", 1) for part in line.split() if "=" in part)


def last_line_with(path, key):
    if not os.path.exists(path):  # a run stopped before its end has only NAME.out.tmp, or nothing
        path = path + ".tmp"
    if not os.path.exists(path):
        return {}
    lines = [line for line in open(path) if line.startswith(key)]
    return key_values(lines[-1]) if lines else {}


def main():
    out, variants = sys.argv[1], sys.argv[2:]
    curves, rows = [], []
    steps = []
    for name in variants:
        evaluations = [json.loads(line) for line in open(os.path.join(out, f"{name}.jsonl")) if '"type":"eval"' in line]
        for e in evaluations:
            curves.append((name, e["step"], e["loss"], e["accuracy"]))
        steps = sorted(set(steps) | {e["step"] for e in evaluations})
        pretrain = last_line_with(os.path.join(out, f"{name}.out"), "steps=")
        probe = last_line_with(os.path.join(out, f"{name}.out"), "accuracy=")
        rows.append((name, {e["step"]: e for e in evaluations}, probe.get("accuracy", "?"), pretrain.get("seconds", "?")))
    with open(os.path.join(out, "curves.tsv"), "w") as f:
        f.write("variant\tstep\teval_loss\teval_accuracy\n")
        for name, step, loss, accuracy in curves:
            f.write(f"{name}\t{step}\t{loss:.4f}\t{accuracy:.4f}\n")
    with open(os.path.join(out, "results.tsv"), "w") as f:
        f.write("variant\t" + "\t".join(f"loss@{s}\tacc@{s}" for s in steps) + "\tprobe_accuracy\tpretrain_seconds\n")
        for name, by_step, probe, seconds in rows:
            cells = []
            for s in steps:
                e = by_step.get(s)
                cells += [f"{e['loss']:.4f}", f"{e['accuracy']:.4f}"] if e else ["", ""]
            f.write(f"{name}\t" + "\t".join(cells) + f"\t{probe}\t{seconds}\n")

    print("| initialisation | " + " | ".join(f"loss @ {s}" for s in steps) + " | " + " | ".join(f"acc @ {s}" for s in steps)
          + " | probe accuracy | pretrain s |")
    print("|---" * (2 * len(steps) + 3) + "|")
    for name, by_step, probe, seconds in rows:
        losses = [f"{by_step[s]['loss']:.3f}" if s in by_step else "" for s in steps]
        accuracies = [f"{100 * by_step[s]['accuracy']:.2f}%" if s in by_step else "" for s in steps]
        print(f"| {name} | " + " | ".join(losses) + " | " + " | ".join(accuracies) + f" | {probe} | {seconds} |")

    print()
    coverage = []
    for path in sorted(glob.glob(os.path.join(out, "coverage-*.txt"))):
        name = os.path.basename(path)[len("coverage-"):-len(".txt")]
        coverage.append((name, last_line_with(path, "exact=")))
    with open(os.path.join(out, "coverage.tsv"), "w") as f:
        keys = ["exact", "composed", "random", "exact_vocab_share", "composed_vocab_share", "random_vocab_share",
                "exact_corpus_share", "composed_corpus_share", "random_corpus_share", "fasttext_composed", "mean_composed"]
        f.write("vectors\t" + "\t".join(keys) + "\n")
        for name, values in coverage:
            f.write(name + "\t" + "\t".join(values.get(k, "") for k in keys) + "\n")
    print("| vectors | exact (vocab / corpus) | composed (vocab / corpus) | random (vocab / corpus) |")
    print("|---|---|---|---|")
    for name, v in coverage:
        def cell(kind):
            return (f"{v.get(kind, '?')} ({100 * float(v.get(kind + '_vocab_share', 0)):.1f}% / "
                    f"{100 * float(v.get(kind + '_corpus_share', 0)):.1f}%)")
        print(f"| {name} | {cell('exact')} | {cell('composed')} | {cell('random')} |")

    print()
    for path in sorted(glob.glob(os.path.join(out, "probe-vectors-*.out"))):
        name = os.path.basename(path)[len("probe-vectors-"):-len(".out")]
        print(f"averaged {name} vectors: probe accuracy {last_line_with(path, 'accuracy=').get('accuracy', '?')}")


if __name__ == "__main__":
    main()
