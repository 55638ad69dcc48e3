/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-jobs.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "tamga-gui-logic.h"
#include "util.h"

G_DEFINE_QUARK(tamga - gui - error - quark, tamga_gui_error)

#define PASS_MAX 1024

void tamga_job_return_plain(GTask *task, int rc, const char *plain)
{
    const char *detail = tamga_error_detail();
    if (detail != NULL && detail[0] != '\0')
        g_task_return_new_error(task, TAMGA_GUI_ERROR, rc, "%s (%s)", plain, detail);
    else
        g_task_return_new_error(task, TAMGA_GUI_ERROR, rc, "%s", plain);
}

void tamga_job_return_error(GTask *task, int rc, const char *what)
{
    g_autofree char *words = g_strdup_printf("%s: %s", what, tamga_strerror(rc));
    tamga_job_return_plain(task, rc, words);
}

void tamga_job_run(GTaskThreadFunc fn, gpointer data, GDestroyNotify destroy,
                   GCancellable *cancellable, GAsyncReadyCallback cb, gpointer user_data)
{
    g_autoptr(GTask) task = g_task_new(NULL, cancellable, cb, user_data);
    if (data != NULL)
        g_task_set_task_data(task, data, destroy);
    g_task_run_in_thread(task, fn);
}

char *tamga_job_secret_dup(const char *s, size_t *len)
{
    *len = strlen(s);
    char *copy = sodium_malloc(*len + 1);
    if (copy != NULL)
        memcpy(copy, s, *len + 1);
    else
        *len = 0;
    return copy;
}

void tamga_case_info_free(TamgaCaseInfo *info)
{
    if (info == NULL)
        return;
    g_free(info->id);
    g_free(info->title);
    g_free(info->created);
    g_free(info);
}

void tamga_recording_info_free(TamgaRecordingInfo *info)
{
    if (info == NULL)
        return;
    g_free(info->id);
    g_free(info->started);
    g_free(info->status);
    g_free(info->signer);
    g_free(info->facts);
    g_free(info->path);
    g_free(info);
}

void tamga_record_form_free(TamgaRecordForm *form)
{
    if (form == NULL)
        return;
    g_free(form->device);
    g_free(form->title);
    g_free(form->language);
    g_free(form->consent);
    g_free(form->embargo);
    /* The private fields are secrets: wipe before freeing. */
    char **priv[] = {&form->interviewee, &form->contact, &form->notes};
    for (size_t i = 0; i < G_N_ELEMENTS(priv); i++) {
        if (*priv[i] != NULL) {
            sodium_memzero(*priv[i], strlen(*priv[i]));
            g_free(*priv[i]);
        }
    }
    g_free(form);
}

/* ---- identity -------------------------------------------------------------- */

static void load_identity_thread(GTask *task, gpointer source, gpointer data, GCancellable *c)
{
    (void)source;
    (void)c;
    const char *home = data;
    char *path = tamga_home_secret_path(home);
    if (path == NULL) {
        tamga_job_return_error(task, TAMGA_ERR_NOMEM, _("Cannot load the identity"));
        return;
    }
    if (!tamga_file_exists(path)) {
        free(path);
        g_task_return_pointer(task, NULL, NULL);
        return;
    }
    tamga_identity *id = NULL;
    int rc = tamga_identity_load(path, &id);
    free(path);
    if (rc != TAMGA_OK)
        tamga_job_return_error(task, rc, _("Cannot load the identity"));
    else
        g_task_return_pointer(task, id, (GDestroyNotify)tamga_identity_free);
}

void tamga_job_load_identity_async(const char *home, GCancellable *cancellable,
                                   GAsyncReadyCallback cb, gpointer user_data)
{
    tamga_job_run(load_identity_thread, g_strdup(home), g_free, cancellable, cb, user_data);
}

tamga_identity *tamga_job_load_identity_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

typedef struct {
    tamga_identity *id; /* borrowed */
    char *pass;         /* sodium_malloc'd */
    size_t passlen;
    char *file;
    char *home;
    char *name;
    char *pass_file; /* import: the passphrase's file, when pass is NULL */
} UnlockData;

static void unlock_data_free(UnlockData *d)
{
    if (d->pass != NULL)
        sodium_free(d->pass);
    g_free(d->file);
    g_free(d->home);
    g_free(d->name);
    g_free(d->pass_file);
    g_free(d);
}

static UnlockData *unlock_data_new(const char *pass)
{
    UnlockData *d = g_new0(UnlockData, 1);
    if (pass != NULL)
        d->pass = tamga_job_secret_dup(pass, &d->passlen);
    return d;
}

