/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga play RECORDING: keyholders listen to a recording, decrypted in memory. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "tool.h"

#define SEEK_STEP 5.0 /* seconds, for the arrow keys */

static void format_pos(double seconds, char *out, size_t outlen)
{
    tool_format_duration((int64_t)(seconds * 1000.0), out, outlen);
}

/* The label of marker `i` from the private metadata (NULL if none). The labels
 * are a "markers" array of objects with "label" (and maybe "at_ms"), or of strings. */
static const char *marker_label(json_t *markers, size_t i, int64_t at_ms)
{
    if (!json_is_array(markers))
        return NULL;
    /* First a label whose time matches; then the one at the same position. */
    size_t k;
    json_t *e;
    json_array_foreach(markers, k, e)
    {
        json_t *at = json_object_get(e, "at_ms");
        if (json_is_integer(at) && json_integer_value(at) == at_ms) {
            json_t *l = json_object_get(e, "label");
            return json_is_string(l) ? json_string_value(l) : NULL;
        }
    }
    e = json_array_get(markers, i);
    if (json_is_string(e))
        return json_string_value(e);
    if (json_is_object(e) && json_object_get(e, "at_ms") == NULL) {
        json_t *l = json_object_get(e, "label");
        return json_is_string(l) ? json_string_value(l) : NULL;
    }
    return NULL;
}

static void list_markers(tamga_case *c, const tamga_identity *id, const char *rec_id)
{
    tamga_manifest m;
    if (tool_manifest_load(c, rec_id, &m) != TAMGA_OK) {
        tool_warn(_("cannot read the markers of recording %s"), rec_id);
        return;
    }
    char *priv = NULL;
    size_t plen = 0;
    json_t *root = NULL;
    if (m.n_markers > 0 && tamga_recording_private(c, id, rec_id, &priv, &plen) == TAMGA_OK) {
        root = json_loadb(priv, plen, 0, NULL);
        sodium_free(priv);
    }
    json_t *labels = root ? json_object_get(root, "markers") : NULL;
    if (m.n_markers == 0) {
        printf(_("No markers.\n"));
    } else {
        printf(_("Markers:\n"));
        for (size_t i = 0; i < m.n_markers; i++) {
            char at[32];
            tool_format_duration(m.markers[i].start_ms, at, sizeof at);
            /* Exact to the tenth of a second: markers are often close together. */
            printf("  %2zu  %s.%lld", i + 1, at, (long long)(m.markers[i].start_ms % 1000 / 100));
            const char *label = marker_label(labels, i, m.markers[i].start_ms);
            if (label != NULL && label[0] != '\0') {
                printf("  ");
                tool_put_safe(stdout, label);
            }
            printf("\n");
        }
    }
    fflush(stdout);
    json_decref(root); /* jansson's copy of the labels: not in protected memory */
    tamga_manifest_clear(&m);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL); /* a stop signal ends it early */
}

static void draw(tamga_player *p, int paused, int utf8)
{
    char pos[32], dur[32], line[256];
    format_pos(tamga_player_position(p), pos, sizeof pos);
    format_pos(tamga_player_duration(p), dur, sizeof dur);
    snprintf(line, sizeof line, "%s %s / %s  %s",
             paused ? (utf8 ? "\u2016" : "||") : (utf8 ? "\u25b6" : ">"), pos, dur,
             paused ? _("PAUSED  (space: play, left/right: 5 s, q: quit)")
                    : _("(space: pause, left/right: 5 s, q: quit)"));
    size_t cols = (size_t)tool_term_columns(STDERR_FILENO) - 1;
    size_t w = 0, i = 0;
    for (; line[i] && w <= cols; i++)
        if (((unsigned char)line[i] & 0xc0) != 0x80)
            w++;
    if (w > cols) {
        i--;
        while (i > 0 && ((unsigned char)line[i] & 0xc0) == 0x80)
            i--;
        line[i] = '\0';
    }
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
}

