#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command inside a private PulseAudio daemon with a null sink "vsink"
# (48 kHz mono) and an ALSA PCM "vmic" that reads the sink's monitor, so real
# PortAudio capture works on machines without a sound card:
#   tests/audio-env/with-pulse.sh COMMAND [ARGS...]
# Inside: play known audio with `paplay --device=vsink FILE`, record from
# PortAudio device "vmic". HOME and XDG_RUNTIME_DIR are private temp folders;
# the daemon is stopped when the command ends. Exit status: the command's, or
# 77 (skip) when PulseAudio cannot start here.
set -euo pipefail

if ! command -v pulseaudio >/dev/null 2>&1; then
    echo "with-pulse: pulseaudio is not installed (run packaging/install-deps.sh)" >&2
    exit 77
fi

WP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tamga-pulse.XXXXXX")
export HOME="$WP_DIR/home" XDG_RUNTIME_DIR="$WP_DIR/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
cat > "$HOME/.asoundrc" <<'ASOUND'
pcm.vmic {
    type pulse
    device "vsink.monitor"
}
ctl.vmic {
    type pulse
}
pcm.vout {
    type pulse
    device "vsink"
}
ASOUND

WP_PID=""
cleanup() {
    if [ -n "$WP_PID" ] && kill -0 "$WP_PID" 2>/dev/null; then
        kill "$WP_PID" 2>/dev/null || true
        wait "$WP_PID" 2>/dev/null || true
    fi
    rm -rf "$WP_DIR"
}
trap cleanup EXIT

# As root (CI), PulseAudio needs --system=false explicitly allowed; -n skips the
# default configuration, so only the modules named here load.
pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit --use-pid-file=no \
    -L module-native-protocol-unix \
    -L "module-null-sink sink_name=vsink rate=48000 channels=1" \
    -L "module-always-sink" \
    >"$WP_DIR/pulse.log" 2>&1 &
WP_PID=$!

for _ in $(seq 1 100); do
    if pactl info >/dev/null 2>&1; then
        break
    fi
    if ! kill -0 "$WP_PID" 2>/dev/null; then
        echo "with-pulse: PulseAudio did not start:" >&2
        cat "$WP_DIR/pulse.log" >&2
        exit 77
    fi
    sleep 0.1
done
if ! pactl info >/dev/null 2>&1; then
    echo "with-pulse: PulseAudio did not answer in 10 s" >&2
    exit 77
fi
pactl set-default-sink vsink >/dev/null 2>&1 || true
pactl set-default-source vsink.monitor >/dev/null 2>&1 || true
export TAMGA_PULSE_PID="$WP_PID"

set +e
"$@"
status=$?
set -e
exit "$status"
