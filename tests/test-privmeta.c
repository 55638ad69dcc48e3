/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the encrypted private metadata (src/core/privmeta.c).
 *
 * Run as `test-privmeta --make-vectors DIR` to regenerate the known-answer vector
 * with a fixed deterministic random generator (see docs/FORMAT.md (section 5)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "testutil.h"

#include "tamga/error.h"
#include "tamga/privmeta.h"
#include "util.h"

static const char *self_path;

/* ---- deterministic randomness for the vector generator ---- */
static uint64_t det_counter;
static const char *det_name(void)
{
    return "tamga-test-deterministic";
}
static void det_buf(void *const buf, const size_t size)
{
    uint8_t seed[randombytes_SEEDBYTES] = {0};
    memcpy(seed, "tamga kat rng", 13);
    tamga_store_le64(seed + 24, det_counter++);
    randombytes_buf_deterministic(buf, size, seed);
}
static uint32_t det_random(void)
{
    uint32_t v;
    det_buf(&v, sizeof v);
    return v;
}
static struct randombytes_implementation det_impl = {
    .implementation_name = det_name, .random = det_random, .buf = det_buf};

static const char KAT_JSON[] =
    "{\"pseudonym\":\"Aigerim\",\"contact\":\"+7 700 000 00 00\","
    "\"notes\":\"Алматы; ئۇيغۇرچە\",\"markers\":[{\"at_ms\":61000,\"label\":\"camp\"}]}";

static void kat_keys(uint8_t pk[32], uint8_t sk[32], uint8_t case_id[16], uint8_t rec_id[16])
{
    uint8_t seed[crypto_box_SEEDBYTES];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    crypto_box_seed_keypair(pk, sk, seed);
    for (int i = 0; i < 16; i++) {
        case_id[i] = (uint8_t)i;
        rec_id[i] = (uint8_t)(0x10 + i);
    }
}

static void random_keys(uint8_t pk[32], uint8_t sk[32], uint8_t case_id[16], uint8_t rec_id[16])
{
    crypto_box_keypair(pk, sk);
    randombytes_buf(case_id, 16);
    randombytes_buf(rec_id, 16);
}

static void test_roundtrip(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    static const char *docs[] = {"{}", " { \"a\" : [1,2,{\"b\":null}] } ", KAT_JSON};
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        size_t len = strlen(docs[i]);
        uint8_t *buf = NULL;
        size_t n = 0;
        assert_int_equal(tamga_privmeta_seal(pk, cid, rid, docs[i], len, &buf, &n), TAMGA_OK);
        assert_int_equal(n, 148 + len + 16);
        /* Nothing of the plaintext appears in clear. */
        for (size_t k = 0; len >= 8 && k + 8 <= n; k++)
            assert_true(memcmp(buf + k, docs[i] + len / 2 - 4, 8) != 0);
        uint8_t c2[16], r2[16];
        assert_int_equal(tamga_privmeta_check_header(buf, n, c2, r2), TAMGA_OK);
        assert_memory_equal(c2, cid, 16);
        assert_memory_equal(r2, rid, 16);
        char *json = NULL;
        size_t jl = 0;
        assert_int_equal(tamga_privmeta_open(buf, n, pk, sk, cid, rid, &json, &jl), TAMGA_OK);
        assert_int_equal(jl, len);
        assert_memory_equal(json, docs[i], len);
        assert_int_equal(json[len], '\0');
        sodium_free(json);
        /* Sealing twice gives different bytes (fresh key and nonce). */
        uint8_t *buf2 = NULL;
        size_t n2 = 0;
        assert_int_equal(tamga_privmeta_seal(pk, cid, rid, docs[i], len, &buf2, &n2), TAMGA_OK);
        assert_int_equal(n2, n);
        assert_true(memcmp(buf + 44, buf2 + 44, n - 44) != 0);
        free(buf2);
        free(buf);
    }
}

