#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CPU used by `tamga record` while recording live, as a fraction of one core:
# a 440 Hz tone plays into a private PulseAudio null sink (tests/audio-env) and
# tamga records it from "vmic"; utime+stime of the process (/proc/PID/stat) is
# read 1 s after the first audio reaches the disk (the first progress record
# with elapsed_ms > 0) and again SECONDS later. Per thread: CPU (schedstat, ns)
# and wake-ups a second (voluntary context switches). Also printed: the CPU
# spent from the start of the process to the first audio on disk (the
# passphrase's Argon2id included). Target: <= 2 % of one core.
#   bench/live-cpu.sh [--tamga PATH] [--seconds 30]
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TAMGA="${TAMGA_BIN:-$SRC/build/release/tamga}"
SECONDS_=30
while [ $# -gt 0 ]; do
    case "$1" in
    --tamga) TAMGA=${2:?}; shift 2 ;;
    --seconds) SECONDS_=${2:?}; shift 2 ;;
    *) echo "live-cpu.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$TAMGA" ] || { echo "live-cpu.sh: no $TAMGA (use --tamga PATH)" >&2; exit 2; }
if [ -z "${TAMGA_PULSE_PID:-}" ]; then
    TAMGA_BIN=$TAMGA exec "$SRC/tests/audio-env/with-pulse.sh" bash "$0" --tamga "$TAMGA" --seconds "$SECONDS_"
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/tamga-bench-cpu.XXXXXX")
trap 'kill $PLAYER 2>/dev/null || true; rm -rf "$W"' EXIT
export TAMGA_HOME="$W/home"
printf 'bench\n' >"$W/pass"
"$TAMGA" id new --name bench --kdf interactive --passphrase-file "$W/pass" >/dev/null
CASE=$("$TAMGA" case new "CPU bench" --passphrase-file "$W/pass")
sox -q -n -r 48000 -b 16 -c 1 "$W/tone.wav" synth 120 sine 440 gain -12
(while true; do paplay --device=vsink "$W/tone.wav" || exit 0; done) >/dev/null 2>&1 &
PLAYER=$!
python3 - "$TAMGA" "$CASE" "$TAMGA_HOME/cases/$CASE" "$W/pass" "$SECONDS_" <<'PY'
import glob, json, os, signal, subprocess, sys, time
tamga, case, case_dir, passfile, secs = sys.argv[1:]
secs = float(secs)
p = subprocess.Popen([tamga, "record", "--case", case, "--device", "vmic", "--quiet",
                      "--passphrase-file", passfile], stdin=subprocess.DEVNULL,
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
tick = os.sysconf("SC_CLK_TCK")
def cpu():
    f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick  # utime, stime
t0 = time.monotonic()
def audio_on_disk():
    for path in glob.glob(os.path.join(case_dir, "recordings", "*.progress")):
        for line in open(path):
            try:
                rec = json.loads(line)
            except ValueError:
                continue  # a line being written
            if rec.get("t") == "flush" and rec.get("elapsed_ms", 0) > 0:
                return True
    return False
while not audio_on_disk():
    if time.monotonic() - t0 > 20:
        sys.exit("no audio on disk within 20 s")
    time.sleep(0.05)
print(f"first audio on disk {time.monotonic() - t0:.2f} s after start, "
      f"{cpu():.2f} CPU s used until then (Argon2id included)")
def threads():
    v = {}
    for t in os.listdir(f"/proc/{p.pid}/task"):
        try:
            raw = open(f"/proc/{p.pid}/task/{t}/stat").read()
            ns = int(open(f"/proc/{p.pid}/task/{t}/schedstat").read().split()[0])
            st = open(f"/proc/{p.pid}/task/{t}/status").read()
        except OSError:
            continue
        name = raw[raw.index("(") + 1:raw.rindex(")")]
        vol = int(st.split("voluntary_ctxt_switches:")[1].split()[0])
        v[t] = (name, ns / 1e9, vol)
    return v
time.sleep(1.0)
c1, w1, th1 = cpu(), time.monotonic(), threads()
time.sleep(secs)
c2, w2, th2 = cpu(), time.monotonic(), threads()
p.send_signal(signal.SIGTERM)
out, _ = p.communicate()
frac = (c2 - c1) / (w2 - w1)
print(f"live recording, {w2 - w1:.1f} s: {c2 - c1:.2f} CPU s = {100 * frac:.2f} % of one core "
      f"(target <= 2 %); exit {p.returncode}")
for t, (name, c, vol) in sorted(th2.items(), key=lambda kv: -(kv[1][1] - th1.get(kv[0], ("", 0, 0))[1])):
    _, c0, vol0 = th1.get(t, ("", 0, 0))
    if c - c0 > 0:
        print(f"  thread {t} ({name}): {100 * (c - c0) / (w2 - w1):.2f} %, "
              f"{(vol - vol0) / (w2 - w1):.0f} wake-ups/s")
PY
