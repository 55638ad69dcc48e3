/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Detached signatures in minisign's format (algorithm "ED": Ed25519 over the
 * BLAKE2b-512 of the message, plus a trusted comment covered by a global
 * signature), so stock `minisign -Vm FILE -P KEY` verifies them. */
#ifndef TAMGA_MINISIG_H
#define TAMGA_MINISIG_H

#include "common.h"
#include "identity.h"

#define TAMGA_MINISIG_MAX_FILE    2048 /* a .minisig file larger than this is refused */
#define TAMGA_MINISIG_COMMENT_MAX 1024 /* trusted comment bytes */

typedef struct {
    uint8_t keynum[TAMGA_KEYNUM_BYTES];     /* signer key id, from the signature */
    uint8_t sig[TAMGA_SIG_BYTES];           /* over BLAKE2b-512(message) */
    uint8_t global_sig[TAMGA_SIG_BYTES];    /* over sig || trusted comment */
    char trusted_comment[TAMGA_MINISIG_COMMENT_MAX + 1];
} tamga_minisig;

/* Signs `msg` (prehashed "ED" mode) and returns the whole .minisig file text,
 * malloc'd, after checking the new signature verifies. `trusted_comment` must
 * hold no newline. */
TAMGA_API int tamga_minisig_sign(const tamga_identity *id, const uint8_t *msg, size_t len,
                                 const char *trusted_comment, char **out);

/* Parses a .minisig file strictly (four lines, canonical base64, "ED" only).
 * TAMGA_ERR_FORMAT / _UNSUPPORTED / _TOO_LARGE on a bad file. */
TAMGA_API int tamga_minisig_parse(const char *text, size_t len, tamga_minisig *out);

/* Checks a parsed signature against `msg` and the signer's public key (the key
 * ids must match too). TAMGA_ERR_AUTH if anything does not verify. */
TAMGA_API int tamga_minisig_verify(const tamga_minisig *sig, const uint8_t *msg, size_t len,
                                   const uint8_t keynum[TAMGA_KEYNUM_BYTES],
                                   const uint8_t sign_pk[TAMGA_SIGN_PK_BYTES]);

/* Parses a minisign public key file or a bare base64 key line. */
TAMGA_API int tamga_minisign_pubkey_parse(const char *text, size_t len,
                                          uint8_t keynum[TAMGA_KEYNUM_BYTES],
                                          uint8_t sign_pk[TAMGA_SIGN_PK_BYTES]);

#endif
