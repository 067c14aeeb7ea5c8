#!/usr/bin/env python3
"""Round trip of `tinyencoder export`: the exported folder must load in transformers' BertModel and
in sentence-transformers with no missing, unexpected or mismatched weights and no warning about
them, tokenise as we do, and give our hidden states (<= 1e-5 of the largest value, per text) and
our sentence vectors. With --mlm-head, BertForMaskedLM must load the head too.

usage: $PEER_PYTHON Scripts/huggingface/check_export_roundtrip.py [--model DIR]
        [--tinyencoder .build/release/tinyencoder] [--work DIR] [--sentences FILE]
  --model   the folder to export, e.g. Weights/tinyencoder-small. Default: a random post-LN model
            made here with `tinyencoder pretrain` (3 steps of the tiny preset on the committed corpus
            slice, with the BPE fixture Tests/Fixtures/Encoder/tokenizer-2k.json).
  --sentences  more texts, one a line (e.g. select_sentences.py --count 200), compared like the five
            built-in ones; lines longer than the model's positions are left out (and counted).
Exit status 1 if any check fails. Only needed to reproduce the report; tests never need Python.
"""
import argparse, io, json, logging, os, subprocess, sys, tempfile, warnings
import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "A man is playing a guitar.",
    "naïve café — 北京 🙂",
    "",
    "it was full of rackets, balls and other objects",
]


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs).stdout


def make_random_model(binary, work):
    out = os.path.join(work, "random-model")
    run([binary, "pretrain", "--corpus", os.path.join(ROOT, "Tests", "Fixtures", "Pretraining", "corpus-slice.txt"),
         "--tokenizer", os.path.join(ROOT, "Tests", "Fixtures", "Encoder", "tokenizer-2k.json"), "--preset", "tiny",
         "--steps", "3", "--batch", "4", "--seq", "64", "--eval-every", "1000", "--out", os.path.join(work, "checkpoint"),
         "--export", out, "--quiet"])
    return out


def captured_load(load):
    """Runs `load`, returning its result and every warning or log record it emitted."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = load()
    finally:
        root.removeHandler(handler)
    messages = [str(w.message) for w in caught] + [line for line in stream.getvalue().splitlines() if line.strip()]
    return result, messages


def about_weights(messages):
    words = ("missing", "unexpected", "newly initialized", "not initialized", "not used", "mismatch")
    return [m for m in messages if any(w in m.lower() for w in words)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--tinyencoder", default=os.path.join(ROOT, ".build", "release", "tinyencoder"))
    ap.add_argument("--work")
    ap.add_argument("--sentences")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp()
    os.makedirs(work, exist_ok=True)
    from transformers import AutoTokenizer, BertForMaskedLM, BertModel
    from transformers.utils import logging as hf_logging
    from sentence_transformers import SentenceTransformer
    hf_logging.set_verbosity_warning()
    hf_logging.enable_propagation()
    hf_logging.disable_default_handler()

    model = a.model or make_random_model(a.tinyencoder, work)
    exported = os.path.join(work, "exported")
    print(run([a.tinyencoder, "export", "--model", model, "--out", exported]).strip())
    failures = []

    bert, messages = captured_load(lambda: BertModel.from_pretrained(exported, output_loading_info=True))
    bert, info = bert
    bert.eval()
    problems = {k: v for k, v in info.items() if v}
    print(f"BertModel.from_pretrained: loading info {problems or 'clean'}; warnings about weights: {about_weights(messages) or 'none'}")
    if problems or about_weights(messages):
        failures.append("BertModel loading")

    tokenizer = AutoTokenizer.from_pretrained(exported)
    texts = list(TEXTS)
    if a.sentences:
        lines = [line.rstrip("\n") for line in open(a.sentences, encoding="utf-8") if line.strip()]
        fitting = [t for t in lines if len(tokenizer(t)["input_ids"]) <= bert.config.max_position_embeddings]
        print(f"--sentences: {len(fitting)} of {len(lines)} lines fit the model's {bert.config.max_position_embeddings} positions")
        texts += fitting
    # Our ids, with the file's own truncation/padding sections off (transformers ignores them too).
    document = json.load(open(os.path.join(model, "tokenizer.json"), encoding="utf-8"))
    document["truncation"], document["padding"] = None, None
    plain = os.path.join(work, "tokenizer-plain.json")
    json.dump(document, open(plain, "w", encoding="utf-8"), ensure_ascii=False)
    ours_ids = json.loads(run([a.tinyencoder, "tokenize", "--tokenizer", plain, "--json", "--special"],
                              input=json.dumps(texts)).splitlines()[0])
    hf_ids = [tokenizer(t)["input_ids"] for t in texts]
    print(f"{type(tokenizer).__name__}: identical ids on {sum(x == y for x, y in zip(ours_ids, hf_ids))}/{len(texts)} texts")
    if ours_ids != hf_ids:
        failures.append("tokenizer ids")

    # Hidden states: ours from the ORIGINAL folder, BertModel's from the exported one.
    lines = run([a.tinyencoder, "embed", "--model", model, "--pooling", "none"], input="\n".join(texts) + "\n").splitlines()
    ours = {}
    for line in lines:
        parts = line.split("\t")
        ours.setdefault(int(parts[0]), []).append([float(x) for x in parts[2:]])
    errors = []
    for index, ids in enumerate(hf_ids):
        with torch.no_grad():
            hidden = bert(input_ids=torch.tensor([ids])).last_hidden_state[0].double().numpy()
        mine = np.array(ours[index])
        errors.append(np.abs(mine - hidden).max() / np.abs(hidden).max())
    worst = max(errors)
    print(f"hidden states: largest error / the text's largest value: max {worst:.2e}, median {np.median(errors):.2e} "
          f"({len(texts)} texts, {sum(map(len, hf_ids)):,} tokens; threshold 1e-5)")
    if not worst <= 1e-5:
        failures.append("hidden states")

    st, messages = captured_load(lambda: SentenceTransformer(exported, device="cpu"))
    theirs = st.encode(texts, convert_to_numpy=True)
    mine = np.loadtxt(io.StringIO(run([a.tinyencoder, "embed", "--model", model], input="\n".join(texts) + "\n")), ndmin=2)
    cosines = (mine * theirs).sum(1) / (np.linalg.norm(mine, axis=1) * np.linalg.norm(theirs, axis=1))
    print(f"SentenceTransformer: warnings about weights: {about_weights(messages) or 'none'}; modules {[type(m).__name__ for m in st]}; "
          f"sentence-vector cosine min {cosines.min():.9f}")
    if about_weights(messages) or cosines.min() < 0.99999:
        failures.append("sentence-transformers")

    head_folder = os.path.join(work, "exported-mlm")
    export = subprocess.run([a.tinyencoder, "export", "--model", model, "--out", head_folder, "--mlm-head"], capture_output=True, text=True)
    if export.returncode != 0 and "no masked-LM head" in export.stderr:
        print("BertForMaskedLM (--mlm-head): skipped, the model folder has no masked-LM head (a BertModel checkpoint)")
    else:
        export.check_returncode()
        (mlm, info), messages = captured_load(lambda: BertForMaskedLM.from_pretrained(head_folder, output_loading_info=True))
        problems = {k: v for k, v in info.items() if v}
        print(f"BertForMaskedLM.from_pretrained (--mlm-head): loading info {problems or 'clean'}; warnings about weights: {about_weights(messages) or 'none'}")
        if problems or about_weights(messages):
            failures.append("BertForMaskedLM loading")
    print("round trip:", "OK" if not failures else "FAILED: " + ", ".join(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
