/* SPDX-License-Identifier: GPL-3.0-or-later */
/* minisign-format signatures: known answers, stock minisign both ways, strict parsing. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "tamga/error.h"
#include "tamga/identity.h"
#include "tamga/minisig.h"
#include "tamga/tamga.h"

#define VEC(f)      TAMGA_TEST_VECTORS "/minisig/" f
#define IDVEC(f)    TAMGA_TEST_VECTORS "/identity/" f
#define KAT_COMMENT "tamga known-answer vector\tfile:message.txt"

static int have_minisign(void)
{
    return system("command -v minisign >/dev/null 2>&1") == 0;
}

static void load_pubkey(const char *path, uint8_t keynum[8], uint8_t pk[32])
{
    size_t len;
    char *text = (char *)tu_read(path, &len);
    assert_int_equal(tamga_minisign_pubkey_parse(text, len, keynum, pk), TAMGA_OK);
    free(text);
}

static int sig_rc(const char *text, size_t len, const uint8_t *msg, size_t mlen,
                  const uint8_t keynum[8], const uint8_t pk[32])
{
    tamga_minisig sig;
    memset(&sig, 0xAA, sizeof sig);
    int rc = tamga_minisig_parse(text, len, &sig);
    if (rc != TAMGA_OK) {
        const uint8_t *p = (const uint8_t *)&sig;
        for (size_t i = 0; i < sizeof sig; i++)
            assert_int_equal(p[i], 0);
        return rc;
    }
    return tamga_minisig_verify(&sig, msg, mlen, keynum, pk);
}

static void test_kat(void **state)
{
    (void)state;
    uint8_t keynum[8], pk[32];
    load_pubkey(IDVEC("minisign.pub"), keynum, pk);
    size_t mlen, slen;
    uint8_t *msg = tu_read(VEC("message.txt"), &mlen);
    char *text = (char *)tu_read(VEC("message.txt.minisig"), &slen);
    tamga_minisig sig;
    assert_int_equal(tamga_minisig_parse(text, slen, &sig), TAMGA_OK);
    assert_string_equal(sig.trusted_comment, KAT_COMMENT);
    assert_memory_equal(sig.keynum, keynum, 8);
    assert_int_equal(tamga_minisig_verify(&sig, msg, mlen, keynum, pk), TAMGA_OK);
    assert_int_equal(tamga_minisig_verify(&sig, msg, mlen - 1, keynum, pk), TAMGA_ERR_AUTH);
    msg[0] ^= 1;
    assert_int_equal(tamga_minisig_verify(&sig, msg, mlen, keynum, pk), TAMGA_ERR_AUTH);
    msg[0] ^= 1;
    /* The key id must match, and so must the key. */
    uint8_t other[32];
    keynum[0] ^= 1;
    assert_int_equal(tamga_minisig_verify(&sig, msg, mlen, keynum, pk), TAMGA_ERR_AUTH);
    keynum[0] ^= 1;
    memcpy(other, pk, 32);
    other[5] ^= 1;
    assert_int_equal(tamga_minisig_verify(&sig, msg, mlen, keynum, other), TAMGA_ERR_AUTH);
    /* The trusted comment is covered. */
    sig.trusted_comment[0] = 'T';
    assert_int_equal(tamga_minisig_verify(&sig, msg, mlen, keynum, pk), TAMGA_ERR_AUTH);

    /* The checked-in identity re-creates exactly the same file. */
    tamga_identity *id = NULL;
    assert_int_equal(tamga_identity_load(IDVEC("secret.key"), &id), TAMGA_OK);
    const char *pass = "tamga known-answer passphrase";
    assert_int_equal(tamga_identity_unlock(id, pass, strlen(pass)), TAMGA_OK);
    char *again = NULL;
    assert_int_equal(tamga_minisig_sign(id, msg, mlen, KAT_COMMENT, &again), TAMGA_OK);
    assert_string_equal(again, text);
    free(again);
    tamga_identity_free(id);
    free(text);
    free(msg);
}

