/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Exhaustive tamper test: for a small case, flipping any single byte of any
 * evidence file must make verification fail. The one exception is the first
 * line of .minisig and .pub files (minisign's untrusted comment, unprotected by
 * design). */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tamga/tamga.h"

static char *g_dir;
static char *g_case_dir;

static int setup(void **state)
{
    (void)state;
    assert_int_equal(tamga_init(), TAMGA_OK);
    g_dir = tu_tmpdir("tamper");
    char *home = tu_path(g_dir, "home");
    char *wav = tu_path(g_dir, "in.wav");
    tu_write_sine_wav(wav, 48000, 1, 440.0, 0.3);
    tamga_identity *id = NULL;
    assert_int_equal(tamga_identity_generate("Tester", &id), TAMGA_OK);
    tamga_case *c = NULL;
    assert_int_equal(tamga_case_create(home, id, "Tamper case", NULL, 0, 0, &c), TAMGA_OK);
    tamga_record_options o = {.title = "t", .interviewee = "P", .notes = "n", .complexity = -1};
    tamga_record_result res;
    assert_int_equal(tamga_record_file(c, id, wav, &o, &res), TAMGA_OK);
    assert_int_equal(tamga_record_file(c, id, wav, &o, &res), TAMGA_OK);
    g_case_dir = strdup(tamga_case_get_dir(c));
    tamga_case_free(c);
    tamga_identity_free(id);
    free(home);
    free(wav);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rm_rf(g_dir);
    free(g_dir);
    free(g_case_dir);
    return 0;
}

static int verify_ok(void)
{
    tamga_report *r = NULL;
    int rc = tamga_verify(g_case_dir, NULL, 0, &r);
    assert_int_equal(rc, TAMGA_OK);
    int ok = tamga_report_ok(r);
    tamga_report_free(r);
    return ok;
}

static size_t flip_every_byte(const char *path, int is_sig, size_t *undetected)
{
    size_t len;
    uint8_t *orig = tu_read(path, &len);
    size_t skip = 0;
    if (is_sig) {
        uint8_t *nl = memchr(orig, '\n', len);
        assert_non_null(nl);
        skip = (size_t)(nl - orig) + 1;
    }
    uint8_t *copy = malloc(len + 1);
    assert_non_null(copy);
    size_t tried = 0;
    static const uint8_t masks[] = {0x01, 0x80};
    for (size_t i = skip; i < len; i++) {
        for (size_t k = 0; k < sizeof masks; k++) {
            memcpy(copy, orig, len);
            copy[i] ^= masks[k];
            tu_write(path, copy, len);
            tried++;
            if (verify_ok()) {
                (*undetected)++;
                print_message("undetected: %s byte %zu ^ 0x%02x\n", path, i, masks[k]);
            }
        }
    }
    tu_write(path, orig, len);
    free(copy);
    free(orig);
    return tried;
}

static void tamper_dir(const char *dir, size_t *tried, size_t *undetected)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        char *p = tu_path(dir, names[i]);
        struct stat st;
        assert_int_equal(stat(p, &st), 0);
        size_t len = strlen(names[i]);
        if (S_ISDIR(st.st_mode)) {
            /* keyholders/ grants are not evidence: a damaged grant costs access,
             * never integrity (verify --decrypt reports it). */
            if (strcmp(names[i], "keyholders") != 0)
                tamper_dir(p, tried, undetected);
        } else if (strcmp(names[i], "custody.lock") != 0) {
            /* minisign's untrusted comment: first line of .minisig and .pub files. */
            int is_sig = (len > 8 && strcmp(names[i] + len - 8, ".minisig") == 0) ||
                         (len > 4 && strcmp(names[i] + len - 4, ".pub") == 0);
            *tried += flip_every_byte(p, is_sig, undetected);
        }
        free(p);
        free(names[i]);
    }
    free(names);
}

static void test_every_byte(void **state)
{
    (void)state;
    assert_true(verify_ok());
    size_t tried = 0, undetected = 0;
    tamper_dir(g_case_dir, &tried, &undetected);
    print_message("tamper: %zu single-byte changes tried, %zu undetected\n", tried, undetected);
    assert_true(tried > 5000);
    assert_int_equal(undetected, 0);
    assert_true(verify_ok());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
