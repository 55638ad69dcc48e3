/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared helpers of the tamga command-line tool. */
#include "tool_util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "util.h"

const char *tool_home_override = NULL;
const tool_command *tool_current = NULL;

/* ---- messages ---------------------------------------------------------- */

int tool_fail_status(int code, int status, const char *what)
{
    const char *detail = tamga_error_detail();
    fputs("tamga: ", stderr);
    tool_put_safe(stderr, what);
    fputs(": ", stderr);
    fputs(_(tamga_strerror(code)), stderr);
    if (detail != NULL && detail[0] != '\0') {
        fputs(" (", stderr);
        tool_put_safe(stderr, detail);
        fputs(")", stderr);
    }
    fputc('\n', stderr);
    return status;
}

int tool_fail(int code, const char *what)
{
    return tool_fail_status(code, TOOL_EXIT_ERROR, what);
}

static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    fputs(prefix, stderr);
    tool_put_safe(stderr, buf);
    fputc('\n', stderr);
}

int tool_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("tamga: ", fmt, ap);
    va_end(ap);
    return TOOL_EXIT_ERROR;
}

void tool_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(_("tamga: warning: "), fmt, ap);
    va_end(ap);
}

int tool_usage_error(const char *fmt, ...)
{
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vmessage("tamga: ", fmt, ap);
        va_end(ap);
    }
    if (tool_current != NULL) {
        const char *u = tool_current->usage;
        fprintf(stderr, _("usage: "));
        for (const char *p = u; *p; p++) {
            fputc(*p, stderr);
            if (*p == '\n' && p[1] != '\0')
                fputs("       ", stderr);
        }
        fputc('\n', stderr);
    }
    fprintf(stderr, _("Try `tamga help` or add --help after the command for more.\n"));
    return TOOL_EXIT_ERROR;
}

int tool_getopt_other(int opt, char **argv)
{
    if (opt == 'h') {
        tool_print_help(stdout, tool_current);
        return TOOL_EXIT_OK;
    }
    /* A long option is named by the word that held it, a short one by optopt. */
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    char name[64];
    if (strncmp(arg, "--", 2) == 0)
        snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
    else
        snprintf(name, sizeof name, "-%c", optopt > 0 ? optopt : '?');
    if (opt == ':')
        return tool_usage_error(_("option %s needs a value"), name);
    if (optopt != 0 && strncmp(arg, "--", 2) == 0 && strchr(arg, '=') != NULL)
        return tool_usage_error(_("option %s does not take a value"), name);
    return tool_usage_error(_("unknown option %s"), name);
}

int tool_getopt(int argc, char **argv, const char *shorts, const struct option *opts, int *status)
{
    char optstring[64];
    snprintf(optstring, sizeof optstring, ":h%s", shorts);
    *status = 0;
    int opt = getopt_long(argc, argv, optstring, opts, NULL);
    if (opt == -1)
        return 0;
    if (opt == 'h' || opt == ':' || opt == '?') {
        *status = tool_getopt_other(opt, argv);
        return -1;
    }
    return opt;
}

int tool_args_none(int argc, char **argv)
{
    if (optind < argc)
        return tool_usage_error(_("unexpected argument \"%s\""), argv[optind]);
    return 0;
}

int tool_args_one(int argc, char **argv, const char *missing)
{
    if (optind >= argc)
        return tool_usage_error("%s", missing);
    if (optind + 1 < argc)
        return tool_usage_error(_("unexpected argument \"%s\""), argv[optind + 1]);
    return 0;
}

/* For a command with one option, opts[0]: `*value` is its last value ("" for
 * a flag) or stays as it was. */
static int parse_one_option(int argc, char **argv, const struct option *opts, int nargs,
                            const char *missing, const char **value, int *status)
{
    int opt;
    while ((opt = tool_getopt(argc, argv, "", opts, status)) > 0)
        *value = opts[0].has_arg == no_argument ? "" : optarg;
    if (opt == 0 && nargs == 0)
        *status = tool_args_none(argc, argv);
    else if (opt == 0 && nargs == 1)
        *status = tool_args_one(argc, argv, missing);
    return opt == 0 && *status == 0;
}

