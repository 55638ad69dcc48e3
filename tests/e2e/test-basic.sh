#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole path, checked by independent tools: identity -> case -> record a
# generated WAV -> verify -> decrypt -> stock opusinfo/opusdec accept the audio,
# its duration matches the input, sha256sum matches the signed hash, and stock
# minisign verifies every manifest (and rejects a modified one).
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init
need_tool sox soxi opusinfo opusdec minisign

# ---- identity ----
new_identity "E2E Interviewer"
[ -f "$TAMGA_HOME/identity/secret.key" ] || fail "no identity/secret.key"
[ -f "$TAMGA_HOME/identity/public.json" ] || fail "no identity/public.json"
mode=$(stat -c %a "$TAMGA_HOME/identity/secret.key")
[ "$mode" = 600 ] || fail "secret.key has mode $mode, expected 600"
grep -q 'correct horse' "$TAMGA_HOME/identity/secret.key" && fail "the passphrase is in secret.key"

ok id show
grep -q 'E2E Interviewer' "$E2E_OUT" || fail "id show does not show the name"
ok id show --json
cp "$E2E_OUT" "$WORK/id.json"
expect_json "$WORK/id.json" "id show --json"
key_id=$(json_get "$WORK/id.json" key_id)
[[ "$key_id" =~ ^[0-9A-F]{16}$ ]] || fail "key_id '$key_id' is not 16 upper-case hex digits"
[ "$(json_get "$WORK/id.json" name)" = "E2E Interviewer" ] || fail "id show --json: wrong name"
for k in age_recipient minisign_public_key secret_key_file public_file; do
    json_get "$WORK/id.json" "$k" >/dev/null || fail "id show --json: no '$k'"
done

ok id export --age
age_line=$(out)
[[ "$age_line" =~ ^age1[02-9ac-hj-np-z]{58}$ ]] || fail "id export --age: '$age_line' is not an age1 recipient"
[ "$age_line" = "$(json_get "$WORK/id.json" age_recipient)" ] || fail "id export --age differs from id show --json"

# The same identity adopted by a second data folder (a new laptop, a backup).
echo "not the passphrase" >"$WORK/wrong-pass"
TAMGA_HOME="$WORK/home2" t id import "$TAMGA_HOME/identity/secret.key" --passphrase-file "$WORK/wrong-pass"
expect_rc 2 "id import with a wrong passphrase"
[ ! -e "$WORK/home2/identity/secret.key" ] || fail "id import wrote a key after a wrong passphrase"
TAMGA_HOME="$WORK/home2" t id import "$TAMGA_HOME/identity/secret.key" --passphrase-file "$PASSFILE"
expect_rc 0 "id import"
cmp -s "$TAMGA_HOME/identity/secret.key" "$WORK/home2/identity/secret.key" || fail "id import changed the key file"
TAMGA_HOME="$WORK/home2" t id show --json
grep -q "\"$key_id\"" "$E2E_OUT" || fail "the imported identity has another key id"
TAMGA_HOME="$WORK/home2" t id import "$TAMGA_HOME/identity/secret.key" --passphrase-file "$PASSFILE"
expect_rc 2 "id import over an existing identity"
if command -v age >/dev/null && command -v age-keygen >/dev/null; then
    # Stock age must accept the recipient (encryption needs only the public key).
    printf 'hello' | age -r "$age_line" -o "$WORK/hello.age" || fail "stock age rejects $age_line"
fi

ok id export --minisign
cp "$E2E_OUT" "$WORK/minisign.pub"
grep -q "$key_id" "$WORK/minisign.pub" || fail "the minisign public key does not name key id $key_id"
ok id export
cp "$E2E_OUT" "$WORK/public.json"
expect_json "$WORK/public.json" "id export"
ok id export -o "$WORK/exported.json"
cmp -s "$WORK/exported.json" "$WORK/public.json" || fail "id export -o differs from id export"
t id export -o "$WORK/exported.json"
expect_error 2 "id export -o over an existing file"

# ---- case ----
new_case "Almaty 2026 — куәлік"
[ -f "$CASE_DIR/case.json" ] || fail "no case.json"
[ -f "$CASE_DIR/case.json.minisig" ] || fail "no case.json.minisig"
minisign -Vqm "$CASE_DIR/case.json" -p "$WORK/minisign.pub" ||
    fail "stock minisign rejects case.json"

# ---- record two recordings ----
make_wav "$WORK/in.wav" 3
in_dur=$(soxi -D "$WORK/in.wav")
record "${CASE_ID:0:8}" "$WORK/in.wav" --title "First interview" --language kk \
    --consent anonymised --embargo 2027-01-31 --interviewee "Witness 7" --notes "secret note" \
    --contact "+7 000"
rec1=$REC_ID
make_wav "$WORK/in2.wav" 1 44100 2
record "$CASE_ID" "$WORK/in2.wav" --title "Second" --keep-original --bitrate 24 --quiet
rec2=$REC_ID
[ ! -s "$E2E_ERR" ] || fail "record --quiet printed on stderr"
[ "$rec1" != "$rec2" ] || fail "two recordings got the same id"

