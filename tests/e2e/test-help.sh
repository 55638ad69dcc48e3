#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every command has help: `tamga --help`, `tamga --version`, `tamga help CMD`
# and `tamga CMD --help` print to stdout and exit 0, with nothing on stderr.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init

check_help() {
    t "$@"
    expect_rc 0 "tamga $*"
    [ -s "$E2E_OUT" ] || fail "tamga $* printed nothing on stdout"
    [ ! -s "$E2E_ERR" ] || fail "tamga $* printed on stderr"
}

check_help --help
grep -qi 'usage' "$E2E_OUT" || fail "tamga --help shows no usage line"
for cmd in id case record verify decrypt log; do
    grep -q "$cmd" "$E2E_OUT" || fail "tamga --help does not list '$cmd'"
done

check_help --version
grep -Eq '^tamga [0-9]+\.[0-9]+\.[0-9]+' "$E2E_OUT" || fail "tamga --version: '$(out)'"

for cmd in id case record verify decrypt log help \
    "id new" "id show" "id export" "case new" "case list" "case show" "log note"; do
    # shellcheck disable=SC2086
    check_help $cmd --help
    grep -qi 'usage' "$E2E_OUT" || fail "tamga $cmd --help shows no usage line"
    # shellcheck disable=SC2086
    check_help help $cmd
done

# `log note` must warn that the note is public.
check_help log note --help
grep -qi 'public' "$E2E_OUT" || fail "tamga log note --help does not say the text is public"

# Help never needs a data folder, an identity or a passphrase.
[ ! -e "$TAMGA_HOME" ] || fail "asking for help created $TAMGA_HOME"
note "all help and version outputs OK"
