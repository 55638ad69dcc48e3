/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The encrypted recording file (".tamga"): a header with a fresh file key sealed
 * to the case key, then crypto_secretstream_xchacha20poly1305 messages with
 * explicit length framing. See docs/FORMAT.md, "Recording file". */
#ifndef TAMGA_CONTAINER_H
#define TAMGA_CONTAINER_H

#include "common.h"

#define TAMGA_REC_MAX_MESSAGE (1u << 20) /* plaintext bytes per message, at most */

/* Streams multiplexed inside one recording file. */
typedef enum {
    TAMGA_STREAM_AUDIO = 1,    /* the Ogg Opus stream */
    TAMGA_STREAM_ORIGINAL = 2, /* the untouched input file (--keep-original) */
} tamga_stream_id;

#define TAMGA_STREAM_MAX 2

/* What the cleartext header says. */
typedef struct {
    uint16_t version;
    uint8_t case_id[TAMGA_ID_BYTES];
    uint8_t recording_id[TAMGA_ID_BYTES];
    int64_t created_ms; /* unix time in milliseconds */
    uint32_t header_len;
} tamga_rec_header;

typedef enum {
    TAMGA_REC_COMPLETE = 0,    /* every message valid and the last one FINAL */
    TAMGA_REC_INTERRUPTED = 1, /* valid messages, no FINAL (a crash); maybe a torn tail */
    TAMGA_REC_CORRUPT = 2,     /* a message failed its checks at `bad_offset` */
} tamga_rec_status;

/* Per-stream totals, filled by the writer and by a full decrypting read. */
typedef struct {
    uint64_t plain_bytes[TAMGA_STREAM_MAX + 1];
    uint8_t plain_sha256[TAMGA_STREAM_MAX + 1][TAMGA_SHA256_BYTES];
} tamga_rec_streams;

/* ---- writer ---- */
typedef struct tamga_rec_writer tamga_rec_writer;

/* Creates `path` (O_EXCL, mode 0600) and writes the header: the caller's
 * data is never written in clear. The file key is fresh and sealed to case_pk. */
TAMGA_API int tamga_rec_writer_open(const char *path, const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                                    const uint8_t case_id[TAMGA_ID_BYTES],
                                    const uint8_t recording_id[TAMGA_ID_BYTES],
                                    tamga_rec_writer **out);
/* Buffers bytes of one stream; a message is emitted whenever the buffer reaches
 * 64 KiB or the stream changes. */
TAMGA_API int tamga_rec_writer_push(tamga_rec_writer *w, tamga_stream_id stream,
                                    const void *data, size_t len);
/* Emits buffered bytes as one message now (nothing if empty); with do_fsync also
 * fsyncs the file. After this returns, what was pushed survives a crash. */
TAMGA_API int tamga_rec_writer_flush(tamga_rec_writer *w, int do_fsync);
/* Emits the FINAL message, fsyncs and closes. The step that can fail. */
TAMGA_API int tamga_rec_writer_finish(tamga_rec_writer *w);
/* Bytes written to the file so far (header included). */
TAMGA_API uint64_t tamga_rec_writer_bytes(const tamga_rec_writer *w);
/* SHA-256 of all bytes written to the file so far, and per-stream plaintext totals
 * (complete after finish). */
TAMGA_API void tamga_rec_writer_digest(const tamga_rec_writer *w,
                                       uint8_t file_sha256[TAMGA_SHA256_BYTES],
                                       tamga_rec_streams *streams);
/* Releases everything; never fails. If finish was not called the file is left as
 * an interrupted recording (a crash looks the same). NULL is allowed. */
TAMGA_API void tamga_rec_writer_free(tamga_rec_writer *w);

/* ---- reading ---- */
/* Reads and checks the cleartext header only (no key needed). */
TAMGA_API int tamga_rec_read_header(const char *path, tamga_rec_header *out);

/* Walks the framing without decrypting (record-only machines, recovery):
 * number of messages, whether the last claims FINAL, and the offset where valid
 * framing ends (a torn tail after it is possible). */
typedef struct {
    tamga_rec_header header;
    uint64_t file_size;
    uint64_t messages;
    uint64_t framed_end; /* offset after the last whole message */
    int final_flag;      /* the last whole message is flagged FINAL (unauthenticated hint) */
} tamga_rec_scan_result;
TAMGA_API int tamga_rec_scan(const char *path, tamga_rec_scan_result *out);

typedef struct tamga_rec_reader tamga_rec_reader;
/* Opens for decryption with the case key pair (case_sk in secure memory).
 * TAMGA_ERR_AUTH when the sealed file key does not open with this key. */
TAMGA_API int tamga_rec_reader_open(const char *path, const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                                    const uint8_t case_sk[TAMGA_ENC_SK_BYTES],
                                    tamga_rec_reader **out);
/* Next decrypted message. Returns 1 with (stream, data, len) borrowed until the
 * next call; 0 at the end (check tamga_rec_reader_status); < 0 on I/O error. A
 * message that fails authentication ends the walk with status CORRUPT. */
TAMGA_API int tamga_rec_reader_next(tamga_rec_reader *r, tamga_stream_id *stream,
                                    const uint8_t **data, size_t *len);
TAMGA_API tamga_rec_status tamga_rec_reader_status(const tamga_rec_reader *r,
                                                   uint64_t *bad_offset);
TAMGA_API const tamga_rec_header *tamga_rec_reader_header(const tamga_rec_reader *r);
/* Per-stream totals of what was released so far. */
TAMGA_API void tamga_rec_reader_streams(const tamga_rec_reader *r, tamga_rec_streams *out);
/* NULL is allowed. Wipes the file key. */
TAMGA_API void tamga_rec_reader_free(tamga_rec_reader *r);

#endif
