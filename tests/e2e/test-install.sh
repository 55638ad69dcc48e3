#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `cmake --install` of the build tree into a private prefix: the tamga CLI,
# the shared library with its versioned soname and only tamga_* symbols
# exported, the public headers, tamga.pc (a program builds and runs against
# the installed library with pkg-config alone), the man pages and the
# package's doc files, all under GNUInstallDirs. Then each install COMPONENT
# alone (one Debian package each, cmake/Packaging.cmake): every installed file
# is in exactly one of them, and each holds what its package must.
set -euo pipefail
. "${TAMGA_SRC:-$(dirname "$0")/../..}/scripts/lib-e2e.sh"
e2e_init
need_tool cmake pkg-config cc readelf nm
[ -n "${TAMGA_BUILD:-}" ] && [ -f "$TAMGA_BUILD/cmake_install.cmake" ] || skip "no build tree (TAMGA_BUILD)"
[ -f "$TAMGA_BUILD/man/tamga.1.gz" ] || skip "the build tree has no man pages yet (build target tamga_man)"

P="$WORK/prefix"
run cmake --install "$TAMGA_BUILD" --prefix "$P"
expect_rc 0 "cmake --install"

[ -x "$P/bin/tamga" ] || fail "no bin/tamga"
lib=$(find "$P" -name 'libtamga.so.*.*.*' -type f | head -n1)
[ -n "$lib" ] || fail "no libtamga.so.X.Y.Z"
libdir=$(dirname "$lib")
case "${libdir#"$P"/}" in lib | lib64 | lib/*-linux-gnu*) ;; *) fail "library in ${libdir#"$P"/}" ;; esac
version=$(sed -n 's/^project(tamga VERSION \([0-9.]*\).*/\1/p' "$TAMGA_SRC/CMakeLists.txt")
major=${version%%.*}
[ "$(basename "$lib")" = "libtamga.so.$version" ] || fail "library is $(basename "$lib"), version $version"
soname=$(readelf -d "$lib" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = "libtamga.so.$major" ] || fail "soname '$soname'"
[ "$(readlink "$libdir/libtamga.so.$major")" = "libtamga.so.$version" ] || fail "no libtamga.so.$major link"
[ -L "$libdir/libtamga.so" ] || fail "no libtamga.so link for the linker"
# Only the public API is exported.
bad=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}' | grep -v '^tamga_' || true)
[ -z "$bad" ] || fail "exported symbols outside tamga_*: $(echo "$bad" | head -5 | tr '\n' ' ')"
nm -D --defined-only "$lib" | grep -q ' T tamga_version$' || fail "tamga_version is not exported"

