/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga import FILE.age: check everything, then store or merge the case. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tamga/bundle.h"
#include "tool.h"

static int import_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"passphrase", no_argument, NULL, 'P'},
        {"bundle-passphrase-file", required_argument, NULL, 'B'},
        {"passphrase-file", required_argument, NULL, 'p'},
        {"dry-run", no_argument, NULL, 'n'},
        TOOL_OPTS_END,
    };
    const char *passfile = NULL, *bpassfile = NULL;
    int use_pass = 0, dry = 0, opt, status;
    while ((opt = tool_getopt(argc, argv, "n", opts, &status)) > 0) {
        switch (opt) {
        case 'P':
            use_pass = 1;
            break;
        case 'B':
            bpassfile = optarg;
            use_pass = 1;
            break;
        case 'p':
            passfile = optarg;
            break;
        case 'n':
            dry = 1;
            break;
        }
    }
    if (opt < 0 || (status = tool_args_one(argc, argv, _("which bundle? Give FILE.age"))) != 0)
        return status;
    const char *file = argv[optind];
    char *home = NULL;
    tamga_identity *id = NULL;
    if ((status = tool_home_identity(&home, 1, passfile, &id)) != 0)
        return status;
    char *bpass = NULL;
    size_t bplen = 0;
    if (use_pass && (status = tool_passphrase_read(bpassfile, _("Bundle passphrase: "), 0, &bpass,
                                                   &bplen)) != 0)
        goto out;
    tamga_import_result res;
    int rc =
        tamga_bundle_import(home, file, id, bpass, bplen, dry ? TAMGA_BUNDLE_DRY_RUN : 0, &res);
    if (rc != TAMGA_OK) {
        /* A bundle that does not verify is a failed verification (1). */
        status = tool_fail_status(rc, rc == TAMGA_ERR_AUTH ? TOOL_EXIT_FAILED : TOOL_EXIT_ERROR,
                                  _("cannot import"));
        goto out;
    }
    printf("%s\n", res.case_id);
    fprintf(stderr, "%s", dry ? _("Dry run: everything checks out; nothing was written.\n") : "");
    fprintf(stderr,
            _("Case \"%s\" (%s): %s; %zu recording%s in the bundle, %zu new here; "
              "%zu custody log%s extended, %zu branch%s added.\n"),
            res.title, res.case_id, res.new_case ? _("new here") : _("merged"),
            res.recordings_total, res.recordings_total == 1 ? "" : "s", res.recordings_added,
            res.logs_extended, res.logs_extended == 1 ? "" : "s", res.branches_added,
            res.branches_added == 1 ? "" : "es");
    status = 0;
out:
    if (bpass)
        tool_passphrase_free(bpass);
    tool_release(home, id, NULL);
    return status;
}

const tool_command tool_cmd_import = {
    .name = "import",
    .run = import_run,
    .summary = N_("check and store a bundle (new case, or merged into the one here)"),
    .usage = "tamga import FILE.age [--passphrase [--bundle-passphrase-file F]] [--dry-run]\n"
             "             [--passphrase-file FILE]",
    .help = N_("Decrypts the bundle, checks every tar member (no absolute paths, \"..\",\n"
               "links, devices or duplicates; sizes bounded), unpacks it into a staging\n"
               "folder inside the data folder, verifies every hash, signature and chain,\n"
               "then stores the case or merges it into the one here (new recordings added;\n"
               "custody logs extended, or kept beside as branches when both sides went on).\n"
               "A history that contradicts the local one is refused; nothing is changed.\n"
               "A signed \"received\" custody event is logged.\n"
               "\n"
               "Exit status: 0 stored, 1 the bundle does not verify, 2 any other error.\n"),
};
