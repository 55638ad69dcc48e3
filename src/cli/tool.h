/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The commands of the tamga tool, one file each. */
#ifndef TAMGA_TOOL_H
#define TAMGA_TOOL_H

#include "tool_util.h"

extern const tool_command tool_cmd_id;      /* tool_id.c */
extern const tool_command tool_cmd_case;    /* tool_case.c */
extern const tool_command tool_cmd_record;  /* tool_record.c */
extern const tool_command tool_cmd_devices; /* tool_devices.c */
extern const tool_command tool_cmd_recover; /* tool_recover.c */
extern const tool_command tool_cmd_play;    /* tool_play.c */
extern const tool_command tool_cmd_verify;  /* tool_verify.c */
extern const tool_command tool_cmd_decrypt; /* tool_decrypt.c */
extern const tool_command tool_cmd_log;     /* tool_log.c */
extern const tool_command tool_cmd_export;  /* tool_export.c */
extern const tool_command tool_cmd_import;  /* tool_import.c */
extern const tool_command tool_cmd_trust;   /* tool_trust.c */
extern const tool_command tool_cmd_wipe;    /* tool_wipe.c */
extern const tool_command tool_cmd_help;    /* tool_help.c */

/* All top-level commands, NULL-terminated (tool_main.c). */
extern const tool_command *const tool_commands[];

/* Finds a command by name in a NULL-terminated table, or NULL. */
const tool_command *tool_find_command(const tool_command *const *table, const char *name);
/* Runs `cmd` with argv starting at its name: dispatches to a subcommand, prints
 * help for a lone --help, sets tool_current. Returns the exit status. */
int tool_run_command(const tool_command *cmd, int argc, char **argv);
/* The list of commands shown by `tamga --help`. */
void tool_print_main_help(FILE *out);

#endif
