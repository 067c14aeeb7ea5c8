#!/usr/bin/env bash
# train-shipped-model.sh: the recipe of Weights/tinyencoder-small, step by step, exactly as it was
# run (Weights/README.md gives the figures, the curve and the times). Every step is skipped when
# its output exists, so an interrupted run can be started again.
#   usage: Scripts/train-shipped-model.sh WORK_DIR      (needs the unpacked shared corpus)
# Environment: CORPUS (/work/data/corpus-en.txt, sha256 a6e9effa…8bd; unpack ../shared/data/
#   corpus-en.txt.xz with `xz -dk`), PROBE_DATA (../shared/data), THREADS (2),
#   BIN (.build/release/tinyencoder).
# Not handled: other corpora or sizes (edit the options); GPUs.
set -euo pipefail
WORK=${1:?usage: train-shipped-model.sh WORK_DIR}
repo="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS=${CORPUS:-/work/data/corpus-en.txt}
PROBE_DATA=${PROBE_DATA:-$repo/../shared/data}
THREADS=${THREADS:-2}
BIN=${BIN:-$repo/.build/release/tinyencoder}
[ -x "$BIN" ] || (cd "$repo" && swift build -c release)
mkdir -p "$WORK"
cd "$WORK"
sha256sum "$CORPUS"

# 1. The tokenizer: byte-level BPE, 8,000 ids, [CLS] $A [SEP].
[ -f tokenizer.json ] || "$BIN" bpe-train --corpus "$CORPUS" --vocab-size 8000 --template '[CLS] $A [SEP]' \
    --out tokenizer.json --threads "$THREADS"

# 2. Static vectors for the initialisation: skip-gram, 256 wide (the model's width), 5 epochs.
[ -f sg256.bin ] || "$BIN" vectors-train --algorithm skipgram --corpus "$CORPUS" --dim 256 --epochs 5 \
    --threads "$THREADS" --out sg256.bin

# 3. Masked-LM pretraining of the 4×256 post-LN encoder, token embedding from the skip-gram
#    vectors (frozen for the first 200 steps), 3,000 steps of 32 × 128 tokens, cosine schedule.
[ -f phase1/trainer_state.json ] && grep -q '"step" *: *3000' phase1/trainer_state.json || \
"$BIN" pretrain --corpus "$CORPUS" --tokenizer tokenizer.json --preset small \
    --init-vectors sg256.bin --init-count-bytes 50000000 --freeze-embeddings-steps 200 \
    --seq 128 --steps 3000 --batch 32 --lr 7e-4 --warmup 150 --schedule cosine \
    --eval-every 250 --eval-max 512 --checkpoint-every 250 --out phase1 --log phase1.jsonl \
    --threads "$THREADS" $( [ -f phase1/trainer_state.json ] && echo --resume )

# 4. Masked-LM plus the contrastive sentence term (Docs/Pretraining.md §9), one corpus line per
#    sequence, continuing from phase 1; exported in float16.
[ -f phase2-model/model.safetensors ] || "$BIN" pretrain --corpus "$CORPUS" --init-from phase1 \
    --packing lines --seq 64 --batch 64 --contrastive-weight 1 --temperature 0.05 \
    --steps 600 --lr 3e-4 --warmup 30 --schedule linear \
    --eval-every 200 --eval-max 512 --checkpoint-every 200 --out phase2 --log phase2.jsonl \
    --threads "$THREADS" --export phase2-model --float16

# 5. Phase 3: masked LM, the contrastive term and the distillation term (Docs/Pretraining.md §10):
#    the pooled vector of each line is pulled towards the centred average of its sg256.bin vectors.
[ -f tinyencoder-small-raw/model.safetensors ] || "$BIN" pretrain --corpus "$CORPUS" --init-from phase2-model \
    --packing lines --seq 64 --batch 64 --contrastive-weight 1 --temperature 0.05 \
    --distill-vectors sg256.bin --distill-weight 30 \
    --steps 1200 --lr 3e-4 --warmup 30 --schedule linear \
    --eval-every 300 --eval-max 512 --checkpoint-every 300 --out phase3 --log phase3.jsonl \
    --threads "$THREADS" --export tinyencoder-small-raw --float16

# 6. Whitening of the pooled vectors, fitted on 20,000 corpus lines (a Dense module; Encoder/Whitening.swift).
[ -f tinyencoder-small/2_Dense/model.safetensors ] || "$BIN" whiten --model tinyencoder-small-raw \
    --corpus "$CORPUS" --lines 20000 --seed 0 --out tinyencoder-small --threads "$THREADS"

# 7. The figures of Weights/README.md: the supersense probe of the model, before and after
#    whitening, and of the averaged skip-gram vectors it started from.
for model in tinyencoder-small-raw tinyencoder-small; do
    "$BIN" probe --model "$model" --train "$PROBE_DATA/supersense-train.tsv" \
        --test "$PROBE_DATA/supersense-test.tsv" --threads "$THREADS" --quiet
done
"$BIN" probe --vectors sg256.bin --train "$PROBE_DATA/supersense-train.tsv" \
    --test "$PROBE_DATA/supersense-test.tsv" --threads "$THREADS" --quiet
echo "copy $WORK/tinyencoder-small to Weights/tinyencoder-small"
