#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Audio lost on kill -9: runs the crash test (tests/e2e/test-live-kill.sh: a
# live recording killed at N random moments, then `tamga recover`) and prints
# the distribution of the loss: time recorded until the kill minus the
# recovered duration. Target: <= 1 s.
#   bench/live-kill.sh [--tamga PATH] [--kills 20]
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TAMGA="${TAMGA_BIN:-$SRC/build/release/tamga}"
KILLS=20
while [ $# -gt 0 ]; do
    case "$1" in
    --tamga) TAMGA=${2:?}; shift 2 ;;
    --kills) KILLS=${2:?}; shift 2 ;;
    *) echo "live-kill.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$TAMGA" ] || { echo "live-kill.sh: no $TAMGA (use --tamga PATH)" >&2; exit 2; }
TAMGA_BIN=$(cd "$(dirname "$TAMGA")" && pwd)/$(basename "$TAMGA") TAMGA_SRC=$SRC LIVE_KILLS=$KILLS \
    bash "$SRC/tests/e2e/test-live-kill.sh" | grep -E 'audio lost|recovered|FAIL|PASS'