for r in "$rec1" "$rec2"; do
    for f in "$r.tamga" "$r.manifest.json" "$r.manifest.json.minisig" "$r.private"; do
        [ -f "$CASE_DIR/recordings/$f" ] || fail "recordings/$f missing"
    done
done
# Private fields never appear in cleartext.
if grep -rqa -e 'Witness 7' -e 'secret note' -e '+7 000' "$CASE_DIR"; then
    fail "a private field is readable in the case folder"
fi
# No plaintext audio and no leftovers.
expect_no_temp_files "$TAMGA_HOME"
if find "$TAMGA_HOME" -name '*.wav' -o -name '*.opus' -o -name '*.ogg' | grep -q .; then
    fail "plaintext audio file in the data folder"
fi

# ---- verify ----
ok verify "$CASE_DIR"
grep -q '^VERIFIED' "$E2E_OUT" || fail "verify: no VERIFIED line"
grep -q '  FAIL' "$E2E_OUT" && fail "verify printed a FAIL line but exited 0"
ok verify "$CASE_DIR" --json
cp "$E2E_OUT" "$WORK/report.json"
expect_json "$WORK/report.json" "verify --json"
[ "$(json_get "$WORK/report.json" verdict)" = verified ] || fail "verify --json verdict"
ok verify "$CASE_DIR/recordings/$rec1.tamga"
ok verify "$CASE_DIR/recordings/$rec2.manifest.json"
ok verify "$CASE_DIR/recordings/$rec1.tamga" "$CASE_DIR/recordings/$rec2.tamga"
ok verify "$CASE_DIR" --decrypt --passphrase-file "$PASSFILE"
grep -q '^VERIFIED' "$E2E_OUT" || fail "verify --decrypt: no VERIFIED line"

