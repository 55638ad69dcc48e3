#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Build the Debian packages: release preset, installed under /usr, then
# cpack -G DEB (one package per install component: libtamga0, libtamga-dev,
# tamga, tamga-recorder, tamga-common) and lintian on each. Prints the paths
# of the .deb files last, one a line.
set -eu
cd "$(dirname "$0")/../.."
cmake --preset release -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build --preset release -j"$(nproc)"
rm -f build/release/*.deb # no stale package of an older version
(cd build/release && cpack -G DEB >/dev/null)
for deb in build/release/*.deb; do
    dpkg-deb -f "$deb" Package Version Architecture Depends Recommends Suggests
    if command -v lintian >/dev/null; then
        lintian "$deb" 2>/dev/null || true
    fi
    echo
done
ls build/release/*.deb
