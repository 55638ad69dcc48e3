#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A whole interview through the real window: tamga-recorder runs under Xvfb,
# a private D-Bus session and a private PulseAudio (tests/audio-env), with a
# temporary TAMGA_HOME holding an identity and a case made with the CLI. Speech
# is played into the virtual microphone; the test drives record → marker →
# pause/resume → marker → stop through `gapplication action org.tamga.Recorder`,
# then checks with the CLI that the recording verifies and decrypts, that the
# markers reached the manifest, and that the screenshots of the main views
# (kept in $TAMGA_SHOTS) are not blank.
#   Environment: TAMGA_BIN (the CLI), TAMGA_GUI_BIN (the app), TAMGA_SRC,
#   TAMGA_SHOTS (where to keep the screenshots; default: the build folder).
set -euo pipefail
. "$(dirname "$0")/lib-gui.sh" "$0" "$@"
need_tool espeak-ng paplay python3

PLAYER=""
GUI_CLEANUP='if [ -n "$PLAYER" ]; then kill "$PLAYER" 2>/dev/null; wait "$PLAYER" 2>/dev/null; fi'

# ---- an identity and a case, made with the CLI -------------------------------
t id new --name "GUI tester" --kdf interactive --passphrase-file "$PASSFILE"
expect_rc 0 "id new"
t case new "GUI interviews" --passphrase-file "$PASSFILE"
expect_rc 0 "case new"
CASE_ID=$(grep -oE '[0-9a-f]{32}' "$E2E_OUT" "$E2E_ERR" | head -1 | sed 's/.*://')
[ -n "$CASE_ID" ] || fail "no case id printed"

# ---- speech into the virtual microphone, again and again ------------------------
espeak-ng -s 150 -w "$WORK/speech.wav" \
    "This is a test of the tamga desktop recorder. The witness describes what happened." \
    >/dev/null 2>&1 || fail "espeak-ng failed"
(while true; do paplay --device=vsink "$WORK/speech.wav" || exit 0; done) >/dev/null 2>&1 &
PLAYER=$!

# ---- start the app ------------------------------------------------------------------
export TAMGA_PASSPHRASE_FILE="$PASSFILE"
start_app

wait_log 'cases loaded: 1' 20
wait_log 'devices loaded' 20
act select-case "'$CASE_ID'"
act select-device "'vmic'"
shot cases cases

# ---- the interview -----------------------------------------------------------------
act record
wait_log 'recording started: [0-9a-f]{32}' 20
REC=$(grep -oE 'recording started: [0-9a-f]{32}' "$LOG" | head -1 | awk '{print $3}')
note "recording $REC started"
sleep 2
act marker "'first marker'"
wait_log 'marker added' 5
sleep 1
shot record record
act pause
wait_log 'paused' 5
sleep 1
act pause
wait_log 'resumed' 5
sleep 1.5
act marker "''"
sleep 0.5
act stop
wait_log "recording stopped: $REC" 30
sleep 1
act show-page "'recordings'"
sleep 2 # the badges come from verification in the background
shot recordings recordings
act verify "'$TAMGA_HOME/cases/$CASE_ID'"
wait_log 'verify: (VERIFIED|FAILED|error)' 30
grep -q 'verify: VERIFIED' "$LOG" || { cat "$LOG" >&2; fail "the app did not verify the case"; }
shot verify verify

# ---- playback with seeking, and export of decrypted audio (keyholder) -------------
act show-page "'recordings'"
sleep 0.5
act play
wait_log "playing: $REC" 20
sleep 1
act seek 2.0
wait_log 'playback seek to 2.0 s' 5
act play
wait_log 'playback paused' 5
shot recordings recordings-play
act play
wait_log 'playback resumed' 5
act export-audio "'$WORK/exported.opus'"
wait_log "exported audio: $WORK/exported.opus" 20
[ -s "$WORK/exported.opus" ] || fail "export-audio wrote nothing"
quit_app

# ---- the CLI checks what the app made -------------------------------------------------
t verify --decrypt "$TAMGA_HOME/cases/$CASE_ID" --passphrase-file "$PASSFILE"
expect_rc 0 "verify --decrypt of the case recorded through the window"
t decrypt "$REC" -o "$WORK/rec.opus" --passphrase-file "$PASSFILE"
expect_rc 0 "decrypt"
MAN="$TAMGA_HOME/cases/$CASE_ID/recordings/$REC.manifest.json"
python3 - "$MAN" <<'PY' || fail "the manifest does not hold what the window did"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["status"] == "complete", m["status"]
assert m["time"]["duration_ms"] >= 4000, m["time"]
assert len(m["markers"]) == 2, m["markers"]
assert len(m["pauses"]) == 1, m["pauses"]
assert m["source"]["kind"] == "device", m["source"]
PY
if command -v opusinfo >/dev/null 2>&1; then
    opusinfo "$WORK/rec.opus" >/dev/null 2>&1 || fail "opusinfo rejects the decrypted audio"
fi
note "recording $REC: verified, decrypted, 2 markers and 1 pause in the manifest"

# ---- a crash mid-recording is recovered, with a notice, at the next start ---------------
start_app
wait_log 'cases loaded: 1' 20
wait_log 'devices loaded' 20
act select-case "'$CASE_ID'"
act select-device "'vmic'"
act record
wait_log 'recording started: [0-9a-f]{32}' 20
CRASHED=$(grep -oE 'recording started: [0-9a-f]{32}' "$LOG" | head -1 | awk '{print $3}')
sleep 4
kill -9 "$APP_PID"
wait "$APP_PID" 2>/dev/null || true
APP_PID=""
note "killed the app (kill -9) while recording $CRASHED"
start_app
wait_log 'notice: Recordings interrupted earlier' 30
grep -q "Recording ${CRASHED:0:8} in case ${CASE_ID:0:8}: .* recovered" "$LOG" ||
    { cat "$LOG" >&2; fail "the notice does not name the recovered recording"; }
