/* SPDX-License-Identifier: GPL-3.0-or-later */
/* age v1: the C2SP testkit (every vector without a post-quantum identity), HKDF
 * known answers, round trips, tampering and truncation, and stock age both ways. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <zlib.h>

#include "tamga/age.h"
#include "tamga/error.h"
#include "tamga/tamga.h"

#include "../src/core/age-internal.h"

#define KIT TAMGA_TEST_VECTORS "/age-testkit"

/* ---- memory sinks and sources ---- */

typedef struct {
    uint8_t *d;
    size_t len, cap;
} membuf;

static int mem_write(void *user, const uint8_t *data, size_t len)
{
    membuf *m = user;
    if (m->len + len > m->cap) {
        size_t cap = m->cap ? m->cap : 1024;
        while (cap < m->len + len)
            cap *= 2;
        m->d = realloc(m->d, cap);
        assert_non_null(m->d);
        m->cap = cap;
    }
    if (len > 0)
        memcpy(m->d + m->len, data, len);
    m->len += len;
    return TAMGA_OK;
}

typedef struct {
    const uint8_t *d;
    size_t len, pos, step; /* step: most bytes per call (0: any) */
} memsrc;

static long mem_read(void *user, uint8_t *buf, size_t len)
{
    memsrc *s = user;
    size_t n = s->len - s->pos;
    if (n > len)
        n = len;
    if (s->step && n > s->step)
        n = s->step;
    memcpy(buf, s->d + s->pos, n);
    s->pos += n;
    return (long)n;
}

/* Decrypts `in`; `*out` gets every released byte. *stage: 0 = failed at
 * reader_new, 1 = failed while reading, 2 = success. */
static int decrypt(const uint8_t *in, size_t inlen, const uint8_t (*ids)[32], size_t nid,
                   const char *pass, size_t step, membuf *out, int *stage)
{
    memsrc src = {in, inlen, 0, step};
    tamga_age_reader *r = NULL;
    memset(out, 0, sizeof *out);
    *stage = 0;
    int rc = tamga_age_reader_new(mem_read, &src, ids, nid, pass, pass ? strlen(pass) : 0, 0, &r);
    if (rc != TAMGA_OK) {
        assert_null(r);
        return rc;
    }
    uint8_t buf[7000];
    size_t ask = 1;
    for (;;) {
        long n = tamga_age_reader_read(r, buf, ask);
        ask = ask * 3 + 1 > sizeof buf ? 1 : ask * 3 + 1;
        if (n < 0) {
            *stage = 1;
            tamga_age_reader_free(r);
            return (int)n;
        }
        if (n == 0)
            break;
        assert_true((size_t)n <= sizeof buf);
        mem_write(out, buf, (size_t)n);
    }
    tamga_age_reader_free(r);
    *stage = 2;
    return TAMGA_OK;
}

static void encrypt(const uint8_t *data, size_t len, const uint8_t (*rcpt)[32], size_t n,
                    const char *pass, membuf *out)
{
    tamga_age_writer *w = NULL;
    memset(out, 0, sizeof *out);
    assert_int_equal(
        tamga_age_writer_new(mem_write, out, rcpt, n, pass, pass ? strlen(pass) : 0, 10, &w),
        TAMGA_OK);
    size_t off = 0, piece = 1;
    while (off < len) {
        size_t k = len - off < piece ? len - off : piece;
        assert_int_equal(tamga_age_writer_write(w, data + off, k), TAMGA_OK);
        off += k;
        piece = piece * 5 + 3 > 200000 ? 1 : piece * 5 + 3;
    }
    assert_int_equal(tamga_age_writer_finish(w), TAMGA_OK);
    tamga_age_writer_free(w);
}

static void keypair(uint8_t pk[32], uint8_t sk[32])
{
    randombytes_buf(sk, 32);
    crypto_scalarmult_base(pk, sk);
}

/* ---- HKDF (RFC 5869, test cases 1 and 3) ---- */

