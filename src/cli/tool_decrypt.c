/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga decrypt RECORDING -o OUT.opus: keyholders get the audio back. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tool.h"
#include "util.h"

static int is_hex32(const char *s, size_t n)
{
    if (n != TAMGA_ID_HEX_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* RECORDING given as a path to a .tamga file: its case is two folders up. */
static int resolve_path(const char *path, tamga_case **c, char **rec_id)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n < 7 || strcmp(base + n - 6, ".tamga") != 0 || !is_hex32(base, n - 6))
        return tool_error(_("%s is not a tamga recording file (<id>.tamga)"), path);
    char *real = realpath(path, NULL);
    if (real == NULL)
        return tool_error(_("cannot read %s: %s"), path, strerror(errno));
    /* <case>/recordings/<id>.tamga */
    char *slash = strrchr(real, '/');
    if (slash != NULL) {
        *slash = '\0';
        slash = strrchr(real, '/');
    }
    if (slash == NULL || strcmp(slash + 1, "recordings") != 0) {
        free(real);
        return tool_error(_("%s is not inside a case's recordings folder"), path);
    }
    *slash = '\0';
    int rc = tamga_case_open_dir(real[0] ? real : "/", c);
    if (rc != TAMGA_OK) {
        char what[PATH_MAX + 64];
        snprintf(what, sizeof what, _("cannot open the case in %s"), real);
        free(real);
        return tool_fail(rc, what);
    }
    free(real);
    *rec_id = strndup(base, TAMGA_ID_HEX_LEN);
    if (*rec_id == NULL)
        return tool_fail(TAMGA_ERR_NOMEM, _("cannot decrypt"));
    return 0;
}

/* RECORDING given as an id or prefix: searched in one case or in all. */
static int resolve_id(const char *home, const char *case_ref, const char *ref, tamga_case **out,
                      char **rec_id)
{
    char what[256];
    snprintf(what, sizeof what, _("cannot find recording \"%s\""), ref);
    if (case_ref != NULL) {
        int status = tool_case_open(home, case_ref, out);
        if (status != 0)
            return status;
        int rc = tamga_case_find_recording(*out, ref, rec_id);
        if (rc != TAMGA_OK)
            return tool_fail(rc, what);
        return 0;
    }
    char **ids = NULL;
    size_t n = 0;
    int rc = tamga_case_list(home, &ids, &n);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot list cases"));
    int found = 0, status = 0;
    for (size_t i = 0; i < n && status == 0; i++) {
        char *cases = tamga_path_join(home, "cases");
        char *dir = cases ? tamga_path_join(cases, ids[i]) : NULL;
        free(cases);
        tamga_case *c = NULL;
        char *match = NULL;
        if (dir != NULL && tamga_case_open_dir(dir, &c) == TAMGA_OK) {
            rc = tamga_case_find_recording(c, ref, &match);
            if (rc == TAMGA_ERR_AMBIGUOUS) {
                status = tool_fail(rc, what);
            } else if (rc == TAMGA_OK) {
                found++;
                if (found > 1) {
                    status = tool_error(_("cannot find recording \"%s\": it matches recordings "
                                          "in more than one case (give more digits or "
                                          "--case CASE)"),
                                        ref);
                } else {
                    *out = c;
                    *rec_id = match;
                    c = NULL;
                    match = NULL;
                }
            }
        }
        free(match);
        tamga_case_free(c);
        free(dir);
    }
    tamga_strv_free(ids, n);
    if (status == 0 && found == 0)
        status = tool_error(_("cannot find recording \"%s\": no recording in any case has "
                              "this id"),
                            ref);
    if (status != 0) {
        tamga_case_free(*out);
        *out = NULL;
        free(*rec_id);
        *rec_id = NULL;
    }
    return status;
}

static int not_keyholder(const tamga_case *c)
{
    fprintf(stderr, _("tamga: cannot decrypt: this machine is not a keyholder of case \""));
    tool_put_safe(stderr, tamga_case_get_title(c));
    fprintf(stderr, _("\" (it can record into the case but not open its recordings)\n"));
    return TOOL_EXIT_ERROR;
}

