/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal helpers shared by record.c and verify.c. */
#ifndef TAMGA_RECORD_INTERNAL_H
#define TAMGA_RECORD_INTERNAL_H

#include <stdint.h>

#include "tamga/case.h"
#include "tamga/record.h"
#include "tamga/manifest.h"

/* <case>/recordings/<id><suffix>, malloc'd. */
char *tamga__recording_path(const tamga_case *c, const char *id, const char *suffix);
int tamga__valid_consent(const char *s);
int tamga__valid_date(const char *s);
int tamga__valid_language(const char *s);
/* Highest manifest seq by `keynum` in the case and that manifest's SHA-256. */
int tamga__find_chain_tip(const tamga_case *c, const uint8_t keynum[8], uint64_t *seq,
                          uint8_t prev_sha[32]);
/* Fills chain, signer, custody head and software fields; signs and writes the
 * manifest and its signature. */
int tamga__seal_manifest(tamga_case *c, const tamga_identity *signer, tamga_manifest *m,
                         uint8_t manifest_sha[32]);
/* Reads recording `id`'s manifest and checks its signature by a signer key of
 * the case (TAMGA_ERR_AUTH if it does not verify): what decrypting, playing
 * and exporting plain audio trust. */
int tamga__load_manifest(const tamga_case *c, const char *id, tamga_manifest *m);

/* Checks the options and fills defaults (consent "internal", bitrate 32000,
 * complexity 10). */
int tamga__record_options_check(const tamga_record_options *in, tamga_record_options *out);
/* The public private-metadata JSON ("tamga-private" v1) with `n` markers
 * (times and labels; label may be NULL). malloc'd; wipe before free. */
typedef struct {
    int64_t at_ms;
    char *label;
} tamga__marker;
char *tamga__private_json(const tamga_record_options *o, const tamga__marker *markers, size_t n);

/* ---- live recording and recovery (recover.c) ---- */
#define TAMGA_PROGRESS_FORMAT   "tamga-progress"
#define TAMGA_PROGRESS_VERSION  1
#define TAMGA_PROGRESS_MAX_LINE 4096
#define TAMGA_PROGRESS_MAX_FILE ((uint64_t)512 << 20)

/* Takes the exclusive lock every writer of `<id>.tamga` holds while it writes
 * (flock on a separate descriptor, released on exit or crash). TAMGA_OK and
 * `*fd` >= 0 when taken; TAMGA_ERR_EXISTS when another writer holds it. */
int tamga__lock_recording(const char *tamga_path, int *fd);
/* Seals an unfinished recording from its progress record: truncates the
 * .tamga to the last durable checkpoint, signs an "interrupted" manifest and
 * logs "recovered" (with `end_reason` if not NULL). The caller holds the lock.
 * TAMGA_ERR_NOT_FOUND when there is no usable checkpoint. */
int tamga__recover_one(tamga_case *c, const tamga_identity *signer, const char *id,
                       const char *end_reason, int64_t *duration_ms, uint8_t manifest_sha[32]);

#endif
