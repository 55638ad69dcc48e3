/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Audio plumbing: reading audio files (libsndfile), encoding Ogg Opus (libopusenc)
 * into a write callback, and checking an Ogg Opus stream decodes (libopusfile). */
#ifndef TAMGA_AUDIO_H
#define TAMGA_AUDIO_H

#include "common.h"

#define TAMGA_AUDIO_MAX_CHANNELS 8
#define TAMGA_AUDIO_MIN_RATE     8000
#define TAMGA_AUDIO_MAX_RATE     384000
#define TAMGA_AUDIO_MAX_FILE     ((uint64_t)16 << 30) /* input files above 16 GiB are refused */

/* Receives encoded Ogg pages (or raw input bytes). Returns 0, or a tamga error
 * code that aborts encoding and is passed back to the caller. */
typedef int (*tamga_audio_write_fn)(void *user, const uint8_t *data, size_t len);

typedef struct {
    int bitrate;    /* bits per second; default 32000 */
    int complexity; /* 0..10; default 10 (as opusenc) */
} tamga_encode_params;

typedef struct {
    char format[128];     /* libsndfile's description, e.g. "WAV (Microsoft), Signed 16 bit PCM" */
    int input_rate;
    int channels;
    uint64_t input_frames;
    uint64_t input_size;  /* bytes of the input file */
    uint8_t input_sha256[TAMGA_SHA256_BYTES];
    int output_rate;      /* 48000 */
    int bitrate;
    int complexity;
    int frame_ms10;       /* 200 = 20 ms */
    int64_t duration_ms;  /* input_frames / input_rate */
} tamga_encode_info;

/* Encodes `input_path` to Ogg Opus, calling `write` with each page as it is made.
 * If `original` is not NULL it is first called with the raw bytes of the input
 * file, in order (the caller stores them encrypted). Bad, absurd or non-audio
 * input gives TAMGA_ERR_AUDIO (or _TOO_LARGE) with a detail, before any page is
 * written when the header is the problem. */
TAMGA_API int tamga_encode_file(const char *input_path, const tamga_encode_params *params,
                                tamga_audio_write_fn write, void *write_user,
                                tamga_audio_write_fn original, void *original_user,
                                tamga_encode_info *info);

/* Reads an Ogg Opus stream through `read` (returns bytes read, 0 at end, < 0 on
 * error) and decodes it completely. */
typedef long (*tamga_audio_read_fn)(void *user, uint8_t *buf, size_t len);

typedef struct {
    int channels;
    int input_rate;        /* from OpusHead */
    int64_t samples;       /* decoded, at 48 kHz, per channel */
    int64_t duration_ms;
    int64_t pre_skip;
} tamga_opus_check_info;

/* TAMGA_OK if the whole stream decodes; TAMGA_ERR_AUDIO with a detail otherwise. */
TAMGA_API int tamga_opus_check(tamga_audio_read_fn read, void *user, tamga_opus_check_info *info);

#endif
