# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for tamga's benchmarks (bench/*.py).

Each measured command runs as a child process; its own CPU time (user + sys)
and peak resident memory come from os.wait4(), so they belong to that one
process and not to anything else running in the benchmark.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Run:
    """One measured run of a command."""

    def __init__(self, wall, user, sys_, maxrss_kb):
        self.wall = wall
        self.user = user
        self.sys = sys_
        self.cpu = user + sys_
        self.maxrss_kb = maxrss_kb


def measure(cmd, env=None, cwd=None, stdout=subprocess.DEVNULL):
    """Runs cmd, returns a Run; exits if it fails."""
    with tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout,
                             stderr=err)
        _, status, ru = os.wait4(p.pid, 0)  # this child's own rusage
        wall = time.monotonic() - t0
        p.returncode = rc = os.waitstatus_to_exitcode(status)
        if rc != 0:
            err.seek(0)
            msg = err.read().decode(errors="replace")
            sys.exit(f"bench: command failed (exit {rc}): {' '.join(cmd)}\n{msg}")
    return Run(wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss)


def median(runs, attr):
    return statistics.median(getattr(r, attr) for r in runs)


def find_tamga(arg):
    """The tamga binary: --tamga, $TAMGA_BIN, else build/release/tamga."""
    for cand in (arg, os.environ.get("TAMGA_BIN"), os.path.join(SRC, "build/release/tamga")):
        if cand and os.access(cand, os.X_OK):
            return os.path.abspath(cand)
    sys.exit("bench: no tamga binary: build the release preset "
             "(cmake --preset release && cmake --build --preset release --target tamga_cli) "
             "or pass --tamga PATH")


def need(*tools):
    for t in tools:
        if shutil.which(t) is None:
            sys.exit(f"bench: the tool '{t}' is missing (packaging/install-deps.sh)")


def common_args(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--tamga", help="the tamga binary (default: $TAMGA_BIN or build/release/tamga)")
    ap.add_argument("--repeat", type=int, default=3, help="measured runs of each command (median)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--workdir", help="parent folder for the work folder (default: $TMPDIR)")
    return ap


class Workdir:
    """A temporary folder with a throwaway tamga identity and data folder."""

    def __init__(self, tamga, keep=False, parent=None):
        self.dir = tempfile.mkdtemp(prefix="tamga-bench.", dir=parent)
        self.keep = keep
        self.tamga = tamga
        self.home = os.path.join(self.dir, "home")
        self.passfile = os.path.join(self.dir, "passphrase")
        with open(self.passfile, "w") as f:
            f.write("benchmark passphrase\n")
        self.env = dict(os.environ, TAMGA_HOME=self.home)
        self.env.pop("XDG_DATA_HOME", None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.keep:
            print(f"work folder kept: {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def tamga_out(self, *args):
        r = subprocess.run([self.tamga, *args], env=self.env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"bench: tamga {' '.join(args)} failed: {r.stderr.strip()}")
        return r.stdout.strip()

    def setup_case(self, title="Benchmark case"):
        self.tamga_out("id", "new", "--name", "Benchmark", "--kdf", "interactive",
                       "--passphrase-file", self.passfile)
        self.case = self.tamga_out("case", "new", title, "--passphrase-file", self.passfile)
        self.case_dir = os.path.join(self.home, "cases", self.case)
        return self.case


def speech_like_wav(path, seconds, channels=1, rate=48000, noise=False):
    """A speech-like test signal: espeak-ng reading a paragraph, repeated to the
    length wanted (resampled to `rate`); or, with noise=True or without
    espeak-ng, pink noise shaped to the voice band and modulated at a syllable
    rate."""
    need("sox")
    if not noise and shutil.which("espeak-ng"):
        text = ("This is a benchmark recording for tamga. A witness speaks about a relative "
                "who was taken away in the spring, about the letters that stopped coming, and "
                "about the people who came to the house afterwards. The interviewer asks short "
                "questions and waits. Sometimes there is a long pause, then the voice goes on, "
                "quieter. Numbers, dates and names of places are spelled out slowly. ")
        seed = path + ".seed.wav"
        subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", seed, text * 2], check=True)
        seed_len = float(subprocess.run(["soxi", "-D", seed], capture_output=True, text=True,
                                        check=True).stdout)
        repeats = max(0, int(seconds / seed_len))
        subprocess.run(["sox", "-q", seed, "-r", str(rate), "-b", "16", "-c", str(channels), path,
                        "repeat", str(repeats), "trim", "0", str(seconds), "rate", "-h",
                        str(rate)], check=True)
        os.unlink(seed)
    else:
        subprocess.run(["sox", "-q", "-n", "-r", str(rate), "-b", "16", "-c", str(channels), path,
                        "synth", str(seconds), "pinknoise", "gain", "-6", "sinc", "120-7000", "tremolo", "4.5",
                        "85", "gain", "-n", "-6"], check=True)


def table(rows, headers):
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(line.format(*headers))
    print(line.format(*("-" * w for w in widths)))
    for r in rows:
        print(line.format(*r))


def machine_line():
    cpu = "unknown CPU"
    try:
        for ln in open("/proc/cpuinfo"):
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}"