int tool_parse_json(int argc, char **argv, int nargs, const char *missing, int *json, int *status)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        TOOL_OPTS_END,
    };
    const char *set = NULL;
    int go_on = parse_one_option(argc, argv, opts, nargs, missing, &set, status);
    *json = set != NULL;
    return go_on;
}

int tool_parse_passfile(int argc, char **argv, int nargs, const char *missing,
                        const char **passfile, int *status)
{
    static const struct option opts[] = {
        {"passphrase-file", required_argument, NULL, 'p'},
        TOOL_OPTS_END,
    };
    *passfile = NULL;
    return parse_one_option(argc, argv, opts, nargs, missing, passfile, status);
}

void tool_print_help(FILE *out, const tool_command *cmd)
{
    fprintf(out, _("usage: "));
    for (const char *p = cmd->usage; *p; p++) {
        fputc(*p, out);
        if (*p == '\n' && p[1] != '\0')
            fputs("       ", out);
    }
    fputc('\n', out);
    if (cmd->summary != NULL)
        fprintf(out, "\n%s\n", _(cmd->summary));
    if (cmd->subs != NULL) {
        fprintf(out, _("\nCommands:\n"));
        for (size_t i = 0; cmd->subs[i] != NULL; i++)
            fprintf(out, "  %-10s %s\n", cmd->subs[i]->name, _(cmd->subs[i]->summary));
    }
    if (cmd->help != NULL && cmd->help[0] != '\0')
        fprintf(out, "\n%s", _(cmd->help));
}

void tool_put_safe(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r')
            fputc(' ', out);
        else if (*p < 0x20 || *p == 0x7f)
            fputc('?', out);
        else
            fputc(*p, out);
    }
}

/* ---- formatting -------------------------------------------------------- */

void tool_format_duration(int64_t ms, char *out, size_t outlen)
{
    if (ms < 0)
        ms = 0;
    int64_t s = (ms + 500) / 1000;
    if (s >= 3600)
        snprintf(out, outlen, "%lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60),
                 (long long)(s % 60));
    else
        snprintf(out, outlen, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

void tool_format_size(uint64_t bytes, char *out, size_t outlen)
{
    if (bytes < 1000)
        snprintf(out, outlen, _("%llu bytes"), (unsigned long long)bytes);
    else if (bytes < 1000000)
        snprintf(out, outlen, _("%.1f KB"), (double)bytes / 1e3);
    else if (bytes < 1000000000)
        snprintf(out, outlen, _("%.1f MB"), (double)bytes / 1e6);
    else
        snprintf(out, outlen, _("%.1f GB"), (double)bytes / 1e9);
}

void tool_hex(const uint8_t *in, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
}

int tool_parse_int(const char *s, long min, long max, long *out)
{
    if (s == NULL || *s == '\0')
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    if (strlen(s) > 9)
        return -1;
    long v = strtol(s, NULL, 10);
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* ---- argument checks --------------------------------------------------- */

int tool_valid_consent(const char *s)
{
    return strcmp(s, "public") == 0 || strcmp(s, "anonymised") == 0 || strcmp(s, "internal") == 0;
}

int tool_valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1)
        return 0;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int max = days[month - 1] + (month == 2 && leap);
    return day <= max;
}

int tool_valid_language(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 15)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-'))
            return 0;
    }
    return 1;
}

/* ---- passphrases ------------------------------------------------------- */

/* The terminal state to put back if a signal arrives while echo is off. */
static int tty_fd = -1;
static struct termios tty_saved;
static volatile sig_atomic_t tty_echo_off = 0;
static const int tty_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
#define N_TTY_SIGNALS (sizeof tty_signals / sizeof tty_signals[0])
static struct sigaction tty_old_actions[N_TTY_SIGNALS];

