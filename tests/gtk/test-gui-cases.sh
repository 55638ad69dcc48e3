#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Identities and cases through the real window (see lib-gui.sh): the first-run
# page adopts an existing identity from its secret key file; the New Case
# dialog; a record-only case whose keyholder comes from the trust roster; a
# field laptop joins a case from the office's recorder file; a microphone
# that appears while the app runs shows up in the device list. The CLI checks
# what the window did.
set -euo pipefail
. "$(dirname "$0")/lib-gui.sh" "$0" "$@"
need_tool python3
export TAMGA_PASSPHRASE_FILE="$PASSFILE"
OFFICE=$TAMGA_HOME

# ---- identities made with the CLI: the office's (kept as a "backup"), a partner's --
t id new --name "Office" --kdf interactive --passphrase-file "$PASSFILE"
expect_rc 0 "id new (office)"
TAMGA_HOME="$WORK/partner" t id new --name "Partner" --kdf interactive --passphrase-file "$PASSFILE"
expect_rc 0 "id new (partner)"
TAMGA_HOME="$WORK/partner" t id export -o "$WORK/partner.json"
expect_rc 0 "id export (partner)"
mkdir -p "$WORK/backup"
cp "$OFFICE/identity/secret.key" "$WORK/backup/secret.key"
t id show --json
OFFICE_KEY=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["key_id"])' "$E2E_OUT")

# ---- first run on a new laptop: use the existing identity -------------------------------
export TAMGA_HOME="$WORK/laptop"
start_app
wait_log 'no identity: first run' 20
echo "not the passphrase" >"$WORK/wrong"
TAMGA_PASSPHRASE_FILE="$WORK/wrong" true # (the app read its env at start: use a second run)
act use-identity "'$WORK/backup/nothing.key'"
wait_log 'error: ' 20
[ ! -e "$TAMGA_HOME/identity/secret.key" ] || fail "a missing key file wrote an identity"
act use-identity "'$WORK/backup/secret.key'"
wait_log 'identity imported' 30
wait_log 'cases loaded: 0' 20
quit_app
t id show --json
grep -q "\"$OFFICE_KEY\"" "$E2E_OUT" || fail "the laptop's identity is not the office's"
cmp -s "$WORK/backup/secret.key" "$TAMGA_HOME/identity/secret.key" || fail "the key file changed"
note "first run: the existing identity $OFFICE_KEY was adopted"

# ---- cases: the New Case dialog, a record-only case for the partner -----------------------
t trust add "$WORK/partner.json" --name "Partner A"
expect_rc 0 "trust add"
start_app
wait_log 'cases loaded: 0' 20
act new-case-with "{'title': <'Travel laptop'>, 'keyholders': <['Partner A']>, 'record-only': <true>}"
wait_log 'case ready: [0-9a-f]{32}' 30
TRAVEL=$(grep -oE 'case ready: [0-9a-f]{32}' "$LOG" | tail -1 | awk '{print $3}')
act new-case-with "{'title': <'Nobody can open'>, 'record-only': <true>}"
wait_log 'error: A record-only case needs at least one other keyholder' 10
act new-case "'Almaty interviews'"
wait_log "case ready: [0-9a-f]{32}" 30
wait_log 'cases loaded: 2' 20
act new-case "''"
wait_log 'new case dialog shown' 10
sleep 1 # the roster is read in the background
screenshot new-case-dialog
quit_app
start_app
wait_log 'cases loaded: 2' 20
act show-help-overlay
sleep 1
screenshot shortcuts
quit_app
t case list --json
python3 - "$E2E_OUT" "$TRAVEL" <<'PY' || fail "the cases made through the window are not as asked"
import json, sys
cases = {c["id"]: c for c in json.load(open(sys.argv[1]))}
travel = cases[sys.argv[2]]
assert travel["title"] == "Travel laptop", travel
assert travel["keyholder"] is False, travel
others = [c for c in cases.values() if c["title"] == "Almaty interviews"]
assert len(others) == 1 and others[0]["keyholder"] is True, cases
assert len(cases) == 2, cases
PY
TAMGA_HOME="$WORK/partner" t id show --json
PARTNER_KEY=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["key_id"])' "$E2E_OUT")
t case show "$TRAVEL" --json
grep -q "$PARTNER_KEY" "$E2E_OUT" || fail "the partner is not a keyholder of the record-only case"
note "record-only case $TRAVEL: keyholder $PARTNER_KEY only; a case without keyholders refused"

# ---- a field laptop joins the office's case ------------------------------------------------
t case export-recorder "$TRAVEL" -o "$WORK/travel.recorder.json"
expect_rc 0 "case export-recorder"
export TAMGA_HOME="$WORK/field"
t id new --name "Field laptop" --kdf interactive --passphrase-file "$PASSFILE"
expect_rc 0 "id new (field)"
start_app
wait_log 'cases loaded: 0' 20
act join-case "'$WORK/travel.recorder.json'"
wait_log "case ready: $TRAVEL" 30
wait_log 'cases loaded: 1' 20
act join-case "'$WORK/travel.recorder.json'"
wait_log 'error: ' 20 # already here: refused
t case list --json
python3 - "$E2E_OUT" "$TRAVEL" <<'PY' || fail "the joined case is not record-only here"
import json, sys
cases = json.load(open(sys.argv[1]))
assert [c["id"] for c in cases] == [sys.argv[2]], cases
assert cases[0]["keyholder"] is False, cases
PY
note "the field laptop joined $TRAVEL (record-only); joining twice is refused"

# ---- a bundle on the Verify page: decrypted with this computer's identity -----------------
TAMGA_HOME="$WORK/laptop" t export --case "Almaty interviews" --to "$WORK/partner.json" \
    -o "$WORK/almaty.age" --passphrase-file "$PASSFILE"
expect_rc 0 "export a bundle for the partner"
act verify "'$WORK/almaty.age'"
wait_log 'verify: error: This bundle was not made for this' 30
quit_app
export TAMGA_HOME="$WORK/partner"
start_app
wait_log 'cases loaded: 0' 20
act verify "'$WORK/almaty.age'"
wait_log 'verify: (VERIFIED|FAILED|error)' 30
grep -q 'verify: VERIFIED' "$LOG" || { cat "$LOG" >&2; fail "the partner's app did not verify the bundle"; }
sleep 0.5
screenshot verify-bundle
quit_app
[ -z "$(find "$WORK/partner" -name '.staging-*')" ] || fail "a staging folder was left behind"
note "bundle: refused on a computer it was not made for, VERIFIED on the partner's"
export TAMGA_HOME="$WORK/field"
start_app

# ---- a microphone plugged in while the app runs ----------------------------------------------
wait_log 'devices loaded: [0-9]+ inputs' 20
BEFORE=$(grep -oE 'devices loaded: [0-9]+' "$LOG" | head -1 | awk '{print $3}')
cat >>"$HOME/.asoundrc" <<'ASOUND'
pcm.vmic2 {
    type pulse
    device "vsink.monitor"
}
ASOUND
wait_log "devices changed: $((BEFORE + 1)) inputs" 20
act select-device "'vmic2'"
sleep 0.5
shot record hotplug
quit_app
note "a new input appeared in the list while the app ran ($BEFORE → $((BEFORE + 1)))"

not_blank new-case-dialog shortcuts hotplug verify-bundle