static void test_hkdf(void **state)
{
    (void)state;
    uint8_t ikm[22], salt[13], okm[42];
    char info[11];
    char hex[85];
    memset(ikm, 0x0b, sizeof ikm);
    for (int i = 0; i < 13; i++)
        salt[i] = (uint8_t)i;
    for (int i = 0; i < 10; i++)
        info[i] = (char)(0xf0 + i);
    info[10] = '\0';
    tamga_age_hkdf(okm, sizeof okm, ikm, sizeof ikm, salt, sizeof salt, info);
    sodium_bin2hex(hex, sizeof hex, okm, sizeof okm);
    assert_string_equal(hex, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                             "34007208d5b887185865");
    tamga_age_hkdf(okm, sizeof okm, ikm, sizeof ikm, NULL, 0, "");
    sodium_bin2hex(hex, sizeof hex, okm, sizeof okm);
    assert_string_equal(hex, "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                             "9d201395faa4b61a96c8");
}

/* ---- base64 and keys ---- */

static void test_b64raw(void **state)
{
    (void)state;
    uint8_t out[8];
    size_t n = 0;
    char enc[16];
    tamga_age_b64raw_encode((const uint8_t *)"ab", 2, enc);
    assert_string_equal(enc, "YWI");
    assert_int_equal(tamga_age_b64raw_decode("YWI", 3, out, sizeof out, &n), TAMGA_OK);
    assert_int_equal(n, 2);
    assert_int_equal(tamga_age_b64raw_decode("YWJ", 3, out, sizeof out, &n), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_age_b64raw_decode("YWI=", 4, out, sizeof out, &n), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_age_b64raw_decode("Y", 1, out, sizeof out, &n), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_age_b64raw_decode("YW I", 4, out, sizeof out, &n), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_age_b64raw_decode("", 0, out, sizeof out, &n), TAMGA_OK);
    assert_int_equal(n, 0);
}

static void test_keys(void **state)
{
    (void)state;
    /* The testkit's identity and the recipient age-keygen prints for it. */
    const char *id = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
    uint8_t sk[32], sk2[32], pk[32], pk2[32];
    assert_int_equal(tamga_age_identity_parse(id, sk), TAMGA_OK);
    char *s = NULL, *rcpt = NULL;
    assert_int_equal(tamga_age_identity_format(sk, &s), TAMGA_OK);
    assert_string_equal(s, id);
    sodium_free(s);
    crypto_scalarmult_base(pk, sk);
    assert_int_equal(tamga_age_recipient_format(pk, &rcpt), TAMGA_OK);
    assert_int_equal(tamga_age_recipient_parse(rcpt, pk2), TAMGA_OK);
    assert_memory_equal(pk, pk2, 32);
    free(rcpt);
    /* Lower case, a flipped character, wrong prefix, truncated: refused. */
    char bad[80];
    snprintf(bad, sizeof bad, "%s", id);
    for (char *p = bad; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    assert_int_equal(tamga_age_identity_parse(bad, sk2), TAMGA_ERR_FORMAT);
    snprintf(bad, sizeof bad, "%s", id);
    bad[40] = bad[40] == 'Q' ? 'P' : 'Q';
    assert_int_equal(tamga_age_identity_parse(bad, sk2), TAMGA_ERR_FORMAT);
    snprintf(bad, sizeof bad, "%s", id);
    bad[strlen(bad) - 1] = '\0';
    assert_int_equal(tamga_age_identity_parse(bad, sk2), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_age_identity_parse("AGE-SECRET-KEY-1", sk2), TAMGA_ERR_FORMAT);
    assert_int_equal(tamga_age_recipient_parse(id, pk2), TAMGA_ERR_FORMAT);
}

/* ---- the testkit ---- */

static uint8_t *inflate_all(const uint8_t *in, size_t len, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit(&z), Z_OK);
    size_t cap = 1 << 16, n = 0;
    uint8_t *out = malloc(cap);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    int zr;
    do {
        if (n == cap) {
            cap *= 2;
            out = realloc(out, cap);
        }
        z.next_out = out + n;
        z.avail_out = (uInt)(cap - n);
        zr = inflate(&z, Z_NO_FLUSH);
        assert_true(zr == Z_OK || zr == Z_STREAM_END);
        n = cap - z.avail_out;
    } while (zr != Z_STREAM_END);
    inflateEnd(&z);
    *outlen = n;
    return out;
}

static int is_header_failure(int rc)
{
    return rc == TAMGA_ERR_FORMAT || rc == TAMGA_ERR_UNSUPPORTED || rc == TAMGA_ERR_TOO_LARGE ||
           rc == TAMGA_ERR_TRUNCATED;
}

/* Runs one vector; returns 1 passed, 0 failed, -1 skipped (post-quantum). */
static int run_vector(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", KIT, name);
    size_t len = 0;
    uint8_t *file = tu_read(path, &len);
    char expect[64] = "", payload[65] = "";
    int compressed = 0, pq = 0;
    const char *pass = NULL;
    char passbuf[128];
    uint8_t ids[8][32];
    size_t nid = 0, pos = 0;
    for (;;) {
        const uint8_t *nl = memchr(file + pos, '\n', len - pos);
        assert_non_null(nl);
        size_t ll = (size_t)(nl - (file + pos));
        char line[256];
        assert_true(ll < sizeof line);
        memcpy(line, file + pos, ll);
        line[ll] = '\0';
        pos += ll + 1;
        if (ll == 0)
            break;
        char *v = strstr(line, ": ");
        assert_non_null(v);
        *v = '\0';
        v += 2;
        if (strcmp(line, "expect") == 0)
            snprintf(expect, sizeof expect, "%s", v);
        else if (strcmp(line, "payload") == 0)
            snprintf(payload, sizeof payload, "%s", v);
        else if (strcmp(line, "compressed") == 0) {
            assert_string_equal(v, "zlib");
            compressed = 1;
        } else if (strcmp(line, "passphrase") == 0) {
            if (pass == NULL) {
                snprintf(passbuf, sizeof passbuf, "%s", v);
                pass = passbuf;
            }
        } else if (strcmp(line, "identity") == 0) {
            if (strncmp(v, "AGE-SECRET-KEY-PQ-", 18) == 0)
                pq = 1;
            else {
                assert_true(nid < 8);
                assert_int_equal(tamga_age_identity_parse(v, ids[nid]), TAMGA_OK);
                nid++;
            }
        }
    }
    if (pq) {
        free(file);
        return -1;
    }
    size_t blen = len - pos;
    uint8_t *body = NULL;
    if (compressed)
        body = inflate_all(file + pos, blen, &blen);
    else {
        body = malloc(blen + 1);
        memcpy(body, file + pos, blen);
    }
    free(file);

    int ok = 1;
    for (size_t step = 0; step < 2 && ok; step++) {
        membuf out;
        int stage = 0;
        int rc =
            decrypt(body, blen, (const uint8_t(*)[32])ids, nid, pass, step ? 7 : 0, &out, &stage);
        uint8_t h[32];
        char hex[65];
        crypto_hash_sha256(h, out.d ? out.d : (const uint8_t *)"", out.len);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        if (strcmp(expect, "success") == 0)
            ok = rc == TAMGA_OK && strcmp(hex, payload) == 0;
        else if (strcmp(expect, "no match") == 0)
            ok = stage == 0 &&
                 (rc == TAMGA_ERR_NOT_KEYHOLDER || (pass && rc == TAMGA_ERR_PASSPHRASE));
        else if (strcmp(expect, "HMAC failure") == 0)
            ok = stage == 0 && rc == TAMGA_ERR_AUTH;
        else if (strcmp(expect, "header failure") == 0)
            ok = stage == 0 && is_header_failure(rc);
        else if (strcmp(expect, "payload failure") == 0)
            ok = stage == 1 && rc < 0 && (payload[0] == '\0' || strcmp(hex, payload) == 0);
        else if (strcmp(expect, "armor failure") == 0)
            ok = rc == TAMGA_ERR_FORMAT;
        else
            ok = 0;
        if (!ok)
            fprintf(stderr, "age testkit %s: expected %s, got %d (%s) at stage %d, hash %s: %s\n",
                    name, expect, rc, tamga_strerror(rc), stage, hex, tamga_error_detail());
        free(out.d);
    }
    free(body);
    return ok;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_testkit(void **state)
{
    (void)state;
    DIR *d = opendir(KIT);
    assert_non_null(d);
    char *names[512];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
            continue;
        assert_true(n < 512);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_str);
    int run = 0, passed = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        int r = run_vector(names[i]);
        if (r < 0)
            skipped++;
        else {
            run++;
            passed += r;
        }
        free(names[i]);
    }
    printf("age testkit: %d run, %d passed, %d skipped (post-quantum)\n", run, passed, skipped);
    assert_true(run >= 120);
    assert_int_equal(passed, run);
}

