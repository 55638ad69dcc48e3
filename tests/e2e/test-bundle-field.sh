#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A record-only field laptop: the office creates a case and writes its recorder
# file; the field laptop joins it (no key), records two WAVs, and sends the
# sealed recordings back in a bundle (no plain audio, no grant). The office
# imports: verify --decrypt passes with the field interviewer's signatures and
# manifest chain, and the office log shows "received". The field laptop can
# never decrypt. It records more later and a second bundle merges cleanly.
# Bad recorder files (tampered, another format, an existing case) are refused
# and write nothing.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init
need_tool sox python3 age minisign tar sha256sum

OFFICE="$TAMGA_HOME"
FIELD="$WORK/field"
new_identity "Office" "$OFFICE"
new_identity "Field interviewer" "$FIELD"
ok --home "$OFFICE" id export -o "$WORK/office-public.json"
ok --home "$FIELD" id show --json
field_kid=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key_id"])' <"$E2E_OUT")

new_case "Field case"
ok case export-recorder "$CASE_ID" -o "$WORK/rec.json"
t case export-recorder "$CASE_ID" -o "$WORK/rec.json"
expect_rc 2 "export-recorder over an existing file"
grep -q 'SECRET\|\.box' "$WORK/rec.json" && fail "the recorder file holds a secret or a key grant"

# ---- bad recorder files: refused, nothing written ----
python3 - "$WORK/rec.json" "$WORK/bad1.json" "$WORK/bad2.json" "$WORK/bad3.json" <<'EOF'
import json, sys
src = open(sys.argv[1], encoding="utf-8").read()
j = json.loads(src)
# 1: the title changed after signing
j1 = dict(j); j1["case_json"] = j["case_json"].replace("Field case", "Field casE")
open(sys.argv[2], "w").write(json.dumps(j1, separators=(",", ":")))
# 2: an unknown version
j2 = dict(j); j2["version"] = 2
open(sys.argv[3], "w").write(json.dumps(j2, separators=(",", ":")))
# 3: a custody entry altered
j3 = dict(j); j3["custody_jsonl"] = j["custody_jsonl"].replace("case-created", "case-creatEd")
open(sys.argv[4], "w").write(json.dumps(j3, separators=(",", ":")))
EOF
before=$(tree_state "$FIELD")
for b in bad1 bad2 bad3; do
    t --home "$FIELD" case join "$WORK/$b.json" --passphrase-file "$PASSFILE"
    expect_rc_in "1 2" "join with $b"
    [ "$before" = "$(tree_state "$FIELD")" ] || fail "a refused join ($b) changed the data folder"
done
head -c 100 "$WORK/rec.json" >"$WORK/trunc.json"
t --home "$FIELD" case join "$WORK/trunc.json" --passphrase-file "$PASSFILE"
expect_rc 2 "join with a truncated file"
[ "$before" = "$(tree_state "$FIELD")" ] || fail "a refused join (truncated) changed the data folder"

# ---- the field laptop joins, record-only ----
ok --home "$FIELD" case join "$WORK/rec.json" --passphrase-file "$PASSFILE"
[ "$(tr -d '\n' <"$E2E_OUT")" = "$CASE_ID" ] || fail "join printed another case id"
FDIR="$FIELD/cases/$CASE_ID"
[ -z "$(ls "$FDIR/keyholders")" ] || fail "the field laptop holds a key grant"
t --home "$FIELD" case join "$WORK/rec.json" --passphrase-file "$PASSFILE"
expect_rc 2 "joining a case that is already here"
ok --home "$FIELD" case show "$CASE_ID"
grep -q 'record-only' "$E2E_OUT" || fail "case show on the field laptop does not say record-only"
ok --home "$FIELD" log "$CASE_ID"
grep -q joined "$E2E_OUT" || fail "no joined custody event on the field laptop"

make_wav "$WORK/a.wav" 2
make_wav "$WORK/b.wav" 3 48000 2
t --home "$FIELD" record --case "$CASE_ID" --input "$WORK/a.wav" --title "Field one" \
    --language kk --consent public --passphrase-file "$PASSFILE"
expect_rc 0 "field record 1"
rec1=$(tr -d '\n' <"$E2E_OUT")
t --home "$FIELD" record --case "$CASE_ID" --input "$WORK/b.wav" --title "Field two" \
    --language ru --consent internal --passphrase-file "$PASSFILE"
expect_rc 0 "field record 2"
rec2=$(tr -d '\n' <"$E2E_OUT")
ok --home "$FIELD" verify "$FDIR"

# ---- the field laptop can never decrypt ----
t --home "$FIELD" decrypt "$rec1" -o "$WORK/f.opus" --passphrase-file "$PASSFILE"
expect_rc 2 "decrypt on the field laptop"
[ ! -e "$WORK/f.opus" ] || fail "decrypt on the field laptop left a file"
t --home "$FIELD" export --case "$CASE_ID" --to "$WORK/office-public.json" -o "$WORK/x.age" \
    --plain-audio --passphrase-file "$PASSFILE"
