/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the secret identity file parser (and, for cheap KDF settings, unlocking). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "identity-internal.h"
#include "tamga/identity.h"
#include "tamga/tamga.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        tamga_init();
        ready = 1;
    }
    tamga_identity *id = NULL;
    if (tamga_identity_parse(data, size, &id) != TAMGA_OK) {
        if (id != NULL)
            abort();
        return 0;
    }
    const tamga_pubid *pub = tamga_identity_get_public(id);
    if (tamga__name_check(pub->name, strlen(pub->name)) != TAMGA_OK)
        abort();
    /* Argon2id is only affordable with tiny parameters. */
    if (tamga_load_le64(data + TAMGA_ID_OFF_OPSLIMIT) <= 2 &&
        tamga_load_le64(data + TAMGA_ID_OFF_MEMLIMIT) <= 65536) {
        int rc = tamga_identity_unlock(id, "fuzz", 4);
        if (rc != TAMGA_OK && tamga_identity_is_unlocked(id))
            abort();
    }
    tamga_identity_free(id);
    return 0;
}