/* ---- round trips ---- */

static size_t expected_size(size_t header, size_t len)
{
    size_t chunks = len == 0 ? 1 : (len + TAMGA_AGE_CHUNK - 1) / TAMGA_AGE_CHUNK;
    return header + AGE_NONCE_BYTES + len + chunks * AGE_TAG_BYTES;
}

static size_t header_len(const membuf *m)
{
    const uint8_t *p = m->d;
    for (size_t i = 0; i + 4 < m->len; i++)
        if (p[i] == '\n' && memcmp(p + i + 1, "--- ", 4) == 0)
            return i + 1 + 4 + 43 + 1;
    fail_msg("no MAC line");
    return 0;
}

static void round_trip(size_t len)
{
    uint8_t pk[32], sk[32];
    keypair(pk, sk);
    uint8_t *data = malloc(len + 1);
    randombytes_buf(data, len);
    membuf ct, pt;
    encrypt(data, len, (const uint8_t(*)[32])pk, 1, NULL, &ct);
    assert_int_equal(ct.len, expected_size(header_len(&ct), len));
    int stage = 0;
    assert_int_equal(decrypt(ct.d, ct.len, (const uint8_t(*)[32])sk, 1, NULL, 0, &pt, &stage),
                     TAMGA_OK);
    assert_int_equal(pt.len, len);
    if (len > 0)
        assert_memory_equal(pt.d, data, len);
    free(pt.d);
    free(ct.d);
    free(data);
}

