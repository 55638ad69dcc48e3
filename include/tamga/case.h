/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cases: a folder holding a signed description, the case key sealed to each
 * keyholder, recordings, manifests and the custody log. See docs/DESIGN.md. */
#ifndef TAMGA_CASE_H
#define TAMGA_CASE_H

#include "common.h"
#include "identity.h"

#define TAMGA_CASE_FORMAT  "tamga-case"
#define TAMGA_CASE_VERSION 1
#define TAMGA_CASE_MAX_FILE (64u << 10)
#define TAMGA_CASE_MAX_KEYHOLDERS 64

/* ---- the data folder ---- */
/* Resolves the data folder: `override` if not NULL, else $TAMGA_HOME, else
 * $XDG_DATA_HOME/tamga, else $HOME/.local/share/tamga. `*out` malloc'd. */
TAMGA_API int tamga_home_resolve(const char *override, char **out);
/* Paths of the identity files inside a data folder, malloc'd. */
TAMGA_API char *tamga_home_secret_path(const char *home);
TAMGA_API char *tamga_home_public_path(const char *home);
/* Creates the data folder (0700) and its identity/ and cases/ folders. */
TAMGA_API int tamga_home_prepare(const char *home);

typedef struct tamga_case tamga_case;

/* Creates a case under <home>/cases/<id>/ with a fresh X25519 key pair. The case
 * secret key is sealed to every keyholder (and to the creator unless
 * record_only), then wiped. case.json is signed by `creator` (unlocked); a
 * "case-created" custody event is logged. Caller frees `*out`. */
TAMGA_API int tamga_case_create(const char *home, const tamga_identity *creator,
                                const char *title, const tamga_pubid *keyholders,
                                size_t n_keyholders, int record_only, tamga_case **out);

/* Opens a case by id, unique id prefix (≥ 4 hex digits) or exact title:
 * TAMGA_ERR_NOT_FOUND / TAMGA_ERR_AMBIGUOUS. */
TAMGA_API int tamga_case_open(const char *home, const char *ref, tamga_case **out);
/* Opens the case in folder `dir`: parses case.json and checks its signature by
 * the creator key it names (TAMGA_ERR_AUTH if it does not verify). */
TAMGA_API int tamga_case_open_dir(const char *dir, tamga_case **out);
/* Like open_dir, but a bad signature is not an error (for verify's report). */
TAMGA_API int tamga_case_open_dir_unchecked(const char *dir, tamga_case **out,
                                            int *signature_ok);
/* NULL is allowed. */
TAMGA_API void tamga_case_free(tamga_case *c);

/* Borrowed getters, valid until tamga_case_free. */
TAMGA_API const char *tamga_case_get_dir(const tamga_case *c);
TAMGA_API const char *tamga_case_get_id_hex(const tamga_case *c);
TAMGA_API const uint8_t *tamga_case_get_id(const tamga_case *c);
TAMGA_API const char *tamga_case_get_title(const tamga_case *c);
TAMGA_API const char *tamga_case_get_created(const tamga_case *c);
TAMGA_API const uint8_t *tamga_case_get_public_key(const tamga_case *c);
TAMGA_API const uint8_t *tamga_case_get_creator_keynum(const tamga_case *c);
TAMGA_API const uint8_t *tamga_case_get_creator_pk(const tamga_case *c);
TAMGA_API size_t tamga_case_keyholder_count(const tamga_case *c);
TAMGA_API const uint8_t *tamga_case_keyholder_keynum(const tamga_case *c, size_t i);

/* Whether a key grant for this identity exists in the case folder. */
TAMGA_API int tamga_case_has_grant(const tamga_case *c, const tamga_pubid *who);
/* Opens this identity's grant: `*case_sk` is sodium_malloc'd (32 bytes); release
 * with sodium_free. TAMGA_ERR_NOT_KEYHOLDER if there is none. */
TAMGA_API int tamga_case_unlock_key(const tamga_case *c, const tamga_identity *id,
                                    uint8_t **case_sk);

/* Records a signer's minisign public key under signers/<KEYID>.pub (idempotent). */
TAMGA_API int tamga_case_register_signer(const tamga_case *c, const tamga_pubid *who);
/* Looks up a signer's Ed25519 key from signers/. TAMGA_ERR_NOT_FOUND if absent. */
TAMGA_API int tamga_case_signer_key(const tamga_case *c, const uint8_t keynum[TAMGA_KEYNUM_BYTES],
                                    uint8_t sign_pk[TAMGA_SIGN_PK_BYTES]);

/* Appends a signed custody event by `id` (unlocked) to the case's log, first
 * registering its public key under signers/. Use this rather than
 * tamga_custody_append so every actor's key is available to verifiers. */
TAMGA_API int tamga_case_log_event(const tamga_case *c, const tamga_identity *id,
                                   const char *event, const char *subject_json);

/* Recording ids in the case (from the names of files in recordings/),
 * sorted; `*ids` malloc'd array of malloc'd 32-hex strings. */
TAMGA_API int tamga_case_list_recordings(const tamga_case *c, char ***ids, size_t *n);
/* Resolves a recording reference (id, unique prefix ≥ 4 digits) inside the case. */
TAMGA_API int tamga_case_find_recording(const tamga_case *c, const char *ref, char **id);

/* Case ids under <home>/cases, sorted. */
TAMGA_API int tamga_case_list(const char *home, char ***ids, size_t *n);
/* Frees an array returned by the list functions. */
TAMGA_API void tamga_strv_free(char **v, size_t n);

#endif
