#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Clean-room test of the Debian packages (slow: not part of ctest).
#
#   packaging/cleanroom-test.sh [--debs DIR | --deb FILE...] [--root DIR] [--keep]
#                               [--mirror URL] [--no-bundle]
#
# 1. Builds the release preset with -DCMAKE_INSTALL_PREFIX=/usr and the
#    packages (cpack -G DEB: libtamga0, libtamga-dev, tamga, tamga-recorder,
#    tamga-common), unless --debs DIR (every .deb in DIR) or --deb FILE (as
#    many times as needed) gives them.
# 2. Makes a fresh Debian 12 root with `debootstrap --variant=minbase bookworm`
#    from the mirror this machine's apt uses (or --mirror URL).
# 3. The command alone: installs tamga and tamga-common with apt (their
#    dependencies from the mirror, first) and checks that no GTK, GLib or X
#    library came with them; then as ordinary users: tamga --version, man
#    page, identity, case, record from a WAV file, verify, decrypt and - if
#    this tamga has the commands (and without --no-bundle) - export a bundle
#    to a partner, who imports and verifies it. Purges both packages: every
#    file of theirs is gone and nothing new is left outside the users' data
#    folders (compared with the root before they were installed).
# 4. Everything: installs all the packages (the desktop app, the library, the
#    development files); the app's libraries resolve and it answers --help, a
#    C program builds with `pkg-config --cflags --libs tamga` and runs against
#    libtamga.so.0, the CLI still works on the users' data. Purges them all,
#    with the same checks.
#
# Needs root (debootstrap, chroot, mount), debootstrap, python3 (to write the
# WAV file) and network access to the Debian mirror. About 5-8 minutes.
# Exit status: 0 all checks passed, 1 a check failed, 77 cannot run here.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
DEBS=()
ROOT=""
KEEP=0
MIRROR=""
BUNDLE=1
while [ $# -gt 0 ]; do
    case "$1" in
    --deb) DEBS+=("$(realpath "$2")"); shift 2 ;;
    --debs) for f in "$2"/*.deb; do [ -f "$f" ] && DEBS+=("$(realpath "$f")"); done; shift 2 ;;
    --root) ROOT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --no-bundle) BUNDLE=0; shift ;;
    --mirror) MIRROR=$2; shift 2 ;;
    -h | --help) sed -n '3,/^set -euo/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cleanroom: unknown option $1" >&2; exit 2 ;;
    esac
done

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'cleanroom: FAIL: %s\n' "$*" >&2; exit 1; }
skip() { printf 'cleanroom: SKIP: %s\n' "$*" >&2; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot, mount)"
for t in debootstrap chroot mount python3; do
    command -v "$t" >/dev/null || skip "$t is not installed (packaging/install-deps.sh)"
done

# ---- 1. the packages -------------------------------------------------------
if [ "${#DEBS[@]}" -eq 0 ]; then
    say "building the release preset and the packages"
    cd "$SRC"
    cmake --preset release -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
    cmake --build --preset release -j"$(nproc)" >/dev/null
    rm -f "$SRC"/build/release/*.deb
    (cd build/release && cpack -G DEB) | grep 'generated' || true
    DEBS=("$SRC"/build/release/*.deb)
fi
declare -A DEB # package name -> .deb file
for f in "${DEBS[@]}"; do
    [ -f "$f" ] || fail "no such package file: $f"
    DEB[$(dpkg-deb -f "$f" Package)]=$f
done
for p in tamga tamga-common; do
    [ -n "${DEB[$p]:-}" ] || fail "no $p package among: ${DEBS[*]}"
done
for p in "${!DEB[@]}"; do
    printf '%-15s %s\n' "$p" "$(basename "${DEB[$p]}")"
done | sort

# ---- 2. a fresh Debian 12 root -------------------------------------------
if [ -z "$MIRROR" ]; then
    MIRROR=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}')
    [ -n "$MIRROR" ] || MIRROR=$(grep -hE '^deb +(\[[^]]*\] +)?https?://[^ ]+ +bookworm +' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        sed -E 's/^deb +(\[[^]]*\] +)?//' | awk '{print $1; exit}')
    [ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian
fi
[ -n "$ROOT" ] || ROOT=$(mktemp -d /var/tmp/tamga-cleanroom.XXXXXX)
mkdir -p "$ROOT"
[ -z "$(ls -A "$ROOT")" ] || fail "$ROOT is not empty (a fresh root is needed)"
chmod 755 "$ROOT" # it is /, for the ordinary users in it too

MOUNTS=()
cleanup() {
    local i
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
        umount -l "${MOUNTS[$i]}" 2>/dev/null || true
    done
    rm -f "$ROOT.before" "$ROOT.after" "$ROOT.files" "$ROOT.pkgs-before" "$ROOT.pkgs-after"
    if [ "$KEEP" -eq 0 ]; then
        rm -rf --one-file-system "$ROOT"
    else
        echo "cleanroom: kept $ROOT"
    fi
}
trap cleanup EXIT

say "debootstrap --variant=minbase bookworm from $MIRROR"
start=$(date +%s)
debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >"$ROOT.debootstrap.log" 2>&1 ||
    { tail -n 20 "$ROOT.debootstrap.log"; fail "debootstrap failed (log: $ROOT.debootstrap.log)"; }
rm -f "$ROOT.debootstrap.log"
echo "fresh root in $(($(date +%s) - start)) s: $ROOT"

mount -t proc proc "$ROOT/proc"
MOUNTS+=("$ROOT/proc")
mount --bind /dev "$ROOT/dev"
MOUNTS+=("$ROOT/dev")
mount --bind /dev/pts "$ROOT/dev/pts"
MOUNTS+=("$ROOT/dev/pts")
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true

in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }

# Everything on the root's file system, without the kernel's, apt's and
# dpkg's own bookkeeping and the temporary folders.
snapshot() {
    (cd "$ROOT" && find . -xdev \
        \( -path ./proc -o -path ./dev -o -path ./sys -o -path ./tmp -o -path ./var/tmp \
        -o -path ./var/lib/apt -o -path ./var/lib/dpkg -o -path ./var/cache \
        -o -path ./var/log -o -path ./run \) -prune -o -print) | sort
}

in_root useradd --create-home --shell /bin/sh interviewer
in_root useradd --create-home --shell /bin/sh partner
in_root apt-get update -q >/dev/null
cp "${DEBS[@]}" "$ROOT/tmp/"

# local_debs PACKAGE...: their files in the root, for apt-get install.
local_debs() {
    local p
    for p in "$@"; do printf '/tmp/%s\n' "$(basename "${DEB[$p]}")"; done
}
# install_deps PACKAGE... [-- EXTRA...]: the packages' Depends from the mirror
# (not the packages themselves, nor each other), and EXTRA. Done before the
# snapshot, so that the one taken before tamga is installed holds everything
# they bring (and leave behind, such as systemd's /etc/machine-id): the
# final comparison then sees tamga alone.
install_deps() {
    local deps="" p d extra=()
    while [ $# -gt 0 ]; do
        if [ "$1" = -- ]; then
            shift
            extra=("$@")
            break
        fi
        deps="$deps $(dpkg-deb -f "${DEB[$1]}" Depends | sed 's/([^)]*)//g; s/|[^,]*//g; s/,/ /g')"
        shift
    done
    local list=()
    for d in $deps "${extra[@]}"; do
        [ -n "${DEB[$d]:-}" ] && continue # one of ours, installed from its .deb
        list+=("$d")
    done
    say "apt-get install the dependencies: $(printf '%s\n' "${list[@]}" | sort -u | tr '\n' ' ')"
    # shellcheck disable=SC2046
    in_root apt-get install -y -q --no-install-recommends $(printf '%s\n' "${list[@]}" | sort -u) |
        tail -n 1
}
installed() { in_root dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '/^ii/ {print $2}' | sort; }

