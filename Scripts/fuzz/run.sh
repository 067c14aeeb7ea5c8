#!/usr/bin/env bash
# Builds the libFuzzer harnesses (release, with the fuzzer and address sanitizers) and runs them
# one at a time, each until it has made MAX_RUNS executions or MAX_SECONDS have passed, whichever
# comes first. Seeds are made from real files by make_seeds.py; the growing corpus, crashes and
# logs stay in Scripts/fuzz/out/ (ignored by git). Never part of the main package build.
#
#   Scripts/fuzz/run.sh                      build, make seeds, run every harness
#   Scripts/fuzz/run.sh fuzz-safetensors …   only these harnesses
#   Scripts/fuzz/run.sh --build [HARNESS…]   only build (all, or these harnesses)
#   Scripts/fuzz/run.sh --minimize HARNESS CRASH_FILE   shrink a crashing input (out/minimized/)
#   Scripts/fuzz/run.sh --replay HARNESS FILE…          run the harness once on each file
#
# Environment: MAX_SECONDS (default 1800), MAX_RUNS (default 10000000), RSS_MIB (default 2048: a
# parser that tries to allocate more than this for a small input is reported as a crash), TIMEOUT
# (seconds of wall clock for one input, default 25; raise it when several harnesses share the
# cores, and never SIGSTOP a harness: the pause counts, and it then reports a false timeout),
# EXPLORE=1 (keep going after a crash, in libFuzzer's fork mode, to collect several bugs at once),
# NO_BUILD=1 (run the harnesses as built, e.g. while the sources are being edited), BUILD_DIR
# (SwiftPM scratch path, default Scripts/fuzz/.build), EXTRA_FLAGS (more libFuzzer flags).
# On a shared machine run it as `nice -n 19 Scripts/fuzz/run.sh`.
# Not handled: parallel jobs (the build machine has two shared cores; one harness at a time).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/out"
BUILD_DIR="${BUILD_DIR:-$HERE/.build}"
MAX_SECONDS="${MAX_SECONDS:-1800}"
MAX_RUNS="${MAX_RUNS:-10000000}"
RSS_MIB="${RSS_MIB:-2048}"
TIMEOUT="${TIMEOUT:-25}"
ALL=(fuzz-safetensors fuzz-tokenizer-json fuzz-vocab-merges fuzz-vocab-txt fuzz-word2vec-bin fuzz-word2vec-txt
     fuzz-fasttext-bin fuzz-config-json fuzz-model-folder fuzz-arguments fuzz-lines)
# Swift keeps some process-wide caches alive until exit; they are not leaks of a parser.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=0}"

# `--sanitize=fuzzer --sanitize=address` makes SwiftPM link both runtimes and instrument the C
# target for both, but it hands swiftc two separate -sanitize= flags and the Swift frontend keeps
# only the last: Swift code would get AddressSanitizer and no coverage. The -Xswiftc flag, which
# comes after them, asks for both in one flag.
# SwiftPM does not always recompile a harness when a struct it uses from the main package changes
# size (seen here: a stale fuzz-model-folder copied the new, larger ModelFolder into the old stack
# slot, and AddressSanitizer reported a stack-buffer-overflow that was no bug of the parser). The
# harnesses are small, so their objects are always rebuilt.
# With harness names, only those products (and the modules they need) are built.
build() {
    rm -rf "$BUILD_DIR"/*/release/fuzz_*.build
    # …and the build plan that names their output-file maps, or SwiftPM may skip re-planning and
    # fail with "unable to load output file map".
    rm -f "$BUILD_DIR"/release.yaml
    local products=("")
    [ $# -gt 0 ] && products=("$@")
    for product in "${products[@]}"; do
        (cd "$HERE" && swift build --scratch-path "$BUILD_DIR" -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address \
            ${product:+--product "$product"} 2>&1 | grep -v "Cannot export local symbol" | tail -n 3)
    done
}

binary() { echo "$BUILD_DIR/release/$1"; }

case "${1:-}" in
--build)
    shift
    build "$@"
    exit 0
    ;;
--minimize)
    harness="$2" crash="$3"
    mkdir -p "$OUT/minimized"
    "$(binary "$harness")" -minimize_crash=1 -runs=20000 -rss_limit_mb="$RSS_MIB" \
        -exact_artifact_path="$OUT/minimized/$harness-$(basename "$crash")" "$crash"
    echo "minimized: $OUT/minimized/$harness-$(basename "$crash")"
    exit 0
    ;;
--replay)
    harness="$2"
    shift 2
    "$(binary "$harness")" -rss_limit_mb="$RSS_MIB" "$@"
    exit 0
    ;;
esac

harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=("${ALL[@]}")
[ "${NO_BUILD:-0}" = 1 ] || build "$@"
python3 "$HERE/make_seeds.py"
explore=()
[ "${EXPLORE:-0}" = 1 ] && explore=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
mkdir -p "$OUT/logs"
for harness in "${harnesses[@]}"; do
    mkdir -p "$OUT/corpus/$harness" "$OUT/crashes/$harness"
    log="$OUT/logs/$harness.log"
    echo "== $harness (up to $MAX_RUNS executions or $MAX_SECONDS s); log: $log"
    status=0
    "$(binary "$harness")" "$OUT/corpus/$harness" "$OUT/seeds/$harness" \
        -runs="$MAX_RUNS" -max_total_time="$MAX_SECONDS" -rss_limit_mb="$RSS_MIB" -malloc_limit_mb="$RSS_MIB" \
        -timeout="$TIMEOUT" -max_len=65536 -print_final_stats=1 "${explore[@]}" ${EXTRA_FLAGS:-} \
        -artifact_prefix="$OUT/crashes/$harness/" >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
    if [ "$status" -eq 0 ]; then
        echo "$harness: executions=$runs execs_per_s=$speed $coverage crashes=0"
    else
        echo "$harness: executions=$runs execs_per_s=$speed $coverage FAILED (status $status); artifacts in $OUT/crashes/$harness/"
        grep -m 3 -E "ERROR|Fatal error|property violated|deadly signal|out-of-memory|timeout" "$log" || true
    fi
done
