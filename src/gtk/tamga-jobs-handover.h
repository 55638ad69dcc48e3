/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Hand Over page's work in GTask worker threads (see tamga-jobs.h): the
 * bundle export with progress and cancelling, bundle import (dry run or for
 * real); the trust roster is loaded with tamga-jobs-trust.h. Errors are TAMGA_GUI_ERROR GErrors in
 * plain words. */
#ifndef TAMGA_JOBS_HANDOVER_H
#define TAMGA_JOBS_HANDOVER_H

#include <gio/gio.h>
#include <stdatomic.h>

#include "tamga-jobs.h"

G_BEGIN_DECLS

/* What to export. */
typedef struct {
    char *case_id;
    char *output;      /* the .age path (never overwritten) */
    char **to;         /* age1… strings or roster names (NULL-terminated; may be NULL) */
    char **recordings; /* ids or unique prefixes; NULL: all */
    gboolean plain_audio;
    gboolean grant;        /* seal the case key to the roster people in `to` */
    char *passphrase_file; /* protect with the first line of this file, or: */
    char *passphrase;      /* sodium_malloc'd (tamga_export_request_set_passphrase) */
    size_t passlen;
} TamgaExportRequest;
void tamga_export_request_free(TamgaExportRequest *r);
/* Copies `pass` into sodium memory (the caller may wipe its copy). */
void tamga_export_request_set_passphrase(TamgaExportRequest *r, const char *pass);

/* Shared between the exporting worker (writes) and the UI thread (polls). */
typedef struct {
    _Atomic uint64_t done, total; /* bytes of tar */
    atomic_int cancel;            /* set to 1 to cancel */
} TamgaBundleProgress;
/* A new progress record (g_atomic_rc_box: ref/unref with g_atomic_rc_box_acquire/release). */
TamgaBundleProgress *tamga_bundle_progress_new(void);

typedef struct {
    char *path;
    char sha256[65]; /* of the whole .age file, lower-case hex */
} TamgaExportResult;
void tamga_export_result_free(TamgaExportResult *r);

/* Exports `req` (taken) with `id` (unlocked, held by the caller until
 * finished); `progress` (a reference is taken) is updated as the tar is
 * written and cancels the export when its `cancel` is set or `cancellable`
 * is cancelled. A cancelled export leaves nothing behind and fails with
 * TAMGA_ERR_IO. */
void tamga_job_bundle_export_async(const char *home, const tamga_identity *id,
                                   TamgaExportRequest *req, TamgaBundleProgress *progress,
                                   GCancellable *cancellable, GAsyncReadyCallback cb,
                                   gpointer user_data);
TamgaExportResult *tamga_job_bundle_export_finish(GAsyncResult *res, GError **error);

/* tamga_bundle_import of `path` into `home` with `id` (unlocked, held by the
 * caller until finished) or a passphrase: `pass` (copied; may be NULL) or the
 * first line of `pass_file` (may be NULL). `dry_run`: check, write nothing.
 * Returns the result (g_free it). The GError code is the tamga_error
 * (TAMGA_ERR_NOT_KEYHOLDER: not addressed to this identity;
 * TAMGA_ERR_PASSPHRASE: wrong passphrase). */
void tamga_job_bundle_import_async(const char *home, const char *path, const tamga_identity *id,
                                   const char *pass, const char *pass_file, gboolean dry_run,
                                   GCancellable *cancellable, GAsyncReadyCallback cb,
                                   gpointer user_data);
tamga_import_result *tamga_job_bundle_import_finish(GAsyncResult *res, GError **error);

G_END_DECLS

#endif
