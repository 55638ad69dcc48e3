/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga record: record from a microphone (live, with a level meter and keys) or
 * seal an audio file into a case. Both go through the recorder engine. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define METER_CELLS 20

/* The live one-line display and the keys. */
typedef struct {
    tamga_recorder *r;
    const char *case_dir;
    int utf8;
    int bitrate; /* bits per second, for the disk estimate before there is data */
    int markers;
    int label_mode;
    char label[200];
    size_t label_len;
    char flash[96]; /* a short message shown for a moment */
    double flash_until;
    double disk_checked;
    uint64_t disk_free;
} live;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_flash(live *L, const char *msg)
{
    snprintf(L->flash, sizeof L->flash, "%s", msg);
    L->flash_until = now_s() + 2.0;
}

/* Display width of UTF-8 text (one column per character). */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            w++;
    return w;
}

/* Appends `piece` to `line` if it still fits in `cols` columns. */
static void add_piece(char *line, size_t cap, size_t cols, const char *piece)
{
    if (text_width(line) + text_width(piece) > cols)
        return;
    size_t n = strlen(line);
    snprintf(line + n, cap - n, "%s", piece);
}

static void format_clock(int64_t ms, char *out, size_t outlen)
{
    int64_t s = ms / 1000;
    snprintf(out, outlen, "%02lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60),
             (long long)(s % 60));
}

static void format_disk_left(live *L, const tamga_recorder_status *st, char *out, size_t outlen)
{
    double t = now_s();
    if (t - L->disk_checked >= 1.0) {
        struct statvfs vfs;
        if (statvfs(L->case_dir, &vfs) == 0)
            L->disk_free = (uint64_t)vfs.f_bavail * (uint64_t)vfs.f_frsize;
        L->disk_checked = t;
    }
    double bps = L->bitrate / 8.0 * 1.1;
    if (st->elapsed_ms >= 3000 && st->bytes_written > 0)
        bps = (double)st->bytes_written * 1000.0 / (double)st->elapsed_ms;
    double secs = bps > 0 ? (double)L->disk_free / bps : 0;
    if (secs >= 3600)
        snprintf(out, outlen, _("disk: %.0f h left"), floor(secs / 3600));
    else
        snprintf(out, outlen, _("disk: %.0f min left!"), floor(secs / 60));
}

static void draw(live *L)
{
    tamga_recorder_status st;
    tamga_recorder_get_status(L->r, &st);
    size_t cols = (size_t)tool_term_columns(STDERR_FILENO) - 1;
    char line[1024] = "";

    if (L->label_mode) {
        add_piece(line, sizeof line, cols, _("Marker label (Enter: add, Esc: cancel): "));
        /* Show the end of a long label. */
        size_t room = cols > text_width(line) + 1 ? cols - text_width(line) - 1 : 0;
        const char *shown = L->label;
        while (text_width(shown) > room)
            shown++;
        while (((unsigned char)*shown & 0xc0) == 0x80)
            shown++;
        add_piece(line, sizeof line, cols, shown);
        add_piece(line, sizeof line, cols, "_");
    } else {
        /* Pieces in display order; when the terminal is narrow, the least
         * important (highest number) are left out first. */
        char parts[7][128];
        int prio[7];
        char clock[32], size[32], disk[64];
        format_clock(st.elapsed_ms, clock, sizeof clock);
        if (st.state == TAMGA_RECORDER_PAUSED)
            snprintf(parts[0], sizeof parts[0], "%s %s %s", L->utf8 ? "\u2016" : "||", _("PAUSED"),
                     clock);
        else
            snprintf(parts[0], sizeof parts[0], "%s %s %s", L->utf8 ? "\u25cf" : "*", _("REC"),
                     clock);
        prio[0] = 0;

        double db = st.peak > 0 ? 20.0 * log10((double)st.peak) : -120.0;
        int cells = (int)lround((db + 60.0) / 60.0 * METER_CELLS);
        if (cells < 0)
            cells = 0;
        if (cells > METER_CELLS)
            cells = METER_CELLS;
        char bar[METER_CELLS + 3];
        bar[0] = '[';
        for (int i = 0; i < METER_CELLS; i++)
            bar[1 + i] = i < cells ? '#' : '-';
        bar[METER_CELLS + 1] = ']';
        bar[METER_CELLS + 2] = '\0';
        if (db < -60.0)
            snprintf(parts[1], sizeof parts[1], "  %s <-60 dB", bar);
        else
            snprintf(parts[1], sizeof parts[1], "  %s %3.0f dB", bar, db);
        prio[1] = 1;
        snprintf(parts[2], sizeof parts[2], "%s", st.clipping ? _("  CLIP!") : "");
        prio[2] = 0;
        tool_format_size(st.bytes_written, size, sizeof size);
        snprintf(parts[3], sizeof parts[3], "  %s", size);
        prio[3] = 4;
        format_disk_left(L, &st, disk, sizeof disk);
        snprintf(parts[4], sizeof parts[4], "  %s", disk);
        prio[4] = 3;
        if (now_s() < L->flash_until)
            snprintf(parts[5], sizeof parts[5], "  %s", L->flash);
        else if (st.state == TAMGA_RECORDER_PAUSED)
            snprintf(parts[5], sizeof parts[5], "  %s", _("(space: resume, q: stop)"));
        else
            snprintf(parts[5], sizeof parts[5], "  %s", _("(space: pause, m: marker, q: stop)"));
        prio[5] = 2;
        int n = 6, keep[7];
        size_t used = 0;
        for (int p = 0; p <= 4; p++)
            for (int i = 0; i < n; i++)
                if (prio[i] == p) {
                    keep[i] = used + text_width(parts[i]) <= cols;
                    if (keep[i])
                        used += text_width(parts[i]);
                }
        for (int i = 0; i < n; i++)
            if (keep[i])
                add_piece(line, sizeof line, (size_t)-1, parts[i]);
    }
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
}

