/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga case new | list | show | export-recorder | join */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "tamga/bundle.h"
#include "tool.h"
#include "util.h"

/* ---- case new ---------------------------------------------------------- */

static int case_new_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"keyholder", required_argument, NULL, 'k'},
        {"record-only", no_argument, NULL, 'r'},
        {"passphrase-file", required_argument, NULL, 'p'},
        TOOL_OPTS_END,
    };
    const char *passfile = NULL;
    const char *files[TAMGA_CASE_MAX_KEYHOLDERS];
    size_t n_files = 0;
    int record_only = 0, opt, status;
    while ((opt = tool_getopt(argc, argv, "", opts, &status)) > 0) {
        switch (opt) {
        case 'k':
            if (n_files >= TAMGA_CASE_MAX_KEYHOLDERS - 1)
                return tool_usage_error(_("too many keyholders (at most %d)"),
                                        TAMGA_CASE_MAX_KEYHOLDERS - 1);
            files[n_files++] = optarg;
            break;
        case 'r':
            record_only = 1;
            break;
        case 'p':
            passfile = optarg;
            break;
        }
    }
    if (opt < 0)
        return status;
    if (optind >= argc)
        return tool_usage_error(_("a case title is needed"));
    if (optind + 1 < argc)
        return tool_usage_error(_("unexpected argument \"%s\" (put a title with spaces in "
                                  "quotes)"),
                                argv[optind + 1]);
    const char *title = argv[optind];
    if (title[0] == '\0' || strlen(title) > TAMGA_NAME_MAX)
        return tool_usage_error(_("a case title must have 1 to %d bytes"), TAMGA_NAME_MAX);
    if (record_only && n_files == 0)
        return tool_usage_error(_("a record-only case needs at least one --keyholder: "
                                  "otherwise nobody could ever open its recordings"));

    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_identity *id = NULL;
    tamga_case *c = NULL;
    tamga_pubid *keyholders = calloc(n_files ? n_files : 1, sizeof *keyholders);
    size_t n = 0;
    if (keyholders == NULL) {
        status = tool_fail(TAMGA_ERR_NOMEM, _("cannot create the case"));
        goto out;
    }
    /* Everything that can be checked without the passphrase is checked first. */
    if ((status = tool_identity_needed(home)) != 0)
        goto out;
    tamga_pubid me;
    int have_me = tool_identity_public(home, &me);
    for (size_t i = 0; i < n_files; i++) {
        tamga_pubid p;
        int rc = tamga_pubid_load(files[i], &p);
        if (rc != TAMGA_OK) {
            char what[1100];
            snprintf(what, sizeof what, _("cannot use keyholder file %s"), files[i]);
            status = tool_fail(rc, what);
            goto out;
        }
        int dup = 0;
        for (size_t j = 0; j < n && !dup; j++)
            dup = memcmp(keyholders[j].keynum, p.keynum, sizeof p.keynum) == 0;
        if (have_me && memcmp(me.keynum, p.keynum, sizeof p.keynum) == 0) {
            if (record_only) {
                status = tool_error(_("%s is this machine's own identity: a record-only "
                                      "machine cannot also be a keyholder"),
                                    files[i]);
                goto out;
            }
            dup = 1; /* the creator holds the key anyway */
        }
        if (!dup)
            keyholders[n++] = p;
    }
    if (record_only && n == 0) {
        status = tool_usage_error(_("a record-only case needs at least one other keyholder"));
        goto out;
    }

    status = tool_identity_open(home, 1, passfile, &id);
    if (status != 0)
        goto out;
    int rc = tamga_case_create(home, id, title, keyholders, n, record_only, &c);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot create the case"));
        goto out;
    }
    printf("%s\n", tamga_case_get_id_hex(c));
    if (isatty(STDERR_FILENO)) {
        fprintf(stderr, _("Created case \""));
        tool_put_safe(stderr, title);
        if (record_only)
            fprintf(stderr,
                    _("\". This machine can record into it but cannot open its "
                      "recordings; %zu keyholder(s) can.\n"),
                    n);
        else if (n == 0)
            fprintf(stderr, _("\". Only you can open its recordings.\n"));
        else
            fprintf(stderr, _("\". You and %zu other keyholder(s) can open its recordings.\n"), n);
    }
    status = 0;
out:
    free(keyholders);
    tool_release(home, id, c);
    return status;
}