int tamga_job_read_passphrase_file(const char *file, char **pass, size_t *passlen)
{
    uint8_t *data = NULL;
    size_t len = 0;
    *pass = NULL;
    *passlen = 0;
    int rc = tamga_read_file(file, PASS_MAX + 2, &data, &len);
    if (rc != TAMGA_OK)
        return rc;
    size_t n = 0;
    while (n < len && data[n] != '\n' && data[n] != '\r')
        n++;
    if (n > PASS_MAX || n == 0) {
        sodium_memzero(data, len);
        free(data);
        return tamga__fail(TAMGA_ERR_INVALID, "%s: the first line must hold the passphrase", file);
    }
    *pass = sodium_malloc(n + 1);
    if (*pass == NULL) {
        sodium_memzero(data, len);
        free(data);
        return TAMGA_ERR_NOMEM;
    }
    memcpy(*pass, data, n);
    (*pass)[n] = '\0';
    *passlen = n;
    sodium_memzero(data, len);
    free(data);
    return TAMGA_OK;
}

/* The passphrase: as given, else the first line of `file`. FALSE (the task
 * has returned the error, `what` when out of memory) when there is none. */
static gboolean unlock_data_pass(GTask *task, UnlockData *d, const char *file, const char *what)
{
    if (d->pass == NULL && file != NULL) {
        int rc = tamga_job_read_passphrase_file(file, &d->pass, &d->passlen);
        if (rc != TAMGA_OK) {
            tamga_job_return_error(task, rc, _("Cannot read the passphrase file"));
            return FALSE;
        }
    }
    if (d->pass == NULL) {
        tamga_job_return_error(task, TAMGA_ERR_NOMEM, what);
        return FALSE;
    }
    return TRUE;
}

static void unlock_thread(GTask *task, gpointer source, gpointer data, GCancellable *c)
{
    (void)source;
    (void)c;
    UnlockData *d = data;
    if (!unlock_data_pass(task, d, d->file, _("Cannot unlock")))
        return;
    int rc = tamga_identity_unlock(d->id, d->pass, d->passlen);
    if (rc == TAMGA_ERR_PASSPHRASE)
        g_task_return_new_error(task, TAMGA_GUI_ERROR, rc, "%s", _("Wrong passphrase"));
    else if (rc != TAMGA_OK)
        tamga_job_return_error(task, rc, _("Cannot unlock"));
    else
        g_task_return_boolean(task, TRUE);
}

void tamga_job_unlock_async(tamga_identity *id, const char *pass, GCancellable *cancellable,
                            GAsyncReadyCallback cb, gpointer user_data)
{
    UnlockData *d = unlock_data_new(pass);
    d->id = id;
    tamga_job_run(unlock_thread, d, (GDestroyNotify)unlock_data_free, cancellable, cb, user_data);
}

void tamga_job_unlock_file_async(tamga_identity *id, const char *file, GCancellable *cancellable,
                                 GAsyncReadyCallback cb, gpointer user_data)
{
    UnlockData *d = unlock_data_new(NULL);
    d->id = id;
    d->file = g_strdup(file);
    tamga_job_run(unlock_thread, d, (GDestroyNotify)unlock_data_free, cancellable, cb, user_data);
}

gboolean tamga_job_unlock_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_boolean(G_TASK(res), error);
}

static void create_identity_thread(GTask *task, gpointer source, gpointer data, GCancellable *c)
{
    (void)source;
    (void)c;
    UnlockData *d = data;
    tamga_identity *id = NULL;
    char *sec = NULL, *pub = NULL;
    int rc = d->pass == NULL ? TAMGA_ERR_NOMEM : tamga_home_prepare(d->home);
    if (rc == TAMGA_OK)
        rc = tamga_identity_generate(d->name, &id);
    if (rc == TAMGA_OK) {
        sec = tamga_home_secret_path(d->home);
        pub = tamga_home_public_path(d->home);
        rc = sec && pub ? TAMGA_OK : TAMGA_ERR_NOMEM;
    }
    if (rc == TAMGA_OK)
        rc = tamga_identity_save(id, sec, pub, d->pass, d->passlen, TAMGA_KDF_MODERATE, 0);
    free(sec);
    free(pub);
    if (rc != TAMGA_OK) {
        tamga_identity_free(id);
        tamga_job_return_error(task, rc, _("Cannot create the identity"));
        return;
    }
    g_task_return_pointer(task, id, (GDestroyNotify)tamga_identity_free);
}

