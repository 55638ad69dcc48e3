/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private helpers of the age v1 implementation (age-*.c). Never installed. */
#ifndef TAMGA_AGE_INTERNAL_H
#define TAMGA_AGE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#define AGE_INTRO             "age-encryption.org/v1\n"
#define AGE_FILE_KEY_BYTES    16
#define AGE_NONCE_BYTES       16 /* payload nonce (HKDF salt) */
#define AGE_TAG_BYTES         16
#define AGE_ENC_CHUNK         (64u * 1024u + AGE_TAG_BYTES)
#define AGE_WRAPPED_BYTES     (AGE_FILE_KEY_BYTES + AGE_TAG_BYTES)
#define AGE_COLUMNS           64 /* base64 characters per header body or armor line */
#define AGE_LINE_BYTES        48 /* bytes encoded by a full line */
#define AGE_SCRYPT_LABEL      "age-encryption.org/v1/scrypt"
#define AGE_X25519_LABEL      "age-encryption.org/v1/X25519"
#define AGE_DEFAULT_MAX_LOG_N 22
#define AGE_ARMOR_BEGIN       "-----BEGIN AGE ENCRYPTED FILE-----"
#define AGE_ARMOR_END         "-----END AGE ENCRYPTED FILE-----"
#define AGE_ARMOR_MAX_WS      1024 /* whitespace allowed around an armored file */

/* HKDF-SHA-256 (RFC 5869) on libsodium's HMAC-SHA-256. `outlen` ≤ 255*32. */
void tamga_age_hkdf(uint8_t *out, size_t outlen, const uint8_t *ikm, size_t ikmlen,
                    const uint8_t *salt, size_t saltlen, const char *info);

/* Unpadded standard base64 (Go's RawStdEncoding). `out` holds
 * tamga_age_b64raw_len(len) + 1 bytes; NUL-terminated. */
size_t tamga_age_b64raw_len(size_t len);
void tamga_age_b64raw_encode(const uint8_t *in, size_t len, char *out);
/* Strict: no padding, no whitespace, zero trailing bits. TAMGA_ERR_FORMAT. */
int tamga_age_b64raw_decode(const char *in, size_t inlen, uint8_t *out, size_t outmax,
                            size_t *outlen);

/* Wraps/unwraps a 16-byte file key with ChaCha20-Poly1305 (zero nonce). unwrap:
 * -1 when the tag does not verify. */
void tamga_age_wrap(uint8_t out[AGE_WRAPPED_BYTES], const uint8_t key[32],
                    const uint8_t file_key[AGE_FILE_KEY_BYTES]);
int tamga_age_unwrap(uint8_t file_key[AGE_FILE_KEY_BYTES], const uint8_t key[32],
                     const uint8_t in[AGE_WRAPPED_BYTES]);

/* scrypt(passphrase, AGE_SCRYPT_LABEL || salt, 2^log_n, 8, 1) → 32 bytes. */
int tamga_age_scrypt_key(uint8_t key[32], const char *pass, size_t passlen, const uint8_t salt[16],
                         int log_n);

/* STREAM nonce: 11-byte big-endian counter, then the last-chunk flag. */
void tamga_age_nonce_increment(uint8_t nonce[12]);

#endif
