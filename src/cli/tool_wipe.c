/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga wipe --yes-destroy-my-keys: emergency crypto-shredding of this
 * machine's secret keys (tamga_wipe_secrets). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tamga/wipe.h"
#include "tool.h"

#define WIPE_FLAG "yes-destroy-my-keys"

static int wipe_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {WIPE_FLAG, no_argument, NULL, 'y'},
        {"json", no_argument, NULL, 'j'},
        TOOL_OPTS_END,
    };
    int yes = 0, json = 0, opt, status;
    /* No abbreviations: the flag must be typed in full. */
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--yes", 5) == 0 && strcmp(argv[i], "--" WIPE_FLAG) != 0)
            return tool_usage_error(_("the flag is --%s, written in full"), WIPE_FLAG);
    while ((opt = tool_getopt(argc, argv, "", opts, &status)) > 0) {
        if (opt == 'y')
            yes = 1;
        else if (opt == 'j')
            json = 1;
    }
    if (opt < 0 || (status = tool_args_none(argc, argv)) != 0)
        return status;
    if (!yes)
        return tool_usage_error(_("this destroys this computer's secret keys for good: "
                                  "add --%s to confirm"),
                                WIPE_FLAG);
    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_wipe_report r;
    int rc = tamga_wipe_secrets(home, &r);
    if (json) {
        printf("{\"identity_destroyed\":%s,\"grants_destroyed\":%zu,\"cases\":%zu,"
               "\"recordings_remaining\":%zu,\"public_identity_remains\":%s,\"failures\":%zu,"
               "\"elapsed_ms\":%.3f}\n",
               r.identity_destroyed ? "true" : "false", r.grants_destroyed, r.cases,
               r.recordings_remaining, r.public_identity_remains ? "true" : "false", r.failures,
               (double)r.elapsed_us / 1000.0);
    } else {
        printf(_("Emergency wipe of %s took %.1f ms.\n"), home, (double)r.elapsed_us / 1000.0);
        printf(_("Destroyed:\n"));
        if (r.identity_destroyed)
            printf(_("  - this computer's secret identity key (identity/secret.key)\n"));
        else if (r.identity_was_missing)
            printf(_("  - (there was no secret identity key here)\n"));
        printf(ngettext("  - %zu case-key grant (keyholders/*.box)\n",
                        "  - %zu case-key grants (keyholders/*.box)\n", r.grants_destroyed),
               r.grants_destroyed);
        printf(_("What remains:\n"));
        printf(ngettext("  - %zu encrypted recording in %zu case(s): this computer can no "
                        "longer decrypt it;\n    it still verifies, and other keyholders can "
                        "still decrypt their copies\n",
                        "  - %zu encrypted recordings in %zu case(s): this computer can no "
                        "longer decrypt them;\n    they still verify, and other keyholders can "
                        "still decrypt their copies\n",
                        r.recordings_remaining),
               r.recordings_remaining, r.cases);
        printf(_("  - manifests, custody logs and public keys (no secrets; the public\n"
                 "    manifests show titles, dates and durations)\n"));
        if (r.public_identity_remains)
            printf(_("  - the public identity file (identity/public.json): it names you\n"));
    }
    free(home);
    if (rc != TAMGA_OK) {
        tool_fail(rc, _("some secret files could not be destroyed"));
        return TOOL_EXIT_ERROR;
    }
    return TOOL_EXIT_OK;
}

const tool_command tool_cmd_wipe = {
    .name = "wipe",
    .run = wipe_run,
    .summary = N_("emergency: destroy this computer's secret keys"),
    .usage = "tamga wipe --yes-destroy-my-keys [--json]",
    .help = N_("Destroys, in well under a second, the secret keys this computer holds: the\n"
               "identity's secret file and every case-key grant (each overwritten with\n"
               "random bytes, flushed to disk and removed). The encrypted recordings stay\n"
               "but can no longer be decrypted here; they still verify. Recording into an\n"
               "existing case needs no secret key, but signing does: create or import a\n"
               "new identity afterwards. This cannot be undone.\n"
               "\n"
               "Options:\n"
               "  --yes-destroy-my-keys  required, in full: confirms the wipe\n"
               "  --json                 print the report as a JSON object\n"),
};