void tamga_job_create_identity_async(const char *home, const char *name, const char *pass,
                                     GCancellable *cancellable, GAsyncReadyCallback cb,
                                     gpointer user_data)
{
    UnlockData *d = unlock_data_new(pass);
    d->home = g_strdup(home);
    d->name = g_strdup(name);
    tamga_job_run(create_identity_thread, d, (GDestroyNotify)unlock_data_free, cancellable, cb,
                  user_data);
}

tamga_identity *tamga_job_create_identity_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

static void import_identity_thread(GTask *task, gpointer source, gpointer data, GCancellable *c)
{
    (void)source;
    (void)c;
    UnlockData *d = data;
    if (!unlock_data_pass(task, d, d->pass_file, _("Cannot use the identity")))
        return;
    tamga_identity *id = NULL;
    int rc = tamga_identity_import(d->home, d->file, d->pass, d->passlen, &id);
    if (rc == TAMGA_ERR_PASSPHRASE)
        g_task_return_new_error(task, TAMGA_GUI_ERROR, rc, "%s", _("Wrong passphrase"));
    else if (rc != TAMGA_OK)
        tamga_job_return_error(task, rc, _("Cannot use the identity"));
    else
        g_task_return_pointer(task, id, (GDestroyNotify)tamga_identity_free);
}

void tamga_job_import_identity_async(const char *home, const char *key_file, const char *pass,
                                     const char *pass_file, GCancellable *cancellable,
                                     GAsyncReadyCallback cb, gpointer user_data)
{
    UnlockData *d = unlock_data_new(pass);
    d->home = g_strdup(home);
    d->file = g_strdup(key_file);
    d->pass_file = g_strdup(pass_file);
    tamga_job_run(import_identity_thread, d, (GDestroyNotify)unlock_data_free, cancellable, cb,
                  user_data);
}

/* ---- cases and recordings --------------------------------------------------- */

typedef struct {
    char *home;
    char *ref;
    gboolean have_me;
    tamga_pubid me;
    const tamga_identity *id;
    char **keyholders; /* create: the other keyholders (roster names or public files) */
    gboolean record_only;
    char *file; /* join: the recorder file */
} CaseData;

static void case_data_free(CaseData *d)
{
    g_free(d->home);
    g_free(d->ref);
    g_strfreev(d->keyholders);
    g_free(d->file);
    g_free(d);
}

static int load_manifest(const tamga_case *c, const char *rec_id, tamga_manifest *m)
{
    memset(m, 0, sizeof *m);
    g_autofree char *name = g_strdup_printf("recordings/%s.manifest.json", rec_id);
    g_autofree char *path = g_build_filename(tamga_case_get_dir(c), name, NULL);
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = tamga_read_file(path, TAMGA_MANIFEST_MAX_FILE, &data, &len);
    if (rc != TAMGA_OK)
        return rc;
    rc = tamga_manifest_parse((const char *)data, len, m);
    free(data);
    return rc;
}

static gint compare_case_titles(gconstpointer a, gconstpointer b)
{
    const TamgaCaseInfo *x = *(TamgaCaseInfo *const *)a, *y = *(TamgaCaseInfo *const *)b;
    return g_utf8_collate(x->title, y->title);
}

static void list_cases_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    CaseData *d = data;
    char **ids = NULL;
    size_t n = 0;
    int rc = tamga_case_list(d->home, &ids, &n);
    if (rc == TAMGA_ERR_NOT_FOUND) {
        g_task_return_pointer(task, g_ptr_array_new(), (GDestroyNotify)g_ptr_array_unref);
        return;
    }
    if (rc != TAMGA_OK) {
        tamga_job_return_error(task, rc, _("Cannot list the cases"));
        return;
    }
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)tamga_case_info_free);
    for (size_t i = 0; i < n; i++) {
        tamga_case *c = NULL;
        if (tamga_case_open(d->home, ids[i], &c) != TAMGA_OK)
            continue; /* verify reports broken cases; the list shows the good ones */
        TamgaCaseInfo *info = g_new0(TamgaCaseInfo, 1);
        info->id = g_strdup(tamga_case_get_id_hex(c));
        info->title = g_strdup(tamga_case_get_title(c));
        info->created = g_strdup(tamga_case_get_created(c));
        info->keyholder = d->have_me && tamga_case_has_grant(c, &d->me);
        char **recs = NULL;
        size_t nr = 0;
        if (tamga_case_list_recordings(c, &recs, &nr) == TAMGA_OK) {
            info->n_recordings = (guint)nr;
            for (size_t j = 0; j < nr; j++) {
                tamga_manifest m;
                if (load_manifest(c, recs[j], &m) == TAMGA_OK)
                    info->total_ms += m.duration_ms;
                tamga_manifest_clear(&m);
            }
            tamga_strv_free(recs, nr);
        }
        g_ptr_array_add(out, info);
        tamga_case_free(c);
    }
    tamga_strv_free(ids, n);
    g_ptr_array_sort(out, compare_case_titles);
    g_task_return_pointer(task, out, (GDestroyNotify)g_ptr_array_unref);
}

