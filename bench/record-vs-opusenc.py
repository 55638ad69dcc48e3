#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark (a): `tamga record --input` against stock `opusenc` on the same
10-minute speech-like WAV, same bitrate (32 kbit/s) and complexity (10), in the
same run, alternating. Reports the CPU time (user + sys) ratio and peak memory.
Target: CPU ratio <= 1.05 (encryption, hashing and signing must be nearly free
next to Opus encoding).

`tamga record` must also unlock the identity (Argon2id) to sign; that fixed
cost per recording is measured separately with `tamga log note` (unlock + sign
+ append) and shown, with the ratio net of it.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as b  # noqa: E402


def main():
    ap = b.common_args(__doc__)
    ap.add_argument("--seconds", type=float, default=600, help="length of the test WAV (600)")
    ap.add_argument("--bitrate", type=int, default=32, help="kbit/s (32)")
    ap.add_argument("--noise", action="store_true",
                    help="use shaped pink noise instead of synthetic speech")
    a = ap.parse_args()
    tamga = b.find_tamga(a.tamga)
    b.need("opusenc", "sox", "soxi")

    with b.Workdir(tamga, a.keep, a.workdir) as w:
        wav = w.path("speech.wav")
        print(f"making a {a.seconds:.0f} s speech-like WAV (48 kHz mono 16-bit)...", flush=True)
        b.speech_like_wav(wav, a.seconds, noise=a.noise)
        w.setup_case()
        opus_out = w.path("opusenc.opus")
        opusenc = ["opusenc", "--quiet", "--bitrate", str(a.bitrate), "--comp", "10", wav, opus_out]
        record = [tamga, "record", "--case", w.case, "--input", wav, "--bitrate", str(a.bitrate),
                  "--quiet", "--passphrase-file", w.passfile]
        note = [tamga, "log", "note", w.case, "benchmark", "--passphrase-file", w.passfile]

        print("warming up (one run of each, not counted)...", flush=True)
        b.measure(opusenc)
        b.measure(record, env=w.env)
        runs = {"opusenc": [], "tamga record": [], "tamga unlock+sign": []}
        for i in range(a.repeat):
            print(f"run {i + 1}/{a.repeat}...", flush=True)
            runs["opusenc"].append(b.measure(opusenc))
            runs["tamga record"].append(b.measure(record, env=w.env))
            runs["tamga unlock+sign"].append(b.measure(note, env=w.env))

        recs = os.path.join(w.case_dir, "recordings")
        tamga_size = max(os.path.getsize(os.path.join(recs, f))
                         for f in os.listdir(recs) if f.endswith(".tamga"))
        opus_size = os.path.getsize(opus_out)

    oe, tr, un = (runs[k] for k in ("opusenc", "tamga record", "tamga unlock+sign"))
    cpu_o, cpu_t, cpu_u = (b.median(r, "cpu") for r in (oe, tr, un))
    rss_o, rss_t = (b.median(r, "maxrss_kb") for r in (oe, tr))
    print()
    print(f"record vs opusenc: {a.seconds:.0f} s {'noise' if a.noise else 'speech'}, "
          f"{a.bitrate} kbit/s, complexity 10, median of {a.repeat}; {b.machine_line()}")
    rows = []
    for name, r in runs.items():
        rows.append((name, f"{b.median(r, 'wall'):.2f}", f"{b.median(r, 'user'):.2f}",
                     f"{b.median(r, 'sys'):.2f}", f"{b.median(r, 'cpu'):.2f}",
                     f"{b.median(r, 'maxrss_kb') / 1024:.1f}"))
    b.table(rows, ("command", "wall s", "user s", "sys s", "cpu s", "peak RSS MiB"))
    print()
    ratio = cpu_t / cpu_o
    net = (cpu_t - cpu_u) / cpu_o
    b.table([
        ("CPU time ratio tamga record / opusenc", f"{ratio:.3f}", "<= 1.05",
         "ok" if ratio <= 1.05 else "OVER"),
        ("  the same without the unlock+sign cost", f"{net:.3f}", "", ""),
        ("peak memory ratio tamga record / opusenc", f"{rss_t / rss_o:.2f}", "", ""),
        ("output size ratio .tamga / .opus", f"{tamga_size / opus_size:.4f}", "", ""),
    ], ("measure", "value", "target", ""))


if __name__ == "__main__":
    main()
