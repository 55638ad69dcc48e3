#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate tamga's man pages from the built program's own help.

    gen-man.py TAMGA_BINARY OUTPUT_DIR [--version V] [--date YYYY-MM-DD] [--gzip]

The one source is the help text compiled into `tamga`: `tamga help` gives the
list of commands (so a new command gets a page without touching this script)
and `tamga help CMD [SUB]` the text of each. One page is written per
top-level command, tamga-CMD.1; a command's subcommands become sections of
its page. tamga.1 is the main page. With --gzip, each NAME.1 also gets a
reproducible NAME.1.gz (gzip -9n: no name, no time stamp).

The help text is plain text with a few conventions (see src/cli/tool_util.c,
tool_print_help): a `usage:` block, a one-line summary, then paragraphs; a
line ending in `:` at the left margin is a heading; indented lines
`  TERM  description` (two spaces or more between) are definitions, and
deeper-indented lines continue the description above them; other indented
lines (examples) are shown as they are.
"""

import argparse
import datetime
import gzip
import os
import re
import subprocess
import sys

ENTRY = re.compile(r"^ {2,4}(\S(?:.*?\S)?) {2,}(\S.*)$")
# A line of a "Commands:" list: a long name may leave a single space.
COMMAND = re.compile(r"^  ([a-z][a-z0-9-]*) +(\S.*)$")


def run_help(binary, words):
    env = dict(os.environ)
    # The English help, whatever the builder's locale.
    for k in ("LANGUAGE", "LC_MESSAGES", "LANG"):
        env.pop(k, None)
    env["LC_ALL"] = "C"
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    r = subprocess.run([binary, "help", *words], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, check=False)
    if r.returncode != 0:
        sys.exit("gen-man: `tamga help %s` failed (status %d): %s"
                 % (" ".join(words), r.returncode, r.stderr.decode(errors="replace")))
    return r.stdout.decode("utf-8")


def esc(text):
    """Escape plain text for roff (inside a line)."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\e")
        elif ch == "-":
            out.append("\\-")
        elif ord(ch) > 127:
            out.append("\\[u%04X]" % ord(ch))
        else:
            out.append(ch)
    s = "".join(out)
    if s.startswith(".") or s.startswith("'"):
        s = "\\&" + s
    return s


def code(text):
    """Text between backquotes in the help is a command: bold it."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # unbalanced: leave as is
        return esc(text)
    return "".join(esc(p) if i % 2 == 0 else "\\fB" + esc(p) + "\\fR"
                   for i, p in enumerate(parts))


def parse(text):
    """Split one help text into (usage lines, summary, body lines, commands)."""
    lines = text.rstrip("\n").split("\n")
    if not lines or not lines[0].startswith("usage: "):
        sys.exit("gen-man: help does not start with 'usage: ': %r" % text[:80])
    # The usage lines as laid out in the help, without the "usage: " margin.
    usage = []
    i = 0
    while i < len(lines) and lines[i].strip():
        usage.append(lines[i][len("usage: "):].rstrip())
        i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    summary = ""
    while i < len(lines) and lines[i].strip():
        summary += (" " if summary else "") + lines[i].strip()
        i += 1
    body = lines[i:]
    commands = []
    # The "Commands:" block lists subcommands: keep their names.
    for j, ln in enumerate(body):
        if ln == "Commands:":
            k = j + 1
            while k < len(body) and body[k].startswith("  "):
                m = COMMAND.match(body[k])
                if m:
                    commands.append((m.group(1), m.group(2)))
                k += 1
            break
    return usage, summary, body, commands


def synopsis(usage):
    return [".nf"] + [esc(u) for u in usage] + [".fi"]


def body_roff(body, heading_macro=".SS"):
    """Turn the help's body into roff."""
    out = []
    i = 0
    n = len(body)
    heading = ""
    while i < n:
        ln = body[i]
        if not ln.strip():
            i += 1
            continue
        if not ln.startswith(" ") and ln.endswith(":") and (i + 1 < n and body[i + 1].startswith(" ")):
            heading = ln[:-1]
            out.append('%s "%s"' % (heading_macro, esc(heading)))
            i += 1
            continue
        if heading == "Commands" and COMMAND.match(ln):
            m = COMMAND.match(ln)
            out += [".TP", "\\fB" + esc(m.group(1)) + "\\fR", code(m.group(2))]
            i += 1
            continue
        if not ln.startswith(" "):
            # A paragraph of plain text, to the next blank or indented line.
            para = []
            while i < n and body[i].strip() and not body[i].startswith(" "):
                if body[i].endswith(":") and i + 1 < n and body[i + 1].startswith(" ") and para:
                    break
                para.append(body[i].strip())
                i += 1
            out.append(".PP")
            out.append(code(" ".join(para)))
            continue
        # An indented block: definitions, continuations, or lines as they are.
        m = ENTRY.match(ln)
        if m:
            col = ln.index(m.group(2), len(m.group(1)) + 2)
            desc = [m.group(2).strip()]
            i += 1
            while i < n and body[i].startswith(" " * col) and body[i].strip():
                desc.append(body[i].strip())
                i += 1
            out.append(".TP")
            out.append("\\fB" + esc(m.group(1)) + "\\fR")
            out.append(code(" ".join(desc)))
            continue
        pre = []
        while i < n and body[i].startswith(" ") and body[i].strip() and not ENTRY.match(body[i]):
            pre.append(body[i][2:] if body[i].startswith("  ") else body[i].lstrip())
            i += 1
        out.append(".PP")
        out.append(".RS 4")
        out.append(".nf")
        out.extend(esc(p) for p in pre)
        out.append(".fi")
        out.append(".RE")
    return out


