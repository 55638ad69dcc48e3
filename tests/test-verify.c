/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cases, sealing and verification through the library: the happy path,
 * record-only cases, decryption, and evidence removed or reordered. */
#define _GNU_SOURCE
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "tamga/minisig.h"
#include "tamga/tamga.h"

typedef struct {
    char *dir, *home, *wav;
    tamga_identity *a;
    tamga_case *c;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(tamga_init(), TAMGA_OK);
    f->dir = tu_tmpdir("verify");
    f->home = tu_path(f->dir, "home");
    f->wav = tu_path(f->dir, "in.wav");
    tu_write_sine_wav(f->wav, 44100, 1, 440.0, 1.0);
    assert_int_equal(tamga_identity_generate("Interviewer A", &f->a), TAMGA_OK);
    assert_int_equal(tamga_case_create(f->home, f->a, "Case one", NULL, 0, 0, &f->c), TAMGA_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tamga_case_free(f->c);
    tamga_identity_free(f->a);
    tu_rm_rf(f->dir);
    free(f->dir);
    free(f->home);
    free(f->wav);
    free(f);
    return 0;
}

static int verify(const char *path, const tamga_identity *id, unsigned flags, size_t *fails)
{
    tamga_report *r = NULL;
    assert_int_equal(tamga_verify(path, id, flags, &r), TAMGA_OK);
    int ok = tamga_report_ok(r);
    if (fails != NULL) {
        *fails = 0;
        for (size_t i = 0; i < tamga_report_count(r); i++)
            *fails += tamga_report_get(r, i)->result == TAMGA_CHECK_FAIL;
    }
    if (getenv("TAMGA_TEST_VERBOSE")) {
        char *t = tamga_report_text(r);
        print_message("%s", t);
        free(t);
    }
    tamga_report_free(r);
    return ok;
}

static void record(fixture *f, tamga_case *c, const tamga_identity *id, char out[33])
{
    tamga_record_options o = {.title = "Interview",
                              .language = "kk",
                              .consent = "anonymised",
                              .interviewee = "Witness 7",
                              .notes = "met at the office",
                              .complexity = -1};
    tamga_record_result res;
    assert_int_equal(tamga_record_file(c, id, f->wav, &o, &res), TAMGA_OK);
    assert_true(res.duration_ms >= 990 && res.duration_ms <= 1010);
    memcpy(out, res.recording_id, 33);
}

static void test_record_verify_decrypt(void **state)
{
    fixture *f = *state;
    char id[33];
    record(f, f->c, f->a, id);
    assert_true(verify(tamga_case_get_dir(f->c), NULL, 0, NULL));
    assert_true(verify(tamga_case_get_dir(f->c), f->a, TAMGA_VERIFY_DECRYPT, NULL));

    /* A single recording, by its file or its manifest. */
    char name[64];
    snprintf(name, sizeof name, "recordings/%s.tamga", id);
    char *rp = tu_path(tamga_case_get_dir(f->c), name);
    assert_true(verify(rp, NULL, 0, NULL));
    snprintf(name, sizeof name, "recordings/%s.manifest.json", id);
    char *mp = tu_path(tamga_case_get_dir(f->c), name);
    assert_true(verify(mp, f->a, TAMGA_VERIFY_DECRYPT, NULL));

    /* Decrypt: output hash equals the signed one; never overwrites. */
    char *out = tu_path(f->dir, "out.opus");
    assert_int_equal(tamga_recording_decrypt(f->c, f->a, id, out), TAMGA_OK);
    size_t len;
    uint8_t *data = tu_read(out, &len);
    assert_memory_equal(data, "OggS", 4);
    free(data);
    assert_int_equal(tamga_recording_decrypt(f->c, f->a, id, out), TAMGA_ERR_EXISTS);

    /* Private metadata is encrypted on disk and opens for the keyholder. */
    snprintf(name, sizeof name, "recordings/%s.private", id);
    char *pp = tu_path(tamga_case_get_dir(f->c), name);
    data = tu_read(pp, &len);
    assert_null(memmem(data, len, "Witness 7", 9));
    free(data);
    char *json = NULL;
    assert_int_equal(tamga_recording_private(f->c, f->a, id, &json, &len), TAMGA_OK);
    assert_non_null(strstr(json, "Witness 7"));
    sodium_free(json);
    /* ...and the pseudonym is in no public file. */
    snprintf(name, sizeof name, "recordings/%s.manifest.json", id);
    data = tu_read(mp, &len);
    assert_null(memmem(data, len, "Witness", 7));
    assert_null(memmem(data, len, "Interviewer A", 13));
    free(data);

    /* The custody log now holds decrypted; verification still passes. */
    assert_true(verify(tamga_case_get_dir(f->c), NULL, 0, NULL));
    free(out);
    free(rp);
    free(mp);
    free(pp);
}

static void test_record_only(void **state)
{
    fixture *f = *state;
    tamga_identity *b = NULL;
    assert_int_equal(tamga_identity_generate("Office", &b), TAMGA_OK);
    tamga_case *c = NULL;
    /* Record-only without any keyholder would lock everyone out. */
    assert_int_equal(tamga_case_create(f->home, f->a, "Field", NULL, 0, 1, &c), TAMGA_ERR_INVALID);
    assert_int_equal(
        tamga_case_create(f->home, f->a, "Field", tamga_identity_get_public(b), 1, 1, &c),
        TAMGA_OK);
    char id[33];
    record(f, c, f->a, id);
    assert_true(verify(tamga_case_get_dir(c), NULL, 0, NULL));
    assert_false(tamga_case_has_grant(c, tamga_identity_get_public(f->a)));
    uint8_t *sk = NULL;
    assert_int_equal(tamga_case_unlock_key(c, f->a, &sk), TAMGA_ERR_NOT_KEYHOLDER);
    char *out = tu_path(f->dir, "ro.opus");
    assert_int_equal(tamga_recording_decrypt(c, f->a, id, out), TAMGA_ERR_NOT_KEYHOLDER);
    assert_int_equal(access(out, F_OK), -1);
    char *json = NULL;
    size_t len;
    assert_int_equal(tamga_recording_private(c, f->a, id, &json, &len), TAMGA_ERR_NOT_KEYHOLDER);
    /* The keyholder can. */
    assert_int_equal(tamga_recording_decrypt(c, b, id, out), TAMGA_OK);
    assert_true(verify(tamga_case_get_dir(c), b, TAMGA_VERIFY_DECRYPT, NULL));
    free(out);
    tamga_case_free(c);
    tamga_identity_free(b);
}

static void remove_file(tamga_case *c, const char *id, const char *suffix)
{
    char name[96];
    snprintf(name, sizeof name, "recordings/%s%s", id, suffix);
    char *p = tu_path(tamga_case_get_dir(c), name);
    assert_int_equal(unlink(p), 0);
    free(p);
}

/* Decrypting trusts only a manifest signed by a key of the case: an altered
 * manifest, a missing signature, or one re-signed by a stranger is refused
 * (TAMGA_ERR_AUTH) and writes nothing. */
static void test_decrypt_needs_signed_manifest(void **state)
{
    fixture *f = *state;
    char id[33], name[96];
    record(f, f->c, f->a, id);
    snprintf(name, sizeof name, "recordings/%s.manifest.json", id);
    char *mp = tu_path(tamga_case_get_dir(f->c), name);
    snprintf(name, sizeof name, "recordings/%s.manifest.json.minisig", id);
    char *sp = tu_path(tamga_case_get_dir(f->c), name);
    char *out = tu_path(f->dir, "forged.opus");
    size_t mlen, slen;
    uint8_t *manifest = tu_read(mp, &mlen), *sig = tu_read(sp, &slen);

    /* The same length, still valid JSON: only the signature can tell. */
    char *forged = malloc(mlen);
    memcpy(forged, manifest, mlen);
    char *at = strstr(forged, "Interview");
    assert_non_null(at);
    at[8] = 'X';
    tu_write(mp, forged, mlen);
    assert_int_equal(tamga_recording_decrypt(f->c, f->a, id, out), TAMGA_ERR_AUTH);
    assert_non_null(strstr(tamga_error_detail(), "not signed by a key of this case"));
    assert_int_equal(access(out, F_OK), -1);

    /* Re-signed by someone whose key the case does not hold. */
    tamga_identity *stranger = NULL;
    assert_int_equal(tamga_identity_generate("Stranger", &stranger), TAMGA_OK);
    char *ssig = NULL;
    assert_int_equal(tamga_minisig_sign(stranger, (const uint8_t *)forged, mlen, "forged", &ssig),
                     TAMGA_OK);
    tu_write(sp, ssig, strlen(ssig));
    assert_int_equal(tamga_recording_decrypt(f->c, f->a, id, out), TAMGA_ERR_AUTH);
    assert_int_equal(access(out, F_OK), -1);

    /* No signature at all. */
    tu_write(mp, manifest, mlen);
    assert_int_equal(unlink(sp), 0);
    assert_int_equal(tamga_recording_decrypt(f->c, f->a, id, out), TAMGA_ERR_AUTH);
    assert_int_equal(access(out, F_OK), -1);

    /* Put back: it decrypts again. */
    tu_write(sp, sig, slen);
    assert_int_equal(tamga_recording_decrypt(f->c, f->a, id, out), TAMGA_OK);
    free(ssig);
    tamga_identity_free(stranger);
    free(forged);
    free(manifest);
    free(sig);
    free(out);
    free(sp);
    free(mp);
}

static void test_removed_recording(void **state)
{
    fixture *f = *state;
    char a[33], b[33], c3[33];
    record(f, f->c, f->a, a);
    record(f, f->c, f->a, b);
    record(f, f->c, f->a, c3);
    assert_true(verify(tamga_case_get_dir(f->c), NULL, 0, NULL));
    /* Remove every file of the middle recording: the chain and the log notice. */
    remove_file(f->c, b, ".tamga");
    remove_file(f->c, b, ".private");
    remove_file(f->c, b, ".manifest.json");
    remove_file(f->c, b, ".manifest.json.minisig");
    size_t fails = 0;
    assert_false(verify(tamga_case_get_dir(f->c), NULL, 0, &fails));
    assert_true(fails >= 2);
}

static void test_custody_cut_and_swap(void **state)
{
    fixture *f = *state;
    char a[33];
    record(f, f->c, f->a, a);
    char *log = tu_path(tamga_case_get_dir(f->c), "custody.jsonl");
    size_t len;
    uint8_t *orig = tu_read(log, &len);
    /* Cut off the last line. */
    uint8_t *end = orig + len - 1;
    uint8_t *prev_nl = end - 1;
    while (prev_nl > orig && *prev_nl != '\n')
        prev_nl--;
    tu_write(log, orig, (size_t)(prev_nl - orig) + 1);
    assert_false(verify(tamga_case_get_dir(f->c), NULL, 0, NULL));
    /* Swap the last two lines. */
    uint8_t *p2 = prev_nl - 1;
    while (p2 > orig && *p2 != '\n')
        p2--;
    size_t l1 = (size_t)(prev_nl - p2), l2 = (size_t)(end - prev_nl);
    uint8_t *sw = malloc(len);
    memcpy(sw, orig, (size_t)(p2 - orig) + 1);
    memcpy(sw + (p2 - orig) + 1, prev_nl + 1, l2);
    memcpy(sw + (p2 - orig) + 1 + l2, p2 + 1, l1);
    tu_write(log, sw, len);
    assert_false(verify(tamga_case_get_dir(f->c), NULL, 0, NULL));
    tu_write(log, orig, len);
    assert_true(verify(tamga_case_get_dir(f->c), NULL, 0, NULL));
    free(sw);
    free(orig);
    free(log);
}

static void test_bad_inputs_leave_nothing(void **state)
{
    fixture *f = *state;
    static const char *const bad[] = {"", "just some text, not audio\n", "RIFF\x24\0\0\0WAVE"};
    char **before = NULL, **after = NULL;
    size_t nb = 0, na = 0;
    assert_int_equal(tamga_case_list_recordings(f->c, &before, &nb), TAMGA_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *p = tu_path(f->dir, "bad.wav");
        tu_write(p, bad[i], strlen(bad[i]) + (i == 2 ? 0 : 0));
        tamga_record_options o = {.complexity = -1};
        tamga_record_result res;
        int rc = tamga_record_file(f->c, f->a, p, &o, &res);
        assert_int_not_equal(rc, TAMGA_OK);
        free(p);
    }
    tamga_record_options o = {.complexity = -1};
    tamga_record_result res;
    assert_int_equal(tamga_record_file(f->c, f->a, "/nonexistent/x.wav", &o, &res) != TAMGA_OK, 1);
    o.consent = "everyone";
    assert_int_equal(tamga_record_file(f->c, f->a, f->wav, &o, &res), TAMGA_ERR_INVALID);
    assert_int_equal(tamga_case_list_recordings(f->c, &after, &na), TAMGA_OK);
    assert_int_equal(na, nb);
    tamga_strv_free(before, nb);
    tamga_strv_free(after, na);
    assert_true(verify(tamga_case_get_dir(f->c), NULL, 0, NULL));
}

static void test_case_lookup(void **state)
{
    fixture *f = *state;
    tamga_case *c = NULL;
    char prefix[9];
    snprintf(prefix, sizeof prefix, "%.8s", tamga_case_get_id_hex(f->c));
    assert_int_equal(tamga_case_open(f->home, prefix, &c), TAMGA_OK);
    assert_string_equal(tamga_case_get_title(c), "Case one");
    tamga_case_free(c);
    assert_int_equal(tamga_case_open(f->home, "Case one", &c), TAMGA_OK);
    tamga_case_free(c);
    assert_int_equal(tamga_case_open(f->home, "No such case", &c), TAMGA_ERR_NOT_FOUND);
    assert_null(c);
    /* A case whose description was altered does not open. */
    char *p = tu_path(tamga_case_get_dir(f->c), "case.json");
    size_t len;
    uint8_t *orig = tu_read(p, &len);
    char *mod = strdup((char *)orig);
    char *t = strstr(mod, "Case one");
    t[0] = 'K';
    tu_write(p, mod, len);
    assert_int_equal(tamga_case_open_dir(tamga_case_get_dir(f->c), &c), TAMGA_ERR_AUTH);
    assert_false(verify(tamga_case_get_dir(f->c), NULL, 0, NULL));
    tu_write(p, orig, len);
    free(mod);
    free(orig);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_record_verify_decrypt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decrypt_needs_signed_manifest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_recording, setup, teardown),
        cmocka_unit_test_setup_teardown(test_custody_cut_and_swap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_inputs_leave_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_lookup, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