static void add_marker(live *L, const char *label)
{
    int rc = tamga_recorder_add_marker(L->r, label);
    if (rc != TAMGA_OK) {
        set_flash(L, _("cannot add a marker"));
        return;
    }
    L->markers++;
    char msg[64];
    snprintf(msg, sizeof msg, _("marker %d added"), L->markers);
    set_flash(L, msg);
}

/* Handles one key; returns 1 when the user asked to stop. */
static int handle_key(live *L, int k)
{
    if (L->label_mode) {
        if (k == '\r' || k == '\n') {
            L->label[L->label_len] = '\0';
            L->label_mode = 0;
            add_marker(L, L->label_len > 0 ? L->label : NULL);
        } else if (k == 0x1b) {
            L->label_mode = 0;
            set_flash(L, _("no marker added"));
        } else if (k == 0x7f || k == 0x08) {
            /* Remove one UTF-8 character. */
            while (L->label_len > 0 && ((unsigned char)L->label[L->label_len - 1] & 0xc0) == 0x80)
                L->label_len--;
            if (L->label_len > 0)
                L->label_len--;
        } else if (k >= 0x20 && k < 0x100 && k != 0x7f && L->label_len + 1 < sizeof L->label) {
            L->label[L->label_len++] = (char)k;
        }
        L->label[L->label_len] = '\0';
        return 0;
    }
    tamga_recorder_status st;
    switch (k) {
    case ' ':
        tamga_recorder_get_status(L->r, &st);
        if (st.state == TAMGA_RECORDER_PAUSED) {
            if (tamga_recorder_resume(L->r) == TAMGA_OK)
                set_flash(L, _("recording again"));
        } else if (tamga_recorder_pause(L->r) == TAMGA_OK) {
            set_flash(L, _("paused: nothing is recorded"));
        }
        return 0;
    case 'm':
        add_marker(L, NULL);
        return 0;
    case 'M':
        L->label_mode = 1;
        L->label_len = 0;
        L->label[0] = '\0';
        return 0;
    case 'q':
    case 'Q':
        return 1;
    default:
        return 0;
    }
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    case SIGQUIT:
        return "SIGQUIT";
    default:
        return "a signal";
    }
}

static void plural(int n, const char *one, const char *many, char *out, size_t outlen)
{
    snprintf(out, outlen, "%d %s", n, n == 1 ? one : many);
}

