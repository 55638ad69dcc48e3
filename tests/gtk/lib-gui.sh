# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the tests/gtk/test-gui-*.sh scripts: runs the calling script inside
# a private PulseAudio (tests/audio-env), an X server (xvfb-run) and a D-Bus
# session, then gives helpers to drive tamga-recorder through
# `gapplication action org.tamga.Recorder …` and to read its log.
#   Source it first thing, after `set -euo pipefail`, with "$0" "$@":
#     . "$(dirname "$0")/lib-gui.sh" "$0" "$@"
#   Environment: TAMGA_BIN (the CLI), TAMGA_GUI_BIN (the app), TAMGA_SRC,
#   TAMGA_SHOTS (where screenshots are kept; default: the build folder).
TAMGA_SRC=${TAMGA_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export TAMGA_SRC
gui_script=$1
shift

# Layers: PulseAudio (with-pulse.sh) → X server (xvfb-run) → D-Bus session.
if [ -z "${TAMGA_PULSE_PID:-}" ]; then
    for tool in xvfb-run dbus-run-session; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "[$(basename "$gui_script" .sh)] SKIP: $tool is not installed"
            exit 77
        fi
    done
    exec "$TAMGA_SRC/tests/audio-env/with-pulse.sh" bash "$gui_script" "$@"
fi
if [ -z "${DISPLAY:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- bash "$gui_script" "$@"
fi

. "$TAMGA_SRC/scripts/lib-e2e.sh"
e2e_init
need_tool gapplication
[ -n "${TAMGA_GUI_BIN:-}" ] && [ -x "$TAMGA_GUI_BIN" ] || skip "no tamga-recorder (set TAMGA_GUI_BIN)"
APPID=org.tamga.Recorder
SHOTS=${TAMGA_SHOTS:-${TAMGA_BUILD:-$WORK}/screenshots}
mkdir -p "$SHOTS"
export G_MESSAGES_DEBUG=tamga-recorder GDK_BACKEND=x11
export GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 GTK_A11Y=none
# The app's settings file lives in the test's folder, never the real one.
export XDG_CONFIG_HOME="$WORK/config"

APP_PID=""
GUI_CLEANUP=""
cleanup_gui() {
    if [ -n "$GUI_CLEANUP" ]; then eval "$GUI_CLEANUP" || true; fi
    if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
        kill "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
    fi
}
trap 'rc=$?; cleanup_gui; (exit $rc); e2e_cleanup' EXIT

RUN=0
# start_app: starts tamga-recorder (with the current TAMGA_HOME), logging to $LOG.
start_app() {
    RUN=$((RUN + 1))
    LOG="$WORK/app-$RUN.log"
    "$TAMGA_GUI_BIN" >"$LOG" 2>&1 &
    APP_PID=$!
}
# quit_app: app.quit, then the process must end cleanly without warnings.
quit_app() {
    act quit
    for _ in $(seq 1 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$APP_PID" 2>/dev/null; then fail "the app did not quit"; fi
    wait "$APP_PID" || fail "the app exited with an error status"
    APP_PID=""
    if grep -E 'CRITICAL|WARNING' "$LOG"; then fail "the app logged warnings"; fi
}
# wait_log PATTERN SECONDS: until the app's log has a line matching PATTERN.
wait_log() {
    local pattern=$1 secs=$2 i
    for ((i = 0; i < secs * 10; i++)); do
        if grep -qE "$pattern" "$LOG"; then return 0; fi
        kill -0 "$APP_PID" 2>/dev/null || { cat "$LOG" >&2; fail "the app exited while waiting for '$pattern'"; }
        sleep 0.1
    done
    cat "$LOG" >&2
    fail "the app did not log '$pattern' within ${secs}s"
}
# wait_count PATTERN N SECONDS: until N lines of the log match PATTERN.
wait_count() {
    local pattern=$1 n=$2 secs=$3 i
    for ((i = 0; i < secs * 10; i++)); do
        [ "$(grep -cE "$pattern" "$LOG" || true)" -ge "$n" ] && return 0
        sleep 0.1
    done
    cat "$LOG" >&2
    fail "the app did not log '$pattern' $n times within ${secs}s"
}
# act ACTION [PARAMETER]: an app action, as a user's script would trigger it.
act() { gapplication action "$APPID" "$@" || fail "gapplication action $*"; }
# screenshot NAME: the window (or its open dialog) as $SHOTS/NAME.png.
screenshot() {
    act screenshot "'$SHOTS/$1.png'"
    wait_log "screenshot saved: $SHOTS/$1.png" 10
}
# shot PAGE NAME: shows a page, then takes its screenshot.
shot() {
    act show-page "'$1'"
    sleep 0.7
    screenshot "$2"
}
# not_blank NAME...: each screenshot exists and has more than 64 colours.
not_blank() {
    need_tool identify
    local name f colours geometry
    for name in "$@"; do
        f="$SHOTS/$name.png"
        [ -s "$f" ] || fail "no screenshot $f"
        read -r colours geometry < <(identify -format '%k %wx%h\n' "$f")
        note "screenshot $name.png: $geometry, $colours distinct colours"
        [ "$colours" -gt 64 ] || fail "screenshot $f looks blank ($colours colours)"
    done
}
