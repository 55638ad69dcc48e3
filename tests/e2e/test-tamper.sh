#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Tampering is caught by the real `tamga verify` program (exit 1): a single
# flipped byte at sampled positions (every 7th byte, masks rotating) of every
# evidence file of a small case, deleted files, a removed last custody line,
# swapped, removed and duplicated custody lines, swapped recordings.
# (The exhaustive every-byte version runs in-process in tests/test-tamper.c.)
# The first line of .minisig and .pub files is minisign's untrusted comment,
# unprotected by design, and is skipped. TAMPER_STEP=1 tries every byte.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init
need_tool sox

STEP=${TAMPER_STEP:-7}

new_identity "Tamper Tester"
new_case "Tamper case"
make_wav "$WORK/in.wav" 1
record "$CASE_ID" "$WORK/in.wav" --title "t" --interviewee "P" --notes "n"
rec=$REC_ID
make_wav "$WORK/in2.wav" 0.5
record "$CASE_ID" "$WORK/in2.wav" --title "t2"
other=$REC_ID
ok verify "$CASE_DIR"

PRISTINE="$WORK/pristine"
cp -a "$CASE_DIR" "$PRISTINE"
TRY="$WORK/try"

fresh_copy() {
    rm -rf "$TRY"
    cp -a "$PRISTINE" "$TRY"
}

