#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bad input of every kind gives the right exit status (2 for bad input and
# usage, 1 for evidence that fails verification), exactly one error line
# starting with "tamga:", no crash, and nothing half-written: no temporary or
# partial files, and the case folder is unchanged after a refused command.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init
need_tool sox

new_identity "Bad Input Tester"
new_case "Bad input case"
case1=$CASE_ID
case1_dir=$CASE_DIR
make_wav "$WORK/good.wav" 1
record "$case1" "$WORK/good.wav"
rec1=$REC_ID

# ---- bad audio inputs for `tamga record` ----
B="$WORK/bad"
mkdir -p "$B"
: >"$B/empty.wav"
head -c 4096 /dev/urandom >"$B/random.wav"
head -c 4096 /dev/urandom >"$B/random.bin"
printf 'This is not audio.\nJust a text file.\n' >"$B/text.wav"
cp "$B/text.wav" "$B/text.txt"
printf 'RIFF' >"$B/magic-only.wav"
head -c 20 "$WORK/good.wav" >"$B/trunc20.wav"
head -c 43 "$WORK/good.wav" >"$B/trunc43.wav"
# WAV headers with absurd values; every one is followed by some sample data.
python3 - "$B" <<'PY'
import os, struct, sys
d = sys.argv[1]
def wav(name, fmt=1, ch=1, rate=48000, bits=16, align=None, brate=None,
        data_len=None, data=b"\x00\x01" * 4800, fmt_len=16):
    align = ch * bits // 8 if align is None else align
    brate = rate * align if brate is None else brate
    data_len = len(data) if data_len is None else data_len
    fmtc = struct.pack("<HHIIHH", fmt, ch, rate & 0xffffffff, brate & 0xffffffff,
                       align & 0xffff, bits)
    body = (b"WAVE" + b"fmt " + struct.pack("<I", fmt_len) + fmtc + b"\0" * (fmt_len - 16)
            + b"data" + struct.pack("<I", data_len & 0xffffffff) + data)
    open(os.path.join(d, name), "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
wav("rate0.wav", rate=0)
wav("rate-huge.wav", rate=0xFFFFFFFF)
wav("channels0.wav", ch=0)
wav("bits0.wav", bits=0)
wav("bits7.wav", bits=7)
wav("format-unknown.wav", fmt=0x7777)
wav("fmt-chunk-huge.wav", fmt_len=0xFFFF)
PY

record_state=$(tree_state "$TAMGA_HOME")
for f in empty.wav random.wav random.bin text.wav text.txt magic-only.wav trunc20.wav trunc43.wav \
    rate0.wav rate-huge.wav channels0.wav bits0.wav format-unknown.wav fmt-chunk-huge.wav; do
    t record --case "$case1" --input "$B/$f" --passphrase-file "$PASSFILE"
    expect_error 2 "record --input $f"
    [ "$(tree_state "$TAMGA_HOME")" = "$record_state" ] || fail "record --input $f changed the data folder"
done
t record --case "$case1" --input "$B/no-such-file.wav" --passphrase-file "$PASSFILE"
expect_error 2 "record --input of a missing file"
t record --case "$case1" --input "$B" --passphrase-file "$PASSFILE"
expect_error 2 "record --input of a folder"
[ "$(tree_state "$TAMGA_HOME")" = "$record_state" ] || fail "a refused record changed the data folder"

# A WAV cut inside its audio data, one whose header claims far more data than
# there is, and one with 7-bit samples (libsndfile reads it as 8-bit): either refused (exit 2, nothing written) or recorded as what
# is there (exit 0, and the case still verifies). Never a crash.
size=$(stat -c %s "$WORK/good.wav")
head -c $((size / 2 + 1)) "$WORK/good.wav" >"$B/trunc-half.wav"
python3 - "$B" "$WORK/good.wav" <<'PY'
import sys
b = bytearray(open(sys.argv[2], "rb").read())
i = b.index(b"data")
b[i + 4:i + 8] = b"\xf0\xff\xff\x7f"
open(sys.argv[1] + "/data-len-huge.wav", "wb").write(bytes(b))
PY
for f in trunc-half.wav data-len-huge.wav bits7.wav; do
    t record --case "$case1" --input "$B/$f" --passphrase-file "$PASSFILE"
    expect_rc_in "0 2" "record --input $f"
    if [ "$RC" -eq 2 ]; then
        expect_one_error_line "record --input $f"
        [ "$(tree_state "$TAMGA_HOME")" = "$record_state" ] || fail "refused record --input $f changed the data folder"
    else
        ok verify "$case1_dir"
        record_state=$(tree_state "$TAMGA_HOME")
    fi
done
expect_no_temp_files "$TAMGA_HOME"

# ---- wrong passphrase: exit 2, nothing new anywhere ----
printf 'not the passphrase\n' >"$WORK/wrong"
: >"$WORK/empty-pass"
before=$(tree_state "$TAMGA_HOME")
t record --case "$case1" --input "$WORK/good.wav" --passphrase-file "$WORK/wrong"
expect_error 2 "record with a wrong passphrase"
t record --case "$case1" --input "$WORK/good.wav" --passphrase-file "$WORK/empty-pass"
expect_error 2 "record with an empty passphrase file"
t record --case "$case1" --input "$WORK/good.wav" --passphrase-file "$WORK/no-such-file"
expect_error 2 "record with a missing passphrase file"
t_notty record --case "$case1" --input "$WORK/good.wav"
expect_error 2 "record with no terminal and no passphrase file"
grep -q 'passphrase' "$E2E_ERR" || fail "no-terminal error does not mention the passphrase"
t decrypt "$rec1" -o "$WORK/wrong.opus" --passphrase-file "$WORK/wrong"
expect_error 2 "decrypt with a wrong passphrase"
[ ! -e "$WORK/wrong.opus" ] || fail "decrypt with a wrong passphrase left an output file"
t case new "Never made" --passphrase-file "$WORK/wrong"
expect_error 2 "case new with a wrong passphrase"
t log note "$case1" "text" --passphrase-file "$WORK/wrong"
expect_error 2 "log note with a wrong passphrase"
t verify "$case1_dir" --decrypt --passphrase-file "$WORK/wrong"
expect_error 2 "verify --decrypt with a wrong passphrase"
t verify "$case1_dir" --log --passphrase-file "$WORK/wrong"
expect_error 2 "verify --log with a wrong passphrase"
[ "$(tree_state "$TAMGA_HOME")" = "$before" ] || fail "a wrong passphrase changed the data folder"

# ---- a recording from another case ----
new_case "Other case"
case2=$CASE_ID
case2_dir=$CASE_DIR
record "$case2" "$WORK/good.wav"
rec2=$REC_ID
before=$(tree_state "$TAMGA_HOME")
# Case 2's encrypted file put in place of case 1's recording.
cp "$case1_dir/recordings/$rec1.tamga" "$WORK/rec1.tamga.saved"
cp "$case2_dir/recordings/$rec2.tamga" "$case1_dir/recordings/$rec1.tamga"
t decrypt "$case1_dir/recordings/$rec1.tamga" -o "$WORK/x1.opus" --passphrase-file "$PASSFILE"
expect_rc_in "1 2" "decrypt of another case's recording under this case's name"
expect_one_error_line "decrypt of another case's recording under this case's name"
[ ! -e "$WORK/x1.opus" ] || fail "decrypt of a foreign recording left an output file"
t verify "$case1_dir"
expect_rc 1 "verify of a case holding another case's recording"
cp "$WORK/rec1.tamga.saved" "$case1_dir/recordings/$rec1.tamga"
# Case 2's recording copied into case 1 under its own name (no manifest there).
cp "$case2_dir/recordings/$rec2.tamga" "$WORK/$rec2.tamga"
cp "$case2_dir/recordings/$rec2.tamga" "$case1_dir/recordings/"
t decrypt "$case1_dir/recordings/$rec2.tamga" -o "$WORK/x2.opus" --passphrase-file "$PASSFILE"
expect_rc_in "1 2" "decrypt of another case's recording copied into this case"
expect_one_error_line "decrypt of another case's recording copied into this case"
[ ! -e "$WORK/x2.opus" ] || fail "decrypt of a foreign recording left an output file"
rm "$case1_dir/recordings/$rec2.tamga"
# Decrypt by id in the wrong case.
t decrypt "$rec2" --case "$case1" -o "$WORK/x3.opus" --passphrase-file "$PASSFILE"
expect_error 2 "decrypt of a recording id in the wrong case"
[ ! -e "$WORK/x3.opus" ] || fail "decrypt in the wrong case left an output file"
# A .tamga outside any case.
t decrypt "$WORK/$rec2.tamga" -o "$WORK/x4.opus" --passphrase-file "$PASSFILE"
expect_error 2 "decrypt of a .tamga outside a case folder"
[ ! -e "$WORK/x4.opus" ] || fail "decrypt outside a case left an output file"
t decrypt "ffffffffffff" -o "$WORK/x5.opus" --passphrase-file "$PASSFILE"
expect_error 2 "decrypt of an unknown recording id"
t decrypt "$B/random.bin" -o "$WORK/x6.opus" --passphrase-file "$PASSFILE"
expect_error 2 "decrypt of a random file"
[ "$(tree_state "$TAMGA_HOME")" = "$before" ] || fail "refused decrypts changed the data folder"
ls "$WORK"/x*.opus >/dev/null 2>&1 && fail "a refused decrypt left an output file"

# ---- verify on things that are not evidence ----
t verify "$WORK/no-such-path"
expect_error 2 "verify of a nonexistent path"
t verify "$B/random.bin"
expect_error 2 "verify of a random file"
t verify "$B/text.txt"
expect_error 2 "verify of a text file"
t verify "$B/empty.wav"
expect_error 2 "verify of an empty file"
t verify "$B"
expect_rc_in "1 2" "verify of a folder that is not a case"
t verify "$case1_dir" "$WORK/no-such-path"
expect_rc 2 "verify of a good case and a nonexistent path"
# Evidence that no longer parses is a failed check (1), not an input error.
mkdir -p "$WORK/broken"
cp -a "$case1_dir" "$WORK/broken/"
bcase="$WORK/broken/$case1"
head -c 4096 /dev/urandom >"$bcase/recordings/$rec1.tamga"
t verify "$bcase/recordings/$rec1.tamga"
expect_rc 1 "verify of a recording replaced by random bytes"
: >"$bcase/recordings/$rec1.manifest.json"
t verify "$bcase"
expect_rc 1 "verify of a case with an empty manifest"
printf 'garbage\n' >"$bcase/case.json"
t verify "$bcase"
expect_rc 1 "verify of a case whose case.json is garbage"

# ---- identities ----
key_sum=$(sha256sum <"$TAMGA_HOME/identity/secret.key")
pub_sum=$(sha256sum <"$TAMGA_HOME/identity/public.json")
t id new --name "Second" --kdf interactive --passphrase-file "$PASSFILE"
expect_error 2 "id new while an identity exists"
[ "$(sha256sum <"$TAMGA_HOME/identity/secret.key")" = "$key_sum" ] || fail "id new without --force changed secret.key"
[ "$(sha256sum <"$TAMGA_HOME/identity/public.json")" = "$pub_sum" ] || fail "id new without --force changed public.json"
t --home "$WORK/fresh" id new --name "X" --kdf interactive --passphrase-file "$WORK/empty-pass"
expect_error 2 "id new with an empty passphrase file"
[ ! -e "$WORK/fresh/identity/secret.key" ] || fail "id new with an empty passphrase wrote a key"
t_notty --home "$WORK/fresh" id new --name "X" --kdf interactive
expect_error 2 "id new with no terminal and no passphrase file"
[ ! -e "$WORK/fresh/identity/secret.key" ] || fail "id new with no passphrase wrote a key"
t --home "$WORK/fresh" case new "No identity" --passphrase-file "$PASSFILE"
expect_error 2 "case new with no identity"
t --home "$WORK/fresh" id show
expect_error 2 "id show with no identity"
# A damaged secret key file: clear error, no crash.
mkdir -p "$WORK/damaged"
cp -a "$TAMGA_HOME/identity" "$WORK/damaged/"
head -c 37 "$TAMGA_HOME/identity/secret.key" >"$WORK/damaged/identity/secret.key"
t --home "$WORK/damaged" record --case "$case1" --input "$WORK/good.wav" --passphrase-file "$PASSFILE"
expect_error 2 "record with a truncated secret key"
head -c 1000 /dev/urandom >"$WORK/damaged/identity/secret.key"
t --home "$WORK/damaged" log note "$case1" "x" --passphrase-file "$PASSFILE"
expect_error 2 "log note with a random secret key"
# A damaged public identity given as a keyholder.
printf '{"format":"tamga-identity"}\n' >"$WORK/bad-public.json"
t case new "Bad keyholder" --keyholder "$WORK/bad-public.json" --passphrase-file "$PASSFILE"
expect_error 2 "case new with a malformed keyholder file"
t case new "Bad keyholder" --keyholder "$B/random.bin" --passphrase-file "$PASSFILE"
expect_error 2 "case new with a random keyholder file"
t case new "Bad keyholder" --keyholder "$WORK/no-such.json" --passphrase-file "$PASSFILE"
expect_error 2 "case new with a missing keyholder file"

# ---- usage errors ----
usage() {
    t "$@"
    expect_usage_error "tamga $*"
}
# A bare `tamga` prints its usage to stderr and exits 2 (like git).
t
expect_rc 2 "tamga with no arguments"
grep -q '^usage: tamga' "$E2E_ERR" || fail "bare tamga prints no usage on stderr"
[ ! -s "$E2E_OUT" ] || fail "bare tamga printed on stdout"
usage no-such-command
usage --no-such-option
usage --home
usage id
usage id new
usage id new --name "X" --kdf bogus --passphrase-file "$PASSFILE"
usage id frobnicate
usage case
usage case new
usage case new "T" --no-such-option
usage case show
usage record
usage record --case "$case1"
usage record --input "$WORK/good.wav"
usage record --case "$case1" --input "$WORK/good.wav" --consent everyone --passphrase-file "$PASSFILE"
usage record --case "$case1" --input "$WORK/good.wav" --bitrate 0 --passphrase-file "$PASSFILE"
usage record --case "$case1" --input "$WORK/good.wav" --bitrate abc --passphrase-file "$PASSFILE"
usage record --case "$case1" --input "$WORK/good.wav" --bitrate 100000 --passphrase-file "$PASSFILE"
usage record --case "$case1" --input "$WORK/good.wav" --embargo 2026-13-45 --passphrase-file "$PASSFILE"
usage record --case "$case1" --input "$WORK/good.wav" --embargo tomorrow --passphrase-file "$PASSFILE"
usage record --case "$case1" --input "$WORK/good.wav" --language "not a language!" --passphrase-file "$PASSFILE"
usage verify
usage verify --no-such-option "$case1_dir"
usage decrypt
usage decrypt "$rec1"
usage log
usage log note "$case1"
usage help no-such-command
# Not usage errors, but clear refusals.
t case show "no such case"
expect_error 2 "case show of an unknown case"
t record --case "no such case" --input "$WORK/good.wav" --passphrase-file "$PASSFILE"
expect_error 2 "record into an unknown case"
t log "no such case"
expect_error 2 "log of an unknown case"

expect_no_temp_files "$TAMGA_HOME"
ok verify "$case1_dir"
ok verify "$case2_dir"
note "all bad input refused cleanly"
