/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Identities: key ids, names, the secret file, public identity files, Bech32. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sodium.h>

#include "bech32.h"
#include "identity-internal.h"
#include "tamga/case.h"
#include "tamga/error.h"
#include "tamga/identity.h"
#include "tamga/minisig.h"
#include "tamga/tamga.h"
#include "util.h"

#define VEC(f)   TAMGA_TEST_VECTORS "/identity/" f
#define KAT_PASS "tamga known-answer passphrase"
#define KAT_NAME "Vector \xc3\x9c Tester"
#define PASS     "a passphrase for tests"

static int have_tool(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

static char *trim_line(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* ---- key ids ---- */

static void test_keyid(void **state)
{
    (void)state;
    /* minisign prints the key id as the 8 bytes read little-endian. */
    const uint8_t keynum[8] = {0x21, 0xfc, 0x96, 0x87, 0x08, 0x4c, 0x1c, 0x3f};
    char out[17];
    tamga_keyid_format(keynum, out);
    assert_string_equal(out, "3F1C4C088796FC21");
    uint8_t back[8];
    assert_int_equal(tamga_keyid_parse("3F1C4C088796FC21", back), TAMGA_OK);
    assert_memory_equal(back, keynum, 8);
    assert_int_equal(tamga_keyid_parse("3f1c4c088796fc21", back), TAMGA_OK);
    assert_memory_equal(back, keynum, 8);
    const uint8_t zero[8] = {0}, ones[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    tamga_keyid_format(zero, out);
    assert_string_equal(out, "0000000000000000");
    tamga_keyid_format(ones, out);
    assert_string_equal(out, "FFFFFFFFFFFFFFFF");

    const char *bad[] = {"",
                         "3F1C4C088796FC2",
                         "3F1C4C088796FC211",
                         "3F1C4C088796FC2G",
                         "0x1C4C088796FC21",
                         " F1C4C088796FC21",
                         "3F1C4C088796FC2 ",
                         "-F1C4C088796FC21"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(back, 0xAA, sizeof back);
        assert_int_equal(tamga_keyid_parse(bad[i], back), TAMGA_ERR_FORMAT);
        assert_memory_equal(back, zero, 8);
    }
}

/* ---- names ---- */

static void test_names(void **state)
{
    (void)state;
    char n128[129], n129[130];
    memset(n128, 'x', 128);
    n128[128] = '\0';
    memset(n129, 'x', 129);
    n129[129] = '\0';
    const char *good[] = {"a", "Zo\xc3\xab \xe5\xb1\xb1\xe7\x94\xb0", n128,
                          "\xf0\x9f\x98\x80 emoji", "tab-free name"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        tamga_identity *id = NULL;
        assert_int_equal(tamga_identity_generate(good[i], &id), TAMGA_OK);
        assert_string_equal(tamga_identity_get_public(id)->name, good[i]);
        tamga_identity_free(id);
    }
    const char *bad[] = {"",
                         n129,
                         "tab\there",
                         "new\nline",
                         "del\x7f",
                         "c1 \xc2\x85",
                         "bad \xff",
                         "overlong \xc0\xaf",
                         "overlong3 \xe0\x80\xaf",
                         "surrogate \xed\xa0\x80",
                         "too big \xf4\x90\x80\x80",
                         "cut \xe2\x82",
                         "lone cont \x80",
                         "line sep \xe2\x80\xa8",
                         "esc \x1b[31m"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tamga_identity *id = (tamga_identity *)1;
        assert_int_equal(tamga_identity_generate(bad[i], &id), TAMGA_ERR_INVALID);
        assert_null(id);
    }
}

/* ---- generated identities ---- */

static void test_generate_sign_seal(void **state)
{
    (void)state;
    tamga_identity *id = NULL;
    assert_int_equal(tamga_identity_generate("Alice", &id), TAMGA_OK);
    assert_true(tamga_identity_is_unlocked(id));
    const tamga_pubid *pub = tamga_identity_get_public(id);
    uint8_t sig[64];
    const uint8_t msg[] = "a message";
    assert_int_equal(tamga_identity_sign(id, msg, sizeof msg, sig), TAMGA_OK);
    assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof msg, pub->sign_pk), 0);

    /* Sealed boxes addressed to the X25519 key. */
    uint8_t plain[40], box[40 + crypto_box_SEALBYTES], out[40];
    randombytes_buf(plain, sizeof plain);
    assert_int_equal(crypto_box_seal(box, plain, sizeof plain, pub->enc_pk), 0);
    assert_int_equal(tamga_identity_open_sealed(id, box, sizeof box, out), TAMGA_OK);
    assert_memory_equal(out, plain, sizeof plain);
    for (size_t i = 0; i < sizeof box; i++) {
        box[i] ^= 0x01;
        memset(out, 0xAA, sizeof out);
        assert_int_equal(tamga_identity_open_sealed(id, box, sizeof box, out), TAMGA_ERR_AUTH);
        for (size_t k = 0; k < sizeof out; k++)
            assert_int_equal(out[k], 0);
        box[i] ^= 0x01;
    }
    for (size_t len = 0; len < crypto_box_SEALBYTES; len++)
        assert_int_equal(tamga_identity_open_sealed(id, box, len, out), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_identity_open_sealed(id, box, crypto_box_SEALBYTES, out),
                     TAMGA_ERR_AUTH);

    /* A box for somebody else. */
    tamga_identity *bob = NULL;
    assert_int_equal(tamga_identity_generate("Bob", &bob), TAMGA_OK);
    assert_int_equal(
        crypto_box_seal(box, plain, sizeof plain, tamga_identity_get_public(bob)->enc_pk), 0);
    assert_int_equal(tamga_identity_open_sealed(id, box, sizeof box, out), TAMGA_ERR_AUTH);
    assert_int_equal(tamga_identity_open_sealed(bob, box, sizeof box, out), TAMGA_OK);
    assert_memory_equal(out, plain, sizeof plain);
    assert_memory_not_equal(tamga_identity_get_public(bob)->keynum, pub->keynum, 8);

    /* Locked: nothing secret works, and a generated identity cannot come back. */
    tamga_identity_lock(id);
    assert_false(tamga_identity_is_unlocked(id));
    memset(sig, 0xAA, sizeof sig);
    assert_int_equal(tamga_identity_sign(id, msg, sizeof msg, sig), TAMGA_ERR_LOCKED);
    for (size_t k = 0; k < sizeof sig; k++)
        assert_int_equal(sig[k], 0);
    assert_int_equal(tamga_identity_open_sealed(id, box, sizeof box, out), TAMGA_ERR_LOCKED);
    assert_int_equal(tamga_identity_unlock(id, PASS, strlen(PASS)), TAMGA_ERR_INVALID);
    char *json = (char *)1;
    assert_int_equal(tamga_pubid_to_json(pub, id, &json), TAMGA_ERR_LOCKED);
    assert_null(json);
    assert_int_equal(tamga_identity_save(id, "/nonexistent/a", "/nonexistent/b", PASS, strlen(PASS),
                                         TAMGA_KDF_INTERACTIVE, 0),
                     TAMGA_ERR_LOCKED);
    tamga_identity_free(id);
    tamga_identity_free(bob);
    tamga_identity_free(NULL);
}

/* ---- saving and loading ---- */

static void test_save_load_unlock(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("identity-save");
    char *sec = tu_path(dir, "secret.key"), *pubp = tu_path(dir, "public.json");
    tamga_identity *id = NULL;
    assert_int_equal(tamga_identity_generate("Ay\xc5\x9f"
                                             "e Y\xc4\xb1lmaz",
                                             &id),
                     TAMGA_OK);
    assert_int_equal(
        tamga_identity_save(id, sec, pubp, PASS, strlen(PASS), TAMGA_KDF_INTERACTIVE, 0), TAMGA_OK);
    struct stat st;
    assert_int_equal(stat(sec, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(pubp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);

    /* Never silently overwritten. */
    size_t len0, len1;
    uint8_t *before = tu_read(sec, &len0);
    assert_int_equal(
        tamga_identity_save(id, sec, pubp, PASS, strlen(PASS), TAMGA_KDF_INTERACTIVE, 0),
        TAMGA_ERR_EXISTS);
    uint8_t *after = tu_read(sec, &len1);
    assert_int_equal(len0, len1);
    assert_memory_equal(before, after, len0);
    free(after);
    char *other = tu_path(dir, "other.key");
    assert_int_equal(
        tamga_identity_save(id, other, pubp, PASS, strlen(PASS), TAMGA_KDF_INTERACTIVE, 0),
        TAMGA_ERR_EXISTS);
    assert_false(tamga_file_exists(other));
    assert_int_equal(tamga_identity_save(id, other, NULL, PASS, strlen(PASS), 99, 0),
                     TAMGA_ERR_INVALID);
    assert_false(tamga_file_exists(other));
    assert_int_equal(
        tamga_identity_save(id, sec, pubp, PASS, strlen(PASS), TAMGA_KDF_INTERACTIVE, 1), TAMGA_OK);
    after = tu_read(sec, &len1);
    assert_int_equal(len0, len1);
    assert_memory_not_equal(before, after, len0); /* fresh salt and nonce */
    free(after);
    free(before);

    tamga_identity *loaded = NULL;
    assert_int_equal(tamga_identity_load(sec, &loaded), TAMGA_OK);
    assert_false(tamga_identity_is_unlocked(loaded));
    const tamga_pubid *p0 = tamga_identity_get_public(id), *p1 = tamga_identity_get_public(loaded);
    assert_memory_equal(p0, p1, sizeof *p0);
    uint8_t sig[64];
    assert_int_equal(tamga_identity_sign(loaded, (const uint8_t *)"x", 1, sig), TAMGA_ERR_LOCKED);

    assert_int_equal(tamga_identity_unlock(loaded, "wrong", 5), TAMGA_ERR_PASSPHRASE);
    assert_false(tamga_identity_is_unlocked(loaded));
    assert_int_equal(tamga_identity_unlock(loaded, PASS, strlen(PASS) - 1), TAMGA_ERR_PASSPHRASE);
    assert_int_equal(tamga_identity_unlock(loaded, "", 0), TAMGA_ERR_PASSPHRASE);
    assert_int_equal(tamga_identity_unlock(loaded, PASS, strlen(PASS)), TAMGA_OK);
    assert_true(tamga_identity_is_unlocked(loaded));

    /* Same keys: signatures are deterministic, sealed boxes open. */
    uint8_t sig0[64];
    assert_int_equal(tamga_identity_sign(id, (const uint8_t *)"x", 1, sig0), TAMGA_OK);
    assert_int_equal(tamga_identity_sign(loaded, (const uint8_t *)"x", 1, sig), TAMGA_OK);
    assert_memory_equal(sig, sig0, 64);
    uint8_t box[5 + crypto_box_SEALBYTES], out[5];
    crypto_box_seal(box, (const uint8_t *)"hello", 5, p0->enc_pk);
    assert_int_equal(tamga_identity_open_sealed(loaded, box, sizeof box, out), TAMGA_OK);
    assert_memory_equal(out, "hello", 5);

    /* Lock and unlock again; unlocking twice is fine. */
    tamga_identity_lock(loaded);
    assert_false(tamga_identity_is_unlocked(loaded));
    assert_int_equal(tamga_identity_unlock(loaded, PASS, strlen(PASS)), TAMGA_OK);
    assert_int_equal(tamga_identity_unlock(loaded, PASS, strlen(PASS)), TAMGA_OK);
    assert_int_equal(tamga_identity_unlock(loaded, "nope", 4), TAMGA_ERR_PASSPHRASE);
    assert_true(tamga_identity_is_unlocked(loaded)); /* a failed attempt keeps the keys */

    /* The public file written alongside parses back to the same identity. */
    tamga_pubid pub;
    assert_int_equal(tamga_pubid_load(pubp, &pub), TAMGA_OK);
    assert_memory_equal(&pub, p0, sizeof pub);

    /* Missing files. */
    tamga_identity *none = (tamga_identity *)1;
    char *missing = tu_path(dir, "missing.key");
    assert_int_equal(tamga_identity_load(missing, &none), TAMGA_ERR_NOT_FOUND);
    assert_null(none);
    assert_int_equal(tamga_pubid_load(missing, &pub), TAMGA_ERR_NOT_FOUND);

    /* Too large. */
    uint8_t big[TAMGA_ID_FILE_MAX + 1];
    memset(big, 'A', sizeof big);
    tu_write(other, big, sizeof big);
    assert_int_equal(tamga_identity_load(other, &none), TAMGA_ERR_TOO_LARGE);
    assert_null(none);
    tu_write(other, big, sizeof big - 1);
    assert_int_equal(tamga_identity_load(other, &none), TAMGA_ERR_FORMAT);

    tamga_identity_free(loaded);
    tamga_identity_free(id);
    tu_rm_rf(dir);
    free(missing);
    free(other);
    free(sec);
    free(pubp);
    free(dir);
}

/* Adopting a kept secret key file as a data folder's identity. */
static void test_import(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("identity-import");
    char *src = tu_path(dir, "backup.key"), *srcpub = tu_path(dir, "backup.json");
    char *home = tu_path(dir, "home"), *junk = tu_path(dir, "junk.key");
    tamga_identity *id = NULL, *got = NULL;
    assert_int_equal(tamga_identity_generate("Field laptop", &id), TAMGA_OK);
    assert_int_equal(
        tamga_identity_save(id, src, srcpub, PASS, strlen(PASS), TAMGA_KDF_INTERACTIVE, 0),
        TAMGA_OK);

    /* A wrong passphrase, a file that is not a key, a missing file: nothing written. */
    assert_int_equal(tamga_identity_import(home, src, "wrong", 5, &got), TAMGA_ERR_PASSPHRASE);
    assert_null(got);
    assert_false(tamga_file_exists(home));
    tu_write(junk, "{\"not\": \"a key\"}\n", 17);
    assert_int_equal(tamga_identity_import(home, junk, PASS, strlen(PASS), &got), TAMGA_ERR_FORMAT);
    assert_non_null(strstr(tamga_error_detail(), "junk.key"));
    assert_int_not_equal(tamga_identity_import(home, "/nonexistent/k", PASS, strlen(PASS), &got),
                         TAMGA_OK);
    assert_false(tamga_file_exists(home));

    assert_int_equal(tamga_identity_import(home, src, PASS, strlen(PASS), &got), TAMGA_OK);
    assert_non_null(got);
    assert_true(tamga_identity_is_unlocked(got));
    assert_memory_equal(tamga_identity_get_public(id), tamga_identity_get_public(got),
                        sizeof(tamga_pubid));
    char *sec = tamga_home_secret_path(home), *pubp = tamga_home_public_path(home);
    size_t a, b;
    uint8_t *orig = tu_read(src, &a), *copy = tu_read(sec, &b);
    assert_int_equal(a, b);
    assert_memory_equal(orig, copy, a); /* the same bytes: same passphrase */
    struct stat st;
    assert_int_equal(stat(sec, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    tamga_pubid pub;
    assert_int_equal(tamga_pubid_load(pubp, &pub), TAMGA_OK);
    assert_memory_equal(pub.sign_pk, tamga_identity_get_public(id)->sign_pk, 32);

    /* Never over an existing identity. */
    assert_int_equal(tamga_identity_import(home, src, PASS, strlen(PASS), NULL), TAMGA_ERR_EXISTS);
    free(orig);
    free(copy);
    free(sec);
    free(pubp);
    tamga_identity_free(id);
    tamga_identity_free(got);
    free(src);
    free(srcpub);
    free(home);
    free(junk);
    free(dir);
}

static void test_moderate(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("identity-moderate");
    char *sec = tu_path(dir, "secret.key");
    tamga_identity *id = NULL, *loaded = NULL;
    assert_int_equal(tamga_identity_generate("Moderate", &id), TAMGA_OK);
    assert_int_equal(tamga_identity_save(id, sec, NULL, PASS, strlen(PASS), TAMGA_KDF_MODERATE, 0),
                     TAMGA_OK);
    size_t len;
    uint8_t *f = tu_read(sec, &len);
    assert_int_equal(tamga_load_le64(f + TAMGA_ID_OFF_OPSLIMIT), crypto_pwhash_OPSLIMIT_MODERATE);
    assert_int_equal(tamga_load_le64(f + TAMGA_ID_OFF_MEMLIMIT), crypto_pwhash_MEMLIMIT_MODERATE);
    free(f);
    assert_int_equal(tamga_identity_load(sec, &loaded), TAMGA_OK);
    assert_int_equal(tamga_identity_unlock(loaded, PASS, strlen(PASS)), TAMGA_OK);
    assert_memory_equal(tamga_identity_get_public(loaded), tamga_identity_get_public(id),
                        sizeof(tamga_pubid));
    tamga_identity_free(loaded);
    tamga_identity_free(id);
    tu_rm_rf(dir);
    free(sec);
    free(dir);
}

/* ---- known-answer vectors ---- */

static void test_kat(void **state)
{
    (void)state;
    tamga_identity *id = NULL;
    assert_int_equal(tamga_identity_load(VEC("secret.key"), &id), TAMGA_OK);
    const tamga_pubid *p = tamga_identity_get_public(id);
    assert_string_equal(p->name, KAT_NAME);
    char keyid[17];
    tamga_keyid_format(p->keynum, keyid);
    assert_string_equal(keyid, "C64B959F467B85C0");
    assert_int_equal(tamga_identity_unlock(id, KAT_PASS, strlen(KAT_PASS)), TAMGA_OK);

    /* Re-serialising the public file gives the same bytes. */
    size_t len;
    char *want = (char *)tu_read(VEC("public.json"), &len);
    char *json = NULL;
    assert_int_equal(tamga_pubid_to_json(p, id, &json), TAMGA_OK);
    assert_string_equal(json, want);
    tamga_pubid pub;
    assert_int_equal(tamga_pubid_parse(want, len, &pub), TAMGA_OK);
    assert_memory_equal(&pub, p, sizeof pub);
    free(json);
    free(want);

    char *text = NULL;
    want = (char *)tu_read(VEC("minisign.pub"), &len);
    assert_int_equal(tamga_pubid_minisign_pubkey(p, &text), TAMGA_OK);
    assert_string_equal(text, want);
    free(text);
    free(want);

    want = trim_line((char *)tu_read(VEC("age-recipient.txt"), &len));
    assert_int_equal(tamga_pubid_age_recipient(p, &text), TAMGA_OK);
    assert_string_equal(text, want);
    free(text);
    free(want);

    /* The stored signature key signs like the public key says. */
    uint8_t sig[64];
    assert_int_equal(tamga_identity_sign(id, (const uint8_t *)"kat", 3, sig), TAMGA_OK);
    assert_int_equal(crypto_sign_verify_detached(sig, (const uint8_t *)"kat", 3, p->sign_pk), 0);
    tamga_identity_free(id);
}

/* Builds a secret file by hand from the documented layout, independently of
 * identity.c. `enc_pk_override` replaces the stored X25519 public key. */
static uint8_t *handmade_secret_file(const char *name, const uint8_t sign_sk[64],
                                     const uint8_t enc_sk[32], const uint8_t *sign_pk_override,
                                     const uint8_t *enc_pk_override, size_t *outlen)
{
    size_t nlen = strlen(name), adlen = 142 + nlen, total = adlen + 112;
    uint8_t *f = calloc(1, total);
    assert_non_null(f);
    memcpy(f, "TAMGA-ID", 8);
    f[8] = 1;
    f[10] = 1;
    tamga_store_le64(f + 12, crypto_pwhash_OPSLIMIT_INTERACTIVE);
    tamga_store_le64(f + 20, crypto_pwhash_MEMLIMIT_INTERACTIVE);
    randombytes_buf(f + 28, 16 + 24 + 8);
    memcpy(f + 76, sign_pk_override ? sign_pk_override : sign_sk + 32, 32);
    if (enc_pk_override)
        memcpy(f + 108, enc_pk_override, 32);
    else
        crypto_scalarmult_base(f + 108, enc_sk);
    tamga_store_le16(f + 140, (uint16_t)nlen);
    memcpy(f + 142, name, nlen);
    uint8_t key[32], plain[96];
    assert_int_equal(
        crypto_pwhash(key, 32, PASS, strlen(PASS), f + 28, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                      crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13),
        0);
    memcpy(plain, sign_sk, 64);
    memcpy(plain + 64, enc_sk, 32);
    crypto_aead_xchacha20poly1305_ietf_encrypt(f + adlen, NULL, plain, 96, f, adlen, NULL, f + 44,
                                               key);
    *outlen = total;
    return f;
}

static void test_handmade_file(void **state)
{
    (void)state;
    uint8_t spk[32], ssk[64], esk[32], epk[32], other[32];
    crypto_sign_keypair(spk, ssk);
    crypto_box_keypair(epk, esk);
    randombytes_buf(other, sizeof other);
    size_t len;
    tamga_identity *id = NULL;

    uint8_t *f = handmade_secret_file("Hand Made", ssk, esk, NULL, NULL, &len);
    assert_int_equal(tamga_identity_parse(f, len, &id), TAMGA_OK);
    assert_int_equal(tamga_identity_unlock(id, PASS, strlen(PASS)), TAMGA_OK);
    assert_memory_equal(tamga_identity_get_public(id)->sign_pk, spk, 32);
    assert_memory_equal(tamga_identity_get_public(id)->enc_pk, epk, 32);
    assert_memory_equal(tamga_identity_get_public(id)->keynum, f + 68, 8);
    tamga_identity_free(id);
    free(f);

    /* Encrypted keys that do not match the public keys in the header. */
    f = handmade_secret_file("Hand Made", ssk, esk, NULL, other, &len);
    assert_int_equal(tamga_identity_parse(f, len, &id), TAMGA_OK);
    assert_int_equal(tamga_identity_unlock(id, PASS, strlen(PASS)), TAMGA_ERR_FORMAT);
    assert_non_null(strstr(tamga_error_detail(), "inconsistent"));
    assert_false(tamga_identity_is_unlocked(id));
    tamga_identity_free(id);
    free(f);
    f = handmade_secret_file("Hand Made", ssk, esk, other, NULL, &len);
    assert_int_equal(tamga_identity_parse(f, len, &id), TAMGA_OK);
    assert_int_equal(tamga_identity_unlock(id, PASS, strlen(PASS)), TAMGA_ERR_FORMAT);
    tamga_identity_free(id);
    free(f);
    /* A secret key whose public half disagrees with its seed. */
    uint8_t ssk2[64];
    memcpy(ssk2, ssk, 64);
    memcpy(ssk2 + 32, other, 32);
    f = handmade_secret_file("Hand Made", ssk2, esk, other, NULL, &len);
    assert_int_equal(tamga_identity_parse(f, len, &id), TAMGA_OK);
    assert_int_equal(tamga_identity_unlock(id, PASS, strlen(PASS)), TAMGA_ERR_FORMAT);
    tamga_identity_free(id);
    free(f);
}

static int parse_rc(const uint8_t *data, size_t len)
{
    tamga_identity *id = (tamga_identity *)1;
    int rc = tamga_identity_parse(data, len, &id);
    if (rc != TAMGA_OK)
        assert_null(id);
    tamga_identity_free(id);
    return rc;
}

static void test_secret_file_bad(void **state)
{
    (void)state;
    size_t len;
    uint8_t *kat = tu_read(VEC("secret.key"), &len);
    assert_int_equal(parse_rc(kat, len), TAMGA_OK);
    /* Truncated at every length, and one byte too many. */
    for (size_t n = 0; n < len; n++)
        assert_int_equal(parse_rc(kat, n), TAMGA_ERR_FORMAT);
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, kat, len);
    longer[len] = 0;
    assert_int_equal(parse_rc(longer, len + 1), TAMGA_ERR_FORMAT);
    free(longer);

    uint8_t *f = malloc(len);
    struct {
        size_t off;
        int width;
        uint64_t value;
        int rc;
    } cases[] = {
        {0, 1, 't', TAMGA_ERR_FORMAT},               /* magic */
        {8, 2, 2, TAMGA_ERR_UNSUPPORTED},            /* version */
        {8, 2, 0, TAMGA_ERR_UNSUPPORTED},            /* version */
        {10, 2, 2, TAMGA_ERR_UNSUPPORTED},           /* KDF */
        {12, 8, 0, TAMGA_ERR_FORMAT},                /* opslimit too small */
        {12, 8, 17, TAMGA_ERR_FORMAT},               /* opslimit too large */
        {12, 8, UINT64_MAX, TAMGA_ERR_FORMAT},       /* opslimit absurd */
        {20, 8, 8191, TAMGA_ERR_FORMAT},             /* memlimit too small */
        {20, 8, (2ULL << 30) + 1, TAMGA_ERR_FORMAT}, /* memlimit too large */
        {20, 8, UINT64_MAX, TAMGA_ERR_FORMAT},       /* memlimit absurd */
        {140, 2, 0, TAMGA_ERR_FORMAT},               /* empty name */
        {140, 2, 129, TAMGA_ERR_FORMAT},             /* name too long */
        {140, 2, 0xffff, TAMGA_ERR_FORMAT},          /* name absurd */
        {140, 2, 15, TAMGA_ERR_FORMAT},              /* length mismatch */
        {142, 1, '\n', TAMGA_ERR_FORMAT},            /* control character in the name */
        {142, 1, 0xff, TAMGA_ERR_FORMAT},            /* invalid UTF-8 */
        {142 + 8, 1, 'x', TAMGA_ERR_FORMAT},         /* breaks the UTF-8 of "Ü" */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(f, kat, len);
        for (int b = 0; b < cases[i].width; b++)
            f[cases[i].off + (size_t)b] = (uint8_t)(cases[i].value >> (8 * b));
        int rc = parse_rc(f, len);
        if (rc != cases[i].rc)
            fail_msg("case %zu: got %d, want %d (%s)", i, rc, cases[i].rc, tamga_error_detail());
    }
    /* Boundaries that are accepted. */
    memcpy(f, kat, len);
    tamga_store_le64(f + 12, 16);
    tamga_store_le64(f + 20, 2ULL << 30);
    assert_int_equal(parse_rc(f, len), TAMGA_OK);
    tamga_store_le64(f + 12, 1);
    tamga_store_le64(f + 20, 8192);
    assert_int_equal(parse_rc(f, len), TAMGA_OK);
    free(f);
    free(kat);
}

/* A flipped bit anywhere makes loading or unlocking fail. */
static void test_secret_file_flips(void **state)
{
    (void)state;
    size_t len;
    uint8_t *kat = tu_read(VEC("secret.key"), &len);
    uint8_t *f = malloc(len);
    const uint8_t masks[2] = {0x01, 0x80};
    int unlocked_attempts = 0;
    for (int m = 0; m < 2; m++) {
        for (size_t i = 0; i < len; i++) {
            /* 0x80 flips only up to the salt, where the high bit reaches other
             * checks (the KDF bounds); elsewhere any change is the same AD or key
             * change as 0x01, and each attempt costs an Argon2id run. */
            if (masks[m] == 0x80 && i >= TAMGA_ID_OFF_NONCE)
                break;
            memcpy(f, kat, len);
            f[i] ^= masks[m];
            tamga_identity *id = NULL;
            int rc = tamga_identity_parse(f, len, &id);
            if (rc != TAMGA_OK) {
                assert_true(rc == TAMGA_ERR_FORMAT || rc == TAMGA_ERR_UNSUPPORTED);
                continue;
            }
            rc = tamga_identity_unlock(id, KAT_PASS, strlen(KAT_PASS));
            if (rc != TAMGA_ERR_PASSPHRASE)
                fail_msg("flip 0x%02x at offset %zu: unlock gave %d", masks[m], i, rc);
            assert_false(tamga_identity_is_unlocked(id));
            unlocked_attempts++;
            tamga_identity_free(id);
        }
    }
    assert_true(unlocked_attempts > 230);
    free(f);
    free(kat);
}

/* ---- public identity files ---- */

static int pubid_rc(const char *text, size_t len)
{
    tamga_pubid pub;
    memset(&pub, 0xAA, sizeof pub);
    int rc = tamga_pubid_parse(text, len, &pub);
    if (rc != TAMGA_OK) {
        const uint8_t *p = (const uint8_t *)&pub;
        for (size_t i = 0; i < sizeof pub; i++)
            assert_int_equal(p[i], 0);
    }
    return rc;
}

static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t n = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    size_t pre = (size_t)(at - text);
    memcpy(out, text, pre);
    strcpy(out + pre, to);
    strcat(out, at + strlen(from));
    return out;
}

static void test_pubid_bad(void **state)
{
    (void)state;
    size_t len;
    char *kat = (char *)tu_read(VEC("public.json"), &len);
    assert_int_equal(pubid_rc(kat, len), TAMGA_OK);
    /* Truncated at every length. */
    for (size_t n = 0; n < len - 1; n++)
        assert_int_not_equal(pubid_rc(kat, n), TAMGA_OK);
    assert_int_equal(pubid_rc(kat, len - 1), TAMGA_OK); /* only the final newline gone */

    /* A second valid identity, to swap parts between the two. */
    tamga_identity *other = NULL;
    assert_int_equal(tamga_identity_generate("Other", &other), TAMGA_OK);
    char *orec = NULL, *ojson = NULL;
    assert_int_equal(tamga_pubid_age_recipient(tamga_identity_get_public(other), &orec), TAMGA_OK);
    assert_int_equal(tamga_pubid_to_json(tamga_identity_get_public(other), other, &ojson),
                     TAMGA_OK);
    assert_int_equal(pubid_rc(ojson, strlen(ojson)), TAMGA_OK);

    struct {
        const char *from, *to;
        int rc;
    } cases[] = {
        {"\"Vector \xc3\x9c Tester\"", "\"Vector U Tester\"", TAMGA_ERR_AUTH},
        {"\"Vector \xc3\x9c Tester\"", "\"\"", TAMGA_ERR_FORMAT},
        {"\"Vector \xc3\x9c Tester\"", "\"Vector\\u0000\"", TAMGA_ERR_FORMAT},
        {"\"Vector \xc3\x9c Tester\"", "\"Vector\\n\"", TAMGA_ERR_FORMAT},
        {"\"Vector \xc3\x9c Tester\"", "7", TAMGA_ERR_FORMAT},
        {"age1g9txrfvzml787cfmav9dt6w90fedw934x7w8d866r46zqkvc8feqj6q5sp", orec, TAMGA_ERR_AUTH},
        {"age1g9txrfvzml787cfmav9dt6w90fedw934x7w8d866r46zqkvc8feqj6q5sp",
         "AGE1G9TXRFVZML787CFMAV9DT6W90FEDW934X7W8D866R46ZQKVC8FEQJ6Q5SP", TAMGA_ERR_FORMAT},
        {"age1g9txrfvzml787cfmav9dt6w90fedw934x7w8d866r46zqkvc8feqj6q5sp",
         "age1g9txrfvzml787cfmav9dt6w90fedw934x7w8d866r46zqkvc8feqj6q5sq", TAMGA_ERR_FORMAT},
        {"\"C64B959F467B85C0\"", "\"c64b959f467b85c0\"", TAMGA_ERR_FORMAT},
        {"\"C64B959F467B85C0\"", "\"C64B959F467B85C1\"", TAMGA_ERR_FORMAT},
        {"\"tamga-identity\"", "\"tamga-identities\"", TAMGA_ERR_FORMAT},
        {"\"version\": 1", "\"version\": 2", TAMGA_ERR_UNSUPPORTED},
        {"\"version\": 1", "\"version\": 1.0", TAMGA_ERR_FORMAT},
        {"\"version\": 1", "\"version\": \"1\"", TAMGA_ERR_FORMAT},
        {"\"version\": 1,", "\"version\": 1, \"extra\": 1,", TAMGA_ERR_FORMAT},
        {"\"version\": 1,", "\"version\": 1, \"version\": 1,", TAMGA_ERR_FORMAT},
        {"\"name\"", "\"Name\"", TAMGA_ERR_FORMAT},
        {"RWTAhXtGn5VLxjSJo9w90pY/gfFCIUEs852u3C9dnJkSHz7UH1XNTODr",
         "RWTAhXtGn5VLxjSJo9w90pY/gfFCIUEs852u3C9dnJkSHz7UH1XNTODs", TAMGA_ERR_AUTH},
        {"RWTAhXtGn5VLxjSJo9w90pY/gfFCIUEs852u3C9dnJkSHz7UH1XNTODr",
         "RXTAhXtGn5VLxjSJo9w90pY/gfFCIUEs852u3C9dnJkSHz7UH1XNTODr", TAMGA_ERR_UNSUPPORTED},
        {"RWTAhXtGn5VLxjSJo9w90pY/gfFCIUEs852u3C9dnJkSHz7UH1XNTODr",
         "RWTAhXtGn5VLxjSJo9w90pY/gfFCIUEs852u3C9dnJkSHz7UH1XNTOD", TAMGA_ERR_FORMAT},
        {"RWTAhXtGn5VLxjSJo9w90pY/gfFCIUEs852u3C9dnJkSHz7UH1XNTODr",
         " RWTAhXtGn5VLxjSJo9w90pY/gfFCIUEs852u3C9dnJkSHz7UH1XNTODr", TAMGA_ERR_FORMAT},
        {"BA==\"", "BA\"", TAMGA_ERR_FORMAT},
        {"BA==\"", "BB==\"", TAMGA_ERR_FORMAT},
        {"uOu6", "uOu7", TAMGA_ERR_AUTH},
        {"}\n", "}\n}", TAMGA_ERR_FORMAT},
        {"}\n", "} x", TAMGA_ERR_FORMAT},
        {"{", "[{", TAMGA_ERR_FORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = replace(kat, cases[i].from, cases[i].to);
        int rc = pubid_rc(t, strlen(t));
        if (rc != cases[i].rc)
            fail_msg("case %zu: got %d, want %d (%s)", i, rc, cases[i].rc, tamga_error_detail());
        free(t);
    }
    /* Each field missing. */
    const char *fields[] = {"format",           "version",         "name",
                            "key_id",           "sign_public_key", "age_recipient",
                            "binding_signature"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        json_t *j = json_loadb(kat, len, 0, NULL);
        assert_non_null(j);
        assert_int_equal(json_object_del(j, fields[i]), 0);
        char *t = json_dumps(j, JSON_INDENT(2));
        assert_int_equal(pubid_rc(t, strlen(t)), TAMGA_ERR_FORMAT);
        free(t);
        json_decref(j);
    }
    assert_int_equal(pubid_rc("[]", 2), TAMGA_ERR_FORMAT);
    assert_int_equal(pubid_rc("", 0), TAMGA_ERR_FORMAT);
    /* Oversized. */
    char *big = malloc(TAMGA_PUBID_MAX_FILE + 2);
    memset(big, ' ', TAMGA_PUBID_MAX_FILE + 1);
    memcpy(big, kat, len - 1);
    big[TAMGA_PUBID_MAX_FILE + 1] = '\0';
    assert_int_equal(pubid_rc(big, TAMGA_PUBID_MAX_FILE), TAMGA_OK);
    assert_int_equal(pubid_rc(big, TAMGA_PUBID_MAX_FILE + 1), TAMGA_ERR_TOO_LARGE);
    free(big);

    /* Only an identity can sign its own public file. */
    char *json = (char *)1;
    tamga_pubid pub;
    assert_int_equal(tamga_pubid_parse(kat, len, &pub), TAMGA_OK);
    assert_int_equal(tamga_pubid_to_json(&pub, other, &json), TAMGA_ERR_INVALID);
    assert_null(json);
    /* ... under a new name it may. */
    tamga_pubid renamed = *tamga_identity_get_public(other);
    strcpy(renamed.name, "Renamed");
    assert_int_equal(tamga_pubid_to_json(&renamed, other, &json), TAMGA_OK);
    assert_int_equal(tamga_pubid_parse(json, strlen(json), &pub), TAMGA_OK);
    assert_string_equal(pub.name, "Renamed");
    free(json);
    renamed.name[0] = '\x01';
    assert_int_equal(tamga_pubid_to_json(&renamed, other, &json), TAMGA_ERR_INVALID);

    tamga_identity_free(other);
    free(orec);
    free(ojson);
    free(kat);
}

static void test_pubid_flips(void **state)
{
    (void)state;
    size_t len;
    char *kat = (char *)tu_read(VEC("public.json"), &len);
    char *t = malloc(len);
    for (size_t i = 0; i < len; i++) {
        for (int how = 0; how < 3; how++) {
            memcpy(t, kat, len);
            if (how == 0)
                t[i] ^= 0x01;
            else if (how == 1)
                t[i] ^= (char)0x80;
            else if (t[i] == 'A')
                continue;
            else
                t[i] = 'A';
            if (pubid_rc(t, len) == TAMGA_OK)
                fail_msg("changing byte %zu (way %d) still parses", i, how);
        }
    }
    free(t);
    free(kat);
}

static void test_pubid_write(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("identity-pubid");
    char *path = tu_path(dir, "public.json");
    tamga_identity *id = NULL;
    assert_int_equal(tamga_identity_generate("Writer", &id), TAMGA_OK);
    const tamga_pubid *p = tamga_identity_get_public(id);
    assert_int_equal(tamga_pubid_write(p, id, path, 0), TAMGA_OK);
    assert_int_equal(tamga_pubid_write(p, id, path, 0), TAMGA_ERR_EXISTS);
    assert_int_equal(tamga_pubid_write(p, id, path, 1), TAMGA_OK);
    tamga_pubid pub;
    assert_int_equal(tamga_pubid_load(path, &pub), TAMGA_OK);
    assert_memory_equal(&pub, p, sizeof pub);
    size_t len;
    char *text = (char *)tu_read(path, &len);
    assert_true(len > 2 && text[len - 1] == '\n' && text[len - 2] == '}');
    assert_non_null(strstr(text, "\n  \"format\": \"tamga-identity\",\n"));
    free(text);
    char big[TAMGA_PUBID_MAX_FILE + 1];
    memset(big, ' ', sizeof big);
    tu_write(path, big, sizeof big);
    assert_int_equal(tamga_pubid_load(path, &pub), TAMGA_ERR_TOO_LARGE);
    tamga_identity_free(id);
    tu_rm_rf(dir);
    free(path);
    free(dir);
}

/* ---- Bech32 and age recipients ---- */

static void test_bech32_bip173(void **state)
{
    (void)state;
    const char *valid[] = {
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5"
        "tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11" /* then 82 times q */
        "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
        "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl",
    };
    char hrp[100], again[100];
    uint8_t data[100];
    size_t n;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        const char *s = valid[i];
        if (tamga_bech32_decode(s, strlen(s), hrp, sizeof hrp, data, sizeof data, &n) != TAMGA_OK)
            fail_msg("valid vector %zu rejected: %s", i, tamga_error_detail());
        assert_int_equal(tamga_bech32_encode(hrp, data, n, again, sizeof again), TAMGA_OK);
        for (size_t k = 0; s[k]; k++) /* encoding is lower-case */
            assert_int_equal(again[k], (s[k] >= 'A' && s[k] <= 'Z') ? s[k] + 32 : s[k]);
        assert_int_equal(strlen(again), strlen(s));
        /* Any single flipped character breaks the checksum. */
        char flipped[100];
        for (size_t k = strlen(hrp) + 1; k < strlen(s); k++) {
            strcpy(flipped, again);
            flipped[k] = flipped[k] == 'q' ? 'p' : 'q';
            assert_int_equal(tamga_bech32_decode(flipped, strlen(flipped), hrp, sizeof hrp, data,
                                                 sizeof data, &n),
                             TAMGA_ERR_FORMAT);
            strcpy(hrp, "x"); /* the decoder rewrites it */
        }
    }
    const char *invalid[] = {
        " 1nwldj5",
        "\x7f"
        "1axkwrx",
        "\x80"
        "1eym55h",
        "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio156"
        "9pvx",
        "pzry9x0s0muk",
        "1pzry9x0s0muk",
        "x1b4n0q5v",
        "li1dgmt3",
        "de1lg7wt\xff",
        "A1G7SGD8",
        "10a06t8",
        "1qzzfhee",
        "a12UEL5L",
        "",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        const char *s = invalid[i];
        if (tamga_bech32_decode(s, strlen(s), hrp, sizeof hrp, data, sizeof data, &n) !=
            TAMGA_ERR_FORMAT)
            fail_msg("invalid vector %zu accepted", i);
        assert_int_equal(n, 0);
    }
    /* Output buffers too small. */
    assert_int_equal(tamga_bech32_decode("a12uel5l", 8, hrp, 1, data, sizeof data, &n),
                     TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_bech32_encode("a", data, 0, again, 8), TAMGA_ERR_INVALID);
    assert_int_equal(tamga_bech32_encode("a", data, 0, again, 9), TAMGA_OK);
    assert_string_equal(again, "a12uel5l");
    assert_int_equal(tamga_bech32_encode("A", data, 0, again, sizeof again), TAMGA_ERR_INVALID);
    data[0] = 32;
    assert_int_equal(tamga_bech32_encode("a", data, 1, again, sizeof again), TAMGA_ERR_INVALID);
}

/* Checks an "AGE-SECRET-KEY-1..." / "age1..." pair from stock age-keygen. */
static void check_age_keygen_pair(const char *secret, const char *recipient)
{
    char hrp[32];
    uint8_t five[64], sk[32], pk[32];
    size_t n, got;
    assert_int_equal(
        tamga_bech32_decode(secret, strlen(secret), hrp, sizeof hrp, five, sizeof five, &n),
        TAMGA_OK);
    assert_string_equal(hrp, "age-secret-key-");
    assert_int_equal(tamga_bech32_convert_bits(sk, sizeof sk, &got, 8, five, n, 5, 0), TAMGA_OK);
    assert_int_equal(got, 32);
    assert_int_equal(crypto_scalarmult_base(pk, sk), 0);
    char out[TAMGA_AGE_RECIPIENT_LEN + 1];
    assert_int_equal(tamga_age_recipient_encode(pk, out), TAMGA_OK);
    assert_string_equal(out, recipient);
    uint8_t back[32];
    assert_int_equal(tamga_age_recipient_decode(recipient, strlen(recipient), back), TAMGA_OK);
    assert_memory_equal(back, pk, 32);
}

static void parse_age_keygen(char *text, char **secret, char **recipient)
{
    *secret = *recipient = NULL;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (strncmp(line, "# public key: ", 14) == 0)
            *recipient = line + 14;
        else if (strncmp(line, "AGE-SECRET-KEY-1", 16) == 0)
            *secret = line;
    }
    assert_non_null(*secret);
    assert_non_null(*recipient);
}

static void test_age_recipient(void **state)
{
    (void)state;
    size_t len;
    char *text = (char *)tu_read(VEC("age-keygen.txt"), &len);
    char *secret, *recipient;
    parse_age_keygen(text, &secret, &recipient);
    check_age_keygen_pair(secret, recipient);

    /* Strict decoding. */
    uint8_t pk[32], zero[32] = {0};
    char r[TAMGA_AGE_RECIPIENT_LEN + 2];
    strcpy(r, recipient);
    for (size_t i = 0; i < strlen(r); i++)
        r[i] = (r[i] >= 'a' && r[i] <= 'z') ? (char)(r[i] - 32) : r[i];
    memset(pk, 0xAA, 32);
    assert_int_equal(tamga_age_recipient_decode(r, strlen(r), pk), TAMGA_ERR_FORMAT);
    assert_memory_equal(pk, zero, 32);
    for (size_t n = 0; n < strlen(recipient); n++)
        assert_int_equal(tamga_age_recipient_decode(recipient, n, pk), TAMGA_ERR_FORMAT);
    for (size_t i = 4; i < strlen(recipient); i++) {
        strcpy(r, recipient);
        r[i] = r[i] == 'q' ? 'p' : 'q';
        assert_int_equal(tamga_age_recipient_decode(r, strlen(r), pk), TAMGA_ERR_FORMAT);
    }
    /* Another HRP, a 31- and 33-byte payload, non-zero padding bits. */
    uint8_t five[60], bytes[33];
    size_t n;
    randombytes_buf(bytes, sizeof bytes);
    char s[100];
    assert_int_equal(tamga_bech32_convert_bits(five, sizeof five, &n, 5, bytes, 32, 8, 1),
                     TAMGA_OK);
    assert_int_equal(tamga_bech32_encode("agf", five, n, s, sizeof s), TAMGA_OK);
    assert_int_equal(tamga_age_recipient_decode(s, strlen(s), pk), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_bech32_encode("age", five, n, s, sizeof s), TAMGA_OK);
    assert_int_equal(tamga_age_recipient_decode(s, strlen(s), pk), TAMGA_OK);
    assert_memory_equal(pk, bytes, 32);
    five[n - 1] |= 1; /* the last value carries 4 padding bits */
    assert_int_equal(tamga_bech32_encode("age", five, n, s, sizeof s), TAMGA_OK);
    assert_int_equal(tamga_age_recipient_decode(s, strlen(s), pk), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_bech32_convert_bits(five, sizeof five, &n, 5, bytes, 31, 8, 1),
                     TAMGA_OK);
    assert_int_equal(tamga_bech32_encode("age", five, n, s, sizeof s), TAMGA_OK);
    assert_int_equal(tamga_age_recipient_decode(s, strlen(s), pk), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_bech32_convert_bits(five, sizeof five, &n, 5, bytes, 33, 8, 1),
                     TAMGA_OK);
    assert_int_equal(tamga_bech32_encode("age", five, n, s, sizeof s), TAMGA_OK);
    assert_int_equal(tamga_age_recipient_decode(s, strlen(s), pk), TAMGA_ERR_FORMAT);
    free(text);
}

static void test_age_keygen_live(void **state)
{
    (void)state;
    if (!have_tool("age-keygen") || !have_tool("age"))
        skip();
    FILE *p = popen("age-keygen 2>/dev/null", "r");
    assert_non_null(p);
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    assert_int_equal(pclose(p), 0);
    char *secret, *recipient;
    parse_age_keygen(buf, &secret, &recipient);
    check_age_keygen_pair(secret, recipient);

    /* Stock age accepts the recipient of a tamga identity. */
    tamga_identity *id = NULL;
    assert_int_equal(tamga_identity_generate("Age", &id), TAMGA_OK);
    char *rec = NULL;
    assert_int_equal(tamga_pubid_age_recipient(tamga_identity_get_public(id), &rec), TAMGA_OK);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "echo test | age -r %s >/dev/null 2>&1", rec);
    assert_int_equal(system(cmd), 0);
    rec[10] = rec[10] == 'q' ? 'p' : 'q';
    snprintf(cmd, sizeof cmd, "echo test | age -r %s >/dev/null 2>&1", rec);
    assert_int_not_equal(system(cmd), 0); /* and it does check what it accepts */
    free(rec);
    tamga_identity_free(id);
}

int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyid),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_generate_sign_seal),
        cmocka_unit_test(test_save_load_unlock),
        cmocka_unit_test(test_import),
        cmocka_unit_test(test_moderate),
        cmocka_unit_test(test_kat),
        cmocka_unit_test(test_handmade_file),
        cmocka_unit_test(test_secret_file_bad),
        cmocka_unit_test(test_secret_file_flips),
        cmocka_unit_test(test_pubid_bad),
        cmocka_unit_test(test_pubid_flips),
        cmocka_unit_test(test_pubid_write),
        cmocka_unit_test(test_bech32_bip173),
        cmocka_unit_test(test_age_recipient),
        cmocka_unit_test(test_age_keygen_live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