static void test_write_file(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("privmeta-write");
    char *path = tu_path(dir, "r.private");
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    assert_int_equal(tamga_privmeta_write(path, pk, cid, rid, KAT_JSON, strlen(KAT_JSON)),
                     TAMGA_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    size_t n;
    uint8_t *buf = tu_read(path, &n);
    char *json = NULL;
    size_t jl = 0;
    assert_int_equal(tamga_privmeta_open(buf, n, pk, sk, cid, rid, &json, &jl), TAMGA_OK);
    assert_string_equal(json, KAT_JSON);
    sodium_free(json);
    /* Never overwrites; the old file stays intact. */
    assert_int_equal(tamga_privmeta_write(path, pk, cid, rid, "{}", 2), TAMGA_ERR_EXISTS);
    size_t n2;
    uint8_t *buf2 = tu_read(path, &n2);
    assert_int_equal(n2, n);
    assert_memory_equal(buf, buf2, n);
    free(buf2);
    free(buf);
    tu_rm_rf(dir);
    free(path);
    free(dir);
}

static void test_bad_plaintext(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    static const char *bad[] = {"", "[]", "\"x\"", "1", "{", "{}x", "{\"a\":1,\"a\":2}", "null"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t *buf = (uint8_t *)&buf;
        size_t n = 1;
        assert_int_equal(tamga_privmeta_seal(pk, cid, rid, bad[i], strlen(bad[i]), &buf, &n),
                         TAMGA_ERR_FORMAT);
        assert_null(buf);
        assert_int_equal(n, 0);
    }
    /* An embedded NUL is not JSON text. */
    uint8_t *buf = NULL;
    size_t n = 0;
    assert_int_equal(tamga_privmeta_seal(pk, cid, rid, "{}\0", 3, &buf, &n), TAMGA_ERR_FORMAT);
    /* Over the limit. */
    size_t big = TAMGA_PRIVMETA_MAX_PLAIN + 1;
    char *s = malloc(big);
    assert_non_null(s);
    memset(s, ' ', big);
    s[0] = '{';
    s[big - 1] = '}';
    assert_int_equal(tamga_privmeta_seal(pk, cid, rid, s, big, &buf, &n), TAMGA_ERR_TOO_LARGE);
    /* Exactly at the limit is fine. */
    s[big - 2] = '}';
    assert_int_equal(tamga_privmeta_seal(pk, cid, rid, s, big - 1, &buf, &n), TAMGA_OK);
    char *json = NULL;
    size_t jl = 0;
    assert_int_equal(tamga_privmeta_open(buf, n, pk, sk, cid, rid, &json, &jl), TAMGA_OK);
    assert_int_equal(jl, TAMGA_PRIVMETA_MAX_PLAIN);
    sodium_free(json);
    /* One byte more in the file is refused before decrypting. */
    uint8_t *bigger = realloc(buf, n + 1);
    assert_non_null(bigger);
    uint8_t c2[16], r2[16];
    assert_int_equal(tamga_privmeta_check_header(bigger, n + 1, c2, r2), TAMGA_ERR_TOO_LARGE);
    free(bigger);
    free(s);
}

static void test_wrong_key_and_ids(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32], cid[16], rid[16], pk2[32], sk2[32];
    random_keys(pk, sk, cid, rid);
    crypto_box_keypair(pk2, sk2);
    uint8_t *buf = NULL;
    size_t n = 0;
    assert_int_equal(tamga_privmeta_seal(pk, cid, rid, KAT_JSON, strlen(KAT_JSON), &buf, &n),
                     TAMGA_OK);
    char *json = (char *)&json;
    size_t jl = 1;
    assert_int_equal(tamga_privmeta_open(buf, n, pk2, sk2, cid, rid, &json, &jl), TAMGA_ERR_AUTH);
    assert_null(json);
    assert_int_equal(jl, 0);
    assert_int_equal(tamga_privmeta_open(buf, n, pk, sk2, cid, rid, &json, &jl), TAMGA_ERR_AUTH);
    uint8_t other[16];
    memcpy(other, cid, 16);
    other[15] ^= 1;
    assert_int_equal(tamga_privmeta_open(buf, n, pk, sk, other, rid, &json, &jl),
                     TAMGA_ERR_WRONG_CASE);
    assert_null(json);
    assert_int_equal(tamga_privmeta_open(buf, n, pk, sk, cid, other, &json, &jl),
                     TAMGA_ERR_WRONG_CASE);
    memcpy(other, rid, 16);
    other[0] ^= 0x80;
    assert_int_equal(tamga_privmeta_open(buf, n, pk, sk, cid, other, &json, &jl),
                     TAMGA_ERR_WRONG_CASE);
    /* The ids are checked before any key is tried. */
    assert_int_equal(tamga_privmeta_open(buf, n, pk2, sk2, cid, other, &json, &jl),
                     TAMGA_ERR_WRONG_CASE);
    /* Header ids rewritten to claim another recording: the AEAD catches it. */
    buf[28] ^= 1;
    memcpy(other, rid, 16);
    other[0] ^= 1;
    assert_int_equal(tamga_privmeta_open(buf, n, pk, sk, cid, other, &json, &jl), TAMGA_ERR_AUTH);
    free(buf);
}