static void test_stock_vectors(void **state)
{
    (void)state;
    uint8_t keynum[8], pk[32];
    load_pubkey(VEC("stock.pub"), keynum, pk);
    char keyid[17];
    tamga_keyid_format(keynum, keyid);
    assert_string_equal(keyid, "3F1C4C088796FC21"); /* as minisign printed it */
    size_t mlen, slen;
    uint8_t *msg = tu_read(VEC("message.txt"), &mlen);
    char *text = (char *)tu_read(VEC("stock.minisig"), &slen);
    tamga_minisig sig;
    assert_int_equal(tamga_minisig_parse(text, slen, &sig), TAMGA_OK);
    assert_string_equal(sig.trusted_comment, "stock minisign vector");
    assert_int_equal(tamga_minisig_verify(&sig, msg, mlen, keynum, pk), TAMGA_OK);
    free(text);
    /* Legacy (non-prehashed "Ed") signatures are refused. */
    text = (char *)tu_read(VEC("stock-legacy.minisig"), &slen);
    assert_int_equal(tamga_minisig_parse(text, slen, &sig), TAMGA_ERR_UNSUPPORTED);
    free(text);
    free(msg);
}

static void test_sign_round_trip(void **state)
{
    (void)state;
    tamga_identity *id = NULL, *other = NULL;
    assert_int_equal(tamga_identity_generate("Signer", &id), TAMGA_OK);
    assert_int_equal(tamga_identity_generate("Other", &other), TAMGA_OK);
    const tamga_pubid *p = tamga_identity_get_public(id), *q = tamga_identity_get_public(other);
    const uint8_t msg[] = "some message";
    char comment[TAMGA_MINISIG_COMMENT_MAX + 2];
    const size_t lens[] = {0, 1, 100, TAMGA_MINISIG_COMMENT_MAX};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        memset(comment, 'c', lens[i]);
        comment[lens[i]] = '\0';
        char *text = NULL;
        assert_int_equal(tamga_minisig_sign(id, msg, sizeof msg, comment, &text), TAMGA_OK);
        assert_true(strlen(text) <= TAMGA_MINISIG_MAX_FILE);
        assert_int_equal(strncmp(text, "untrusted comment: signature from tamga secret key\n", 51),
                         0);
        assert_int_equal(sig_rc(text, strlen(text), msg, sizeof msg, p->keynum, p->sign_pk),
                         TAMGA_OK);
        assert_int_equal(sig_rc(text, strlen(text), msg, sizeof msg, q->keynum, q->sign_pk),
                         TAMGA_ERR_AUTH);
        assert_int_equal(sig_rc(text, strlen(text), msg, sizeof msg, p->keynum, q->sign_pk),
                         TAMGA_ERR_AUTH);
        /* Deterministic. */
        char *again = NULL;
        assert_int_equal(tamga_minisig_sign(id, msg, sizeof msg, comment, &again), TAMGA_OK);
        assert_string_equal(again, text);
        free(again);
        free(text);
    }
    /* An empty message, a tab, UTF-8. */
    char *text = NULL;
    assert_int_equal(tamga_minisig_sign(id, NULL, 0, "a\tb \xc3\xbc", &text), TAMGA_OK);
    assert_int_equal(sig_rc(text, strlen(text), (const uint8_t *)"", 0, p->keynum, p->sign_pk),
                     TAMGA_OK);
    free(text);

    /* Bad comments. */
    memset(comment, 'c', TAMGA_MINISIG_COMMENT_MAX + 1);
    comment[TAMGA_MINISIG_COMMENT_MAX + 1] = '\0';
    text = (char *)1;
    assert_int_equal(tamga_minisig_sign(id, msg, sizeof msg, comment, &text), TAMGA_ERR_TOO_LARGE);
    assert_null(text);
    const char *bad[] = {"new\nline", "cr\r", "del\x7f", "esc\x1b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        text = (char *)1;
        assert_int_equal(tamga_minisig_sign(id, msg, sizeof msg, bad[i], &text), TAMGA_ERR_INVALID);
        assert_null(text);
    }
    /* Locked. */
    tamga_identity_lock(id);
    text = (char *)1;
    assert_int_equal(tamga_minisig_sign(id, msg, sizeof msg, "x", &text), TAMGA_ERR_LOCKED);
    assert_null(text);
    tamga_identity_free(id);
    tamga_identity_free(other);
}

