/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga log CASE | tamga log note CASE TEXT: the custody history. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tool.h"

/* A short plain summary of an event's subject, e.g. "recording 3f2a9c01b2d4
 * (complete)" or "note: \"...\"". Writes into `out`. */
static void subject_summary(const char *event, const char *subject_json, char *out, size_t n)
{
    out[0] = '\0';
    json_error_t err;
    json_t *s = subject_json ? json_loads(subject_json, JSON_REJECT_DUPLICATES, &err) : NULL;
    if (!json_is_object(s)) {
        json_decref(s);
        return;
    }
    const char *rec = json_string_value(json_object_get(s, "recording"));
    const char *text = json_string_value(json_object_get(s, "text"));
    const char *verdict = json_string_value(json_object_get(s, "verdict"));
    const char *status = json_string_value(json_object_get(s, "status"));
    size_t off = 0;
#define ADD(...)                                                                                   \
    do {                                                                                           \
        if (off < n)                                                                               \
            off += (size_t)snprintf(out + off, n - off, __VA_ARGS__);                              \
    } while (0)
    if (rec != NULL)
        ADD(_("recording %.12s"), rec);
    if (status != NULL)
        ADD(" (%s)", status);
    if (strcmp(event, TAMGA_EVENT_DECRYPTED) == 0 && rec != NULL)
        ADD(_(", audio written out"));
    if (strcmp(event, TAMGA_EVENT_RECORDING_STARTED) == 0 &&
        json_string_value(json_object_get(s, "source")) != NULL)
        ADD(_(", from a %s"), json_string_value(json_object_get(s, "source")));
    if (verdict != NULL) {
        json_int_t checks = json_integer_value(json_object_get(s, "checks"));
        json_int_t failed = json_integer_value(json_object_get(s, "failed"));
        ADD(_("%s%s: %lld checks, %lld failed"), off ? ", " : "", verdict, (long long)checks,
            (long long)failed);
    }
    if (text != NULL)
        ADD(_("%snote: \"%s\""), off ? ", " : "", text);
    if (off == 0 && strcmp(event, TAMGA_EVENT_CASE_CREATED) == 0)
        ADD(_("case description signed"));
    if (off == 0) {
        /* Something this version does not know: show its keys and short values. */
        const char *key;
        json_t *v;
        json_object_foreach(s, key, v)
        {
            if (json_is_string(v))
                ADD("%s%s=%.16s", off ? " " : "", key, json_string_value(v));
            else if (json_is_integer(v))
                ADD("%s%s=%lld", off ? " " : "", key, (long long)json_integer_value(v));
            else
                ADD("%s%s=...", off ? " " : "", key);
        }
    }
#undef ADD
    if (off >= n && n > 4)
        memcpy(out + n - 4, "...", 4);
    json_decref(s);
}

static int log_show(int argc, char **argv)
{
    int json, status;
    if (!tool_parse_json(argc, argv, 1,
                         _("which case? Give its id, the start of its id, or its title"), &json,
                         &status))
        return status;

    char *home = NULL;
    tamga_case *c = NULL;
    if ((status = tool_home_case(&home, argv[optind], &c)) != 0)
        return status;
    tamga_pubid me;
    int have_me = tool_identity_public(home, &me);
    tamga_custody_log log;
    memset(&log, 0, sizeof log);
    int rc = tamga_custody_load(tamga_case_get_dir(c), &log);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot read the custody log"));
        goto out;
    }
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; arr != NULL && i < log.count; i++) {
            const tamga_custody_entry *e = &log.entries[i];
            char actor[17], prev[65], sha[65];
            tamga_keyid_format(e->actor, actor);
            tool_hex(e->prev_sha256, sizeof e->prev_sha256, prev);
            tool_hex(e->line_sha256, sizeof e->line_sha256, sha);
            json_error_t err;
            json_t *subj = e->subject_json ? json_loads(e->subject_json, 0, &err) : NULL;
            json_t *o = json_pack("{s:I, s:s, s:s, s:b, s:s, s:o, s:s, s:s}", "seq",
                                  (json_int_t)e->seq, "time", e->time, "actor", actor, "you",
                                  have_me && memcmp(me.keynum, e->actor, sizeof me.keynum) == 0,
                                  "event", e->event, "subject", subj ? subj : json_object(),
                                  "prev_sha256", prev, "sha256", sha);
            json_array_append_new(arr, o);
        }
        status = tool_put_json(arr ? json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL);
        json_decref(arr);
        goto out;
    }
    /* Align the columns on the widest sequence number and event name. */
    int seqw = 1, evw = 5;
    for (size_t i = 0; i < log.count; i++) {
        int w = snprintf(NULL, 0, "%llu", (unsigned long long)log.entries[i].seq);
        int v = (int)strlen(log.entries[i].event);
        seqw = w > seqw ? w : seqw;
        evw = v > evw ? v : evw;
    }
    for (size_t i = 0; i < log.count; i++) {
        const tamga_custody_entry *e = &log.entries[i];
        char actor[64], summary[256];
        tool_keyid(e->actor, have_me ? &me : NULL, actor, sizeof actor);
        subject_summary(e->event, e->subject_json, summary, sizeof summary);
        printf("%*llu  ", seqw, (unsigned long long)e->seq);
        tool_put_safe(stdout, e->time);
        printf("  %-22s  %-*s  ", actor, evw, e->event);
        tool_put_safe(stdout, summary);
        printf("\n");
    }
    if (log.count == 0)
        fprintf(stderr, _("The custody log of this case is empty.\n"));
