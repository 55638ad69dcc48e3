#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bundles (issue 4): `tamga export` / `tamga import` of a case with >= 200 MB of
# recordings against stock `tar -c | age -r` / `age -d | tar -x` of the same
# files, in the same run; wall time (median of --repeat runs, alternating,
# `sync` before each so no run pays for the previous one's writeback) and peak
# RSS (os.wait4() of the command: for a pipeline, its largest process). A
# second case of one recording (~56 MB) shows that memory is flat in the
# bundle size. Targets: wall-time ratio <= 1.2, memory flat.
#   bench/bundle-export-import.sh [--tamga PATH] [--repeat N] [--minutes M] [--keep]
# Not a test (ctest does not run it); about 2 minutes on 2 cores (mostly the recordings).
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TAMGA="${TAMGA_BIN:-$SRC/build/release/tamga}"
REPEAT=3
MINUTES=30
KEEP=""
while [ $# -gt 0 ]; do
    case "$1" in
    --tamga) TAMGA=${2:?--tamga needs a path}; shift 2 ;;
    --repeat) REPEAT=${2:?}; shift 2 ;;
    --minutes) MINUTES=${2:?}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "bundle-export-import.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$TAMGA" ] || { echo "bundle-export-import.sh: no $TAMGA (use --tamga PATH)" >&2; exit 2; }
for t in sox age tar python3; do
    command -v "$t" >/dev/null || { echo "bundle-export-import.sh: $t is missing" >&2; exit 2; }
done
TAMGA=$(cd "$(dirname "$TAMGA")" && pwd)/$(basename "$TAMGA")
W=$(mktemp -d "${TMPDIR:-/tmp}/tamga-bench-bundle.XXXXXX")
[ -n "$KEEP" ] && echo "work folder: $W (kept)" || trap 'rm -rf "$W"' EXIT
printf 'benchmark passphrase\n' >"$W/pass"
A="$W/home-a" B="$W/home-b"

echo "tamga: $("$TAMGA" --version)"
echo "age: $(age --version)  tar: $(tar --version | head -n 1)"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
t0=$(date +%s)
echo "making a $MINUTES-minute stereo 48 kHz WAV (pink noise with tremolo)..."
sox -q -n -r 48000 -b 16 -c 2 "$W/long.wav" synth $((MINUTES * 60)) pinknoise gain -6 \
    sinc 120-7000 tremolo 4.5 85 gain -n -6
# The exporter (home A) and the importer (home B), throwaway identities.
TAMGA_HOME=$A "$TAMGA" id new --name Exporter --kdf interactive --passphrase-file "$W/pass" >/dev/null
TAMGA_HOME=$B "$TAMGA" id new --name Importer --kdf interactive --passphrase-file "$W/pass" >/dev/null
TAMGA_HOME=$B "$TAMGA" id export -o "$W/importer.json" >/dev/null
TAMGA_HOME=$B "$TAMGA" id export --age >"$W/importer.age-recipient"
TAMGA_HOME=$B "$TAMGA" id export-secret --age --passphrase-file "$W/pass" >"$W/key.txt" 2>/dev/null
chmod 600 "$W/key.txt"
BIG=$(TAMGA_HOME=$A "$TAMGA" case new "Bundle bench 4" --passphrase-file "$W/pass")
SMALL=$(TAMGA_HOME=$A "$TAMGA" case new "Bundle bench 1" --passphrase-file "$W/pass")
# 4 recordings in the big case, 1 in the small one, 256 kbit/s (~56 MB each).
for c in "$BIG" "$BIG" "$BIG" "$BIG" "$SMALL"; do
    TAMGA_HOME=$A "$TAMGA" record --case "$c" --input "$W/long.wav" --bitrate 256 --quiet \
        --passphrase-file "$W/pass" >/dev/null
    echo "  recorded into ${c:0:8} ($(($(date +%s) - t0)) s so far)"
done
rm -f "$W/long.wav"
echo "setup: $(($(date +%s) - t0)) s"

SRC_DIR=$SRC python3 - "$TAMGA" "$W" "$A" "$B" "$REPEAT" "$BIG" "$SMALL" <<'PY'
import os, shutil, statistics, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["SRC_DIR"], "bench"))
import benchlib as b