static void test_round_trips(void **state)
{
    (void)state;
    const size_t sizes[] = {0,
                            1,
                            100,
                            TAMGA_AGE_CHUNK - 1,
                            TAMGA_AGE_CHUNK,
                            TAMGA_AGE_CHUNK + 1,
                            2 * TAMGA_AGE_CHUNK,
                            5 * 1000 * 1000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        round_trip(sizes[i]);
}

static void test_multiple_recipients(void **state)
{
    (void)state;
    uint8_t pks[5][32], sks[5][32], other_pk[32], other_sk[32];
    for (int i = 0; i < 5; i++)
        keypair(pks[i], sks[i]);
    keypair(other_pk, other_sk);
    const char *msg = "to five people";
    membuf ct, pt;
    encrypt((const uint8_t *)msg, strlen(msg), (const uint8_t(*)[32])pks, 5, NULL, &ct);
    for (int i = 0; i < 5; i++) {
        int stage = 0;
        assert_int_equal(
            decrypt(ct.d, ct.len, (const uint8_t(*)[32])sks[i], 1, NULL, 0, &pt, &stage), TAMGA_OK);
        assert_int_equal(pt.len, strlen(msg));
        assert_memory_equal(pt.d, msg, pt.len);
        free(pt.d);
    }
    /* Several identities, only the last one matching. */
    uint8_t ids[2][32];
    memcpy(ids[0], other_sk, 32);
    memcpy(ids[1], sks[3], 32);
    int stage = 0;
    assert_int_equal(decrypt(ct.d, ct.len, (const uint8_t(*)[32])ids, 2, NULL, 0, &pt, &stage),
                     TAMGA_OK);
    free(pt.d);
    /* The wrong key, or none. */
    assert_int_equal(decrypt(ct.d, ct.len, (const uint8_t(*)[32])other_sk, 1, NULL, 0, &pt, &stage),
                     TAMGA_ERR_NOT_KEYHOLDER);
    assert_int_equal(decrypt(ct.d, ct.len, NULL, 0, NULL, 0, &pt, &stage), TAMGA_ERR_NOT_KEYHOLDER);
    assert_int_equal(decrypt(ct.d, ct.len, NULL, 0, "password", 0, &pt, &stage),
                     TAMGA_ERR_NOT_KEYHOLDER);
    free(ct.d);
    /* Too many recipients, and none at all. */
    uint8_t many[TAMGA_AGE_MAX_RECIPIENTS + 1][32];
    memset(many, 9, sizeof many);
    tamga_age_writer *w = NULL;
    membuf sink = {0};
    assert_int_equal(tamga_age_writer_new(mem_write, &sink, (const uint8_t(*)[32])many,
                                          TAMGA_AGE_MAX_RECIPIENTS + 1, NULL, 0, 0, &w),
                     TAMGA_ERR_INVALID);
    assert_int_equal(tamga_age_writer_new(mem_write, &sink, NULL, 0, NULL, 0, 0, &w),
                     TAMGA_ERR_INVALID);
    assert_null(w);
    /* A low-order recipient key is refused. */
    uint8_t zero[1][32];
    memset(zero, 0, sizeof zero);
    assert_int_equal(
        tamga_age_writer_new(mem_write, &sink, (const uint8_t(*)[32])zero, 1, NULL, 0, 0, &w),
        TAMGA_ERR_INVALID);
    free(sink.d);
}

static void test_passphrase(void **state)
{
    (void)state;
    const char *msg = "a passphrase-protected bundle";
    membuf ct, pt;
    encrypt((const uint8_t *)msg, strlen(msg), NULL, 0, "correct horse", &ct);
    assert_non_null(strstr((const char *)ct.d, "\n-> scrypt "));
    int stage = 0;
    assert_int_equal(decrypt(ct.d, ct.len, NULL, 0, "correct horse", 0, &pt, &stage), TAMGA_OK);
    assert_int_equal(pt.len, strlen(msg));
    assert_memory_equal(pt.d, msg, pt.len);
    free(pt.d);
    assert_int_equal(decrypt(ct.d, ct.len, NULL, 0, "wrong horse", 0, &pt, &stage),
                     TAMGA_ERR_PASSPHRASE);
    uint8_t pk[32], sk[32];
    keypair(pk, sk);
    assert_int_equal(decrypt(ct.d, ct.len, (const uint8_t(*)[32])sk, 1, NULL, 0, &pt, &stage),
                     TAMGA_ERR_NOT_KEYHOLDER);
    /* A work factor above the reader's bound is refused before any work. */
    memsrc src = {ct.d, ct.len, 0, 0};
    tamga_age_reader *r = NULL;
    assert_int_equal(tamga_age_reader_new(mem_read, &src, NULL, 0, "correct horse", 13, 9, &r),
                     TAMGA_ERR_TOO_LARGE);
    free(ct.d);
}

/* Every byte flipped, and every truncation: always an error, nothing released. */
static void test_tamper_and_truncate(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32];
    keypair(pk, sk);
    uint8_t data[300];
    randombytes_buf(data, sizeof data);
    membuf ct, pt;
    encrypt(data, sizeof data, (const uint8_t(*)[32])pk, 1, NULL, &ct);
    int stage = 0;
    for (size_t i = 0; i < ct.len; i++) {
        for (int b = 0; b < 2; b++) {
            uint8_t mask = b ? 0x80 : 0x01;
            ct.d[i] ^= mask;
            int rc = decrypt(ct.d, ct.len, (const uint8_t(*)[32])sk, 1, NULL, 0, &pt, &stage);
            ct.d[i] ^= mask;
            if (rc == TAMGA_OK)
                fail_msg("flip 0x%02x at byte %zu accepted", mask, i);
            assert_int_equal(pt.len, 0);
            free(pt.d);
        }
    }
    for (size_t l = 0; l < ct.len; l++) {
        int rc = decrypt(ct.d, l, (const uint8_t(*)[32])sk, 1, NULL, 0, &pt, &stage);
        if (rc == TAMGA_OK)
            fail_msg("truncation to %zu bytes accepted", l);
        assert_int_equal(pt.len, 0);
        free(pt.d);
    }
    /* A byte appended to a short last chunk makes it fail. */
    ct.d = realloc(ct.d, ct.len + 1);
    ct.d[ct.len] = 0;
    assert_int_equal(decrypt(ct.d, ct.len + 1, (const uint8_t(*)[32])sk, 1, NULL, 0, &pt, &stage),
                     TAMGA_ERR_AUTH);
    assert_int_equal(pt.len, 0);
    free(pt.d);
    free(ct.d);
}

