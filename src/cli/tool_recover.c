/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga recover: seal the recordings a crash, power loss or kill left unfinished. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static int recover_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"case", required_argument, NULL, 'c'},
        {"passphrase-file", required_argument, NULL, 'p'},
        TOOL_OPTS_END,
    };
    const char *case_ref = NULL, *passfile = NULL;
    int opt, status;
    while ((opt = tool_getopt(argc, argv, "c:", opts, &status)) > 0) {
        switch (opt) {
        case 'c':
            case_ref = optarg;
            break;
        case 'p':
            passfile = optarg;
            break;
        }
    }
    if (opt < 0 || (status = tool_args_none(argc, argv)) != 0)
        return status;

    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_case *c = NULL;
    tamga_identity *id = NULL;
    const char *case_id = NULL;
    if (case_ref != NULL) {
        status = tool_case_open(home, case_ref, &c);
        if (status != 0)
            goto out;
        case_id = tamga_case_get_id_hex(c);
    }
    /* Without anything to seal, no passphrase is needed. */
    size_t pending = 0;
    int rc = tamga_recover_count(home, &pending);
    if (rc != TAMGA_OK) {
        status = tool_fail(rc, _("cannot look for unfinished recordings"));
        goto out;
    }
    size_t n = 0;
    if (pending > 0) {
        status = tool_identity_open(home, 1, passfile, &id);
        if (status != 0)
            goto out;
        tool_recover_ctx ctx = {.out = stdout, .failed = 0, .prose = 0};
        rc = tamga_recover(home, case_id, id, tool_recover_report, &ctx, &n);
        if (rc != TAMGA_OK) {
            status = tool_fail(rc, _("cannot recover the unfinished recordings"));
            goto out;
        }
        if (ctx.failed > 0) {
            status = TOOL_EXIT_ERROR;
            goto out;
        }
    }
    if (n == 0)
        printf(_("nothing to recover\n"));
    status = 0;
out:
    tool_release(home, id, c);
    return status;
}

const tool_command tool_cmd_recover = {
    .name = "recover",
    .run = recover_run,
    .summary = N_("seal recordings left unfinished by a crash or power loss"),
    .usage = "tamga recover [--case CASE] [--passphrase-file FILE]",
    .help = N_("Finds every recording that was still being made when tamga stopped without\n"
               "finishing (a crash, a power cut, a killed process), seals what was written\n"
               "to disk (at most about a second of audio is lost), marks it `interrupted`,\n"
               "signs its manifest and logs a `recovered` custody event. Prints one line\n"
               "per recovered recording: its id, length and case; or `nothing to recover`.\n"
               "`tamga record` does the same for its case before it starts. This works on\n"
               "record-only computers too: nothing is decrypted.\n"
               "\n"
               "Options:\n"
               "  -c, --case CASE         only this case (default: every case)\n"
               "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"
               "                          (asked only when there is something to seal)\n"),
};
