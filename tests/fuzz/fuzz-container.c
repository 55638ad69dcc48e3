/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the recording file readers: header parse, framing scan, and the
 * decrypting reader with the fixed key pair of tests/vectors/container/kat1.json
 * (so seeds made from that vector decrypt and reach the message checks). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "container-internal.h"
#include "tamga/container.h"
#include "tamga/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t case_pk[32], case_sk[32];

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
        ready = 1;
    }

    tamga_rec_header h;
    (void)tamga__rec_parse_header(data, size, &h);

    tamga_rec_scan_result sc;
    if (tamga__rec_scan_mem(data, size, &sc) == TAMGA_OK) {
        if (sc.framed_end > size || sc.framed_end < TAMGA_REC_HEADER_V1 || sc.file_size != size)
            abort();
    }

    tamga_rec_reader *r = NULL;
    if (tamga__rec_reader_open_mem(data, size, case_pk, case_sk, &r) != TAMGA_OK)
        return 0;
    uint64_t released = 0;
    for (;;) {
        tamga_stream_id sid;
        const uint8_t *d;
        size_t len;
        int rc = tamga_rec_reader_next(r, &sid, &d, &len);
        if (rc <= 0)
            break;
        if (sid < TAMGA_STREAM_AUDIO || sid > TAMGA_STREAM_MAX || len == 0 ||
            len > TAMGA_REC_MAX_MESSAGE)
            abort();
        released += len;
    }
    uint64_t off = 0;
    tamga_rec_status st = tamga_rec_reader_status(r, &off);
    if (off > size + 1 || released > size)
        abort();
    if (st == TAMGA_REC_COMPLETE && off != size)
        abort();
    tamga_rec_reader_free(r);
    return 0;
}
