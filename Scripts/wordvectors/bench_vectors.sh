#!/bin/bash
# Speed of TinyEncoder's word-vector trainers against the peers, run alternately (peer, ours, peer,
# ours, …) on the same corpus and thread count, reporting every run and the ratio of medians.
# usage: Scripts/wordvectors/bench_vectors.sh CORPUS ALGORITHM [RUNS] [THREADS] [GLOVE_BUILD_DIR]
#   ALGORITHM: skipgram | cbow (EPOCHS=3 epochs, vs Scripts/peers/gensim_vectors.py), fasttext
#   (1 epoch, vs Scripts/peers/fasttext_vectors.py), glove (GLOVE_ITERS=5 iterations, training time
#   vs Scripts/peers/glove_c.sh; counting apart; needs GLOVE_BUILD_DIR, the build folder of the GloVe
#   C tools). On a loaded machine, EPOCHS=1 and GLOVE_ITERS=2 keep a run short.
# Needs PEER_PYTHON (Scripts/peers/README.md) and a release build (swift build -c release).
# Prints every run and "median_ours= median_peer= ratio=".
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,11p' "$0"; exit 2; }
corpus=$1 algorithm=$2 runs=${3:-3} threads=${4:-2} glove=${5:-}
here=$(cd "$(dirname "$0")/../.." && pwd)
ours=${TINYENCODER:-$here/.build/release/tinyencoder}
peers=$here/Scripts/peers
py=${PEER_PYTHON:-python3}
epochs=${EPOCHS:-3} iters=${GLOVE_ITERS:-5}
ours_rates=() peer_rates=()
if [ "$algorithm" = glove ]; then   # corpus words by the rule of Scripts/peers/wordrule.py, for GloVe C's words/s
  [ -n "$glove" ] || { echo "bench_vectors.sh: glove needs the GloVe C build folder as the 5th argument" >&2; exit 2; }
  words=$(PYTHONPATH="$peers" python3 -c "import sys; from wordrule import words; print(sum(len(words(l)) for l in open(sys.argv[1], encoding='utf-8')))" "$corpus")
fi
for run in $(seq 1 "$runs"); do
  case $algorithm in
    skipgram|cbow)
      sg=$([ "$algorithm" = skipgram ] && echo 1 || echo 0)
      output=$($py "$peers/gensim_vectors.py" "$corpus" word2vec --sg "$sg" --epochs "$epochs" --threads "$threads" 2>/dev/null)
      line=$(echo "$output" | head -1)
      peer=$(echo "$line" | sed -E 's/.* ([0-9,]+) words\/s.*/\1/' | tr -d ,)
      mine=$("$ours" bench vectors --corpus "$corpus" --algorithm "$algorithm" --epochs "$epochs" --threads "$threads");;
    fasttext)
      output=$($py "$peers/fasttext_vectors.py" "$corpus" --threads "$threads" 2>/dev/null)
      line=$(echo "$output" | head -1)
      peer=$(echo "$line" | sed -E 's/.* ([0-9,]+) words\/s.*/\1/' | tr -d ,)
      mine=$("$ours" bench vectors --corpus "$corpus" --algorithm fasttext --epochs 1 --threads "$threads");;
    glove)
      output=$(bash "$peers/glove_c.sh" "$glove" "$corpus" 100 "$iters" "$threads")
      line=$(echo "$output" | grep '^glove:')
      # glove_c.sh leaves its work folder (~600 MB) behind: remove it.
      vectors=$(echo "$output" | sed -n 's/^vectors: //p'); [ -n "$vectors" ] && rm -rf "$(dirname "$vectors")"
      seconds=$(echo "$line" | sed -E 's/.*training [0-9]+ iters ([0-9.]+) s.*/\1/')
      peer=$(python3 -c "print(round($words * $iters / $seconds))")
      mine=$("$ours" bench vectors --corpus "$corpus" --algorithm glove --epochs "$iters" --threads "$threads");;
    *) echo "unknown algorithm $algorithm" >&2; exit 2;;
  esac
  rate=$(echo "$mine" | sed -nE 's/.* words_per_s=([0-9]+).*/\1/p' | tail -1)   # the result line, after the machine line
  echo "run=$run peer: $line"
  echo "run=$run ours: $mine"
  ours_rates+=("$rate"); peer_rates+=("$peer")
done
python3 - "${ours_rates[*]}" "${peer_rates[*]}" "$algorithm" "$threads" <<'PY'
import statistics, sys
ours = [float(x) for x in sys.argv[1].split()]; peer = [float(x) for x in sys.argv[2].split()]
mo, mp = statistics.median(ours), statistics.median(peer)
print(f"algorithm={sys.argv[3]} threads={sys.argv[4]} runs={len(ours)} median_ours={mo:.0f} median_peer={mp:.0f} "
      f"ratio={mo/mp:.2f} ours_range={min(ours):.0f}-{max(ours):.0f} peer_range={min(peer):.0f}-{max(peer):.0f}")
PY
