#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Translations: tamga speaks Kazakh, Russian, Uyghur and English.
#  - every po/<lang>.po passes `msgfmt --check` and is complete (no
#    untranslated or fuzzy message);
#  - the catalogues compiled into <build>/locale are used (TAMGA_LOCALEDIR):
#    with LC_ALL set to each locale, `tamga --help` and an error message come
#    out translated, with their placeholders filled in; LANGUAGE picks the
#    language when the locale is not C; English stays English.
# The UTF-8 locales are generated with localedef into a private folder
# (LOCPATH), so no root and no system change is needed; exit 77 (skipped)
# when they cannot be generated.
set -euo pipefail
. "${TAMGA_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/scripts/lib-e2e.sh"
e2e_init
need_tool msgfmt gettext localedef locale

SRC=${TAMGA_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${TAMGA_BUILD:-$(dirname "$TAMGA_BIN")}
export TAMGA_LOCALEDIR="$BUILD/locale"
langs=$(grep -v '^#' "$SRC/po/LINGUAS")

# ---- the catalogues --------------------------------------------------------
for lang in $langs; do
    po="$SRC/po/$lang.po"
    [ -f "$po" ] || fail "po/LINGUAS lists $lang but po/$lang.po is missing"
    stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1) ||
        fail "msgfmt --check po/$lang.po: $stats"
    note "$lang: $stats"
    case "$stats" in
    *fuzzy* | *untranslated*) fail "po/$lang.po is not complete: $stats (run scripts/update-po.sh and translate)" ;;
    esac
    grep -q '^"Plural-Forms: nplurals=' "$po" || fail "po/$lang.po has no Plural-Forms header"
    [ -f "$TAMGA_LOCALEDIR/$lang/LC_MESSAGES/tamga.mo" ] ||
        fail "$TAMGA_LOCALEDIR/$lang/LC_MESSAGES/tamga.mo was not built"
done
# The template must hold every string of the sources (the same extraction
# as scripts/update-po.sh), or some strings could never be translated.
if command -v xgettext >/dev/null 2>&1; then
    sh "$SRC/scripts/update-po.sh" --check >"$WORK/po-check.txt" 2>&1 ||
        fail "$(cat "$WORK/po-check.txt")"
fi

# ---- the locales -------------------------------------------------------------
# Cached in the build tree (they take a few seconds each), else in $WORK.
LOCDIR="$BUILD/i18n-locales"
mkdir -p "$LOCDIR" 2>/dev/null && [ -w "$LOCDIR" ] || LOCDIR="$WORK/locales"
mkdir -p "$LOCDIR"
for loc in kk_KZ ru_RU ug_CN en_US; do
    if [ ! -f "$LOCDIR/$loc.UTF-8/LC_CTYPE" ]; then
        localedef -i "$loc" -f UTF-8 "$LOCDIR/$loc.UTF-8" >"$WORK/localedef.log" 2>&1 || true
    fi
    cm=$(LOCPATH=$LOCDIR LC_ALL=$loc.UTF-8 locale charmap 2>/dev/null || true)
    [ "$cm" = "UTF-8" ] || skip "cannot generate the locale $loc.UTF-8 (localedef: $(head -c 300 "$WORK/localedef.log"))"
done
export LOCPATH=$LOCDIR
unset LANGUAGE LANG LC_MESSAGES

# in LOCALE CMD...: run tamga in a locale (see run).
in_locale() {
    local loc=$1
    shift
    RC=0
    LC_ALL=$loc "$TAMGA_BIN" "$@" </dev/null >"$E2E_OUT" 2>"$E2E_ERR" || RC=$?
}

# The translated form of MSGID in LOCALE, from the built catalogue.
tr_of() {
    LC_ALL=$1 TEXTDOMAINDIR=$TAMGA_LOCALEDIR gettext -d tamga -- "$2"
}