static const tool_command case_new = {
    .name = "new",
    .run = case_new_run,
    .summary = N_("create a case (a folder of recordings with its own key)"),
    .usage = "tamga case new TITLE [--keyholder PUBLIC-IDENTITY-FILE]... [--record-only]\n"
             "               [--passphrase-file FILE]",
    .help = N_("Creates a new case and prints its id. Keyholders are the people or machines\n"
               "that can open (decrypt) the case's recordings. You are one, unless\n"
               "--record-only. The case description is signed with your identity, so your\n"
               "passphrase is asked.\n"
               "\n"
               "The TITLE is public: it is written unencrypted in the case folder. Do not\n"
               "put a witness's name in it.\n"
               "\n"
               "Options:\n"
               "  --keyholder FILE        also give the public identity FILE (made with\n"
               "                          `tamga id export`) the key; may be repeated\n"
               "  --record-only           this machine records into the case but can never\n"
               "                          open what it recorded (for laptops that travel);\n"
               "                          needs at least one --keyholder\n"
               "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"),
};

/* ---- case list --------------------------------------------------------- */

static char *case_dir_of(const char *home, const char *id)
{
    char *cases = tamga_path_join(home, "cases");
    char *dir = cases ? tamga_path_join(cases, id) : NULL;
    free(cases);
    return dir;
}

static int case_list_run(int argc, char **argv)
{
    int json, status;
    if (!tool_parse_json(argc, argv, 0, NULL, &json, &status))
        return status;

    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_pubid me;
    int have_me = tool_identity_public(home, &me);
    char **ids = NULL;
    size_t n = 0;
    int rc = tamga_case_list(home, &ids, &n);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot list cases"));
        free(home);
        return status;
    }
    json_t *arr = json ? json_array() : NULL;
    if (json && arr == NULL) {
        status = tool_fail(TAMGA_ERR_NOMEM, _("cannot list cases"));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        char *dir = case_dir_of(home, ids[i]);
        tamga_case *c = NULL;
        rc = dir ? tamga_case_open_dir(dir, &c) : TAMGA_ERR_NOMEM;
        free(dir);
        if (rc != TAMGA_OK) {
            char what[128];
            snprintf(what, sizeof what, _("cannot read case %.12s"), ids[i]);
            tool_fail(rc, what);
            continue;
        }
        char **recs = NULL;
        size_t n_recs = 0;
        if (tamga_case_list_recordings(c, &recs, &n_recs) != TAMGA_OK)
            n_recs = 0;
        tamga_strv_free(recs, n_recs);
        int holder = have_me && tamga_case_has_grant(c, &me);
        if (json) {
            json_array_append_new(
                arr, json_pack("{s:s, s:s, s:s, s:I, s:b}", "id", tamga_case_get_id_hex(c), "title",
                               tamga_case_get_title(c), "created", tamga_case_get_created(c),
                               "recordings", (json_int_t)n_recs, "keyholder", holder));
        } else {
            char count[32];
            if (n_recs == 1)
                snprintf(count, sizeof count, _("%zu recording"), n_recs);
            else
                snprintf(count, sizeof count, _("%zu recordings"), n_recs);
            printf("%.12s  %-14s  %-11s  ", tamga_case_get_id_hex(c), count,
                   !have_me ? "-"
                   : holder ? _("keyholder")
                            : _("record-only"));
            tool_put_safe(stdout, tamga_case_get_title(c));
            printf("\n");
        }
        tamga_case_free(c);
    }
    if (json)
        status = tool_put_json(json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER));
    else if (n == 0 && isatty(STDERR_FILENO))
        fprintf(stderr, _("No cases yet. Create one with `tamga case new TITLE`.\n"));
out:
    json_decref(arr);
    tamga_strv_free(ids, n);
    free(home);
    return status;
}

static const tool_command case_list = {
    .name = "list",
    .run = case_list_run,
    .summary = N_("list the cases on this machine"),
    .usage = "tamga case list [--json]",
    .help = N_("One line per case: the start of its id, how many recordings it holds,\n"
               "whether this machine is a \"keyholder\" (can open the recordings) or\n"
               "\"record-only\" (\"-\" when there is no identity yet), and its title.\n"
               "\n"
               "Options:\n"
               "  --json  print a JSON array of {id, title, created, recordings, keyholder}\n"),
};

/* ---- case show --------------------------------------------------------- */

