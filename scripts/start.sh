#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The main job: installs the Debian packages tamga needs, builds the release
# preset (library, CLI, desktop app), and starts the desktop recorder. Where
# there is no display (a server, a CI machine, an SSH session) it says so in
# one line and runs the guided command-line demo instead (scripts/demo.sh).
#
#   scripts/start.sh [--no-deps] [--cli]
#
#   --no-deps   do not run packaging/install-deps.sh
#   --cli       run the command-line demo even when a display is available
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DO_DEPS=1
FORCE_CLI=0
while [ $# -gt 0 ]; do
    case "$1" in
    --no-deps) DO_DEPS=0; shift ;;
    --cli) FORCE_CLI=1; shift ;;
    -h | --help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "start.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done

if [ "$DO_DEPS" -eq 1 ]; then
    echo "==== Installing the Debian packages tamga needs ===="
    sh "$SRC/packaging/install-deps.sh"
fi
echo "==== Building tamga (release preset) ===="
cd "$SRC"
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"

APP="$SRC/build/release/src/gtk/tamga-recorder"
if [ "$FORCE_CLI" -eq 0 ] && [ -x "$APP" ] &&
    { [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${DISPLAY:-}" ]; }; then
    echo "==== Starting the tamga desktop recorder ===="
    export TAMGA_LOCALEDIR="$SRC/build/release/locale"
    exec "$APP"
fi
if [ "$FORCE_CLI" -eq 0 ]; then
    echo "No display here (neither WAYLAND_DISPLAY nor DISPLAY is set): running the command-line demo instead."
fi
exec bash "$SRC/scripts/demo.sh" --no-deps
