/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bundles: one age file holding a tar of a case (or some of its recordings),
 * the signers' public keys, SHA256SUMS and VERIFY.txt, so a case travels to a
 * partner with its chain of custody. See docs/FORMAT.md. */
#ifndef TAMGA_BUNDLE_H
#define TAMGA_BUNDLE_H

#include "case.h"
#include "common.h"
#include "identity.h"
#include "verify.h"

#define TAMGA_BUNDLE_MAX_MEMBERS 100000u       /* tar members, at most */
#define TAMGA_BUNDLE_MAX_MEMBER  (64ull << 30) /* bytes of one recording, at most */
#define TAMGA_BUNDLE_MAX_SMALL   (64u << 20)   /* custody logs, SHA256SUMS */
#define TAMGA_BUNDLE_MAX_META    (1u << 20)    /* every other small file */
#define TAMGA_BUNDLE_TOP_PREFIX  "tamga-bundle-"
#define TAMGA_BUNDLE_TOP_HEX     12 /* case id digits in the top folder */
#define TAMGA_EVENT_EXPORTED     "exported"
#define TAMGA_EVENT_RECEIVED     "received"
#define TAMGA_EVENT_JOINED       "joined"

enum {
    TAMGA_BUNDLE_PLAIN_AUDIO = 1 << 0, /* add audio/<id>.opus (keyholders only) */
    TAMGA_BUNDLE_GRANT = 1 << 1,       /* add the case key sealed to each grant_to identity */
    TAMGA_BUNDLE_DRY_RUN = 1 << 2,     /* import: check everything, write nothing */
};

typedef struct {
    const char *const *recordings; /* ids to include, or NULL (n_recordings 0) for all */
    size_t n_recordings;
    const uint8_t (*recipients)[TAMGA_ENC_PK_BYTES]; /* age X25519 recipients */
    size_t n_recipients;
    const char *const *recipient_labels; /* key id or "age1…" per recipient (custody event) */
    const char *passphrase;              /* instead of recipients (n_recipients == 0) */
    size_t passlen;
    int log_n;                   /* scrypt work factor for a passphrase; 0: 18 */
    const tamga_pubid *grant_to; /* with TAMGA_BUNDLE_GRANT */
    size_t n_grant_to;
    unsigned flags;
    /* Optional (NULL: none). Called from the exporting thread after each chunk
     * of tar, at most about once per MiB, with the bytes of tar written so far
     * and the expected total: estimated before writing from the sizes of the
     * files to pack (plain audio estimated as its .tamga size) and raised
     * when `done` passes it, so it is never less than `done`; `done` only
     * grows. A last call has done == total (the real size of the tar, which
     * may differ from the estimate). A non-zero return cancels the export:
     * no file is left behind, no custody event is logged, and
     * tamga_bundle_export returns TAMGA_ERR_IO with the detail "cancelled". */
    int (*progress)(uint64_t done, uint64_t total, void *user);
    void *progress_user;
} tamga_bundle_export_opts;

/* Writes the bundle of case `c` to `out_path` (never overwritten:
 * TAMGA_ERR_EXISTS; written to a temporary file and renamed on success), then
 * logs a signed "exported" custody event by `id` (unlocked) naming the
 * recipients and the bundle's SHA-256 (`sha`, may be NULL). Plain audio and
 * grants need `id` to be a keyholder (TAMGA_ERR_NOT_KEYHOLDER). */
TAMGA_API int tamga_bundle_export(const tamga_case *c, const tamga_identity *id,
                                  const tamga_bundle_export_opts *o, const char *out_path,
                                  uint8_t sha[TAMGA_SHA256_BYTES]);

typedef struct {
    char case_id[TAMGA_ID_HEX_LEN + 1];
    char title[TAMGA_NAME_MAX + 1];
    int new_case;            /* 1: the case did not exist here */
    size_t recordings_total; /* in the bundle */
    size_t recordings_added; /* new here */
    size_t logs_extended;    /* custody logs that grew */
    size_t branches_added;   /* custody logs of other machines stored beside */
    size_t grants_added;
} tamga_import_result;

/* Decrypts `bundle_path` with `id`'s X25519 key (unlocked; may be NULL with a
 * passphrase), checks every tar member, unpacks into a staging folder inside
 * <home>, verifies it (every hash, signature and chain), then stores it as a
 * new case or merges it into the existing one, and logs a signed "received"
 * event by `id`. Nothing in the case changes unless everything checks out.
 * With TAMGA_BUNDLE_DRY_RUN nothing is stored. Errors: those of age
 * (TAMGA_ERR_NOT_KEYHOLDER for a bundle not addressed to us, TAMGA_ERR_AUTH,
 * TAMGA_ERR_TRUNCATED, TAMGA_ERR_PASSPHRASE), TAMGA_ERR_FORMAT for a bad
 * member, TAMGA_ERR_AUTH when the unpacked case does not verify,
 * TAMGA_ERR_EXISTS for a history that contradicts the local one. */
TAMGA_API int tamga_bundle_import(const char *home, const char *bundle_path,
                                  const tamga_identity *id, const char *passphrase, size_t passlen,
                                  unsigned flags, tamga_import_result *res);

/* Decrypts and unpacks `bundle_path` (member checks as for import) into a
 * fresh folder created under `parent_dir` (0700); `*top` receives the path of
 * the tamga-bundle-… folder inside it (malloc'd), `*staging` the folder to
 * remove afterwards (malloc'd). */
TAMGA_API int tamga_bundle_unpack(const char *bundle_path, const tamga_identity *id,
                                  const char *passphrase, size_t passlen, const char *parent_dir,
                                  char **staging, char **top);

/* Verifies a bundle file in one step: decrypts it with `id`'s X25519 key
 * (unlocked) or `passphrase` (then `id` may be NULL), unpacks it with every
 * member check into a fresh 0700 staging folder inside <home>, verifies the
 * extracted bundle folder (`flags` as for tamga_verify) and removes the
 * staging folder, also on failure. The report is the caller's (free with
 * tamga_report_free). Errors as for tamga_bundle_unpack; a bundle that
 * decrypts and unpacks gives TAMGA_OK and a report, whatever its verdict. */
TAMGA_API int tamga_bundle_verify(const char *home, const char *bundle_path,
                                  const tamga_identity *id, const char *passphrase, size_t passlen,
                                  unsigned flags, tamga_report **out);

/* The signed public case description for field laptops: case.json, its
 * signature, the signers' keys, the custody log and its head, in one JSON
 * file (no secret). Never overwrites `out_path`. */
TAMGA_API int tamga_case_export_recorder(const tamga_case *c, const char *out_path);
/* Creates the case described by a recorder file under <home>/cases/<id> in
 * record-only mode (no key grant), after checking every signature.
 * TAMGA_ERR_EXISTS if the case is already here. Logs "joined" by `id`. */
TAMGA_API int tamga_case_join(const char *home, const tamga_identity *id, const char *file,
                              tamga_case **out);

#endif
