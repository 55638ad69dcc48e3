/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga trust add|list|rename|remove: the people whose keys this machine knows by name. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tamga/trust.h"
#include "tool.h"

enum { ROSTER_ADD, ROSTER_REMOVE, ROSTER_RENAME };

/* Loads the trust roster of the data folder, makes one change (add `pub` as
 * `a`; remove `a`; rename `a` to `b`) and saves it. Prints `fail` and returns
 * 2 on error. */
static int roster_change(int change, const tamga_pubid *pub, const char *a, const char *b,
                         const char *fail)
{
    char *home = NULL;
    int status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_trust_roster r;
    int rc = tamga_trust_load(home, &r);
    if (rc == TAMGA_OK)
        rc = change == ROSTER_ADD      ? tamga_trust_add(&r, pub, a)
             : change == ROSTER_REMOVE ? tamga_trust_remove(&r, a)
                                       : tamga_trust_rename(&r, a, b);
    if (rc == TAMGA_OK)
        rc = tamga_trust_save(home, &r);
    tamga_trust_clear(&r);
    free(home);
    return rc == TAMGA_OK ? 0 : tool_fail(rc, fail);
}

static int trust_add(int argc, char **argv)
{
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'},
        TOOL_OPTS_END,
    };
    const char *name = NULL;
    int opt, status;
    while ((opt = tool_getopt(argc, argv, "n:", opts, &status)) > 0)
        if (opt == 'n')
            name = optarg;
    if (opt < 0 || (status = tool_args_one(argc, argv, _("which public identity file?"))) != 0)
        return status;
    tamga_pubid pub;
    int rc = tamga_pubid_load(argv[optind], &pub);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot read the public identity"));
    status = roster_change(ROSTER_ADD, &pub, name, NULL, _("cannot add to the trust roster"));
    if (status != 0)
        return status;
    char kid[17];
    tamga_keyid_format(pub.keynum, kid);
    printf(_("trusted %s as \""), kid);
    tool_put_safe(stdout, name ? name : pub.name);
    printf("\"\n");
    return 0;
}

static int trust_list(int argc, char **argv)
{
    int json, status;
    if (!tool_parse_json(argc, argv, 0, NULL, &json, &status))
        return status;
    char *home = NULL;
    status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_trust_roster r;
    int rc = tamga_trust_load(home, &r);
    free(home);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot read the trust roster"));
    if (json) {
        char *t = NULL;
        rc = tamga_trust_to_json(&r, &t);
        tamga_trust_clear(&r);
        if (rc != TAMGA_OK)
            return tool_fail(rc, _("cannot list"));
        fputs(t, stdout);
        free(t);
        return 0;
    }
    for (size_t i = 0; i < r.count; i++) {
        char kid[17];
        tamga_keyid_format(r.entries[i].keynum, kid);
        printf("%s  ", kid);
        tool_put_safe(stdout, r.entries[i].name);
        printf("  (added %s)\n", r.entries[i].added);
    }
    if (r.count == 0)
        fprintf(stderr, _("The trust roster is empty: add people with `tamga trust add`.\n"));
    tamga_trust_clear(&r);
    return 0;
}

static int trust_remove(int argc, char **argv)
{
    static const struct option opts[] = {TOOL_OPTS_END};
    int status;
    if (tool_getopt(argc, argv, "", opts, &status) < 0)
        return status;
    if (optind + 1 != argc)
        return tool_usage_error(_("give one NAME or KEYID"));
    return roster_change(ROSTER_REMOVE, NULL, argv[optind], NULL,
                         _("cannot remove from the trust roster"));
}

static int trust_rename(int argc, char **argv)
{
    static const struct option opts[] = {TOOL_OPTS_END};
    int status;
    if (tool_getopt(argc, argv, "", opts, &status) < 0)
        return status;
    if (optind + 2 != argc)
        return tool_usage_error(_("give the OLD name or KEYID and the NEW name"));
    return roster_change(ROSTER_RENAME, NULL, argv[optind], argv[optind + 1],
                         _("cannot rename in the trust roster"));
}

static const tool_command trust_add_cmd = {
    .name = "add",
    .run = trust_add,
    .summary = N_("trust a public identity file under a name"),
    .usage = "tamga trust add PUBLIC-IDENTITY-FILE [--name NAME]",
    .help = N_("Check the key id with its owner by another channel first.\n"),
};
static const tool_command trust_list_cmd = {
    .name = "list",
    .run = trust_list,
    .summary = N_("list trusted people"),
    .usage = "tamga trust list [--json]",
    .help = N_("  --json   the roster as JSON (docs/FORMAT.md)\n"),
};
static const tool_command trust_rename_cmd = {
    .name = "rename",
    .run = trust_rename,
    .summary = N_("give a trusted person a new name"),
    .usage = "tamga trust rename OLD-NAME|KEYID NEW-NAME",
    .help = N_("Verification reports show the new name from then on.\n"),
};
static const tool_command trust_remove_cmd = {
    .name = "remove",
    .run = trust_remove,
    .summary = N_("remove a person by name or key id"),
    .usage = "tamga trust remove NAME|KEYID",
    .help = N_("Their signatures then verify as an unknown key.\n"),
};
static const tool_command *const trust_subs[] = {&trust_add_cmd, &trust_list_cmd, &trust_rename_cmd,
                                                 &trust_remove_cmd, NULL};

const tool_command tool_cmd_trust = {
    .name = "trust",
    .run = NULL,
    .summary = N_("the trust roster: who signed, by name"),
    .usage = "tamga trust add|list|rename|remove ...",
    .help = N_("Verification names signers found in the roster and warns about unknown keys.\n"),
    .subs = trust_subs,
};
