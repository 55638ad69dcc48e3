/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything that touches the disk, the audio devices or the KDF runs here, in
 * GTask worker threads, as _async/_finish pairs. The work itself is done by
 * libtamga; these only move it off the UI thread and turn error codes into
 * GErrors (TAMGA_GUI_ERROR, code = the tamga_error, message = its words and
 * the library's detail, captured in the worker thread where it was set). */
#ifndef TAMGA_JOBS_H
#define TAMGA_JOBS_H

#include <gio/gio.h>

#include "tamga/tamga.h"

G_BEGIN_DECLS

#define TAMGA_GUI_ERROR (tamga_gui_error_quark())
GQuark tamga_gui_error_quark(void);

/* For job implementations (also in tamga-jobs-*.c). Returns a GError made of
 * `what`, the error's words and the library's detail. Must run in the worker
 * thread where the library failed: the detail is per thread. */
void tamga_job_return_error(GTask *task, int rc, const char *what);
/* Same, with `plain` (a sentence in plain words) instead of "what: the error's words". */
void tamga_job_return_plain(GTask *task, int rc, const char *plain);
/* Runs fn in a worker thread with `data` as the task's data (freed with
 * `destroy`, may be NULL); the _finish functions propagate its result. */
void tamga_job_run(GTaskThreadFunc fn, gpointer data, GDestroyNotify destroy,
                   GCancellable *cancellable, GAsyncReadyCallback cb, gpointer user_data);
/* A copy of the secret `s` in sodium_malloc memory (free with sodium_free),
 * its length in `*len`; NULL and 0 when out of memory. */
char *tamga_job_secret_dup(const char *s, size_t *len);
/* The first line of `file` (a passphrase file, TAMGA_PASSPHRASE_FILE) in
 * sodium_malloc memory: free with sodium_free. TAMGA_ERR_INVALID for an empty
 * or too long first line. */
int tamga_job_read_passphrase_file(const char *file, char **pass, size_t *passlen);

typedef struct {
    char *id;
    char *title;
    char *created;
    guint n_recordings;
    gint64 total_ms;
    gboolean keyholder; /* this identity holds a key grant: can decrypt */
} TamgaCaseInfo;
void tamga_case_info_free(TamgaCaseInfo *info);

typedef struct {
    char *id;
    char *started; /* UTC, as in the manifest */
    gint64 duration_ms;
    char *status; /* "complete", "interrupted", or "unreadable" */
    char *signer; /* key id */
    char *facts;  /* the manifest's facts in plain words (several lines) */
    char *path;   /* the .tamga file */
} TamgaRecordingInfo;
void tamga_recording_info_free(TamgaRecordingInfo *info);

/* The identity in `home`, locked; NULL with no error when there is none yet. */
void tamga_job_load_identity_async(const char *home, GCancellable *cancellable,
                                   GAsyncReadyCallback cb, gpointer user_data);
tamga_identity *tamga_job_load_identity_finish(GAsyncResult *res, GError **error);

/* Unlocks `id` with `pass` (copied into sodium memory at once; the caller may
 * wipe its copy). The caller must not use `id` until finished. */
void tamga_job_unlock_async(tamga_identity *id, const char *pass, GCancellable *cancellable,
                            GAsyncReadyCallback cb, gpointer user_data);
gboolean tamga_job_unlock_finish(GAsyncResult *res, GError **error);

/* Same, with the first line of a file (TAMGA_PASSPHRASE_FILE). */
void tamga_job_unlock_file_async(tamga_identity *id, const char *file, GCancellable *cancellable,
                                 GAsyncReadyCallback cb, gpointer user_data);

/* Generates and saves a new identity (Argon2id "moderate"); returns it unlocked. */
void tamga_job_create_identity_async(const char *home, const char *name, const char *pass,
                                     GCancellable *cancellable, GAsyncReadyCallback cb,
                                     gpointer user_data);
tamga_identity *tamga_job_create_identity_finish(GAsyncResult *res, GError **error);
/* tamga_identity_import of `key_file` with `pass` (or the first line of
 * `pass_file` when pass is NULL); returns the identity, unlocked (finish with
 * tamga_job_create_identity_finish). */
void tamga_job_import_identity_async(const char *home, const char *key_file, const char *pass,
                                     const char *pass_file, GCancellable *cancellable,
                                     GAsyncReadyCallback cb, gpointer user_data);

/* Cases under `home` (GPtrArray of TamgaCaseInfo, sorted by title). `me` may be NULL. */
void tamga_job_list_cases_async(const char *home, const tamga_pubid *me, GCancellable *cancellable,
                                GAsyncReadyCallback cb, gpointer user_data);
GPtrArray *tamga_job_list_cases_finish(GAsyncResult *res, GError **error);

/* Recordings of one case (GPtrArray of TamgaRecordingInfo, oldest first). */
void tamga_job_list_recordings_async(const char *home, const char *case_id,
                                     GCancellable *cancellable, GAsyncReadyCallback cb,
                                     gpointer user_data);
GPtrArray *tamga_job_list_recordings_finish(GAsyncResult *res, GError **error);

/* Creates a case signed by `creator` (unlocked), with further keyholders
 * (NULL-terminated, may be NULL: roster names or public identity files, as
 * tamga_trust_resolve takes them); the creator is a keyholder too unless
 * record_only (then at least one keyholder is needed). Returns its id. */
void tamga_job_create_case_async(const char *home, const tamga_identity *creator, const char *title,
                                 const char *const *keyholders, gboolean record_only,
                                 GCancellable *cancellable, GAsyncReadyCallback cb,
                                 gpointer user_data);
char *tamga_job_create_case_finish(GAsyncResult *res, GError **error);
/* tamga_case_join of a field-laptop file by `id` (unlocked); returns the case
 * id (finish with tamga_job_create_case_finish). */
void tamga_job_join_case_async(const char *home, const tamga_identity *id, const char *file,
                               GCancellable *cancellable, GAsyncReadyCallback cb,
                               gpointer user_data);

/* tamga_verify(path, id, flags); `id` may be NULL. */
void tamga_job_verify_async(const char *path, const tamga_identity *id, unsigned flags,
                            GCancellable *cancellable, GAsyncReadyCallback cb, gpointer user_data);
/* tamga_bundle_verify of a bundle FILE.age: decrypted with `id` (unlocked,
 * held by the caller until finished) into a staging folder under `home`,
 * verified, removed. Finish with tamga_job_verify_finish. */
void tamga_job_verify_bundle_async(const char *home, const char *path, const tamga_identity *id,
                                   GCancellable *cancellable, GAsyncReadyCallback cb,
                                   gpointer user_data);
tamga_report *tamga_job_verify_finish(GAsyncResult *res, GError **error);

/* Input devices (GArray of tamga_audio_device with max_input_channels > 0). */
void tamga_job_devices_async(GCancellable *cancellable, GAsyncReadyCallback cb, gpointer user_data);
GArray *tamga_job_devices_finish(GAsyncResult *res, GError **error);

/* Opens the case and the input, starts recording. The recorder borrows both the
 * case (returned in `*case_out`, free it after the recorder) and `signer`. */
typedef struct {
    char *device;                               /* NULL: default input */
    char *title, *language, *consent, *embargo; /* public; NULL when empty */
    char *interviewee, *contact, *notes;        /* private; NULL when empty */
} TamgaRecordForm;
void tamga_record_form_free(TamgaRecordForm *form);
void tamga_job_record_start_async(const char *home, const char *case_id,
                                  const tamga_identity *signer, TamgaRecordForm *form_take,
                                  GCancellable *cancellable, GAsyncReadyCallback cb,
                                  gpointer user_data);
tamga_recorder *tamga_job_record_start_finish(GAsyncResult *res, tamga_case **case_out,
                                              GError **error);

/* Stops, seals and signs. On error the GError says why; `*result` is filled
 * whenever something was sealed (see tamga_recorder_stop). */
void tamga_job_record_stop_async(tamga_recorder *r, GCancellable *cancellable,
                                 GAsyncReadyCallback cb, gpointer user_data);
gboolean tamga_job_record_stop_finish(GAsyncResult *res, tamga_record_result *result,
                                      GError **error);

/* How many unfinished recordings exist under `home`. */
void tamga_job_recover_count_async(const char *home, GCancellable *cancellable,
                                   GAsyncReadyCallback cb, gpointer user_data);
gssize tamga_job_recover_count_finish(GAsyncResult *res, GError **error);

/* Seals every unfinished recording; returns a plain-words summary (one line
 * per recording). */
void tamga_job_recover_async(const char *home, const tamga_identity *signer,
                             GCancellable *cancellable, GAsyncReadyCallback cb, gpointer user_data);
char *tamga_job_recover_finish(GAsyncResult *res, GError **error);

/* Free bytes for an unprivileged user on the filesystem of `path`. */
void tamga_job_disk_free_async(const char *path, GCancellable *cancellable, GAsyncReadyCallback cb,
                               gpointer user_data);
gint64 tamga_job_disk_free_finish(GAsyncResult *res, GError **error);

/* tamga_wipe_secrets(home): always returns the report (g_free it); its
 * `failures` and `first_failure` say what could not be destroyed. */
void tamga_job_wipe_async(const char *home, GCancellable *cancellable, GAsyncReadyCallback cb,
                          gpointer user_data);
tamga_wipe_report *tamga_job_wipe_finish(GAsyncResult *res, GError **error);

/* tamga_recording_decrypt of `recording_id` in case `case_id` to `out_path`
 * (never overwritten). `id` is unlocked and held by the caller until finished. */
void tamga_job_decrypt_async(const char *home, const char *case_id, const tamga_identity *id,
                             const char *recording_id, const char *out_path,
                             GCancellable *cancellable, GAsyncReadyCallback cb, gpointer user_data);
gboolean tamga_job_decrypt_finish(GAsyncResult *res, GError **error);

/* Decrypts a recording into memory and starts playing it from `from_seconds`
 * (tamga_player_new + tamga_player_play). `id` as for decrypt. */
void tamga_job_play_async(const char *home, const char *case_id, const tamga_identity *id,
                          const char *recording_id, double from_seconds, GCancellable *cancellable,
                          GAsyncReadyCallback cb, gpointer user_data);
tamga_player *tamga_job_play_finish(GAsyncResult *res, GError **error);
/* Stops and frees a player in a worker thread (joining its audio thread). */
void tamga_job_player_free(tamga_player *p);

G_END_DECLS

#endif