static int case_show_run(int argc, char **argv)
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
    const tamga_pubid *mep = have_me ? &me : NULL;
    int holder = have_me && tamga_case_has_grant(c, &me);
    char **recs = NULL;
    size_t n_recs = 0;
    int rc = tamga_case_list_recordings(c, &recs, &n_recs);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot list the recordings"));
        goto out;
    }
    char pkhex[2 * TAMGA_ENC_PK_BYTES + 1];
    tool_hex(tamga_case_get_public_key(c), TAMGA_ENC_PK_BYTES, pkhex);
    char creator[17];
    tamga_keyid_format(tamga_case_get_creator_keynum(c), creator);
    size_t n_kh = tamga_case_keyholder_count(c);

    if (json) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", tamga_case_get_id_hex(c), "title",
                              tamga_case_get_title(c), "created", tamga_case_get_created(c),
                              "creator_key_id", creator, "public_key", pkhex);
        json_t *kh = json_array();
        json_t *ra = json_array();
        if (j == NULL || kh == NULL || ra == NULL) {
            json_decref(j);
            json_decref(kh);
            json_decref(ra);
            status = tool_fail(TAMGA_ERR_NOMEM, _("cannot show the case"));
            goto out;
        }
        for (size_t i = 0; i < n_kh; i++) {
            char k[17];
            tamga_keyid_format(tamga_case_keyholder_keynum(c, i), k);
            json_array_append_new(kh, json_string(k));
        }
        for (size_t i = 0; i < n_recs; i++) {
            tamga_manifest m;
            if (tool_manifest_load(c, recs[i], &m) == TAMGA_OK) {
                json_array_append_new(ra, json_pack("{s:s, s:s, s:I, s:s}", "id", recs[i],
                                                    "started", m.started, "duration_ms",
                                                    (json_int_t)m.duration_ms, "status", m.status));
                tamga_manifest_clear(&m);
            } else {
                json_array_append_new(ra,
                                      json_pack("{s:s, s:n, s:n, s:s}", "id", recs[i], "started",
                                                "duration_ms", "status", "unreadable"));
            }
        }
        json_object_set_new(j, "keyholders", kh);
        json_object_set_new(j, "recordings", ra);
        json_object_set_new(j, "keyholder", json_boolean(holder));
        status = tool_put_json(json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER));
        json_decref(j);
        goto out;
    }

    char line[64];
    printf(_("Case:            %s\n"), tamga_case_get_id_hex(c));
    printf(_("Title:           "));
    tool_put_safe(stdout, tamga_case_get_title(c));
    printf("\n");
    printf(_("Created:         "));
    tool_put_safe(stdout, tamga_case_get_created(c));
    printf("\n");
    tool_keyid(tamga_case_get_creator_keynum(c), mep, line, sizeof line);
    printf(_("Created by:      %s\n"), line);
    printf(_("Case public key: %s\n"), pkhex);
    printf(_("Keyholders:      "));
    if (n_kh == 0)
        printf(_("none\n"));
    for (size_t i = 0; i < n_kh; i++) {
        tool_keyid(tamga_case_keyholder_keynum(c, i), mep, line, sizeof line);
        printf("%s%s\n", i == 0 ? "" : "                 ", line);
    }
    printf(_("This machine:    %s\n"),
           !have_me ? _("no identity yet")
           : holder ? _("keyholder (can open the recordings)")
                    : _("record-only (can record, cannot open the recordings)"));
    printf(_("Recordings:      %zu\n"), n_recs);
    for (size_t i = 0; i < n_recs; i++) {
        tamga_manifest m;
        if (tool_manifest_load(c, recs[i], &m) == TAMGA_OK) {
            char dur[32];
            tool_format_duration(m.duration_ms, dur, sizeof dur);
            printf("  %s  ", recs[i]);
            tool_put_safe(stdout, m.started);
            printf("  %8s  ", dur);
            tool_put_safe(stdout, m.status);
            if (m.title[0] != '\0') {
                printf("  ");
                tool_put_safe(stdout, m.title);
            }
            printf("\n");
            tamga_manifest_clear(&m);
        } else {
            printf(_("  %s  (its manifest is missing or cannot be read)\n"), recs[i]);
        }
    }
out:
    tamga_strv_free(recs, n_recs);
    tool_release(home, NULL, c);
    return status;
}

static const tool_command case_show = {
    .name = "show",
    .run = case_show_run,
    .summary = N_("show a case: title, keys, keyholders and recordings"),
    .usage = "tamga case show CASE [--json]",
    .help = N_("CASE is the case id, the start of it (at least 4 characters) or the exact\n"
               "title. Shows when and by whom the case was made, its public key, who holds\n"
               "its key, its recordings (id, start time, length, status), and whether this\n"
               "machine is a keyholder. This does not check signatures: use `tamga verify`.\n"
               "\n"
               "Options:\n"
               "  --json  print a JSON object\n"),
};

