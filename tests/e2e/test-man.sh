#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The man pages are generated from the program's own help
# (packaging/man/gen-man.py): one page per command listed by `tamga help`,
# each renders with `man -l` without warnings, `lexgrog` reads its NAME line,
# and every option and subcommand in the --help text is on the page.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init
need_tool man lexgrog gzip

GEN="$TAMGA_SRC/packaging/man/gen-man.py"
MANDIR="$WORK/man"
run python3 "$GEN" "$TAMGA_BIN" "$MANDIR" --version 9.9.9 --date 2000-01-02 --gzip
expect_rc 0 "gen-man.py"

# The commands, as `tamga help` lists them.
t help
expect_rc 0 "tamga help"
mapfile -t cmds < <(sed -n '/^Commands:$/,/^$/{s/^  \([a-z][a-z0-9-]*\) .*/\1/p}' "$E2E_OUT")
[ "${#cmds[@]}" -ge 6 ] || fail "tamga help lists only ${#cmds[@]} commands"
for must in id case record verify decrypt log; do
    printf '%s\n' "${cmds[@]}" | grep -qx "$must" || fail "tamga help does not list $must"
done

pages=(tamga)
for c in "${cmds[@]}"; do pages+=("tamga-$c"); done
n=$(find "$MANDIR" -name '*.1' | wc -l)
[ "$n" -eq "${#pages[@]}" ] || fail "$n pages for ${#pages[@]} commands"

render() { MANWIDTH=100 MAN_KEEP_FORMATTING= LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$1"; }

for p in "${pages[@]}"; do
    f="$MANDIR/$p.1"
    [ -s "$f" ] || fail "no page $p.1"
    cmp -s <(gzip -dc "$f.gz") "$f" || fail "$p.1.gz differs from $p.1"
    # gzip -n: no name and no time stamp in the header (reproducible).
    [ "$(od -An -tu4 -j4 -N4 "$f.gz" | tr -d ' ')" = 0 ] || fail "$p.1.gz has a time stamp"
    render "$f" >"$WORK/$p.txt" 2>"$WORK/$p.warn" || fail "man -l $p.1 failed"
    [ ! -s "$WORK/$p.warn" ] || fail "man -l $p.1 warns: $(head -3 "$WORK/$p.warn")"
    grep -q "^${p^^}(1)" "$WORK/$p.txt" || fail "$p.1 has no ${p^^}(1) header"
    grep -q 'tamga 9.9.9' "$WORK/$p.txt" || fail "$p.1 does not show the version"
    lexgrog "$f" >"$WORK/lex" 2>&1 || fail "lexgrog cannot read $p.1: $(cat "$WORK/lex")"
    grep -q "\"$p - [a-z]" "$WORK/lex" || fail "lexgrog: unexpected NAME for $p: $(cat "$WORK/lex")"
    lexgrog "$f.gz" >/dev/null 2>&1 || fail "lexgrog cannot read $p.1.gz"
    for sec in NAME SYNOPSIS DESCRIPTION; do
        grep -q "^$sec" "$WORK/$p.txt" || fail "$p.1 has no $sec section"
    done
done

# No drift: each option and subcommand of the help is on the page.
check_words() { # PAGE HELP-WORDS...
    local page=$1
    shift
    t help "$@"
    expect_rc 0 "tamga help $*"
    local opt
    for opt in $(grep -oE -- '--[a-z][a-z0-9-]+' "$E2E_OUT" | sort -u); do
        grep -qF -- "$opt" "$WORK/$page.txt" || fail "$page.1 lacks $opt (from tamga help $*)"
    done
    # Its summary (second paragraph) appears, whitespace-normalised.
    local summary
    summary=$(awk 'NR>1 && /^$/ {p++; next} p==1' "$E2E_OUT" | tr -s ' \n' ' ' | sed 's/ $//')
    [ -n "$summary" ] || fail "no summary in tamga help $*"
    tr -s ' \n' ' ' <"$WORK/$page.txt" | sed 's/‐ //g' | grep -qiF -- "$summary" ||
        fail "$page.1 lacks the summary '$summary'"
}
check_words tamga
for c in "${cmds[@]}"; do
    check_words "tamga-$c" "$c"
    t help "$c"
    subs=$(sed -n '/^Commands:$/,/^$/{s/^  \([a-z][a-z0-9-]*\) .*/\1/p}' "$E2E_OUT")
    for s in $subs; do
        grep -q "^TAMGA ${c^^} ${s^^}" "$WORK/tamga-$c.txt" || fail "tamga-$c.1 has no section for $c $s"
        check_words "tamga-$c" "$c" "$s"
    done
done
grep -q 'tamga-record(1)' "$WORK/tamga.txt" || fail "tamga.1 does not point to tamga-record(1)"

# A stale page of a command that no longer exists is removed on regeneration.
: >"$MANDIR/tamga-gone.1"
run python3 "$GEN" "$TAMGA_BIN" "$MANDIR" --version 9.9.9 --date 2000-01-02
expect_rc 0 "gen-man.py (again)"
[ ! -e "$MANDIR/tamga-gone.1" ] || fail "a stale page was kept"

# The build's own pages (cmake target tamga_man), when built, are the same.
if [ -n "${TAMGA_BUILD:-}" ] && [ -f "$TAMGA_BUILD/man/tamga.1" ]; then
    for p in "${pages[@]}"; do
        diff <(grep -v '^\.TH' "$MANDIR/$p.1") <(grep -v '^\.TH' "$TAMGA_BUILD/man/$p.1") >/dev/null ||
            fail "$TAMGA_BUILD/man/$p.1 is out of date (rebuild the tamga_man target)"
    done
fi
note "${#pages[@]} man pages: render without warnings, lexgrog OK, no drift from --help"
