#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stopping a live recording: SIGINT and SIGTERM give a normally sealed
# ("complete") recording and exit 0; --duration stops by itself; on a terminal
# the keys (space pause/resume, m marker, M labelled marker, q stop) work and
# the pause and markers round-trip into the signed manifest, and the status
# line shows the meter and the state. The terminal is a real pseudo-terminal.
set -euo pipefail
if [ -z "${TAMGA_PULSE_PID:-}" ]; then
    TAMGA_SRC=${TAMGA_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
    export TAMGA_SRC
    exec "$TAMGA_SRC/tests/audio-env/with-pulse.sh" bash "$0" "$@"
fi
. "$TAMGA_SRC/scripts/lib-e2e.sh"
e2e_init
need_tool sox paplay

PLAYER=""
stop_player() {
    if [ -n "$PLAYER" ]; then
        kill "$PLAYER" 2>/dev/null || true
        wait "$PLAYER" 2>/dev/null || true
        PLAYER=""
    fi
}
trap 'rc=$?; stop_player; (exit $rc); e2e_cleanup' EXIT

new_identity alice
new_case "Live signals"
sox -q -n -r 48000 -b 16 -c 1 "$WORK/tone.wav" synth 30 sine 440 gain -12
(while true; do paplay --device=vsink "$WORK/tone.wav" || exit 0; done) >/dev/null 2>&1 &
PLAYER=$!

# ---- SIGINT and SIGTERM -------------------------------------------------------
for sig in INT TERM; do
    "$TAMGA_BIN" record --case "$CASE_ID" --device vmic --passphrase-file "$PASSFILE" \
        </dev/null >"$E2E_OUT" 2>"$E2E_ERR" &
    pid=$!
    sleep 3
    kill -"$sig" "$pid"
    RC=0
    wait "$pid" || RC=$?
    expect_rc 0 "record stopped by SIG$sig"
    REC=$(tr -d '\n' <"$E2E_OUT")
    [[ "$REC" =~ ^[0-9a-f]{32}$ ]] || fail "SIG$sig: record printed '$REC', expected an id"
    grep -q "Stopped by SIG$sig" "$E2E_ERR" || fail "SIG$sig: the summary does not say why it stopped"
    M="$CASE_DIR/recordings/$REC.manifest.json"
    [ -f "$M.minisig" ] || fail "SIG$sig: no signed manifest"
    [ "$(json_get "$M" status)" = complete ] || fail "SIG$sig: status is $(json_get "$M" status), expected complete"
    d=$(json_get "$M" time.duration_ms)
    [ "$d" -ge 500 ] && [ "$d" -le 3500 ] || fail "SIG$sig: duration $d ms after 3 s"
    [ ! -e "$CASE_DIR/recordings/$REC.progress" ] || fail "SIG$sig: progress record left behind"
    note "SIG$sig: sealed complete, $d ms"
done

# ---- --duration --------------------------------------------------------------
t_notty record --case "$CASE_ID" --device vmic --duration 2 --quiet --passphrase-file "$PASSFILE"
expect_rc 0 "record --duration 2"
REC=$(tr -d '\n' <"$E2E_OUT")
d=$(json_get "$CASE_DIR/recordings/$REC.manifest.json" time.duration_ms)
[ "$d" -ge 1700 ] && [ "$d" -le 2300 ] || fail "--duration 2 gave $d ms"
grep -v -q 'Recorded' "$E2E_ERR" || true
if grep -q 'Recorded' "$E2E_ERR"; then fail "--quiet still printed a summary"; fi
note "--duration 2: $d ms"

# ---- keys on a terminal -------------------------------------------------------
# Drives tamga through a pseudo-terminal: waits for the status line, then
# space (pause), 1.2 s, space (resume), m, M + label + Enter, q.
python3 - "$TAMGA_BIN" "$CASE_ID" "$PASSFILE" "$WORK/tty.log" >"$E2E_OUT" 2>"$E2E_ERR" <<'EOF' ||
import os, pty, select, sys, time
tamga, case, passfile, log = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.environ["LANG"] = "C.UTF-8"
    os.execv(tamga, [tamga, "record", "--case", case, "--device", "vmic",
                     "--passphrase-file", passfile])
out = bytearray()
def pump(seconds):
    end = time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0:
            return True
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                b = os.read(fd, 65536)
            except OSError:
                return False
            if not b:
                return False
            out.extend(b)
# wait for the status line to show a second of recorded audio
t0 = time.time()
while b"REC 00:00:01" not in out and time.time() - t0 < 15:
    pump(0.1)
if b"REC 00:00:01" not in out:
    sys.exit("no status line with a running clock within 15 s")
steps = [(b" ", 1.2), (b" ", 0.8), (b"m", 0.6), (b"M", 0.3), (b"first question", 0.3),
         (b"\r", 0.8), (b"q", 0)]
for keys, wait in steps:
    os.write(fd, keys)
    pump(wait)
t0 = time.time()
while pump(0.2) and time.time() - t0 < 15:
    pass
_, status = os.waitpid(pid, 0)
open(log, "wb").write(bytes(out))
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
EOF
    fail "tamga record on a terminal did not exit 0"
grep -a -q 'PAUSED' "$WORK/tty.log" || fail "the status line never showed PAUSED"
grep -a -q 'dB' "$WORK/tty.log" || fail "the status line has no level meter"
grep -a -q 'disk:' "$WORK/tty.log" || fail "the status line does not show the disk left"
grep -a -q 'Marker label' "$WORK/tty.log" || fail "M did not ask for a label"
REC=$(grep -a -o '[0-9a-f]\{32\}' "$WORK/tty.log" | tail -n 1 || true)
[ -n "$REC" ] || fail "no recording id printed on the terminal"
M="$CASE_DIR/recordings/$REC.manifest.json"
python3 - "$M" <<'EOF' || fail "manifest after the keys: expected 1 pause and 2 markers"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["status"] == "complete", m["status"]
assert len(m["pauses"]) == 1, m["pauses"]
assert len(m["markers"]) == 2, m["markers"]
p = m["pauses"][0]
# paused for about 1.2 s of wall time
assert 700 <= p["end_ms"] - p["start_ms"] <= 2500, p
a, b = (x["at_ms"] for x in m["markers"])
assert p["start_ms"] >= 900, p
assert p["start_ms"] <= a <= b <= m["time"]["duration_ms"], (p, a, b)
print("pause", p, "markers", a, b, "duration", m["time"]["duration_ms"])
EOF
note "keys: $(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(len(m["pauses"]), "pause,", len(m["markers"]), "markers,", m["time"]["duration_ms"], "ms")' "$M")"
# the terminal is back in its normal mode: tamga restored it (stty on a pty is
# checked by the helper's exit; the recording verifies)
t verify "$CASE_DIR"
expect_rc 0 "verify after signals and keys"
note "PASS"
