/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga decrypt RECORDING -o OUT.opus: keyholders get the audio back. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "util.h"

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
        TOOL_OPTS_END,
    };
    const char *output = NULL, *case_ref = NULL, *passfile = NULL;
    int opt, status;
    while ((opt = tool_getopt(argc, argv, "o:c:", opts, &status)) > 0) {
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
        }
    }
    if (opt < 0 || (status = tool_args_one(
                        argc, argv, _("which recording? Give its id or its .tamga file"))) != 0)
        return status;
    if (output == NULL)
        return tool_usage_error(_("where should the audio go? Use -o OUT.opus"));
    const char *ref = argv[optind];
    if (tamga_file_exists(output))
        return tool_error(_("cannot decrypt: %s already exists: not overwriting it"), output);

    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_case *c = NULL;
    tamga_identity *id = NULL;
    char *rec_id = NULL;
    if ((status = tool_identity_needed(home)) != 0)
        goto out;
    status = tool_recording_resolve(home, case_ref, ref, &c, &rec_id);
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
    tool_release(home, id, c);
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