static void test_header_errors(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    uint8_t *buf = NULL;
    size_t n = 0;
    assert_int_equal(tamga_privmeta_seal(pk, cid, rid, "{}", 2, &buf, &n), TAMGA_OK);
    uint8_t c2[16], r2[16];
    tamga_store_le16(buf + 8, 2);
    assert_int_equal(tamga_privmeta_check_header(buf, n, c2, r2), TAMGA_ERR_UNSUPPORTED);
    uint8_t zero[16] = {0};
    assert_memory_equal(c2, zero, 16);
    tamga_store_le16(buf + 8, 1);
    tamga_store_le16(buf + 10, 0x100);
    assert_int_equal(tamga_privmeta_check_header(buf, n, c2, r2), TAMGA_ERR_FORMAT);
    tamga_store_le16(buf + 10, 0);
    buf[7] = 'R';
    assert_int_equal(tamga_privmeta_check_header(buf, n, c2, r2), TAMGA_ERR_FORMAT);
    buf[7] = 'V';
    assert_int_equal(tamga_privmeta_check_header(buf, n, c2, r2), TAMGA_OK);
    assert_int_equal(tamga_privmeta_check_header(NULL, 0, c2, r2), TAMGA_ERR_TRUNCATED);
    assert_int_equal(tamga_privmeta_check_header((const uint8_t *)"TAMGAP", 6, c2, r2),
                     TAMGA_ERR_TRUNCATED);
    /* A recording file is not private metadata. */
    assert_int_equal(tamga_privmeta_check_header((const uint8_t *)"TAMGAREC", 8, c2, r2),
                     TAMGA_ERR_FORMAT);
    free(buf);
}

static void test_truncate_and_flip(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32], cid[16], rid[16];
    random_keys(pk, sk, cid, rid);
    const char *doc = "{\"pseudonym\":\"A\"}";
    uint8_t *buf = NULL;
    size_t n = 0;
    assert_int_equal(tamga_privmeta_seal(pk, cid, rid, doc, strlen(doc), &buf, &n), TAMGA_OK);
    char *json = NULL;
    size_t jl = 0;
    /* Every truncation, and one extra byte. */
    for (size_t len = 0; len <= n + 1; len++) {
        uint8_t *t = malloc(len + 1);
        assert_non_null(t);
        memcpy(t, buf, len < n ? len : n);
        if (len > n)
            t[n] = 0;
        int rc = tamga_privmeta_open(t, len, pk, sk, cid, rid, &json, &jl);
        if (len == n) {
            assert_int_equal(rc, TAMGA_OK);
            sodium_free(json);
        } else if (len < 148 + 16 + 2) {
            assert_int_equal(rc, TAMGA_ERR_TRUNCATED);
            assert_null(json);
        } else {
            assert_int_equal(rc, TAMGA_ERR_AUTH);
            assert_null(json);
        }
        free(t);
    }
    /* Every byte flipped. */
    for (size_t i = 0; i < n; i++) {
        static const uint8_t masks[] = {0x01, 0x80};
        for (size_t m = 0; m < sizeof masks; m++) {
            buf[i] ^= masks[m];
            int rc = tamga_privmeta_open(buf, n, pk, sk, cid, rid, &json, &jl);
            if (i < 8 || (i >= 10 && i < 12))
                assert_int_equal(rc, TAMGA_ERR_FORMAT);
            else if (i < 10)
                assert_int_equal(rc, TAMGA_ERR_UNSUPPORTED);
            else if (i < 44)
                assert_int_equal(rc, TAMGA_ERR_WRONG_CASE);
            else
                assert_int_equal(rc, TAMGA_ERR_AUTH);
            assert_null(json);
            buf[i] ^= masks[m];
        }
    }
    free(buf);
}

/* ---- known-answer vector ---- */

