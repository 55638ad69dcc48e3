/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private helpers of the identity and minisig modules. Never installed. */
#ifndef TAMGA_IDENTITY_INTERNAL_H
#define TAMGA_IDENTITY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Secret identity file layout (see docs/FORMAT.md (section 1)). */
#define TAMGA_ID_MAGIC          "TAMGA-ID"
#define TAMGA_ID_MAGIC_BYTES    8
#define TAMGA_ID_VERSION        1
#define TAMGA_ID_KDF_ARGON2ID13 1
#define TAMGA_ID_OFF_VERSION    8
#define TAMGA_ID_OFF_KDF        10
#define TAMGA_ID_OFF_OPSLIMIT   12
#define TAMGA_ID_OFF_MEMLIMIT   20
#define TAMGA_ID_OFF_SALT       28
#define TAMGA_ID_OFF_NONCE      44
#define TAMGA_ID_OFF_KEYNUM     68
#define TAMGA_ID_OFF_SIGN_PK    76
#define TAMGA_ID_OFF_ENC_PK     108
#define TAMGA_ID_OFF_NAME_LEN   140
#define TAMGA_ID_OFF_NAME       142
#define TAMGA_ID_SECRET_BYTES   96 /* sign_sk 64 || enc_sk 32 */
#define TAMGA_ID_CT_BYTES       (TAMGA_ID_SECRET_BYTES + 16)
#define TAMGA_ID_FILE_MIN       (TAMGA_ID_OFF_NAME + 1 + TAMGA_ID_CT_BYTES)
#define TAMGA_ID_FILE_MAX       (TAMGA_ID_OFF_NAME + 128 + TAMGA_ID_CT_BYTES)
#define TAMGA_ID_OPSLIMIT_MAX   16ULL
#define TAMGA_ID_MEMLIMIT_MIN   8192ULL
#define TAMGA_ID_MEMLIMIT_MAX   (2ULL << 30)

/* Public identity file. */
#define TAMGA_PUBID_MAX_FILE   8192
#define TAMGA_PUBID_BIND_CTX   "tamga-identity-v1" /* with its NUL: 18 bytes */
#define TAMGA_MINISIGN_PK_BLOB 42                  /* "Ed" || keynum || pk */

/* 1..TAMGA_NAME_MAX bytes of valid UTF-8 without control characters (C0, DEL,
 * C1, U+2028, U+2029). TAMGA_ERR_INVALID otherwise. */
int tamga__name_check(const char *name, size_t len);

#endif
