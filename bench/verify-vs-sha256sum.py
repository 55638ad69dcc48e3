#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark (b): `tamga verify` of a case holding at least 200 MB of
recordings against stock `sha256sum` of the same files, in the same run,
alternating, with the files already in the page cache. Reports the wall-time
ratio. Target: <= 1.5 without --decrypt. `verify --decrypt` is measured too,
for information.

The case is made by recording one long generated stereo WAV (30 minutes,
48 kHz, shaped pink noise, so the VBR encoder really spends the bitrate) at
--bitrate 256 several times, until the encrypted files reach the size wanted.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as b  # noqa: E402


def main():
    ap = b.common_args(__doc__)
    ap.add_argument("--megabytes", type=float, default=200, help="minimum size of the recordings (200)")
    ap.add_argument("--seconds", type=float, default=1800, help="length of each recording (1800)")
    ap.add_argument("--no-decrypt", action="store_true", help="skip the verify --decrypt measurement")
    a = ap.parse_args()
    tamga = b.find_tamga(a.tamga)
    b.need("sox", "sha256sum")

    with b.Workdir(tamga, a.keep, a.workdir) as w:
        wav = w.path("long.wav")
        print(f"making a {a.seconds:.0f} s stereo WAV...", flush=True)
        b.speech_like_wav(wav, a.seconds, channels=2, noise=True)
        w.setup_case()
        recs = os.path.join(w.case_dir, "recordings")

        def rec_bytes():
            return sum(os.path.getsize(os.path.join(recs, f)) for f in os.listdir(recs)
                       if f.endswith(".tamga")) if os.path.isdir(recs) else 0

        n = 0
        while rec_bytes() < a.megabytes * 1e6:
            n += 1
            if n > 64:
                sys.exit("bench: the recordings stay too small; is the bitrate capped?")
            print(f"recording {n} (256 kbit/s)... {rec_bytes() / 1e6:.0f} MB so far", flush=True)
            b.measure([tamga, "record", "--case", w.case, "--input", wav, "--bitrate", "256",
                       "--quiet", "--passphrase-file", w.passfile], env=w.env)
        os.unlink(wav)
        files = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(w.case_dir) for f in fs)
        total = sum(os.path.getsize(f) for f in files)
        print(f"case: {n} recordings, {len(files)} files, {total / 1e6:.1f} MB", flush=True)

        sha = ["sha256sum", *files]
        verify = [tamga, "verify", w.case_dir]
        verify_dec = [tamga, "verify", "--decrypt", "--passphrase-file", w.passfile, w.case_dir]
        # Warm the page cache and check verify passes.
        b.measure(sha)
        r = subprocess.run(verify, env=w.env, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"bench: the case does not verify:\n{r.stdout}{r.stderr}")
        runs = {"sha256sum": [], "tamga verify": []}
        if not a.no_decrypt:
            runs["tamga verify --decrypt"] = []
        for i in range(a.repeat):
            print(f"run {i + 1}/{a.repeat}...", flush=True)
            runs["sha256sum"].append(b.measure(sha))
            runs["tamga verify"].append(b.measure(verify, env=w.env))
            if not a.no_decrypt:
                runs["tamga verify --decrypt"].append(b.measure(verify_dec, env=w.env))

    print()
    print(f"verify vs sha256sum: {n} recordings, {total / 1e6:.0f} MB, warm cache, "
          f"median of {a.repeat}; {b.machine_line()}")
    rows = []
    for name, r in runs.items():
        rows.append((name, f"{b.median(r, 'wall'):.2f}", f"{b.median(r, 'cpu'):.2f}",
                     f"{b.median(r, 'maxrss_kb') / 1024:.1f}",
                     f"{total / 1e6 / b.median(r, 'wall'):.0f}"))
    b.table(rows, ("command", "wall s", "cpu s", "peak RSS MiB", "MB/s"))
    print()
    base = b.median(runs["sha256sum"], "wall")
    ratio = b.median(runs["tamga verify"], "wall") / base
    out = [("wall-time ratio tamga verify / sha256sum", f"{ratio:.3f}", "<= 1.5",
            "ok" if ratio <= 1.5 else "OVER")]
    if not a.no_decrypt:
        out.append(("wall-time ratio verify --decrypt / sha256sum",
                    f"{b.median(runs['tamga verify --decrypt'], 'wall') / base:.3f}", "", ""))
    b.table(out, ("measure", "value", "target", ""))


if __name__ == "__main__":
    main()
