/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The trust roster: $TAMGA_HOME/trust.json (0600), the people whose keys this
 * machine knows by name. Verification names signers from it. See
 * docs/FORMAT.md, "Trust roster". */
#ifndef TAMGA_TRUST_H
#define TAMGA_TRUST_H

#include "common.h"
#include "identity.h"

#define TAMGA_TRUST_FORMAT      "tamga-trust"
#define TAMGA_TRUST_VERSION     1
#define TAMGA_TRUST_MAX_ENTRIES 1000
#define TAMGA_TRUST_MAX_FILE    (1u << 20)

typedef struct {
    char name[TAMGA_NAME_MAX + 1];
    uint8_t keynum[TAMGA_KEYNUM_BYTES];
    uint8_t sign_pk[TAMGA_SIGN_PK_BYTES];
    uint8_t enc_pk[TAMGA_ENC_PK_BYTES];
    char added[32]; /* UTC */
} tamga_trust_entry;

typedef struct {
    tamga_trust_entry *entries; /* malloc'd */
    size_t count;
} tamga_trust_roster;

/* Parses trust.json strictly (canonical fields, no duplicates of name or key). */
TAMGA_API int tamga_trust_parse(const char *text, size_t len, tamga_trust_roster *out);
/* Loads <home>/trust.json; a missing file is an empty roster. */
TAMGA_API int tamga_trust_load(const char *home, tamga_trust_roster *out);
/* Writes <home>/trust.json atomically, mode 0600. */
TAMGA_API int tamga_trust_save(const char *home, const tamga_trust_roster *r);
/* Serialises (malloc'd). */
TAMGA_API int tamga_trust_to_json(const tamga_trust_roster *r, char **out);
/* Adds `pub` under `name` (NULL: the identity's own name). TAMGA_ERR_EXISTS if
 * the name or the key is already there; TAMGA_ERR_INVALID for a bad name. */
TAMGA_API int tamga_trust_add(tamga_trust_roster *r, const tamga_pubid *pub, const char *name);
/* Removes by exact name or key id. TAMGA_ERR_NOT_FOUND if absent. */
TAMGA_API int tamga_trust_remove(tamga_trust_roster *r, const char *name_or_keyid);
/* Renames the entry found by exact name or key id to `new_name` (same name
 * rules as tamga_trust_add). TAMGA_ERR_NOT_FOUND if absent, TAMGA_ERR_EXISTS if
 * another entry has `new_name`, TAMGA_ERR_INVALID for a bad name. Renaming an
 * entry to its own name succeeds and changes nothing. */
TAMGA_API int tamga_trust_rename(tamga_trust_roster *r, const char *name_or_keyid,
                                 const char *new_name);
/* Borrowed lookups, NULL if absent. find_key also requires the same public key. */
TAMGA_API const tamga_trust_entry *tamga_trust_find_key(const tamga_trust_roster *r,
                                                        const uint8_t keynum[TAMGA_KEYNUM_BYTES],
                                                        const uint8_t sign_pk[TAMGA_SIGN_PK_BYTES]);
TAMGA_API const tamga_trust_entry *tamga_trust_find_name(const tamga_trust_roster *r,
                                                         const char *name);
TAMGA_API void tamga_trust_clear(tamga_trust_roster *r);
/* The public identity an entry stands for (its name, key id and both keys). */
TAMGA_API void tamga_trust_entry_pubid(const tamga_trust_entry *e, tamga_pubid *out);
/* Resolves a keyholder or recipient reference the way the CLI and the app
 * take them: an existing public identity file (checked by its self-signature)
 * or else a name in the roster of `home`. TAMGA_ERR_NOT_FOUND if neither. */
TAMGA_API int tamga_trust_resolve(const char *home, const char *ref, tamga_pubid *out);

#endif
