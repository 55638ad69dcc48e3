/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: tamga_opus_check on arbitrary bytes, read in odd-sized chunks. */
#include <stdint.h>
#include <string.h>

#include "tamga/audio.h"
#include "tamga/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const uint8_t *data;
    size_t len, pos, chunk;
} src;

static long src_read(void *user, uint8_t *buf, size_t len)
{
    src *s = user;
    size_t n = s->len - s->pos;
    if (n > len)
        n = len;
    if (n > s->chunk)
        n = s->chunk;
    memcpy(buf, s->data + s->pos, n);
    s->pos += n;
    return (long)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (tamga_init() != TAMGA_OK)
            return 0;
        ready = 1;
    }
    /* The first byte picks the read size, so short reads are explored too. */
    size_t chunk = size > 0 ? (size_t)data[0] * 61 + 1 : 1;
    src s = {data, size, 0, chunk};
    tamga_opus_check_info info;
    int rc = tamga_opus_check(src_read, &s, &info);
    if (rc != TAMGA_OK && rc != TAMGA_ERR_AUDIO)
        __builtin_trap();
    if (rc == TAMGA_OK && (info.samples <= 0 || info.channels < 1))
        __builtin_trap();
    return 0;
}
