#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Clean-room test of the Debian package (slow: not part of ctest).
#
#   packaging/cleanroom-test.sh [--deb FILE] [--root DIR] [--keep] [--mirror URL] [--no-bundle]
#
# 1. Builds the release preset with -DCMAKE_INSTALL_PREFIX=/usr and the .deb
#    (cpack -G DEB), unless --deb FILE gives one.
# 2. Makes a fresh Debian 12 root with `debootstrap --variant=minbase bookworm`
#    from the mirror this machine's apt uses (or --mirror URL).
# 3. In a chroot there, installs the .deb with apt (dependencies come from the
#    mirror), then as an ordinary user: tamga --version, man page, identity,
#    case, record from a WAV file, verify, decrypt, and - if this tamga has the
#    commands (and without --no-bundle) - export a bundle to a partner, who
#    imports and verifies it.
# 4. `apt-get remove --purge tamga`, then checks every file of `dpkg -L tamga`
#    is gone and that, compared with the root before tamga was installed (its
#    dependencies were installed first), nothing new is left outside the
#    users' data folders (and apt/dpkg's own bookkeeping).
#
# Needs root (debootstrap, chroot, mount), debootstrap, python3 (to write the
# WAV file) and network access to the Debian mirror. About 3-6 minutes.
# Exit status: 0 all checks passed, 1 a check failed, 77 cannot run here.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
DEB=""
ROOT=""
KEEP=0
MIRROR=""
BUNDLE=1
while [ $# -gt 0 ]; do
    case "$1" in
    --deb) DEB=$(realpath "$2"); shift 2 ;;
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

# ---- 1. the package --------------------------------------------------------
if [ -z "$DEB" ]; then
    say "building the release preset and the .deb"
    cd "$SRC"
    cmake --preset release -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
    cmake --build --preset release -j"$(nproc)" >/dev/null
    (cd build/release && cpack -G DEB) | tail -n1
    DEB=$(ls -t "$SRC"/build/release/tamga_*.deb | head -n1)
fi
[ -f "$DEB" ] || fail "no .deb"
echo "package: $DEB"
dpkg-deb -f "$DEB" Package Version Depends

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
    rm -f "$ROOT.before" "$ROOT.after" "$ROOT.files"
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
# The package's dependencies first, so that the snapshot taken before tamga
# is installed holds everything they bring (and leave behind, such as
# systemd's /etc/machine-id): the final comparison then sees tamga alone.
deps=$(dpkg-deb -f "$DEB" Depends | sed 's/([^)]*)//g; s/|[^,]*//g; s/,/ /g')
say "apt-get install the dependencies:$(echo $deps | tr -s ' ' | sed 's/^/ /')"
# shellcheck disable=SC2086
in_root apt-get install -y -q --no-install-recommends $deps | tail -n 1
snapshot >"$ROOT.before"

# ---- 3. install and use --------------------------------------------------
say "apt-get install ./$(basename "$DEB")"
cp "$DEB" "$ROOT/tmp/"
in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$DEB")" | tail -n 3
in_root dpkg -L tamga | sort >"$ROOT.files"
echo "the package installed $(wc -l <"$ROOT.files") paths"

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

say "tamga --version"
as interviewer tamga --version
as interviewer sh -c 'MANPAGER=cat MANWIDTH=80 man tamga-record 2>/dev/null | head -n 4' || true
test -f "$ROOT/usr/share/man/man1/tamga-record.1.gz" || fail "no man page installed"

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

# ---- 4. remove ---------------------------------------------------------------
say "apt-get remove --purge tamga"
in_root apt-get remove --purge -y -q tamga | grep -v '^(Reading database' | tail -n 2
left=0
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
[ "$left" -eq 0 ] || fail "files of the package are left after purge"
echo "all $(wc -l <"$ROOT.files") paths of dpkg -L tamga are gone (shared folders aside)"

snapshot >"$ROOT.after"
new=$(comm -13 "$ROOT.before" "$ROOT.after" | grep -vE '^\./home/(interviewer|partner)(/|$)' || true)
if [ -n "$new" ]; then
    echo "$new" | head -n 40
    fail "new paths left outside the users' home folders after purge"
fi
echo "nothing left outside the users' homes; the data folders stay:"
comm -13 "$ROOT.before" "$ROOT.after" | grep -E '^\./home/[a-z]+/\.local/share/tamga/?[a-z]*$' | head
say "clean-room test passed"
