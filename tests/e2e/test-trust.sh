#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tamga trust add | list | rename | remove: the roster on disk follows each
# command, mistakes (duplicate names or keys, unknown entries, bad names) exit 2
# with one error line and change nothing, and verification names the signer.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init

new_identity "Local tester"
PARTNER_HOME="$WORK/partner"
new_identity "Partner" "$PARTNER_HOME"
t --home "$PARTNER_HOME" id export -o "$WORK/partner.json" --passphrase-file "$PASSFILE"
expect_rc 0 "id export (partner)"
OTHER_HOME="$WORK/other"
new_identity "Other" "$OTHER_HOME"
t --home "$OTHER_HOME" id export -o "$WORK/other.json" --passphrase-file "$PASSFILE"
expect_rc 0 "id export (other)"

# roster_names: the names in trust.json, one a line, in order.
roster_names() {
    python3 -c 'import json,sys; [print(e["name"]) for e in json.load(open(sys.argv[1]))["entries"]]' \
        "$TAMGA_HOME/trust.json"
}

# ---- add and list ---------------------------------------------------------------------------
t trust list
expect_rc 0 "trust list (empty)"
ok trust add "$WORK/partner.json" --name "Partner A"
grep -q 'as "Partner A"' "$E2E_OUT" || fail "trust add does not say the name"
PARTNER_KID=$(grep -oE '[0-9A-F]{16}' "$E2E_OUT" | head -1)
ok trust add "$WORK/other.json"
ok trust list
grep -q "^$PARTNER_KID  Partner A  (added " "$E2E_OUT" || fail "trust list does not show Partner A"
grep -q "  Other  (added " "$E2E_OUT" || fail "trust list does not show Other (the file's own name)"
[ -z "$(find "$TAMGA_HOME/trust.json" -perm /077)" ] || fail "trust.json is readable by others"

# Duplicates: the same key, or a name already there.
before=$(sha256sum <"$TAMGA_HOME/trust.json")
t trust add "$WORK/partner.json" --name "Partner again"
expect_error 2 "trust add of a key already there"
t trust add "$WORK/partner.json" --name "Other"
expect_error 2 "trust add under a name already there"

# ---- rename ---------------------------------------------------------------------------------
t trust rename "Nobody" "Somebody"
expect_error 2 "trust rename of an unknown name"
t trust rename "Partner A" "Other"
expect_error 2 "trust rename to a name already there"
t trust rename "Partner A" ""
expect_error 2 "trust rename to an empty name"
t trust rename "Partner A" "$(printf 'two\nlines')"
expect_error 2 "trust rename to a name with a control character"
t trust rename "Partner A"
expect_usage_error "trust rename with one argument"
t trust rename "Partner A" "B" "C"
expect_usage_error "trust rename with three arguments"
[ "$(sha256sum <"$TAMGA_HOME/trust.json")" = "$before" ] || fail "a refused command changed trust.json"

ok trust rename "Partner A" "Partner B"
ok trust list
grep -q "^$PARTNER_KID  Partner B  (added " "$E2E_OUT" || fail "trust list does not show the new name"
! grep -q "Partner A" "$E2E_OUT" || fail "the old name is still listed"
ok trust rename "$PARTNER_KID" "Almaty office"
[ "$(roster_names)" = "$(printf 'Almaty office\nOther')" ] || fail "rename by key id: $(roster_names)"

# Verification names the signer by the new name: a case recorded by the partner.
if command -v sox >/dev/null 2>&1; then
    make_wav "$WORK/speech.wav" 2
    t --home "$PARTNER_HOME" case new "Partner case" --passphrase-file "$PASSFILE"
    expect_rc 0 "case new (partner)"
    PCASE=$(tr -d '\n' <"$E2E_OUT")
    t --home "$PARTNER_HOME" record --case "$PCASE" --input "$WORK/speech.wav" \
        --passphrase-file "$PASSFILE"
    expect_rc 0 "record (partner)"
    t verify "$PARTNER_HOME/cases/$PCASE"
    expect_rc 0 "verify the partner's case"
    grep -q "$PARTNER_KID (Almaty office, trusted)" "$E2E_OUT" ||
        fail "verify does not name the signer by the new name"
else
    note "sox missing: verification naming not checked"
fi
t help trust
expect_rc 0 "help trust"
grep -q "rename" "$E2E_OUT" || fail "tamga help trust does not list rename"

# ---- remove ---------------------------------------------------------------------------------
ok trust remove "Almaty office"
t trust remove "Almaty office"
expect_error 2 "trust remove twice"
ok trust list
! grep -q "$PARTNER_KID" "$E2E_OUT" || fail "the removed key is still listed"
[ "$(roster_names)" = "Other" ] || fail "after remove: $(roster_names)"
note "trust add/list/rename/remove: ok"
