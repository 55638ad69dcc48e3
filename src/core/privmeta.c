/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Encrypted private metadata. Format: docs/FORMAT.md (section 5).
 *
 *   magic "TAMGAPRV" | version u16le = 1 | flags u16le = 0 | case_id 16 |
 *   recording_id 16 | sealed_key 80 | nonce 24 | ciphertext (JSON + 16)
 *
 * The AEAD's associated data is the whole 148-byte header. */
#include "tamga/privmeta.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util.h"

#define PRV_MAGIC       "TAMGAPRV"
#define PRV_MAGIC_LEN   8
#define PRV_VERSION     1
#define PRV_OFF_VERSION 8
#define PRV_OFF_FLAGS   10
#define PRV_OFF_CASE_ID 12
#define PRV_OFF_REC_ID  28
#define PRV_OFF_SEALED  44
#define PRV_KEY_BYTES   crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define PRV_SEALED      (PRV_KEY_BYTES + crypto_box_SEALBYTES)
#define PRV_OFF_NONCE   (PRV_OFF_SEALED + PRV_SEALED)
#define PRV_NONCE       crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define PRV_HEADER      (PRV_OFF_NONCE + PRV_NONCE)
#define PRV_ABYTES      crypto_aead_xchacha20poly1305_ietf_ABYTES
#define PRV_MIN_PLAIN   2 /* "{}" */
#define PRV_MAX_FILE    (PRV_HEADER + TAMGA_PRIVMETA_MAX_PLAIN + PRV_ABYTES)

_Static_assert(PRV_SEALED == 80, "sealed key is 80 bytes");
_Static_assert(PRV_NONCE == 24, "XChaCha20 nonce is 24 bytes");
_Static_assert(PRV_HEADER == 148, "privmeta header is 148 bytes");
_Static_assert(PRV_ABYTES == 16, "Poly1305 tag is 16 bytes");

/* The plaintext must be one JSON object with nothing after it. */
static int check_json(const char *json, size_t len)
{
    if (len < PRV_MIN_PLAIN)
        return tamga__fail(TAMGA_ERR_FORMAT, "private metadata is not a JSON object");
    if (len > TAMGA_PRIVMETA_MAX_PLAIN)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "private metadata is %zu bytes, limit %u", len,
                           TAMGA_PRIVMETA_MAX_PLAIN);
    json_t *j = tamga_json_parse_strict(json, len, "private metadata");
    if (j == NULL)
        return TAMGA_ERR_FORMAT;
    json_decref(j);
    return TAMGA_OK;
}

int tamga_privmeta_check_header(const uint8_t *data, size_t len, uint8_t case_id[TAMGA_ID_BYTES],
                                uint8_t recording_id[TAMGA_ID_BYTES])
{
    memset(case_id, 0, TAMGA_ID_BYTES);
    memset(recording_id, 0, TAMGA_ID_BYTES);
    size_t m = len < PRV_MAGIC_LEN ? len : PRV_MAGIC_LEN;
    if (m > 0 && memcmp(data, PRV_MAGIC, m) != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "not a tamga private metadata file (bad magic)");
    if (len < PRV_OFF_CASE_ID)
        return tamga__fail(TAMGA_ERR_TRUNCATED, "private metadata ends at offset %zu", len);
    uint16_t version = tamga_load_le16(data + PRV_OFF_VERSION);
    if (version != PRV_VERSION)
        return tamga__fail(TAMGA_ERR_UNSUPPORTED, "private metadata version %u (offset 8)",
                           (unsigned)version);
    uint16_t flags = tamga_load_le16(data + PRV_OFF_FLAGS);
    if (flags != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "private metadata flags 0x%04x must be 0 (offset 10)",
                           (unsigned)flags);
    if (len < PRV_HEADER + PRV_ABYTES + PRV_MIN_PLAIN)
        return tamga__fail(TAMGA_ERR_TRUNCATED,
                           "private metadata ends at offset %zu of at least %u", len,
                           PRV_HEADER + PRV_ABYTES + PRV_MIN_PLAIN);
    if (len > PRV_MAX_FILE)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "private metadata is %zu bytes, limit %u", len,
                           PRV_MAX_FILE);
    memcpy(case_id, data + PRV_OFF_CASE_ID, TAMGA_ID_BYTES);
    memcpy(recording_id, data + PRV_OFF_REC_ID, TAMGA_ID_BYTES);
    return TAMGA_OK;
}

