#!/usr/bin/env bash
# bench-gemm.sh: SGEMM throughput of TinyEncoder against numpy/OpenBLAS, run alternately
# (peer, ours, peer, ours, ...) and summarised per shape as the median GFLOP/s of each, the
# ratio of medians (ours / peer) and the spread (min-max) as a noise indicator.
#
# usage: Scripts/bench-gemm.sh [--runs N] [--threads T] [--transpose-b] [--cpu-time] [--path NAME ...] [M,N,K ...]
#   --runs N       alternations (default 5; at least 3)
#   --threads T    OPENBLAS_NUM_THREADS for the peer and --threads for ours (default 1)
#   --transpose-b  B stored [n, k] in both (x·Wᵀ, the Linear layer's product)
#   --cpu-time     one thread only: both sides divide by their thread's CPU time, not wall time
#                  (the peer runs Scripts/peers/numpy_gemm.py --cpu-time; for busy machines)
#   --path NAME    run ours on this CKernels path (repeatable: each path is one more column,
#                  alternated with the others and the peer; default: the detected path)
#   M,N,K          shapes (default: the eight shapes both sides use by default)
# Environment: PEER_PYTHON (the interpreter with numpy, see Scripts/peers/README.md; default python3),
# TINYENCODER (default .build/release/tinyencoder, built with `swift build -c release` if missing).
# The peer is Scripts/peers/numpy_gemm.py.
# Not handled: pinning threads to cores, frequency scaling; run it on an otherwise idle machine.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs=5
threads=1
transpose=()
shapes=()
cpu_time=0
paths=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --transpose-b) transpose=(--transpose-b); shift ;;
        --cpu-time) cpu_time=1; shift ;;
        --path) paths+=("$2"); shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *,*,*) shapes+=("$1"); shift ;;
        *) echo "bench-gemm.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$runs" =~ ^[0-9]+$ && "$runs" -ge 3 ]] || { echo "bench-gemm.sh: --runs must be a whole number >= 3, got '$runs'" >&2; exit 2; }
[[ "$threads" =~ ^[0-9]+$ && "$threads" -ge 1 ]] || { echo "bench-gemm.sh: --threads must be a positive whole number, got '$threads'" >&2; exit 2; }
[[ "$cpu_time" == 0 || "$threads" == 1 ]] || { echo "bench-gemm.sh: --cpu-time needs --threads 1" >&2; exit 2; }

python="${PEER_PYTHON:-python3}"
peer="$repo/Scripts/peers/numpy_gemm.py"
"$python" -c 'import numpy' 2>/dev/null || { echo "bench-gemm.sh: $python has no numpy; set PEER_PYTHON (Scripts/peers/README.md)" >&2; exit 2; }
ours="${TINYENCODER:-$repo/.build/release/tinyencoder}"
if [[ ! -x "$ours" ]]; then (cd "$repo" && swift build -c release --product tinyencoder >&2); fi

load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# Each result line is tagged "peer" or "ours" and reduced to "tag m,n,k gflops".
for ((run = 1; run <= runs; run++)); do
    echo "run $run/$runs: peer" >&2
    if [[ "$cpu_time" == 1 ]]; then
        OPENBLAS_NUM_THREADS=1 "$python" "$peer" --cpu-time "${transpose[@]}" "${shapes[@]}"
    else
        OPENBLAS_NUM_THREADS="$threads" "$python" "$peer" "${transpose[@]}" "${shapes[@]}"
    fi |
        sed -n 's/^m=\([0-9]*\) n=\([0-9]*\) k=\([0-9]*\) .*gflops=\([0-9.]*\).*/peer \1,\2,\3 \4/p' >> "$log"
    clock=()
    [[ "$cpu_time" == 1 ]] && clock=(--cpu-time)
    for path in "${paths[@]:-detected}"; do
        echo "run $run/$runs: ours ($path)" >&2
        path_option=()
        [[ "$path" != detected ]] && path_option=(--path "$path")
        "$ours" bench gemm --threads "$threads" "${path_option[@]}" "${clock[@]}" "${transpose[@]}" "${shapes[@]/#/--sizes=}" |
            sed -n "s/^m=\([0-9]*\) n=\([0-9]*\) k=\([0-9]*\) .*gflops=\([0-9.]*\).*/ours:$path \1,\2,\3 \4/p" >> "$log"
    done
done

load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "threads=$threads transpose_b=$([[ ${#transpose[@]} -gt 0 ]] && echo 1 || echo 0) runs=$runs clock=$([[ $cpu_time == 1 ]] && echo cpu || echo wall) (GFLOP/s; median [min-max])"
echo "load average before: $load_before; after: $load_after (cores: $(nproc 2>/dev/null || echo '?'))"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | xargs)"
awk '
    function median(list,    n, values, i, j, t) {
        n = split(list, values, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && values[j - 1] + 0 > values[j] + 0; j--) {
            t = values[j]; values[j] = values[j - 1]; values[j - 1] = t
        }
        low = values[1]; high = values[n]
        return n % 2 ? values[(n + 1) / 2] : (values[n / 2] + values[n / 2 + 1]) / 2
    }
    {
        if (!($2 in seen)) { seen[$2] = 1; order[++count] = $2 }
        if ($1 != "peer" && !($1 in known)) { known[$1] = 1; tags[++tagCount] = $1 }
        runs[$1, $2] = runs[$1, $2] " " $3
    }
    END {
        printf "%-16s %-22s", "m,n,k", "peer (OpenBLAS)"
        for (t = 1; t <= tagCount; t++) printf " %-22s %-6s", tags[t], "ratio"
        printf "\n"
        for (i = 1; i <= count; i++) {
            shape = order[i]
            p = median(runs["peer", shape])
            printf "%-16s %6.1f [%5.1f-%5.1f]  ", shape, p, low, high
            for (t = 1; t <= tagCount; t++) {
                o = median(runs[tags[t], shape])
                printf " %6.1f [%5.1f-%5.1f]   %.2f  ", o, low, high, (p > 0 ? o / p : 0)
            }
            printf "\n"
        }
    }' "$log"
