# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers for tamga's end-to-end tests (tests/e2e/test-*.sh) and the
# shell scripts around them. Source it; it does not run anything by itself.
#
# Environment (set by ctest, see tests/CMakeLists.txt):
#   TAMGA_BIN    the tamga binary under test
#   TAMGA_SRC    the source tree
#   TAMGA_BUILD  the build tree
# A test that cannot run here (missing tool or binary) exits 77: ctest reports
# it as skipped, not passed.

E2E_SKIP=77

# ---- messages --------------------------------------------------------------
e2e_name=$(basename "${0:-e2e}" .sh)

note() { printf '[%s] %s\n' "$e2e_name" "$*"; }

# fail MESSAGE: the test failed. Shows the last command's output when there is one.
fail() {
    printf '[%s] FAIL: %s\n' "$e2e_name" "$*" >&2
    if [ -n "${E2E_OUT:-}" ] && [ -s "$E2E_OUT" ]; then
        printf -- '--- stdout of the last command:\n' >&2
        head -c 4000 "$E2E_OUT" >&2
    fi
    if [ -n "${E2E_ERR:-}" ] && [ -s "$E2E_ERR" ]; then
        printf -- '--- stderr of the last command:\n' >&2
        head -c 4000 "$E2E_ERR" >&2
    fi
    exit 1
}

skip() {
    printf '[%s] SKIP: %s\n' "$e2e_name" "$*"
    exit "$E2E_SKIP"
}

# need_tool NAME...: skip the test when a tool is missing.
need_tool() {
    local t
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || skip "the tool '$t' is not installed (packaging/install-deps.sh)"
    done
}

# ---- set-up ----------------------------------------------------------------
# e2e_init: finds the binary, makes a private work folder ($WORK, removed on
# exit), sets TAMGA_HOME=$WORK/home and writes $PASSFILE (the passphrase).
e2e_init() {
    if [ -z "${TAMGA_BIN:-}" ]; then
        local here
        here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
        for cand in "${TAMGA_BUILD:-}/tamga" "$here/build/ci/tamga" "$here/build/default/tamga" \
            "$here/build/release/tamga"; do
            if [ -x "$cand" ]; then
                TAMGA_BIN=$cand
                break
            fi
        done
    fi
    [ -n "${TAMGA_BIN:-}" ] && [ -x "$TAMGA_BIN" ] || skip "no tamga binary (set TAMGA_BIN)"
    TAMGA_BIN=$(cd "$(dirname "$TAMGA_BIN")" && pwd)/$(basename "$TAMGA_BIN")
    export TAMGA_BIN
    need_tool python3 sha256sum
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/tamga-e2e-$e2e_name.XXXXXX")
    trap 'e2e_cleanup' EXIT
    export TAMGA_HOME="$WORK/home"
    unset XDG_DATA_HOME
    PASSFILE="$WORK/passphrase"
    printf 'correct horse battery staple\n' >"$PASSFILE"
    E2E_OUT="$WORK/.out"
    E2E_ERR="$WORK/.err"
    : >"$E2E_OUT"
    : >"$E2E_ERR"
}

e2e_cleanup() {
    local rc=$?
    if [ -n "${WORK:-}" ] && [ -d "$WORK" ]; then
        if [ "$rc" -ne 0 ] && [ "$rc" -ne "$E2E_SKIP" ] && [ -n "${E2E_KEEP:-}" ]; then
            printf '[%s] keeping %s for inspection\n' "$e2e_name" "$WORK" >&2
        else
            chmod -R u+rwX "$WORK" 2>/dev/null || true
            rm -rf "$WORK"
        fi
    fi
    exit "$rc"
}

# ---- running tamga ---------------------------------------------------------
# run CMD ARGS...: runs a command with no stdin, stdout to $E2E_OUT, stderr to
# $E2E_ERR; sets $RC. Never fails by itself (works under set -e).
run() {
    RC=0
    "$@" </dev/null >"$E2E_OUT" 2>"$E2E_ERR" || RC=$?
    return 0
}

# t ARGS...: run tamga (see run).
t() { run "$TAMGA_BIN" "$@"; }

# t_notty ARGS...: run tamga without a controlling terminal (in a new session),
# so it cannot ask for a passphrase even when the test runs from a terminal.
t_notty() {
    if command -v setsid >/dev/null 2>&1; then
        run setsid -w "$TAMGA_BIN" "$@"
    else
        run "$TAMGA_BIN" "$@"
    fi
}

# out / err: what the last command printed.
out() { cat "$E2E_OUT"; }
err() { cat "$E2E_ERR"; }

# expect_rc N WHAT: the last command's exit status must be N.
expect_rc() {
    local want=$1
    shift
    if [ "$RC" -ge 128 ]; then
        fail "$* : crashed (exit $RC, signal $((RC - 128)))"
    fi
    [ "$RC" -eq "$want" ] || fail "$* : exit $RC, expected $want"
}