/* After a full last chunk, trailing data: the chunk is released, then an error. */
static void test_trailing_data(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32];
    keypair(pk, sk);
    uint8_t *data = malloc(TAMGA_AGE_CHUNK);
    randombytes_buf(data, TAMGA_AGE_CHUNK);
    membuf ct, pt;
    encrypt(data, TAMGA_AGE_CHUNK, (const uint8_t(*)[32])pk, 1, NULL, &ct);
    int stage = 0;
    for (size_t extra = 1; extra <= 2 * AGE_ENC_CHUNK; extra += AGE_ENC_CHUNK - 1) {
        membuf big = {0};
        mem_write(&big, ct.d, ct.len);
        for (size_t i = 0; i < extra; i++)
            mem_write(&big, (const uint8_t *)"x", 1);
        assert_int_equal(decrypt(big.d, big.len, (const uint8_t(*)[32])sk, 1, NULL, 0, &pt, &stage),
                         TAMGA_ERR_FORMAT);
        assert_int_equal(stage, 1);
        assert_int_equal(pt.len, TAMGA_AGE_CHUNK);
        assert_memory_equal(pt.d, data, TAMGA_AGE_CHUNK);
        free(pt.d);
        free(big.d);
    }
    free(ct.d);
    free(data);
}

/* Three chunks cut at each chunk boundary: the complete chunks before the cut
 * are released, then TAMGA_ERR_TRUNCATED; a cut inside a chunk fails it. */
