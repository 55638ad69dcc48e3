/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga trust add|list|rename|remove: the people whose keys this machine knows by name. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tamga/trust.h"
#include "tool.h"

static int trust_add(int argc, char **argv)
{
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *name = NULL;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hn:", opts, NULL)) != -1) {
        if (opt == 'n')
            name = optarg;
        else
            return tool_getopt_other(opt, argv);
    }
    if (optind >= argc)
        return tool_usage_error(_("which public identity file?"));
    if (optind + 1 < argc)
        return tool_usage_error(_("unexpected argument \"%s\""), argv[optind + 1]);
    tamga_pubid pub;
    int rc = tamga_pubid_load(argv[optind], &pub);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot read the public identity"));
    char *home = NULL;
    int status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_trust_roster r;
    rc = tamga_trust_load(home, &r);
    if (rc == TAMGA_OK)
        rc = tamga_trust_add(&r, &pub, name);
    if (rc == TAMGA_OK)
        rc = tamga_trust_save(home, &r);
    tamga_trust_clear(&r);
    free(home);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot add to the trust roster"));
    char kid[17];
    tamga_keyid_format(pub.keynum, kid);
    printf(_("trusted %s as \""), kid);
    tool_put_safe(stdout, name ? name : pub.name);
    printf("\"\n");
    return 0;
}

static int trust_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (opt == 'j')
            json = 1;
        else
            return tool_getopt_other(opt, argv);
    }
    if (optind < argc)
        return tool_usage_error(_("unexpected argument \"%s\""), argv[optind]);
    char *home = NULL;
    int status = tool_home(&home);
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
    optind = 1;
    opterr = 0;
    int opt;
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
        return tool_getopt_other(opt, argv);
    if (optind + 1 != argc)
        return tool_usage_error(_("give one NAME or KEYID"));
    char *home = NULL;
    int status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_trust_roster r;
    int rc = tamga_trust_load(home, &r);
    if (rc == TAMGA_OK)
        rc = tamga_trust_remove(&r, argv[optind]);
    if (rc == TAMGA_OK)
        rc = tamga_trust_save(home, &r);
    tamga_trust_clear(&r);
    free(home);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot remove from the trust roster"));
    return 0;
}

static int trust_rename(int argc, char **argv)
{
    optind = 1;
    opterr = 0;
    int opt;
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
        return tool_getopt_other(opt, argv);
    if (optind + 2 != argc)
        return tool_usage_error(_("give the OLD name or KEYID and the NEW name"));
    char *home = NULL;
    int status = tool_home(&home);
    if (status != 0)
        return status;
    tamga_trust_roster r;
    int rc = tamga_trust_load(home, &r);
    if (rc == TAMGA_OK)
        rc = tamga_trust_rename(&r, argv[optind], argv[optind + 1]);
    if (rc == TAMGA_OK)
        rc = tamga_trust_save(home, &r);
    tamga_trust_clear(&r);
    free(home);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot rename in the trust roster"));
    return 0;
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
