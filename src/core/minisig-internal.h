/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal helpers of the minisign module, shared with the modules that carry
 * signer keys inside JSON (case.json, manifests, the trust roster). */
#ifndef TAMGA_MINISIG_INTERNAL_H
#define TAMGA_MINISIG_INTERNAL_H

#include <stdint.h>

/* base64("Ed" || keynum || pk): minisign's public key blob. malloc'd. */
char *tamga__pk_blob_b64(const uint8_t keynum[8], const uint8_t pk[32]);
/* Strict inverse of tamga__pk_blob_b64; TAMGA_ERR_FORMAT on anything else. */
int tamga__pk_blob_parse(const char *b64, uint8_t keynum[8], uint8_t pk[32]);

#endif
