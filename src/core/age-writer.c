/* SPDX-License-Identifier: GPL-3.0-or-later */
/* age v1 encryption: header (X25519 or scrypt stanzas, MAC), then the STREAM
 * payload in 64 KiB chunks. One chunk in memory whatever the file size. */
#include "tamga/age.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age-internal.h"
#include "util.h"

struct tamga_age_writer {
    tamga_age_write_fn write;
    void *user;
    uint8_t *key; /* sodium_malloc'd payload key */
    uint8_t nonce[12];
    uint8_t *buf; /* plaintext of the current chunk */
    size_t len;
    uint8_t *ct;
    int err;
    int finished;
};

typedef struct {
    uint8_t file_key[AGE_FILE_KEY_BYTES];
    uint8_t eph_sk[32];
    uint8_t shared[32];
    uint8_t wrap_key[32];
    uint8_t mac_key[32];
} writer_secrets;

/* Appends a stanza with the 32-byte wrapped file key as its one short body line. */
static size_t put_stanza_body(char *h, size_t o, const uint8_t wrapped[AGE_WRAPPED_BYTES])
{
    tamga_age_b64raw_encode(wrapped, AGE_WRAPPED_BYTES, h + o);
    o += strlen(h + o);
    h[o++] = '\n';
    return o;
}

void tamga_age_writer_free(tamga_age_writer *w)
{
    if (w == NULL)
        return;
    sodium_free(w->key);
    if (w->buf != NULL)
        sodium_memzero(w->buf, TAMGA_AGE_CHUNK);
    free(w->buf);
    free(w->ct);
    free(w);
}

int tamga_age_writer_new(tamga_age_write_fn write, void *user,
                         const uint8_t (*recipients)[TAMGA_ENC_PK_BYTES], size_t n,
                         const char *passphrase, size_t passlen, int log_n, tamga_age_writer **out)
{
    *out = NULL;
    if (n > TAMGA_AGE_MAX_RECIPIENTS)
        return tamga__fail(TAMGA_ERR_INVALID, "at most %d age recipients",
                           TAMGA_AGE_MAX_RECIPIENTS);
    if (n == 0 && passphrase == NULL)
        return tamga__fail(TAMGA_ERR_INVALID, "no age recipient and no passphrase");
    if (n == 0 && (log_n < 1 || log_n > 30))
        return tamga__fail(TAMGA_ERR_INVALID, "scrypt work factor 2^%d out of range", log_n);

    tamga_age_writer *w = calloc(1, sizeof *w);
    writer_secrets *s = sodium_malloc(sizeof *s);
    size_t cap = sizeof AGE_INTRO + (n == 0 ? 1 : n) * 128 + 64;
    char *h = malloc(cap);
    int rc = TAMGA_OK;
    if (w == NULL || s == NULL || h == NULL || (w->key = sodium_malloc(32)) == NULL ||
        (w->buf = malloc(TAMGA_AGE_CHUNK)) == NULL || (w->ct = malloc(AGE_ENC_CHUNK)) == NULL) {
        rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
        goto done;
    }
    w->write = write;
    w->user = user;
    randombytes_buf(s->file_key, sizeof s->file_key);

    size_t o = strlen(AGE_INTRO);
    memcpy(h, AGE_INTRO, o);
    uint8_t wrapped[AGE_WRAPPED_BYTES];
    for (size_t i = 0; i < n; i++) {
        uint8_t eph_pk[32], salt[64];
        randombytes_buf(s->eph_sk, sizeof s->eph_sk);
        crypto_scalarmult_base(eph_pk, s->eph_sk);
        if (crypto_scalarmult(s->shared, s->eph_sk, recipients[i]) != 0) {
            rc = tamga__fail(TAMGA_ERR_INVALID, "age recipient %zu is a low-order point", i + 1);
            goto done;
        }
        memcpy(salt, eph_pk, 32);
        memcpy(salt + 32, recipients[i], 32);
        tamga_age_hkdf(s->wrap_key, 32, s->shared, 32, salt, sizeof salt, AGE_X25519_LABEL);
        tamga_age_wrap(wrapped, s->wrap_key, s->file_key);
        memcpy(h + o, "-> X25519 ", 10);
        o += 10;
        tamga_age_b64raw_encode(eph_pk, 32, h + o);
        o += strlen(h + o);
        h[o++] = '\n';
        o = put_stanza_body(h, o, wrapped);
    }
    if (n == 0) {
        uint8_t salt[16];
        randombytes_buf(salt, sizeof salt);
        if ((rc = tamga_age_scrypt_key(s->wrap_key, passphrase, passlen, salt, log_n)) != TAMGA_OK)
            goto done;
        tamga_age_wrap(wrapped, s->wrap_key, s->file_key);
        memcpy(h + o, "-> scrypt ", 10);
        o += 10;
        tamga_age_b64raw_encode(salt, sizeof salt, h + o);
        o += strlen(h + o);
        o += (size_t)snprintf(h + o, cap - o, " %d\n", log_n);
        o = put_stanza_body(h, o, wrapped);
    }
    memcpy(h + o, "---", 3);
    o += 3;
    uint8_t mac[crypto_auth_hmacsha256_BYTES], nonce[AGE_NONCE_BYTES];
    tamga_age_hkdf(s->mac_key, 32, s->file_key, AGE_FILE_KEY_BYTES, NULL, 0, "header");
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, s->mac_key, 32);
    crypto_auth_hmacsha256_update(&st, (const uint8_t *)h, o);
    crypto_auth_hmacsha256_final(&st, mac);
    h[o++] = ' ';
    tamga_age_b64raw_encode(mac, sizeof mac, h + o);
    o += strlen(h + o);
    h[o++] = '\n';

    randombytes_buf(nonce, sizeof nonce);
    tamga_age_hkdf(w->key, 32, s->file_key, AGE_FILE_KEY_BYTES, nonce, sizeof nonce, "payload");
    if ((rc = write(user, (const uint8_t *)h, o)) != TAMGA_OK ||
        (rc = write(user, nonce, sizeof nonce)) != TAMGA_OK)
        goto done;
    *out = w;
    w = NULL;