out:
    tamga_custody_log_clear(&log);
    tool_release(home, NULL, c);
    return status;
}

static int log_note_run(int argc, char **argv)
{
    const char *passfile;
    int status;
    if (!tool_parse_passfile(argc, argv, TOOL_ARGS_ANY, NULL, &passfile, &status))
        return status;
    if (argc - optind != 2)
        return tool_usage_error(argc - optind < 2
                                    ? _("a case and the text of the note are needed")
                                    : _("too many arguments (put the note in quotes)"));
    const char *case_ref = argv[optind], *text = argv[optind + 1];
    if (text[0] == '\0')
        return tool_usage_error(_("the note is empty"));
    if (strlen(text) > 4096)
        return tool_usage_error(_("the note is too long (at most 4096 bytes)"));

    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_case *c = NULL;
    tamga_identity *id = NULL;
    char *subject = NULL;
    if ((status = tool_identity_needed(home)) != 0)
        goto out;
    status = tool_case_open(home, case_ref, &c);
    if (status != 0)
        goto out;
    json_t *sj = json_pack("{s:s}", "text", text);
    subject = sj ? json_dumps(sj, JSON_COMPACT) : NULL;
    json_decref(sj);
    if (subject == NULL) {
        status = tool_error(_("the note is not valid UTF-8 text"));
        goto out;
    }
    status = tool_identity_open(home, 1, passfile, &id);
    if (status != 0)
        goto out;
    uint64_t seq = 0;
    /* Register the actor's key first so verifiers can check the entry. */
    int rc = tamga_case_register_signer(c, tamga_identity_get_public(id));
    if (rc == TAMGA_OK)
        rc = tamga_custody_append(tamga_case_get_dir(c), tamga_case_get_id(c), id, TAMGA_EVENT_NOTE,
                                  subject, &seq, NULL);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot add the note to the custody log"));
        goto out;
    }
    fprintf(stderr, _("Note added to the custody log as entry %llu.\n"), (unsigned long long)seq);
out:
    free(subject);
    tool_release(home, id, c);
    return status;
}

static const tool_command log_note = {
    .name = "note",
    .run = log_note_run,
    .summary = N_("add a signed note to a case's custody log"),
    .usage = "tamga log note CASE TEXT [--passphrase-file FILE]",
    .help = N_("Adds a note, signed with your identity, to the custody log: for example\n"
               "\"handed the USB stick to the archive\".\n"
               "\n"
               "WARNING: the note is PUBLIC. It is not encrypted and anyone who gets the\n"
               "case folder can read it. Never write names, places or contact details of\n"
               "witnesses in a note; use the private fields of `tamga record` instead.\n"
               "\n"
               "Options:\n"
               "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"),
};

static const tool_command *const log_subs[] = {&log_note, NULL};

const tool_command tool_cmd_log = {
    .name = "log",
    .run = log_show,
    .summary = N_("show a case's custody history, or add a note to it"),
    .usage = "tamga log CASE [--json]\n"
             "tamga log note CASE TEXT [--passphrase-file FILE]",
    .help = N_("Shows the custody log of a case: one line per entry, with its number, time\n"
               "(UTC), who signed it (key id, \"(you)\" for this machine), the event and a\n"
               "short summary. This does not check the signatures: use `tamga verify`.\n"
               "\n"
               "Options:\n"
               "  --json  print a JSON array of entries\n"
               "\n"
               "`tamga log note` adds a note. Notes are PUBLIC: see `tamga help log note`.\n"),
    .subs = log_subs,
};