static int decrypt_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"case", required_argument, NULL, 'c'},
        {"passphrase-file", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL, *case_ref = NULL, *passfile = NULL;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":ho:c:", opts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            output = optarg;
            break;
        case 'c':
            case_ref = optarg;
            break;
        case 'p':
            passfile = optarg;
            break;
        default:
            return tool_getopt_other(opt, argv);
        }
    }
    if (optind >= argc)
        return tool_usage_error(_("which recording? Give its id or its .tamga file"));
    if (optind + 1 < argc)
        return tool_usage_error(_("unexpected argument \"%s\""), argv[optind + 1]);
    if (output == NULL)
        return tool_usage_error(_("where should the audio go? Use -o OUT.opus"));
    const char *ref = argv[optind];
    if (tamga_file_exists(output))
        return tool_error(_("cannot decrypt: %s already exists: not overwriting it"), output);

    char *home = NULL;
    int status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_case *c = NULL;
    tamga_identity *id = NULL;
    char *rec_id = NULL;
    if (!tool_identity_exists(home)) {
        status = tool_identity_open(home, 0, NULL, &id);
        goto out;
    }
    struct stat st;
    if (strchr(ref, '/') != NULL || (stat(ref, &st) == 0 && S_ISREG(st.st_mode)))
        status = resolve_path(ref, &c, &rec_id);
    else
        status = resolve_id(home, case_ref, ref, &c, &rec_id);
    if (status != 0)
        goto out;

    tamga_pubid me;
    if (tool_identity_public(home, &me) && !tamga_case_has_grant(c, &me)) {
        status = not_keyholder(c);
        goto out;
    }
    status = tool_identity_open(home, 1, passfile, &id);
    if (status != 0)
        goto out;
    int rc = tamga_recording_decrypt(c, id, rec_id, output);
    if (rc == TAMGA_ERR_NOT_KEYHOLDER) {
        status = not_keyholder(c);
        goto out;
    }
    if (rc != TAMGA_OK) {
        char what[128];
        snprintf(what, sizeof what, _("cannot decrypt recording %.12s"), rec_id);
        status = tool_fail(rc, what);
        goto out;
    }
    uint8_t sha[TAMGA_SHA256_BYTES];
    uint64_t size = 0;
    rc = tamga_sha256_file(output, sha, &size);
    if (rc != TAMGA_OK) {
        char what[1100];
        snprintf(what, sizeof what, _("cannot read back %s"), output);
        status = tool_fail(rc, what);
        goto out;
    }
    char hex[2 * TAMGA_SHA256_BYTES + 1], sz[32];
    tool_hex(sha, sizeof sha, hex);
    tool_format_size(size, sz, sizeof sz);
    fprintf(stderr, _("Decrypted recording %s to %s (%s, Ogg Opus).\n"), rec_id, output, sz);
    fprintf(stderr, _("SHA-256: %s (matches the signed manifest)\n"), hex);
    fprintf(stderr, _("This file is not encrypted: delete it when you no longer need it.\n"));
    status = 0;
out:
    free(rec_id);
    tamga_identity_free(id);
    tamga_case_free(c);
    free(home);
    return status;
}

const tool_command tool_cmd_decrypt = {
    .name = "decrypt",
    .run = decrypt_run,
    .summary = N_("write a recording's audio as an Ogg Opus file (keyholders only)"),
    .usage = "tamga decrypt RECORDING -o OUT.opus [--case CASE] [--passphrase-file FILE]",
    .help = N_("RECORDING is a .tamga file (its case is the folder two levels up), or a\n"
               "recording id or the start of one (at least 4 characters), looked for in\n"
               "--case CASE or else in every case. The audio is checked against the signed\n"
               "manifest before OUT is put in place; OUT is never overwritten. The\n"
               "decryption is recorded in the case's custody log.\n"
               "\n"
               "The output file is NOT encrypted: keep it safe and delete it when done.\n"
               "\n"
               "Options:\n"
               "  -o, --output OUT        where to write the audio (Ogg Opus)\n"
               "  -c, --case CASE         the case to look in (id, start of id, or title)\n"
               "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"),
};
