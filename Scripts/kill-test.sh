#!/usr/bin/env bash
# The kill test: `kill -9` the CLI at random points while it replaces a file or a folder, then check
# that the target is the complete old state or the complete new state (never torn, never missing),
# and that a later run of the same command, with whatever the killed one left behind, still works.
#
# usage: Scripts/kill-test.sh [N=60] [SCENARIOS="bpe w2v-bin w2v-txt convert export pretrain"]
#   N kills in total, spread over the scenarios in turn. Environment: BIN (default: release build in
#   .build-rel, built if missing), WORK (default: a fresh folder under /tmp, removed at the end unless
#   KEEP=1), WRITE_MS_OVERRIDE (the at-write kill window in ms instead of the measured one; the
#   measurement includes polling lag and process exit, so on a busy machine it runs long), SEED.
#   Run it under `nice -n 19` on a shared machine.
#
# Scenarios (each writer and its atomic-write path):
#   bpe       bpe-train --out tokenizer.json             Tokenization writeFileAtomically
#   w2v-bin   vectors-train --out v.bin (word2vec-bin)   WordVectors writeAtomically
#   w2v-txt   vectors-train --out v.vec (word2vec-txt)   WordVectors writeAtomically
#   convert   vectors-convert --in v.bin --out c.txt     WordVectors writeAtomically
#   export    export --model M --out FOLDER              AtomicFolder + AtomicFile (Encoder)
#   pretrain  pretrain --resume --out CKPT --export DIR  AtomicFolder (checkpoint) + ModelFolder.save
# Each scenario first makes the "old" state (a complete earlier output) and the "new" state (the
# same command run to completion elsewhere: the writers are deterministic with one thread and a
# seed), fingerprinted with sha256 (a folder: every file's path and hash). Each trial restores the
# old state, starts the writer, and kills it either as soon as its temporary file/folder appears
# plus a random part of the write window measured for that writer (two trials in three: kills that
# land during the write), or at a uniform random time over the writer's whole run (one in three).
# Then:
#   torn      the target is neither the old nor the new fingerprint (includes: missing);
#   leftover  hidden temporaries (.NAME.tmp-…/.NAME.old-…) beside the target after the kill;
#   rerun     the same command run again to completion must give the new state, and leave no
#             temporaries (stale ones of killed writers are swept by the next write).
# Prints one line per trial and a summary; exits non-zero if anything was torn or a rerun failed.
# Not handled: power loss (that needs fsync ordering checks on a real disk, not kill -9).
set -uo pipefail
N=${1:-60}
SCENARIOS=(${2:-bpe w2v-bin w2v-txt convert export pretrain})
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.build-rel/release/tinyencoder}
WORK=${WORK:-$(mktemp -d /tmp/kill-test-XXXXXX)}
mkdir -p "$WORK"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
if [ ! -x "$BIN" ]; then
    (cd "$ROOT" && swift build -c release --scratch-path "$ROOT/.build-rel" --product tinyencoder >/dev/null) || exit 2
fi
CORPUS=$ROOT/Tests/Fixtures/Pretraining/corpus-slice.txt
# A larger corpus makes the vector files large enough (MBs) that writes take a while.
BIG=$WORK/corpus.txt
for _ in 1 2; do cat "$CORPUS"; done >"$BIG"

# The fingerprint of a file or folder (every regular file's path and content), or "missing".
# A checkpoint's trainer_state.json is taken without "trainingSeconds" (wall-clock time).
fingerprint() {
    if [ -d "$1" ]; then
        (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' f; do
            if [ "${f##*/}" = trainer_state.json ]; then
                echo "$f $(grep -v '"trainingSeconds"' "$f" | sha256sum)"
            else
                echo "$f $(sha256sum <"$f")"
            fi
        done) | sha256sum | cut -c1-16
    elif [ -f "$1" ]; then
        sha256sum <"$1" | cut -c1-16
    else
        echo missing
    fi
}
# Hidden temporaries of any writer beside $1 (AtomicFile, AtomicFolder, the tokenizer and vector
# writers), and those of a folder written inside a temporary folder (a checkpoint's model folder).
leftovers() {
    local parent name
    parent=$(dirname "$1") name=$(basename "$1")
    (cd "$parent" && ls -d ".$name".tmp-* ".$name".old-* "..$name".tmp-* 2>/dev/null | wc -l)
}
now_ms() { date +%s%3N; }

