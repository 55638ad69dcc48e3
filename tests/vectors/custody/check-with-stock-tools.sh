#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks kat.custody.jsonl and kat.head.json with stock tools only (sh, sed,
# sha256sum, base64, openssl >= 3): the hash chain, the head, and every
# line's Ed25519 signature under the known-answer key (seed 00 01 .. 1f).
# Usage: sh check-with-stock-tools.sh [folder holding the vectors]
set -eu
dir=${1:-$(dirname "$0")}
log=$dir/kat.custody.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The secret key as PKCS#8 DER: fixed prefix + the 32-byte seed.
printf '302e020100300506032b657004220420000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f' |
    sed 's/../\\x&/g' | xargs -0 printf > "$tmp/sk.der"
openssl pkey -inform DER -in "$tmp/sk.der" -pubout -out "$tmp/pk.pem"

prev=0000000000000000000000000000000000000000000000000000000000000000
n=0
while IFS= read -r line; do
    n=$((n + 1))
    want=$(printf '%s' "$line" | sed -n 's/.*"prev":"\([0-9a-f]*\)".*/\1/p')
    [ "$want" = "$prev" ] || { echo "line $n: prev does not match"; exit 1; }
    # B = the line up to ,"sig":" followed by }
    body=$(printf '%s' "$line" | sed 's/,"sig":"[^"]*"}$/}/')
    printf 'tamga-custody-v1\n%s' "$body" > "$tmp/msg"
    printf '%s' "$line" | sed 's/.*,"sig":"\([^"]*\)"}$/\1/' | base64 -d > "$tmp/sig"
    openssl pkeyutl -verify -pubin -inkey "$tmp/pk.pem" -rawin -in "$tmp/msg" \
        -sigfile "$tmp/sig" > /dev/null || { echo "line $n: bad signature"; exit 1; }
    prev=$(printf '%s' "$line" | sha256sum | cut -d' ' -f1)
done < "$log"
grep -q "\"seq\": $n," "$dir/kat.head.json" || { echo "head.json seq is not $n"; exit 1; }
grep -q "\"sha256\": \"$prev\"" "$dir/kat.head.json" || { echo "head.json hash differs"; exit 1; }
echo "custody KAT: $n lines, chain, signatures and head all check"