static void tty_restore_on_signal(int sig)
{
    if (tty_echo_off) {
        (void)tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
        tty_echo_off = 0;
        ssize_t w = write(tty_fd, "\n", 1);
        (void)w;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

int tool_have_tty(void)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    close(fd);
    return 1;
}

static int no_tty_error(void)
{
    return tool_error(_("a passphrase is needed: use --passphrase-file FILE or run from a "
                        "terminal"));
}

static void tty_puts(int fd, const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* Reads one line from the terminal without echo into buf (cap bytes incl. NUL).
 * Returns 0, or 2 after printing an error. */
static int tty_read_line(int fd, const char *prompt, char *buf, size_t cap, size_t *len)
{
    struct termios t;
    if (tcgetattr(fd, &t) != 0)
        return no_tty_error();
    tty_saved = t;
    tty_fd = fd;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = tty_restore_on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_TTY_SIGNALS; i++) {
        sigaction(tty_signals[i], &sa, &tty_old_actions[i]);
        if (tty_old_actions[i].sa_handler == SIG_IGN) /* keep what was ignored ignored */
            sigaction(tty_signals[i], &tty_old_actions[i], NULL);
    }

    tty_puts(fd, prompt);
    t.c_lflag &= (tcflag_t) ~(ECHO | ECHONL);
    t.c_lflag |= ICANON;
    tty_echo_off = 1;
    int status = 0;
    if (tcsetattr(fd, TCSAFLUSH, &t) != 0) {
        tty_echo_off = 0;
        status = no_tty_error();
    }

    size_t n = 0;
    int too_long = 0, eof = 0;
    while (status == 0) {
        char ch;
        ssize_t r = read(fd, &ch, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            eof = 1;
            break;
        }
        if (ch == '\n')
            break;
        if (n + 1 < cap)
            buf[n++] = ch;
        else
            too_long = 1;
        ch = 0;
    }
    buf[n] = '\0';

    if (tty_echo_off) {
        (void)tcsetattr(fd, TCSAFLUSH, &tty_saved);
        tty_echo_off = 0;
    }
    for (size_t i = 0; i < N_TTY_SIGNALS; i++)
        sigaction(tty_signals[i], &tty_old_actions[i], NULL);
    tty_puts(fd, "\n");

    if (status != 0)
        return status;
    if (eof && n == 0)
        return tool_error(_("no passphrase was given"));
    if (too_long)
        return tool_error(_("the passphrase is too long (at most %d bytes)"), TOOL_PASSPHRASE_MAX);
    *len = n;
    return 0;
}

static int file_read_line(const char *path, char *buf, size_t cap, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return tool_error(_("cannot read the passphrase file %s: %s"), path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        close(fd);
        return tool_error(_("cannot read the passphrase file %s: not a file"), path);
    }
    /* Read up to cap bytes: enough to hold the longest allowed line, its newline
     * (maybe "\r\n") and to notice a longer one. */
    size_t n = 0;
    int status = 0;
    while (n < cap - 1) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            status = tool_error(_("cannot read the passphrase file %s: %s"), path, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (memchr(buf, '\n', n) != NULL)
            break;
    }
    close(fd);
    if (status != 0)
        return status;
    char *nl = memchr(buf, '\n', n);
    size_t line = nl ? (size_t)(nl - buf) : n;
    if (line > 0 && buf[line - 1] == '\r')
        line--;
    if (line > TOOL_PASSPHRASE_MAX || (nl == NULL && n == cap - 1))
        return tool_error(_("the passphrase in %s is too long (at most %d bytes)"), path,
                          TOOL_PASSPHRASE_MAX);
    if (memchr(buf, '\0', line) != NULL)
        return tool_error(_("the passphrase file %s holds a NUL byte"), path);
    sodium_memzero(buf + line, cap - line);
    if (line == 0)
        return tool_error(_("the passphrase file %s is empty: its first line is the passphrase"),
                          path);
    *len = line;
    return 0;
}

int tool_passphrase_read(const char *file, const char *prompt, int confirm, char **pass,
                         size_t *len)
{
    *pass = NULL;
    *len = 0;
    /* Room for the passphrase, "\r\n", and one byte to notice a longer line. */
    const size_t cap = TOOL_PASSPHRASE_MAX + 4;
    char *buf = sodium_malloc(cap);
    if (buf == NULL)
        return tool_fail(TAMGA_ERR_NOMEM, _("cannot read the passphrase"));
    memset(buf, 0, cap);
    size_t n = 0;
    int status;
    if (file != NULL) {
        status = file_read_line(file, buf, cap, &n);
    } else {
        int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            status = no_tty_error();
        } else {
            status = tty_read_line(fd, prompt ? prompt : _("Passphrase: "), buf,
                                   TOOL_PASSPHRASE_MAX + 1, &n);
            if (status == 0 && n == 0)
                status = tool_error(_("the passphrase cannot be empty"));
            if (status == 0 && confirm) {
                char *again = sodium_malloc(TOOL_PASSPHRASE_MAX + 1);
                size_t m = 0;
                if (again == NULL)
                    status = tool_fail(TAMGA_ERR_NOMEM, _("cannot read the passphrase"));
                else
                    status = tty_read_line(fd, _("Passphrase (again): "), again,
                                           TOOL_PASSPHRASE_MAX + 1, &m);
                if (status == 0 && (m != n || sodium_memcmp(buf, again, n) != 0))
                    status = tool_error(_("the two passphrases are not the same"));
                if (again != NULL)
                    sodium_free(again);
            }
            close(fd);
        }
    }
    if (status != 0) {
        sodium_free(buf);
        return status;
    }
    *pass = buf;
    *len = n;
    return 0;
}

