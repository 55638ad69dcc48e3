/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tamga verify PATH...: check signatures, hashes, chains and the custody log. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "tamga/bundle.h"
#include "tool.h"

/* One path's verdict, taken before the reports are merged. */
typedef struct {
    int ok;
    size_t checks, failed;
} verdict;

static verdict verdict_of(const tamga_report *r)
{
    verdict v = {tamga_report_ok(r), 0, 0};
    for (size_t i = 0; i < tamga_report_count(r); i++) {
        const tamga_check *k = tamga_report_get(r, i);
        if (k->result == TAMGA_CHECK_INFO)
            continue;
        v.checks++;
        if (k->result == TAMGA_CHECK_FAIL)
            v.failed++;
    }
    return v;
}

/* Appends a signed "verified" event with this path's verdict to the case in
 * folder `dir`. Returns 0 or 2 after printing. */
static int log_verified(const char *dir, const tamga_identity *id, verdict v)
{
    tamga_case *c = NULL;
    int sig_ok = 0;
    int rc = tamga_case_open_dir_unchecked(dir, &c, &sig_ok);
    if (rc != TAMGA_OK) {
        char what[1100];
        snprintf(what, sizeof what, _("cannot add to the custody log of %s"), dir);
        return tool_fail(rc, what);
    }
    json_t *sj = json_pack("{s:s, s:I, s:I}", "verdict", v.ok ? "verified" : "failed", "checks",
                           (json_int_t)v.checks, "failed", (json_int_t)v.failed);
    char *subject = sj ? json_dumps(sj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(sj);
    rc = subject ? tamga_case_log_event(c, id, TAMGA_EVENT_VERIFIED, subject) : TAMGA_ERR_NOMEM;
    free(subject);
    tamga_case_free(c);
    if (rc != TAMGA_OK) {
        char what[1100];
        snprintf(what, sizeof what, _("cannot add to the custody log of %s"), dir);
        return tool_fail(rc, what);
    }
    return 0;
}

/* Writes the report text; control characters that a crafted file name could
 * carry are shown as '?' so they cannot drive the terminal. */
static void put_report(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        fputc((*p < 0x20 && *p != '\n') || *p == 0x7f ? '?' : *p, stdout);
}

static int is_case_dir(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;
    size_t n = strlen(path) + 16;
    char *p = malloc(n);
    if (p == NULL)
        return 0;
    snprintf(p, n, "%s/case.json", path);
    int ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
    free(p);
    return ok;
}

static int is_bundle_file(const char *path)
{
    size_t n = strlen(path);
    struct stat st;
    return n > 4 && strcmp(path + n - 4, ".age") == 0 && stat(path, &st) == 0 &&
           S_ISREG(st.st_mode);
}

static int verify_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"decrypt", no_argument, NULL, 'd'},
        {"log", no_argument, NULL, 'l'},
        {"passphrase-file", required_argument, NULL, 'p'},
        {"passphrase", no_argument, NULL, 'P'},
        {"bundle-passphrase-file", required_argument, NULL, 'B'},
        TOOL_OPTS_END,
    };
    const char *passfile = NULL, *bpassfile = NULL;
    int json = 0, decrypt = 0, log = 0, use_bpass = 0, opt, status;
    while ((opt = tool_getopt(argc, argv, "", opts, &status)) > 0) {
        switch (opt) {
        case 'j':
            json = 1;
            break;
        case 'd':
            decrypt = 1;
            break;
        case 'l':
            log = 1;
            break;
        case 'p':
            passfile = optarg;
            break;
        case 'P':
            use_bpass = 1;
            break;
        case 'B':
            bpassfile = optarg;
            use_bpass = 1;
            break;
        }
    }
    if (opt < 0)
        return status;
    if (optind >= argc)
        return tool_usage_error(_("what should be verified? Give a case folder, a .tamga "
                                  "recording or a .manifest.json file"));
    int n_paths = argc - optind;
    char **paths = argv + optind;
    for (int i = 0; i < n_paths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0)
            return tool_error(_("cannot read %s: %s"), paths[i],
                              errno == ENOENT ? _("no such file or folder") : strerror(errno));
    }

    int bundles = 0;
    for (int i = 0; i < n_paths; i++)
        bundles += is_bundle_file(paths[i]);
    char *home = NULL, *bpass = NULL;
    size_t bplen = 0;
    tamga_identity *id = NULL;
    tamga_report **reports = calloc((size_t)n_paths, sizeof *reports);
    verdict *verdicts = calloc((size_t)n_paths, sizeof *verdicts);
    status = 0;
    if (reports == NULL || verdicts == NULL) {
        free(reports);
        free(verdicts);
        return tool_fail(TAMGA_ERR_NOMEM, _("cannot verify"));
    }
    /* A bundle (FILE.age) is decrypted with the identity, or a passphrase. */
    if (decrypt || log || bundles > 0) {
        status = tool_home(&home);
        if (status == 0 && (decrypt || log || (bundles > 0 && !use_bpass)))
            status = tool_identity_open(home, 1, passfile, &id);
        if (status == 0 && bundles > 0 && use_bpass)
            status = tool_passphrase_read(bpassfile, _("Bundle passphrase: "), 0, &bpass, &bplen);
        if (status != 0)
            goto out;
    }

    /* Verify everything first: an unreadable path stops before anything is
     * printed or logged. */
    for (int i = 0; i < n_paths; i++) {
        unsigned vf = decrypt ? TAMGA_VERIFY_DECRYPT : 0;
        int rc = is_bundle_file(paths[i])
                     ? tamga_bundle_verify(home, paths[i], id, bpass, bplen, vf, &reports[i])
                     : tamga_verify(paths[i], id, vf, &reports[i]);
        if (rc != TAMGA_OK) {
            char what[1100];
            snprintf(what, sizeof what, _("cannot verify %s"), paths[i]);
            status = tool_fail(rc, what);
            goto out;
        }
        verdicts[i] = verdict_of(reports[i]);
    }
    for (int i = 1; i < n_paths; i++) {
        int rc = tamga_report_merge(reports[0], reports[i]);
        if (rc != TAMGA_OK) {
            status = tool_fail(rc, _("cannot verify"));
            goto out;
        }
    }
    const tamga_report *all = reports[0];
    char *text = json ? tamga_report_json(all) : tamga_report_text(all);
    if (text == NULL) {
        status = tool_fail(TAMGA_ERR_NOMEM, _("cannot print the report"));
        goto out;
    }
    put_report(text);
    if (json)
        fputc('\n', stdout);
    free(text);
    fflush(stdout);
    status = tamga_report_ok(all) ? TOOL_EXIT_OK : TOOL_EXIT_FAILED;

    if (log) {
        for (int i = 0; i < n_paths; i++) {
            if (!is_case_dir(paths[i])) {
                tool_warn(_("%s is not a case folder: nothing logged for it (only case folders "
                            "have a custody log)"),
                          paths[i]);
                continue;
            }
            int st = log_verified(paths[i], id, verdicts[i]);
            if (st != 0)
                status = st;
            else if (!json)
                fprintf(stderr, _("Logged this verification in the custody log of %s.\n"),
                        paths[i]);
        }
    }