static void test_multichunk_truncation(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32];
    keypair(pk, sk);
    size_t len = 2 * TAMGA_AGE_CHUNK + 1000;
    uint8_t *data = malloc(len);
    randombytes_buf(data, len);
    membuf ct, pt;
    encrypt(data, len, (const uint8_t(*)[32])pk, 1, NULL, &ct);
    size_t payload = header_len(&ct) + AGE_NONCE_BYTES;
    int stage = 0;
    for (size_t k = 0; k <= 2; k++) {
        size_t cut = payload + k * AGE_ENC_CHUNK;
        assert_int_equal(decrypt(ct.d, cut, (const uint8_t(*)[32])sk, 1, NULL, 0, &pt, &stage),
                         TAMGA_ERR_TRUNCATED);
        assert_int_equal(pt.len, k * TAMGA_AGE_CHUNK);
        if (pt.len)
            assert_memory_equal(pt.d, data, pt.len);
        free(pt.d);
        int rc = decrypt(ct.d, cut + 500, (const uint8_t(*)[32])sk, 1, NULL, 0, &pt, &stage);
        assert_true(rc == TAMGA_ERR_AUTH || rc == TAMGA_ERR_TRUNCATED);
        assert_int_equal(pt.len, k * TAMGA_AGE_CHUNK);
        free(pt.d);
    }
    /* A flipped byte in the second chunk: the first is released, then AUTH. */
    ct.d[payload + AGE_ENC_CHUNK + 10] ^= 1;
    assert_int_equal(decrypt(ct.d, ct.len, (const uint8_t(*)[32])sk, 1, NULL, 0, &pt, &stage),
                     TAMGA_ERR_AUTH);
    assert_int_equal(pt.len, TAMGA_AGE_CHUNK);
    free(pt.d);
    free(ct.d);
    free(data);
}