void tool_passphrase_free(char *pass)
{
    if (pass != NULL)
        sodium_free(pass); /* sodium_free wipes before releasing */
}

/* ---- the data folder and identity -------------------------------------- */

int tool_home(char **home)
{
    int rc = tamga_home_resolve(tool_home_override, home);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot find the tamga data folder (use --home DIR)"));
    return 0;
}

int tool_identity_exists(const char *home)
{
    char *p = tamga_home_secret_path(home);
    struct stat st;
    int exists = p != NULL && stat(p, &st) == 0;
    free(p);
    return exists;
}

static int no_identity(const char *home)
{
    return tool_error(_("no identity in %s: create one with `tamga id new --name NAME`"), home);
}

int tool_identity_needed(const char *home)
{
    return tool_identity_exists(home) ? 0 : no_identity(home);
}

int tool_identity_open(const char *home, int unlock, const char *passfile, tamga_identity **out)
{
    *out = NULL;
    if (!tool_identity_exists(home))
        return no_identity(home);
    char *path = tamga_home_secret_path(home);
    if (path == NULL)
        return tool_fail(TAMGA_ERR_NOMEM, _("cannot load identity"));
    tamga_identity *id = NULL;
    int rc = tamga_identity_load(path, &id);
    if (rc != TAMGA_OK) {
        char what[1200];
        snprintf(what, sizeof what, _("cannot read identity %s"), path);
        free(path);
        return tool_fail(rc, what);
    }
    free(path);
    if (!unlock) {
        *out = id;
        return 0;
    }
    /* On a terminal the passphrase may be retried; from a file it may not. */
    int tries = passfile == NULL ? 3 : 1;
    for (int attempt = 1;; attempt++) {
        char *pass = NULL;
        size_t len = 0;
        int status = tool_passphrase_read(passfile, _("Passphrase: "), 0, &pass, &len);
        if (status != 0) {
            tamga_identity_free(id);
            return status;
        }
        rc = tamga_identity_unlock(id, pass, len);
        tool_passphrase_free(pass);
        if (rc == TAMGA_OK)
            break;
        if (rc == TAMGA_ERR_PASSPHRASE && attempt < tries) {
            fprintf(stderr, _("Wrong passphrase, please try again.\n"));
            continue;
        }
        tamga_identity_free(id);
        if (rc == TAMGA_ERR_PASSPHRASE)
            return tool_error(_("cannot unlock identity: wrong passphrase"));
        return tool_fail(rc, _("cannot unlock identity"));
    }
    *out = id;
    return 0;
}

