/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recording manifests: one JSON object per recording, signed in minisign's format
 * (<id>.manifest.json.minisig). No names, host names, user names, serials or
 * locations ever appear in a manifest. See docs/FORMAT.md, "Manifest". */
#ifndef TAMGA_MANIFEST_H
#define TAMGA_MANIFEST_H

#include "common.h"

#define TAMGA_MANIFEST_FORMAT  "tamga-manifest"
#define TAMGA_MANIFEST_VERSION 1
#define TAMGA_MANIFEST_MAX_FILE (1u << 20)
#define TAMGA_MANIFEST_MAX_MARKERS 10000
#define TAMGA_MANIFEST_MAX_PAUSES  10000

typedef struct {
    int64_t start_ms; /* offset into the recording, in milliseconds */
    int64_t end_ms;
} tamga_interval;

typedef struct {
    /* identity of the recording */
    uint8_t case_id[TAMGA_ID_BYTES];
    uint8_t recording_id[TAMGA_ID_BYTES];
    uint64_t seq;                           /* per signer within the case: 1, 2, ... */
    int has_prev;                           /* 0 for seq 1 */
    uint8_t prev_sha256[TAMGA_SHA256_BYTES]; /* previous manifest by the same signer */
    uint8_t signer_keynum[TAMGA_KEYNUM_BYTES];
    uint8_t signer_pk[TAMGA_SIGN_PK_BYTES];

    /* time */
    char started[32];  /* UTC */
    char ended[32];
    int64_t duration_ms;

    /* audio */
    char codec[16];      /* "opus" */
    char container[16];  /* "ogg" */
    int32_t sample_rate; /* of the Opus stream's input, as coded (48000) */
    int32_t input_rate;  /* of the source */
    int32_t channels;
    int32_t bitrate;     /* bits per second */
    int32_t frame_ms10;  /* frame size in tenths of a millisecond (200 = 20 ms) */
    int32_t complexity;

    /* source */
    char source_kind[16];   /* "file" or "device" */
    char source_name[256];  /* base name of the input file, or the device name */
    char source_format[128]; /* e.g. "WAV (Microsoft), Signed 16 bit PCM" */
    int has_source_hash;
    uint8_t source_sha256[TAMGA_SHA256_BYTES];
    uint64_t source_size;
    int original_stored;    /* the input file is stored in the container (stream 2) */

    /* result */
    char status[16]; /* "complete" or "interrupted" */
    char file_name[64]; /* "<id>.tamga" */
    uint64_t file_size;
    uint8_t file_sha256[TAMGA_SHA256_BYTES];
    uint64_t audio_size; /* decrypted Ogg Opus stream */
    uint8_t audio_sha256[TAMGA_SHA256_BYTES];
    uint64_t overflows; /* capture buffer overruns (live recording) */

    /* public descriptive fields */
    char title[TAMGA_NAME_MAX * 2 + 1];
    char language[16];  /* BCP 47, may be "" */
    char consent[16];   /* "public", "anonymised" or "internal" */
    char embargo[16];   /* "YYYY-MM-DD" or "" */

    tamga_interval *markers; /* start_ms only is meaningful; malloc'd */
    size_t n_markers;
    tamga_interval *pauses;  /* malloc'd */
    size_t n_pauses;

    int has_private;
    char private_name[64]; /* "<id>.private" */
    uint8_t private_sha256[TAMGA_SHA256_BYTES];

    uint64_t custody_seq; /* the custody log head this manifest was written after */
    uint8_t custody_sha256[TAMGA_SHA256_BYTES];

    char software[64]; /* "tamga 0.1.0" */
} tamga_manifest;

/* Serialises to the canonical JSON text (pretty-printed, keys in a fixed order,
 * trailing newline). `*out` malloc'd. TAMGA_ERR_INVALID if a field is out of range. */
TAMGA_API int tamga_manifest_to_json(const tamga_manifest *m, char **out, size_t *outlen);
/* Parses strictly: duplicate keys, unknown format/version, missing or mistyped
 * fields, values out of range → TAMGA_ERR_FORMAT / _UNSUPPORTED with a detail. */
TAMGA_API int tamga_manifest_parse(const char *text, size_t len, tamga_manifest *out);
/* Frees the arrays inside (not the struct). */
TAMGA_API void tamga_manifest_clear(tamga_manifest *m);

#endif
