/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared helpers of the tamga command-line tool: the subcommand table type,
 * error lines and exit statuses, passphrases, the data folder, the identity
 * of this machine, and cases. Every function that prints an error returns the
 * exit status the command should end with. */
#ifndef TAMGA_TOOL_UTIL_H
#define TAMGA_TOOL_UTIL_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libintl.h>

#include "tamga/recorder.h"
#include "tamga/tamga.h"

/* Translates a user-visible string (gettext, text domain "tamga"; see
 * po/ and docs/TRANSLATING.md). N_() only marks a string for extraction:
 * translate it with _() where it is printed. */
#define _(s)  gettext(s)
#define N_(s) (s)

/* Exit statuses (as minisign): 1 = verification failed, 2 = anything else. */
enum {
    TOOL_EXIT_OK = 0,
    TOOL_EXIT_FAILED = 1,
    TOOL_EXIT_ERROR = 2,
};

#define TOOL_PASSPHRASE_MAX 1024 /* bytes */

/* A command or subcommand. `run` gets argv starting at the command's own name.
 * A command with `subs` dispatches on its first argument; if that is not one of
 * the subcommands and `run` is set, `run` handles it. */
typedef struct tool_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary; /* one line, for the command list */
    const char *usage;   /* "tamga id new --name NAME [...]"; lines separated by \n */
    const char *help;    /* description and options, printed after the usage */
    const struct tool_command *const *subs; /* NULL-terminated, or NULL */
} tool_command;

/* Set by main() before a command runs. */
extern const char *tool_home_override;   /* --home, or NULL */
extern const tool_command *tool_current; /* the command being run, for usage errors */

/* ---- messages ---- */
/* "tamga: <what>: <tamga_strerror(code)>[ (<detail>)]" on stderr; returns 2. */
int tool_fail(int code, const char *what);
/* The same with a chosen exit status. */
int tool_fail_status(int code, int status, const char *what);
/* "tamga: <formatted>" on stderr; returns 2. */
int tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "tamga: warning: <formatted>" on stderr. */
void tool_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the usage of the current command and a hint to stderr; returns 2. */
int tool_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For getopt_long's results 'h' (prints the help of the current command to
 * stdout, returns 0), ':' and '?' (usage error, returns 2). Set opterr = 0 and
 * start optstring with ":". */
int tool_getopt_other(int opt, char **argv);
/* The last entries of every command's option table: --help, then the end. */
#define TOOL_OPTS_END                                                                              \
    {"help", no_argument, NULL, 'h'},                                                              \
    {                                                                                              \
        NULL, 0, NULL, 0                                                                           \
    }
/* The next option of the current command: getopt_long over argv with `opts`
 * (ending with TOOL_OPTS_END) and the short options ":h" followed by `shorts`
 * (tool_run_command resets getopt before a command runs). Returns the option's
 * value; 0 when the options are done (optind is then at the first positional
 * argument); or -1 when the command ends now with `*status`: 0 after -h or
 * --help printed the help, 2 after a usage error (missing value, unknown
 * option). Use:
 *     while ((opt = tool_getopt(argc, argv, "o:", opts, &status)) > 0)
 *         switch (opt) { ... }
 *     if (opt < 0 || (status = tool_args_none(argc, argv)) != 0)
 *         return status; */
int tool_getopt(int argc, char **argv, const char *shorts, const struct option *opts, int *status);
/* After the options, no positional argument may follow: 0, or a usage error
 * naming the first one (2). */
int tool_args_none(int argc, char **argv);
/* After the options, exactly one positional argument (argv[optind]): 0, or a
 * usage error (2): `missing` (translated) when there is none, else naming the
 * second. */
int tool_args_one(int argc, char **argv, const char *missing);
/* The options of a command whose only option is --json (or --passphrase-file
 * FILE), then `nargs` positional arguments: 0 or 1 (as tool_args_none /
 * tool_args_one with `missing`), or TOOL_ARGS_ANY (the caller checks them).
 * Returns 1 when the command goes on, with `*json` (`*passfile`, else NULL)
 * set; else 0 with the exit status to end with in `*status` (0 after --help,
 * 2 after a usage error). */
enum { TOOL_ARGS_ANY = -1 };
int tool_parse_json(int argc, char **argv, int nargs, const char *missing, int *json, int *status);
int tool_parse_passfile(int argc, char **argv, int nargs, const char *missing,
                        const char **passfile, int *status);
/* Prints the full help of `cmd` to `out`. */
void tool_print_help(FILE *out, const tool_command *cmd);
/* Writes `s` with control characters replaced, so text from files cannot
 * drive the terminal. */
void tool_put_safe(FILE *out, const char *s);

/* ---- formatting ---- */
/* "1:02:03" or "2:03" (minutes:seconds) from milliseconds. */
void tool_format_duration(int64_t ms, char *out, size_t outlen);
/* "812 bytes", "12.3 KB", "4.5 MB", "1.2 GB" (powers of 1000). */
void tool_format_size(uint64_t bytes, char *out, size_t outlen);
/* Lower-case hex of `len` bytes; `out` holds 2*len+1. */
void tool_hex(const uint8_t *in, size_t len, char *out);
/* Parses a decimal integer in [min, max]; 0 on success, -1 otherwise. */
int tool_parse_int(const char *s, long min, long max, long *out);

/* ---- argument checks (the library checks again) ---- */
int tool_valid_consent(const char *s);
int tool_valid_date(const char *s);     /* YYYY-MM-DD, a real calendar date */
int tool_valid_language(const char *s); /* 2..15 of [A-Za-z0-9-] */