# Per scenario: TARGET (the path replaced), TEMP_GLOB (its temporary), setup_old (makes the old
# state at TARGET), command NEW_CMD (writes the new state to TARGET).
scenario() {
    local s=$1 dir=$WORK/$1
    mkdir -p "$dir"
    case $s in
    bpe)
        TARGET=$dir/tokenizer.json
        OLD_CMD=("$BIN" bpe-train --corpus "$CORPUS" --vocab-size 400 --out "$TARGET" --quiet)
        NEW_CMD=("$BIN" bpe-train --corpus "$BIG" --vocab-size 3000 --out "$TARGET" --force --threads 1 --quiet)
        ;;
    w2v-bin)
        TARGET=$dir/vectors.bin
        OLD_CMD=("$BIN" vectors-train --algorithm skipgram --corpus "$CORPUS" --out "$TARGET" --dim 16 --epochs 1 --threads 1 --seed 1 --min-count 1 --quiet)
        NEW_CMD=("$BIN" vectors-train --algorithm cbow --corpus "$BIG" --out "$TARGET" --force --dim 100 --epochs 1 --threads 1 --seed 2 --min-count 1 --quiet)
        ;;
    w2v-txt)
        TARGET=$dir/vectors.vec
        OLD_CMD=("$BIN" vectors-train --algorithm skipgram --corpus "$CORPUS" --out "$TARGET" --dim 16 --epochs 1 --threads 1 --seed 1 --min-count 1 --quiet)
        NEW_CMD=("$BIN" vectors-train --algorithm cbow --corpus "$BIG" --out "$TARGET" --force --dim 50 --epochs 1 --threads 1 --seed 2 --min-count 1 --quiet)
        ;;
    convert)
        TARGET=$dir/converted.txt
        [ -f "$dir/source.bin" ] || "$BIN" vectors-train --algorithm cbow --corpus "$BIG" --out "$dir/source.bin" --dim 100 --epochs 1 \
            --threads 1 --seed 3 --min-count 1 --quiet >/dev/null
        OLD_CMD=("$BIN" vectors-train --algorithm skipgram --corpus "$CORPUS" --out "$TARGET" --format glove-txt --dim 8 --epochs 1 --threads 1 --seed 1 --quiet)
        NEW_CMD=("$BIN" vectors-convert --in "$dir/source.bin" --out "$TARGET" --force --out-format word2vec-txt)
        ;;
    export)
        TARGET=$dir/exported
        if [ ! -d "$dir/model-a" ]; then
            "$BIN" bpe-train --corpus "$CORPUS" --vocab-size 2000 --out "$dir/tokenizer.json" --quiet >/dev/null
            # BERT's layout (learned positions, post-LN): export refuses the others.
            cat >"$dir/config.json" <<'JSON'
{"vocab_size": 2000, "hidden_size": 256, "num_hidden_layers": 4, "num_attention_heads": 4, "intermediate_size": 1024,
 "hidden_act": "gelu", "max_position_embeddings": 128, "type_vocab_size": 2, "position_embedding_type": "absolute"}
JSON
            for m in a b; do
                "$BIN" pretrain --corpus "$CORPUS" --tokenizer "$dir/tokenizer.json" --config "$dir/config.json" \
                    --seq 32 --batch 4 --steps 1 --init-seed $([ $m = a ] && echo 1 || echo 2) --threads 1 --quiet \
                    --out "$dir/ckpt-$m" --export "$dir/model-$m" >/dev/null || return 1
            done
        fi
        OLD_CMD=("$BIN" export --model "$dir/model-a" --out "$TARGET")
        NEW_CMD=("$BIN" export --model "$dir/model-b" --out "$TARGET" --force --mlm-head)
        ;;
    pretrain)
        TARGET=$dir/checkpoint
        [ -f "$dir/tokenizer.json" ] || "$BIN" bpe-train --corpus "$CORPUS" --vocab-size 2000 --out "$dir/tokenizer.json" --quiet >/dev/null
        PRETRAIN=(--corpus "$CORPUS" --tokenizer "$dir/tokenizer.json" --preset small --seq 32 --batch 4 --seed 7 --threads 1 --quiet)
        OLD_CMD=("$BIN" pretrain "${PRETRAIN[@]}" --steps 2 --checkpoint-every 2 --out "$TARGET")
        NEW_CMD=("$BIN" pretrain "${PRETRAIN[@]}" --steps 4 --checkpoint-every 100 --out "$TARGET" --resume)
        ;;
    esac
    TEMP_GLOB="$(dirname "$TARGET")/.$(basename "$TARGET").tmp-*"
    # The old state, kept aside to restore before every trial.
    rm -rf "$TARGET" "$dir/old"
    "${OLD_CMD[@]}" >/dev/null || { echo "$s: the old-state command failed"; return 1; }
    cp -a "$TARGET" "$dir/old"
    OLD_PRINT=$(fingerprint "$TARGET")
    # The new state: twice from the old one, to check the writer is deterministic, and timed.
    local start end second
    start=$(now_ms)
    "${NEW_CMD[@]}" >/dev/null || { echo "$s: the new-state command failed"; return 1; }
    end=$(now_ms)
    NEW_PRINT=$(fingerprint "$TARGET")
    RUN_MS=$((end - start))
    # The second run also measures the write window: from the temporary's appearance to the exit.
    restore
    "${NEW_CMD[@]}" >/dev/null &
    local pid=$! appeared=""
    while kill -0 "$pid" 2>/dev/null; do
        [ -z "$appeared" ] && compgen -G "$TEMP_GLOB" >/dev/null && appeared=$(now_ms)
        sleep 0.001
    done
    wait "$pid"
    end=$(now_ms)
    WRITE_MS=${WRITE_MS_OVERRIDE:-$(( ${appeared:-$end} < end ? end - ${appeared:-$end} : 1 ))}
    second=$(fingerprint "$TARGET")
    [ "$second" = "$NEW_PRINT" ] || { echo "$s: the writer is not deterministic ($NEW_PRINT, then $second)"; return 1; }
    [ "$OLD_PRINT" != "$NEW_PRINT" ] || { echo "$s: old and new states are the same"; return 1; }
    echo "$s: target $(basename "$TARGET"), old $OLD_PRINT, new $NEW_PRINT ($(du -sh "$TARGET" | cut -f1)), run ${RUN_MS} ms, write window ~${WRITE_MS} ms"
}
restore() {
    local parent name
    parent=$(dirname "$TARGET") name=$(basename "$TARGET")
    rm -rf "$TARGET" "$parent/.$name".tmp-* "$parent/.$name".old-* "$parent/..$name".tmp-*
    cp -a "$(dirname "$TARGET")/old" "$TARGET"
}

