#!/usr/bin/env bash
# Cuts the small corpus slice committed for the pretraining example and the resume test:
# every 240th line of the English corpus (Scripts/peers/README.md) whose length is 40–400 bytes, so all four sources
# (WordNet glosses, GCIDE, the Python docs, Wikipedia) appear. About 170 KB.
# usage: Scripts/make_pretraining_slice.sh CORPUS [OUT]
set -euo pipefail
CORPUS=${1:?usage: Scripts/make_pretraining_slice.sh CORPUS [OUT]}
OUT=${2:-$(dirname "$0")/../Tests/Fixtures/Pretraining/corpus-slice.txt}
awk 'NR % 240 == 0 && length($0) >= 40 && length($0) <= 400' "$CORPUS" > "$OUT"
wc -c -l "$OUT"
