/* SPDX-License-Identifier: GPL-3.0-or-later */
/* age v1 building blocks: HKDF-SHA-256, unpadded base64, file key wrapping,
 * scrypt, and the age1… / AGE-SECRET-KEY-1… key encodings. */
#include "tamga/age.h"

#include <string.h>

#include <sodium.h>

#include "age-internal.h"
#include "bech32.h"
#include "util.h"

#define AGE_SECRET_HRP "age-secret-key-"
#define AGE_SECRET_LEN 74 /* "AGE-SECRET-KEY-1" + 52 data + 6 checksum characters */

void tamga_age_hkdf(uint8_t *out, size_t outlen, const uint8_t *ikm, size_t ikmlen,
                    const uint8_t *salt, size_t saltlen, const char *info)
{
    uint8_t prk[crypto_auth_hmacsha256_BYTES], t[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    size_t infolen = strlen(info), done = 0, tlen = 0;

    /* Extract: PRK = HMAC(salt, IKM); an empty salt is HMAC's all-zero key. */
    static const uint8_t no_salt[1];
    crypto_auth_hmacsha256_init(&st, salt != NULL ? salt : no_salt, saltlen);
    crypto_auth_hmacsha256_update(&st, ikm, ikmlen);
    crypto_auth_hmacsha256_final(&st, prk);
    /* Expand: T(i) = HMAC(PRK, T(i-1) || info || i). */
    for (uint8_t i = 1; done < outlen; i++) {
        crypto_auth_hmacsha256_init(&st, prk, sizeof prk);
        crypto_auth_hmacsha256_update(&st, t, tlen);
        crypto_auth_hmacsha256_update(&st, (const uint8_t *)info, infolen);
        crypto_auth_hmacsha256_update(&st, &i, 1);
        crypto_auth_hmacsha256_final(&st, t);
        tlen = sizeof t;
        size_t n = outlen - done < tlen ? outlen - done : tlen;
        memcpy(out + done, t, n);
        done += n;
    }
    sodium_memzero(prk, sizeof prk);
    sodium_memzero(t, sizeof t);
    sodium_memzero(&st, sizeof st);
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t tamga_age_b64raw_len(size_t len)
{
    return len / 3 * 4 + (len % 3 == 0 ? 0 : len % 3 + 1);
}

void tamga_age_b64raw_encode(const uint8_t *in, size_t len, char *out)
{
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = b64chars[(v >> 18) & 63];
        out[o++] = b64chars[(v >> 12) & 63];
        out[o++] = b64chars[(v >> 6) & 63];
        out[o++] = b64chars[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = b64chars[(v >> 18) & 63];
        out[o++] = b64chars[(v >> 12) & 63];
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = b64chars[(v >> 18) & 63];
        out[o++] = b64chars[(v >> 12) & 63];
        out[o++] = b64chars[(v >> 6) & 63];
    }
    out[o] = '\0';
}

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int tamga_age_b64raw_decode(const char *in, size_t inlen, uint8_t *out, size_t outmax,
                            size_t *outlen)
{
    *outlen = 0;
    if (inlen % 4 == 1)
        return tamga__fail(TAMGA_ERR_FORMAT, "invalid base64 length %zu", inlen);
    size_t need = inlen / 4 * 3 + (inlen % 4 == 0 ? 0 : inlen % 4 - 1);
    if (need > outmax)
        return tamga__fail(TAMGA_ERR_FORMAT, "base64 value too long");
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < inlen; i++) {
        int v = b64val((unsigned char)in[i]);
        if (v < 0) {
            sodium_memzero(out, o);
            return tamga__fail(TAMGA_ERR_FORMAT, "invalid base64 character at offset %zu", i);
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0) {
        sodium_memzero(out, o);
        return tamga__fail(TAMGA_ERR_FORMAT, "non-canonical base64 (trailing bits)");
    }
    *outlen = o;
    return TAMGA_OK;
}

void tamga_age_wrap(uint8_t out[AGE_WRAPPED_BYTES], const uint8_t key[32],
                    const uint8_t file_key[AGE_FILE_KEY_BYTES])
{
    static const uint8_t zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];
    crypto_aead_chacha20poly1305_ietf_encrypt(out, NULL, file_key, AGE_FILE_KEY_BYTES, NULL, 0,
                                              NULL, zero_nonce, key);
}

int tamga_age_unwrap(uint8_t file_key[AGE_FILE_KEY_BYTES], const uint8_t key[32],
                     const uint8_t in[AGE_WRAPPED_BYTES])
{
    static const uint8_t zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];
    return crypto_aead_chacha20poly1305_ietf_decrypt(file_key, NULL, NULL, in, AGE_WRAPPED_BYTES,
                                                     NULL, 0, zero_nonce, key);
}