/* ---- stock age, both ways ---- */

static int have_age(void)
{
    return system("command -v age >/dev/null 2>&1 && command -v age-keygen >/dev/null 2>&1") == 0;
}

static void run_ok(const char *cmd)
{
    int st = system(cmd);
    if (st != 0)
        fail_msg("command failed (%d): %s", st, cmd);
}

static void test_stock_age(void **state)
{
    (void)state;
    if (!have_age()) {
        printf("stock age: not installed, skipped\n");
        skip();
    }
    char *dir = tu_tmpdir("age-stock");
    char *keyfile = tu_path(dir, "key.txt"), *plain = tu_path(dir, "plain.bin"),
         *enc = tu_path(dir, "file.age"), *dec = tu_path(dir, "out.bin");
    char cmd[4096];
    const size_t sizes[] = {0, 1, TAMGA_AGE_CHUNK, TAMGA_AGE_CHUNK + 1, 300000};
    /* tamga encrypts, stock age decrypts. */
    uint8_t pk[32], sk[32];
    keypair(pk, sk);
    char *id = NULL;
    assert_int_equal(tamga_age_identity_format(sk, &id), TAMGA_OK);
    char idline[100];
    snprintf(idline, sizeof idline, "%s\n", id);
    sodium_free(id);
    tu_write(keyfile, idline, strlen(idline));
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint8_t *data = malloc(sizes[i] + 1);
        randombytes_buf(data, sizes[i]);
        membuf ct;
        encrypt(data, sizes[i], (const uint8_t(*)[32])pk, 1, NULL, &ct);
        tu_write(enc, ct.d, ct.len);
        /* age creates its -o file lazily (not at all for empty output): redirect. */
        snprintf(cmd, sizeof cmd, "age -d -i '%s' '%s' > '%s'", keyfile, enc, dec);
        run_ok(cmd);
        size_t n = 0;
        uint8_t *got = tu_read(dec, &n);
        assert_int_equal(n, sizes[i]);
        if (n)
            assert_memory_equal(got, data, n);
        free(got);
        free(ct.d);
        free(data);
    }
    /* age-keygen's key: our parser, our recipient encoding; age encrypts (binary
     * and armored), tamga decrypts. */
    unlink(keyfile);
    snprintf(cmd, sizeof cmd, "age-keygen -o '%s' 2>/dev/null", keyfile);
    run_ok(cmd);
    size_t klen = 0;
    char *keytext = (char *)tu_read(keyfile, &klen);
    char *publine = strstr(keytext, "# public key: ");
    char *secline = strstr(keytext, "AGE-SECRET-KEY-1");
    assert_non_null(publine);
    assert_non_null(secline);
    char rcpt_text[63], sec_text[75];
    memcpy(rcpt_text, publine + 14, 62);
    rcpt_text[62] = '\0';
    memcpy(sec_text, secline, 74);
    sec_text[74] = '\0';
    uint8_t ksk[32], kpk[32], kpk2[32];
    assert_int_equal(tamga_age_identity_parse(sec_text, ksk), TAMGA_OK);
    assert_int_equal(tamga_age_recipient_parse(rcpt_text, kpk), TAMGA_OK);
    crypto_scalarmult_base(kpk2, ksk);
    assert_memory_equal(kpk, kpk2, 32);
    char *again = NULL;
    assert_int_equal(tamga_age_recipient_format(kpk2, &again), TAMGA_OK);
    assert_string_equal(again, rcpt_text);
    free(again);
    for (int armor = 0; armor < 2; armor++) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            uint8_t *data = malloc(sizes[i] + 1);
            randombytes_buf(data, sizes[i]);
            tu_write(plain, data, sizes[i]);
            snprintf(cmd, sizeof cmd, "age -e %s -r %s -o '%s' '%s'", armor ? "-a" : "", rcpt_text,
                     enc, plain);
            unlink(enc);
            run_ok(cmd);
            size_t n = 0;
            uint8_t *ctext = tu_read(enc, &n);
            membuf pt;
            int stage = 0;
            assert_int_equal(decrypt(ctext, n, (const uint8_t(*)[32])ksk, 1, NULL, 0, &pt, &stage),
                             TAMGA_OK);
            assert_int_equal(pt.len, sizes[i]);
            if (pt.len)
                assert_memory_equal(pt.d, data, pt.len);
            free(pt.d);
            free(ctext);
            free(data);
        }
    }
    sodium_memzero(keytext, klen);
    free(keytext);
    tu_rm_rf(dir);
    free(dir);
    free(keyfile);
    free(plain);
    free(enc);
    free(dec);
}