/* Any change outside the untrusted comment line is caught. */
static void test_flips(void **state)
{
    (void)state;
    uint8_t keynum[8], pk[32];
    load_pubkey(IDVEC("minisign.pub"), keynum, pk);
    size_t mlen, len;
    uint8_t *msg = tu_read(VEC("message.txt"), &mlen);
    char *kat = (char *)tu_read(VEC("message.txt.minisig"), &len);
    const size_t first_nl = (size_t)(strchr(kat, '\n') - kat);
    char *t = malloc(len);
    int tolerated = 0;
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
            int rc = sig_rc(t, len, msg, mlen, keynum, pk);
            if (rc == TAMGA_OK) {
                if (i >= first_nl)
                    fail_msg("changing byte %zu (way %d) still verifies", i, how);
                tolerated++;
            }
        }
    }
    /* The untrusted comment itself is not authenticated (as in minisign). */
    assert_true(tolerated > 0);
    /* Every truncation fails, and so does any extra byte. */
    for (size_t n = 0; n < len; n++)
        assert_int_not_equal(sig_rc(kat, n, msg, mlen, keynum, pk), TAMGA_OK);
    char *longer = malloc(len + 1);
    memcpy(longer, kat, len);
    const char extra[] = {'\n', ' ', 'A', '\0'};
    for (size_t k = 0; k < sizeof extra; k++) {
        longer[len] = extra[k];
        assert_int_equal(sig_rc(longer, len + 1, msg, mlen, keynum, pk), TAMGA_ERR_FORMAT);
    }
    free(longer);
    free(t);
    free(kat);
    free(msg);
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