void tamga_job_list_cases_async(const char *home, const tamga_pubid *me, GCancellable *cancellable,
                                GAsyncReadyCallback cb, gpointer user_data)
{
    CaseData *d = g_new0(CaseData, 1);
    d->home = g_strdup(home);
    if (me != NULL) {
        d->me = *me;
        d->have_me = TRUE;
    }
    tamga_job_run(list_cases_thread, d, (GDestroyNotify)case_data_free, cancellable, cb, user_data);
}

GPtrArray *tamga_job_list_cases_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

static char *format_ms_words(int64_t ms)
{
    char clock[32];
    tamga_gui_format_clock(ms, clock, sizeof clock);
    return g_strdup(clock);
}

static char *manifest_facts(const tamga_manifest *m)
{
    GString *s = g_string_new(NULL);
    char hex[TAMGA_ID_HEX_LEN + 1], keyid[17];
    tamga_hex_encode(m->recording_id, TAMGA_ID_BYTES, hex);
    tamga_keyid_format(m->signer_keynum, keyid);
    g_autofree char *dur = format_ms_words(m->duration_ms);
    g_autofree char *size = g_format_size(m->file_size);
    g_string_append_printf(s, _("Recording %s\n"), hex);
    if (m->title[0] != '\0')
        g_string_append_printf(s, _("Title: %s\n"), m->title);
    g_string_append_printf(s, _("Recorded from %s to %s (UTC), %s long.\n"), m->started, m->ended,
                           dur);
    if (strcmp(m->status, "interrupted") == 0)
        g_string_append(s, _("It was interrupted (a crash, power cut or full disk) and "
                             "recovered: what reached the disk was sealed.\n"));
    else
        g_string_append(s, _("It was stopped normally and sealed.\n"));
    g_string_append_printf(s,
                           _("Signed by key %s, recording number %llu of this signer in "
                             "the case.\n"),
                           keyid, (unsigned long long)m->seq);
    g_string_append_printf(s,
                           _("Audio: %s in %s, %d channel(s), %d kbit/s; from the %s "
                             "\"%s\".\n"),
                           m->codec, m->container, m->channels, m->bitrate / 1000,
                           strcmp(m->source_kind, "device") == 0 ? _("input") : _("file"),
                           m->source_name);
    g_string_append_printf(s, _("Encrypted file: %s.\n"), size);
    g_string_append_printf(s, _("Consent: %s."), m->consent);
    if (m->language[0] != '\0')
        g_string_append_printf(s, _(" Language: %s."), m->language);
    if (m->embargo[0] != '\0')
        g_string_append_printf(s, _(" Embargoed until %s."), m->embargo);
    g_string_append_c(s, '\n');
    if (m->n_markers > 0) {
        g_string_append_printf(s, ngettext("%zu marker at", "%zu markers at", m->n_markers),
                               m->n_markers);
        for (size_t i = 0; i < m->n_markers && i < 20; i++) {
            g_autofree char *at = format_ms_words(m->markers[i].start_ms);
            g_string_append_printf(s, " %s", at);
        }
        g_string_append(s, ".\n");
    }
    if (m->n_pauses > 0)
        g_string_append_printf(
            s, ngettext("Paused %zu time.\n", "Paused %zu times.\n", m->n_pauses), m->n_pauses);
    if (m->overflows > 0)
        g_string_append_printf(s,
                               _("Audio was dropped %llu time(s) (the computer was too "
                                 "busy).\n"),
                               (unsigned long long)m->overflows);
    if (m->has_private)
        g_string_append(s, _("Private details (interviewee, contact, notes, marker labels) "
                             "are stored encrypted.\n"));
    return g_string_free(s, FALSE);
}

