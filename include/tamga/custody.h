/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The custody log: per case, append-only custody.jsonl, one signed, hash-chained
 * JSON object per line; plus head.json (+ .minisig) naming the latest line so a
 * cut-off tail is visible. See docs/FORMAT.md, "Custody log". */
#ifndef TAMGA_CUSTODY_H
#define TAMGA_CUSTODY_H

#include "common.h"
#include "identity.h"

#define TAMGA_CUSTODY_MAX_LINE    16384     /* bytes per line, at most */
#define TAMGA_CUSTODY_MAX_ENTRIES 1000000   /* lines per log, at most */
#define TAMGA_CUSTODY_MAX_FILE    (64u << 20)

/* Event names written to the log. */
#define TAMGA_EVENT_CASE_CREATED       "case-created"
#define TAMGA_EVENT_RECORDING_STARTED  "recording-started"
#define TAMGA_EVENT_RECORDING_SEALED   "recording-sealed"
#define TAMGA_EVENT_VERIFIED           "verified"
#define TAMGA_EVENT_DECRYPTED          "decrypted"
#define TAMGA_EVENT_NOTE               "note"
#define TAMGA_EVENT_RECOVERED          "recovered" /* an unfinished recording sealed as interrupted */

typedef struct {
    uint64_t seq;                         /* 1, 2, 3, ... */
    char time[32];                        /* UTC, "2026-11-27T05:10:00.123Z" */
    uint8_t actor[TAMGA_KEYNUM_BYTES];    /* key id of the signer */
    char event[48];
    char *subject_json;                   /* compact JSON object text, malloc'd */
    uint8_t prev_sha256[TAMGA_SHA256_BYTES]; /* of the previous line; zeros for seq 1 */
    uint8_t line_sha256[TAMGA_SHA256_BYTES]; /* of this line, without its newline */
    uint8_t sig[TAMGA_SIG_BYTES];
    size_t body_len;                      /* bytes of the signed body (see FORMAT.md) */
    char *line;                           /* the raw line, malloc'd */
} tamga_custody_entry;

typedef struct {
    tamga_custody_entry *entries;
    size_t count;
} tamga_custody_log;

/* Appends one signed entry to <case_dir>/custody.jsonl (fsync'd), then rewrites
 * head.json + head.json.minisig. `subject_json` is a JSON object text ("{}" if
 * none). The actor must be unlocked. `out_seq`/`out_sha` may be NULL. */
TAMGA_API int tamga_custody_append(const char *case_dir, const uint8_t case_id[TAMGA_ID_BYTES],
                                   const tamga_identity *actor, const char *event,
                                   const char *subject_json, uint64_t *out_seq,
                                   uint8_t out_sha[TAMGA_SHA256_BYTES]);

/* The current head (last line's seq and SHA-256), from custody.jsonl; seq 0 and
 * zeros for an empty or missing log. */
TAMGA_API int tamga_custody_head(const char *case_dir, uint64_t *seq,
                                 uint8_t sha[TAMGA_SHA256_BYTES]);

/* Parses the whole log strictly (duplicate keys, bad framing, oversize lines are
 * TAMGA_ERR_FORMAT with the line number in the detail). No signature check. */
TAMGA_API int tamga_custody_parse(const char *text, size_t len, tamga_custody_log *out);
TAMGA_API int tamga_custody_load(const char *case_dir, tamga_custody_log *out);
TAMGA_API void tamga_custody_log_clear(tamga_custody_log *log);

/* Checks one entry's signature with the actor's Ed25519 public key. */
TAMGA_API int tamga_custody_entry_verify(const tamga_custody_entry *e,
                                         const uint8_t sign_pk[TAMGA_SIGN_PK_BYTES]);

/* head.json: what the signer says the log head is. */
typedef struct {
    uint8_t case_id[TAMGA_ID_BYTES];
    uint64_t seq;
    uint8_t sha256[TAMGA_SHA256_BYTES];
    char time[32];
    uint8_t signer[TAMGA_KEYNUM_BYTES];
} tamga_custody_headfile;
TAMGA_API int tamga_custody_headfile_parse(const char *text, size_t len,
                                           tamga_custody_headfile *out);

#endif