expect_rc 2 "plain-audio export from the field laptop"
[ ! -e "$WORK/x.age" ] || fail "a refused export left a file"

# ---- back to the office ----
ok --home "$FIELD" export --case "$CASE_ID" --to "$WORK/office-public.json" -o "$WORK/f1.age" \
    --passphrase-file "$PASSFILE"
ok --home "$OFFICE" import "$WORK/f1.age" --passphrase-file "$PASSFILE"
ODIR="$OFFICE/cases/$CASE_ID"
[ -f "$ODIR/recordings/$rec1.tamga" ] && [ -f "$ODIR/recordings/$rec2.tamga" ] ||
    fail "the field recordings are not at the office"
ok --home "$OFFICE" verify --decrypt "$ODIR" --passphrase-file "$PASSFILE"
grep -q '^VERIFIED' "$E2E_OUT" || fail "verify --decrypt at the office"
grep -q "manifest chain of $field_kid.*2 recordings" "$E2E_OUT" ||
    fail "the field interviewer's manifest chain is not reported intact"
grep -q "$field_kid" "$E2E_OUT" || fail "the field interviewer's key is not named"
ok --home "$OFFICE" decrypt "$rec2" -o "$WORK/o2.opus" --passphrase-file "$PASSFILE"
ok --home "$OFFICE" log "$CASE_ID"
grep -q received "$E2E_OUT" || fail "the office log does not show received"
grep -q "$field_kid.*joined" "$E2E_OUT" || fail "the field laptop's joined event is not at the office"
[ "$(grep -c "$field_kid.*recording-sealed" "$E2E_OUT")" = 2 ] ||
    fail "the field laptop's sealing events are not at the office"

# ---- later: more field recordings, a second bundle merges ----
t --home "$FIELD" record --case "$CASE_ID" --input "$WORK/a.wav" --title "Field three" \
    --language kk --consent public --passphrase-file "$PASSFILE"
expect_rc 0 "field record 3"
rec3=$(tr -d '\n' <"$E2E_OUT")
ok --home "$FIELD" export --case "$CASE_ID" --to "$WORK/office-public.json" -o "$WORK/f2.age" \
    --passphrase-file "$PASSFILE"
ok --home "$OFFICE" import "$WORK/f2.age" --passphrase-file "$PASSFILE"
grep -q 'merged' "$E2E_ERR" || fail "the second import did not merge"
[ -f "$ODIR/recordings/$rec3.tamga" ] || fail "the third field recording is not at the office"
ok --home "$OFFICE" verify --decrypt "$ODIR" --passphrase-file "$PASSFILE"
grep -q "manifest chain of $field_kid.*3 recordings" "$E2E_OUT" ||
    fail "the field chain of 3 is not intact after the second import"
# The same bundle again: nothing new, still fine.
ok --home "$OFFICE" import "$WORK/f2.age" --passphrase-file "$PASSFILE"
ok --home "$OFFICE" verify "$ODIR"
ok --home "$FIELD" verify "$FDIR"

# ---- tamga verify FILE.age: unpacked into a private folder, removed after ----
no_staging() { ! ls -d "$1"/.staging-* >/dev/null 2>&1 || fail "a staging folder was left in $1"; }
ok --home "$OFFICE" verify "$WORK/f2.age" --passphrase-file "$PASSFILE"
grep -q '^VERIFIED' "$E2E_OUT" || fail "verify of a bundle file"
grep -q 'SHA256SUMS lists every file' "$E2E_OUT" || fail "verify of a bundle file: no bundle check"
no_staging "$OFFICE"
t --home "$FIELD" verify "$WORK/f2.age" --passphrase-file "$PASSFILE"
expect_rc 2 "verify of a bundle not addressed to this identity"
no_staging "$FIELD"
cp "$WORK/f2.age" "$WORK/f2-bad.age"
size=$(stat -c %s "$WORK/f2-bad.age")
flip_byte "$WORK/f2-bad.age" $((size / 2))
t --home "$OFFICE" verify "$WORK/f2-bad.age" --passphrase-file "$PASSFILE"
expect_rc_in "1 2" "verify of a tampered bundle file"
no_staging "$OFFICE"
printf 'bundle pass\n' >"$WORK/bp"
printf 'other pass\n' >"$WORK/bp2"
ok --home "$FIELD" export --case "$CASE_ID" --passphrase --bundle-passphrase-file "$WORK/bp" \
    -o "$WORK/fp.age" --passphrase-file "$PASSFILE"
ok --home "$WORK/nobody" verify "$WORK/fp.age" --bundle-passphrase-file "$WORK/bp"
grep -q '^VERIFIED' "$E2E_OUT" || fail "verify of a passphrase bundle"
no_staging "$WORK/nobody"
t --home "$WORK/nobody" verify "$WORK/fp.age" --bundle-passphrase-file "$WORK/bp2"
expect_rc 2 "verify of a passphrase bundle with the wrong passphrase"
no_staging "$WORK/nobody"
ok --home "$OFFICE" verify --json "$WORK/f2.age" --passphrase-file "$PASSFILE"
python3 -c 'import json,sys; json.load(sys.stdin)' <"$E2E_OUT" || fail "verify --json of a bundle"

