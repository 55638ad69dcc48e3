#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Crash safety: a live recording is killed with SIGKILL at 20 random moments
# (1.5 to 5 s after tamga starts, off a terminal). `tamga recover` then seals
# every one as "interrupted"; each case verifies (with --decrypt), saying the
# recording was interrupted and recovered; and each recording has lost at most
# 1.2 s against the time of the kill. The loss distribution is printed (a
# benchmark figure too).
#
# "Recorded until the kill" is measured from the first audio: the progress
# record beside the recording logs, at each flush, the time and how much audio
# is on disk; (time - audio) at the earliest flush bounds when capture began.
# LIVE_KILLS=N changes the number of kills.
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

KILLS=${LIVE_KILLS:-20}
new_identity alice
sox -q -n -r 48000 -b 16 -c 1 "$WORK/tone.wav" synth 60 sine 440 gain -12
(while true; do paplay --device=vsink "$WORK/tone.wav" || exit 0; done) >/dev/null 2>&1 &
PLAYER=$!

# One case per kill, so no `tamga record` recovers the previous one first.
: >"$WORK/kills.tsv"
for i in $(seq 1 "$KILLS"); do
    new_case "Kill $i"
    python3 - "$TAMGA_BIN" "$CASE_ID" "$CASE_DIR" "$PASSFILE" "$i" >>"$WORK/kills.tsv" <<'EOF'
import glob, json, os, random, shutil, signal, subprocess, sys, time
from datetime import datetime, timezone
tamga, case, case_dir, passfile, i = sys.argv[1:]
random.seed(1000 + int(i))
delay = random.uniform(1.5, 5.0)
p = subprocess.Popen([tamga, "record", "--case", case, "--device", "vmic",
                      "--passphrase-file", passfile],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)
time.sleep(delay)
os.kill(p.pid, signal.SIGKILL)
killed = time.time()
p.wait()
prog = glob.glob(os.path.join(case_dir, "recordings", "*.progress"))
first = None
rec = "-"
if prog:
    rec = os.path.basename(prog[0]).split(".")[0]
    for line in open(prog[0], encoding="utf-8", errors="replace"):
        try:
            e = json.loads(line)
        except ValueError:
            continue  # a torn last line
        if e.get("t") == "flush" and e.get("elapsed_ms", 0) > 0:
            t = datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
            est = t.timestamp() - e["elapsed_ms"] / 1000.0
            first = est if first is None else min(first, est)
recorded = killed - first if first is not None else 0.0
print(f"{case}\t{rec}\t{delay:.3f}\t{recorded:.3f}")
EOF
done

t_notty recover --passphrase-file "$PASSFILE"
expect_rc 0 "recover after $KILLS kills"
cp "$E2E_OUT" "$WORK/recover.out"
n=$(grep -c '^recovered ' "$WORK/recover.out" || true)
note "tamga recover: $n recordings recovered"

fails=0
: >"$WORK/loss.txt"
while IFS=$'\t' read -r case rec delay recorded; do
    dir="$TAMGA_HOME/cases/$case"
    if [ "$rec" = - ]; then
        # killed before the recording file existed: nothing to recover
        [ -z "$(ls "$dir/recordings")" ] || fail "case $case: files but no progress record"
        note "kill at $delay s: before the recording began"
        continue
    fi
    M="$dir/recordings/$rec.manifest.json"
    if [ ! -f "$M.minisig" ]; then
        # only acceptable when nothing had reached the disk yet
        python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) <= 1.2 else 1)' "$recorded" ||
            fail "recording $rec (kill at $delay s, $recorded s recorded) was not recovered"
        note "kill at $delay s: $recorded s recorded, nothing to seal"
        continue
    fi
    grep -q "^recovered $rec" "$WORK/recover.out" || fail "recover did not report $rec"
    [ "$(json_get "$M" status)" = interrupted ] || fail "$rec: status $(json_get "$M" status), expected interrupted"
    t verify --decrypt "$dir" --passphrase-file "$PASSFILE"
    expect_rc 0 "verify --decrypt of recovered $rec"
    grep -q '^ *WARN' "$E2E_OUT" || fail "verify of $rec has no WARN line"
    grep -i 'WARN' "$E2E_OUT" | grep -q -i 'interrupted\|recovered' ||
        fail "verify of $rec does not say it was interrupted/recovered"
    d=$(json_get "$M" time.duration_ms)
    loss=$(python3 -c 'import sys; print(f"{float(sys.argv[1]) - int(sys.argv[2]) / 1000:.3f}")' "$recorded" "$d")
    echo "$loss" >>"$WORK/loss.txt"
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) <= 1.2 else 1)' "$loss" || {
        note "recording $rec: killed after $recorded s of audio, $d ms recovered: lost $loss s"
        fails=$((fails + 1))
    }
done <"$WORK/kills.tsv"

python3 - "$WORK/loss.txt" <<'EOF'
import statistics, sys
v = sorted(float(x) for x in open(sys.argv[1]) if x.strip())
if v:
    print(f"[test-live-kill] audio lost on kill -9 (s), {len(v)} kills: min {v[0]:.3f}  "
          f"median {statistics.median(v):.3f}  max {v[-1]:.3f}  "
          f"(mean {statistics.mean(v):.3f})")
EOF
[ "$fails" -eq 0 ] || fail "$fails recordings lost more than 1.2 s"
[ "$(wc -l <"$WORK/loss.txt")" -ge $((KILLS * 3 / 4)) ] ||
    fail "only $(wc -l <"$WORK/loss.txt") of $KILLS kills left a recording to recover"

t_notty recover --passphrase-file "$PASSFILE"
expect_rc 0 "second recover"
grep -q 'nothing to recover' "$E2E_OUT" || fail "a second recover found more to do"
note "PASS"
