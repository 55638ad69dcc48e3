#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `tamga --version` names tamga's version, the git revision it was built from,
# and the versions of libsodium, libopus and PortAudio it runs with.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init

for opt in --version -V; do
    t "$opt"
    expect_rc 0 "tamga $opt"
    [ ! -s "$E2E_ERR" ] || fail "tamga $opt printed on stderr"
    [ "$(wc -l <"$E2E_OUT")" -eq 5 ] || fail "tamga $opt: expected 5 lines"
done

field() { sed -n "s/^$1: //p" "$E2E_OUT"; }

first=$(head -n1 "$E2E_OUT")
[[ "$first" =~ ^tamga\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "first line: '$first'"
# The version is the project's version in CMakeLists.txt.
want=$(sed -n 's/^project(tamga VERSION \([0-9.]*\).*/\1/p' "$TAMGA_SRC/CMakeLists.txt")
[ "$first" = "tamga $want" ] || fail "version '$first', CMakeLists.txt says $want"

rev=$(field 'git revision')
if [ "$rev" != unknown ]; then
    [[ "$rev" =~ ^[0-9a-f]{7,40}$ ]] || fail "git revision '$rev'"
    if command -v git >/dev/null && git -C "$TAMGA_SRC" rev-parse --git-dir >/dev/null 2>&1; then
        git -C "$TAMGA_SRC" cat-file -e "$rev^{commit}" 2>/dev/null ||
            fail "git revision $rev is not a commit of $TAMGA_SRC"
    fi
fi

sodium=$(field libsodium)
opus=$(field libopus)
pa=$(field PortAudio)
[[ "$sodium" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "libsodium version '$sodium'"
[[ "$opus" =~ ^[0-9]+\.[0-9]+ ]] || fail "libopus version '$opus'"
[[ "$pa" =~ ^V?[0-9]+ ]] || fail "PortAudio version '$pa'"

# They are the libraries this machine has (runtime, not headers of another build).
if command -v pkg-config >/dev/null; then
    if v=$(pkg-config --modversion libsodium 2>/dev/null); then
        [ "$sodium" = "$v" ] || fail "libsodium $sodium, but this machine has $v"
    fi
    if v=$(pkg-config --modversion opus 2>/dev/null); then
        [ "${opus%%-*}" = "${v%%-*}" ] || fail "libopus $opus, but this machine has $v"
    fi
fi

# Nothing is created in the data folder.
[ ! -e "$TAMGA_HOME" ] || fail "tamga --version created $TAMGA_HOME"
note "tamga --version: $first, $rev, libsodium $sodium, libopus $opus, PortAudio $pa"