# expect_rc_in "N M" WHAT: the last exit status must be one of the list.
expect_rc_in() {
    local want=$1 w
    shift
    if [ "$RC" -ge 128 ]; then
        fail "$* : crashed (exit $RC, signal $((RC - 128)))"
    fi
    for w in $want; do
        [ "$RC" -eq "$w" ] && return 0
    done
    fail "$* : exit $RC, expected one of: $want"
}

# ok ARGS...: tamga ARGS must succeed.
ok() {
    t "$@"
    expect_rc 0 "tamga $*"
}

# expect_one_error_line WHAT: stderr is exactly one line starting with "tamga:".
# (Used for errors that are not usage errors.)
expect_one_error_line() {
    local n
    n=$(wc -l <"$E2E_ERR")
    [ "$n" -eq 1 ] || fail "$* : stderr has $n lines, expected exactly one"
    head -n 1 "$E2E_ERR" | grep -q '^tamga: ' || fail "$* : stderr does not start with 'tamga: '"
}

# expect_usage_error WHAT: exit 2, the first stderr line starts with "tamga:",
# and it is the only "tamga:" line (a usage text may follow it).
expect_usage_error() {
    expect_rc 2 "$@"
    head -n 1 "$E2E_ERR" | grep -q '^tamga: ' || fail "$* : first stderr line does not start with 'tamga: '"
    local n
    n=$(grep -c '^tamga: ' "$E2E_ERR" || true)
    [ "$n" -eq 1 ] || fail "$* : $n 'tamga:' lines on stderr, expected one"
}

# expect_error N WHAT: exit N and exactly one "tamga: ..." line on stderr.
expect_error() {
    local want=$1
    shift
    expect_rc "$want" "$@"
    expect_one_error_line "$@"
}

# ---- identities, cases, recordings -----------------------------------------
# new_identity NAME [HOME]: creates an identity (fast KDF) in HOME (default $TAMGA_HOME).
new_identity() {
    local name=$1 home=${2:-$TAMGA_HOME}
    t --home "$home" id new --name "$name" --kdf interactive --passphrase-file "$PASSFILE"
    expect_rc 0 "id new --name $name"
}

# new_case TITLE [ARGS...]: creates a case, sets CASE_ID and CASE_DIR.
new_case() {
    local title=$1
    shift
    t case new "$title" --passphrase-file "$PASSFILE" "$@"
    expect_rc 0 "case new $title"
    CASE_ID=$(tr -d '\n' <"$E2E_OUT")
    [[ "$CASE_ID" =~ ^[0-9a-f]{32}$ ]] || fail "case new printed '$CASE_ID', expected a 32-hex id"
    CASE_DIR="$TAMGA_HOME/cases/$CASE_ID"
    [ -d "$CASE_DIR" ] || fail "case folder $CASE_DIR missing"
}

# record CASE WAV [ARGS...]: records, sets REC_ID.
record() {
    local c=$1 wav=$2
    shift 2
    t record --case "$c" --input "$wav" --passphrase-file "$PASSFILE" "$@"
    expect_rc 0 "record --case $c --input $wav"
    REC_ID=$(tr -d '\n' <"$E2E_OUT")
    [[ "$REC_ID" =~ ^[0-9a-f]{32}$ ]] || fail "record printed '$REC_ID', expected a 32-hex id"
}

# ---- audio -----------------------------------------------------------------
# make_wav FILE SECONDS [RATE] [CHANNELS]: a speech-like test signal (pink noise
# shaped to the voice band, amplitude-modulated at a syllable rate), 16-bit PCM.
make_wav() {
    local f=$1 secs=$2 rate=${3:-48000} ch=${4:-1}
    need_tool sox
    sox -q -n -r "$rate" -b 16 -c "$ch" "$f" synth "$secs" pinknoise gain -6 \
        sinc 120-3600 tremolo 4.5 85 gain -n -6 ||
        fail "sox could not make $f"
}

# ---- files -----------------------------------------------------------------
# json_get FILE PATH.TO.FIELD: prints one field of a JSON file.
json_get() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1], encoding="utf-8"))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v if not isinstance(v, bool) else str(v).lower())
EOF
}

# expect_json FILE WHAT: the file is valid JSON.
expect_json() {
    python3 -m json.tool "$1" >/dev/null 2>&1 || fail "$2 : not valid JSON"
}

# tree_state DIR: names, sizes and hashes of everything under DIR (sorted), for
# before/after comparisons.
tree_state() {
    (cd "$1" && find . -printf '%y %m %p %s\n' | sort &&
        find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# expect_no_temp_files DIR: no leftover temporary or partial files.
expect_no_temp_files() {
    local left
    left=$(find "$1" \( -name '*.tmp*' -o -name '*.tmp-*' -o -name '.*.tmp' -o -name '*.part' -o -name '*.partial' \) -print)
    [ -z "$left" ] || fail "temporary files left behind: $left"
}

# flip_byte FILE OFFSET [MASK]: XORs one byte in place.
flip_byte() {
    python3 - "$1" "$2" "${3:-1}" <<'EOF'
import sys
p, off, mask = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 0)
b = bytearray(open(p, "rb").read())
b[off] ^= mask
open(p, "wb").write(bytes(b))
EOF
}
