/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga: the command-line tool. Global options, then a table of commands. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <opus.h>
#include <portaudio.h>
#include <sodium.h>

#include "tool.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

const tool_command *const tool_commands[] = {
    &tool_cmd_id,
    &tool_cmd_case,
    &tool_cmd_record,
    &tool_cmd_devices,
    &tool_cmd_recover,
    &tool_cmd_verify,
    &tool_cmd_decrypt,
    &tool_cmd_play,
    &tool_cmd_log,
    &tool_cmd_export,
    &tool_cmd_import,
    &tool_cmd_trust,
    &tool_cmd_wipe,
    &tool_cmd_help,
    NULL,
};

const tool_command *tool_find_command(const tool_command *const *table, const char *name)
{
    for (size_t i = 0; table[i] != NULL; i++)
        if (strcmp(table[i]->name, name) == 0)
            return table[i];
    return NULL;
}

int tool_run_command(const tool_command *cmd, int argc, char **argv)
{
    tool_current = cmd;
    if (cmd->subs != NULL) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            tool_print_help(stdout, cmd);
            return TOOL_EXIT_OK;
        }
        const tool_command *sub = argc >= 2 ? tool_find_command(cmd->subs, argv[1]) : NULL;
        if (sub != NULL)
            return tool_run_command(sub, argc - 1, argv + 1);
        if (cmd->run == NULL) {
            if (argc < 2)
                fprintf(stderr, _("tamga: `tamga %s` needs a command after it\n"), cmd->name);
            else
                tool_error(_("`%s` is not a command of `tamga %s`"), argv[1], cmd->name);
            fputc('\n', stderr);
            tool_print_help(stderr, cmd);
            return TOOL_EXIT_ERROR;
        }
    }
    /* Each command's options are read afresh (tool_getopt). */
    optind = 1;
    opterr = 0;
    return cmd->run(argc, argv);
}

void tool_print_main_help(FILE *out)
{
    fprintf(out, _("usage: tamga [--home DIR] COMMAND [ARGS]\n"
                   "\n"
                   "tamga records testimony into encrypted, signed case folders, and checks\n"
                   "that nothing in them was changed.\n"
                   "\n"
                   "Commands:\n"));
    for (size_t i = 0; tool_commands[i] != NULL; i++)
        fprintf(out, "  %-9s %s\n", tool_commands[i]->name, _(tool_commands[i]->summary));
    fprintf(out, _("\n"
                   "Options:\n"
                   "  --home DIR  the tamga data folder (default: $TAMGA_HOME, else\n"
                   "              $XDG_DATA_HOME/tamga, else ~/.local/share/tamga)\n"
                   "  --version   show the version\n"
                   "  --help      show this help\n"
                   "\n"
                   "Run `tamga help COMMAND` (or `tamga COMMAND --help`) to learn more about a\n"
                   "command.\n"
                   "\n"
                   "Exit status: 0 success; 1 verification failed (something was changed or is\n"
                   "missing); 2 any other error (wrong usage, unreadable file, wrong passphrase,\n"
                   "not a keyholder, refusal to overwrite).\n"));
}

/* The versions of tamga and of the libraries it runs with (not built with). */
static void print_version(void)
{
    const char *opus = opus_get_version_string();
    if (strncmp(opus, "libopus ", 8) == 0)
        opus += 8;
    const char *pa = Pa_GetVersionText();
    if (strncmp(pa, "PortAudio ", 10) == 0)
        pa += 10;
    printf("tamga %s\n", tamga_version());
    printf("git revision: %s\n", tamga_git_revision());
    printf("libsodium: %s\n", sodium_version_string());
    printf("libopus: %s\n", opus);
    printf("PortAudio: %s\n", pa);
}

static int main_usage_hint(void)
{
    fprintf(stderr, _("usage: tamga [--home DIR] COMMAND [ARGS]\n"
                      "Try `tamga --help` for the list of commands.\n"));
    return TOOL_EXIT_ERROR;
}

static int finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, _("tamga: cannot write the output\n"));
        return TOOL_EXIT_ERROR;
    }
    return status;
}

int main(int argc, char **argv)
{
    if (tamga_init() != TAMGA_OK) {
        fprintf(stderr, "tamga: cannot start: %s\n", tamga_strerror(TAMGA_ERR_CRYPTO));
        return TOOL_EXIT_ERROR;
    }
    setlocale(LC_ALL, "");
    /* Messages in the user's language: TAMGA_LOCALEDIR (a build tree's
     * locale/ folder, for tests) overrides the installed catalogues. */
    const char *localedir = getenv("TAMGA_LOCALEDIR");
    if (localedir == NULL || localedir[0] == '\0')
        localedir = LOCALEDIR;
    bindtextdomain("tamga", localedir);
    bind_textdomain_codeset("tamga", "UTF-8");
    textdomain("tamga");

    /* Global options come before the command; parsed by hand so getopt_long
     * starts fresh for the command's own options. */
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--home") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                tool_error(_("option %s needs a folder"), a);
                return main_usage_hint();
            }
            tool_home_override = argv[i + 1];
            i += 2;
        } else if (strncmp(a, "--home=", 7) == 0) {
            if (a[7] == '\0') {
                tool_error(_("option %s needs a folder"), "--home");
                return main_usage_hint();
            }
            tool_home_override = a + 7;
            i++;
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            print_version();
            return finish(TOOL_EXIT_OK);
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            tool_print_main_help(stdout);
            return finish(TOOL_EXIT_OK);
        } else {
            tool_error(_("unknown option %s"), a);
            return main_usage_hint();
        }
    }
    if (i >= argc) {
        tool_error(_("a command is needed, such as `tamga record` or `tamga verify`"));
        return main_usage_hint();
    }
    const tool_command *cmd = tool_find_command(tool_commands, argv[i]);
    if (cmd == NULL) {
        tool_error(_("`%s` is not a tamga command"), argv[i]);
        return main_usage_hint();
    }
    return finish(tool_run_command(cmd, argc - i, argv + i));
}
