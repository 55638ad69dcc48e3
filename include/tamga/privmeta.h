/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private metadata (".private"): a JSON object (interviewee pseudonym, contact,
 * notes, marker labels) encrypted to the case key. Its SHA-256 is signed in the
 * manifest; its content never appears in clear. See docs/FORMAT.md. */
#ifndef TAMGA_PRIVMETA_H
#define TAMGA_PRIVMETA_H

#include "common.h"

#define TAMGA_PRIVMETA_MAX_PLAIN (1u << 20) /* JSON bytes, at most */

/* Encrypts `json` (a JSON object text) under a fresh key sealed to case_pk and
 * writes `path` atomically (mode 0600, never overwrites). */
TAMGA_API int tamga_privmeta_write(const char *path, const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                                   const uint8_t case_id[TAMGA_ID_BYTES],
                                   const uint8_t recording_id[TAMGA_ID_BYTES], const char *json,
                                   size_t len);

/* Same, into memory: `*out` malloc'd. */
TAMGA_API int tamga_privmeta_seal(const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                                  const uint8_t case_id[TAMGA_ID_BYTES],
                                  const uint8_t recording_id[TAMGA_ID_BYTES], const char *json,
                                  size_t len, uint8_t **out, size_t *outlen);

/* Decrypts and checks it belongs to (case_id, recording_id): TAMGA_ERR_WRONG_CASE
 * otherwise; TAMGA_ERR_AUTH if altered or not for this key. `*json` is
 * sodium_malloc'd, NUL-terminated: release with sodium_free(). */
TAMGA_API int tamga_privmeta_open(const uint8_t *data, size_t len,
                                  const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                                  const uint8_t case_sk[TAMGA_ENC_SK_BYTES],
                                  const uint8_t case_id[TAMGA_ID_BYTES],
                                  const uint8_t recording_id[TAMGA_ID_BYTES], char **json,
                                  size_t *json_len);

/* Checks the cleartext header only: format, version, ids (no key needed). */
TAMGA_API int tamga_privmeta_check_header(const uint8_t *data, size_t len,
                                          uint8_t case_id[TAMGA_ID_BYTES],
                                          uint8_t recording_id[TAMGA_ID_BYTES]);

#endif