# lang locale word-in-help
check_lang() {
    local lang=$1 loc=$2 word=$3 script_re=$4
    in_locale "$loc" --help
    expect_rc 0 "[$loc] tamga --help"
    grep -q -- "$word" "$E2E_OUT" || fail "[$loc] tamga --help: '$word' not in the output"
    grep -q '^Commands:' "$E2E_OUT" && fail "[$loc] tamga --help is still in English"
    LC_ALL=en_US.UTF-8 grep -qP "$script_re" "$E2E_OUT" || fail "[$loc] tamga --help: no text in the expected script"
    # The command summaries in the list are translated too.
    local sum
    sum=$(tr_of "$loc" "check that cases and recordings are intact and who signed them")
    [ "$sum" != "check that cases and recordings are intact and who signed them" ] ||
        fail "[$loc] the summary of verify is not translated"
    grep -qF -- "$sum" "$E2E_OUT" || fail "[$loc] tamga --help: the summary of verify is not translated"

    # An error with a placeholder: translated, and the argument is filled in.
    in_locale "$loc" case show nosuch
    expect_rc 2 "[$loc] tamga case show nosuch"
    local fmt want
    fmt=$(tr_of "$loc" 'cannot open case "%s"')
    [ "$fmt" != 'cannot open case "%s"' ] || fail "[$loc] 'cannot open case' is not translated"
    want=${fmt//%s/nosuch}
    grep -qF -- "tamga: $want: " "$E2E_ERR" || fail "[$loc] the error is not translated (want: tamga: $want: ...)"
    # The library's error text is translated as well.
    local nf
    nf=$(tr_of "$loc" "not found")
    [ "$nf" != "not found" ] || fail "[$loc] 'not found' is not translated"
    grep -qF -- ": $nf" "$E2E_ERR" || fail "[$loc] the library's error text is not translated"

    # A usage error, a subcommand help.
    in_locale "$loc" nosuchcommand
    expect_rc 2 "[$loc] tamga nosuchcommand"
    fmt=$(tr_of "$loc" '`%s` is not a tamga command')
    want=${fmt//%s/nosuchcommand}
    grep -qF -- "$want" "$E2E_ERR" || fail "[$loc] the unknown-command error is not translated"
    in_locale "$loc" help record
    expect_rc 0 "[$loc] tamga help record"
    grep -q -- '--passphrase-file FILE' "$E2E_OUT" || fail "[$loc] option names must stay untranslated"
    grep -q 'Public fields' "$E2E_OUT" && fail "[$loc] tamga help record is still in English"
    note "$lang: help, errors and usage are translated"
}

check_lang ru ru_RU.UTF-8 'Команды:' '\p{Cyrillic}'
check_lang kk kk_KZ.UTF-8 'Командалар:' '[әғқңөұүһі]'
check_lang ug ug_CN.UTF-8 'بۇيرۇقلار' '\p{Arabic}'

# English stays English; LANGUAGE chooses among the catalogues.
in_locale en_US.UTF-8 --help
expect_rc 0 "[en] tamga --help"
grep -q '^Commands:' "$E2E_OUT" || fail "[en] tamga --help is not in English"
RC=0
LANGUAGE=ru LC_ALL=en_US.UTF-8 "$TAMGA_BIN" --help </dev/null >"$E2E_OUT" 2>"$E2E_ERR" || RC=$?
expect_rc 0 "LANGUAGE=ru tamga --help"
grep -q 'Команды:' "$E2E_OUT" || fail "LANGUAGE=ru did not select Russian"
# In the C locale gettext does not translate (LANGUAGE is ignored there).
RC=0
LANGUAGE=ru LC_ALL=C "$TAMGA_BIN" --help </dev/null >"$E2E_OUT" 2>"$E2E_ERR" || RC=$?
grep -q '^Commands:' "$E2E_OUT" || fail "the C locale should stay English"
note "English and LANGUAGE: ok"

# ---- the verification report -------------------------------------------------
# The library translates each check when it is added (src/core/report.c), in
# the domain the CLI bound. A line is expected in the reader's language when
# the catalogue built from po/<lang>.po translates it, and in English while it
# does not, so this check follows the translations without ever passing over a
# translated line that is not shown. The JSON report stays English.
t id new --name "I18n Interviewer" --kdf interactive --passphrase-file "$PASSFILE"
expect_rc 0 "id new"
t case new "Almaty 2024" --passphrase-file "$PASSFILE"
expect_rc 0 "case new"
case_dir="$TAMGA_HOME/cases/$(tr -d '\n' <"$E2E_OUT")"
RC=0
LC_ALL=C "$TAMGA_BIN" verify --json "$case_dir" </dev/null >"$WORK/report.json" 2>"$E2E_ERR" || RC=$?
expect_rc 0 "verify --json (English)"
nchecks=$(json_get "$WORK/report.json" summary.checks)
[ "$nchecks" -gt 1 ] || fail "verify --json: no summary.checks"
grep -q '"message_local"' "$WORK/report.json" && fail "verify --json in the C locale has message_local"

# check_report LOCALE [LANGUAGE]
check_report() {
    local loc=$1 language=${2:-}
    RC=0
    LANGUAGE=$language LC_ALL=$loc "$TAMGA_BIN" verify "$case_dir" </dev/null >"$E2E_OUT" \
        2>"$E2E_ERR" || RC=$?
    expect_rc 0 "[$loc${language:+ LANGUAGE=$language}] tamga verify"
    # The subject of one check, and the verdict (a plural form).
    local subj verdict
    subj=$(LANGUAGE=$language LC_ALL=$loc TEXTDOMAINDIR=$TAMGA_LOCALEDIR gettext -d tamga -- \
        "custody log")
    grep -qF -- "  $subj: " "$E2E_OUT" ||
        fail "[$loc${language:+ LANGUAGE=$language}] the report has no line '$subj: ...'"
    verdict=$(LANGUAGE=$language LC_ALL=$loc TEXTDOMAINDIR=$TAMGA_LOCALEDIR ngettext -d tamga -- \
        "VERIFIED: %zu check passed." "VERIFIED: all %zu checks passed." "$nchecks")
    verdict=${verdict//%zu/$nchecks}
    [ "$(tail -n 1 "$E2E_OUT")" = "$verdict" ] ||
        fail "[$loc${language:+ LANGUAGE=$language}] the verdict is not '$verdict'"
    if [ "$subj" = "custody log" ]; then
        note "[$loc${language:+ LANGUAGE=$language}] report: 'custody log' is not translated yet (English shown)"
    else
        note "[$loc${language:+ LANGUAGE=$language}] report: translated ('$subj')"
    fi
    # JSON: English for scripts, whatever the language.
    RC=0
    LANGUAGE=$language LC_ALL=$loc "$TAMGA_BIN" verify --json "$case_dir" </dev/null \
        >"$WORK/report-$loc.json" 2>"$E2E_ERR" || RC=$?
    expect_rc 0 "[$loc] tamga verify --json"
    python3 - "$WORK/report.json" "$WORK/report-$loc.json" "$subj" <<'PY' ||
import json, sys
en, loc, subj = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
strip = lambda r: [{k: v for k, v in c.items() if not k.endswith("_local")} for c in r["checks"]]
assert strip(en) == strip(loc), "the English fields differ"
cl = [c for c in loc["checks"] if c["subject"] == "custody log"]
assert cl, "no custody log check"
assert cl[0].get("subject_local", "custody log") == subj, "subject_local is not the translation"
PY
        fail "[$loc] verify --json is not the English report with the translations beside it"
}
check_report ru_RU.UTF-8
check_report kk_KZ.UTF-8
check_report ug_CN.UTF-8
check_report en_US.UTF-8 ru
check_report en_US.UTF-8
note "the verification report follows the catalogues"
