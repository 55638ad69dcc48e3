#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Live recording from a real (virtual) microphone: a 440 Hz tone and speech are
# played into a private PulseAudio null sink and recorded from its monitor
# through PortAudio ("vmic"); the sealed recordings verify, decrypt to valid Ogg
# Opus of the right length, and carry the right signal. `tamga devices` lists
# the input, as text and as JSON.
set -euo pipefail
if [ -z "${TAMGA_PULSE_PID:-}" ]; then
    TAMGA_SRC=${TAMGA_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
    export TAMGA_SRC
    exec "$TAMGA_SRC/tests/audio-env/with-pulse.sh" bash "$0" "$@"
fi
. "$TAMGA_SRC/scripts/lib-e2e.sh"
e2e_init
need_tool sox soxi paplay opusinfo opusdec espeak-ng

PLAYER=""
stop_player() {
    if [ -n "$PLAYER" ]; then
        kill "$PLAYER" 2>/dev/null || true
        wait "$PLAYER" 2>/dev/null || true
        PLAYER=""
    fi
}
trap 'rc=$?; stop_player; (exit $rc); e2e_cleanup' EXIT

# play_loop FILE: plays FILE into the sink again and again, in the background.
play_loop() {
    stop_player
    (while true; do paplay --device=vsink "$1" || exit 0; done) >/dev/null 2>&1 &
    PLAYER=$!
    sleep 0.5
}

# decode REC OUT.wav: decrypts (keyholder), checks with opusinfo, decodes to WAV.
decode() {
    local rec=$1 wav=$2
    t decrypt "$rec" -o "$WORK/$rec.opus" --passphrase-file "$PASSFILE"
    expect_rc 0 "decrypt $rec"
    opusinfo "$WORK/$rec.opus" >"$WORK/opusinfo.txt" 2>&1 || fail "opusinfo rejects the decrypted audio of $rec"
    opusdec --quiet "$WORK/$rec.opus" "$wav" >/dev/null 2>&1 || fail "opusdec cannot decode $rec"
    rm -f "$WORK/$rec.opus"
}

# in_range VALUE LOW HIGH
in_range() {
    python3 -c 'import sys; v,l,h=map(float,sys.argv[1:]); sys.exit(0 if l<=v<=h else 1)' "$@"
}

new_identity alice
new_case "Live basic"

# ---- devices ----------------------------------------------------------------
ok devices
grep -q 'vmic' "$E2E_OUT" || fail "tamga devices does not list vmic"
grep -q '^Inputs' "$E2E_OUT" || fail "tamga devices has no Inputs section"
ok devices --json
expect_json "$E2E_OUT" "devices --json"
python3 - "$E2E_OUT" <<'EOF' || fail "devices --json: no input named vmic with channels and a rate"
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, list) and d
keys = {"index", "name", "host_api", "input_channels", "output_channels", "default_rate",
        "default_input", "default_output"}
assert all(keys <= set(x) for x in d)
assert any(x["name"] == "vmic" and x["input_channels"] > 0 and x["default_rate"] > 0 for x in d)
EOF
note "devices: $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$E2E_OUT") listed, vmic among the inputs"

# ---- a 440 Hz tone ------------------------------------------------------------
sox -q -n -r 48000 -b 16 -c 1 "$WORK/tone.wav" synth 20 sine 440 gain -6
play_loop "$WORK/tone.wav"
t_notty record --case "$CASE_ID" --device vmic --duration 3 --title "tone" \
    --passphrase-file "$PASSFILE"
expect_rc 0 "record --device vmic --duration 3"
REC=$(tr -d '\n' <"$E2E_OUT")
[[ "$REC" =~ ^[0-9a-f]{32}$ ]] || fail "record printed '$REC', expected a 32-hex id"
grep -q 'sealed and signed' "$E2E_ERR" || fail "no 'sealed and signed' summary"
stop_player

M="$CASE_DIR/recordings/$REC.manifest.json"
[ "$(json_get "$M" status)" = complete ] || fail "tone recording status is not complete"
[ "$(json_get "$M" source.kind)" = device ] 2>/dev/null ||
    grep -q '"device"' "$M" || fail "manifest does not say the source was a device"

t verify --decrypt "$CASE_DIR" --passphrase-file "$PASSFILE"
expect_rc 0 "verify --decrypt after a live recording"

decode "$REC" "$WORK/tone-out.wav"
dur=$(soxi -D "$WORK/tone-out.wav")
in_range "$dur" 2.6 3.4 || fail "tone recording lasts $dur s, expected 3 ± 0.4"
sox "$WORK/tone-out.wav" -n stat >"$WORK/stat.txt" 2>&1 || fail "sox cannot read the decoded tone"
freq=$(awk '/Rough +frequency/ {print $3}' "$WORK/stat.txt")
in_range "${freq:-0}" 420 460 || cat "$WORK/stat.txt" >&2
in_range "${freq:-0}" 420 460 || fail "dominant frequency of the recorded tone is $freq Hz, expected 440"
rms=$(awk '/RMS +amplitude/ {print $3}' "$WORK/stat.txt")
in_range "$rms" 0.1 0.6 || fail "RMS level of the recorded tone is $rms, expected about 0.35 (-6 dBFS sine)"
note "tone: $dur s, $freq Hz, RMS $rms"

# ---- speech ---------------------------------------------------------------------
espeak-ng -w "$WORK/speech.wav" "This is a test of the tamga recorder. The witness speaks slowly and clearly." \
    >/dev/null 2>&1 || fail "espeak-ng cannot write speech"
play_loop "$WORK/speech.wav"
t_notty record --case "$CASE_ID" --device vmic --duration 4 --title "speech" --language en \
    --interviewee "Witness 1" --passphrase-file "$PASSFILE"
expect_rc 0 "record speech"
REC2=$(tr -d '\n' <"$E2E_OUT")
stop_player
decode "$REC2" "$WORK/speech-out.wav"
dur=$(soxi -D "$WORK/speech-out.wav")
in_range "$dur" 3.6 4.4 || fail "speech recording lasts $dur s, expected 4 ± 0.4"
rms=$(sox "$WORK/speech-out.wav" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
in_range "$rms" 0.01 1 || fail "speech recording is silent (RMS $rms)"
note "speech: $dur s, RMS $rms"

t verify --decrypt "$CASE_DIR" --passphrase-file "$PASSFILE"
expect_rc 0 "verify --decrypt after two live recordings"
note "PASS"