static int make_vectors(const char *dir)
{
    uint8_t pk[32], sk[32], cid[16], rid[16];
    kat_keys(pk, sk, cid, rid);
    uint8_t *buf = NULL;
    size_t n = 0;
    if (tamga_privmeta_seal(pk, cid, rid, KAT_JSON, strlen(KAT_JSON), &buf, &n) != TAMGA_OK)
        return 1;
    char *path = tu_path(dir, "kat1.private");
    tu_write(path, buf, n);
    char hx[256];
    json_t *j = json_object();
    json_object_set_new(j, "description",
                        json_string("tamga private metadata v1 known-answer vector; made by "
                                    "`test-privmeta --make-vectors DIR`"));
    tamga_hex_encode(pk, 32, hx);
    json_object_set_new(j, "case_pk", json_string(hx));
    tamga_hex_encode(sk, 32, hx);
    json_object_set_new(j, "case_sk", json_string(hx));
    tamga_hex_encode(cid, 16, hx);
    json_object_set_new(j, "case_id", json_string(hx));
    tamga_hex_encode(rid, 16, hx);
    json_object_set_new(j, "recording_id", json_string(hx));
    json_object_set_new(j, "plaintext", json_string(KAT_JSON));
    uint8_t sha[32];
    crypto_hash_sha256(sha, buf, n);
    tamga_hex_encode(sha, 32, hx);
    json_object_set_new(j, "file_sha256", json_string(hx));
    char *jp = tu_path(dir, "kat1.json");
    int rc = json_dump_file(j, jp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    free(jp);
    free(path);
    free(buf);
    return rc == 0 ? 0 : 1;
}

static void test_kat(void **state)
{
    (void)state;
    json_error_t err;
    json_t *j = json_load_file(TAMGA_TEST_VECTORS "/privmeta/kat1.json", 0, &err);
    assert_non_null(j);
    uint8_t pk[32], sk[32], cid[16], rid[16], sha[32], got[32];
    assert_int_equal(tamga_json_get_hex(j, "case_pk", pk, 32, "kat"), TAMGA_OK);
    assert_int_equal(tamga_json_get_hex(j, "case_sk", sk, 32, "kat"), TAMGA_OK);
    assert_int_equal(tamga_json_get_hex(j, "case_id", cid, 16, "kat"), TAMGA_OK);
    assert_int_equal(tamga_json_get_hex(j, "recording_id", rid, 16, "kat"), TAMGA_OK);
    assert_int_equal(tamga_json_get_hex(j, "file_sha256", sha, 32, "kat"), TAMGA_OK);
    const char *plain = json_string_value(json_object_get(j, "plaintext"));
    assert_non_null(plain);
    assert_string_equal(plain, KAT_JSON);
    size_t n;
    uint8_t *buf = tu_read(TAMGA_TEST_VECTORS "/privmeta/kat1.private", &n);
    crypto_hash_sha256(got, buf, n);
    assert_memory_equal(got, sha, 32);
    uint8_t c2[16], r2[16];
    assert_int_equal(tamga_privmeta_check_header(buf, n, c2, r2), TAMGA_OK);
    assert_memory_equal(c2, cid, 16);
    assert_memory_equal(r2, rid, 16);
    char *json = NULL;
    size_t jl = 0;
    assert_int_equal(tamga_privmeta_open(buf, n, pk, sk, cid, rid, &json, &jl), TAMGA_OK);
    assert_int_equal(jl, strlen(KAT_JSON));
    assert_string_equal(json, KAT_JSON);
    sodium_free(json);
    free(buf);
    json_decref(j);
}

static void test_kat_regenerates(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("privmeta-kat");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl(self_path, self_path, "--make-vectors", dir, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char *p = tu_path(dir, "kat1.private");
    size_t n1, n2;
    uint8_t *a = tu_read(p, &n1);
    uint8_t *b = tu_read(TAMGA_TEST_VECTORS "/privmeta/kat1.private", &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    free(a);
    free(b);
    free(p);
    tu_rm_rf(dir);
    free(dir);
}

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc == 3 && strcmp(argv[1], "--make-vectors") == 0) {
        randombytes_set_implementation(&det_impl);
        if (tamga_init() != TAMGA_OK)
            return 1;
        return make_vectors(argv[2]);
    }
    if (tamga_init() != TAMGA_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),     cmocka_unit_test(test_write_file),
        cmocka_unit_test(test_bad_plaintext), cmocka_unit_test(test_wrong_key_and_ids),
        cmocka_unit_test(test_header_errors), cmocka_unit_test(test_truncate_and_flip),
        cmocka_unit_test(test_kat),           cmocka_unit_test(test_kat_regenerates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
