#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Hand Over page: an office (identity, case, one recording, made with the
# CLI) exports bundles through `gapplication action org.tamga.Recorder
# export-bundle` — to a partner named in its trust roster, to a pasted age1…
# recipient with decrypted audio, and protected by a passphrase — checked with
# the CLI and stock age + tar. Then the partner's app imports them: the dry-run
# summary is logged (and shown) before anything is written, import-confirm
# stores the case, which the CLI verifies; a truncated bundle gives one error
# notice and changes nothing.
#   Environment: TAMGA_BIN (the CLI), TAMGA_GUI_BIN (the app), TAMGA_SRC,
#   TAMGA_SHOTS (where to keep the screenshots; default: the build folder).
set -euo pipefail
. "$(dirname "$0")/lib-gui.sh" "$0" "$@"
need_tool age age-keygen tar sox sha256sum python3

OFFICE="$TAMGA_HOME"
PARTNER="$WORK/partner"

# ---- the office: identity, case, one short recording; the partner in its roster ------
new_identity "Office"
new_case "Hand-over test"
make_wav "$WORK/speech.wav" 3
record "$CASE_ID" "$WORK/speech.wav"
REC1=$REC_ID
new_identity "Partner" "$PARTNER"
t --home "$PARTNER" id export -o "$WORK/partner.json" --passphrase-file "$PASSFILE"
expect_rc 0 "id export (partner)"
t trust add "$WORK/partner.json" --name Partner
expect_rc 0 "trust add Partner"
# A bare age recipient (someone with stock age only).
age-keygen -o "$WORK/age-key.txt" 2>/dev/null
AGE_PUB=$(grep -oE 'age1[0-9a-z]+' "$WORK/age-key.txt" | head -1)
[ -n "$AGE_PUB" ] || fail "age-keygen printed no recipient"
printf 'bundle passphrase for the partner\n' >"$WORK/bundle-pass"

export TAMGA_PASSPHRASE_FILE="$PASSFILE"
TAMGA_HOME="$OFFICE" start_app
wait_log 'cases loaded: 1' 20
wait_log 'trust roster loaded: 1' 20
act select-case "'$CASE_ID'"
sleep 0.5

# ---- export to the roster name -------------------------------------------------------------
act export-bundle "{'output': <'$WORK/b.age'>, 'to': <['Partner']>}"
wait_log "bundle exported: $WORK/b.age sha256 [0-9a-f]{64}" 30
SHA=$(grep -oE "bundle exported: $WORK/b.age sha256 [0-9a-f]{64}" "$LOG" | awk '{print $NF}')
[ "$(sha256sum "$WORK/b.age" | cut -d' ' -f1)" = "$SHA" ] || fail "the logged SHA-256 is not the file's"
grep -q "notice: Bundle written to $WORK/b.age. Its SHA-256 begins with ${SHA:0:16}" "$LOG" ||
    fail "no notice with the path and the start of the SHA-256"
note "exported to Partner: b.age, sha256 ${SHA:0:16}…"
sleep 0.5
screenshot handover-export

# ---- export to a pasted age1 recipient, with decrypted audio (a keyholder) ---------------
act export-bundle "{'output': <'$WORK/c.age'>, 'to': <['$AGE_PUB']>, 'plain-audio': <true>}"
wait_log "bundle exported: $WORK/c.age sha256" 30
age -d -i "$WORK/age-key.txt" "$WORK/c.age" | tar -t >"$WORK/c.list" || fail "stock age + tar cannot open c.age"
grep -qE "^tamga-bundle-${CASE_ID:0:12}/audio/$REC1\.opus$" "$WORK/c.list" || fail "c.age holds no plain audio"
note "exported to $AGE_PUB with plain audio: stock age + tar list $(wc -l <"$WORK/c.list") members"

# ---- export protected by a passphrase, only the first recording (by its prefix) -----------
act export-bundle "{'output': <'$WORK/p.age'>, 'passphrase-file': <'$WORK/bundle-pass'>, 'recordings': <['${REC1:0:8}']>}"
wait_log "bundle exported: $WORK/p.age sha256" 60