int tool_home_identity(char **home, int unlock, const char *passfile, tamga_identity **id)
{
    *id = NULL;
    int status = tool_home(home);
    if (status != 0)
        return status;
    status = tool_identity_open(*home, unlock, passfile, id);
    if (status != 0) {
        free(*home);
        *home = NULL;
    }
    return status;
}

int tool_identity_public(const char *home, tamga_pubid *pub)
{
    memset(pub, 0, sizeof *pub);
    if (!tool_identity_exists(home))
        return 0;
    char *path = tamga_home_secret_path(home);
    tamga_identity *id = NULL;
    int rc = path ? tamga_identity_load(path, &id) : TAMGA_ERR_NOMEM;
    free(path);
    if (rc != TAMGA_OK)
        return 0;
    *pub = *tamga_identity_get_public(id);
    tamga_identity_free(id);
    return 1;
}

/* ---- cases ------------------------------------------------------------- */

int tool_case_open(const char *home, const char *ref, tamga_case **out)
{
    /* A path to a case folder (it has a slash) is opened as it is. */
    int rc = strchr(ref, '/') != NULL && tamga_is_dir(ref) ? tamga_case_open_dir(ref, out)
                                                           : tamga_case_open(home, ref, out);
    if (rc == TAMGA_OK)
        return 0;
    char what[512];
    snprintf(what, sizeof what, _("cannot open case \"%s\""), ref);
    return tool_fail(rc, what);
}

int tool_home_case(char **home, const char *ref, tamga_case **c)
{
    *c = NULL;
    int status = tool_home(home);
    if (status != 0)
        return status;
    status = tool_case_open(*home, ref, c);
    if (status != 0) {
        free(*home);
        *home = NULL;
    }
    return status;
}

void tool_release(char *home, tamga_identity *id, tamga_case *c)
{
    tamga_case_free(c);
    tamga_identity_free(id);
    free(home);
}

void tool_keyid(const uint8_t keynum[TAMGA_KEYNUM_BYTES], const tamga_pubid *me, char *out,
                size_t outlen)
{
    char k[17];
    tamga_keyid_format(keynum, k);
    int mine = me != NULL && memcmp(me->keynum, keynum, TAMGA_KEYNUM_BYTES) == 0;
    snprintf(out, outlen, "%s%s", k, mine ? _(" (you)") : "");
}

int tool_manifest_load(const tamga_case *c, const char *recording_id, tamga_manifest *m)
{
    memset(m, 0, sizeof *m);
    char name[128];
    snprintf(name, sizeof name, "recordings/%s.manifest.json", recording_id);
    char *path = tamga_path_join(tamga_case_get_dir(c), name);
    if (path == NULL)
        return TAMGA_ERR_NOMEM;
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = tamga_read_file(path, TAMGA_MANIFEST_MAX_FILE, &data, &len);
    free(path);
    if (rc != TAMGA_OK)
        return rc;
    rc = tamga_manifest_parse((const char *)data, len, m);
    free(data);
    return rc;
}

int tool_put_json(char *text)
{
    if (text == NULL)
        return tool_fail(TAMGA_ERR_NOMEM, _("cannot write the JSON output"));
    fputs(text, stdout);
    fputc('\n', stdout);
    free(text);
    return 0;
}

/* ---- recordings -------------------------------------------------------- */