/* Why a recording ended early, in words. */
static const char *failure_words(int rc)
{
    switch (rc) {
    case TAMGA_ERR_DEVICE:
        return _("the audio input failed or was unplugged");
    case TAMGA_ERR_NOSPACE:
        return _("the disk is full");
    case TAMGA_ERR_IO:
        return _("writing to the disk failed");
    default:
        return tamga_strerror(rc);
    }
}

static void summary_tail(tamga_case *c, const tamga_identity *id)
{
    tool_put_safe(stderr, tamga_case_get_title(c));
    fprintf(stderr, "\".\n");
    if (!tamga_case_has_grant(c, tamga_identity_get_public(id)))
        fprintf(stderr, _("This machine is record-only for this case: it cannot play "
                          "this recording back; a keyholder can.\n"));
}

/* --input FILE --keep-original: sealed in one go by tamga_record_file. */
static int record_whole_file(tamga_case *c, const tamga_identity *id, const char *input,
                             const tamga_record_options *ro, int quiet)
{
    tamga_record_result res;
    memset(&res, 0, sizeof res);
    int rc = tamga_record_file(c, id, input, ro, &res);
    if (rc != TAMGA_OK) {
        char what[1100];
        snprintf(what, sizeof what, _("cannot record %s"), input);
        return tool_fail(rc, what);
    }
    printf("%s\n", res.recording_id);
    if (!quiet) {
        char dur[32], size[32];
        tool_format_duration(res.duration_ms, dur, sizeof dur);
        tool_format_size(res.file_size, size, sizeof size);
        fprintf(stderr, _("Recorded %s of audio (%s), sealed and signed, into case \""), dur, size);
        summary_tail(c, id);
        fprintf(stderr,
                _("The original file was stored, encrypted, inside the recording. "
                  "You may now delete %s if it is not needed elsewhere.\n"),
                input);
    }
    return 0;
}

