#!/usr/bin/env bash
# Peer driver: the original GloVe C tools (github.com/stanfordnlp/GloVe; clone it and run `make`
# outside this repository), timed in two parts: counting (vocab_count, cooccur, shuffle) and training.
#
# usage: Scripts/peers/glove_c.sh GLOVE_BUILD_DIR CORPUS [DIM=100] [ITERATIONS=15] [THREADS=2] [OUT_DIR]
#   GLOVE_BUILD_DIR  the folder holding vocab_count, cooccur, shuffle and glove (GloVe's build/)
#   OUT_DIR          where vectors.txt and the intermediate files go (default: a new temporary
#                    folder; it holds ~600 MB for a 40 MB corpus, so remove it when done)
# Settings as `tinyencoder vectors-train --algorithm glove --window 10 --x-max 10`: min-count 5,
# symmetric window 10, x_max 10 (the paper's 100 suits billion-word corpora), 4 GB of memory.
# The corpus is first rewritten with the words of wordrule.py (untimed), using $PEER_PYTHON or python3.
# Prints "glove: counting+cooccur+shuffle C s, training I iters T s" and "vectors: OUT_DIR/vectors.txt".
# Not handled: GloVe's binary output, its asymmetric window.
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '2,14p' "$0"; exit 2; }
build=$1 corpus=$2 dim=${3:-100} iterations=${4:-15} threads=${5:-2}
out=${6:-$(mktemp -d -t glove-c.XXXXXX)}
here=$(cd "$(dirname "$0")" && pwd)
python=${PEER_PYTHON:-python3}
for tool in vocab_count cooccur shuffle glove; do
    [[ -x "$build/$tool" ]] || { echo "glove_c.sh: $build/$tool not found: pass GloVe's build folder (make it with 'make' in a clone of stanfordnlp/GloVe)" >&2; exit 2; }
done
mkdir -p "$out"
PYTHONPATH="$here" "$python" -c '
import sys
from wordrule import words
with open(sys.argv[1], encoding="utf-8") as source, open(sys.argv[2], "w", encoding="utf-8") as plain:
    for line in source:
        plain.write(" ".join(words(line)) + "\n")' "$corpus" "$out/corpus.txt"
now() { date +%s.%N; }
start=$(now)
"$build/vocab_count" -min-count 5 -verbose 0 < "$out/corpus.txt" > "$out/vocab.txt"
"$build/cooccur" -memory 4.0 -vocab-file "$out/vocab.txt" -window-size 10 -verbose 0 < "$out/corpus.txt" > "$out/cooccurrence.bin"
"$build/shuffle" -memory 4.0 -verbose 0 < "$out/cooccurrence.bin" > "$out/cooccurrence.shuffled.bin"
counted=$(now)
"$build/glove" -input-file "$out/cooccurrence.shuffled.bin" -vocab-file "$out/vocab.txt" -save-file "$out/vectors" \
    -vector-size "$dim" -iter "$iterations" -x-max 10 -threads "$threads" -binary 0 -verbose 0
trained=$(now)
awk -v a="$start" -v b="$counted" -v c="$trained" -v n="$iterations" \
    'BEGIN { printf "glove: counting+cooccur+shuffle %.1f s, training %d iters %.1f s\n", b - a, n, c - b }'
echo "vectors: $out/vectors.txt"