declare -A torn_by kills_by during_by leftover_by rerun_fail_by
torn=0 during=0 left_total=0 rerun_failures=0 trials=0
RANDOM=${SEED:-42}
per=$(( (N + ${#SCENARIOS[@]} - 1) / ${#SCENARIOS[@]} ))
for s in "${SCENARIOS[@]}"; do
    [ "$trials" -ge "$N" ] && break
    scenario "$s" || exit 2
    for k in $(seq 1 "$per"); do
        [ "$trials" -ge "$N" ] && break
        trials=$((trials + 1))
        restore
        "${NEW_CMD[@]}" >/dev/null 2>&1 &
        pid=$!
        if [ $((k % 3)) -ne 0 ]; then
            mode="at-write"
            until compgen -G "$TEMP_GLOB" >/dev/null || ! kill -0 "$pid" 2>/dev/null; do sleep 0.001; done
            delay=$((RANDOM % (WRITE_MS + 1)))
        else
            mode="uniform"
            delay=$((RANDOM % (RUN_MS + 1)))
        fi
        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
        writing=no
        compgen -G "$TEMP_GLOB" >/dev/null && writing=yes
        alive=yes
        kill -9 "$pid" 2>/dev/null || alive=no
        wait "$pid" 2>/dev/null
        print=$(fingerprint "$TARGET")
        if [ "$print" = "$OLD_PRINT" ]; then state=old
        elif [ "$print" = "$NEW_PRINT" ]; then state=new
        else state="TORN($print)"; torn=$((torn + 1)); torn_by[$s]=$(( ${torn_by[$s]:-0} + 1 ))
        fi
        left=$(leftovers "$TARGET")
        left_total=$((left_total + left))
        [ "$writing" = yes ] && { during=$((during + 1)); during_by[$s]=$(( ${during_by[$s]:-0} + 1 )); }
        kills_by[$s]=$(( ${kills_by[$s]:-0} + 1 ))
        leftover_by[$s]=$(( ${leftover_by[$s]:-0} + left ))
        # A later run, with what the killed one left, must finish and leave only the target.
        rerun=ok
        if ! "${NEW_CMD[@]}" >/dev/null 2>"$WORK/rerun.err"; then rerun="FAILED: $(head -c 200 "$WORK/rerun.err")"
        elif [ "$(fingerprint "$TARGET")" != "$NEW_PRINT" ]; then rerun="FAILED: different result"
        elif [ "$(leftovers "$TARGET")" -ne 0 ]; then rerun="FAILED: $(leftovers "$TARGET") temporaries remain"
        fi
        [ "$rerun" = ok ] || { rerun_failures=$((rerun_failures + 1)); rerun_fail_by[$s]=$(( ${rerun_fail_by[$s]:-0} + 1 )); }
        echo "trial $trials $s: kill $mode +${delay} ms (process alive: $alive, temporary present: $writing) → $state, leftovers $left, rerun $rerun"
    done
done
echo
echo "scenario   kills  during-write  torn  leftovers  rerun-failures"
for s in "${SCENARIOS[@]}"; do
    [ -n "${kills_by[$s]:-}" ] || continue
    printf '%-10s %5d  %12d  %4d  %9d  %14d\n' "$s" "${kills_by[$s]}" "${during_by[$s]:-0}" "${torn_by[$s]:-0}" "${leftover_by[$s]:-0}" "${rerun_fail_by[$s]:-0}"
done
echo "summary: N=$trials kills, $during while a temporary existed, torn=$torn, leftovers after kills=$left_total, rerun failures=$rerun_failures"
[ "$torn" -eq 0 ] && [ "$rerun_failures" -eq 0 ]
