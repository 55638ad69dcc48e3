/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Identities: an Ed25519 signing key (minisign-compatible) and an X25519
 * encryption key (age-compatible) under one display name. */
#ifndef TAMGA_IDENTITY_H
#define TAMGA_IDENTITY_H

#include "common.h"

/* The public half: safe to copy anywhere. */
typedef struct {
    uint8_t keynum[TAMGA_KEYNUM_BYTES]; /* minisign key id */
    uint8_t sign_pk[TAMGA_SIGN_PK_BYTES];
    uint8_t enc_pk[TAMGA_ENC_PK_BYTES];
    char name[TAMGA_NAME_MAX + 1];
} tamga_pubid;

typedef enum {
    TAMGA_KDF_INTERACTIVE = 1, /* crypto_pwhash_*_INTERACTIVE: fast, for tests and weak machines */
    TAMGA_KDF_MODERATE = 2,    /* the default */
    TAMGA_KDF_SENSITIVE = 3,   /* slow; ~1 GiB of memory */
} tamga_kdf_level;

/* An identity with its secret half either locked (only the public part known)
 * or unlocked (secret keys in sodium_malloc'd, locked memory). Opaque. */
typedef struct tamga_identity tamga_identity;

/* Formats a key id the way minisign prints it: the 8 bytes read as a
 * little-endian integer, 16 upper-case hex digits. `out` holds 17 bytes. */
TAMGA_API void tamga_keyid_format(const uint8_t keynum[TAMGA_KEYNUM_BYTES], char out[17]);
/* Parses such a key id. TAMGA_ERR_FORMAT if it is not 16 hex digits. */
TAMGA_API int tamga_keyid_parse(const char *text, uint8_t keynum[TAMGA_KEYNUM_BYTES]);

/* Generates a fresh, unlocked identity. `name`: 1..TAMGA_NAME_MAX bytes of UTF-8
 * without control characters. Caller frees with tamga_identity_free(). */
TAMGA_API int tamga_identity_generate(const char *name, tamga_identity **out);

/* Writes the secret file (encrypted under `pass` with Argon2id, mode 0600, atomic)
 * and the public identity file (mode 0644, atomic). The identity must be unlocked.
 * With force == 0 an existing secret file gives TAMGA_ERR_EXISTS. */
TAMGA_API int tamga_identity_save(const tamga_identity *id, const char *secret_path,
                                  const char *public_path, const char *pass, size_t passlen,
                                  tamga_kdf_level kdf, int force);

/* Makes the identity in secret key file `src` (from a backup or another
 * computer) the identity of data folder `home`: checks the file, unlocks it
 * with `pass` (TAMGA_ERR_PASSPHRASE if wrong: nothing is written), then writes
 * <home>/identity/secret.key — the same bytes, 0600 — and a fresh
 * public.json. TAMGA_ERR_EXISTS if `home` already has an identity. `*out`
 * (may be NULL) receives the identity, unlocked; caller frees. */
TAMGA_API int tamga_identity_import(const char *home, const char *src, const char *pass,
                                    size_t passlen, tamga_identity **out);

/* Loads a secret identity file, locked. TAMGA_ERR_FORMAT / _UNSUPPORTED / _TOO_LARGE
 * on a bad file. Caller frees. */
TAMGA_API int tamga_identity_load(const char *secret_path, tamga_identity **out);
/* The same from memory (the whole secret file in `data`); the identity keeps a
 * copy of the bytes for unlocking. Caller frees. */
TAMGA_API int tamga_identity_parse(const uint8_t *data, size_t len, tamga_identity **out);
/* Unlocks with the passphrase: TAMGA_ERR_PASSPHRASE if wrong (or the file was altered). */
TAMGA_API int tamga_identity_unlock(tamga_identity *id, const char *pass, size_t passlen);
/* Wipes and releases the secret keys; the public part stays. */
TAMGA_API void tamga_identity_lock(tamga_identity *id);
TAMGA_API int tamga_identity_is_unlocked(const tamga_identity *id);
/* Borrows the public part. */
TAMGA_API const tamga_pubid *tamga_identity_get_public(const tamga_identity *id);
/* Wipes everything. NULL is allowed. */
TAMGA_API void tamga_identity_free(tamga_identity *id);

/* Ed25519 detached signature over msg (needs unlocked: else TAMGA_ERR_LOCKED). */
TAMGA_API int tamga_identity_sign(const tamga_identity *id, const uint8_t *msg, size_t len,
                                  uint8_t sig[TAMGA_SIG_BYTES]);
/* Opens a crypto_box_seal box addressed to this identity's X25519 key.
 * `out` receives len - crypto_box_SEALBYTES bytes. TAMGA_ERR_AUTH if not for us. */
TAMGA_API int tamga_identity_open_sealed(const tamga_identity *id, const uint8_t *sealed,
                                         size_t len, uint8_t *out);
/* Copies the X25519 secret key (this identity as an age identity) into `sk`,
 * which must be the caller's secure memory. TAMGA_ERR_LOCKED while locked. */
TAMGA_API int tamga_identity_enc_secret(const tamga_identity *id, uint8_t sk[TAMGA_ENC_SK_BYTES]);

/* Public identity files (JSON, self-signed binding of name, signing and
 * encryption keys). */
TAMGA_API int tamga_pubid_write(const tamga_pubid *pub, const tamga_identity *signer,
                                const char *path, int overwrite);
/* Serialises the public identity file to a malloc'd string. */
TAMGA_API int tamga_pubid_to_json(const tamga_pubid *pub, const tamga_identity *signer,
                                  char **out);
/* Parses and checks the self-signature. TAMGA_ERR_AUTH if it does not verify. */
TAMGA_API int tamga_pubid_parse(const char *text, size_t len, tamga_pubid *out);
TAMGA_API int tamga_pubid_load(const char *path, tamga_pubid *out);

/* The minisign public key file text ("untrusted comment: ...\n<base64>\n"),
 * malloc'd, accepted by `minisign -V -p FILE`. */
TAMGA_API int tamga_pubid_minisign_pubkey(const tamga_pubid *pub, char **out);
/* The age recipient "age1..." (Bech32 of the X25519 public key), malloc'd. */
TAMGA_API int tamga_pubid_age_recipient(const tamga_pubid *pub, char **out);

#endif