done:
    sodium_free(s);
    free(h);
    tamga_age_writer_free(w);
    return rc;
}

static int flush_chunk(tamga_age_writer *w, int last)
{
    w->nonce[11] = last ? 1 : 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(w->ct, NULL, w->buf, w->len, NULL, 0, NULL, w->nonce,
                                              w->key);
    int rc = w->write(w->user, w->ct, w->len + AGE_TAG_BYTES);
    if (rc != TAMGA_OK)
        return w->err = rc;
    tamga_age_nonce_increment(w->nonce);
    w->len = 0;
    return TAMGA_OK;
}

int tamga_age_writer_write(tamga_age_writer *w, const void *data, size_t len)
{
    const uint8_t *p = data;
    if (w->err != TAMGA_OK)
        return w->err;
    if (w->finished)
        return tamga__fail(TAMGA_ERR_INVALID, "age writer already finished");
    while (len > 0) {
        /* A full chunk is written only once more data follows: the last chunk
         * is full or short but never empty (unless it is the only one). */
        if (w->len == TAMGA_AGE_CHUNK) {
            int rc = flush_chunk(w, 0);
            if (rc != TAMGA_OK)
                return rc;
        }
        size_t n = TAMGA_AGE_CHUNK - w->len < len ? TAMGA_AGE_CHUNK - w->len : len;
        memcpy(w->buf + w->len, p, n);
        w->len += n;
        p += n;
        len -= n;
    }
    return TAMGA_OK;
}

int tamga_age_writer_finish(tamga_age_writer *w)
{
    if (w->err != TAMGA_OK)
        return w->err;
    if (w->finished)
        return tamga__fail(TAMGA_ERR_INVALID, "age writer already finished");
    int rc = flush_chunk(w, 1);
    w->finished = 1;
    return rc;
}
