#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Build the Debian package: release preset, installed under /usr, then
# cpack -G DEB and lintian. Prints the path of the .deb on the last line.
set -eu
cd "$(dirname "$0")/../.."
cmake --preset release -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build --preset release -j"$(nproc)"
(cd build/release && cpack -G DEB >/dev/null)
deb=$(ls -t build/release/tamga_*.deb | head -n1)
dpkg-deb -f "$deb" Package Version Depends
if command -v lintian >/dev/null; then
    lintian "$deb" 2>/dev/null || true
fi
echo "$deb"
