/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The trust roster and the public identity file, off the UI thread. Each
 * change loads <home>/trust.json, changes it with libtamga and saves it
 * atomically, all in the worker; it returns the roster as it now is. Errors
 * are TAMGA_GUI_ERROR GErrors (see tamga-jobs.h). */
#ifndef TAMGA_JOBS_TRUST_H
#define TAMGA_JOBS_TRUST_H

#include <gio/gio.h>

#include "tamga/tamga.h"

G_BEGIN_DECLS

typedef struct {
    char *name;
    char *key_id; /* 16 upper-case hex digits */
    char *added;  /* UTC, as in trust.json */
} TamgaTrustInfo;
void tamga_trust_info_free(TamgaTrustInfo *info);

/* The roster: a GPtrArray of TamgaTrustInfo (in the file's order). */
void tamga_job_trust_load_async(const char *home, GCancellable *cancellable, GAsyncReadyCallback cb,
                                gpointer user_data);
GPtrArray *tamga_job_trust_load_finish(GAsyncResult *res, GError **error);

/* Adds the public identity file `file` under `name` (NULL or "": the name in
 * the file). */
void tamga_job_trust_add_async(const char *home, const char *file, const char *name,
                               GCancellable *cancellable, GAsyncReadyCallback cb,
                               gpointer user_data);
/* Renames the entry `old` (a name or key id) to `new_name`. */
void tamga_job_trust_rename_async(const char *home, const char *old, const char *new_name,
                                  GCancellable *cancellable, GAsyncReadyCallback cb,
                                  gpointer user_data);
/* Removes the entry `ref` (a name or key id). */
void tamga_job_trust_remove_async(const char *home, const char *ref, GCancellable *cancellable,
                                  GAsyncReadyCallback cb, gpointer user_data);
/* For add, rename and remove: the roster as saved (GPtrArray of TamgaTrustInfo);
 * `name` (may be NULL) receives the entry's name — added, new, or removed —
 * and `old_name` (may be NULL) its name before (rename, remove). */
GPtrArray *tamga_job_trust_change_finish(GAsyncResult *res, char **name, char **old_name,
                                         GError **error);

/* Reads and checks (self-signature) a public identity file. Returns a
 * g_malloc'd tamga_pubid. */
void tamga_job_read_pubid_async(const char *file, GCancellable *cancellable, GAsyncReadyCallback cb,
                                gpointer user_data);
tamga_pubid *tamga_job_read_pubid_finish(GAsyncResult *res, GError **error);

/* The text of this computer's public identity file (<home>/identity/public.json),
 * checked. */
void tamga_job_read_public_file_async(const char *home, GCancellable *cancellable,
                                      GAsyncReadyCallback cb, gpointer user_data);
char *tamga_job_read_public_file_finish(GAsyncResult *res, GError **error);

/* Copies this computer's public identity file to `target` (atomically, mode
 * 0644); never overwrites: TAMGA_ERR_EXISTS if `target` exists. */
void tamga_job_save_public_file_async(const char *home, const char *target,
                                      GCancellable *cancellable, GAsyncReadyCallback cb,
                                      gpointer user_data);
gboolean tamga_job_save_public_file_finish(GAsyncResult *res, GError **error);

G_END_DECLS

#endif