# ---- refused exports: nothing is overwritten, one error notice each -------------------------
before=$(sha256sum "$WORK/b.age")
act export-bundle "{'output': <'$WORK/b.age'>, 'to': <['Partner']>}"
wait_log "error: .*b.age already exists" 20
[ "$(sha256sum "$WORK/b.age")" = "$before" ] || fail "b.age was overwritten"
act export-bundle "{'output': <'$WORK/x.age'>, 'to': <['Nobody']>}"
wait_log "error: “Nobody” is neither an age1… recipient nor a name in your trust roster" 20
[ ! -e "$WORK/x.age" ] || fail "x.age was written for an unknown recipient"
expect_no_temp_files "$WORK"
quit_app
t verify "$OFFICE/cases/$CASE_ID"
expect_rc 0 "the office's case verifies after three exports"
n=$(grep -c '"exported"' "$OFFICE/cases/$CASE_ID/custody.jsonl" || true)
[ "$n" -eq 3 ] || fail "$n \"exported\" custody events, expected 3"

# ---- the partner checks b.age with the CLI and stock tools --------------------------------
t --home "$PARTNER" import --dry-run "$WORK/b.age" --passphrase-file "$PASSFILE"
expect_rc 0 "partner: import --dry-run b.age"
age -d -i <("$TAMGA_BIN" --home "$PARTNER" id export-secret --age --passphrase-file "$PASSFILE") \
    "$WORK/b.age" | tar -t >"$WORK/b.list" || fail "stock age + tar cannot open b.age as the partner"
grep -qE "^tamga-bundle-${CASE_ID:0:12}/SHA256SUMS$" "$WORK/b.list" || fail "b.age holds no SHA256SUMS"
[ -z "$(ls -A "$PARTNER/cases" 2>/dev/null)" ] || fail "the dry run wrote a case"

# ---- the partner's app: dry run, summary, nothing written, then import ---------------------
export TAMGA_BUNDLE_PASSPHRASE_FILE="$WORK/bundle-pass"
TAMGA_HOME="$PARTNER" start_app
wait_log 'cases loaded: 0' 20
act import-bundle "'$WORK/b.age'"
wait_log "import summary: case $CASE_ID new 1 recordings 1 added 1" 30
[ -z "$(ls -A "$PARTNER/cases" 2>/dev/null)" ] || fail "the dry run in the app wrote a case"
grep -q "bundle imported" "$LOG" && fail "imported before import-confirm"
sleep 0.7
screenshot handover-summary
act import-confirm
wait_log "bundle imported: case $CASE_ID, 1 recordings added" 30
wait_log 'cases loaded: 1' 20
[ -d "$PARTNER/cases/$CASE_ID" ] || fail "the case was not stored"

# ---- a bundle protected by a passphrase (TAMGA_BUNDLE_PASSPHRASE_FILE), merged -------------
act import-bundle "'$WORK/p.age'"
wait_log "import summary: case $CASE_ID new 0 recordings 1 added 0" 60
act import-confirm
wait_log "bundle imported: case $CASE_ID, 0 recordings added" 60

# ---- a truncated bundle: one error notice, nothing changes -----------------------------------
size=$(stat -c %s "$WORK/b.age")
head -c $((size / 2)) "$WORK/b.age" >"$WORK/bad.age"
state_before=$(tree_state "$PARTNER")
act import-bundle "'$WORK/bad.age'"
wait_log 'error: The bundle (is incomplete|does not check out).*Nothing was imported' 30
[ "$(grep -c 'import summary' "$LOG")" -eq 2 ] || fail "a summary was shown for the truncated bundle"
act import-confirm
wait_log 'error: Open a bundle first' 10
[ "$(tree_state "$PARTNER")" = "$state_before" ] || fail "the truncated bundle changed the data folder"
expect_no_temp_files "$PARTNER"
ls -a "$PARTNER" | grep -q '^\.staging' && fail "a staging folder was left behind"
quit_app

t --home "$PARTNER" verify "$PARTNER/cases/$CASE_ID"
expect_rc 0 "partner: verify the imported case"
grep -q '"received"' "$PARTNER/cases/$CASE_ID/custody.jsonl" || fail "no \"received\" custody event"
note "imported into the partner's home: the case verifies"

not_blank handover-export handover-summary
note "screenshots kept in $SHOTS"
