/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the private metadata header check and decryption with the fixed key
 * pair and ids of tests/vectors/privmeta/kat1.json. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "tamga/error.h"
#include "tamga/privmeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t case_pk[32], case_sk[32], case_id[16], rec_id[16];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (tamga_init() != TAMGA_OK)
            abort();
        uint8_t seed[crypto_box_SEEDBYTES];
        for (int i = 0; i < 32; i++)
            seed[i] = (uint8_t)i;
        crypto_box_seed_keypair(case_pk, case_sk, seed);
        for (int i = 0; i < 16; i++) {
            case_id[i] = (uint8_t)i;
            rec_id[i] = (uint8_t)(0x10 + i);
        }
        ready = 1;
    }
    uint8_t c[16], r[16];
    int hrc = tamga_privmeta_check_header(data, size, c, r);
    char *json = NULL;
    size_t len = 0;
    int rc = tamga_privmeta_open(data, size, case_pk, case_sk, case_id, rec_id, &json, &len);
    if (rc == TAMGA_OK) {
        if (hrc != TAMGA_OK || json == NULL || json[len] != '\0' || strlen(json) != len)
            abort();
        sodium_free(json);
    } else if (json != NULL || len != 0) {
        abort();
    }
    return 0;
}
