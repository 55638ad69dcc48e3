/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared definitions for the public tamga API: export macro and sizes. */
#ifndef TAMGA_COMMON_H
#define TAMGA_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(TAMGA_BUILDING_LIBRARY)
#define TAMGA_API __attribute__((visibility("default")))
#else
#define TAMGA_API
#endif

#define TAMGA_KEYNUM_BYTES   8  /* minisign key id */
#define TAMGA_SIGN_PK_BYTES  32 /* Ed25519 public key */
#define TAMGA_SIGN_SK_BYTES  64 /* Ed25519 secret key (libsodium layout) */
#define TAMGA_SIG_BYTES      64 /* Ed25519 signature */
#define TAMGA_ENC_PK_BYTES   32 /* X25519 public key */
#define TAMGA_ENC_SK_BYTES   32 /* X25519 secret key */
#define TAMGA_ID_BYTES       16 /* case and recording ids (shown as 32 hex digits) */
#define TAMGA_ID_HEX_LEN     32
#define TAMGA_KEYID_HEX_LEN  16 /* key ids as minisign prints them */
#define TAMGA_SHA256_BYTES   32
#define TAMGA_SHA256_HEX_LEN 64
#define TAMGA_NAME_MAX       128 /* display names and case titles, in bytes of UTF-8 */

/* Returns the library version, e.g. "0.1.0". */
TAMGA_API const char *tamga_version(void);
/* Returns the git revision the library was built from, or "unknown". */
TAMGA_API const char *tamga_git_revision(void);

/* Initialises libsodium and process hardening (no core dumps). Call once before
 * anything else; safe to call again. Returns TAMGA_OK or TAMGA_ERR_CRYPTO. */
TAMGA_API int tamga_init(void);

#endif