# install_ours PACKAGE...: apt-get install of their .deb files; the paths
# they own go to $ROOT.files. The snapshot before is $ROOT.before.
install_ours() {
    snapshot >"$ROOT.before"
    installed >"$ROOT.pkgs-before"
    say "apt-get install $(local_debs "$@" | tr '\n' ' ')"
    # shellcheck disable=SC2046
    in_root apt-get install -y -q --no-install-recommends $(local_debs "$@") | tail -n 2
    installed >"$ROOT.pkgs-after"
    local added
    added=$(comm -13 "$ROOT.pkgs-before" "$ROOT.pkgs-after" | tr '\n' ' ')
    echo "packages added: $added"
    [ "$added" = "$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ] ||
        fail "apt installed more than our packages: $added"
    local p
    for p in "$@"; do in_root dpkg -L "$p"; done | sort -u >"$ROOT.files"
    echo "they installed $(wc -l <"$ROOT.files") paths"
}

# purge_ours PACKAGE...: apt-get remove --purge; every path of theirs is gone
# (shared folders aside) and nothing new since $ROOT.before is left outside
# the users' home folders.
purge_ours() {
    say "apt-get remove --purge $*"
    in_root apt-get remove --purge -y -q "$@" | grep -v '^(Reading database' | tail -n 2
    local left=0 p
    while read -r p; do
        [ "$p" = /. ] && continue
        if [ -e "$ROOT$p" ] || [ -L "$ROOT$p" ]; then
            if [ -d "$ROOT$p" ] && [ ! -L "$ROOT$p" ]; then
                # Shared folders (/usr/bin, ...) stay; one of tamga's own must go.
                case "$p" in *tamga*) echo "left: $p/"; left=1 ;; esac
            else
                echo "left: $p"
                left=1
            fi
        fi
    done <"$ROOT.files"
    [ "$left" -eq 0 ] || fail "files of the packages are left after purge"
    echo "all $(wc -l <"$ROOT.files") paths of dpkg -L $* are gone (shared folders aside)"
    installed | grep -E '^(lib)?tamga' && fail "a tamga package is still installed"
    snapshot >"$ROOT.after"
    local new
    new=$(comm -13 "$ROOT.before" "$ROOT.after" | grep -vE '^\./home/(interviewer|partner)(/|$)' || true)
    if [ -n "$new" ]; then
        echo "$new" | head -n 40
        fail "new paths left outside the users' home folders after purge"
    fi
    echo "nothing left outside the users' homes"
}