for h in "$TAMGA_SRC"/include/tamga/*.h; do
    cmp -s "$h" "$P/include/tamga/$(basename "$h")" || fail "header $(basename "$h") not installed"
done
pc="$libdir/pkgconfig/tamga.pc"
[ -f "$pc" ] || fail "no tamga.pc"
grep -q '^Requires.private:.*libsodium' "$pc" || fail "tamga.pc lacks Requires.private libsodium"
[ -f "$P/share/doc/tamga/copyright" ] || fail "no share/doc/tamga/copyright"
for p in tamga tamga-id tamga-case tamga-record tamga-verify tamga-decrypt tamga-log; do
    [ -f "$P/share/man/man1/$p.1.gz" ] || fail "no man page $p.1.gz"
done
if command -v man >/dev/null; then
    MANPATH="$P/share/man" MANWIDTH=80 man -P cat tamga-verify 2>/dev/null | grep -q 'TAMGA-VERIFY(1)' ||
        fail "man tamga-verify does not find the installed page"
fi

# ---- the install components, one Debian package each ------------------------
# lib: libtamga0, dev: libtamga-dev, cli: tamga, recorder: tamga-recorder,
# common: tamga-common. A file in no component (CMake's "Unspecified") would be
# in no package; a file in two would make the packages conflict.
comps=(lib dev cli recorder common)
declare -A pkg=([lib]=libtamga0 [dev]=libtamga-dev [cli]=tamga [recorder]=tamga-recorder
    [common]=tamga-common)
files_of() { (cd "$1" && find . ! -type d | sed 's|^\./||' | sort); }
files_of "$P" >"$WORK/all.list"
: >"$WORK/union.list"
for c in "${comps[@]}"; do
    run cmake --install "$TAMGA_BUILD" --prefix "$WORK/c-$c" --component "$c"
    expect_rc 0 "cmake --install --component $c"
    mkdir -p "$WORK/c-$c"
    files_of "$WORK/c-$c" >"$WORK/$c.list"
    cat "$WORK/$c.list" >>"$WORK/union.list"
done
dups=$(sort "$WORK/union.list" | uniq -d)
[ -z "$dups" ] || fail "files in two components: $(echo "$dups" | head -5 | tr '\n' ' ')"
orphans=$(sort "$WORK/union.list" | comm -23 "$WORK/all.list" -)
[ -z "$orphans" ] || fail "files in no package component: $(echo "$orphans" | head -5 | tr '\n' ' ')"
rel=${libdir#"$P"/}
# has COMPONENT FILE...: each FILE (relative to the prefix) is in that component.
has() {
    local c=$1 f
    shift
    for f in "$@"; do
        grep -qxF "$f" "$WORK/$c.list" || fail "$f is not in component $c (${pkg[$c]})"
    done
}
has lib "$rel/libtamga.so.$version" "$rel/libtamga.so.$major"
has dev "$rel/libtamga.so" "$rel/pkgconfig/tamga.pc" include/tamga/tamga.h
has cli bin/tamga share/man/man1/tamga.1.gz share/man/man1/tamga-record.1.gz
for c in "${comps[@]}"; do
    # Only the packages that exist in this build have files at all.
    [ -s "$WORK/$c.list" ] || continue
    has "$c" "share/doc/${pkg[$c]}/copyright"
done
# Nothing else in the library package: no headers, no link for the linker,
# no program (libtamga0 must stay installable beside a future libtamga1).
bad=$(grep -vE "^($rel/libtamga\.so\.$major(\.|$)|share/doc/libtamga0/)" "$WORK/lib.list" || true)
[ -z "$bad" ] || fail "unexpected files in libtamga0: $(echo "$bad" | tr '\n' ' ')"
# The CLI's package: the command, its man pages, its docs; no library, no
# headers, nothing of the desktop app (a server installs it without GTK).
bad=$(grep -vE '^(bin/tamga|share/man/man1/tamga(-[a-z]+)?\.1\.gz|share/doc/tamga/[^/]+)$' \
    "$WORK/cli.list" || true)
[ -z "$bad" ] || fail "unexpected files in the CLI component: $(echo "$bad" | tr '\n' ' ')"
grep -qx 'share/man/man1/tamga-recorder.1.gz' "$WORK/cli.list" &&
    fail "the desktop app's man page is in the CLI component"
if [ -x "$P/bin/tamga-recorder" ]; then
    has recorder bin/tamga-recorder share/man/man1/tamga-recorder.1.gz
    grep -q '^share/applications/.*\.desktop$' "$WORK/recorder.list" || fail "no .desktop in recorder"
    grep -q '^share/metainfo/' "$WORK/recorder.list" || fail "no metainfo in recorder"
    grep -qE 'tamga-recorder|applications|metainfo|icons' "$WORK/cli.list" &&
        fail "the CLI component holds desktop app files"
fi
if [ -s "$WORK/common.list" ]; then
    bad=$(grep -vE '^(share/locale/[^/]+/LC_MESSAGES/tamga\.mo|share/doc/tamga-common/.*)$' \
        "$WORK/common.list" || true)
    [ -z "$bad" ] || fail "tamga-common holds more than translations: $(echo "$bad" | tr '\n' ' ')"
    grep -q '^share/locale/' "$WORK/cli.list" && fail "translations in the CLI component"
fi
# The programs link the static archive: they do not load libtamga.so, which is
# why the tamga and tamga-recorder packages do not depend on libtamga0. If
# this changes, they must (docs/PACKAGING.md).
for b in "$P/bin/tamga" "$P/bin/tamga-recorder"; do
    [ -x "$b" ] || continue
    if readelf -d "$b" | grep -q 'NEEDED.*\[libtamga\.so'; then
        fail "$(basename "$b") now loads libtamga.so: its package must depend on libtamga0"
    fi
done

# The installed CLI runs.
run "$P/bin/tamga" --version
expect_rc 0 "installed tamga --version"
grep -q "^tamga $version$" "$E2E_OUT" || fail "installed tamga --version: $(head -1 "$E2E_OUT")"

# A program builds against the installed library with pkg-config alone.
cat >"$WORK/use.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <tamga/tamga.h>
int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 3;
    printf("%s\n", tamga_version());
    return strcmp(tamga_strerror(TAMGA_OK), "") == 0 ? 4 : 0;
}
C
flags=()
if grep -q '^TAMGA_SANITIZE:BOOL=ON' "$TAMGA_BUILD/CMakeCache.txt"; then
    flags=(-fsanitize=address,undefined)
    export ASAN_OPTIONS=detect_leaks=0
fi
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
run cc -std=c17 -Wall -Werror "${flags[@]}" -o "$WORK/use" "$WORK/use.c" \
    $(pkg-config --define-variable=prefix="$P" --cflags --libs tamga)
expect_rc 0 "cc against the installed tamga.pc"
grep -q -- "-I$P/include" <(pkg-config --define-variable=prefix="$P" --cflags tamga) ||
    fail "tamga.pc include path does not follow its prefix"
run env LD_LIBRARY_PATH="$libdir" "$WORK/use"
expect_rc 0 "a program using the installed library"
[ "$(cat "$E2E_OUT")" = "$version" ] || fail "the program printed '$(out)'"
# Static linking needs the private requirements: they resolve.
run pkg-config --define-variable=prefix="$P" --static --libs tamga
expect_rc 0 "pkg-config --static"
grep -q -- '-lsodium' "$E2E_OUT" || fail "pkg-config --static lacks -lsodium"
note "cmake --install: CLI, libtamga.so.$version (soname $soname), headers, tamga.pc, man pages;" \
    "components: $(for c in "${comps[@]}"; do printf '%s=%s ' "$c" "$(wc -l <"$WORK/$c.list")"; done)"
