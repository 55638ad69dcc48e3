/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the age reader (armor, header, stanzas, MAC, STREAM) over
 * arbitrary bytes, with the testkit's X25519 identity and passphrase. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tamga/age.h"
#include "tamga/tamga.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const uint8_t *d;
    size_t len, pos;
} src;

static long src_read(void *user, uint8_t *buf, size_t len)
{
    src *s = user;
    size_t n = s->len - s->pos < len ? s->len - s->pos : len;
    /* Short reads exercise the buffering. */
    if (n > 777)
        n = 777;
    memcpy(buf, s->d + s->pos, n);
    s->pos += n;
    return (long)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    static uint8_t ids[1][TAMGA_ENC_SK_BYTES];
    if (!ready) {
        tamga_init();
        if (tamga_age_identity_parse(
                "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0",
                ids[0]) != TAMGA_OK)
            abort();
        ready = 1;
    }
    src s = {data, size, 0};
    tamga_age_reader *r = NULL;
    /* A low scrypt bound keeps each run fast. */
    int rc = tamga_age_reader_new(src_read, &s, (const uint8_t(*)[TAMGA_ENC_SK_BYTES])ids, 1,
                                  "password", 8, 12, &r);
    if (rc != TAMGA_OK) {
        if (r != NULL)
            abort();
        return 0;
    }
    uint8_t buf[4096];
    long n;
    size_t total = 0;
    while ((n = tamga_age_reader_read(r, buf, sizeof buf)) > 0)
        total += (size_t)n;
    if ((size_t)total > size)
        abort(); /* never more plaintext than ciphertext */
    tamga_age_reader_free(r);
    return 0;
}
