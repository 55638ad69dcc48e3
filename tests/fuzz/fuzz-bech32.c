/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: Bech32 and the age key encodings (age1…, AGE-SECRET-KEY-1…):
 * whatever parses must encode back to the same text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bech32.h"
#include "tamga/age.h"
#include "tamga/tamga.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        tamga_init();
        ready = 1;
    }
    if (size > 200)
        return 0;
    char text[201];
    memcpy(text, data, size);
    text[size] = '\0';
    if (strlen(text) != size)
        return 0;

    uint8_t key[32];
    char *again = NULL;
    if (tamga_age_recipient_parse(text, key) == TAMGA_OK) {
        if (tamga_age_recipient_format(key, &again) != TAMGA_OK || strcmp(again, text) != 0)
            abort();
        free(again);
    }
    if (tamga_age_identity_parse(text, key) == TAMGA_OK) {
        if (tamga_age_identity_format(key, &again) != TAMGA_OK || strcmp(again, text) != 0)
            abort();
        sodium_free(again);
    }

    char hrp[100];
    uint8_t five[100], eight[100];
    size_t n = 0, m = 0, k = 0;
    if (tamga_bech32_decode(text, size, hrp, sizeof hrp, five, sizeof five, &n) == TAMGA_OK &&
        tamga_bech32_convert_bits(eight, sizeof eight, &m, 8, five, n, 5, 0) == TAMGA_OK) {
        uint8_t back[100];
        if (tamga_bech32_convert_bits(back, sizeof back, &k, 5, eight, m, 8, 1) != TAMGA_OK ||
            k != n || memcmp(back, five, n) != 0)
            abort();
    }
    return 0;
}