static void list_recordings_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    CaseData *d = data;
    tamga_case *c = NULL;
    int rc = tamga_case_open(d->home, d->ref, &c);
    if (rc != TAMGA_OK) {
        tamga_job_return_error(task, rc, _("Cannot open the case"));
        return;
    }
    char **recs = NULL;
    size_t nr = 0;
    rc = tamga_case_list_recordings(c, &recs, &nr);
    if (rc != TAMGA_OK) {
        tamga_case_free(c);
        tamga_job_return_error(task, rc, _("Cannot list the recordings"));
        return;
    }
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)tamga_recording_info_free);
    for (size_t j = 0; j < nr; j++) {
        TamgaRecordingInfo *info = g_new0(TamgaRecordingInfo, 1);
        info->id = g_strdup(recs[j]);
        g_autofree char *name = g_strdup_printf("recordings/%s.tamga", recs[j]);
        info->path = g_build_filename(tamga_case_get_dir(c), name, NULL);
        tamga_manifest m;
        if (load_manifest(c, recs[j], &m) == TAMGA_OK) {
            char keyid[17];
            tamga_keyid_format(m.signer_keynum, keyid);
            info->started = g_strdup(m.started);
            info->duration_ms = m.duration_ms;
            info->status = g_strdup(m.status);
            info->signer = g_strdup(keyid);
            info->facts = manifest_facts(&m);
        } else {
            info->started = g_strdup("");
            info->status = g_strdup("unreadable");
            info->signer = g_strdup("");
            info->facts = g_strdup(_("The manifest of this recording cannot be read. Verify "
                                     "it to see why."));
        }
        tamga_manifest_clear(&m);
        g_ptr_array_add(out, info);
    }
    tamga_strv_free(recs, nr);
    tamga_case_free(c);
    g_task_return_pointer(task, out, (GDestroyNotify)g_ptr_array_unref);
}

void tamga_job_list_recordings_async(const char *home, const char *case_id,
                                     GCancellable *cancellable, GAsyncReadyCallback cb,
                                     gpointer user_data)
{
    CaseData *d = g_new0(CaseData, 1);
    d->home = g_strdup(home);
    d->ref = g_strdup(case_id);
    tamga_job_run(list_recordings_thread, d, (GDestroyNotify)case_data_free, cancellable, cb,
                  user_data);
}

GPtrArray *tamga_job_list_recordings_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

/* Returns the id of the case made (and frees it), or the error. */
static void return_case_id(GTask *task, int rc, tamga_case *c, const char *what)
{
    if (rc != TAMGA_OK) {
        tamga_job_return_error(task, rc, what);
        return;
    }
    char *id = g_strdup(tamga_case_get_id_hex(c));
    tamga_case_free(c);
    g_task_return_pointer(task, id, g_free);
}

static void create_case_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    CaseData *d = data;
    tamga_case *c = NULL;
    guint n = d->keyholders ? g_strv_length(d->keyholders) : 0;
    g_autofree tamga_pubid *pubs = g_new0(tamga_pubid, n + 1);
    int rc = TAMGA_OK;
    for (guint i = 0; i < n && rc == TAMGA_OK; i++)
        rc = tamga_trust_resolve(d->home, d->keyholders[i], &pubs[i]);
    if (rc == TAMGA_OK)
        rc = tamga_home_prepare(d->home);
    if (rc == TAMGA_OK)
        rc = tamga_case_create(d->home, d->id, d->ref, pubs, n, d->record_only, &c);
    return_case_id(task, rc, c, _("Cannot create the case"));
}

void tamga_job_create_case_async(const char *home, const tamga_identity *creator, const char *title,
                                 const char *const *keyholders, gboolean record_only,
                                 GCancellable *cancellable, GAsyncReadyCallback cb,
                                 gpointer user_data)
{
    CaseData *d = g_new0(CaseData, 1);
    d->home = g_strdup(home);
    d->ref = g_strdup(title);
    d->id = creator;
    d->keyholders = g_strdupv((char **)keyholders);
    d->record_only = record_only;
    tamga_job_run(create_case_thread, d, (GDestroyNotify)case_data_free, cancellable, cb,
                  user_data);
}

char *tamga_job_create_case_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

static void join_case_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    CaseData *d = data;
    tamga_case *c = NULL;
    int rc = tamga_home_prepare(d->home);
    if (rc == TAMGA_OK)
        rc = tamga_case_join(d->home, d->id, d->file, &c);
    return_case_id(task, rc, c, _("Cannot join the case"));
}

void tamga_job_join_case_async(const char *home, const tamga_identity *id, const char *file,
                               GCancellable *cancellable, GAsyncReadyCallback cb,
                               gpointer user_data)
{
    CaseData *d = g_new0(CaseData, 1);
    d->home = g_strdup(home);
    d->file = g_strdup(file);
    d->id = id;
    tamga_job_run(join_case_thread, d, (GDestroyNotify)case_data_free, cancellable, cb, user_data);
}

/* ---- verify ---------------------------------------------------------------------- */

typedef struct {
    char *path;
    const tamga_identity *id;
    unsigned flags;
    char *home; /* for a bundle: where its staging folder goes */
} VerifyData;

