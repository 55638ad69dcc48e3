#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bundles between an office, a partner with only stock tools, and a journalist
# with tamga: export to an age1 recipient and check with stock age, tar,
# sha256sum, minisign and opusinfo exactly as VERIFY.txt says; import with
# tamga (custody goes on: "received"), merge with a custody branch; wrong
# recipient, wrong passphrase, tampered and truncated bundles, malicious tars
# (built with python3 tarfile, encrypted with stock age): clear error, exit
# status 2 (1 for a bundle that does not verify), nothing written.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init
need_tool sox opusinfo age age-keygen minisign sha256sum tar python3

OFFICE="$TAMGA_HOME"
JOUR="$WORK/journalist"
THIRD="$WORK/third"
new_identity "Office" "$OFFICE"
new_identity "Journalist" "$JOUR"
new_identity "Third" "$THIRD"
ok --home "$JOUR" id export -o "$WORK/jour.json"
new_case "Case A"
make_wav "$WORK/in.wav" 2
record "$CASE_ID" "$WORK/in.wav" --title "One" --language kk --consent public
record "$CASE_ID" "$WORK/in.wav" --title "Two" --language kk --consent public

# ---- a partner with stock tools only ----
age-keygen -o "$WORK/partner.key" 2>/dev/null
R=$(grep -o 'age1[0-9a-z]*' "$WORK/partner.key")
ok export --case "$CASE_ID" --to "$R" -o "$WORK/p.age" --plain-audio --passphrase-file "$PASSFILE"
expect_no_temp_files "$WORK"
t export --case "$CASE_ID" --to "$R" -o "$WORK/p.age" --passphrase-file "$PASSFILE"
expect_rc 2 "export over an existing file"
mkdir "$WORK/partner"
(cd "$WORK/partner" && age -d -i "$WORK/partner.key" "$WORK/p.age" | tar -x) ||
    fail "stock age | tar failed"
B=$(echo "$WORK"/partner/tamga-bundle-*)
# The signed index first, as VERIFY.txt says: stock minisign with the exporter's key
# from keys/, and the SHA-256 of SHA256SUMS that it names.
EXP=$(json_get "$B/BUNDLE.json" exporter_key_id)
[ -f "$B/keys/$EXP.pub" ] || fail "the exporter's key $EXP is not in keys/"
minisign -Vm "$B/BUNDLE.json" -p "$B/keys/$EXP.pub" >/dev/null || fail "minisign BUNDLE.json"
grep -q "minisign -Vm BUNDLE.json -p keys/$EXP.pub" "$B/VERIFY.txt" ||
    fail "VERIFY.txt lacks the BUNDLE.json step"
[ "$(json_get "$B/BUNDLE.json" sha256sums_sha256)" = "$(sha256sum "$B/SHA256SUMS" | cut -c1-64)" ] ||
    fail "BUNDLE.json does not name SHA256SUMS"