# A two-second 440 Hz WAV, written with python3's wave module.
python3 - "$ROOT/tmp/tone.wav" <<'PY'
import math, struct, sys, wave
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(48000)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 48000)))
                           for i in range(96000)))
PY
chmod 644 "$ROOT/tmp/tone.wav"

# as USER COMMAND...: run in the root as an ordinary user, in their home.
as() {
    local user=$1
    shift
    local uid
    uid=$(in_root id -u "$user")
    chroot --userspec="$uid:$uid" "$ROOT" /usr/bin/env -i PATH=/usr/bin:/bin \
        HOME="/home/$user" LC_ALL=C.UTF-8 sh -c 'cd "$HOME" && "$@"' sh "$@"
}

# ---- 3. the command alone ------------------------------------------------------
install_deps tamga tamga-common
install_ours tamga tamga-common
# A server or a partner's machine gets the CLI without any graphical stack.
gui=$(installed | grep -E '^(libgtk|libgdk|libglib2\.0-0|libx11-6|libwayland-|libcairo2|libpango|libgraphene)' || true)
[ -z "$gui" ] || fail "installing tamga brought graphical libraries: $(echo "$gui" | tr '\n' ' ')"
echo "no GTK, GLib, X11, Wayland, cairo or pango library installed"
installed | grep -qx libtamga0 && fail "tamga pulled libtamga0 (it links statically)"

say "tamga --version"
as interviewer tamga --version
as interviewer sh -c 'MANPAGER=cat MANWIDTH=80 man tamga-record 2>/dev/null | head -n 4' || true
test -f "$ROOT/usr/share/man/man1/tamga-record.1.gz" || fail "no man page installed"
[ -n "$(ls "$ROOT"/usr/share/locale/*/LC_MESSAGES/tamga.mo 2>/dev/null)" ] ||
    fail "no translations (tamga-common)"

say "identity, case, record from a WAV file, verify, decrypt"
for u in interviewer partner; do
    printf 'clean room passphrase of %s\n' "$u" >"$ROOT/home/$u/pass"
    in_root chown "$u:$u" "/home/$u/pass"
    in_root chmod 600 "/home/$u/pass"
done
as interviewer tamga id new --name "Clean-room interviewer" --kdf interactive \
    --passphrase-file pass
as partner tamga id new --name "Clean-room partner" --kdf interactive --passphrase-file pass \
    >/dev/null
CASE=$(as interviewer tamga case new "Clean-room case" --passphrase-file pass)
echo "case: $CASE"
REC=$(as interviewer tamga record --case "$CASE" --input /tmp/tone.wav --title "Test tone" \
    --language en --consent internal --interviewee "Witness 0" --passphrase-file pass)
