/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The age v1 file format (age-encryption.org/v1) on libsodium: X25519 recipients
 * and scrypt passphrase recipients, the STREAM payload (ChaCha20-Poly1305, 64 KiB
 * chunks), header MAC, ASCII armor on read. Streaming: constant memory whatever
 * the file size. See docs/FORMAT.md, "age files". */
#ifndef TAMGA_AGE_H
#define TAMGA_AGE_H

#include "common.h"

#define TAMGA_AGE_CHUNK (64u * 1024u)
#define TAMGA_AGE_MAX_RECIPIENTS 64
#define TAMGA_AGE_MAX_HEADER (1u << 20)

/* "age1…" (Bech32, HRP "age") → X25519 public key. TAMGA_ERR_FORMAT if invalid. */
TAMGA_API int tamga_age_recipient_parse(const char *text, uint8_t pk[TAMGA_ENC_PK_BYTES]);
/* X25519 public key → "age1…", malloc'd. */
TAMGA_API int tamga_age_recipient_format(const uint8_t pk[TAMGA_ENC_PK_BYTES], char **out);
/* "AGE-SECRET-KEY-1…" → X25519 secret key (into `sk`, caller's secure memory). */
TAMGA_API int tamga_age_identity_parse(const char *text, uint8_t sk[TAMGA_ENC_SK_BYTES]);
/* X25519 secret key → "AGE-SECRET-KEY-1…", sodium_malloc'd (sodium_free it). */
TAMGA_API int tamga_age_identity_format(const uint8_t sk[TAMGA_ENC_SK_BYTES], char **out);

/* I/O callbacks. write: 0 or a tamga error. read: bytes read (0 at end) or a
 * negative tamga error. */
typedef int (*tamga_age_write_fn)(void *user, const uint8_t *data, size_t len);
typedef long (*tamga_age_read_fn)(void *user, uint8_t *buf, size_t len);

/* ---- encryption ---- */
typedef struct tamga_age_writer tamga_age_writer;
/* Starts an age file to X25519 recipients (n ≥ 1), or — when n == 0 — to a
 * passphrase (scrypt, work factor 2^log_n; 18 is age's default). Writes the
 * header through `write` immediately. */
TAMGA_API int tamga_age_writer_new(tamga_age_write_fn write, void *user,
                                   const uint8_t (*recipients)[TAMGA_ENC_PK_BYTES], size_t n,
                                   const char *passphrase, size_t passlen, int log_n,
                                   tamga_age_writer **out);
TAMGA_API int tamga_age_writer_write(tamga_age_writer *w, const void *data, size_t len);
/* Writes the last chunk. The step that can fail. */
TAMGA_API int tamga_age_writer_finish(tamga_age_writer *w);
TAMGA_API void tamga_age_writer_free(tamga_age_writer *w);

/* ---- decryption ---- */
typedef struct tamga_age_reader tamga_age_reader;
/* Parses and authenticates the header with any of the X25519 secret keys (and/or
 * the passphrase). Errors: TAMGA_ERR_NOT_KEYHOLDER ("no identity matches"),
 * TAMGA_ERR_AUTH (header MAC), TAMGA_ERR_FORMAT (header), TAMGA_ERR_PASSPHRASE.
 * Armored input is detected and accepted. scrypt work factors above
 * `max_log_n` (0: 22) are refused. */
TAMGA_API int tamga_age_reader_new(tamga_age_read_fn read, void *user,
                                   const uint8_t (*identities)[TAMGA_ENC_SK_BYTES], size_t n,
                                   const char *passphrase, size_t passlen, int max_log_n,
                                   tamga_age_reader **out);
/* Decrypted bytes (≤ len), 0 at the authenticated end, < 0 on error (a payload
 * that fails authentication: TAMGA_ERR_AUTH; truncated: TAMGA_ERR_TRUNCATED).
 * Bytes are released only after their chunk authenticates. */
TAMGA_API long tamga_age_reader_read(tamga_age_reader *r, uint8_t *buf, size_t len);
TAMGA_API void tamga_age_reader_free(tamga_age_reader *r);

#endif