int tamga_age_scrypt_key(uint8_t key[32], const char *pass, size_t passlen, const uint8_t salt[16],
                         int log_n)
{
    uint8_t s[sizeof AGE_SCRYPT_LABEL - 1 + 16];
    memcpy(s, AGE_SCRYPT_LABEL, sizeof AGE_SCRYPT_LABEL - 1);
    memcpy(s + sizeof AGE_SCRYPT_LABEL - 1, salt, 16);
    if (crypto_pwhash_scryptsalsa208sha256_ll((const uint8_t *)pass, passlen, s, sizeof s,
                                              (uint64_t)1 << log_n, 8, 1, key, 32) != 0) {
        sodium_memzero(key, 32);
        return tamga__fail(TAMGA_ERR_NOMEM, "scrypt with work factor 2^%d failed (memory)", log_n);
    }
    return TAMGA_OK;
}

void tamga_age_nonce_increment(uint8_t nonce[12])
{
    for (int i = 10; i >= 0; i--)
        if (++nonce[i] != 0)
            break;
}

int tamga_age_recipient_parse(const char *text, uint8_t pk[TAMGA_ENC_PK_BYTES])
{
    return tamga_age_recipient_decode(text, strlen(text), pk);
}

int tamga_age_recipient_format(const uint8_t pk[TAMGA_ENC_PK_BYTES], char **out)
{
    *out = NULL;
    char buf[TAMGA_AGE_RECIPIENT_LEN + 1];
    int rc = tamga_age_recipient_encode(pk, buf);
    if (rc != TAMGA_OK)
        return rc;
    *out = strdup(buf);
    return *out == NULL ? tamga__fail(TAMGA_ERR_NOMEM, "out of memory") : TAMGA_OK;
}

int tamga_age_identity_parse(const char *text, uint8_t sk[TAMGA_ENC_SK_BYTES])
{
    char hrp[20];
    uint8_t five[64];
    size_t n = 0, got = 0, len = strlen(text);
    sodium_memzero(sk, TAMGA_ENC_SK_BYTES);
    if (len != AGE_SECRET_LEN)
        return tamga__fail(TAMGA_ERR_FORMAT, "an age identity has %d characters", AGE_SECRET_LEN);
    for (size_t i = 0; i < len; i++)
        if (text[i] >= 'a' && text[i] <= 'z')
            return tamga__fail(TAMGA_ERR_FORMAT, "an age identity is upper-case");
    int rc = tamga_bech32_decode(text, len, hrp, sizeof hrp, five, sizeof five, &n);
    if (rc == TAMGA_OK && strcmp(hrp, AGE_SECRET_HRP) != 0)
        rc = tamga__fail(TAMGA_ERR_FORMAT, "an age identity starts with AGE-SECRET-KEY-1");
    if (rc == TAMGA_OK) {
        rc = tamga_bech32_convert_bits(sk, TAMGA_ENC_SK_BYTES, &got, 8, five, n, 5, 0);
        if (rc == TAMGA_OK && got != TAMGA_ENC_SK_BYTES)
            rc = tamga__fail(TAMGA_ERR_FORMAT, "an age identity holds 32 bytes");
    }
    sodium_memzero(five, sizeof five);
    if (rc != TAMGA_OK) {
        sodium_memzero(sk, TAMGA_ENC_SK_BYTES);
        return rc < 0 && rc != TAMGA_ERR_FORMAT ? TAMGA_ERR_FORMAT : rc;
    }
    return TAMGA_OK;
}

int tamga_age_identity_format(const uint8_t sk[TAMGA_ENC_SK_BYTES], char **out)
{
    *out = NULL;
    uint8_t five[52];
    size_t n = 0;
    char *s = sodium_malloc(AGE_SECRET_LEN + 1);
    if (s == NULL)
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
    int rc = tamga_bech32_convert_bits(five, sizeof five, &n, 5, sk, TAMGA_ENC_SK_BYTES, 8, 1);
    if (rc == TAMGA_OK)
        rc = tamga_bech32_encode(AGE_SECRET_HRP, five, n, s, AGE_SECRET_LEN + 1);
    sodium_memzero(five, sizeof five);
    if (rc != TAMGA_OK) {
        sodium_free(s);
        return rc;
    }
    for (char *p = s; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    *out = s;
    return TAMGA_OK;
}
