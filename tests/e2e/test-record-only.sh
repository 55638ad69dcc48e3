#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A record-only laptop (A) records into a case whose only keyholder is another
# identity (B, the archive). A can record, sign and verify, but never decrypt:
# `tamga decrypt` exits 2 and writes nothing, `verify --decrypt` decrypts
# nothing. Once the case folder reaches B, B decrypts it.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init
need_tool sox opusinfo

HOME_A="$TAMGA_HOME"
HOME_B="$WORK/home-b"
PASS_B="$WORK/passphrase-b"
printf 'archive office passphrase\n' >"$PASS_B"

new_identity "Laptop A" "$HOME_A"
ok --home "$HOME_A" id show --json
key_a=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key_id"])' <"$E2E_OUT")
t --home "$HOME_B" id new --name "Archive B" --kdf interactive --passphrase-file "$PASS_B"
expect_rc 0 "id new for B"
ok --home "$HOME_B" id export -o "$WORK/b-public.json"
ok --home "$HOME_B" id show --json
key_b=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key_id"])' <"$E2E_OUT")
[ "$key_a" != "$key_b" ] || fail "A and B have the same key id"

# ---- A: a record-only case with B as the keyholder ----
new_case "Field case" --keyholder "$WORK/b-public.json" --record-only
[ -f "$CASE_DIR/keyholders/$key_b.box" ] || fail "no key grant for B"
[ ! -e "$CASE_DIR/keyholders/$key_a.box" ] || fail "record-only, yet A holds a key grant"
[ "$(ls "$CASE_DIR/keyholders" | wc -l)" -eq 1 ] || fail "expected exactly one key grant"

make_wav "$WORK/in.wav" 2
record "$CASE_ID" "$WORK/in.wav" --title "Recorded on A" --interviewee "Witness 3" --notes "n"
rec=$REC_ID
ok verify "$CASE_DIR"
grep -q '^VERIFIED' "$E2E_OUT" || fail "verify on A: no VERIFIED line"

ok case list
grep -q 'record-only' "$E2E_OUT" || fail "case list on A does not say record-only"
ok case list --json
[ "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["keyholder"])' <"$E2E_OUT")" = False ] ||
    fail "case list --json on A: keyholder is not false"
ok case show "$CASE_ID"
grep -q 'record-only' "$E2E_OUT" || fail "case show on A does not say record-only"
grep -q "$key_b" "$E2E_OUT" || fail "case show does not name keyholder B"

# ---- A cannot decrypt ----
state_before=$(tree_state "$HOME_A")
t decrypt "$rec" -o "$WORK/a.opus" --passphrase-file "$PASSFILE"
expect_error 2 "decrypt on the record-only machine"
grep -qi 'keyholder' "$E2E_ERR" || fail "the error does not say 'not a keyholder'"
[ ! -e "$WORK/a.opus" ] || fail "decrypt on A left an output file"
t decrypt "$CASE_DIR/recordings/$rec.tamga" -o "$WORK/a2.opus" --passphrase-file "$PASSFILE"
expect_error 2 "decrypt by path on the record-only machine"
[ ! -e "$WORK/a2.opus" ] || fail "decrypt by path on A left an output file"
[ "$(tree_state "$HOME_A")" = "$state_before" ] || fail "a refused decrypt changed A's data folder"

t verify "$CASE_DIR" --decrypt --passphrase-file "$PASSFILE"
expect_rc_in "0 2" "verify --decrypt on A"
if [ "$RC" -eq 0 ]; then
    grep -q 'WARN' "$E2E_OUT" || fail "verify --decrypt on A: no warning that nothing was decrypted"
    grep -qi 'keyholder' "$E2E_OUT" || fail "verify --decrypt on A: the warning does not mention keyholders"
    if grep -i 'OK' "$E2E_OUT" | grep -qi -e 'decod' -e 'plaintext' -e 'audio stream'; then
        fail "verify --decrypt on A claims to have decrypted something"
    fi
else
    expect_one_error_line "verify --decrypt on A"
fi
expect_no_temp_files "$HOME_A"
if find "$WORK" -name '*.opus' | grep -q .; then fail "an .opus file appeared on A"; fi

# ---- the case folder travels to B; B decrypts ----
mkdir -p "$HOME_B/cases"
cp -a "$CASE_DIR" "$HOME_B/cases/"
ok --home "$HOME_B" verify "$HOME_B/cases/$CASE_ID"
ok --home "$HOME_B" case list
grep -q 'keyholder' "$E2E_OUT" || fail "case list on B"
grep -q 'record-only' "$E2E_OUT" && fail "case list on B says record-only"
# B signs into the case for the first time with a note: B's key joins the case
# and the case still verifies.
ok --home "$HOME_B" log note "$CASE_ID" "received by the archive" --passphrase-file "$PASS_B"
t --home "$HOME_B" verify "$HOME_B/cases/$CASE_ID"
expect_rc 0 "verify on B after B's first custody entry (a note)"
ok --home "$HOME_B" verify "$HOME_B/cases/$CASE_ID" --log --passphrase-file "$PASS_B"
ok --home "$HOME_B" verify "$HOME_B/cases/$CASE_ID"
ok --home "$HOME_B" decrypt "$rec" -o "$WORK/b.opus" --passphrase-file "$PASS_B"
opusinfo "$WORK/b.opus" >/dev/null 2>&1 || fail "opusinfo rejects B's decrypted file"
[ "$(sha256sum "$WORK/b.opus" | cut -d' ' -f1)" = \
    "$(json_get "$CASE_DIR/recordings/$rec.manifest.json" audio_stream.sha256)" ] ||
    fail "B's decrypted audio differs from the signed hash"
# B's passphrase is B's: A's passphrase does not unlock B.
t --home "$HOME_B" decrypt "$rec" -o "$WORK/b2.opus" --passphrase-file "$PASSFILE"
expect_error 2 "decrypt on B with A's passphrase"
[ ! -e "$WORK/b2.opus" ] || fail "wrong passphrase left an output file"
ok --home "$HOME_B" verify "$HOME_B/cases/$CASE_ID" --decrypt --passphrase-file "$PASS_B"
grep -q 'WARN' "$E2E_OUT" && fail "verify --decrypt on B warns: $(grep WARN "$E2E_OUT")"
# B's "decrypted" custody entry is signed by B and verifies.
ok --home "$HOME_B" log "$CASE_ID"
grep 'decrypted' "$E2E_OUT" | grep -q "$key_b" || fail "B's decrypted event does not name B's key id"

# A's own folder is untouched by all this and still verifies.
ok verify "$CASE_DIR"
note "all checks passed"