# ---- export --recording: a bundle of some recordings still verifies ----
ok --home "$OFFICE" export --case "$CASE_ID" --recording "$rec2" --to "$WORK/office-public.json" \
    -o "$WORK/part.age" --passphrase-file "$PASSFILE"
ok --home "$OFFICE" verify "$WORK/part.age" --passphrase-file "$PASSFILE"
grep -q '^VERIFIED' "$E2E_OUT" || fail "verify of a bundle of one recording"
grep -q "not included in this bundle" "$E2E_OUT" || fail "no 'not included' note"
grep -q "number 1 of this signer is not included" "$E2E_OUT" || fail "the missing seq 1 is not named"
grep -q "not included in this bundle (per the signed index" "$E2E_OUT" || fail "no signed-index note"
# Extracted with stock age: the signed index lists exactly rec2. Removing it and its
# SHA256SUMS lines leaves a consistent SHA256SUMS, but the index fails (exit 1).
ok --home "$OFFICE" id export-secret --age --passphrase-file "$PASSFILE"
cp "$E2E_OUT" "$WORK/office.key"
mkdir "$WORK/part-x"
age -d -i "$WORK/office.key" "$WORK/part.age" | tar -x -C "$WORK/part-x" || fail "stock age | tar"
PX=$(echo "$WORK"/part-x/tamga-bundle-*)
minisign -Vm "$PX/BUNDLE.json" -p "$PX/keys/$(json_get "$PX/BUNDLE.json" exporter_key_id).pub" \
    >/dev/null || fail "stock minisign does not verify BUNDLE.json"
[ "$(json_get "$PX/BUNDLE.json" recordings.0)" = "$rec2" ] || fail "BUNDLE.json does not list rec2"
ok verify "$PX"
rm "$PX/recordings/$rec2".*
grep -v "$rec2" "$PX/SHA256SUMS" >"$WORK/sums" && cat "$WORK/sums" >"$PX/SHA256SUMS"
(cd "$PX" && sha256sum -c --quiet SHA256SUMS) || fail "the edited SHA256SUMS should be consistent"
t verify "$PX"
expect_rc 1 "verify of a bundle whose listed recording was removed"
grep -q "FAIL  bundle index: SHA256SUMS is not the one the signed index names" "$E2E_OUT" ||
    fail "verify does not see the edited SHA256SUMS"
# With the original SHA256SUMS put back, the index names the missing recording.
age -d -i "$WORK/office.key" "$WORK/part.age" | tar -x -O --wildcards '*/SHA256SUMS' \
    >"$PX/SHA256SUMS" || fail "stock age | tar -O"
t verify "$PX"
expect_rc 1 "verify of a bundle whose listed recording was removed"
grep -q "listed in the signed index but is not in the bundle" "$E2E_OUT" ||
    fail "verify does not name the removed recording"
ok --home "$OFFICE" export --case "$CASE_ID" --recording "${rec1:0:8}" --recording "$rec3" \
    --passphrase --bundle-passphrase-file "$WORK/bp" -o "$WORK/part2.age" --passphrase-file "$PASSFILE"
ok --home "$WORK/nobody" verify "$WORK/part2.age" --bundle-passphrase-file "$WORK/bp"
grep -q '^VERIFIED' "$E2E_OUT" || fail "verify of a bundle of recordings 1 and 3"
grep -q "number 2 of this signer is not included" "$E2E_OUT" || fail "the missing seq 2 is not named"
# A bundle of some recordings cannot start a case elsewhere, but merges where the rest is.
ok --home "$WORK/nobody" id new --name Nobody --kdf interactive --passphrase-file "$PASSFILE"
before=$(tree_state "$WORK/nobody")
t --home "$WORK/nobody" import "$WORK/part2.age" --bundle-passphrase-file "$WORK/bp" \
    --passphrase-file "$PASSFILE"
expect_rc 2 "import of a partial bundle as a new case"
grep -q 'only some' "$E2E_ERR" || fail "the refusal does not explain the partial bundle"
[ "$before" = "$(tree_state "$WORK/nobody")" ] || fail "a refused import changed the data folder"
ok --home "$FIELD" import "$WORK/part2.age" --bundle-passphrase-file "$WORK/bp" \
    --passphrase-file "$PASSFILE"
ok --home "$FIELD" verify "$FDIR"
t --home "$OFFICE" export --case "$CASE_ID" --recording ffffffff --to "$WORK/office-public.json" \
    -o "$WORK/none.age" --passphrase-file "$PASSFILE"
expect_rc 2 "export of a recording that is not in the case"
[ ! -e "$WORK/none.age" ] || fail "a refused export left a file"
note "field laptop round trip: OK"