static void test_parse_strict(void **state)
{
    (void)state;
    size_t len;
    char *kat = (char *)tu_read(VEC("message.txt.minisig"), &len);
    tamga_minisig sig;
    /* Base64 of "XX" || keynum || sig: an unknown algorithm. */
    uint8_t blob[74];
    size_t got;
    const char *l2 = strchr(kat, '\n') + 1;
    const char *l2end = strchr(l2, '\n');
    char line2[128];
    memcpy(line2, l2, (size_t)(l2end - l2));
    line2[l2end - l2] = '\0';
    assert_int_equal(sodium_base642bin(blob, sizeof blob, line2, strlen(line2), NULL, &got, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    blob[0] = 'X';
    blob[1] = 'X';
    char xx[128];
    sodium_bin2base64(xx, sizeof xx, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
    blob[0] = 'E';
    blob[1] = 'd';
    char legacy[128];
    sodium_bin2base64(legacy, sizeof legacy, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
    char long_untrusted[1100], long_trusted[1100], max_trusted[1100];
    snprintf(long_untrusted, sizeof long_untrusted, "untrusted comment: %01006d", 0);
    snprintf(long_trusted, sizeof long_trusted, "trusted comment: %01025d", 0);
    snprintf(max_trusted, sizeof max_trusted, "trusted comment: %01024d", 0);
    struct {
        const char *from, *to;
        int rc;
    } cases[] = {
        {"untrusted comment: signature", "untrusted comment:signature", TAMGA_ERR_FORMAT},
        {"untrusted comment: signature", "Untrusted comment: signature", TAMGA_ERR_FORMAT},
        {"untrusted comment: signature from tamga secret key", long_untrusted, TAMGA_ERR_TOO_LARGE},
        {"signature from",
         "signature\x01"
         "from",
         TAMGA_ERR_FORMAT},
        {"secret key\n", "secret key\r\n", TAMGA_ERR_FORMAT},
        {"trusted comment: tamga", "trusted comment:tamga", TAMGA_ERR_FORMAT},
        {"\ntrusted comment: tamga", "\nuntrusted comment: tamga", TAMGA_ERR_FORMAT},
        {"trusted comment: tamga known-answer vector\tfile:message.txt", long_trusted,
         TAMGA_ERR_TOO_LARGE},
        {"known-answer",
         "known\x7f"
         "answer",
         TAMGA_ERR_FORMAT},
        {"known-answer",
         "known\x0b"
         "answer",
         TAMGA_ERR_FORMAT},
        {line2, xx, TAMGA_ERR_UNSUPPORTED},
        {line2, legacy, TAMGA_ERR_UNSUPPORTED},
        {"RUTA", "RUTA ", TAMGA_ERR_FORMAT},
        {"RUTA", "RUT", TAMGA_ERR_FORMAT},
        {"Zwc=\n", "Zwc\n", TAMGA_ERR_FORMAT},
        {"Zwc=\n", "Zwd=\n", TAMGA_ERR_FORMAT}, /* non-zero padding bits */
        {"Zwc=\n", "Zwc=\n\n", TAMGA_ERR_FORMAT},
        {"dBQ==\n", "dBQ=\n", TAMGA_ERR_FORMAT},
        {"dBQ==\n", "dBR==\n", TAMGA_ERR_FORMAT},
        {"dBQ==\n", "dBQ==", TAMGA_ERR_FORMAT},
        {"dBQ==\n", "dBQ==\r\n", TAMGA_ERR_FORMAT},
        {"dBQ==\n", "dBQ==\nextra\n", TAMGA_ERR_FORMAT},
        {"VkY7", "VkY7VkY7", TAMGA_ERR_FORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = replace(kat, cases[i].from, cases[i].to);
        int rc = tamga_minisig_parse(t, strlen(t), &sig);
        if (rc != cases[i].rc)
            fail_msg("case %zu: got %d, want %d (%s)", i, rc, cases[i].rc, tamga_error_detail());
        free(t);
    }
    /* Limits that are accepted: the comment parses (it does not verify). */
    char *t =
        replace(kat, "trusted comment: tamga known-answer vector\tfile:message.txt", max_trusted);
    assert_int_equal(tamga_minisig_parse(t, strlen(t), &sig), TAMGA_OK);
    assert_int_equal(strlen(sig.trusted_comment), TAMGA_MINISIG_COMMENT_MAX);
    free(t);
    snprintf(long_untrusted, sizeof long_untrusted, "untrusted comment: %01005d", 0);
    t = replace(kat, "untrusted comment: signature from tamga secret key", long_untrusted);
    assert_int_equal(tamga_minisig_parse(t, strlen(t), &sig), TAMGA_OK);
    free(t);
    char big[TAMGA_MINISIG_MAX_FILE + 1];
    memset(big, 'A', sizeof big);
    assert_int_equal(tamga_minisig_parse(big, sizeof big, &sig), TAMGA_ERR_TOO_LARGE);
    assert_int_equal(tamga_minisig_parse("", 0, &sig), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_minisig_parse("\n\n\n\n", 4, &sig), TAMGA_ERR_FORMAT);
    free(kat);
}

static void test_pubkey_parse(void **state)
{
    (void)state;
    size_t len;
    char *file = (char *)tu_read(IDVEC("minisign.pub"), &len);
    uint8_t keynum[8], pk[32], k2[8], p2[32], zero[32] = {0};
    assert_int_equal(tamga_minisign_pubkey_parse(file, len, keynum, pk), TAMGA_OK);
    char keyid[17];
    tamga_keyid_format(keynum, keyid);
    assert_string_equal(keyid, "C64B959F467B85C0");
    tamga_pubid pub;
    assert_int_equal(tamga_pubid_load(IDVEC("public.json"), &pub), TAMGA_OK);
    assert_memory_equal(keynum, pub.keynum, 8);
    assert_memory_equal(pk, pub.sign_pk, 32);

    /* A bare key line, with or without its newline. */
    const char *line = strchr(file, '\n') + 1;
    assert_int_equal(tamga_minisign_pubkey_parse(line, strlen(line), k2, p2), TAMGA_OK);
    assert_memory_equal(p2, pk, 32);
    assert_int_equal(tamga_minisign_pubkey_parse(line, strlen(line) - 1, k2, p2), TAMGA_OK);
    assert_memory_equal(k2, keynum, 8);

    struct {
        const char *from, *to;
        int rc;
    } cases[] = {
        {"C0\n", "C0\r\n", TAMGA_ERR_FORMAT},
        {"TODr\n", "TODr\n\n", TAMGA_ERR_FORMAT},
        {"TODr\n", "TODr \n", TAMGA_ERR_FORMAT},
        {"TODr\n", "TODs\n", TAMGA_OK}, /* another key: only the signature can tell */
        {"TODr\n", "TOD\n", TAMGA_ERR_FORMAT},
        {"RWTA", "RXTA", TAMGA_ERR_UNSUPPORTED},
        {"\nRWTA", "\n\nRWTA", TAMGA_ERR_FORMAT},
        {"minisign public", "mini\x01sign public", TAMGA_ERR_FORMAT},
        {"untrusted comment: minisign public key C64B959F467B85C0\n", "", TAMGA_OK},
        {"untrusted comment: ", "comment: ", TAMGA_ERR_FORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = replace(file, cases[i].from, cases[i].to);
        memset(k2, 0xAA, 8);
        int rc = tamga_minisign_pubkey_parse(t, strlen(t), k2, p2);
        if (rc != cases[i].rc)
            fail_msg("case %zu: got %d, want %d (%s)", i, rc, cases[i].rc, tamga_error_detail());
        if (rc != TAMGA_OK) {
            assert_memory_equal(k2, zero, 8);
            assert_memory_equal(p2, zero, 32);
        }
        free(t);
    }
    for (size_t n = 0; n < len - 1; n++)
        assert_int_not_equal(tamga_minisign_pubkey_parse(file, n, k2, p2), TAMGA_OK);
    char big[2000];
    memset(big, 'A', sizeof big);
    assert_int_equal(tamga_minisign_pubkey_parse(big, sizeof big, k2, p2), TAMGA_ERR_TOO_LARGE);
    free(file);
}

/* tamga signs, stock minisign verifies. */
static void test_stock_verifies_tamga(void **state)
{
    (void)state;
    if (!have_minisign())
        skip();
    char *dir = tu_tmpdir("minisig-stock1");
    char *msgp = tu_path(dir, "msg.bin"), *sigp = tu_path(dir, "msg.bin.minisig");
    char *pubp = tu_path(dir, "key.pub");
    tamga_identity *id = NULL;
    assert_int_equal(tamga_identity_generate("Stock", &id), TAMGA_OK);
    uint8_t msg[5000];
    randombytes_buf(msg, sizeof msg);
    tu_write(msgp, msg, sizeof msg);
    char *text = NULL, *pubtext = NULL;
    assert_int_equal(tamga_minisig_sign(id, msg, sizeof msg, "case:1\tseq:2", &text), TAMGA_OK);
    tu_write(sigp, text, strlen(text));
    assert_int_equal(tamga_pubid_minisign_pubkey(tamga_identity_get_public(id), &pubtext),
                     TAMGA_OK);
    tu_write(pubp, pubtext, strlen(pubtext));
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "minisign -q -H -Vm '%s' -x '%s' -p '%s'", msgp, sigp, pubp);
    assert_int_equal(system(cmd), 0);
    const char *b64 = strchr(pubtext, '\n') + 1;
    snprintf(cmd, sizeof cmd, "minisign -q -Vm '%s' -x '%s' -P %.56s", msgp, sigp, b64);
    assert_int_equal(system(cmd), 0);
    /* And stock minisign notices a change too. */
    msg[0] ^= 1;
    tu_write(msgp, msg, sizeof msg);
    snprintf(cmd, sizeof cmd, "minisign -q -Vm '%s' -x '%s' -p '%s' 2>/dev/null", msgp, sigp, pubp);
    assert_int_not_equal(system(cmd), 0);
    free(text);
    free(pubtext);
    tamga_identity_free(id);
    tu_rm_rf(dir);
    free(msgp);
    free(sigp);
    free(pubp);
    free(dir);
}

/* Stock minisign signs, tamga verifies. */
static void test_tamga_verifies_stock(void **state)
{
    (void)state;
    if (!have_minisign())
        skip();
    char *dir = tu_tmpdir("minisig-stock2");
    char *msgp = tu_path(dir, "msg.bin"), *sigp = tu_path(dir, "msg.bin.minisig");
    char *pubp = tu_path(dir, "key.pub"), *secp = tu_path(dir, "key.sec");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "minisign -G -W -p '%s' -s '%s' >/dev/null", pubp, secp);
    assert_int_equal(system(cmd), 0);
    uint8_t msg[3000];
    randombytes_buf(msg, sizeof msg);
    tu_write(msgp, msg, sizeof msg);
    snprintf(cmd, sizeof cmd, "minisign -S -s '%s' -m '%s' -x '%s' >/dev/null", secp, msgp, sigp);
    assert_int_equal(system(cmd), 0);
    uint8_t keynum[8], pk[32];
    load_pubkey(pubp, keynum, pk);
    size_t len;
    char *text = (char *)tu_read(sigp, &len);
    tamga_minisig sig;
    assert_int_equal(tamga_minisig_parse(text, len, &sig), TAMGA_OK);
    assert_int_equal(strncmp(sig.trusted_comment, "timestamp:", 10), 0);
    assert_int_equal(tamga_minisig_verify(&sig, msg, sizeof msg, keynum, pk), TAMGA_OK);
    msg[100] ^= 1;
    assert_int_equal(tamga_minisig_verify(&sig, msg, sizeof msg, keynum, pk), TAMGA_ERR_AUTH);
    free(text);
    /* The key id minisign prints is the one tamga formats. */
    char *pubtext = (char *)tu_read(pubp, &len), keyid[17];
    tamga_keyid_format(keynum, keyid);
    char want[80];
    snprintf(want, sizeof want, "untrusted comment: minisign public key %s\n", keyid);
    assert_int_equal(strncmp(pubtext, want, strlen(want)), 0);
    free(pubtext);
    tu_rm_rf(dir);
    free(msgp);
    free(sigp);
    free(pubp);
    free(secp);
    free(dir);
}

int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kat),
        cmocka_unit_test(test_stock_vectors),
        cmocka_unit_test(test_sign_round_trip),
        cmocka_unit_test(test_flips),
        cmocka_unit_test(test_parse_strict),
        cmocka_unit_test(test_pubkey_parse),
        cmocka_unit_test(test_stock_verifies_tamga),
        cmocka_unit_test(test_tamga_verifies_stock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