static void verify_data_free(VerifyData *d)
{
    g_free(d->path);
    g_free(d->home);
    g_free(d);
}

static void verify_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    VerifyData *d = data;
    tamga_report *r = NULL;
    int rc = d->home != NULL ? tamga_bundle_verify(d->home, d->path, d->id, NULL, 0, d->flags, &r)
                             : tamga_verify(d->path, d->id, d->flags, &r);
    if (rc == TAMGA_ERR_NOT_KEYHOLDER && d->home != NULL)
        g_task_return_new_error(task, TAMGA_GUI_ERROR, rc, "%s",
                                _("This bundle was not made for this computer's identity: "
                                  "it cannot be opened here."));
    else if (rc != TAMGA_OK)
        tamga_job_return_error(task, rc, _("Cannot verify this"));
    else
        g_task_return_pointer(task, r, (GDestroyNotify)tamga_report_free);
}

void tamga_job_verify_async(const char *path, const tamga_identity *id, unsigned flags,
                            GCancellable *cancellable, GAsyncReadyCallback cb, gpointer user_data)
{
    VerifyData *d = g_new0(VerifyData, 1);
    d->path = g_strdup(path);
    d->id = id;
    d->flags = flags;
    tamga_job_run(verify_thread, d, (GDestroyNotify)verify_data_free, cancellable, cb, user_data);
}

void tamga_job_verify_bundle_async(const char *home, const char *path, const tamga_identity *id,
                                   GCancellable *cancellable, GAsyncReadyCallback cb,
                                   gpointer user_data)
{
    VerifyData *d = g_new0(VerifyData, 1);
    d->path = g_strdup(path);
    d->home = g_strdup(home);
    d->id = id;
    tamga_job_run(verify_thread, d, (GDestroyNotify)verify_data_free, cancellable, cb, user_data);
}

tamga_report *tamga_job_verify_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

/* ---- devices and recording ------------------------------------------------------- */

static void devices_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)data;
    (void)cn;
    tamga_audio_device *list = NULL;
    size_t n = 0;
    int rc = tamga_audio_devices(&list, &n);
    if (rc != TAMGA_OK) {
        tamga_job_return_error(task, rc, _("Cannot list the audio inputs"));
        return;
    }
    GArray *out = g_array_new(FALSE, TRUE, sizeof(tamga_audio_device));
    for (size_t i = 0; i < n; i++)
        if (list[i].max_input_channels > 0)
            g_array_append_val(out, list[i]);
    free(list);
    g_task_return_pointer(task, out, (GDestroyNotify)g_array_unref);
}

void tamga_job_devices_async(GCancellable *cancellable, GAsyncReadyCallback cb, gpointer user_data)
{
    tamga_job_run(devices_thread, NULL, NULL, cancellable, cb, user_data);
}

GArray *tamga_job_devices_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

typedef struct {
    char *home;
    char *case_id;
    const tamga_identity *signer;
    TamgaRecordForm *form;
    tamga_case *c; /* handed to the caller on success */
} StartData;

static void start_data_free(StartData *d)
{
    g_free(d->home);
    g_free(d->case_id);
    tamga_record_form_free(d->form);
    tamga_case_free(d->c);
    g_free(d);
}

static void record_start_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    StartData *d = data;
    int rc = tamga_case_open(d->home, d->case_id, &d->c);
    if (rc != TAMGA_OK) {
        tamga_job_return_error(task, rc, _("Cannot open the case"));
        return;
    }
    tamga_recorder_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.device = d->form->device;
    cfg.channels = 1;
    cfg.meta.title = d->form->title;
    cfg.meta.language = d->form->language;
    cfg.meta.consent = d->form->consent;
    cfg.meta.embargo = d->form->embargo;
    cfg.meta.interviewee = d->form->interviewee;
    cfg.meta.contact = d->form->contact;
    cfg.meta.notes = d->form->notes;
    cfg.meta.complexity = -1;
    tamga_recorder *r = NULL;
    rc = tamga_recorder_new(d->c, d->signer, &cfg, &r);
    if (rc == TAMGA_OK)
        rc = tamga_recorder_start(r);
    if (rc != TAMGA_OK) {
        tamga_job_return_error(task, rc, _("Cannot start recording"));
        tamga_recorder_free(r);
        return;
    }
    g_task_return_pointer(task, r, NULL);
}