static int play_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"case", required_argument, NULL, 'c'},
        {"from", required_argument, NULL, 'f'},
        {"device", required_argument, NULL, 'd'},
        {"passphrase-file", required_argument, NULL, 'p'},
        TOOL_OPTS_END,
    };
    const char *case_ref = NULL, *device = NULL, *passfile = NULL;
    double from = 0;
    int opt, status;
    while ((opt = tool_getopt(argc, argv, "c:", opts, &status)) > 0) {
        switch (opt) {
        case 'c':
            case_ref = optarg;
            break;
        case 'f': {
            char *end = NULL;
            errno = 0;
            from = strtod(optarg, &end);
            if (errno != 0 || end == optarg || *end != '\0' || !(from >= 0) || from > 1e7)
                return tool_usage_error(_("--from must be a number of seconds, such as 90 or "
                                          "12.5"));
            break;
        }
        case 'd':
            device = optarg;
            break;
        case 'p':
            passfile = optarg;
            break;
        }
    }
    if (opt < 0 || (status = tool_args_one(
                        argc, argv, _("which recording? Give its id or its .tamga file"))) != 0)
        return status;
    const char *ref = argv[optind];

    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_case *c = NULL;
    tamga_identity *id = NULL;
    tamga_player *p = NULL;
    char *rec_id = NULL;
    status = tool_recording_resolve(home, case_ref, ref, &c, &rec_id);
    if (status != 0)
        goto out;
    tamga_pubid me;
    if (!tool_identity_public(home, &me)) {
        status = tool_identity_open(home, 0, NULL, &id); /* says there is no identity */
        goto out;
    }
    if (!tamga_case_has_grant(c, &me)) {
        fprintf(stderr, _("tamga: cannot play: this machine is not a keyholder of case \""));
        tool_put_safe(stderr, tamga_case_get_title(c));
        fprintf(stderr, _("\" (it can record into the case but not open its recordings)\n"));
        status = TOOL_EXIT_ERROR;
        goto out;
    }
    status = tool_identity_open(home, 1, passfile, &id);
    if (status != 0)
        goto out;

    int rc = tamga_player_new(c, id, rec_id, device, &p);
    if (rc != TAMGA_OK) {
        char what[128];
        snprintf(what, sizeof what, _("cannot play recording %s"), rec_id);
        status = tool_fail(rc, what);
        goto out;
    }
    double total = tamga_player_duration(p);
    if (from > total) {
        char d[32];
        format_pos(total, d, sizeof d);
        status = tool_error(_("cannot play from %.1f s: the recording is only %s long"), from, d);
        goto out;
    }
    list_markers(c, id, rec_id);

    tool_stop_signals_install();
    rc = tamga_player_play(p, from);
    if (rc != TAMGA_OK) {
        tool_stop_signals_restore();
        char what[128];
        snprintf(what, sizeof what, _("cannot play recording %s"), rec_id);
        status = tool_fail(rc, what);
        goto out;
    }
    int interactive = isatty(STDIN_FILENO) && isatty(STDERR_FILENO) && tool_keys_begin() == 0;
    int utf8 = tool_utf8(), paused = 0;
    while (tool_stop_requested() == 0 && !tamga_player_finished(p)) {
        if (!interactive) {
            sleep_ms(50);
            continue;
        }
        draw(p, paused, utf8);
        int k = tool_keys_read(100);
        if (k == 'q' || k == 'Q' || k == TOOL_KEY_EOF)
            break;
        if (k == ' ') {
            paused = !paused;
            (void)tamga_player_pause(p, paused);
        } else if (k == TOOL_KEY_LEFT || k == TOOL_KEY_RIGHT) {
            double pos = tamga_player_position(p) + (k == TOOL_KEY_LEFT ? -SEEK_STEP : SEEK_STEP);
            if (pos < 0)
                pos = 0;
            if (pos > total)
                pos = total;
            (void)tamga_player_seek(p, pos);
        }
    }
    if (interactive) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
        tool_keys_end();
    }
    tool_stop_signals_restore();
    status = 0;
out:
    tamga_player_free(p);
    free(rec_id);
    tool_release(home, id, c);
    return status;
}

const tool_command tool_cmd_play = {
    .name = "play",
    .run = play_run,
    .summary = N_("listen to a recording (keyholders only)"),
    .usage = "tamga play RECORDING [--case CASE] [--from SECONDS] [--device DEVICE]\n"
             "           [--passphrase-file FILE]",
    .help = N_("Decrypts the recording in memory (nothing is written to disk) and plays it\n"
               "through the default audio output, or --device. First lists its markers\n"
               "(time and private label). On a terminal shows the position; keys: space\n"
               "pause/play, left/right arrow 5 seconds back/forward, q quit. Otherwise\n"
               "plays to the end. Only keyholders of the case can play its recordings\n"
               "(status 2 otherwise).\n"
               "\n"
               "RECORDING is a recording id, the start of one, or the path of its .tamga\n"
               "file.\n"
               "\n"
               "Options:\n"
               "  -c, --case CASE         look for the recording in this case only\n"
               "  --from SECONDS          start this far into the recording\n"
               "  --device DEVICE         the output: an index or a part of its name (see\n"
               "                          `tamga devices`)\n"
               "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"),
};
