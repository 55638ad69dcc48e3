/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Emergency wipe: the secret files are overwritten and gone, recordings stay
 * and still verify but no longer decrypt here, symbolic links are not
 * followed, 50 cases take well under a second. */
#define _GNU_SOURCE
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tamga/tamga.h"

typedef struct {
    char *dir, *home, *wav, *secret, *pub;
    tamga_identity *a; /* this machine, unlocked */
    tamga_identity *b; /* a partner keyholder */
} fixture;

static const char PASS[] = "correct horse battery staple";

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(tamga_init(), TAMGA_OK);
    f->dir = tu_tmpdir("wipe");
    f->home = tu_path(f->dir, "home");
    f->wav = tu_path(f->dir, "in.wav");
    tu_write_sine_wav(f->wav, 48000, 1, 440.0, 1.0);
    assert_int_equal(tamga_home_prepare(f->home), TAMGA_OK);
    f->secret = tamga_home_secret_path(f->home);
    f->pub = tamga_home_public_path(f->home);
    assert_int_equal(tamga_identity_generate("Field laptop", &f->a), TAMGA_OK);
    assert_int_equal(
        tamga_identity_save(f->a, f->secret, f->pub, PASS, strlen(PASS), TAMGA_KDF_INTERACTIVE, 0),
        TAMGA_OK);
    assert_int_equal(tamga_identity_generate("Archive", &f->b), TAMGA_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tamga_identity_free(f->a);
    tamga_identity_free(f->b);
    tu_rm_rf(f->dir);
    free(f->dir), free(f->home), free(f->wav), free(f->secret), free(f->pub);
    free(f);
    return 0;
}

static size_t count_files(const char *dir)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "ls -A '%s' 2>/dev/null | wc -l", dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    unsigned long n = 0;
    assert_int_equal(fscanf(p, "%lu", &n), 1);
    pclose(p);
    return n;
}

static int verifies(const char *path)
{
    tamga_report *r = NULL;
    assert_int_equal(tamga_verify(path, NULL, 0, &r), TAMGA_OK);
    int ok = tamga_report_ok(r);
    tamga_report_free(r);
    return ok;
}