void tamga_job_record_start_async(const char *home, const char *case_id,
                                  const tamga_identity *signer, TamgaRecordForm *form_take,
                                  GCancellable *cancellable, GAsyncReadyCallback cb,
                                  gpointer user_data)
{
    StartData *d = g_new0(StartData, 1);
    d->home = g_strdup(home);
    d->case_id = g_strdup(case_id);
    d->signer = signer;
    d->form = form_take;
    tamga_job_run(record_start_thread, d, (GDestroyNotify)start_data_free, cancellable, cb,
                  user_data);
}

tamga_recorder *tamga_job_record_start_finish(GAsyncResult *res, tamga_case **case_out,
                                              GError **error)
{
    *case_out = NULL;
    tamga_recorder *r = g_task_propagate_pointer(G_TASK(res), error);
    if (r != NULL) {
        StartData *d = g_task_get_task_data(G_TASK(res));
        *case_out = d->c;
        d->c = NULL;
    }
    return r;
}

typedef struct {
    tamga_recorder *r;
    tamga_record_result result;
    int sealed;
} StopData;

static void record_stop_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    StopData *d = data;
    memset(&d->result, 0, sizeof d->result);
    int rc = tamga_recorder_stop(d->r, &d->result);
    d->sealed = d->result.recording_id[0] != '\0';
    if (rc != TAMGA_OK)
        tamga_job_return_error(task, rc, _("The recording ended with an error"));
    else
        g_task_return_boolean(task, TRUE);
}

void tamga_job_record_stop_async(tamga_recorder *r, GCancellable *cancellable,
                                 GAsyncReadyCallback cb, gpointer user_data)
{
    StopData *d = g_new0(StopData, 1);
    d->r = r;
    tamga_job_run(record_stop_thread, d, g_free, cancellable, cb, user_data);
}

gboolean tamga_job_record_stop_finish(GAsyncResult *res, tamga_record_result *result,
                                      GError **error)
{
    StopData *d = g_task_get_task_data(G_TASK(res));
    if (d->sealed)
        *result = d->result;
    else
        memset(result, 0, sizeof *result);
    return g_task_propagate_boolean(G_TASK(res), error);
}

/* ---- recovery and disk ----------------------------------------------------------- */

static void recover_count_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    size_t n = 0;
    int rc = tamga_recover_count(data, &n);
    if (rc != TAMGA_OK && rc != TAMGA_ERR_NOT_FOUND)
        tamga_job_return_error(task, rc, _("Cannot look for unfinished recordings"));
    else
        g_task_return_int(task, (gssize)n);
}

void tamga_job_recover_count_async(const char *home, GCancellable *cancellable,
                                   GAsyncReadyCallback cb, gpointer user_data)
{
    tamga_job_run(recover_count_thread, g_strdup(home), g_free, cancellable, cb, user_data);
}

gssize tamga_job_recover_count_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_int(G_TASK(res), error);
}

typedef struct {
    char *home;
    const tamga_identity *signer;
    GString *summary;
} RecoverData;

static void recover_data_free(RecoverData *d)
{
    g_free(d->home);
    if (d->summary != NULL)
        g_string_free(d->summary, TRUE);
    g_free(d);
}

static void recover_line(void *user, const char *case_id, const char *recording_id,
                         int64_t duration_ms, int rc)
{
    RecoverData *d = user;
    g_autofree char *dur = format_ms_words(duration_ms);
    if (rc == TAMGA_OK)
        g_string_append_printf(d->summary,
                               _("Recording %.8s in case %.8s: %s recovered, sealed and signed "
                                 "as interrupted.\n"),
                               recording_id, case_id, dur);
    else
        g_string_append_printf(d->summary,
                               _("Recording %.8s in case %.8s could not be "
                                 "recovered: %s.\n"),
                               recording_id, case_id, tamga_strerror(rc));
}

static void recover_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    RecoverData *d = data;
    d->summary = g_string_new(NULL);
    size_t n = 0;
    int rc = tamga_recover(d->home, NULL, d->signer, recover_line, d, &n);
    if (rc != TAMGA_OK) {
        tamga_job_return_error(task, rc, _("Cannot recover the unfinished recordings"));
        return;
    }
    g_task_return_pointer(task, g_string_free(g_steal_pointer(&d->summary), FALSE), g_free);
}

void tamga_job_recover_async(const char *home, const tamga_identity *signer,
                             GCancellable *cancellable, GAsyncReadyCallback cb, gpointer user_data)
{
    RecoverData *d = g_new0(RecoverData, 1);
    d->home = g_strdup(home);
    d->signer = signer;
    tamga_job_run(recover_thread, d, (GDestroyNotify)recover_data_free, cancellable, cb, user_data);
}

char *tamga_job_recover_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

