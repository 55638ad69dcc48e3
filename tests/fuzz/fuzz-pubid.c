/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the public identity file parser and the age recipient decoder. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bech32.h"
#include "tamga/identity.h"
#include "tamga/minisig.h"
#include "tamga/tamga.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        tamga_init();
        ready = 1;
    }
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    tamga_pubid pub;
    if (tamga_pubid_parse(text, size, &pub) == TAMGA_OK) {
        /* What parsed must serialise back to the same keys. */
        char *pk = NULL, *rec = NULL;
        uint8_t keynum[8], sign_pk[32], enc_pk[32];
        if (tamga_pubid_minisign_pubkey(&pub, &pk) != TAMGA_OK ||
            tamga_minisign_pubkey_parse(pk, strlen(pk), keynum, sign_pk) != TAMGA_OK ||
            memcmp(keynum, pub.keynum, 8) != 0 || memcmp(sign_pk, pub.sign_pk, 32) != 0)
            abort();
        if (tamga_pubid_age_recipient(&pub, &rec) != TAMGA_OK ||
            tamga_age_recipient_decode(rec, strlen(rec), enc_pk) != TAMGA_OK ||
            memcmp(enc_pk, pub.enc_pk, 32) != 0)
            abort();
        free(pk);
        free(rec);
    }

    /* The Bech32 decoder on its own: decode, re-encode, compare (lower-case). */
    char hrp[100], again[100];
    uint8_t five[100];
    size_t n;
    if (tamga_bech32_decode(text, size, hrp, sizeof hrp, five, sizeof five, &n) == TAMGA_OK) {
        if (tamga_bech32_encode(hrp, five, n, again, sizeof again) != TAMGA_OK ||
            strlen(again) != size)
            abort();
        for (size_t i = 0; i < size; i++) {
            char c = text[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (again[i] != c)
                abort();
        }
    }
    free(text);
    return 0;
}