/* ---- passphrases ---- */
/* Reads a passphrase into sodium_malloc'd memory (NUL-terminated, at most
 * TOOL_PASSPHRASE_MAX bytes): from the first line of `file` if not NULL, else
 * from the terminal without echo ("Passphrase: "; with `confirm`, asked twice).
 * On error prints the line and returns 2 with `*pass` NULL. Release with
 * tool_passphrase_free. */
int tool_passphrase_read(const char *file, const char *prompt, int confirm, char **pass,
                         size_t *len);
void tool_passphrase_free(char *pass);
/* 1 when a terminal is available for asking (the passphrase can be retried). */
int tool_have_tty(void);

/* ---- the data folder and this machine's identity ---- */
/* Resolves the data folder (malloc'd). Prints and returns 2 on error. */
int tool_home(char **home);
/* 1 if <home>/identity/secret.key exists. */
int tool_identity_exists(const char *home);
/* 0 if an identity exists in `home`; else prints that there is none (as
 * tool_identity_open) and returns 2. For the checks made before a passphrase
 * is asked. */
int tool_identity_needed(const char *home);
/* Loads this machine's identity; with `unlock`, asks for the passphrase (from
 * `passfile` or the terminal) and unlocks it. Prints and returns 2 on error
 * (no identity yet, unreadable file, wrong passphrase). */
int tool_identity_open(const char *home, int unlock, const char *passfile, tamga_identity **out);
/* tool_home, then tool_identity_open: on error prints, frees what it made and
 * returns 2 with `*home` and `*id` NULL. Release both with tool_release. */
int tool_home_identity(char **home, int unlock, const char *passfile, tamga_identity **id);
/* Loads the public part if an identity exists (without a passphrase). Returns
 * 1 and fills `pub` if it does, 0 if there is none or it cannot be read. */
int tool_identity_public(const char *home, tamga_pubid *pub);

/* ---- cases ---- */
/* Opens a case by id, prefix or title, or a case folder given as a path with a
 * slash. Prints and returns 2 on error. */
int tool_case_open(const char *home, const char *ref, tamga_case **out);
/* tool_home, then tool_case_open: on error prints, frees what it made and
 * returns 2 with `*home` and `*c` NULL. */
int tool_home_case(char **home, const char *ref, tamga_case **c);
/* Frees what a command opened: the data folder's path, the identity and the
 * case (each may be NULL). */
void tool_release(char *home, tamga_identity *id, tamga_case *c);
/* Key id text of `keynum` plus " (you)" when it is `me` (may be NULL). */
void tool_keyid(const uint8_t keynum[TAMGA_KEYNUM_BYTES], const tamga_pubid *me, char *out,
                size_t outlen);
/* Reads and parses a recording's manifest (no signature check): TAMGA_OK or an
 * error code (nothing printed). Clear with tamga_manifest_clear. */
int tool_manifest_load(const tamga_case *c, const char *recording_id, tamga_manifest *m);
/* Writes a malloc'd JSON text and a newline to stdout; frees it. Returns 0/2. */
int tool_put_json(char *text);

/* Finds a recording named by the path of its .tamga file, or by an id or the
 * start of one in `case_ref` (when not NULL) or else in every case. Sets `*c`
 * and `*rec_id` (malloc'd). Prints and returns 2 on error. */
int tool_recording_resolve(const char *home, const char *case_ref, const char *ref, tamga_case **c,
                           char **rec_id);

/* ---- recovery ---- */
typedef struct {
    FILE *out;  /* where the lines of recovered recordings go */
    int failed; /* how many could not be sealed (each printed as an error) */
    int prose;  /* 1: a sentence for `tamga record`; 0: the line of `tamga recover` */
} tool_recover_ctx;
/* A tamga_recover_fn: prints "recovered <id>  <length>  case <id>  (interrupted,
 * sealed and signed)" to ctx->out, or an error line. */
void tool_recover_report(void *user, const char *case_id, const char *recording_id,
                         int64_t duration_ms, int rc);

/* ---- live commands: stop signals, keys, the status line ---- */
/* SIGINT, SIGTERM, SIGHUP and SIGQUIT only set a flag (blocking calls return
 * with EINTR); SIGTSTP is ignored. tool_stop_signals_restore puts back what was
 * there before. */
void tool_stop_signals_install(void);
void tool_stop_signals_restore(void);
/* The number of the stop signal that arrived, or 0. */
int tool_stop_requested(void);
/* Puts the terminal on standard input in key mode (no echo, no line editing;
 * Ctrl-C still stops). 0, or -1 when standard input is not a terminal. The
 * terminal is put back by tool_keys_end, and at exit. */
int tool_keys_begin(void);
void tool_keys_end(void);
enum { TOOL_KEY_NONE = 0, TOOL_KEY_EOF = -1, TOOL_KEY_LEFT = 0x101, TOOL_KEY_RIGHT = 0x102 };
/* Waits up to timeout_ms for a key: its byte, TOOL_KEY_LEFT/RIGHT, TOOL_KEY_NONE
 * (nothing, or a signal arrived) or TOOL_KEY_EOF. */
int tool_keys_read(int timeout_ms);
/* The width of the terminal on `fd` (80 when unknown). */
int tool_term_columns(int fd);
/* 1 when the locale's character set is UTF-8. */
int tool_utf8(void);

#endif
