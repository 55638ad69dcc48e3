/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga help [COMMAND [SUBCOMMAND]] */
#include <stdio.h>
#include <string.h>

#include "tool.h"

static int help_run(int argc, char **argv)
{
    if (argc < 2) {
        tool_print_main_help(stdout);
        return TOOL_EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        tool_print_help(stdout, &tool_cmd_help);
        return TOOL_EXIT_OK;
    }
    const tool_command *cmd = tool_find_command(tool_commands, argv[1]);
    if (cmd == NULL)
        return tool_usage_error(_("`%s` is not a tamga command"), argv[1]);
    int i = 2;
    while (i < argc && cmd->subs != NULL) {
        const tool_command *sub = tool_find_command(cmd->subs, argv[i]);
        if (sub == NULL)
            return tool_usage_error(_("`%s` is not a command of `tamga %s`"), argv[i], cmd->name);
        cmd = sub;
        i++;
    }
    if (i < argc)
        return tool_usage_error(_("too many words after `tamga help`"));
    tool_print_help(stdout, cmd);
    return TOOL_EXIT_OK;
}

const tool_command tool_cmd_help = {
    .name = "help",
    .run = help_run,
    .summary = N_("show help for tamga or one of its commands"),
    .usage = "tamga help [COMMAND [SUBCOMMAND]]",
    .help = N_("Examples:\n"
               "  tamga help\n"
               "  tamga help record\n"
               "  tamga help case new\n"),
};
