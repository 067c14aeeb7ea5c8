#!/usr/bin/env bash
# The experiment of Docs/StaticInitialization.md: the same tokenizer, encoder configuration, seed
# and budget for every run; only the token embedding's initialisation varies (random, word2vec
# skip-gram, GloVe, fastText; plus random with another initialisation seed, to show how far
# initialisation noise alone moves the numbers). For each: held-out masked-LM loss and accuracy
# every EVAL steps, and the supersense linear probe of the final model. Every command is echoed
# into OUT/commands.txt with its wall time and the load average, so the table can be checked.
#
# usage:   Scripts/static-init/run_experiment.sh OUT_DIR
# env:     CORPUS     (required: the English corpus, Scripts/peers/README.md)
#          PROBE_DATA (required: the folder with supersense-train.tsv and supersense-test.tsv)
#          TOKENIZER  (OUT/tokenizer.json; trained with bpe-train when missing)
#          STEPS (600)  EVAL (100)  BATCH (32)  SEQ (128)  LR (1e-3)  THREADS (2)
#          EXTRA=1    also: skip-gram with --freeze-embeddings-steps 100, skip-gram with
#                     --static-layer, and fastText n-gram composition from the official fastText
#                     .bin (needs PEER_PYTHON with fasttext-numpy2; our vectors-train writes no .bin)
#          BIN        (.build/release/tinyencoder, built with `swift build -c release`)
#          VECTOR_BYTES  train the static vectors on the corpus's first N bytes only (cut at a line
#                     end, written to OUT/vector-corpus.txt); default: the whole corpus
#          SG_EPOCHS (3)  GLOVE_EPOCHS (15)  FT_EPOCHS (1): epochs of the three vector trainers
#          VARIANTS   the pretraining runs to make, in this order (default: all of them, as below)
#          STAGES     which steps to run (default "vectors coverage pretrain probe-vectors summary"); every
#                     step skips what already exists, so a budget can be spent in stages, e.g.
#                     STAGES=pretrain VARIANTS="random skipgram", then STAGES=coverage, … (a pretraining
#                     run or coverage report whose vector file is missing is skipped, with a note)
# outputs: OUT/results.tsv, OUT/curves.tsv, OUT/curves.svg, OUT/coverage-*.txt, OUT/*.jsonl
set -euo pipefail
OUT=${1:?usage: run_experiment.sh OUT_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CORPUS=${CORPUS:?set CORPUS to the English corpus (Scripts/peers/README.md)}
PROBE_DATA=${PROBE_DATA:?set PROBE_DATA to the folder with supersense-train.tsv and supersense-test.tsv}
STEPS=${STEPS:-600}; EVAL=${EVAL:-100}; BATCH=${BATCH:-32}; SEQ=${SEQ:-128}; LR=${LR:-1e-3}; THREADS=${THREADS:-2}
BIN=${BIN:-$ROOT/.build/release/tinyencoder}
mkdir -p "$OUT"
TOKENIZER=${TOKENIZER:-$OUT/tokenizer.json}
LOG="$OUT/commands.txt"
[ -x "$BIN" ] || (cd "$ROOT" && swift build -c release)

# Runs a command, appends it with its wall time and load averages to commands.txt.
run() {
    local start end load
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    start=$(date +%s.%N)
    echo "\$ $*" >> "$LOG"
    "$@"
    end=$(date +%s.%N)
    printf '  wall %.1f s, load average at start %s, at end %s\n' "$(echo "$end - $start" | bc)" "$load" "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$LOG"
}

echo "# static-initialisation experiment, $(date -u +%FT%TZ), $(nproc) cores, threads $THREADS" >> "$LOG"
T0=$(date +%s)
STAGES=${STAGES:-vectors coverage pretrain probe-vectors summary}
stage() { case " $STAGES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
echo "# stages: $STAGES${VARIANTS:+; variants: $VARIANTS}" >> "$LOG"

# 1. The tokenizer (the shipped 8k byte-level BPE).
[ -f "$TOKENIZER" ] || run "$BIN" bpe-train --corpus "$CORPUS" --vocab-size 8000 --template "[CLS] \$A [SEP]" --out "$TOKENIZER" --threads "$THREADS" --quiet

# 2. Static vectors of the model width (128), on the same corpus (or its first VECTOR_BYTES), with our trainers.
VECTOR_CORPUS=$CORPUS
if [ -n "${VECTOR_BYTES:-}" ]; then
    VECTOR_CORPUS=$OUT/vector-corpus.txt
    [ -f "$VECTOR_CORPUS" ] || head -c "$VECTOR_BYTES" "$CORPUS" | sed '$d' > "$VECTOR_CORPUS"   # drop the cut last line
    echo "# vectors trained on $VECTOR_CORPUS: the first $(wc -c < "$VECTOR_CORPUS") bytes, $(wc -l < "$VECTOR_CORPUS") lines of $CORPUS" >> "$LOG"
fi
V="--corpus $VECTOR_CORPUS --dim 128 --seed 1 --threads $THREADS --quiet"
if stage vectors; then
[ -f "$OUT/skipgram.bin" ] || run "$BIN" vectors-train --algorithm skipgram $V --epochs "${SG_EPOCHS:-3}" --out "$OUT/skipgram.bin" > "$OUT/vectors-skipgram.out"
[ -f "$OUT/glove.txt" ] || run "$BIN" vectors-train --algorithm glove $V --epochs "${GLOVE_EPOCHS:-15}" --window 10 --x-max 10 --out "$OUT/glove.txt" > "$OUT/vectors-glove.out"
[ -f "$OUT/fasttext.vec" ] || run "$BIN" vectors-train --algorithm fasttext $V --epochs "${FT_EPOCHS:-1}" --bucket 200000 --out "$OUT/fasttext.vec" > "$OUT/vectors-fasttext.out"
if [ "${EXTRA:-0}" = 1 ] && [ ! -f "$OUT/fasttext-official.bin" ]; then
    run "${PEER_PYTHON:-python3}" "$HERE/train_official_fasttext.py" "$CORPUS" "$OUT/fasttext-official.bin" --dim 128 --threads "$THREADS"
fi
fi

# 3. Coverage of the tokenizer by each vector file (counted over the corpus).
VECTORS="skipgram:skipgram.bin glove:glove.txt fasttext:fasttext.vec"
[ "${EXTRA:-0}" = 1 ] && VECTORS="$VECTORS fasttext-ngrams:fasttext-official.bin"
for entry in $VECTORS; do
    stage coverage || break
    name=${entry%%:*}; file=$OUT/${entry#*:}
    [ -f "$file" ] || { echo "# coverage-$name skipped: $file is missing" >> "$LOG"; continue; }
    [ -f "$OUT/coverage-$name.txt" ] || run "$BIN" init-report --tokenizer "$TOKENIZER" --vectors "$file" --corpus "$CORPUS" --width 128 --threads "$THREADS" --quiet > "$OUT/coverage-$name.txt"
done

# 4. Pretraining: one configuration, seed and budget; only the initialisation differs.
COMMON="--corpus $CORPUS --tokenizer $TOKENIZER --preset tiny --seq $SEQ --batch $BATCH --steps $STEPS --lr $LR
        --warmup $((STEPS / 20)) --eval-every $EVAL --eval-max 256 --checkpoint-every 0 --seed 0 --threads $THREADS --quiet"
RUNS="random:--init-seed=0 random-seed1:--init-seed=1 skipgram:--init-vectors=$OUT/skipgram.bin glove:--init-vectors=$OUT/glove.txt fasttext:--init-vectors=$OUT/fasttext.vec"
if [ "${EXTRA:-0}" = 1 ]; then
    RUNS="$RUNS skipgram-freeze100:--init-vectors=$OUT/skipgram.bin,--freeze-embeddings-steps=100"
    RUNS="$RUNS skipgram-static-layer:--init-vectors=$OUT/skipgram.bin,--static-layer fasttext-ngrams:--init-vectors=$OUT/fasttext-official.bin"
fi
if [ -n "${VARIANTS:-}" ]; then   # keep the named runs, in the order given
    RUNS=$(for wanted in $VARIANTS; do for entry in $RUNS; do if [ "${entry%%:*}" = "$wanted" ]; then echo "$entry"; fi; done; done)
fi
for entry in $RUNS; do
    stage pretrain || break
    name=${entry%%:*}; options=$(echo "${entry#*:}" | tr ',' ' ')
    [ -f "$OUT/$name.out" ] && continue
    vectors=$(echo "$options" | tr ' ' '\n' | sed -n 's/^--init-vectors=//p')
    [ -z "$vectors" ] || [ -f "$vectors" ] || { echo "# $name skipped: $vectors is missing" >> "$LOG"; continue; }
    rm -rf "$OUT/model-$name" "$OUT/$name.jsonl"
    run "$BIN" pretrain $COMMON $options --out "$OUT/model-$name" --log "$OUT/$name.jsonl" > "$OUT/$name.out.tmp" 2> "$OUT/$name.err"
    run "$BIN" probe --model "$OUT/model-$name" --train "$PROBE_DATA/supersense-train.tsv" --test "$PROBE_DATA/supersense-test.tsv" \
        --threads "$THREADS" --quiet >> "$OUT/$name.out.tmp"
    mv "$OUT/$name.out.tmp" "$OUT/$name.out"
done

# 5. The static vectors alone (averaged word vectors) on the same probe, for reference.
for entry in skipgram:skipgram.bin glove:glove.txt fasttext:fasttext.vec; do
    stage probe-vectors || break
    name=${entry%%:*}
    [ -f "$OUT/${entry#*:}" ] || continue
    [ -f "$OUT/probe-vectors-$name.out" ] || run "$BIN" probe --vectors "$OUT/${entry#*:}" --train "$PROBE_DATA/supersense-train.tsv" \
        --test "$PROBE_DATA/supersense-test.tsv" --threads "$THREADS" --quiet > "$OUT/probe-vectors-$name.out"
done

# 6. Tables and the plot (of the runs that are done).
stage summary || { echo "stages done: $STAGES" >> "$LOG"; exit 0; }
DONE=$(for entry in $RUNS; do if [ -f "$OUT/${entry%%:*}.out" ]; then echo "${entry%%:*}"; fi; done)
python3 "$HERE/summarize.py" "$OUT" $DONE
python3 "$HERE/plot_curves.py" "$OUT/curves.tsv" "$OUT/curves.svg" \
    "tiny encoder (2 × 128), 8k BPE, batch $BATCH × $SEQ, $STEPS steps, lr $LR, seed 0"
echo "total wall time $(( $(date +%s) - T0 )) s" >> "$LOG"
cat "$OUT/results.tsv"
