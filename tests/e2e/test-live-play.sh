#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Playback: a live recording with two markers (one labelled, through the keys on
# a pseudo-terminal) is played off a terminal through the null sink to its end
# (exit 0, in about real time), after listing its markers with the private
# label; --from skips ahead; a computer that is not a keyholder gets exit 2.
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
new_case "Live play"
sox -q -n -r 48000 -b 16 -c 1 "$WORK/tone.wav" synth 30 sine 440 gain -12
(while true; do paplay --device=vsink "$WORK/tone.wav" || exit 0; done) >/dev/null 2>&1 &
PLAYER=$!

# Record about 3 s on a pseudo-terminal: m, then M "Question about the 1998 arrest" Enter, q.
python3 - "$TAMGA_BIN" "$CASE_ID" "$PASSFILE" >"$E2E_OUT" 2>"$E2E_ERR" <<'EOF' || fail "recording with markers on a terminal failed"
import os, pty, select, sys, time
tamga, case, passfile = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(tamga, [tamga, "record", "--case", case, "--device", "vmic",
                     "--passphrase-file", passfile])
out = bytearray()
def pump(seconds):
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], max(0, end - time.time()))
        if r:
            try:
                b = os.read(fd, 65536)
            except OSError:
                return False
            if not b:
                return False
            out.extend(b)
    return True
t0 = time.time()
while b"REC 00:00:01" not in out and time.time() - t0 < 15:
    pump(0.1)
for keys, wait in [(b"m", 0.7), (b"M", 0.2), (b"Question about the 1998 arrest\r", 1.0), (b"q", 0)]:
    os.write(fd, keys)
    pump(wait)
t0 = time.time()
while pump(0.2) and time.time() - t0 < 15:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
EOF
stop_player
REC=$(grep -a -o '[0-9a-f]\{32\}' "$E2E_OUT" | tail -n 1 || true)
[ -n "$REC" ] || fail "no recording id"
M="$CASE_DIR/recordings/$REC.manifest.json"
[ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["markers"]))' "$M")" = 2 ] ||
    fail "expected 2 markers in the manifest"
grep -q 'Question about' "$M" && fail "the marker label is in the public manifest"
dur_ms=$(json_get "$M" time.duration_ms)

# ---- play off a terminal: to the end, markers listed --------------------------------
start=$(date +%s.%N)
t_notty play "$REC" --passphrase-file "$PASSFILE"
end=$(date +%s.%N)
expect_rc 0 "play $REC off a terminal"
grep -q '^Markers:' "$E2E_OUT" || fail "play did not list the markers"
[ "$(grep -c '^ *[0-9]\+  [0-9]\+:[0-9][0-9]' "$E2E_OUT")" -eq 2 ] || fail "play did not list 2 markers"
grep -q 'Question about the 1998 arrest' "$E2E_OUT" || fail "play did not show the private marker label"
took=$(python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$start" "$end")
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= int(sys.argv[2]) / 1000 - 0.5 else 1)' "$took" "$dur_ms" ||
    fail "play took $took s for $dur_ms ms of audio: it did not play in real time"
note "play: $dur_ms ms of audio played in $took s; markers:"
sed -n '/^Markers:/,$p' "$E2E_OUT"

# ---- --from ------------------------------------------------------------------------
start=$(date +%s.%N)
t_notty play "${REC:0:8}" --case "$CASE_ID" --from 2 --passphrase-file "$PASSFILE"
end=$(date +%s.%N)
expect_rc 0 "play --from 2"
took2=$(python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$start" "$end")
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) - 1.2 else 1)' "$took2" "$took" ||
    fail "play --from 2 took $took2 s, the whole recording $took s: it did not skip"
note "play --from 2: $took2 s"
t_notty play "$REC" --from 9999 --passphrase-file "$PASSFILE"
expect_rc 2 "play --from past the end"

# ---- not a keyholder -----------------------------------------------------------------
OTHER="$WORK/other"
new_identity bob "$OTHER"
mkdir -p "$OTHER/cases"
cp -a "$CASE_DIR" "$OTHER/cases/"
t_notty --home "$OTHER" play "$REC" --passphrase-file "$PASSFILE"
expect_rc 2 "play by a non-keyholder"
grep -q '^tamga: .*not a keyholder' "$E2E_ERR" || fail "no clear 'not a keyholder' message"
note "non-keyholder: $(grep '^tamga: ' "$E2E_ERR" | head -n 1)"
note "PASS"
