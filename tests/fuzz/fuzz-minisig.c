/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the .minisig parser and verifier, and the minisign public key parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

    tamga_minisig sig;
    if (tamga_minisig_parse(text, size, &sig) == TAMGA_OK) {
        if (strlen(sig.trusted_comment) > TAMGA_MINISIG_COMMENT_MAX)
            abort();
        /* The fuzzer cannot forge Ed25519: this must fail, without crashing. */
        static const uint8_t pk[32] = {0};
        if (tamga_minisig_verify(&sig, data, size, sig.keynum, pk) == TAMGA_OK)
            abort();
    }
    uint8_t keynum[8], pk[32];
    (void)tamga_minisign_pubkey_parse(text, size, keynum, pk);
    free(text);
    return 0;
}
