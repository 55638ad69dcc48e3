/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private to the container module (and its tests and fuzzers). Never installed.
 * Layout constants of the recording file v1; see docs/FORMAT.md (section 4). */
#ifndef TAMGA_CONTAINER_INTERNAL_H
#define TAMGA_CONTAINER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "tamga/container.h"

#define TAMGA_REC_MAGIC      "TAMGAREC"
#define TAMGA_REC_MAGIC_LEN  8
#define TAMGA_REC_VERSION    1
#define TAMGA_REC_HEADER_MAX 4096 /* bound on header_len before anything else is read */
#define TAMGA_REC_SEALED_KEY (crypto_secretstream_xchacha20poly1305_KEYBYTES + crypto_box_SEALBYTES)
#define TAMGA_REC_SS_HEADER  crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define TAMGA_REC_ABYTES     crypto_secretstream_xchacha20poly1305_ABYTES

/* Header field offsets (v1). */
#define TAMGA_REC_OFF_VERSION    8
#define TAMGA_REC_OFF_FLAGS      10
#define TAMGA_REC_OFF_HEADER_LEN 12
#define TAMGA_REC_OFF_CASE_ID    16
#define TAMGA_REC_OFF_REC_ID     32
#define TAMGA_REC_OFF_CREATED    48
#define TAMGA_REC_OFF_SEALED     56
#define TAMGA_REC_OFF_SS_HEADER  136
#define TAMGA_REC_HEADER_V1      160

#define TAMGA_REC_FRAME_HDR      4
#define TAMGA_REC_FRAME_FINAL    0x80000000u
#define TAMGA_REC_FRAME_LEN_MASK 0x7fffffffu
#define TAMGA_REC_MIN_CIPHER     (1 + TAMGA_REC_ABYTES)
#define TAMGA_REC_MAX_CIPHER     (TAMGA_REC_MAX_MESSAGE + 1 + TAMGA_REC_ABYTES)
#define TAMGA_REC_AD_LEN         (crypto_hash_sha256_BYTES + TAMGA_REC_FRAME_HDR)
/* The writer emits a message whenever 64 KiB of one stream are buffered. */
#define TAMGA_REC_WRITER_CHUNK (64u * 1024u)

_Static_assert(TAMGA_REC_SEALED_KEY == 80, "sealed file key is 80 bytes");
_Static_assert(TAMGA_REC_SS_HEADER == 24, "secretstream header is 24 bytes");
_Static_assert(TAMGA_REC_ABYTES == 17, "secretstream adds 17 bytes");
_Static_assert(TAMGA_REC_OFF_SEALED + TAMGA_REC_SEALED_KEY == TAMGA_REC_OFF_SS_HEADER,
               "header layout");
_Static_assert(TAMGA_REC_OFF_SS_HEADER + TAMGA_REC_SS_HEADER == TAMGA_REC_HEADER_V1,
               "header layout");
_Static_assert(TAMGA_REC_MAX_CIPHER < TAMGA_REC_FRAME_LEN_MASK, "frame length fits 31 bits");

/* Parses and checks a v1 header from the first `avail` bytes of a file. */
int tamga__rec_parse_header(const uint8_t *buf, size_t avail, tamga_rec_header *out);

/* Like tamga_rec_writer_open with a chosen creation time (test vectors). */
int tamga__rec_writer_open_ex(const char *path, const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                              const uint8_t case_id[TAMGA_ID_BYTES],
                              const uint8_t recording_id[TAMGA_ID_BYTES], int64_t created_ms,
                              tamga_rec_writer **out);

/* The same readers over a memory buffer (fuzzers, tests); `data` must outlive the reader. */
int tamga__rec_scan_mem(const uint8_t *data, size_t len, tamga_rec_scan_result *out);
int tamga__rec_reader_open_mem(const uint8_t *data, size_t len,
                               const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                               const uint8_t case_sk[TAMGA_ENC_SK_BYTES], tamga_rec_reader **out);

#endif