static void test_wipe_destroys_secrets_keeps_recordings(void **state)
{
    fixture *f = *state;
    tamga_case *c = NULL;
    const tamga_pubid *pb = tamga_identity_get_public(f->b);
    assert_int_equal(tamga_case_create(f->home, f->a, "Case one", pb, 1, 0, &c), TAMGA_OK);
    tamga_record_options o = {.title = "Witness", .interviewee = "W1", .complexity = -1};
    tamga_record_result res;
    assert_int_equal(tamga_record_file(c, f->a, f->wav, &o, &res), TAMGA_OK);
    char *kh = tu_path(tamga_case_get_dir(c), "keyholders");
    assert_int_equal(count_files(kh), 2);

    /* A hard link to the secret file sees the overwrite that unlink hides. */
    char *hlink = tu_path(f->dir, "secret-link");
    assert_int_equal(link(f->secret, hlink), 0);
    size_t before_len = 0;
    uint8_t *before = tu_read(f->secret, &before_len);

    /* Before: this machine decrypts. */
    char *out1 = tu_path(f->dir, "before.opus");
    assert_int_equal(tamga_recording_decrypt(c, f->a, res.recording_id, out1), TAMGA_OK);

    tamga_wipe_report rep;
    assert_int_equal(tamga_wipe_secrets(f->home, &rep), TAMGA_OK);
    assert_int_equal(rep.identity_destroyed, 1);
    assert_int_equal(rep.identity_was_missing, 0);
    assert_int_equal(rep.grants_destroyed, 2);
    assert_int_equal(rep.cases, 1);
    assert_int_equal(rep.recordings_remaining, 1);
    assert_int_equal(rep.public_identity_remains, 1);
    assert_int_equal(rep.failures, 0);
    assert_string_equal(rep.first_failure, "");

    /* The files are gone; the hard link shows random bytes of the same size. */
    assert_int_equal(access(f->secret, F_OK), -1);
    assert_int_equal(count_files(kh), 0);
    size_t after_len = 0;
    uint8_t *after = tu_read(hlink, &after_len);
    assert_int_equal(after_len, before_len);
    assert_memory_not_equal(after, before, before_len);
    assert_null(memmem(after, after_len, "tamga", 5));
    tamga_identity *again = NULL;
    assert_int_not_equal(tamga_identity_load(f->secret, &again), TAMGA_OK);
    assert_null(again);

    /* What remains: public identity, the recording, and it verifies. */
    assert_int_equal(access(f->pub, F_OK), 0);
    char *rec = NULL;
    assert_int_equal(tamga_case_find_recording(c, res.recording_id, &rec), TAMGA_OK);
    free(rec);
    assert_true(verifies(tamga_case_get_dir(c)));

    /* Even the identity still unlocked in memory cannot decrypt any more:
     * the case-key grant is gone. */
    char *out2 = tu_path(f->dir, "after.opus");
    assert_int_equal(tamga_recording_decrypt(c, f->a, res.recording_id, out2),
                     TAMGA_ERR_NOT_KEYHOLDER);
    assert_int_equal(access(out2, F_OK), -1);
    char *priv = NULL;
    size_t plen = 0;
    assert_int_equal(tamga_recording_private(c, f->a, res.recording_id, &priv, &plen),
                     TAMGA_ERR_NOT_KEYHOLDER);
    assert_null(priv);

    /* A second wipe finds nothing left to destroy. */
    assert_int_equal(tamga_wipe_secrets(f->home, &rep), TAMGA_OK);
    assert_int_equal(rep.identity_destroyed, 0);
    assert_int_equal(rep.identity_was_missing, 1);
    assert_int_equal(rep.grants_destroyed, 0);
    assert_int_equal(rep.recordings_remaining, 1);

    free(before), free(after), free(hlink), free(out1), free(out2), free(kh);
    tamga_case_free(c);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_wipe_fifty_cases_under_a_second(void **state)
{
    fixture *f = *state;
    const tamga_pubid *pb = tamga_identity_get_public(f->b);
    for (int i = 0; i < 50; i++) {
        char title[32];
        snprintf(title, sizeof title, "Case %02d", i);
        tamga_case *c = NULL;
        assert_int_equal(tamga_case_create(f->home, f->a, title, pb, 1, 0, &c), TAMGA_OK);
        tamga_case_free(c);
    }
    tamga_wipe_report rep;
    double t0 = now_s();
    assert_int_equal(tamga_wipe_secrets(f->home, &rep), TAMGA_OK);
    double took = now_s() - t0;
    printf("# wiped 50 cases (%zu grants) in %.1f ms (own timer %.1f ms)\n", rep.grants_destroyed,
           took * 1000.0, (double)rep.elapsed_us / 1000.0);
    assert_int_equal(rep.cases, 50);
    assert_int_equal(rep.grants_destroyed, 100);
    assert_int_equal(rep.identity_destroyed, 1);
    assert_true(took < 1.0);
    assert_true(rep.elapsed_us > 0 && rep.elapsed_us < 1000000);
    char **ids = NULL;
    size_t n = 0;
    assert_int_equal(tamga_case_list(f->home, &ids, &n), TAMGA_OK);
    assert_int_equal(n, 50);
    for (size_t i = 0; i < n; i++) {
        char *cdir = tu_path(f->home, "cases");
        char *d = tu_path(cdir, ids[i]);
        char *kh = tu_path(d, "keyholders");
        assert_int_equal(count_files(kh), 0);
        assert_true(verifies(d));
        free(cdir), free(d), free(kh);
    }
    tamga_strv_free(ids, n);
}

static void test_wipe_does_not_follow_links(void **state)
{
    fixture *f = *state;
    tamga_case *c = NULL;
    assert_int_equal(tamga_case_create(f->home, f->a, "Linked", NULL, 0, 0, &c), TAMGA_OK);
    char *outside = tu_path(f->dir, "precious.txt");
    tu_write(outside, "keep me", 7);
    char *kh = tu_path(tamga_case_get_dir(c), "keyholders");
    char *evil = tu_path(kh, "0000000000000000.box");
    assert_int_equal(symlink(outside, evil), 0);
    tamga_wipe_report rep;
    assert_int_equal(tamga_wipe_secrets(f->home, &rep), TAMGA_OK);
    assert_int_equal(rep.grants_destroyed, 2); /* the real grant and the link itself */
    size_t len = 0;
    uint8_t *kept = tu_read(outside, &len);
    assert_int_equal(len, 7);
    assert_memory_equal(kept, "keep me", 7);
    assert_int_equal(count_files(kh), 0);
    free(kept), free(outside), free(kh), free(evil);
    tamga_case_free(c);
}

static void test_wipe_empty_home(void **state)
{
    fixture *f = *state;
    char *empty = tu_path(f->dir, "nothing-here");
    tamga_wipe_report rep;
    assert_int_equal(tamga_wipe_secrets(empty, &rep), TAMGA_OK);
    assert_int_equal(rep.identity_destroyed, 0);
    assert_int_equal(rep.identity_was_missing, 1);
    assert_int_equal(rep.grants_destroyed, 0);
    assert_int_equal(rep.cases, 0);
    assert_int_equal(rep.public_identity_remains, 0);
    free(empty);
}

static void test_wipe_reports_what_it_cannot_destroy(void **state)
{
    fixture *f = *state;
    tamga_case *c = NULL;
    assert_int_equal(tamga_case_create(f->home, f->a, "Stuck", NULL, 0, 0, &c), TAMGA_OK);
    char *kh = tu_path(tamga_case_get_dir(c), "keyholders");
    /* A folder named like a grant cannot be overwritten, not even by root. */
    char *odd = tu_path(kh, "FFFFFFFFFFFFFFFF.box");
    assert_int_equal(mkdir(odd, 0700), 0);
    tamga_wipe_report rep;
    assert_int_equal(tamga_wipe_secrets(f->home, &rep), TAMGA_ERR_IO);
    assert_int_equal(rep.identity_destroyed, 1); /* it kept going */
    assert_int_equal(rep.grants_destroyed, 1);   /* the real grant */
    assert_int_equal(rep.failures, 1);
    assert_non_null(strstr(rep.first_failure, "FFFFFFFFFFFFFFFF.box"));
    assert_non_null(strstr(tamga_error_detail(), "FFFFFFFFFFFFFFFF.box"));
    free(odd), free(kh);
    tamga_case_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wipe_destroys_secrets_keeps_recordings, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wipe_fifty_cases_under_a_second, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wipe_does_not_follow_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wipe_empty_home, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wipe_reports_what_it_cannot_destroy, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