out:
    for (int i = 0; i < n_paths; i++)
        tamga_report_free(reports[i]);
    free(reports);
    free(verdicts);
    if (bpass)
        tool_passphrase_free(bpass);
    tool_release(home, id, NULL);
    return status;
}

const tool_command tool_cmd_verify = {
    .name = "verify",
    .run = verify_run,
    .summary = N_("check that cases and recordings are intact and who signed them"),
    .usage = "tamga verify PATH... [--json] [--decrypt] [--log] [--passphrase-file FILE]\n"
             "             [--passphrase [--bundle-passphrase-file F]]",
    .help = N_("PATH is a case folder, a .tamga recording file or a .manifest.json file,\n"
               "an extracted bundle folder or a bundle FILE.age (decrypted with your\n"
               "identity, so the passphrase is asked, or with --passphrase; unpacked with\n"
               "every member check into a private folder in the data folder, verified,\n"
               "and removed again).\n"
               "Every signature, hash, chain link and custody log entry is checked; each\n"
               "check gets one line (OK, FAIL or WARN), then a verdict: VERIFIED or FAILED.\n"
               "No passphrase is needed unless --decrypt or --log is given.\n"
               "\n"
               "Options:\n"
               "  --json                  print the report as JSON\n"
               "  --decrypt               also decrypt each recording and check its audio\n"
               "                          (keyholders only; asks for the passphrase)\n"
               "  --log                   add a signed \"verified\" entry with the verdict to\n"
               "                          each case folder's custody log (asks for the\n"
               "                          passphrase)\n"
               "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"
               "  --passphrase            a FILE.age was encrypted with a passphrase: ask it\n"
               "  --bundle-passphrase-file F  read that passphrase from the first line of F\n"
               "\n"
               "Exit status: 0 all checks passed; 1 a check failed (something was changed,\n"
               "is missing or does not match); 2 wrong usage or a path cannot be read.\n"),
};
