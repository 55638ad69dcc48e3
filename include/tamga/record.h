/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sealing a recording: an audio source → encrypted file, private metadata,
 * signed manifest, custody events. */
#ifndef TAMGA_RECORD_H
#define TAMGA_RECORD_H

#include "case.h"
#include "common.h"
#include "identity.h"

typedef struct {
    const char *title;       /* public; may be NULL */
    const char *language;    /* public BCP 47 code; may be NULL */
    const char *consent;     /* "public", "anonymised" or "internal" (default "internal") */
    const char *embargo;     /* "YYYY-MM-DD" or NULL */
    const char *interviewee; /* private: pseudonym */
    const char *contact;     /* private */
    const char *notes;       /* private */
    int bitrate;             /* bits per second; 0 = 32000 */
    int complexity;          /* 0..10; -1 = default 10 */
    int keep_original;       /* store the input file in the container too */
} tamga_record_options;

typedef struct {
    char recording_id[TAMGA_ID_HEX_LEN + 1];
    int64_t duration_ms;
    uint64_t file_size;
    uint64_t audio_size;
    uint8_t manifest_sha256[TAMGA_SHA256_BYTES];
} tamga_record_result;

/* Records `input_path` into the case, signed by `signer` (unlocked). On failure
 * nothing of the new recording is left behind. */
TAMGA_API int tamga_record_file(tamga_case *c, const tamga_identity *signer,
                                const char *input_path, const tamga_record_options *opts,
                                tamga_record_result *result);

/* Decrypts a recording's Ogg Opus stream to `out_path` (never overwrites; no
 * partial file on failure) and logs a "decrypted" custody event. Checks the
 * plaintext SHA-256 against the signed manifest first. */
TAMGA_API int tamga_recording_decrypt(tamga_case *c, const tamga_identity *id,
                                      const char *recording_id, const char *out_path);

/* Decrypts a recording's private metadata (JSON, sodium_malloc'd; sodium_free). */
TAMGA_API int tamga_recording_private(tamga_case *c, const tamga_identity *id,
                                      const char *recording_id, char **json, size_t *len);

#endif