/* Passphrases: stock age reads them from the terminal only, so it runs inside
 * script(1)'s pseudo-terminal. */
static void test_stock_age_passphrase(void **state)
{
    (void)state;
    if (!have_age() || system("command -v script >/dev/null 2>&1") != 0) {
        printf("stock age passphrase: age or script(1) missing, skipped\n");
        skip();
    }
    char *dir = tu_tmpdir("age-stock-pass");
    char *plain = tu_path(dir, "plain.bin"), *enc = tu_path(dir, "file.age"),
         *dec = tu_path(dir, "out.bin");
    char cmd[4096];
    const char *pass = "stock horse battery";
    uint8_t data[100000];
    randombytes_buf(data, sizeof data);
    /* tamga → age */
    membuf ct, pt;
    encrypt(data, sizeof data, NULL, 0, pass, &ct);
    tu_write(enc, ct.d, ct.len);
    free(ct.d);
    snprintf(cmd, sizeof cmd,
             "printf '%%s\\n' '%s' | script -qec \"age -d -o '%s' '%s'\" /dev/null >/dev/null",
             pass, dec, enc);
    run_ok(cmd);
    size_t n = 0;
    uint8_t *got = tu_read(dec, &n);
    assert_int_equal(n, sizeof data);
    assert_memory_equal(got, data, n);
    free(got);
    /* age → tamga (work factor 2^18, age's default) */
    tu_write(plain, data, sizeof data);
    unlink(enc);
    snprintf(cmd, sizeof cmd,
             "printf '%%s\\n%%s\\n' '%s' '%s' | script -qec \"age -e -p -o '%s' '%s'\" "
             "/dev/null >/dev/null",
             pass, pass, enc, plain);
    run_ok(cmd);
    got = tu_read(enc, &n);
    int stage = 0;
    assert_int_equal(decrypt(got, n, NULL, 0, pass, 0, &pt, &stage), TAMGA_OK);
    assert_int_equal(pt.len, sizeof data);
    assert_memory_equal(pt.d, data, pt.len);
    free(pt.d);
    assert_int_equal(decrypt(got, n, NULL, 0, "not it", 0, &pt, &stage), TAMGA_ERR_PASSPHRASE);
    free(got);
    tu_rm_rf(dir);
    free(dir);
    free(plain);
    free(enc);
    free(dec);
}

int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hkdf),          cmocka_unit_test(test_b64raw),
        cmocka_unit_test(test_keys),          cmocka_unit_test(test_testkit),
        cmocka_unit_test(test_round_trips),   cmocka_unit_test(test_multiple_recipients),
        cmocka_unit_test(test_passphrase),    cmocka_unit_test(test_tamper_and_truncate),
        cmocka_unit_test(test_trailing_data), cmocka_unit_test(test_multichunk_truncation),
        cmocka_unit_test(test_stock_age),     cmocka_unit_test(test_stock_age_passphrase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
