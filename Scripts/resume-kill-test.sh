#!/usr/bin/env bash
# Resume after `kill -9` during a checkpoint write, N times, against one uninterrupted run.
#
# usage: Scripts/resume-kill-test.sh [N=5] [CORPUS=Tests/Fixtures/Pretraining/corpus-slice.txt]
# Builds tinyencoder (release), trains a 2k BPE tokenizer on CORPUS, then:
#   1. the reference: `pretrain` for 40 steps uninterrupted (checkpoint every 5 steps);
#   2. N times: the same run, killed with SIGKILL while the checkpoint of step 5·k is being written
#      (k = 2…7 in turn: the script waits until the log shows checkpoint k − 1 and the temporary
#      folder .run.tmp-… of checkpoint k appears, then waits 0–250 ms more so that kills land in every
#      phase: writing files, the two renames, cleanup), then resumed with --resume until it finishes.
# Each resumed run must end with a model.safetensors and optimizer.safetensors byte-identical to the
# reference's, and its --log must give the same loss at every step (the log is rewound on resume).
# Prints one line per trial and a summary; exits non-zero if any trial differs.
set -euo pipefail
N=${1:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${2:-$ROOT/Tests/Fixtures/Pretraining/corpus-slice.txt}
BIN=$ROOT/.build/release/tinyencoder
WORK=$(mktemp -d /tmp/resume-kill-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && swift build -c release --product tinyencoder >/dev/null)

"$BIN" bpe-train --corpus "$CORPUS" --vocab-size 2000 --out "$WORK/tokenizer.json" --quiet >/dev/null
ARGS=(--corpus "$CORPUS" --tokenizer "$WORK/tokenizer.json" --preset small --seq 64 --batch 8 --steps 40
      --checkpoint-every 5 --eval-every 10 --dropout 0.1 --seed 7 --threads 2 --quiet)

checkpoints() { if [ -f "$1" ]; then grep -c '"type":"checkpoint"' "$1" || true; else echo 0; fi; }
losses() { grep '"type":"train"' "$1" | sed -E 's/.*"step":([0-9]+),"loss":([^,]+),.*/\1 \2/'; }

start=$(date +%s.%N)
"$BIN" pretrain "${ARGS[@]}" --out "$WORK/reference" --log "$WORK/reference.jsonl" >/dev/null
echo "reference: 40 steps in $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s"
losses "$WORK/reference.jsonl" > "$WORK/reference.losses"

failures=0
during_write=0
for trial in $(seq 1 "$N"); do
    rm -rf "$WORK/run" "$WORK"/.run.* "$WORK"/..run.* "$WORK/run.jsonl"
    target=$(( 2 + (trial - 1) % 6 ))             # the checkpoint of step 5·target
    delay_ms=$(( (trial * 89) % 251 ))             # 0–250 ms after the temporary folder appears
    "$BIN" pretrain "${ARGS[@]}" --out "$WORK/run" --log "$WORK/run.jsonl" >/dev/null 2>&1 &
    pid=$!
    until [ "$(checkpoints "$WORK/run.jsonl")" -ge $((target - 1)) ]; do
        kill -0 "$pid" 2>/dev/null || { echo "trial $trial: the run ended early"; exit 2; }
        sleep 0.005
    done
    until compgen -G "$WORK/.run.tmp-*" >/dev/null; do
        kill -0 "$pid" 2>/dev/null || { echo "trial $trial: the run ended before checkpoint $target"; exit 2; }
        sleep 0.001
    done
    sleep "$(printf '0.%03d' "$delay_ms")"
    writing=no
    compgen -G "$WORK/.run.tmp-*" >/dev/null && writing=yes
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    [ "$writing" = yes ] && during_write=$((during_write + 1))
    left=$(cd "$WORK" && ls -d .run.* ..run.* run 2>/dev/null | tr '\n' ' ' || true)
    step=$(grep -o '"optimizerStep" : [0-9]*' "$WORK/run/trainer_state.json" 2>/dev/null | grep -o '[0-9]*$' || echo none)
    # Killed between AtomicFolder's two renames, only .run.old-… holds the checkpoint: --resume repairs that too.
    "$BIN" pretrain "${ARGS[@]}" --out "$WORK/run" --log "$WORK/run.jsonl" --resume >/dev/null
    losses "$WORK/run.jsonl" > "$WORK/run.losses"
    same=yes
    cmp -s "$WORK/run/model.safetensors" "$WORK/reference/model.safetensors" || same=no
    cmp -s "$WORK/run/optimizer.safetensors" "$WORK/reference/optimizer.safetensors" || same=no
    cmp -s "$WORK/run.losses" "$WORK/reference.losses" || same=no
    [ "$same" = yes ] || failures=$((failures + 1))
    echo "trial $trial: killed at checkpoint $((5 * target)) +${delay_ms} ms (temporary folder present: $writing; left: ${left}; checkpoint step on disk: $step) → resumed run identical: $same"
done
echo "summary: $N kills, $during_write during a checkpoint write, $failures differing from the uninterrupted run"
[ "$failures" -eq 0 ]