static int is_hex32(const char *s, size_t n)
{
    if (n != TAMGA_ID_HEX_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* RECORDING given as a path to a .tamga file: its case is two folders up. */
static int recording_from_path(const char *path, tamga_case **c, char **rec_id)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n < 7 || strcmp(base + n - 6, ".tamga") != 0 || !is_hex32(base, n - 6))
        return tool_error(_("%s is not a tamga recording file (<id>.tamga)"), path);
    char *copy = strdup(path);
    if (copy == NULL)
        return tool_fail(TAMGA_ERR_NOMEM, _("cannot open the recording"));
    /* <case>/recordings/<id>.tamga */
    char *slash = strrchr(copy, '/');
    if (slash != NULL) {
        *slash = '\0';
        slash = strrchr(copy, '/');
    }
    const char *dirname = slash ? slash + 1 : copy;
    if (strcmp(dirname, "recordings") != 0) {
        free(copy);
        return tool_error(_("%s is not inside a case's recordings folder"), path);
    }
    if (slash != NULL)
        *slash = '\0';
    int rc = tamga_case_open_dir(slash == NULL ? "." : (copy[0] ? copy : "/"), c);
    if (rc != TAMGA_OK) {
        free(copy);
        return tool_fail(rc, _("cannot open the case of the recording"));
    }
    free(copy);
    *rec_id = strndup(base, TAMGA_ID_HEX_LEN);
    if (*rec_id == NULL) {
        tamga_case_free(*c);
        *c = NULL;
        return tool_fail(TAMGA_ERR_NOMEM, _("cannot open the recording"));
    }
    return 0;
}

int tool_recording_resolve(const char *home, const char *case_ref, const char *ref,
                           tamga_case **out, char **rec_id)
{
    *out = NULL;
    *rec_id = NULL;
    if (strchr(ref, '/') != NULL || strstr(ref, ".tamga") != NULL)
        return recording_from_path(ref, out, rec_id);
    char what[256];
    snprintf(what, sizeof what, _("cannot find recording \"%s\""), ref);
    if (case_ref != NULL) {
        int status = tool_case_open(home, case_ref, out);
        if (status != 0)
            return status;
        int rc = tamga_case_find_recording(*out, ref, rec_id);
        if (rc != TAMGA_OK) {
            tamga_case_free(*out);
            *out = NULL;
            return tool_fail(rc, what);
        }
        return 0;
    }
    char **ids = NULL;
    size_t n = 0;
    int rc = tamga_case_list(home, &ids, &n);
    if (rc != TAMGA_OK)
        return tool_fail(rc, _("cannot list cases"));
    int found = 0, status = 0;
    for (size_t i = 0; i < n && status == 0; i++) {
        char *cases = tamga_path_join(home, "cases");
        char *dir = cases ? tamga_path_join(cases, ids[i]) : NULL;
        free(cases);
        tamga_case *c = NULL;
        char *match = NULL;
        if (dir != NULL && tamga_case_open_dir(dir, &c) == TAMGA_OK) {
            rc = tamga_case_find_recording(c, ref, &match);
            if (rc == TAMGA_ERR_AMBIGUOUS) {
                status = tool_fail(rc, what);
            } else if (rc == TAMGA_OK) {
                found++;
                if (found > 1) {
                    status = tool_error(_("cannot find recording \"%s\": it matches recordings "
                                          "in more than one case (give more digits or "
                                          "--case CASE)"),
                                        ref);
                } else {
                    *out = c;
                    *rec_id = match;
                    c = NULL;
                    match = NULL;
                }
            }
        }
        free(match);
        tamga_case_free(c);
        free(dir);
    }
    tamga_strv_free(ids, n);
    if (status == 0 && found == 0)
        status = tool_error(_("cannot find recording \"%s\": no recording in any case has "
                              "this id"),
                            ref);
    if (status != 0) {
        tamga_case_free(*out);
        *out = NULL;
        free(*rec_id);
        *rec_id = NULL;
    }
    return status;
}

/* ---- recovery ---------------------------------------------------------- */