static void disk_free_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    struct statvfs vfs;
    if (statvfs(data, &vfs) != 0)
        g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_FAILED, "statvfs failed");
    else
        g_task_return_int(task, (gssize)((guint64)vfs.f_bavail * (guint64)vfs.f_frsize));
}

void tamga_job_disk_free_async(const char *path, GCancellable *cancellable, GAsyncReadyCallback cb,
                               gpointer user_data)
{
    tamga_job_run(disk_free_thread, g_strdup(path), g_free, cancellable, cb, user_data);
}

gint64 tamga_job_disk_free_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_int(G_TASK(res), error);
}

/* ---- emergency wipe ---------------------------------------------------------- */

static void wipe_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    tamga_wipe_report *r = g_new0(tamga_wipe_report, 1);
    tamga_wipe_secrets(data, r); /* the report says what failed */
    g_task_return_pointer(task, r, g_free);
}

void tamga_job_wipe_async(const char *home, GCancellable *cancellable, GAsyncReadyCallback cb,
                          gpointer user_data)
{
    g_autoptr(GTask) task = g_task_new(NULL, cancellable, cb, user_data);
    g_task_set_task_data(task, g_strdup(home), g_free);
    /* Not cancellable once asked for: it runs to the end even if the window closes. */
    g_task_set_check_cancellable(task, FALSE);
    g_task_run_in_thread(task, wipe_thread);
}

tamga_wipe_report *tamga_job_wipe_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

/* ---- decrypt and play ------------------------------------------------------- */

typedef struct {
    char *home, *case_id, *recording_id, *out_path;
    const tamga_identity *id;
    double from;
} RecJob;

static void rec_job_free(gpointer data)
{
    RecJob *j = data;
    g_free(j->home);
    g_free(j->case_id);
    g_free(j->recording_id);
    g_free(j->out_path);
    g_free(j);
}

static RecJob *rec_job_new(const char *home, const char *case_id, const tamga_identity *id,
                           const char *recording_id)
{
    RecJob *j = g_new0(RecJob, 1);
    j->home = g_strdup(home);
    j->case_id = g_strdup(case_id);
    j->recording_id = g_strdup(recording_id);
    j->id = id;
    return j;
}

static void decrypt_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    RecJob *j = data;
    tamga_case *c = NULL;
    int rc = tamga_case_open(j->home, j->case_id, &c);
    if (rc == TAMGA_OK)
        rc = tamga_recording_decrypt(c, j->id, j->recording_id, j->out_path);
    if (rc != TAMGA_OK)
        tamga_job_return_error(task, rc, _("Cannot export the decrypted audio"));
    else
        g_task_return_boolean(task, TRUE);
    tamga_case_free(c);
}

void tamga_job_decrypt_async(const char *home, const char *case_id, const tamga_identity *id,
                             const char *recording_id, const char *out_path,
                             GCancellable *cancellable, GAsyncReadyCallback cb, gpointer user_data)
{
    RecJob *j = rec_job_new(home, case_id, id, recording_id);
    j->out_path = g_strdup(out_path);
    tamga_job_run(decrypt_thread, j, rec_job_free, cancellable, cb, user_data);
}

gboolean tamga_job_decrypt_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_boolean(G_TASK(res), error);
}

static void play_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    RecJob *j = data;
    tamga_case *c = NULL;
    tamga_player *p = NULL;
    int rc = tamga_case_open(j->home, j->case_id, &c);
    if (rc == TAMGA_OK)
        rc = tamga_player_new(c, j->id, j->recording_id, NULL, &p);
    if (rc == TAMGA_OK)
        rc = tamga_player_play(p, j->from);
    tamga_case_free(c);
    if (rc != TAMGA_OK) {
        tamga_player_free(p);
        tamga_job_return_error(task, rc, _("Cannot play the recording"));
        return;
    }
    g_task_return_pointer(task, p, (GDestroyNotify)tamga_job_player_free);
}

void tamga_job_play_async(const char *home, const char *case_id, const tamga_identity *id,
                          const char *recording_id, double from_seconds, GCancellable *cancellable,
                          GAsyncReadyCallback cb, gpointer user_data)
{
    RecJob *j = rec_job_new(home, case_id, id, recording_id);
    j->from = from_seconds;
    tamga_job_run(play_thread, j, rec_job_free, cancellable, cb, user_data);
}

tamga_player *tamga_job_play_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

static gpointer player_free_thread(gpointer data)
{
    tamga_player_free(data);
    return NULL;
}

void tamga_job_player_free(tamga_player *p)
{
    if (p == NULL)
        return;
    tamga_player_pause(p, 1);
    g_thread_unref(g_thread_new("tamga-player-free", player_free_thread, p));
}
