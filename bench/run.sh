#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs both benchmarks against the release build (building it first with
# --build). Each takes a few minutes. See bench/README.md.
#   bench/run.sh [--build] [--tamga PATH]
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TAMGA="${TAMGA_BIN:-$SRC/build/release/tamga}"
while [ $# -gt 0 ]; do
    case "$1" in
    --build) (cd "$SRC" && cmake --preset release >/dev/null &&
        cmake --build --preset release -j"$(nproc)" --target tamga_cli); shift ;;
    --tamga) TAMGA=${2:?--tamga needs a path}; shift 2 ;;
    *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$TAMGA" ] || { echo "bench/run.sh: no $TAMGA: use --build or --tamga PATH" >&2; exit 2; }
echo "tamga: $("$TAMGA" --version)"
echo "opusenc: $(opusenc --version 2>&1 | head -n 1)"
echo
python3 "$SRC/bench/record-vs-opusenc.py" --tamga "$TAMGA"
echo
python3 "$SRC/bench/verify-vs-sha256sum.py" --tamga "$TAMGA"
