#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Live recording when things go wrong: a device that does not exist (exit 2,
# the inputs are listed); a full disk (a tiny tmpfs, or a file-size limit:
# exit 2, a clear message, what fits is sealed or recoverable and verifies);
# no plaintext audio anywhere under TAMGA_HOME or the temporary folder, during
# and after recording; and the audio server dying mid-recording (exit 2, a
# clear message, the captured audio sealed and verifiable).
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
MOUNTED=""
stop_player() {
    if [ -n "$PLAYER" ]; then
        kill "$PLAYER" 2>/dev/null || true
        wait "$PLAYER" 2>/dev/null || true
        PLAYER=""
    fi
}
unmount() {
    if [ -n "$MOUNTED" ]; then
        umount "$MOUNTED" 2>/dev/null || true
        MOUNTED=""
    fi
}
trap 'rc=$?; stop_player; unmount; (exit $rc); e2e_cleanup' EXIT

# tamga's own temporary folder, scanned for plaintext below
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"

new_identity alice
new_case "Live failures"
# No dither: the tone repeats exactly every 1200 samples, so its sample
# windows can be looked for in every file.
sox -q -n -D -r 48000 -b 16 -c 1 "$WORK/tone.wav" synth 60 sine 440 gain -12
(while true; do paplay --device=vsink "$WORK/tone.wav" || exit 0; done) >/dev/null 2>&1 &
PLAYER=$!

# scan_plaintext WHEN: no OggS / OpusHead and no run of the test tone (16-bit
# or float samples) in any file under TAMGA_HOME or TMPDIR.
scan_plaintext() {
    python3 - "$1" "$WORK/tone.wav" "$TAMGA_HOME" "$TMPDIR" <<'EOF' || fail "plaintext found $1"
import os, struct, sys, wave
when, tone, *roots = sys.argv[1:]
w = wave.open(tone)
s = struct.unpack("<%dh" % 1300, w.readframes(1300))
pats = {b"OggS", b"OpusHead"}
for i in range(1200):
    pats.add(struct.pack("<4h", *s[i:i + 4]))
    pats.add(struct.pack("<4f", *(x / 32768.0 for x in s[i:i + 4])))
bad = []
files = 0
for root in roots:
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            try:
                data = open(p, "rb").read()
            except OSError:
                continue
            files += 1
            if b"OggS" in data or b"OpusHead" in data:
                bad.append(p + ": Ogg/Opus header")
                continue
            for L in (8, 16):
                if any(data[k:k + L] in pats for k in range(0, max(0, len(data) - L + 1))):
                    bad.append(p + ": samples of the test tone")
                    break
for b in bad:
    print("plaintext:", b, file=sys.stderr)
print(f"[test-live-failures] {when}: {files} files scanned, no plaintext audio")
sys.exit(1 if bad else 0)
EOF
}

# ---- a device that does not exist ----------------------------------------------
t_notty record --case "$CASE_ID" --device no-such-microphone --duration 1 --passphrase-file "$PASSFILE"
expect_rc 2 "record --device no-such-microphone"
grep '^tamga: ' "$E2E_ERR" | grep -q 'no-such-microphone' || fail "the error does not name the device"
grep '^tamga: ' "$E2E_ERR" | grep -q 'vmic' || fail "the error does not list the inputs there are"
[ ! -s "$E2E_OUT" ] || fail "a recording id was printed for a missing device"
note "missing device: $(grep '^tamga: ' "$E2E_ERR" | head -n 1 | cut -c1-160)"

# ---- no plaintext, during and after ---------------------------------------------
"$TAMGA_BIN" record --case "$CASE_ID" --device vmic --duration 5 --passphrase-file "$PASSFILE" \
    </dev/null >"$E2E_OUT" 2>"$E2E_ERR" &
pid=$!
sleep 3.5
scan_plaintext "while recording"
RC=0
wait "$pid" || RC=$?
expect_rc 0 "record 5 s"
scan_plaintext "after recording"

# ---- disk full --------------------------------------------------------------------
FULL_HOME="$WORK/full"
mkdir -p "$FULL_HOME"
if mount -t tmpfs -o size=512k,mode=0700 tamga-test "$FULL_HOME" 2>/dev/null; then
    MOUNTED=$FULL_HOME
    how="a 512 KB tmpfs"
