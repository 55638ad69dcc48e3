#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every libFuzzer target of a fuzz build for N seconds each, starting from
# a copy of its seed corpus (tests/fuzz/corpus/<name>/), so the repository is
# never modified. Prints a table and exits non-zero if any target crashed.
#
#   tests/fuzz/run-fuzzers.sh [--seconds N] [--build DIR] [--jobs J] [--keep DIR]
#                             [--only NAME]... [--configure]
#
#   --seconds N   time per target (default 20)
#   --build DIR   the fuzz build folder (default: build/fuzz, the `fuzz` preset)
#   --configure   configure and build the `fuzz` preset first
#   --only NAME   run only this target (e.g. --only manifest); may repeat
#   --keep DIR    keep the grown corpora and any crash files in DIR
#   --jobs J      run J targets at the same time (default 1)
#
# For a long run (hours), see docs/TESTING.md.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SECONDS_PER=20
BUILD=""
KEEP=""
JOBS=1
CONFIGURE=0
ONLY=()

usage() {
    sed -n '3,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}

while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) SECONDS_PER=${2:?--seconds needs a number}; shift 2 ;;
    --build) BUILD=${2:?--build needs a folder}; shift 2 ;;
    --keep) KEEP=${2:?--keep needs a folder}; shift 2 ;;
    --jobs) JOBS=${2:?--jobs needs a number}; shift 2 ;;
    --only) ONLY+=("${2:?--only needs a name}"); shift 2 ;;
    --configure) CONFIGURE=1; shift ;;
    -h | --help) usage 0 ;;
    *) echo "run-fuzzers: unknown argument $1" >&2; usage 2 ;;
    esac
done
[[ "$SECONDS_PER" =~ ^[0-9]+$ ]] && [ "$SECONDS_PER" -ge 1 ] || { echo "run-fuzzers: --seconds must be a positive number" >&2; exit 2; }
[[ "$JOBS" =~ ^[0-9]+$ ]] && [ "$JOBS" -ge 1 ] || { echo "run-fuzzers: --jobs must be a positive number" >&2; exit 2; }
[ -n "$BUILD" ] || BUILD="$SRC/build/fuzz"

if [ "$CONFIGURE" -eq 1 ]; then
    (cd "$SRC" && cmake --preset fuzz && cmake --build --preset fuzz -j"$(nproc)")
fi

targets=()
for f in "$BUILD"/fuzz-* "$BUILD"/tests/fuzz/fuzz-*; do
    [ -f "$f" ] && [ -x "$f" ] || continue
    name=$(basename "$f")
    name=${name#fuzz-}
    if [ "${#ONLY[@]}" -gt 0 ]; then
        keep=0
        for o in "${ONLY[@]}"; do
            if [ "$o" = "$name" ] || [ "$o" = "fuzz-$name" ]; then keep=1; fi
        done
        [ "$keep" -eq 1 ] || continue
    fi
    targets+=("$f")
done
if [ "${#targets[@]}" -eq 0 ]; then
    echo "run-fuzzers: no fuzz-* binaries in $BUILD (build the fuzz preset: cmake --preset fuzz && cmake --build --preset fuzz)" >&2
    exit 2
fi
# Every fuzz-*.c source must have been built.
for s in "$SRC"/tests/fuzz/fuzz-*.c; do
    n=$(basename "$s" .c)
    found=0
    for f in "${targets[@]}"; do [ "$(basename "$f")" = "$n" ] && found=1; done
    if [ "$found" -eq 0 ] && [ "${#ONLY[@]}" -eq 0 ]; then
        echo "run-fuzzers: $n has a source but no binary in $BUILD (rebuild the fuzz preset)" >&2
        exit 2
    fi
done

WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/tamga-fuzz.XXXXXX")
cleanup() { rm -rf "$WORKDIR"; }
trap cleanup EXIT

# run_one BINARY: fuzzes one target; writes WORKDIR/<name>.result as
# "name runs corpus_before corpus_after result".
run_one() {
    local bin=$1 name dir corpus log runs result
    name=$(basename "$bin")
    name=${name#fuzz-}
    dir="$WORKDIR/$name"
    corpus="$dir/corpus"
    mkdir -p "$corpus" "$dir/artifacts"
    if [ -d "$SRC/tests/fuzz/corpus/$name" ]; then
        cp -a "$SRC/tests/fuzz/corpus/$name/." "$corpus/"
    fi
    local before
    before=$(find "$corpus" -type f | wc -l)
    log="$dir/log"
    local rc=0
    # -rss_limit_mb and -timeout catch memory blow-ups and hangs, not only crashes.
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}" \
        "$bin" -max_total_time="$SECONDS_PER" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "$corpus" \
        </dev/null >"$log" 2>&1 || rc=$?
    runs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}' | tail -n 1)
    [ -n "$runs" ] || runs=$(grep -Eo '#[0-9]+' "$log" | tail -n 1 | tr -d '#')
    [ -n "$runs" ] || runs="?"
    if [ "$rc" -eq 0 ]; then
        result="ok"
    else
        result="CRASH(exit $rc)"
    fi
    local after
    after=$(find "$corpus" -type f | wc -l)
    echo "$name $runs $before $after $result" >"$dir/result"
}

echo "run-fuzzers: ${#targets[@]} targets, ${SECONDS_PER}s each, from $BUILD"
running=0
for bin in "${targets[@]}"; do
    run_one "$bin" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

failed=0
printf '\n%-14s %12s %8s %8s  %s\n' target runs seeds corpus result
printf '%-14s %12s %8s %8s  %s\n' -------------- ------------ -------- -------- ------
for bin in "${targets[@]}"; do
    name=$(basename "$bin")
    name=${name#fuzz-}
    if [ -f "$WORKDIR/$name/result" ]; then
        read -r n runs before after result <"$WORKDIR/$name/result"
    else
        n=$name runs="?" before="?" after="?" result="NO RESULT"
    fi
    printf '%-14s %12s %8s %8s  %s\n' "$n" "$runs" "$before" "$after" "$result"
    if [ "$result" != ok ]; then
        failed=$((failed + 1))
        echo "---- $name: last lines of the fuzzer log" >&2
        tail -n 40 "$WORKDIR/$name/log" >&2 || true
        for a in "$WORKDIR/$name"/artifacts/*; do
            [ -f "$a" ] || continue
            echo "---- $name: crash input $(basename "$a") (base64):" >&2
            base64 -w 76 "$a" | head -n 40 >&2
        done
    fi
done

if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP"
    cp -a "$WORKDIR/." "$KEEP/"
    echo "run-fuzzers: corpora, logs and crash files kept in $KEEP"
fi

echo
if [ "$failed" -gt 0 ]; then
    echo "run-fuzzers: $failed of ${#targets[@]} targets FAILED"
    exit 1
fi
echo "run-fuzzers: all ${#targets[@]} targets ran ${SECONDS_PER}s without a crash"
