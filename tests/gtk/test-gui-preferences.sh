#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Preferences window: the trust roster (add, refuse a duplicate, rename,
# remove) through `gapplication action org.tamga.Recorder trust-*`, checked
# with `tamga trust list`; copying this identity's keys; saving the public
# identity file (never over an existing file); the language saved in
# recorder.ini and applied at the next start (Uyghur: right to left). The
# settings live under the test's own XDG_CONFIG_HOME.
#   Environment: TAMGA_BIN (the CLI), TAMGA_GUI_BIN (the app), TAMGA_SRC,
#   TAMGA_SHOTS (where to keep the screenshots; default: the build folder).
set -euo pipefail
. "$(dirname "$0")/lib-gui.sh" "$0" "$@"
need_tool python3

# ---- this computer's identity, and a partner's public identity file -----------------
t id new --name "GUI tester" --kdf interactive --passphrase-file "$PASSFILE"
expect_rc 0 "id new"
new_identity "Partner" "$WORK/partner"
t --home "$WORK/partner" id export -o "$WORK/partner.json" --passphrase-file "$PASSFILE"
expect_rc 0 "id export (partner)"
PARTNER_KID=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key_id"])' \
    < <("$TAMGA_BIN" --home "$WORK/partner" id show --json))
t id show --json
MY_AGE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["age_recipient"])' "$E2E_OUT")

# ---- the app, with its settings in the test's folder (lib-gui.sh) ------------------------
INI="$XDG_CONFIG_HOME/tamga/recorder.ini"
export TAMGA_PASSPHRASE_FILE="$PASSFILE"
export TAMGA_LOCALEDIR="${TAMGA_BUILD:-/nonexistent}/locale"
unset LANGUAGE LC_ALL LC_MESSAGES
# roster: `tamga trust list` as the CLI sees it.
roster() {
    t trust list
    expect_rc 0 "trust list"
    out
}
roster_hash() { sha256sum <"$TAMGA_HOME/trust.json"; }

start_app
wait_log 'identity loaded' 20
wait_log 'language: system' 1
act preferences
wait_log 'preferences shown' 10
wait_log 'trust roster loaded: 0' 10
sleep 0.7
screenshot preferences-empty

# ---- add, refuse a duplicate, rename --------------------------------------------------------
act trust-add "('$WORK/partner.json', 'Partner A')"
wait_log 'trust added: Partner A' 10
roster | grep -q "^$PARTNER_KID  Partner A  (added " || fail "the CLI does not list Partner A"
before=$(roster_hash)
act trust-add "('$WORK/partner.json', 'Someone else')"
wait_log 'error: Cannot add to the trust roster' 10
act trust-add "('$WORK/no-such-file.json', '')"
wait_log 'error: Cannot read the public identity file' 10
act trust-rename "('Partner A', '')"
wait_log 'error: Cannot rename in the trust roster' 10
act trust-rename "('Nobody', 'Partner B')"
wait_count 'error: Cannot rename in the trust roster' 2 10
act trust-remove "'Nobody'"
wait_log 'error: Cannot remove from the trust roster' 10
[ "$(roster_hash)" = "$before" ] || fail "a refused change altered trust.json"
act trust-rename "('Partner A', 'Partner B')"
wait_log 'trust renamed: Partner A -> Partner B' 10
roster | grep -q "^$PARTNER_KID  Partner B  (added " || fail "the CLI does not list Partner B"
! roster | grep -q "Partner A" || fail "the old name is still listed"
act trust-rename "('$PARTNER_KID', 'Almaty office')"
wait_log 'trust renamed: Partner B -> Almaty office' 10
sleep 0.7
screenshot preferences

# ---- this identity: copy, save the public identity file ---------------------------------------
for kind in age minisign key-id public-file; do
    act copy-identity "'$kind'"
    wait_log "copied $kind" 10
done
act copy-identity "'age'"
if command -v xclip >/dev/null 2>&1; then
    sleep 0.3
    [ "$(xclip -selection clipboard -o)" = "$MY_AGE" ] || fail "the clipboard does not hold the age recipient"
elif command -v xsel >/dev/null 2>&1; then
    sleep 0.3
    [ "$(xsel --clipboard --output)" = "$MY_AGE" ] || fail "the clipboard does not hold the age recipient"
fi
act save-public-identity "'$WORK/me.public.json'"
wait_log "public identity saved: $WORK/me.public.json" 10
cmp -s "$WORK/me.public.json" "$TAMGA_HOME/identity/public.json" || fail "the saved public identity differs"
echo "not an identity" >"$WORK/taken.json"
act save-public-identity "'$WORK/taken.json'"
wait_log 'error: Cannot save the public identity file' 10
[ "$(cat "$WORK/taken.json")" = "not an identity" ] || fail "an existing file was overwritten"
t --home "$WORK/partner" trust add "$WORK/me.public.json"
expect_rc 0 "the partner trusts the saved public identity file"

# ---- remove -----------------------------------------------------------------------------------
act trust-remove "'Almaty office'"
wait_log 'trust removed: Almaty office' 10
! roster | grep -q "$PARTNER_KID" || fail "the removed key is still listed"

# ---- language: saved now, used at the next start ----------------------------------------------
act set-language "'xx'"
wait_log 'error: Unknown language' 10
act set-language "'ru'"
wait_log 'language set: ru' 10
quit_app
grep -qx 'language=ru' "$INI" || fail "recorder.ini does not hold language=ru: $(cat "$INI")"

start_app
wait_log 'language: ru' 10
wait_log 'identity loaded' 20
# The actions work without the Preferences window, in the order asked for
# (the rename, asked before the add finished, sees the added entry).
act trust-add "('$WORK/partner.json', '')"
act trust-rename "('Partner', 'Partner C')"
wait_log 'trust renamed: Partner -> Partner C' 10
grep -q 'trust added: Partner$' "$LOG" || fail "trust-add without the window"
roster | grep -q "^$PARTNER_KID  Partner C  (added " || fail "trust-add/rename without the window"
act trust-add "('$WORK/partner.json', '')"
# The app now speaks Russian: the error is the Russian catalogue's words.
RU_ERR=$(python3 - "$TAMGA_SRC/po/ru.po" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'\nmsgid "Cannot add to the trust roster"\nmsgstr "(.*)"\n', text)
print(m.group(1) if m and m.group(1) else "Cannot add to the trust roster")
PY
)
wait_log "error: $RU_ERR" 10
sleep 0.3
[ "$(grep -c "error: $RU_ERR" "$LOG")" -eq 1 ] || fail "the error was not logged exactly once"
act set-language "'ug'"
wait_log 'language set: ug' 10
quit_app

LANG=C.UTF-8 start_app
wait_log 'language: ug' 10
wait_log 'text direction: rtl' 10
wait_log 'identity loaded' 20
act preferences
wait_log 'trust roster loaded: 1' 10
sleep 0.7
screenshot preferences-ug
act set-language "''"
wait_log 'language set: system' 10
quit_app
! grep -q '^language=' "$INI" || fail "recorder.ini still holds a language"
grep -qx 'idle-lock-minutes=15' "$INI" || fail "recorder.ini lost the idle lock: $(cat "$INI")"

LANG=C.UTF-8 start_app
wait_log 'language: system' 10
wait_log 'text direction: ltr' 10
quit_app

# ---- the screenshots are not blank -------------------------------------------------------------
not_blank preferences-empty preferences preferences-ug
note "trust roster, identity copy/save and language through the app: ok"