[ "$(json_get "$B/BUNDLE.json" plain_audio)" = "true" ] || fail "BUNDLE.json: plain_audio"
(cd "$B" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c failed"
for m in "$B"/recordings/*.manifest.json; do
    kid=$(json_get "$m" signer.key_id 2>/dev/null || true)
    ok_sig=0
    for k in "$B"/keys/*.pub; do
        minisign -Vm "$m" -p "$k" >/dev/null 2>&1 && ok_sig=1
    done
    [ $ok_sig = 1 ] || fail "minisign does not verify $m with any key in keys/"
done
minisign -Vm "$B/case.json" -p "$B"/keys/*.pub >/dev/null || fail "case.json signature"
n=0
for a in "$B"/audio/*.opus; do
    opusinfo "$a" >/dev/null 2>&1 || fail "opusinfo rejects $a"
    n=$((n + 1))
done
[ $n = 2 ] || fail "expected 2 plain audio files, got $n"
grep -q 'age -d -i key.txt' "$B/VERIFY.txt" || fail "VERIFY.txt lacks the age step"
ok verify "$B"
grep -q '^VERIFIED' "$E2E_OUT" || fail "verify of the extracted bundle"
flip_byte "$B/audio/$(ls "$B/audio" | head -1)" 100
t verify "$B"
expect_rc 1 "verify of an extracted bundle with changed audio"
ok log "$CASE_ID"
grep -q exported "$E2E_OUT" || fail "no exported custody event"

# ---- a journalist with tamga: import, custody goes on ----
ok export --case "$CASE_ID" --to "$WORK/jour.json" -o "$WORK/j.age" --grant-case-key \
    --passphrase-file "$PASSFILE"
before=$(tree_state "$THIRD")
t --home "$THIRD" import "$WORK/j.age" --passphrase-file "$PASSFILE"
expect_rc 2 "import by a wrong recipient"
[ "$before" = "$(tree_state "$THIRD")" ] || fail "a refused import changed the data folder"
ok --home "$JOUR" import "$WORK/j.age" --passphrase-file "$PASSFILE"
JDIR="$JOUR/cases/$CASE_ID"
ok --home "$JOUR" verify --decrypt "$JDIR" --passphrase-file "$PASSFILE"
ok --home "$JOUR" log "$CASE_ID"
grep -q received "$E2E_OUT" || fail "no received custody event"
# Both sides go on; the office's bundle comes again: a custody branch.
record "$CASE_ID" "$WORK/in.wav" --title "Three" --language kk --consent public
ok export --case "$CASE_ID" --to "$WORK/jour.json" -o "$WORK/j2.age" --passphrase-file "$PASSFILE"
ok --home "$JOUR" import "$WORK/j2.age" --passphrase-file "$PASSFILE"
grep -q 'branch' "$E2E_ERR" || fail "import did not report the custody branch"
ok --home "$JOUR" verify "$JDIR"
[ -d "$JDIR/branches" ] || fail "no branches folder after a merge"

# ---- tampered, truncated, wrong passphrase ----
printf 'bundle pass\n' >"$WORK/bp"
printf 'other pass\n' >"$WORK/bp2"
ok export --case "$CASE_ID" --passphrase --bundle-passphrase-file "$WORK/bp" -o "$WORK/pp.age" \
    --passphrase-file "$PASSFILE"
before=$(tree_state "$THIRD")
t --home "$THIRD" import "$WORK/pp.age" --bundle-passphrase-file "$WORK/bp2" --passphrase-file "$PASSFILE"
expect_rc 2 "wrong bundle passphrase"
size=$(stat -c %s "$WORK/j.age")
for cut in 100 2000 $((size / 2)) $((size - 17)); do
    head -c "$cut" "$WORK/j.age" >"$WORK/cut.age"
    t --home "$THIRD" import "$WORK/cut.age" --passphrase-file "$PASSFILE"
    expect_rc 2 "truncated bundle ($cut bytes)"
done
for off in 300 $((size / 3)) $((size - 40)); do
    cp "$WORK/pp.age" "$WORK/flip.age"
    flip_byte "$WORK/flip.age" "$off"
    t --home "$THIRD" import "$WORK/flip.age" --bundle-passphrase-file "$WORK/bp" --passphrase-file "$PASSFILE"
    expect_rc 1 "tampered bundle (byte $off)"
done
[ "$before" = "$(tree_state "$THIRD")" ] || fail "refused imports changed the data folder"

# ---- malicious tars, encrypted with stock age to the third identity ----
ok --home "$THIRD" id export -o "$WORK/third.json"
R3=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["age_recipient"])' "$WORK/third.json" 2>/dev/null ||
    true)
if [ -z "$R3" ]; then
    ok --home "$THIRD" id export --age
    R3=$(tr -d '\n' <"$E2E_OUT")
fi
TOP="tamga-bundle-${CASE_ID:0:12}"
python3 - "$WORK/evil" "$TOP" "$B" <<'PY'
import io, os, sys, tarfile
out, top, good = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
def tar(name, members):
    with tarfile.open(os.path.join(out, name), "w", format=tarfile.PAX_FORMAT) as t:
        for m, data in members:
            t.addfile(m, io.BytesIO(data) if data is not None else None)
def f(n, data=b"x"):
    i = tarfile.TarInfo(n); i.size = len(data); return (i, data)
def special(n, typ, link=""):
    i = tarfile.TarInfo(n); i.type = typ; i.linkname = link; return (i, None)
tar("traversal.tar", [f(top + "/../../evil")])
tar("absolute.tar", [f("/tmp/evil")])
tar("symlink.tar", [special(top + "/case.json", tarfile.SYMTYPE, "/etc/passwd")])
tar("hardlink.tar", [special(top + "/case.json", tarfile.LNKTYPE, "/etc/passwd")])
tar("device.tar", [special(top + "/case.json", tarfile.CHRTYPE)])
tar("fifo.tar", [special(top + "/case.json", tarfile.FIFOTYPE)])
tar("duplicate.tar", [f(top + "/case.json"), f(top + "/case.json")])
tar("outside.tar", [f(top + "/notes.txt")])
big = tarfile.TarInfo(top + "/case.json"); big.size = 2 << 20
with tarfile.open(os.path.join(out, "huge.tar"), "w", format=tarfile.PAX_FORMAT) as t:
    t.addfile(big, io.BytesIO(b"\0" * big.size))
with tarfile.open(os.path.join(out, "many.tar"), "w", format=tarfile.PAX_FORMAT) as t:
    for n in range(5000):
        i, d = f("%s/recordings/%032x.private" % (top, n))
        t.addfile(i, io.BytesIO(d))
PY
before=$(tree_state "$THIRD")
for tf in "$WORK"/evil/*.tar; do
    age -r "$R3" -o "${tf%.tar}.age" "$tf"
    t --home "$THIRD" import "${tf%.tar}.age" --passphrase-file "$PASSFILE"
    rc=$RC
    [ "$rc" = 2 ] || [ "$rc" = 1 ] || fail "$(basename "$tf"): exit $rc"
    [ -e "$WORK/evil" ] && [ ! -e /tmp/evil ] || fail "$(basename "$tf") wrote outside"
done
[ "$before" = "$(tree_state "$THIRD")" ] || fail "malicious tars changed the data folder"
note "all checks passed"