/* ---- case export-recorder / join --------------------------------------- */

static int case_export_recorder_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        TOOL_OPTS_END,
    };
    const char *outfile = NULL;
    int opt, status;
    while ((opt = tool_getopt(argc, argv, "o:", opts, &status)) > 0)
        if (opt == 'o')
            outfile = optarg;
    if (opt < 0 ||
        (status = tool_args_one(argc, argv,
                                _("which case? Give its id, the start of it or its title"))) != 0)
        return status;
    if (outfile == NULL)
        return tool_usage_error(_("where to? Give -o FILE"));
    char *home = NULL;
    tamga_case *c = NULL;
    if ((status = tool_home_case(&home, argv[optind], &c)) != 0)
        return status;
    int rc = tamga_case_export_recorder(c, outfile);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot write the recorder file"));
        goto out;
    }
    if (isatty(STDERR_FILENO))
        fprintf(stderr,
                _("Wrote %s. On a field laptop: `tamga case join %s` records into this case "
                  "without being able to open anything.\n"),
                outfile, outfile);
out:
    tool_release(home, NULL, c);
    return status;
}

static const tool_command case_export_recorder = {
    .name = "export-recorder",
    .run = case_export_recorder_run,
    .summary = N_("write the public case description for a record-only field laptop"),
    .usage = "tamga case export-recorder CASE -o FILE",
    .help = N_("Writes FILE (never overwritten): the signed case description, the signers'\n"
               "public keys and the custody log with its signed head, in one JSON file. It\n"
               "holds no secret: a laptop that joins the case with it can record into the\n"
               "case but never open a recording. No passphrase is needed.\n"
               "\n"
               "Options:\n"
               "  -o, --output FILE  the file to write\n"),
};

static int case_join_run(int argc, char **argv)
{
    const char *passfile;
    int status;
    if (!tool_parse_passfile(argc, argv, 1, _("which recorder file? Give FILE"), &passfile,
                             &status))
        return status;
    char *home = NULL;
    tamga_identity *id = NULL;
    tamga_case *c = NULL;
    if ((status = tool_home_identity(&home, 1, passfile, &id)) != 0)
        return status;
    int rc = tamga_case_join(home, id, argv[optind], &c);
    if (rc != TAMGA_OK) {
        status = tool_fail_status(rc, rc == TAMGA_ERR_AUTH ? TOOL_EXIT_FAILED : TOOL_EXIT_ERROR,
                                  _("cannot join the case"));
        goto out;
    }
    printf("%s\n", tamga_case_get_id_hex(c));
    if (isatty(STDERR_FILENO)) {
        fprintf(stderr, _("Joined case \""));
        tool_put_safe(stderr, tamga_case_get_title(c));
        fprintf(stderr, _("\". This machine can record into it but cannot open its "
                          "recordings.\n"));
    }
out:
    tool_release(home, id, c);
    return status;
}

static const tool_command case_join = {
    .name = "join",
    .run = case_join_run,
    .summary = N_("join a case from a recorder file, record-only"),
    .usage = "tamga case join FILE [--passphrase-file FILE]",
    .help = N_("FILE was written by `tamga case export-recorder` on a keyholder's machine.\n"
               "Checks the creator's signature on the case description and every custody\n"
               "entry, then creates the case here in record-only mode: this machine can\n"
               "record into it and sign, but never open what it recorded. Refused if the\n"
               "case is already here. A signed \"joined\" custody event is logged, so\n"
               "your passphrase is asked. Send recordings back with `tamga export`.\n"
               "\n"
               "Exit status: 0 joined, 1 the file does not verify, 2 any other error.\n"
               "\n"
               "Options:\n"
               "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"),
};

/* ---- case -------------------------------------------------------------- */

static const tool_command *const case_subs[] = {
    &case_new, &case_list, &case_show, &case_export_recorder, &case_join, NULL};

const tool_command tool_cmd_case = {
    .name = "case",
    .run = NULL,
    .summary = N_("create, list or show cases"),
    .usage = "tamga case new TITLE [--keyholder FILE]... [--record-only]\n"
             "tamga case list [--json]\n"
             "tamga case show CASE [--json]\n"
             "tamga case export-recorder CASE -o FILE\n"
             "tamga case join FILE",
    .help = N_("A case is a folder of recordings that belong together, with its own key.\n"
               "Anyone with the case can record into it; only its keyholders can open the\n"
               "recordings.\n"),
    .subs = case_subs,
};