def page(name, summary, usage, body, version, date, extra=None, see_also=(), lead=True):
    out = [
        '.\\" SPDX-License-Identifier: GPL-3.0-or-later',
        '.\\" Generated by packaging/man/gen-man.py from `tamga help`: do not edit.',
        '.TH "%s" 1 "%s" "tamga %s" "tamga manual"' % (name.upper(), date, version),
        ".nh",
        ".ad l",
        ".SH NAME",
        "%s \\- %s" % (esc(name), esc(summary)),
        ".SH SYNOPSIS",
    ]
    out += synopsis(usage)
    out.append(".SH DESCRIPTION")
    if lead:
        out.append(code(summary[:1].upper() + summary[1:] + "."))
    out += body_roff(body)
    if extra:
        out += extra
    if see_also:
        out.append(".SH SEE ALSO")
        out.append(",\n".join("\\fB%s\\fR(%s)" % (esc(p), s) for p, s in see_also))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description="generate tamga's man pages from its help")
    ap.add_argument("binary")
    ap.add_argument("outdir")
    ap.add_argument("--version", default="")
    ap.add_argument("--date", default="")
    ap.add_argument("--gzip", action="store_true")
    a = ap.parse_args()

    date = a.date
    if not date:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        d = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
             else datetime.datetime.now(datetime.timezone.utc))
        date = d.strftime("%Y-%m-%d")
    version = a.version
    if not version:
        r = subprocess.run([a.binary, "--version"], stdout=subprocess.PIPE, check=True,
                           env=dict(os.environ, LC_ALL="C"))
        version = r.stdout.decode().split("\n")[0].split()[-1]

    main_help = run_help(a.binary, [])
    lines = main_help.rstrip("\n").split("\n")
    # `tamga help` (no command) has its own shape: usage, a paragraph, "Commands:".
    usage = [lines[0][len("usage: "):]]
    try:
        ci = lines.index("Commands:")
    except ValueError:
        sys.exit("gen-man: `tamga help` lists no commands")
    intro = " ".join(x.strip() for x in lines[1:ci] if x.strip())
    commands = []
    k = ci + 1
    while k < len(lines) and lines[k].startswith("  "):
        m = COMMAND.match(lines[k])
        if not m:
            sys.exit("gen-man: cannot read the command line %r" % lines[k])
        commands.append((m.group(1), m.group(2)))
        k += 1
    if not commands:
        sys.exit("gen-man: `tamga help` lists no commands")

    pages = {}
    cmd_roff = [".SH COMMANDS"]
    for c, s in commands:
        cmd_roff += [".TP", "\\fBtamga\\-%s\\fR(1)" % esc(c), code(s)]
    main_body = body_roff(lines[k:], heading_macro=".SH")
    main_body = [b.replace('.SH "Options"', ".SH OPTIONS") for b in main_body]
    pages["tamga"] = page(
        "tamga", "record testimony into encrypted, signed case folders and verify them",
        usage, [], version, date,
        extra=[code(intro)] + cmd_roff + main_body, lead=False,
        see_also=[("tamga-" + c, 1) for c, _ in commands] + [("minisign", 1), ("age", 1)])

    for c, _ in commands:
        usage, summary, body, subs = parse(run_help(a.binary, [c]))
        extra = []
        for sub, _ in subs:
            su, ss, sb, _ = parse(run_help(a.binary, [c, sub]))
            extra.append('.SH "TAMGA %s %s"' % (esc(c.upper()), esc(sub.upper())))
            extra += synopsis(su)
            extra.append(".PP")
            extra.append(code(ss[:1].upper() + ss[1:] + "."))
            extra += body_roff(sb)
        pages["tamga-" + c] = page("tamga-" + c, summary, usage, body, version, date,
                                   extra=extra, see_also=[("tamga", 1)])

    os.makedirs(a.outdir, exist_ok=True)
    # Pages of commands that no longer exist must not be installed.
    for f in os.listdir(a.outdir):
        if re.fullmatch(r"tamga(-[a-z0-9-]+)?\.1(\.gz)?", f) and f.split(".")[0] not in pages:
            os.remove(os.path.join(a.outdir, f))
    for name, text in pages.items():
        path = os.path.join(a.outdir, name + ".1")
        with open(path, "w", encoding="ascii") as fh:
            fh.write(text)
        if a.gzip:
            with open(path + ".gz", "wb") as raw:
                with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw,
                                   mtime=0) as gz:
                    gz.write(text.encode("ascii"))
    print("gen-man: %d pages in %s" % (len(pages), a.outdir))


if __name__ == "__main__":
    main()