wait_log 'recordings loaded: 2' 10
sleep 1
shot recordings recovered
quit_app
python3 - "$TAMGA_HOME/cases/$CASE_ID/recordings/$CRASHED.manifest.json" <<'PY' || fail "the crashed recording was not sealed as interrupted"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["status"] == "interrupted", m["status"]
assert m["time"]["duration_ms"] >= 1000, m["time"]
PY
t verify "$TAMGA_HOME/cases/$CASE_ID"
expect_rc 0 "verify after recovery"
note "recording $CRASHED: recovered after kill -9, sealed as interrupted, the case verifies"
kill "$PLAYER" 2>/dev/null || true
wait "$PLAYER" 2>/dev/null || true
PLAYER=""

# ---- first run: no identity yet ------------------------------------------------------------
TAMGA_HOME="$WORK/home-new" start_app
wait_log 'no identity: first run' 20
sleep 1 # the page's cross-fade
screenshot first-run
quit_app

# ---- the main view in each language; Uyghur is mirrored -------------------------------
# The locales are generated into a private folder (LOCPATH): nothing is installed.
LANGS="en_US:en kk_KZ:kk ru_RU:ru ug_CN:ug"
if command -v localedef >/dev/null 2>&1 && [ -d /usr/share/i18n/locales ]; then
    mkdir -p "$WORK/locales"
    for pair in $LANGS; do
        localedef -i "${pair%%:*}" -f UTF-8 "$WORK/locales/${pair%%:*}.UTF-8" >/dev/null 2>&1 ||
            fail "localedef ${pair%%:*}.UTF-8"
    done
    for pair in $LANGS; do
        loc=${pair%%:*} lang=${pair##*:}
        LOCPATH="$WORK/locales" LANG="$loc.UTF-8" LC_ALL="$loc.UTF-8" LANGUAGE="$lang" \
            TAMGA_LOCALEDIR="${TAMGA_BUILD:-/nonexistent}/locale" start_app
        wait_log 'recordings loaded: 2' 20
        wait_log 'devices loaded' 20
        sleep 1
        act show-page "'record'"
        sleep 1
        screenshot "record-$lang"
        # The other main views, for people checking the translation.
        for page in cases recordings verify handover; do shot "$page" "$page-$lang"; done
        want=ltr
        [ "$lang" = ug ] && want=rtl
        grep -q "text direction: $want" "$LOG" || fail "$lang: the window is not $want"
        quit_app
        # The red Record button sits at the start of its row: the left third in
        # left-to-right languages, the right third when mirrored.
        red() {
            convert "$SHOTS/record-$lang.png" -crop "$1" +repage -resize 1x1\! \
                -format '%[fx:int(255*(r-g))]' info:
        }
        read -r w h < <(identify -format '%w %h\n' "$SHOTS/record-$lang.png")
        left=$(red "$((w / 3))x$((h / 2))+0+0")
        right=$(red "$((w / 3))x$((h / 2))+$((2 * w / 3))+0")
        note "record-$lang.png: direction $want, redness start/end of the top half: $left/$right"
        if [ "$want" = rtl ]; then
            [ "$right" -gt "$((left + 5))" ] || fail "the Uyghur window is not mirrored ($left/$right)"
        else
            [ "$left" -gt "$((right + 5))" ] || fail "the $lang window is mirrored ($left/$right)"
        fi
    done
else
    note "localedef or /usr/share/i18n/locales missing: no screenshots per language"
fi

# ---- emergency wipe, last: the CLI can verify but no longer decrypt ---------------------
start_app
wait_log 'cases loaded: 1' 20
act wipe "''"
wait_log 'wipe: asking for confirmation' 10
sleep 0.7
screenshot wipe-confirm
[ -f "$TAMGA_HOME/identity/secret.key" ] || fail "the dialog alone destroyed something"
act wipe "'WIPE'"
wait_log 'wipe: identity destroyed 1, grants destroyed 1, recordings remaining 2, failures 0' 10
sleep 0.7
act show-page "'recordings'"
sleep 0.5
screenshot wipe-done
quit_app
[ ! -e "$TAMGA_HOME/identity/secret.key" ] || fail "secret.key survived the wipe"
[ -z "$(ls -A "$TAMGA_HOME/cases/$CASE_ID/keyholders")" ] || fail "key grants survived the wipe"
t verify "$TAMGA_HOME/cases/$CASE_ID"
expect_rc 0 "verify after the wipe"
t decrypt "$REC" -o "$WORK/after-wipe.opus" --passphrase-file "$PASSFILE"
expect_rc 2 "decrypt after the wipe"
[ ! -e "$WORK/after-wipe.opus" ] || fail "decrypt wrote audio after the wipe"
note "wipe through the window: the case verifies, nothing decrypts"

# ---- the screenshots are not blank ------------------------------------------------------
names="cases record recordings recordings-play verify recovered first-run wipe-confirm wipe-done"
if [ -d "$WORK/locales" ]; then
    for lang in en kk ru ug; do
        names="$names record-$lang cases-$lang recordings-$lang verify-$lang handover-$lang"
    done
fi
# shellcheck disable=SC2086
not_blank $names
note "screenshots kept in $SHOTS"
