#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Time from stop to a signed manifest on disk: a live recording (private
# PulseAudio, tests/audio-env) runs SECONDS, gets SIGTERM, and the signature
# file <id>.manifest.json.minisig is polled every 0.5 ms. Also the time until
# the process exits. Target: <= 250 ms.
#   bench/live-stop.sh [--tamga PATH] [--repeat 7] [--seconds 5]
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TAMGA="${TAMGA_BIN:-$SRC/build/release/tamga}"
REPEAT=7
SECS=5
while [ $# -gt 0 ]; do
    case "$1" in
    --tamga) TAMGA=${2:?}; shift 2 ;;
    --repeat) REPEAT=${2:?}; shift 2 ;;
    --seconds) SECS=${2:?}; shift 2 ;;
    *) echo "live-stop.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$TAMGA" ] || { echo "live-stop.sh: no $TAMGA (use --tamga PATH)" >&2; exit 2; }
if [ -z "${TAMGA_PULSE_PID:-}" ]; then
    exec "$SRC/tests/audio-env/with-pulse.sh" bash "$0" --tamga "$TAMGA" --repeat "$REPEAT" --seconds "$SECS"
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/tamga-bench-stop.XXXXXX")
trap 'kill $PLAYER 2>/dev/null || true; rm -rf "$W"' EXIT
export TAMGA_HOME="$W/home"
printf 'bench\n' >"$W/pass"
"$TAMGA" id new --name bench --kdf interactive --passphrase-file "$W/pass" >/dev/null
CASE=$("$TAMGA" case new "Stop bench" --passphrase-file "$W/pass")
sox -q -n -r 48000 -b 16 -c 1 "$W/tone.wav" synth 120 sine 440 gain -12
(while true; do paplay --device=vsink "$W/tone.wav" || exit 0; done) >/dev/null 2>&1 &
PLAYER=$!
python3 - "$TAMGA" "$CASE" "$TAMGA_HOME/cases/$CASE" "$W/pass" "$REPEAT" "$SECS" <<'PY'
import glob, os, signal, statistics, subprocess, sys, time
tamga, case, case_dir, passfile, repeat, secs = sys.argv[1:]
rec_dir = os.path.join(case_dir, "recordings")
sig_ms, exit_ms = [], []
for i in range(int(repeat)):
    before = set(glob.glob(os.path.join(rec_dir, "*.minisig")))
    p = subprocess.Popen([tamga, "record", "--case", case, "--device", "vmic", "--quiet",
                          "--passphrase-file", passfile], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    t0 = time.monotonic()
    while not glob.glob(os.path.join(rec_dir, "*.progress")):
        if time.monotonic() - t0 > 20:
            sys.exit("no recording started within 20 s")
        time.sleep(0.01)
    time.sleep(float(secs))
    t_stop = time.monotonic()
    p.send_signal(signal.SIGTERM)
    t_sig = None
    while t_sig is None:
        if set(glob.glob(os.path.join(rec_dir, "*.minisig"))) - before:
            t_sig = time.monotonic()
        elif time.monotonic() - t_stop > 10:
            sys.exit("no signed manifest 10 s after SIGTERM")
        else:
            time.sleep(0.0005)
    p.communicate()
    t_exit = time.monotonic()
    sig_ms.append(1000 * (t_sig - t_stop))
    exit_ms.append(1000 * (t_exit - t_stop))
def d(v):
    return f"median {statistics.median(v):.0f} ms, min {min(v):.0f}, max {max(v):.0f}"
print(f"SIGTERM -> signed manifest on disk ({len(sig_ms)} runs): {d(sig_ms)} (target <= 250 ms)")
print(f"SIGTERM -> process exited: {d(exit_ms)}")
PY