fi
t --home "$FULL_HOME" id new --name full --kdf interactive --passphrase-file "$PASSFILE"
expect_rc 0 "id new on the small disk"
t --home "$FULL_HOME" case new "Full disk" --passphrase-file "$PASSFILE"
expect_rc 0 "case new on the small disk"
FULL_CASE=$(tr -d '\n' <"$E2E_OUT")
if [ -n "$MOUNTED" ]; then
    # leave about 64 KB: two seconds at 256 kbit/s
    dd if=/dev/zero of="$FULL_HOME/filler" bs=4k count=1000 2>/dev/null || true
    free_kb=$(df -k --output=avail "$FULL_HOME" | tail -n 1 | tr -d ' ')
    while [ "$free_kb" -lt 64 ] && [ -s "$FULL_HOME/filler" ]; do
        truncate -s -8k "$FULL_HOME/filler"
        free_kb=$(df -k --output=avail "$FULL_HOME" | tail -n 1 | tr -d ' ')
    done
    RC=0
    "$TAMGA_BIN" --home "$FULL_HOME" record --case "$FULL_CASE" --device vmic --bitrate 256 \
        --duration 30 --passphrase-file "$PASSFILE" </dev/null >"$E2E_OUT" 2>"$E2E_ERR" || RC=$?
else
    how="a file-size limit (ulimit -f 64)"
    RC=0
    (ulimit -f 64 && exec "$TAMGA_BIN" --home "$FULL_HOME" record --case "$FULL_CASE" \
        --device vmic --bitrate 256 --duration 30 --passphrase-file "$PASSFILE") \
        </dev/null >"$E2E_OUT" 2>"$E2E_ERR" || RC=$?
fi
expect_rc 2 "record onto $how"
grep '^tamga: ' "$E2E_ERR" | grep -q -i 'disk is full\|disk\|space\|too large' ||
    fail "no clear message about the full disk"
REC=$(tr -d '\n' <"$E2E_OUT")
[[ "$REC" =~ ^[0-9a-f]{32}$ ]] || fail "no recording id printed after the disk filled up"
note "disk full ($how): $(grep '^tamga: ' "$E2E_ERR" | head -n 1 | cut -c1-200)"
rm -f "$FULL_HOME/filler"
if [ ! -f "$FULL_HOME/cases/$FULL_CASE/recordings/$REC.manifest.json.minisig" ]; then
    t_notty --home "$FULL_HOME" recover --passphrase-file "$PASSFILE"
    expect_rc 0 "recover after the disk was freed"
    grep -q "$REC" "$E2E_OUT" || fail "recover did not seal $REC"
fi
t --home "$FULL_HOME" verify --decrypt "$FULL_HOME/cases/$FULL_CASE" --passphrase-file "$PASSFILE"
expect_rc 0 "verify --decrypt of what fitted on the full disk"
d=$(json_get "$FULL_HOME/cases/$FULL_CASE/recordings/$REC.manifest.json" time.duration_ms)
[ "$d" -gt 0 ] || fail "nothing of the recording on the full disk was kept"
note "disk full: $d ms kept, sealed $(json_get "$FULL_HOME/cases/$FULL_CASE/recordings/$REC.manifest.json" status), verifies"
unmount

# ---- the audio server dies mid-recording (last: PulseAudio is gone after) --------
"$TAMGA_BIN" record --case "$CASE_ID" --device vmic --passphrase-file "$PASSFILE" \
    </dev/null >"$E2E_OUT" 2>"$E2E_ERR" &
pid=$!
sleep 3.5
stop_player
kill "$TAMGA_PULSE_PID"
for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
    fail "tamga kept running 20 s after the audio server died"
fi
RC=0
wait "$pid" || RC=$?
expect_rc 2 "record when the audio server dies"
REC=$(tr -d '\n' <"$E2E_OUT")
[[ "$REC" =~ ^[0-9a-f]{32}$ ]] || fail "no recording id printed after the input was lost"
grep '^tamga: ' "$E2E_ERR" | grep -q -i 'audio input\|device' || fail "no clear message about the lost input"
[ "$(grep -c '^tamga: ' "$E2E_ERR")" -eq 1 ] || fail "expected exactly one 'tamga:' line"
note "input lost: $(grep '^tamga: ' "$E2E_ERR" | cut -c1-200)"
t verify --decrypt "$CASE_DIR" --passphrase-file "$PASSFILE"
expect_rc 0 "verify --decrypt after the input was lost"
d=$(json_get "$CASE_DIR/recordings/$REC.manifest.json" time.duration_ms)
[ "$d" -ge 1000 ] || fail "only $d ms kept after 3.5 s of recording"
note "input lost: $d ms kept, sealed $(json_get "$CASE_DIR/recordings/$REC.manifest.json" status), verifies"
scan_plaintext "at the end"
note "PASS"
