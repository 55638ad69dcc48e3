#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Emergency wipe: `tamga wipe` refuses without --yes-destroy-my-keys (written in
# full) and changes nothing; with it, the secret identity key and every key
# grant are gone in well under a second, the recordings and public files stay,
# the case still verifies, nothing decrypts here any more, and a partner
# keyholder who received the case before still decrypts it.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init
need_tool sox python3

HOME_B="$WORK/home-b"
new_identity "Field laptop"
new_identity "Archive" "$HOME_B"
ok --home "$HOME_B" id export -o "$WORK/b-public.json"
new_case "Wipe case" --keyholder "$WORK/b-public.json"
make_wav "$WORK/in.wav" 2
record "$CASE_ID" "$WORK/in.wav" --title "Before the wipe" --interviewee "W"
REC=$REC_ID
ok decrypt "$REC" -o "$WORK/before.opus" --passphrase-file "$PASSFILE"
[ "$(ls "$CASE_DIR/keyholders" | wc -l)" -eq 2 ] || fail "expected two key grants"
cp -a "$CASE_DIR" "$WORK/copy-for-b" # the archive's copy, handed over earlier
cp "$TAMGA_HOME/identity/secret.key" "$WORK/secret-backup.key" # as forensics might recover it

# ---- refusals change nothing -----------------------------------------------------
before=$(tree_state "$TAMGA_HOME")
for args in "" "--yes" "--yes-destroy" "--force" "--yes-destroy-my-keys extra"; do
    # shellcheck disable=SC2086
    t wipe $args
    expect_rc 2 "wipe $args"
done
[ "$(tree_state "$TAMGA_HOME")" = "$before" ] || fail "a refused wipe changed the data folder"
t wipe --help
expect_rc 0 "wipe --help"
grep -q -- '--yes-destroy-my-keys' "$E2E_OUT" || fail "wipe --help does not name the flag"

# ---- the wipe ----------------------------------------------------------------------
start=$(date +%s%N)
t wipe --yes-destroy-my-keys
expect_rc 0 "wipe --yes-destroy-my-keys"
took_ms=$((($(date +%s%N) - start) / 1000000))
note "tamga wipe took ${took_ms} ms (process included)"
[ "$took_ms" -lt 1000 ] || fail "the wipe took ${took_ms} ms"
grep -q 'secret identity key' "$E2E_OUT" || fail "the report does not say the identity key went"
grep -q '2 case-key grants' "$E2E_OUT" || fail "the report does not count the grants"
grep -q '1 encrypted recording' "$E2E_OUT" || fail "the report does not say what remains"
grep -q 'public.json' "$E2E_OUT" || fail "the report does not mention the public identity"
grep -Eq 'took [0-9.]+ ms' "$E2E_OUT" || fail "the report is not timed"

[ ! -e "$TAMGA_HOME/identity/secret.key" ] || fail "secret.key is still there"
[ -z "$(ls -A "$CASE_DIR/keyholders")" ] || fail "key grants are still there"
[ -f "$TAMGA_HOME/identity/public.json" ] || fail "the public identity was removed"
[ -f "$CASE_DIR/recordings/$REC.tamga" ] || fail "the recording was removed"
expect_no_temp_files "$TAMGA_HOME"

# ---- after: verifies, does not decrypt -----------------------------------------------
ok verify "$CASE_DIR"
grep -q '^VERIFIED' "$E2E_OUT" || fail "the case does not verify after the wipe"
t decrypt "$REC" -o "$WORK/after.opus" --passphrase-file "$PASSFILE"
expect_rc 2 "decrypt after the wipe"
[ ! -e "$WORK/after.opus" ] || fail "decrypt wrote a file after the wipe"
t verify --decrypt "$CASE_DIR" --passphrase-file "$PASSFILE"
[ "$RC" -ne 0 ] || fail "verify --decrypt succeeded after the wipe"

# Even a recovered copy of the secret key (and its passphrase) opens nothing:
# the key grants are gone too.
cp "$WORK/secret-backup.key" "$TAMGA_HOME/identity/secret.key"
t decrypt "$REC" -o "$WORK/after.opus" --passphrase-file "$PASSFILE"
expect_rc 2 "decrypt with a recovered secret key"
grep -qi 'keyholder\|record-only' "$E2E_ERR" || fail "decrypt does not say this is no keyholder any more"
[ ! -e "$WORK/after.opus" ] || fail "decrypt wrote a file with a recovered secret key"

t wipe --yes-destroy-my-keys --json
expect_rc 0 "second wipe"
[ "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["grants_destroyed"], d["identity_destroyed"], d["recordings_remaining"])' <"$E2E_OUT")" = "0 True 1" ] ||
    fail "the second wipe's JSON report is wrong"

# ---- the archive's copy still decrypts with the archive's key ---------------------------
ok --home "$HOME_B" decrypt "$WORK/copy-for-b/recordings/$REC.tamga" -o "$WORK/b.opus" \
    --passphrase-file "$PASSFILE"
cmp -s "$WORK/before.opus" "$WORK/b.opus" || fail "the archive decrypts something else"
note "wiped in ${took_ms} ms; the case verifies; only the archive's copy decrypts"