# ---- manifests: stock minisign, every one ----
n=0
for m in "$CASE_DIR"/recordings/*.manifest.json; do
    minisign -Vqm "$m" -p <("$TAMGA_BIN" id export --minisign) ||
        fail "stock minisign rejects $m"
    # Also with the signer key stored in the case folder.
    minisign -Vqm "$m" -p "$CASE_DIR/signers/$key_id.pub" ||
        fail "stock minisign rejects $m with signers/$key_id.pub"
    cp "$m" "$WORK/modified.json"
    cp "$m.minisig" "$WORK/modified.json.minisig"
    sed -i 's/"complete"/"Complete"/' "$WORK/modified.json"
    cmp -s "$m" "$WORK/modified.json" && fail "could not modify a copy of $m"
    if minisign -Vqm "$WORK/modified.json" -p "$WORK/minisign.pub" 2>/dev/null; then
        fail "stock minisign accepts a modified manifest"
    fi
    n=$((n + 1))
done
[ "$n" -eq 2 ] || fail "expected 2 manifests, found $n"
# The custody head and case description too.
minisign -Vqm "$CASE_DIR/head.json" -p "$WORK/minisign.pub" || fail "stock minisign rejects head.json"

# ---- manifest contents ----
m1="$CASE_DIR/recordings/$rec1.manifest.json"
[ "$(json_get "$m1" case)" = "$CASE_ID" ] || fail "manifest case id"
[ "$(json_get "$m1" recording)" = "$rec1" ] || fail "manifest recording id"
[ "$(json_get "$m1" status)" = complete ] || fail "manifest status"
[ "$(json_get "$m1" public.consent)" = anonymised ] || fail "manifest consent"
[ "$(json_get "$m1" source.sha256)" = "$(sha256sum "$WORK/in.wav" | cut -d' ' -f1)" ] ||
    fail "manifest source.sha256 is not the input file's SHA-256"
[ "$(json_get "$m1" encrypted_file.sha256)" = "$(sha256sum "$CASE_DIR/recordings/$rec1.tamga" | cut -d' ' -f1)" ] ||
    fail "manifest encrypted_file.sha256 differs from sha256sum of the .tamga"
[ "$(json_get "$m1" encrypted_file.size)" = "$(stat -c %s "$CASE_DIR/recordings/$rec1.tamga")" ] ||
    fail "manifest encrypted_file.size"
[ "$(json_get "$m1" private_metadata.sha256)" = "$(sha256sum "$CASE_DIR/recordings/$rec1.private" | cut -d' ' -f1)" ] ||
    fail "manifest private_metadata.sha256"
dur_ms=$(json_get "$m1" time.duration_ms)
python3 -c "import sys; sys.exit(0 if abs($dur_ms/1000 - $in_dur) <= 0.1 else 1)" ||
    fail "manifest duration ${dur_ms} ms, input ${in_dur} s"
[ "$(json_get "$CASE_DIR/recordings/$rec2.manifest.json" chain.seq)" = 2 ] || fail "second manifest chain.seq"
[ "$(json_get "$CASE_DIR/recordings/$rec2.manifest.json" chain.previous_manifest_sha256)" = \
    "$(sha256sum "$m1" | cut -d' ' -f1)" ] || fail "second manifest does not chain to the first"
host=$(uname -n)
user=$(id -un)
if [ "${#host}" -ge 4 ] && grep -qF "$host" "$m1"; then fail "the manifest names the host ($host)"; fi
if [ "${#user}" -ge 4 ] && grep -qF "\"$user\"" "$m1"; then fail "the manifest names the user ($user)"; fi

# ---- decrypt: stock tools accept the Ogg Opus stream ----
ok decrypt "$rec1" -o "$WORK/out.opus" --passphrase-file "$PASSFILE"
opusinfo "$WORK/out.opus" >"$WORK/opusinfo.txt" 2>&1 || { cat "$WORK/opusinfo.txt"; fail "opusinfo rejects the decrypted file"; }
grep -qi 'warning\|error' "$WORK/opusinfo.txt" && { cat "$WORK/opusinfo.txt"; fail "opusinfo reports a problem"; }
opusdec --quiet "$WORK/out.opus" "$WORK/out.wav" || fail "opusdec rejects the decrypted file"
out_dur=$(soxi -D "$WORK/out.wav")
python3 -c "import sys; sys.exit(0 if abs($out_dur - $in_dur) <= 0.1 else 1)" ||
    fail "decoded duration $out_dur s, input $in_dur s"
[ "$(sha256sum "$WORK/out.opus" | cut -d' ' -f1)" = "$(json_get "$m1" audio_stream.sha256)" ] ||
    fail "sha256sum of the decrypted file differs from the manifest's audio_stream.sha256"
[ "$(stat -c %s "$WORK/out.opus")" = "$(json_get "$m1" audio_stream.size)" ] ||
    fail "size of the decrypted file differs from the manifest's audio_stream.size"
# By path, with --case, and refusing to overwrite.
ok decrypt "$CASE_DIR/recordings/$rec2.tamga" -o "$WORK/out2.opus" --passphrase-file "$PASSFILE"
opusinfo "$WORK/out2.opus" >/dev/null 2>&1 || fail "opusinfo rejects the second decrypted file"
[ "$(sha256sum "$WORK/out2.opus" | cut -d' ' -f1)" = \
    "$(json_get "$CASE_DIR/recordings/$rec2.manifest.json" audio_stream.sha256)" ] ||
    fail "second recording: audio hash differs from its manifest"
opusdec --quiet "$WORK/out2.opus" "$WORK/out2.wav" || fail "opusdec rejects the second file"
before=$(sha256sum "$WORK/out.opus")
t decrypt "${rec1:0:8}" --case "$CASE_ID" -o "$WORK/out.opus" --passphrase-file "$PASSFILE"
expect_error 2 "decrypt over an existing file"
[ "$(sha256sum "$WORK/out.opus")" = "$before" ] || fail "decrypt changed an existing output file"

# Decrypting is logged; the case still verifies.
ok log "$CASE_ID"
grep -q 'decrypted' "$E2E_OUT" || fail "log does not show the decrypted event"
ok verify "$CASE_DIR"

# ---- listings ----
ok case list
grep -q "${CASE_ID:0:12}" "$E2E_OUT" || fail "case list does not show the case"
grep -q 'keyholder' "$E2E_OUT" || fail "case list does not say keyholder"
ok case list --json
cp "$E2E_OUT" "$WORK/list.json"
expect_json "$WORK/list.json" "case list --json"
[ "$(json_get "$WORK/list.json" 0.id)" = "$CASE_ID" ] || fail "case list --json id"
[ "$(json_get "$WORK/list.json" 0.recordings)" = 2 ] || fail "case list --json recordings"
[ "$(json_get "$WORK/list.json" 0.keyholder)" = true ] || fail "case list --json keyholder"
ok case show "$CASE_ID"
grep -q "${rec1:0:12}" "$E2E_OUT" || fail "case show does not list recording 1"
grep -q "$key_id" "$E2E_OUT" || fail "case show does not name the creator key id"
ok case show "Almaty 2026 — куәлік" --json
cp "$E2E_OUT" "$WORK/show.json"
expect_json "$WORK/show.json" "case show --json"

ok log note "$CASE_ID" "tape handed to the archive" --passphrase-file "$PASSFILE"
ok log "$CASE_ID"
for ev in case-created recording-sealed decrypted note; do
    grep -q "$ev" "$E2E_OUT" || fail "log does not show a '$ev' event"
done
grep -q '(you)' "$E2E_OUT" || fail "log does not mark this machine's entries '(you)'"
ok log "$CASE_ID" --json
cp "$E2E_OUT" "$WORK/log.json"
expect_json "$WORK/log.json" "log --json"
[ "$(json_get "$WORK/log.json" 0.event)" = case-created ] || fail "log --json first event"

ok verify "$CASE_DIR" --log --passphrase-file "$PASSFILE"
ok log "$CASE_ID"
grep -q 'verified' "$E2E_OUT" || fail "verify --log did not log a verified event"
ok verify "$CASE_DIR"

expect_no_temp_files "$TAMGA_HOME"
note "all checks passed"
