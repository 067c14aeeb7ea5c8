#!/usr/bin/env bash
# bench-all.sh: every side-by-side figure of Docs/Benchmarks.md in one run. Each comparison runs
# the peer and TinyEncoder alternately RUNS times (Scripts/bench-alternate.py, or bench-gemm.sh for
# the GEMM table) and prints the medians and their ratio. Output goes to stdout; keep it with `tee`.
#   usage: Scripts/bench-all.sh [gemm] [encoder] [train] [embed]   (default: all; the tokenizer and
#   word-vector comparisons have their own drivers in Scripts/tokenization and Scripts/wordvectors)
# Environment: RUNS (5), PEER_PYTHON (the interpreter set up by Scripts/peers/README.md; default
#   python3), TINYENCODER (.build/release/tinyencoder), and for embed: MINILM (the all-MiniLM-L6-v2
#   folder), SENTENCES (2,000 lines to embed) or CORPUS (the English corpus of Scripts/peers/README.md;
#   SENTENCES then defaults to its lines 200,001-202,000).
# The peers are the drivers in Scripts/peers (torch_encoder.py, minilm_encode.py, numpy_gemm.py).
# Not handled: pinning to cores; run it on an otherwise idle machine, and never quote one run.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=${RUNS:-5}
PY=${PEER_PYTHON:-python3}
PEERS=$repo/Scripts/peers
BIN=${TINYENCODER:-$repo/.build/release/tinyencoder}
[ -x "$BIN" ] || (cd "$repo" && swift build -c release)
alt() { python3 "$repo/Scripts/bench-alternate.py" --runs "$RUNS" "$@"; }
kinds=${*:-gemm encoder train embed}
echo "# bench-all $(date -u +%FT%TZ) on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in $kinds; do
    case $kind in
    gemm)
        for t in 1 2; do
            "$repo/Scripts/bench-gemm.sh" --runs "$RUNS" --threads $t
            "$repo/Scripts/bench-gemm.sh" --runs "$RUNS" --threads $t --transpose-b
        done
        TINYENCODER_THREADS=1 "$BIN" bench gemm --elementwise ;;
    encoder)
        for t in 1 2; do
            alt --label "encoder forward, $t thread(s)" \
                --ours "$BIN bench encoder --threads $t" --ours-key forward_tokens_per_s \
                --peer "$PY $PEERS/torch_encoder.py --threads $t" --peer-key 'forward: ([0-9,.]+) tokens/s'
        done ;;
    train)
        alt --label "masked-LM train step, 2 threads" \
            --ours "$BIN bench train --threads 2" --ours-key train_tokens_per_s \
            --peer "$PY $PEERS/torch_encoder.py --threads 2" --peer-key 'mlm train step[^:]*: ([0-9,.]+) tokens/s'
        echo "peak memory (one run each):"
        "$BIN" bench train --threads 2 | grep -o 'peak_mib=[0-9]*'
        "$PY" "$PEERS/torch_encoder.py" --threads 2 | grep 'peak' ;;
    embed)
        : "${MINILM:?set MINILM to the all-MiniLM-L6-v2 folder}"
        if [ -z "${SENTENCES:-}" ]; then
            : "${CORPUS:?set SENTENCES to a file of sentences, or CORPUS to the corpus to take them from}"
            SENTENCES=$(mktemp)
            sed -n '200001,202000p' "$CORPUS" > "$SENTENCES"
        fi
        alt --label "all-MiniLM-L6-v2 sentences/s, 2 threads, $(wc -l < "$SENTENCES") sentences" \
            --ours "$BIN bench embed --model $MINILM --file $SENTENCES --threads 2" --ours-key sentences_per_s \
            --peer "$PY $PEERS/minilm_encode.py $SENTENCES --model $MINILM --threads 2" --peer-key '= ([0-9,.]+) sentences/s' ;;
    *) echo "bench-all.sh: unknown kind $kind (gemm, encoder, train, embed)" >&2; exit 2 ;;
    esac
done