static int record_run(int argc, char **argv)
{
    enum {
        OPT_TITLE = 256,
        OPT_LANGUAGE,
        OPT_CONSENT,
        OPT_EMBARGO,
        OPT_INTERVIEWEE,
        OPT_CONTACT,
        OPT_NOTES,
        OPT_BITRATE,
        OPT_KEEP,
        OPT_PASSFILE,
        OPT_DEVICE,
        OPT_STEREO,
        OPT_DURATION,
    };
    static const struct option opts[] = {
        {"case", required_argument, NULL, 'c'},
        {"input", required_argument, NULL, 'i'},
        {"title", required_argument, NULL, OPT_TITLE},
        {"language", required_argument, NULL, OPT_LANGUAGE},
        {"consent", required_argument, NULL, OPT_CONSENT},
        {"embargo", required_argument, NULL, OPT_EMBARGO},
        {"interviewee", required_argument, NULL, OPT_INTERVIEWEE},
        {"contact", required_argument, NULL, OPT_CONTACT},
        {"notes", required_argument, NULL, OPT_NOTES},
        {"bitrate", required_argument, NULL, OPT_BITRATE},
        {"keep-original", no_argument, NULL, OPT_KEEP},
        {"passphrase-file", required_argument, NULL, OPT_PASSFILE},
        {"device", required_argument, NULL, OPT_DEVICE},
        {"stereo", no_argument, NULL, OPT_STEREO},
        {"duration", required_argument, NULL, OPT_DURATION},
        {"quiet", no_argument, NULL, 'q'},
        TOOL_OPTS_END,
    };
    const char *case_ref = NULL, *input = NULL, *passfile = NULL, *device = NULL;
    int stereo = 0;
    double duration = 0;
    tamga_record_options ro;
    memset(&ro, 0, sizeof ro);
    ro.complexity = -1;
    int quiet = 0, opt, status;
    long kbps;
    while ((opt = tool_getopt(argc, argv, "qc:i:", opts, &status)) > 0) {
        switch (opt) {
        case 'c':
            case_ref = optarg;
            break;
        case 'i':
            input = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case OPT_TITLE:
            ro.title = optarg;
            break;
        case OPT_LANGUAGE:
            if (!tool_valid_language(optarg))
                return tool_usage_error(_("--language must be a language code such as kk, ru, "
                                          "ug or en (2 to 15 letters, digits or dashes)"));
            ro.language = optarg;
            break;
        case OPT_CONSENT:
            if (!tool_valid_consent(optarg))
                return tool_usage_error(_("--consent must be public, anonymised or internal"));
            ro.consent = optarg;
            break;
        case OPT_EMBARGO:
            if (!tool_valid_date(optarg))
                return tool_usage_error(_("--embargo must be a date written YYYY-MM-DD, such "
                                          "as 2027-01-31"));
            ro.embargo = optarg;
            break;
        case OPT_INTERVIEWEE:
            ro.interviewee = optarg;
            break;
        case OPT_CONTACT:
            ro.contact = optarg;
            break;
        case OPT_NOTES:
            ro.notes = optarg;
            break;
        case OPT_BITRATE:
            if (tool_parse_int(optarg, 6, 256, &kbps) != 0)
                return tool_usage_error(_("--bitrate must be a whole number of kbit/s from 6 "
                                          "to 256"));
            ro.bitrate = (int)kbps * 1000;
            break;
        case OPT_KEEP:
            ro.keep_original = 1;
            break;
        case OPT_PASSFILE:
            passfile = optarg;
            break;
        case OPT_DEVICE:
            if (optarg[0] == '\0')
                return tool_usage_error(_("--device needs an index or a part of a device name "
                                          "(see `tamga devices`)"));
            device = optarg;
            break;
        case OPT_STEREO:
            stereo = 1;
            break;
        case OPT_DURATION: {
            char *end = NULL;
            errno = 0;
            duration = strtod(optarg, &end);
            if (errno != 0 || end == optarg || *end != '\0' || !(duration > 0) ||
                duration > 7 * 24 * 3600.0)
                return tool_usage_error(_("--duration must be a number of seconds greater than "
                                          "0, such as 90 or 2.5"));
            break;
        }
        }
    }
    if (opt < 0 || (status = tool_args_none(argc, argv)) != 0)
        return status;
    if (case_ref == NULL)
        return tool_usage_error(_("which case? Use --case CASE"));
    if (input != NULL) {
        struct stat st;
        if (stat(input, &st) != 0)
            return tool_error(_("cannot record %s: %s"), input,
                              errno == ENOENT ? _("no such file") : strerror(errno));
        if (!S_ISREG(st.st_mode))
            return tool_error(_("cannot record %s: not a file"), input);
        if (device != NULL)
            return tool_usage_error(_("--device and --input cannot be used together"));
    }

    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_case *c = NULL;
    tamga_identity *id = NULL;
    tamga_recorder *r = NULL;
    if ((status = tool_identity_needed(home)) != 0)
        goto out;
    status = tool_case_open(home, case_ref, &c);
    if (status != 0)
        goto out;
    status = tool_identity_open(home, 1, passfile, &id);
    if (status != 0)
        goto out;

    /* First seal what an earlier session left unfinished in this case. */
    size_t pending = 0;
    if (tamga_recover_count(home, &pending) == TAMGA_OK && pending > 0) {
        tool_recover_ctx ctx = {.out = stderr, .failed = 0, .prose = 1};
        size_t n = 0;
        int rc = tamga_recover(home, tamga_case_get_id_hex(c), id, tool_recover_report, &ctx, &n);
        if (rc != TAMGA_OK)
            tool_fail(rc, _("cannot recover the unfinished recordings of this case (recording "
                            "anyway; try `tamga recover` later)"));
    }

    if (input != NULL && ro.keep_original) {
        /* The engine streams; storing the original file needs the whole-file path. */
        status = record_whole_file(c, id, input, &ro, quiet);
        goto out;
    }

    tamga_recorder_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.device = device;
    cfg.input_file = input;
    cfg.channels = stereo ? 2 : 1;
    cfg.max_seconds = duration;
    cfg.meta = ro;
    char what[1100];
    if (input != NULL)
        snprintf(what, sizeof what, _("cannot record %s"), input);
    else if (device != NULL)
        snprintf(what, sizeof what, _("cannot record from the audio input \"%s\""), device);
    else
        snprintf(what, sizeof what, _("cannot record from the default audio input"));
    int rc = tamga_recorder_new(c, id, &cfg, &r);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, what);
        goto out;
    }

    tool_stop_signals_install();
    /* Past a file-size limit (ulimit -f), writes fail with EFBIG instead of
     * killing the process: what was captured can still be sealed. */
    signal(SIGXFSZ, SIG_IGN);
    rc = tamga_recorder_start(r);
    if (rc != TAMGA_OK) {
        tool_stop_signals_restore();
        status = tool_fail(rc, what);
        goto out;
    }

    live L;
    memset(&L, 0, sizeof L);
    L.r = r;
    L.case_dir = tamga_case_get_dir(c);
    L.utf8 = tool_utf8();
    L.bitrate = ro.bitrate > 0 ? ro.bitrate : 32000;
    L.disk_checked = -10.0;
    int interactive = input == NULL && !quiet && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) &&
                      isatty(STDERR_FILENO) && tool_keys_begin() == 0;
    int keys = interactive;
    double next_draw = 0;
    for (;;) {
        if (tool_stop_requested() != 0)
            break;
        if (tamga_recorder_wait(r, 0) == 1)
            break;
        if (!interactive) {
            if (tamga_recorder_wait(r, 50) == 1)
                break;
            continue;
        }
        if (now_s() >= next_draw) {
            draw(&L);
            next_draw = now_s() + 0.1;
        }
        if (!keys) {
            (void)tamga_recorder_wait(r, 100);
            continue;
        }
        int k = tool_keys_read(100);
        if (k == TOOL_KEY_EOF) {
            keys = 0;
            continue;
        }
        if (k != TOOL_KEY_NONE) {
            if (handle_key(&L, k))
                break;
            draw(&L);
            next_draw = now_s() + 0.1;
        }
    }
    if (interactive) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
        tool_keys_end();
    }
    int sig = tool_stop_requested();

    tamga_record_result res;
    memset(&res, 0, sizeof res);
    rc = tamga_recorder_stop(r, &res);
    tool_stop_signals_restore();
    tamga_recorder_status st;
    tamga_recorder_get_status(r, &st);
    if (res.recording_id[0] == '\0')
        memcpy(res.recording_id, st.recording_id, sizeof res.recording_id);

    tamga_manifest m;
    int sealed =
        res.recording_id[0] != '\0' && tool_manifest_load(c, res.recording_id, &m) == TAMGA_OK;
    if (!sealed)
        memset(&m, 0, sizeof m);

    if (rc != TAMGA_OK) {
        if (res.recording_id[0] == '\0') {
            status = tool_fail(rc, what);
            goto out_manifest;
        }
        /* The recording ended early; what was captured is kept. */
        printf("%s\n", res.recording_id);
        const char *detail = st.error_detail[0] != '\0' ? st.error_detail : tamga_error_detail();
        char dur[32];
        tool_format_duration(sealed ? m.duration_ms : st.elapsed_ms, dur, sizeof dur);
        fprintf(stderr, _("tamga: the recording stopped early: %s"), failure_words(rc));
        if (detail != NULL && detail[0] != '\0') {
            fputs(" (", stderr);
            tool_put_safe(stderr, detail);
            fputs(")", stderr);
        }
        if (sealed)
            fprintf(stderr, _("; the %s captured before that are sealed and signed\n"), dur);
        else
            fprintf(stderr,
                    _("; the %s captured before that are safe on disk but not sealed yet: "
                      "run `tamga recover` once the problem is fixed\n"),
                    dur);
        status = TOOL_EXIT_ERROR;
        goto out_manifest;
    }

    printf("%s\n", res.recording_id);
    if (!quiet) {
        char dur[32], size[32], extra[96] = "";
        tool_format_duration(sealed ? m.duration_ms : res.duration_ms, dur, sizeof dur);
        tool_format_size(sealed ? m.file_size : res.file_size, size, sizeof size);
        int nm = sealed ? (int)m.n_markers : L.markers, np = sealed ? (int)m.n_pauses : 0;
        if (nm > 0 || np > 0) {
            char a[32] = "", b[32] = "";
            if (nm > 0)
                plural(nm, _("marker"), _("markers"), a, sizeof a);
            if (np > 0)
                plural(np, _("pause"), _("pauses"), b, sizeof b);
            snprintf(extra, sizeof extra, ", %s%s%s", a, nm > 0 && np > 0 ? ", " : "", b);
        }
        if (sig != 0)
            fprintf(stderr, _("Stopped by %s. "), signal_name(sig));
        fprintf(stderr, _("Recorded %s of audio (%s%s); sealed and signed into case \""), dur, size,
                extra);
        summary_tail(c, id);
        if (st.overflows > 0)
            tool_warn(_("the computer could not keep up %llu time%s: some audio was dropped "
                        "(this is noted in the manifest)"),
                      (unsigned long long)st.overflows, st.overflows == 1 ? "" : "s");
    }
    status = 0;
