#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The tamga guided demo: installs the Debian packages, builds the release
# preset, then walks through the whole life of a recording in a throwaway data
# folder that is deleted at the end:
#   identity -> case -> seal a spoken test recording -> verify -> decrypt ->
#   check it with stock tools (opusinfo, minisign, sha256sum) -> tamper -> verify.
#
#   scripts/demo.sh [--no-deps] [--no-build] [--keep] [--input FILE]
#
#   --no-deps     do not run packaging/install-deps.sh
#   --no-build    use the existing build/release/tamga (or $TAMGA_BIN)
#   --keep        keep the demo folder instead of deleting it
#   --input FILE  seal this audio file instead of a generated one
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DO_DEPS=1
DO_BUILD=1
KEEP=0
INPUT=""
while [ $# -gt 0 ]; do
    case "$1" in
    --no-deps) DO_DEPS=0; shift ;;
    --no-build) DO_BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    --input) INPUT=${2:?--input needs a file}; shift 2 ;;
    -h | --help) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done
if [ -n "$INPUT" ]; then
    INPUT=$(cd "$(dirname "$INPUT")" && pwd)/$(basename "$INPUT")
    [ -f "$INPUT" ] || { echo "demo.sh: no such file: $INPUT" >&2; exit 2; }
fi

if [ -t 1 ]; then
    B=$'\e[1m' D=$'\e[2m' G=$'\e[32m' R=$'\e[31m' C=$'\e[36m' N=$'\e[0m'
else
    B="" D="" G="" R="" C="" N=""
fi

