#!/usr/bin/env python3
"""Small folders continued with PyTorch DistributedDataParallel, and their reference vectors, for
DistributedContinuationTests (a DDP-continued folder must load with `tinyencoder embed --model` and
`pretrain --init-from` and give transformers' and sentence-transformers' vectors).

usage: $PEER_PYTHON Scripts/peers/make_ddp_fixture.py --tinyencoder .build/release/tinyencoder

Steps (in a temporary folder, then the results are copied into Tests/Fixtures/Distributed/):
  1. `tinyencoder pretrain` a tiny post-LN model (2 layers × 24 wide, 2 heads, FFN 48, 64 learned
     positions) for 3 steps on Tests/Fixtures/Pretraining/corpus-slice.txt, with the tiny-bert
     fixture's WordPiece tokenizer (1,813 ids);
  2. `tinyencoder export --mlm-head`;
  3. `torchrun --nproc_per_node 2 continue_pretraining_ddp.py`: 8 masked-LM steps → continued-mlm/;
     8 distillation steps towards the tiny-bert fixture (32 wide, normalised; so a 24 → 32
     projection and a Normalize module) → continued-distill/;
  4. reference.json: the sentences (tiny-bert's, less the empty one), SentenceTransformer's vectors
     of each folder, and BertModel's last_hidden_state of continued-mlm for the first two sentences.
Nothing here is needed to build or test; the outputs are committed.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")
OUT = os.path.join(FIXTURES, "Distributed")
SCRIPT = os.path.join(ROOT, "Scripts", "peers", "continue_pretraining_ddp.py")
CONFIG = {"architectures": ["BertForMaskedLM"], "model_type": "bert", "vocab_size": 1813, "hidden_size": 24,
          "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 48, "hidden_act": "gelu",
          "max_position_embeddings": 64, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "initializer_range": 0.2,
          "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "pad_token_id": 0}


def run(command):
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tinyencoder", required=True)
    args = p.parse_args()
    python_bin = os.path.dirname(sys.executable)
    corpus = os.path.join(FIXTURES, "Pretraining", "corpus-slice.txt")
    tiny_bert = os.path.join(FIXTURES, "HuggingFace", "tiny-bert")
    work = tempfile.mkdtemp(prefix="ddp-fixture-")
    config = os.path.join(work, "config.json")
    json.dump(CONFIG, open(config, "w"))
    run([args.tinyencoder, "pretrain", "--corpus", corpus, "--tokenizer", os.path.join(tiny_bert, "tokenizer.json"),
         "--config", config, "--steps", "3", "--seq", "32", "--batch", "8", "--out", os.path.join(work, "start"), "--quiet"])
    exported = os.path.join(work, "exported")
    run([args.tinyencoder, "export", "--model", os.path.join(work, "start"), "--out", exported, "--mlm-head"])
    common = ["--model", exported, "--corpus", corpus, "--steps", "8", "--batch", "8", "--lr", "1e-3", "--max-length", "32",
              "--eval-lines", "32", "--eval-every", "4", "--log-every", "4"]
    torchrun = [os.path.join(python_bin, "torchrun"), "--nproc_per_node", "2", SCRIPT]
    mlm, distill = os.path.join(work, "continued-mlm"), os.path.join(work, "continued-distill")
    run(torchrun + common + ["--out", mlm])
    run(torchrun + common + ["--out", distill, "--teacher", tiny_bert, "--loss", "mse"])

    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoTokenizer, BertModel
    sentences = [s for s in json.load(open(os.path.join(FIXTURES, "HuggingFace", "tiny-bert-reference.json")))["sentences"] if s]
    reference = {"sentences": sentences}
    for name, folder in [("mlm", mlm), ("distill", distill)]:
        model = SentenceTransformer(folder, device="cpu")
        reference[name] = model.encode(sentences, convert_to_numpy=True).astype(float).tolist()
        reference[name + "_modules"] = [type(m).__name__ for m in model]
    tokenizer, bert = AutoTokenizer.from_pretrained(mlm), BertModel.from_pretrained(mlm).eval()
    hidden = []
    with torch.no_grad():
        for text in sentences[:2]:
            batch = tokenizer(text, return_tensors="pt", truncation=True, max_length=64)
            hidden.append(bert(**batch).last_hidden_state[0].tolist())
    reference["mlm_hidden"] = hidden

    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    for name, folder in [("continued-mlm", mlm), ("continued-distill", distill)]:
        shutil.copytree(folder, os.path.join(OUT, name))
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(reference, f, separators=(",", ":"))
    shutil.rmtree(work)
    print(f"wrote {OUT}: {len(sentences)} sentences; modules {reference['mlm_modules']} and {reference['distill_modules']}")


if __name__ == "__main__":
    main()