out_manifest:
    if (sealed)
        tamga_manifest_clear(&m);
out:
    tamga_recorder_free(r);
    tool_release(home, id, c);
    return status;
}

const tool_command tool_cmd_record = {
    .name = "record",
    .run = record_run,
    .summary = N_("record from a microphone, or seal an audio file, into a case"),
    .usage = "tamga record --case CASE [--device DEVICE] [--stereo] [--duration SECONDS]\n"
             "             [--title TEXT] [--language CODE]\n"
             "             [--consent public|anonymised|internal] [--embargo YYYY-MM-DD]\n"
             "             [--interviewee PSEUDONYM] [--contact TEXT] [--notes TEXT]\n"
             "             [--bitrate KBPS] [--quiet] [--passphrase-file FILE]\n"
             "tamga record --case CASE --input FILE [--keep-original] [same options]",
    .help = N_("Without --input, records from the microphone (or --device) until you press\n"
               "q, Ctrl-C, or --duration is reached. On a terminal a status line shows the\n"
               "level meter (CLIP! when too loud), the time, the size and the hours of\n"
               "disk left. Keys: space pause/resume, m add a marker, M add a marker with a\n"
               "label, q stop. The encrypted file on disk is at most about a second behind\n"
               "the microphone: after a crash, `tamga recover` (or the next `tamga record`)\n"
               "seals what was captured. If the input is lost or the disk fills up, what\n"
               "was captured is sealed, its id is printed and the status is 2.\n"
               "\n"
               "With --input, converts the audio file (WAV, FLAC, Ogg, ...) instead; the\n"
               "file is not changed or deleted.\n"
               "\n"
               "Either way the audio is encoded to Ogg Opus, encrypted to the case key, its\n"
               "description is signed with your identity and the events go to the case's\n"
               "custody log. Prints the new recording's id; a short summary goes to the\n"
               "error output unless --quiet. Unfinished recordings of an earlier session in\n"
               "the case are sealed first, and you are told.\n"
               "\n"
               "Public fields (written unencrypted, readable by anyone with the case):\n"
               "  --title TEXT            what the recording is about (no names!)\n"
               "  --language CODE         spoken language, e.g. kk, ru, ug, en\n"
               "  --consent WHAT          what the witness agreed to: public, anonymised or\n"
               "                          internal (the default)\n"
               "  --embargo YYYY-MM-DD    not to be published before this date\n"
               "\n"
               "Private fields (encrypted: only keyholders can read them):\n"
               "  --interviewee NAME      the witness's pseudonym\n"
               "  --contact TEXT          how to reach the witness\n"
               "  --notes TEXT            anything else\n"
               "  (marker labels are private too)\n"
               "  Note: what you type on a command line may be kept in your shell history\n"
               "  and is visible to other users of this computer while tamga runs.\n"
               "\n"
               "Other options:\n"
               "  -c, --case CASE         the case: its id, the start of its id, or its title\n"
               "  --device DEVICE         the input: an index or a part of its name, as\n"
               "                          listed by `tamga devices` (default: the default)\n"
               "  --stereo                record two channels (default: mono)\n"
               "  --duration SECONDS      stop by itself after this much audio\n"
               "  -i, --input FILE        seal this audio file instead of recording\n"
               "  --bitrate KBPS          Opus bitrate in kbit/s, 6 to 256 (default 32)\n"
               "  --keep-original         with --input: also store the untouched file,\n"
               "                          encrypted, inside the recording\n"
               "  -q, --quiet             no status line and no summary: only the id\n"
               "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"),
};