# ---- single flipped bytes ----
# One Python process drives the loop (thousands of runs); each run sees the
# pristine case with exactly one byte changed, and must exit 1.
files=(
    "recordings/$rec.tamga"
    "recordings/$rec.manifest.json"
    "recordings/$rec.manifest.json.minisig"
    "recordings/$rec.private"
    custody.jsonl
    case.json
    case.json.minisig
    head.json
    head.json.minisig
)
for f in "$PRISTINE"/signers/*.pub; do files+=("signers/$(basename "$f")"); done
for f in "${files[@]}"; do [ -f "$PRISTINE/$f" ] || fail "expected file $f is missing"; done

note "flipping one byte in every ${STEP} of ${#files[@]} files"
python3 - "$TAMGA_BIN" "$PRISTINE" "$TRY" "$STEP" "${files[@]}" <<'PY' || fail "single-byte tampering not detected (see above)"
import os, shutil, subprocess, sys

tamga, pristine, trydir, step = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
files = sys.argv[5:]
masks = [0x01, 0x80, 0x20, 0x04, 0xff]
shutil.rmtree(trydir, ignore_errors=True)
shutil.copytree(pristine, trydir, symlinks=True)
total = 0
bad = []
for rel in files:
    path = os.path.join(trydir, rel)
    orig = open(path, "rb").read()
    start = 0
    if rel.endswith(".minisig") or rel.endswith(".pub"):
        start = orig.index(b"\n") + 1  # the untrusted comment line
    n = 0
    for i, pos in enumerate(range(start, len(orig), step)):
        mask = masks[i % len(masks)]
        data = bytearray(orig)
        data[pos] ^= mask
        with open(path, "wb") as f:
            f.write(data)
        r = subprocess.run([tamga, "verify", trydir], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 1:
            last = r.stderr.decode(errors="replace").strip()
            if not last and r.stdout:
                last = r.stdout.decode(errors="replace").strip().splitlines()[-1]
            bad.append(f"{rel} byte {pos} ^0x{mask:02x}: exit {r.returncode}: {last}")
        n += 1
        with open(path, "wb") as f:
            f.write(orig)
    total += n
    print(f"  {rel}: {n} positions flipped", flush=True)
# The restored copy still verifies (so no run wrote into it).
r = subprocess.run([tamga, "verify", trydir], stdin=subprocess.DEVNULL, capture_output=True)
if r.returncode != 0:
    bad.append(f"the restored copy no longer verifies (exit {r.returncode})")
print(f"  {total} single-byte changes tried, {len(bad)} not detected", flush=True)
for b in bad[:40]:
    print("  NOT DETECTED:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# ---- whole files and whole lines ----
# expect_failed WHAT: `tamga verify` on $TRY exits 1 with a FAILED verdict.
expect_failed() {
    t verify "$TRY"
    expect_rc 1 "$*"
    grep -q '^FAILED' "$E2E_OUT" || fail "$* : no FAILED verdict line"
    grep -q '  FAIL' "$E2E_OUT" || fail "$* : no FAIL check line"
}

# edit_lines FILE PYTHON-STATEMENT: edits the list `lines` of FILE's lines.
edit_lines() {
    python3 - "$1" "$2" <<'PY'
import sys
p = sys.argv[1]
lines = open(p, "rb").read().splitlines(keepends=True)
exec(sys.argv[2])
open(p, "wb").write(b"".join(lines))
PY
}

fresh_copy
rm "$TRY/recordings/$rec.tamga"
expect_failed "recording's .tamga deleted"

fresh_copy
rm "$TRY/recordings/$rec.manifest.json" "$TRY/recordings/$rec.manifest.json.minisig"
expect_failed "recording's manifest and signature deleted"

fresh_copy
rm "$TRY/recordings/$rec".*
expect_failed "every file of a recording deleted"

fresh_copy
rm "$TRY/recordings/$rec.private"
expect_failed "private metadata deleted"

fresh_copy
rm "$TRY/recordings/$rec.manifest.json.minisig"
expect_failed "manifest signature deleted"

fresh_copy
lines=$(wc -l <"$TRY/custody.jsonl")
[ "$lines" -ge 3 ] || fail "expected at least 3 custody lines, found $lines"
head -n $((lines - 1)) "$PRISTINE/custody.jsonl" >"$TRY/custody.jsonl"
expect_failed "last custody line removed"

fresh_copy
edit_lines "$TRY/custody.jsonl" 'lines[1], lines[2] = lines[2], lines[1]'
expect_failed "custody lines 2 and 3 swapped"

fresh_copy
edit_lines "$TRY/custody.jsonl" 'lines[-1], lines[-2] = lines[-2], lines[-1]'
expect_failed "the last two custody lines swapped"

fresh_copy
edit_lines "$TRY/custody.jsonl" 'del lines[1]'
expect_failed "custody line 2 removed"

fresh_copy
edit_lines "$TRY/custody.jsonl" 'lines.insert(2, lines[1])'
expect_failed "custody line 2 duplicated"

fresh_copy
: >"$TRY/custody.jsonl"
expect_failed "custody log emptied"

fresh_copy
printf '\n' >>"$TRY/custody.jsonl"
expect_failed "an empty line appended to the custody log"

fresh_copy
rm "$TRY/head.json"
expect_failed "head.json deleted"

fresh_copy
rm "$TRY/case.json.minisig"
expect_failed "case.json.minisig deleted"

fresh_copy
cp "$PRISTINE/recordings/$other.manifest.json" "$TRY/recordings/$rec.manifest.json"
cp "$PRISTINE/recordings/$other.manifest.json.minisig" "$TRY/recordings/$rec.manifest.json.minisig"
expect_failed "another recording's manifest under this recording's name"

fresh_copy
cp "$PRISTINE/recordings/$other.tamga" "$TRY/recordings/$rec.tamga"
cp "$PRISTINE/recordings/$rec.tamga" "$TRY/recordings/$other.tamga"
expect_failed "two recordings' .tamga files swapped"

fresh_copy
cp "$PRISTINE/recordings/$other.private" "$TRY/recordings/$rec.private"
expect_failed "another recording's private metadata under this recording's name"

fresh_copy
head -c -1 "$PRISTINE/recordings/$rec.tamga" >"$TRY/recordings/$rec.tamga"
expect_failed "the .tamga cut short by one byte"

fresh_copy
printf 'x' >>"$TRY/recordings/$rec.tamga"
expect_failed "one byte appended to the .tamga"

# Verifying a tampered recording by its file or manifest path fails too.
fresh_copy
flip_byte "$TRY/recordings/$rec.tamga" 100
t verify "$TRY/recordings/$rec.tamga"
expect_rc 1 "verify of a tampered .tamga by path"
t verify "$TRY/recordings/$rec.manifest.json"
expect_rc 1 "verify of a tampered recording by its manifest path"

t verify "$PRISTINE"
expect_rc 0 "the pristine copy"
note "all tampering detected"