void tool_recover_report(void *user, const char *case_id, const char *recording_id,
                         int64_t duration_ms, int rc)
{
    tool_recover_ctx *ctx = user;
    if (rc != TAMGA_OK) {
        char what[256];
        snprintf(what, sizeof what, _("cannot recover recording %s of case %.12s"), recording_id,
                 case_id);
        tool_fail(rc, what);
        ctx->failed++;
        return;
    }
    char dur[32];
    tool_format_duration(duration_ms, dur, sizeof dur);
    if (ctx->prose)
        fprintf(ctx->out,
                _("Recovered an unfinished recording from an earlier session: %s (%s), "
                  "sealed as interrupted and signed.\n"),
                recording_id, dur);
    else
        fprintf(ctx->out, _("recovered %s  %s  case %.12s  (interrupted, sealed and signed)\n"),
                recording_id, dur, case_id);
    fflush(ctx->out);
}

/* ---- live commands ----------------------------------------------------- */

static volatile sig_atomic_t stop_signal = 0;
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
#define N_STOP_SIGNALS (sizeof stop_signals / sizeof stop_signals[0])
static struct sigaction stop_old_actions[N_STOP_SIGNALS];
static int stop_installed = 0;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

void tool_stop_signals_install(void)
{
    if (stop_installed)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: poll() and read() return EINTR */
    for (size_t i = 0; i < N_STOP_SIGNALS; i++) {
        sa.sa_handler = stop_signals[i] == SIGTSTP ? SIG_IGN : on_stop_signal;
        sigaction(stop_signals[i], &sa, &stop_old_actions[i]);
    }
    stop_installed = 1;
}

void tool_stop_signals_restore(void)
{
    if (!stop_installed)
        return;
    for (size_t i = 0; i < N_STOP_SIGNALS; i++)
        sigaction(stop_signals[i], &stop_old_actions[i], NULL);
    stop_installed = 0;
}

int tool_stop_requested(void)
{
    return (int)stop_signal;
}

static struct termios keys_saved;
static int keys_active = 0;
static int keys_atexit = 0;

void tool_keys_end(void)
{
    if (keys_active) {
        (void)tcsetattr(STDIN_FILENO, TCSANOW, &keys_saved);
        keys_active = 0;
    }
}

static void keys_at_exit(void)
{
    tool_keys_end();
}

int tool_keys_begin(void)
{
    if (keys_active)
        return 0;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &keys_saved) != 0)
        return -1;
    struct termios t = keys_saved;
    t.c_lflag &= (tcflag_t) ~(ICANON | ECHO | ECHONL | IEXTEN);
    t.c_lflag |= ISIG; /* Ctrl-C still stops (cleanly) */
    t.c_iflag &= (tcflag_t) ~(IXON | ICRNL);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (!keys_atexit) {
        atexit(keys_at_exit);
        keys_atexit = 1;
    }
    keys_active = 1;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) != 0) {
        keys_active = 0;
        return -1;
    }
    return 0;
}

static int read_byte(int timeout_ms)
{
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN, .revents = 0};
    int n = poll(&pfd, 1, timeout_ms);
    if (n <= 0)
        return TOOL_KEY_NONE;
    unsigned char ch;
    ssize_t r = read(STDIN_FILENO, &ch, 1);
    if (r == 0)
        return TOOL_KEY_EOF;
    if (r < 0)
        return errno == EINTR || errno == EAGAIN ? TOOL_KEY_NONE : TOOL_KEY_EOF;
    return ch;
}

int tool_keys_read(int timeout_ms)
{
    int ch = read_byte(timeout_ms);
    if (ch != 0x1b)
        return ch;
    /* An escape sequence follows within a moment, or it was the Esc key. */
    int b = read_byte(30);
    if (b != '[' && b != 'O')
        return 0x1b;
    int c = read_byte(30);
    if (c == 'C')
        return TOOL_KEY_RIGHT;
    if (c == 'D')
        return TOOL_KEY_LEFT;
    /* Skip the rest of a longer sequence (digits and ';' until a final byte). */
    while (c >= '0' && c <= ';')
        c = read_byte(30);
    return TOOL_KEY_NONE;
}

int tool_term_columns(int fd)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

int tool_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}
