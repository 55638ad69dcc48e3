/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Adopting an existing identity (a secret key file kept from another computer
 * or a backup) as this data folder's identity. */
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "identity-internal.h"
#include "tamga/case.h"
#include "tamga/identity.h"
#include "util.h"

int tamga_identity_import(const char *home, const char *src, const char *pass, size_t passlen,
                          tamga_identity **out)
{
    if (out != NULL)
        *out = NULL;
    uint8_t *data = NULL;
    size_t len = 0;
    tamga_identity *id = NULL;
    char *secret = NULL, *public = NULL;
    int rc = tamga_read_file(src, TAMGA_ID_FILE_MAX, &data, &len);
    if (rc != TAMGA_OK)
        return rc;
    if ((rc = tamga_identity_parse(data, len, &id)) != TAMGA_OK) {
        char why[256];
        snprintf(why, sizeof why, "%s", tamga_error_detail());
        rc = tamga__fail(rc, "%s is not a tamga secret key file (%s)", src, why);
        goto out;
    }
    /* The passphrase must open it before anything is written. */
    if ((rc = tamga_identity_unlock(id, pass, passlen)) != TAMGA_OK)
        goto out;
    if ((rc = tamga_home_prepare(home)) != TAMGA_OK)
        goto out;
    secret = tamga_home_secret_path(home);
    public = tamga_home_public_path(home);
    if (secret == NULL || public == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto out;
    }
    if (tamga_file_exists(secret)) {
        rc = tamga__fail(TAMGA_ERR_EXISTS, "%s already has an identity: not replacing it", home);
        goto out;
    }
    /* The same bytes (same passphrase and work factor), never over a file. */
    if ((rc = tamga_write_atomic(secret, data, len, 0600, 0)) != TAMGA_OK)
        goto out;
    rc = tamga_pubid_write(tamga_identity_get_public(id), id, public, 1);
    if (rc != TAMGA_OK) {
        /* Without its public file the identity is unusable here: undo. */
        remove(secret);
        goto out;
    }
    if (out != NULL) {
        *out = id;
        id = NULL;
    }
out:
    if (data != NULL) {
        sodium_memzero(data, len);
        free(data);
    }
    tamga_identity_free(id);
    free(secret);
    free(public);
    return rc;
}