echo "recording: $REC"
CASEDIR=/home/interviewer/.local/share/tamga/cases/$CASE
as interviewer tamga verify "$CASEDIR" | tail -n 3 || fail "tamga verify failed"
as interviewer tamga decrypt "$REC" -o listen.opus --passphrase-file pass
[ "$(head -c 4 "$ROOT/home/interviewer/listen.opus")" = OggS ] || fail "decrypt gave no Ogg file"
echo "decrypted: $(stat -c %s "$ROOT/home/interviewer/listen.opus") bytes of Ogg Opus"

commands=$(as interviewer tamga help | sed -n '/^Commands:$/,/^$/{s/^  \([a-z]*\) .*/\1/p}')
if [ "$BUNDLE" -eq 0 ]; then
    echo "NOTE: --no-bundle: export and import steps skipped"
elif grep -qx export <<<"$commands"; then
    say "export a bundle to the partner"
    AGE=$(as partner tamga id export --age)
    as interviewer tamga export --case "$CASE" --to "$AGE" -o /tmp/bundle.age \
        --passphrase-file pass
    chmod 644 "$ROOT/tmp/bundle.age"
    echo "bundle: $(stat -c %s "$ROOT/tmp/bundle.age") bytes"
    if grep -qx import <<<"$commands"; then
        say "the partner imports and verifies it"
        as partner tamga help import | head -n 2
        as partner tamga import /tmp/bundle.age --passphrase-file pass
        PCASE=/home/partner/.local/share/tamga/cases/$CASE
        as partner tamga verify "$PCASE" | tail -n 3 || fail "the imported case does not verify"
    else
        echo "NOTE: this tamga has no 'import' command yet: import step skipped"
    fi
else
    echo "NOTE: this tamga has no 'export' command yet: export and import steps skipped"
fi

purge_ours tamga tamga-common

# ---- 4. everything: the desktop app, the library, the development files --------
ALL=()
for p in tamga tamga-common tamga-recorder libtamga0 libtamga-dev; do
    if [ -n "${DEB[$p]:-}" ]; then
        ALL+=("$p")
    else
        echo "NOTE: no $p package given: not tested"
    fi
done
extra=()
[ -n "${DEB[libtamga-dev]:-}" ] && extra=(pkgconf gcc libc6-dev)
install_deps "${ALL[@]}" -- "${extra[@]}"
install_ours "${ALL[@]}"

as interviewer tamga verify "$CASEDIR" | tail -n 1 || fail "tamga verify failed after reinstalling"
if [ -n "${DEB[tamga-recorder]:-}" ]; then
    say "tamga-recorder"
    missing=$(in_root ldd /usr/bin/tamga-recorder | grep 'not found' || true)
    [ -z "$missing" ] || fail "tamga-recorder: $missing"
    as interviewer tamga-recorder --help | head -n 3 || fail "tamga-recorder --help failed"
    for f in /usr/share/applications/org.tamga.Recorder.desktop \
        /usr/share/metainfo/org.tamga.Recorder.metainfo.xml /usr/share/man/man1/tamga-recorder.1.gz; do
        [ -f "$ROOT$f" ] || fail "no $f"
    done
    echo "the app's libraries resolve, --help answers; .desktop, metainfo, man page in place"
fi
if [ -n "${DEB[libtamga-dev]:-}" ]; then
    say "a program built with pkg-config --cflags --libs tamga, run against libtamga.so.0"
    cat >"$ROOT/tmp/use.c" <<'C'
#include <stdio.h>
#include <tamga/tamga.h>
int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 3;
    printf("libtamga %s\n", tamga_version());
    return 0;
}
C
    chmod 644 "$ROOT/tmp/use.c"
    as interviewer sh -c 'cc -std=c17 -Wall -Werror -o use /tmp/use.c $(pkg-config --cflags --libs tamga)' ||
        fail "cannot build against libtamga-dev"
    as interviewer ./use || fail "the program does not run against libtamga.so.0"
    in_root ldd /home/interviewer/use | grep -E 'libtamga\.so\.0 => /(usr/)?lib/' ||
        fail "the program does not load the installed libtamga.so.0"
    rm -f "$ROOT/home/interviewer/use"
fi

purge_ours "${ALL[@]}"
# Uninstalling never deletes anyone's recordings and keys.
for u in interviewer partner; do
    [ -d "$ROOT/home/$u/.local/share/tamga/identity" ] || fail "the data folder of $u is gone"
done
echo "the data folders stay: $(cd "$ROOT" && ls -d home/*/.local/share/tamga/* | tr '\n' ' ')"
say "clean-room test passed"