n=0
# say TEXT: the next step, in one plain sentence.
say() {
    n=$((n + 1))
    printf '\n%s%d. %s%s\n' "$B" "$n" "$*" "$N"
}
# show CMD...: prints the command (paths shortened) on stderr, then runs it.
show() {
    local shown="" a
    for a in "$@"; do
        if [[ "$a" =~ [[:space:]\'\"\$] ]]; then a="\"$a\""; fi
        shown+="${shown:+ }$a"
    done
    shown=${shown//"$DEMO/"/}
    shown=${shown//"$TAMGA"/tamga}
    printf '%s$ %s%s\n' "$C" "$shown" "$N" >&2
    "$@"
}

# ---- 1. dependencies and build ----
if [ "$DO_DEPS" -eq 1 ]; then
    printf '%s==== Installing the Debian packages tamga needs ====%s\n' "$B" "$N"
    sh "$SRC/packaging/install-deps.sh"
fi
TAMGA="${TAMGA_BIN:-$SRC/build/release/tamga}"
if [ "$DO_BUILD" -eq 1 ]; then
    printf '%s==== Building tamga (release preset) ====%s\n' "$B" "$N"
    (cd "$SRC" && cmake --preset release >/dev/null &&
        cmake --build --preset release -j"$(nproc)" --target tamga_cli)
fi
[ -x "$TAMGA" ] || { echo "demo.sh: $TAMGA is missing: build it first (drop --no-build)" >&2; exit 2; }

# ---- 2. a throwaway data folder ----
DEMO=$(mktemp -d "${TMPDIR:-/tmp}/tamga-demo.XXXXXX")
cleanup() {
    if [ "$KEEP" -eq 1 ]; then
        printf '\nThe demo folder was kept: %s\n' "$DEMO"
    else
        rm -rf "$DEMO"
    fi
}
trap cleanup EXIT
export TAMGA_HOME="$DEMO/home"
unset XDG_DATA_HOME
cd "$DEMO"

printf '\n%s==== The tamga demo ====%s\n' "$B" "$N"
printf 'Everything happens in %s (deleted at the end).\n' "$DEMO"
printf '%sA real interviewer types the passphrase; the demo reads it from a file.%s\n' "$D" "$N"
printf 'demo passphrase, never use it for real\n' >"$DEMO/passphrase"
chmod 600 "$DEMO/passphrase"
PF=(--passphrase-file "$DEMO/passphrase")

say "Create this laptop's identity: a signing key and an encryption key, locked by a passphrase."
show "$TAMGA" id new --name "Demo Interviewer" --kdf interactive "${PF[@]}"

say "Show the identity; its key id is what others compare by eye to trust its signatures."
show "$TAMGA" id show

say "Create a case: it gets its own key pair, and only keyholders can ever open its recordings."
CASE=$(show "$TAMGA" case new "Demo case — Almaty" "${PF[@]}")
printf '%s\n' "$CASE"
CASE_DIR="$TAMGA_HOME/cases/$CASE"

if [ -z "$INPUT" ]; then
    say "Make a test recording: a synthetic voice reads a sentence (no microphone is used)."
    INPUT="$DEMO/testimony.wav"
    if command -v espeak-ng >/dev/null 2>&1; then
        show espeak-ng -v en -s 140 -w "$INPUT" \
            "This is a test testimony, recorded by the tamga demo. Nothing in this recording is real. It is sealed the moment it is made."
    else
        show sox -q -n -r 48000 -b 16 -c 1 "$INPUT" synth 6 pinknoise gain -6 sinc 120-3600 tremolo 4.5 85 gain -n -6
    fi
    show soxi "$INPUT"
fi

say "Seal it into the case: encoded to Opus, encrypted, signed and logged; private fields are encrypted too."
REC=$(show "$TAMGA" record --case "$CASE" --input "$INPUT" --title "Demo testimony" --language en \
    --consent internal --interviewee "Witness A" --notes "met at the office" "${PF[@]}")
printf '%s\n' "$REC"
rm -f "$DEMO/testimony.wav"

say "Look at the case folder: the audio is only there encrypted, next to its signed manifest."
(cd "$CASE_DIR" && find . -type f -printf '  %-58p %7s bytes\n' | sort)

say "Show the case: who created it, who holds its key, and its recordings."
show "$TAMGA" case show "$CASE"

say "Verify the whole case: every signature, hash, chain link and custody entry."
show "$TAMGA" verify "$CASE_DIR"

say "Decrypt the recording back to an Ogg Opus file (only a keyholder can; this is logged)."
show "$TAMGA" decrypt "$REC" -o "$DEMO/testimony.opus" "${PF[@]}"

say "Check the audio with the stock opusinfo tool, which knows nothing about tamga."
show opusinfo "$DEMO/testimony.opus" | sed -n '1,30p'

say "Check that the audio's SHA-256 is the one the signed manifest promises."
MANIFEST="$CASE_DIR/recordings/$REC.manifest.json"
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["audio_stream"]["sha256"])' "$MANIFEST")
got=$(sha256sum "$DEMO/testimony.opus" | cut -d' ' -f1)
printf '  manifest says  %s\n  sha256sum says %s\n' "$want" "$got"
if [ "$want" = "$got" ]; then printf '  %sthe same%s\n' "$G" "$N"; else printf '  %sDIFFERENT%s\n' "$R" "$N"; exit 1; fi

say "Check the manifest's signature with the stock minisign tool and this identity's public key."
"$TAMGA" id export --minisign >"$DEMO/interviewer.pub"
show minisign -Vm "$MANIFEST" -p "$DEMO/interviewer.pub"

say "Tamper with a copy of the case (one byte of the encrypted audio) and verify again: it fails."
cp -a "$CASE_DIR" "$DEMO/tampered"
python3 - "$DEMO/tampered/recordings/$REC.tamga" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x01
open(p, "wb").write(bytes(b))
PY
rc=0
show "$TAMGA" verify "$DEMO/tampered" || rc=$?
printf '%s(exit status %d: 1 means "something was changed")%s\n' "$D" "$rc" "$N"
[ "$rc" -eq 1 ] || { printf '%sexpected exit status 1%s\n' "$R" "$N"; exit 1; }

say "Read the case's custody log: every event, signed and chained to the one before."
show "$TAMGA" log "$CASE"

printf '\n%sThe demo is over.%s Next: docs/CLI.md for every command, scripts/test.sh for the tests.\n' "$B" "$N"
