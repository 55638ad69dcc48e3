#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole tamga test suite, from a fresh clone:
#   1. install the Debian packages (packaging/install-deps.sh),
#   2. the `ci` preset (warnings are errors): build, unit + end-to-end tests,
#   3. the `asan` preset (AddressSanitizer + UBSan): build, the same tests,
#   4. the `fuzz` preset (clang, libFuzzer): build, run every target briefly.
# Runnable from any folder. Exits non-zero if any step fails.
#
#   scripts/test.sh [--no-deps] [--no-asan] [--no-fuzz] [--fuzz-seconds N] [--jobs J]
#
# TAMGA_JOBS sets the parallelism too (default 2).
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$SRC"

DO_DEPS=1
DO_ASAN=1
DO_FUZZ=1
FUZZ_SECONDS=20
JOBS=${TAMGA_JOBS:-2}

while [ $# -gt 0 ]; do
    case "$1" in
    --no-deps) DO_DEPS=0; shift ;;
    --no-asan) DO_ASAN=0; shift ;;
    --no-fuzz) DO_FUZZ=0; shift ;;
    --fuzz-seconds) FUZZ_SECONDS=${2:?--fuzz-seconds needs a number}; shift 2 ;;
    --jobs) JOBS=${2:?--jobs needs a number}; shift 2 ;;
    -h | --help) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done

# Colours only on a terminal.
if [ -t 1 ]; then
    B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' Y=$'\e[33m' N=$'\e[0m'
else
    B="" G="" R="" Y="" N=""
fi

results=()
failed=0
START=$(date +%s)

section() {
    printf '\n%s==== %s ====%s\n' "$B" "$*" "$N"
}

# step NAME COMMAND...: runs one step, records its result and time. A failed
# step does not stop the script (later independent steps still run), but the
# final status is non-zero.
step() {
    local name=$1 t0 rc=0
    shift
    section "$name"
    t0=$(date +%s)
    "$@" </dev/null || rc=$?
    local dt=$(($(date +%s) - t0))
    if [ "$rc" -eq 0 ]; then
        results+=("${G}PASS${N}  $name (${dt}s)")
    else
        results+=("${R}FAIL${N}  $name (${dt}s, exit $rc)")
        failed=$((failed + 1))
    fi
    return "$rc"
}

skipped() {
    results+=("${Y}SKIP${N}  $1")
}

summary() {
    local total=$(($(date +%s) - START))
    section "Summary"
    local r
    for r in "${results[@]}"; do printf '  %s\n' "$r"; done
    printf '\n  total time: %dm%02ds\n' $((total / 60)) $((total % 60))
    if [ "$failed" -gt 0 ]; then
        printf '  %s%d step(s) FAILED%s\n' "$R$B" "$failed" "$N"
    else
        printf '  %sall steps passed%s\n' "$G$B" "$N"
    fi
}

preset_build_and_test() {
    local preset=$1
    if step "$preset: configure" cmake --preset "$preset" &&
        step "$preset: build" cmake --build --preset "$preset" -j"$JOBS"; then
        step "$preset: tests (unit + end-to-end)" ctest --preset "$preset" -j"$JOBS" || true
    else
        skipped "$preset: tests (the build failed)"
    fi
}

fuzz_build_and_run() {
    # Only the fuzz targets: the library and CLI are not meant to link on their
    # own with the fuzzer's instrumentation.
    local targets=() f
    for f in "$SRC"/tests/fuzz/fuzz-*.c; do targets+=("$(basename "$f" .c)"); done
    if [ "${#targets[@]}" -eq 0 ]; then
        skipped "fuzz: no fuzz targets"
        return 0
    fi
    if step "fuzz: configure" cmake --preset fuzz &&
        step "fuzz: build ${#targets[@]} targets" cmake --build --preset fuzz -j"$JOBS" --target "${targets[@]}"; then
        step "fuzz: run each target ${FUZZ_SECONDS}s" \
            bash "$SRC/tests/fuzz/run-fuzzers.sh" --seconds "$FUZZ_SECONDS" \
            --build "$SRC/build/fuzz" --jobs "$JOBS" || true
    else
        skipped "fuzz: run (the build failed)"
    fi
}

printf '%stamga test suite%s  (%s, %s, %s jobs)\n' "$B" "$N" "$SRC" \
    "$(git -C "$SRC" rev-parse --short=12 HEAD 2>/dev/null || echo 'no git')" "$JOBS"

if [ "$DO_DEPS" -eq 1 ]; then
    if ! step "dependencies (packaging/install-deps.sh)" sh "$SRC/packaging/install-deps.sh"; then
        summary
        exit 1
    fi
else
    skipped "dependencies (--no-deps)"
fi

preset_build_and_test ci
if [ "$DO_ASAN" -eq 1 ]; then
    preset_build_and_test asan
else
    skipped "asan (--no-asan)"
fi
if [ "$DO_FUZZ" -eq 1 ]; then
    fuzz_build_and_run
else
    skipped "fuzz (--no-fuzz)"
fi

summary
[ "$failed" -eq 0 ]
