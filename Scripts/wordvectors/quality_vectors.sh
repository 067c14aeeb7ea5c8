#!/bin/bash
# Quality of TinyEncoder's word vectors against the peers on the same corpus and hyper-parameters:
# WordSim-353 Spearman and Google-analogy accuracy, every vector file scored by gensim's evaluator
# (eval_with_gensim.py) and by ours (tinyencoder vectors-eval), plus peak RSS of our trainers.
# usage: Scripts/wordvectors/quality_vectors.sh CORPUS OUTDIR ALGORITHM... [THREADS=2 env]
#   ALGORITHM: skipgram cbow (3 epochs, vs Scripts/peers/gensim_vectors.py), fasttext (1 epoch, vs
#   Scripts/peers/fasttext_vectors.py), glove (15 iterations, window 10, x-max 10, vs
#   Scripts/peers/glove_c.sh), svd (ours only)
# Environment: PEER_PYTHON (Scripts/peers/README.md), DATA_DIR (the folder with wordsim353.tsv and
#   questions-words.txt; default Tests/Fixtures/WordVectors, which holds both), and for glove
#   GLOVE_BUILD (the build folder of the GloVe C tools, made outside the repository). Needs a release build.
set -uo pipefail
[ $# -ge 3 ] || { sed -n '2,13p' "$0"; exit 2; }
corpus=$1 out=$2; shift 2
threads=${THREADS:-2}
here=$(cd "$(dirname "$0")/../.." && pwd)
ours=${TINYENCODER:-$here/.build/release/tinyencoder}
peers=$here/Scripts/peers
data=${DATA_DIR:-$here/Tests/Fixtures/WordVectors}
glove=${GLOVE_BUILD:-}
py=${PEER_PYTHON:-python3}
evaluate="$py $here/Scripts/wordvectors/eval_with_gensim.py"
mkdir -p "$out"
for algorithm in "$@"; do
  case $algorithm in
    skipgram|cbow) extra=(--epochs 3);;
    fasttext) extra=(--epochs 1);;
    glove) extra=(--epochs 15 --window 10 --x-max 10 --memory-mib 4096);;
    svd) extra=();;
  esac
  /usr/bin/time -f "peak_rss_kib=%M wall=%e" "$ours" vectors-train --algorithm "$algorithm" --corpus "$corpus" \
      --out "$out/ours-$algorithm.bin" --threads "$threads" --quiet "${extra[@]}" 2> "$out/ours-$algorithm.time" | tee "$out/ours-$algorithm.log"
  tail -1 "$out/ours-$algorithm.time"
  "$ours" vectors-eval --vectors "$out/ours-$algorithm.bin" --word-pairs "$data/wordsim353.tsv" --analogies "$data/questions-words.txt"
  echo "gensim evaluator on ours:"; $evaluate "$out/ours-$algorithm.bin" --data "$data" | tail -1
  echo "peer:"
  case $algorithm in
    skipgram) $py "$peers/gensim_vectors.py" "$corpus" word2vec --sg 1 --epochs 3 --threads "$threads" --data-dir "$data" 2>/dev/null;;
    cbow) $py "$peers/gensim_vectors.py" "$corpus" word2vec --sg 0 --epochs 3 --threads "$threads" --data-dir "$data" 2>/dev/null;;
    fasttext) $py "$peers/fasttext_vectors.py" "$corpus" --threads "$threads" --data-dir "$data" --out "$out/peer-fasttext" 2>/dev/null
              $evaluate "$out/peer-fasttext.bin" --format fasttext-bin --data "$data" | tail -1;;
    glove) [ -n "$glove" ] || { echo "quality_vectors.sh: set GLOVE_BUILD to the GloVe C build folder" >&2; continue; }
           log=$(bash "$peers/glove_c.sh" "$glove" "$corpus" 100 15 "$threads"); echo "$log"
           vectors=$(echo "$log" | sed -n 's/^vectors: //p'); cp "$vectors" "$out/peer-glove.txt"; rm -rf "$(dirname "$vectors")"
           $evaluate "$out/peer-glove.txt" --format glove-txt --data "$data" | tail -1;;
    svd) echo "(no peer)";;
  esac
done
