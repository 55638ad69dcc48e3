#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Install every Debian 12 package needed to build, run and test tamga.
# Idempotent: packages already present are left alone. Uses sudo when not root.
set -eu

PKGS="
build-essential cmake pkg-config git ca-certificates
clang clang-14 libclang-rt-14-dev lld
libsodium-dev libopus-dev libopusenc-dev libopusfile-dev libsndfile1-dev
libjansson-dev libarchive-dev portaudio19-dev libasound2-dev libcmocka-dev
libgtk-4-dev gettext locales
minisign age opus-tools sox espeak-ng
pulseaudio pulseaudio-utils libasound2-plugins alsa-utils
xvfb xauth dbus dbus-x11 appstream desktop-file-utils imagemagick
python3 man-db lintian debootstrap flatpak-builder
"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
