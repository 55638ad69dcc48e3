#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Peak memory of `tamga record --input` (the recorder engine with a file as its
# source) for a 10-minute and a 2-hour 16 kHz mono WAV: memory must stay flat
# whatever the length. VmRSS is sampled every 20 ms from /proc; reported are
# the peak while encoding (after the first second, i.e. after the passphrase's
# Argon2id memory is released) and the process's overall peak (VmHWM, which
# includes Argon2id: 64 MiB with --kdf interactive, 256 MiB with the default).
# Target: flat, <= 32 MiB while encoding.
#   bench/live-memory.sh [--tamga PATH] [--keep]
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TAMGA="${TAMGA_BIN:-$SRC/build/release/tamga}"
KEEP=""
while [ $# -gt 0 ]; do
    case "$1" in
    --tamga) TAMGA=${2:?}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "live-memory.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$TAMGA" ] || { echo "live-memory.sh: no $TAMGA (use --tamga PATH)" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/tamga-bench-mem.XXXXXX")
[ -n "$KEEP" ] || trap 'rm -rf "$W"' EXIT
export TAMGA_HOME="$W/home"
printf 'bench\n' >"$W/pass"
"$TAMGA" id new --name bench --kdf interactive --passphrase-file "$W/pass" >/dev/null
CASE=$("$TAMGA" case new "Memory bench" --passphrase-file "$W/pass")
for len in 600 7200; do
    sox -q -n -r 16000 -b 16 -c 1 "$W/in-$len.wav" synth "$len" pinknoise sinc 120-3600 \
        tremolo 4.5 85 gain -n -6
done
python3 - "$TAMGA" "$CASE" "$W" <<'PY'
import os, subprocess, sys, time
tamga, case, w = sys.argv[1:]
def status(pid):
    v = {}
    try:
        for line in open(f"/proc/{pid}/status"):
            k, _, rest = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                v[k] = int(rest.split()[0]) / 1024.0
    except OSError:
        pass
    return v
for secs in (600, 7200):
    wav = os.path.join(w, f"in-{secs}.wav")
    t0 = time.monotonic()
    p = subprocess.Popen([tamga, "record", "--case", case, "--input", wav, "--quiet",
                          "--passphrase-file", os.path.join(w, "pass")],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak_enc, hwm, samples = 0.0, 0.0, []
    while p.poll() is None:
        s = status(p.pid)
        if s:
            hwm = max(hwm, s.get("VmHWM", 0))
            if time.monotonic() - t0 > 1.0:
                peak_enc = max(peak_enc, s.get("VmRSS", 0))
                samples.append(s.get("VmRSS", 0))
        time.sleep(0.02)
    wall = time.monotonic() - t0
    q = sorted(samples)
    med = q[len(q) // 2] if q else 0
    print(f"{secs // 60:4d} min input ({os.path.getsize(wav) / 1e6:.0f} MB WAV): "
          f"peak RSS while encoding {peak_enc:.1f} MiB (median {med:.1f}), "
          f"overall peak (incl. Argon2id) {hwm:.1f} MiB, {wall:.0f} s, exit {p.returncode}")
PY