tamga, w, home_a, home_b, repeat, big, small = sys.argv[1:]
repeat = int(repeat)
envA = dict(os.environ, TAMGA_HOME=home_a)
envB = dict(os.environ, TAMGA_HOME=home_b)
passf = os.path.join(w, "pass")
key = os.path.join(w, "key.txt")
recip = open(os.path.join(w, "importer.age-recipient")).read().strip()
pub = os.path.join(w, "importer.json")


def rm(p):
    if os.path.isdir(p):
        shutil.rmtree(p)
    elif os.path.exists(p):
        os.unlink(p)


def timed(cmd, env=None):
    subprocess.run(["sync"], check=True)
    return b.measure(cmd, env=env)


def bench_case(case, label):
    cdir = os.path.join(home_a, "cases", case)
    files = [os.path.join(dp, f) for dp, _, fs in os.walk(cdir) for f in fs]
    size = sum(os.path.getsize(f) for f in files)
    print(f"\n== {label}: case {case[:8]}, {len(files)} files, {size / 1e6:.1f} MB ==", flush=True)
    X, Y = os.path.join(w, "X.age"), os.path.join(w, "Y.age")
    out = os.path.join(w, "untar")
    runs = {k: [] for k in ("export", "tar|age", "import", "age -d|tar")}
    tar_age = ["bash", "-c", "set -o pipefail; tar -c -C \"$1\" . | age -r \"$2\" > \"$3\"", "-",
               cdir, recip, Y]
    age_tar = ["bash", "-c", "set -o pipefail; age -d -i \"$1\" \"$2\" | tar -x -C \"$3\"", "-",
               key, Y, out]
    for i in range(repeat + 1):  # the first round is a warm-up
        rm(X); rm(Y)
        r1 = timed([tamga, "export", "--case", case, "--to", pub, "-o", X, "--passphrase-file",
                    passf], envA)
        r2 = timed(tar_age)
        rm(os.path.join(home_b, "cases", case)); rm(out); os.mkdir(out)
        r3 = timed([tamga, "import", X, "--passphrase-file", passf], envB)
        r4 = timed(age_tar)
        if i > 0:
            for k, r in zip(runs, (r1, r2, r3, r4)):
                runs[k].append(r)
        print(f"  round {i}{' (warm-up)' if i == 0 else ''}: " +
              ", ".join(f"{k} {r.wall:.2f} s" for k, r in zip(runs, (r1, r2, r3, r4))), flush=True)
    sizes = (os.path.getsize(X), os.path.getsize(Y))
    rows = []
    for k, rs in runs.items():
        rows.append((k, f"{b.median(rs, 'wall'):.2f}", f"{b.median(rs, 'user'):.2f}",
                     f"{b.median(rs, 'sys'):.2f}", f"{max(r.maxrss_kb for r in rs) / 1024:.1f}"))
    b.table(rows, ("command", "wall s", "user s", "sys s", "peak RSS MiB"))
    ex = b.median(runs["export"], "wall") / b.median(runs["tar|age"], "wall")
    im = b.median(runs["import"], "wall") / b.median(runs["age -d|tar"], "wall")
    print(f"  bundle {sizes[0] / 1e6:.1f} MB, tar|age {sizes[1] / 1e6:.1f} MB")
    print(f"  wall-time ratio export / tar|age:    {ex:.3f} (target <= 1.2)")
    print(f"  wall-time ratio import / age -d|tar: {im:.3f} (target <= 1.2)")
    rm(X); rm(Y); rm(out)
    return {k: max(r.maxrss_kb for r in rs) / 1024 for k, rs in runs.items()}, size


print(b.machine_line())
mem_big, sz_big = bench_case(big, "big case")
mem_small, sz_small = bench_case(small, "small case")
print(f"\npeak RSS, {sz_small / 1e6:.0f} MB case -> {sz_big / 1e6:.0f} MB case:")
for k in mem_big:
    print(f"  {k:12s} {mem_small[k]:6.1f} -> {mem_big[k]:6.1f} MiB")
PY
