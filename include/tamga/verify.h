/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Verification of a case folder, a recording file or a manifest: every
 * signature, chain, hash and custody entry, with a plain-language report. */
#ifndef TAMGA_VERIFY_H
#define TAMGA_VERIFY_H

#include "common.h"
#include "identity.h"

enum {
    TAMGA_VERIFY_DECRYPT = 1 << 0, /* also decrypt and check plaintext and Opus decoding */
};

typedef enum {
    TAMGA_CHECK_PASS = 0,
    TAMGA_CHECK_FAIL = 1,
    TAMGA_CHECK_WARN = 2, /* worth a look, not a failure (e.g. interrupted and recovered) */
    TAMGA_CHECK_INFO = 3,
} tamga_check_result;

typedef struct {
    tamga_check_result result;
    char *subject; /* what was checked: "case.json", "recording 3f2a…", "custody log line 4" */
    char *message; /* plain words */
    /* The subject and message in the reader's language are the two above
     * (translated with gettext, domain "tamga", when the program bound it);
     * these are the same in English, always (the JSON report prints them). */
    char *subject_en;
    char *message_en;
} tamga_check;

typedef struct tamga_report tamga_report;

/* Verifies `path` (a case folder, a .tamga recording, or a .manifest.json).
 * `id` may be NULL; with TAMGA_VERIFY_DECRYPT it must be unlocked and a keyholder.
 * Returns TAMGA_OK when the report was produced (whatever its verdict); an error
 * only when `path` cannot be read at all or is not something tamga verifies. */
TAMGA_API int tamga_verify(const char *path, const tamga_identity *id, unsigned flags,
                           tamga_report **out);
/* 1 when no check failed. */
TAMGA_API int tamga_report_ok(const tamga_report *r);
TAMGA_API size_t tamga_report_count(const tamga_report *r);
TAMGA_API const tamga_check *tamga_report_get(const tamga_report *r, size_t i);
/* The human-readable report (one line per check, then the verdict) in the
 * reader's language, malloc'd. */
TAMGA_API char *tamga_report_text(const tamga_report *r);
/* The JSON report (documented in docs/FORMAT.md, "Verification report"):
 * English subjects and messages, and the translated ones beside them when
 * they differ; malloc'd. */
TAMGA_API char *tamga_report_json(const tamga_report *r);
/* Appends another report's checks (for several paths). */
TAMGA_API int tamga_report_merge(tamga_report *into, const tamga_report *from);
TAMGA_API void tamga_report_free(tamga_report *r);

#endif