int tamga_privmeta_seal(const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                        const uint8_t case_id[TAMGA_ID_BYTES],
                        const uint8_t recording_id[TAMGA_ID_BYTES], const char *json, size_t len,
                        uint8_t **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    int rc = check_json(json, len);
    if (rc != TAMGA_OK)
        return rc;
    size_t total = PRV_HEADER + len + PRV_ABYTES;
    uint8_t *buf = malloc(total);
    uint8_t *key = sodium_malloc(PRV_KEY_BYTES);
    if (buf == NULL || key == NULL) {
        free(buf);
        if (key != NULL)
            sodium_free(key);
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory sealing private metadata");
    }
    memcpy(buf, PRV_MAGIC, PRV_MAGIC_LEN);
    tamga_store_le16(buf + PRV_OFF_VERSION, PRV_VERSION);
    tamga_store_le16(buf + PRV_OFF_FLAGS, 0);
    memcpy(buf + PRV_OFF_CASE_ID, case_id, TAMGA_ID_BYTES);
    memcpy(buf + PRV_OFF_REC_ID, recording_id, TAMGA_ID_BYTES);
    crypto_aead_xchacha20poly1305_ietf_keygen(key);
    if (crypto_box_seal(buf + PRV_OFF_SEALED, key, PRV_KEY_BYTES, case_pk) != 0) {
        sodium_free(key);
        free(buf);
        return tamga__fail(TAMGA_ERR_INVALID, "the case public key is not usable");
    }
    randombytes_buf(buf + PRV_OFF_NONCE, PRV_NONCE);
    crypto_aead_xchacha20poly1305_ietf_encrypt(buf + PRV_HEADER, NULL, (const uint8_t *)json, len,
                                               buf, PRV_HEADER, NULL, buf + PRV_OFF_NONCE, key);
    sodium_free(key);
    *out = buf;
    *outlen = total;
    return TAMGA_OK;
}

int tamga_privmeta_write(const char *path, const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                         const uint8_t case_id[TAMGA_ID_BYTES],
                         const uint8_t recording_id[TAMGA_ID_BYTES], const char *json, size_t len)
{
    uint8_t *buf = NULL;
    size_t n = 0;
    int rc = tamga_privmeta_seal(case_pk, case_id, recording_id, json, len, &buf, &n);
    if (rc != TAMGA_OK)
        return rc;
    rc = tamga_write_atomic(path, buf, n, 0600, 0);
    free(buf);
    return rc;
}

int tamga_privmeta_open(const uint8_t *data, size_t len, const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                        const uint8_t case_sk[TAMGA_ENC_SK_BYTES],
                        const uint8_t case_id[TAMGA_ID_BYTES],
                        const uint8_t recording_id[TAMGA_ID_BYTES], char **json, size_t *json_len)
{
    *json = NULL;
    *json_len = 0;
    uint8_t got_case[TAMGA_ID_BYTES], got_rec[TAMGA_ID_BYTES];
    int rc = tamga_privmeta_check_header(data, len, got_case, got_rec);
    if (rc != TAMGA_OK)
        return rc;
    if (memcmp(got_case, case_id, TAMGA_ID_BYTES) != 0)
        return tamga__fail(TAMGA_ERR_WRONG_CASE, "private metadata belongs to another case");
    if (memcmp(got_rec, recording_id, TAMGA_ID_BYTES) != 0)
        return tamga__fail(TAMGA_ERR_WRONG_CASE, "private metadata belongs to another recording");

    size_t plen = len - PRV_HEADER - PRV_ABYTES;
    uint8_t *key = sodium_malloc(PRV_KEY_BYTES);
    char *plain = sodium_malloc(plen + 1);
    if (key == NULL || plain == NULL) {
        if (key != NULL)
            sodium_free(key);
        if (plain != NULL)
            sodium_free(plain);
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory opening private metadata");
    }
    if (crypto_box_seal_open(key, data + PRV_OFF_SEALED, PRV_SEALED, case_pk, case_sk) != 0) {
        rc = tamga__fail(TAMGA_ERR_AUTH,
                         "private metadata key (offset %u) does not open with this case key",
                         PRV_OFF_SEALED);
        goto fail;
    }
    unsigned long long mlen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)plain, &mlen, NULL, data + PRV_HEADER,
                                                   len - PRV_HEADER, data, PRV_HEADER,
                                                   data + PRV_OFF_NONCE, key) != 0 ||
        mlen != plen) {
        rc = tamga__fail(TAMGA_ERR_AUTH, "private metadata was altered (authentication failed)");
        goto fail;
    }
    plain[plen] = '\0';
    rc = check_json(plain, plen);
    if (rc != TAMGA_OK)
        goto fail;
    sodium_free(key);
    *json = plain;
    *json_len = plen;
    return TAMGA_OK;

fail:
    sodium_free(key);
    sodium_free(plain);
    return rc;
}
