#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A tamga identity is an age identity, checked with stock age: `tamga id export
# --age` is a recipient `age -e -r` accepts, and the secret key printed by
# `tamga id export-secret --age` (after the passphrase, with a warning on
# stderr) decrypts what age encrypted to it. The wrong passphrase prints nothing.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init
need_tool age age-keygen

t id export-secret --help
if [ "$RC" -ne 0 ]; then
    echo "tamga id export-secret is not available in this build: skipped"
    exit 77
fi

new_identity "Age Partner"
ok id export --age
recipient=$(out)
[[ "$recipient" =~ ^age1[02-9ac-hj-np-z]{58}$ ]] || fail "'$recipient' is not an age1 recipient"

ok id export-secret --age --passphrase-file "$PASSFILE"
secret=$(out)
[[ "$secret" =~ ^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$ ]] || fail "export-secret printed no AGE-SECRET-KEY-1 line"
[ "$(wc -l <"$E2E_OUT")" -eq 1 ] || fail "export-secret printed more than the key"
grep -qi 'secret' "$E2E_ERR" || fail "export-secret gave no warning on stderr"
grep -q 'AGE-SECRET-KEY' "$E2E_ERR" && fail "the secret key went to stderr"

# age-keygen derives the same recipient from the exported secret.
printf '%s\n' "$secret" >"$WORK/key.txt"
chmod 600 "$WORK/key.txt"
[ "$(age-keygen -y "$WORK/key.txt")" = "$recipient" ] || fail "age-keygen -y disagrees with id export --age"

# Round trip through stock age, binary and armored, a few sizes.
for size in 0 1 65536 65537 300000; do
    head -c "$size" /dev/urandom >"$WORK/plain.bin"
    for armor in "" "-a"; do
        age -e $armor -r "$recipient" -o "$WORK/file.age" "$WORK/plain.bin" ||
            fail "age -e -r $recipient failed"
        age -d -i <("$TAMGA_BIN" id export-secret --age --passphrase-file "$PASSFILE" 2>/dev/null) \
            "$WORK/file.age" >"$WORK/out.bin" || fail "age -d with the exported identity failed ($size bytes $armor)"
        cmp -s "$WORK/plain.bin" "$WORK/out.bin" || fail "round trip of $size bytes $armor differs"
    done
done

# A wrong passphrase: an error, and no key on stdout.
printf 'wrong passphrase\n' >"$WORK/wrong"
t id export-secret --age --passphrase-file "$WORK/wrong"
[ "$RC" -ne 0 ] || fail "export-secret accepted a wrong passphrase"
grep -q 'AGE-SECRET-KEY' "$E2E_OUT" && fail "export-secret printed a key after a wrong passphrase"
# Without --age there is nothing to export.
t id export-secret --passphrase-file "$PASSFILE"
expect_usage_error "id export-secret without --age"
echo "age stock: all checks passed"
