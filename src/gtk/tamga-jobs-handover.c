/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-jobs-handover.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "tamga/age.h"

/* ---- export ---------------------------------------------------------------------- */

void tamga_export_request_free(TamgaExportRequest *r)
{
    if (r == NULL)
        return;
    g_free(r->case_id);
    g_free(r->output);
    g_strfreev(r->to);
    g_strfreev(r->recordings);
    g_free(r->passphrase_file);
    if (r->passphrase != NULL)
        sodium_free(r->passphrase);
    g_free(r);
}

void tamga_export_request_set_passphrase(TamgaExportRequest *r, const char *pass)
{
    if (r->passphrase != NULL)
        sodium_free(r->passphrase);
    r->passphrase = tamga_job_secret_dup(pass, &r->passlen);
}

TamgaBundleProgress *tamga_bundle_progress_new(void)
{
    TamgaBundleProgress *p = g_atomic_rc_box_new0(TamgaBundleProgress);
    atomic_init(&p->done, 0);
    atomic_init(&p->total, 0);
    atomic_init(&p->cancel, 0);
    return p;
}

void tamga_export_result_free(TamgaExportResult *r)
{
    if (r == NULL)
        return;
    g_free(r->path);
    g_free(r);
}

typedef struct {
    char *home;
    const tamga_identity *id;
    TamgaExportRequest *req;
    TamgaBundleProgress *progress;
    GCancellable *cancellable;
} ExportData;

static void export_data_free(ExportData *d)
{
    g_free(d->home);
    tamga_export_request_free(d->req);
    g_atomic_rc_box_release(d->progress);
    g_clear_object(&d->cancellable);
    g_free(d);
}

static int on_progress(uint64_t done, uint64_t total, void *user)
{
    ExportData *d = user;
    atomic_store(&d->progress->total, total);
    atomic_store(&d->progress->done, done);
    return atomic_load(&d->progress->cancel) != 0 ||
           (d->cancellable != NULL && g_cancellable_is_cancelled(d->cancellable));
}

/* The recipients: age1… strings, then roster names, then public identity
 * files (as `tamga export --to`). Roster people and files also get a pubid
 * (for key grants). Returns a plain sentence on error (g_free it). */
static char *resolve_recipients(ExportData *d, uint8_t (*pks)[TAMGA_ENC_PK_BYTES], char **labels,
                                tamga_pubid *pubs, size_t *npubs, int *rc)
{
    char **to = d->req->to;
    tamga_trust_roster r = {NULL, 0};
    gboolean loaded = FALSE;
    *npubs = 0;
    *rc = TAMGA_OK;
    for (size_t i = 0; to != NULL && to[i] != NULL; i++) {
        const char *ref = to[i];
        if (g_str_has_prefix(ref, "age1")) {
            if (tamga_age_recipient_parse(ref, pks[i]) != TAMGA_OK) {
                *rc = TAMGA_ERR_INVALID;
                tamga_trust_clear(&r);
                return g_strdup_printf(_("“%s” is not a valid age recipient."), ref);
            }
            labels[i] = g_strdup(ref);
            continue;
        }
        if (!loaded) {
            *rc = tamga_trust_load(d->home, &r);
            if (*rc != TAMGA_OK)
                return g_strdup(_("Cannot read the trust roster."));
            loaded = TRUE;
        }
        tamga_pubid *pub = &pubs[*npubs];
        memset(pub, 0, sizeof *pub);
        const tamga_trust_entry *e = tamga_trust_find_name(&r, ref);
        if (e != NULL) {
            memcpy(pub->keynum, e->keynum, sizeof pub->keynum);
            memcpy(pub->sign_pk, e->sign_pk, sizeof pub->sign_pk);
            memcpy(pub->enc_pk, e->enc_pk, sizeof pub->enc_pk);
            g_strlcpy(pub->name, e->name, sizeof pub->name);
        } else if (g_path_is_absolute(ref) && g_file_test(ref, G_FILE_TEST_IS_REGULAR)) {
            *rc = tamga_pubid_load(ref, pub);
            if (*rc != TAMGA_OK) {
                tamga_trust_clear(&r);
                return g_strdup_printf(_("Cannot read the public identity %s."), ref);
            }
        } else {
            *rc = TAMGA_ERR_NOT_FOUND;
            tamga_trust_clear(&r);
            return g_strdup_printf(
                _("“%s” is neither an age1… recipient nor a name in your trust roster."), ref);
        }
        memcpy(pks[i], pub->enc_pk, TAMGA_ENC_PK_BYTES);
        labels[i] = g_malloc(TAMGA_KEYID_HEX_LEN + 1);
        tamga_keyid_format(pub->keynum, labels[i]);
        (*npubs)++;
    }
    tamga_trust_clear(&r);
    return NULL;
}

static void export_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    ExportData *d = data;
    TamgaExportRequest *req = d->req;
    size_t nto = req->to != NULL ? g_strv_length(req->to) : 0;
    if (nto > TAMGA_AGE_MAX_RECIPIENTS) {
        g_task_return_new_error(task, TAMGA_GUI_ERROR, TAMGA_ERR_TOO_LARGE,
                                _("A bundle can have at most %d recipients."),
                                TAMGA_AGE_MAX_RECIPIENTS);
        return;
    }
    uint8_t(*pks)[TAMGA_ENC_PK_BYTES] = g_malloc0_n(nto + 1, TAMGA_ENC_PK_BYTES);
    char **labels = g_new0(char *, nto + 1);
    tamga_pubid *pubs = g_new0(tamga_pubid, nto + 1);
    char **rids = NULL;
    size_t nrids = 0;
    tamga_case *c = NULL;
    size_t npubs = 0;
    int rc = TAMGA_OK;
    char *plain = resolve_recipients(d, pks, labels, pubs, &npubs, &rc);
    if (plain != NULL) {
        g_task_return_new_error(task, TAMGA_GUI_ERROR, rc, "%s", plain);
        g_free(plain);
        goto out;
    }
    if (req->grant && npubs == 0) {
        g_task_return_new_error(task, TAMGA_GUI_ERROR, TAMGA_ERR_INVALID, "%s",
                                _("To give the case key, choose at least one person from your "
                                  "trust roster."));
        goto out;
    }
    if (nto == 0 && req->passphrase == NULL && req->passphrase_file == NULL) {
        g_task_return_new_error(task, TAMGA_GUI_ERROR, TAMGA_ERR_INVALID, "%s",
                                _("Choose at least one recipient, or protect the bundle with a "
                                  "passphrase."));
        goto out;
    }
    if (nto > 0 && (req->passphrase != NULL || req->passphrase_file != NULL)) {
        g_task_return_new_error(task, TAMGA_GUI_ERROR, TAMGA_ERR_INVALID, "%s",
                                _("Use either recipients or a passphrase, not both."));
        goto out;
    }
    if (req->passphrase == NULL && req->passphrase_file != NULL) {
        rc = tamga_job_read_passphrase_file(req->passphrase_file, &req->passphrase, &req->passlen);
        if (rc != TAMGA_OK) {
            tamga_job_return_error(task, rc, _("Cannot read the bundle passphrase file"));
            goto out;
        }
    }
    rc = tamga_case_open(d->home, req->case_id, &c);
    if (rc != TAMGA_OK) {
        tamga_job_return_error(task, rc, _("Cannot open the case"));
        goto out;
    }
    size_t nref = req->recordings != NULL ? g_strv_length(req->recordings) : 0;
    rids = g_new0(char *, nref + 1);
    for (size_t i = 0; i < nref; i++) {
        char *rid = NULL;
        rc = tamga_case_find_recording(c, req->recordings[i], &rid);
        if (rc != TAMGA_OK) {
            g_autofree char *what =
                g_strdup_printf(_("Cannot find the recording %s"), req->recordings[i]);
            tamga_job_return_error(task, rc, what);
            goto out;
        }
        gboolean dup = FALSE;
        for (size_t k = 0; k < nrids && !dup; k++)
            dup = strcmp(rids[k], rid) == 0;
        if (dup)
            free(rid);
        else
            rids[nrids++] = rid;
    }
    if (nref > 0 && nrids == 0) {
        g_task_return_new_error(task, TAMGA_GUI_ERROR, TAMGA_ERR_INVALID, "%s",
                                _("Choose at least one recording."));
        goto out;
    }
    tamga_bundle_export_opts o;
    memset(&o, 0, sizeof o);
    o.recordings = (const char *const *)rids;
    o.n_recordings = nrids;
    o.recipients = (const uint8_t(*)[TAMGA_ENC_PK_BYTES])pks;
    o.n_recipients = nto;
    o.recipient_labels = (const char *const *)labels;
    o.passphrase = nto == 0 ? req->passphrase : NULL;
    o.passlen = nto == 0 ? req->passlen : 0;
    o.grant_to = pubs;
    o.n_grant_to = npubs;
    o.flags =
        (req->plain_audio ? TAMGA_BUNDLE_PLAIN_AUDIO : 0) | (req->grant ? TAMGA_BUNDLE_GRANT : 0);
    o.progress = on_progress;
    o.progress_user = d;
    uint8_t sha[TAMGA_SHA256_BYTES];
    rc = tamga_bundle_export(c, d->id, &o, req->output, sha);
    if (rc == TAMGA_ERR_NOT_KEYHOLDER) {
        tamga_job_return_plain(
            task, rc,
            _("Only a keyholder of this case can include decrypted audio or give the "
              "case key."));
    } else if (rc == TAMGA_ERR_EXISTS) {
        g_autofree char *msg = g_strdup_printf(
            _("%s already exists: a bundle never replaces a file. Choose another name."),
            req->output);
        g_task_return_new_error(task, TAMGA_GUI_ERROR, rc, "%s", msg);
    } else if (rc != TAMGA_OK) {
        tamga_job_return_error(task, rc, _("Cannot export the bundle"));
    } else {
        TamgaExportResult *r = g_new0(TamgaExportResult, 1);
        r->path = g_strdup(req->output);
        sodium_bin2hex(r->sha256, sizeof r->sha256, sha, sizeof sha);
        g_task_return_pointer(task, r, (GDestroyNotify)tamga_export_result_free);
    }
out:
    if (rids != NULL)
        for (size_t i = 0; i < nrids; i++)
            free(rids[i]);
    g_free(rids);
    for (size_t i = 0; i < nto; i++)
        g_free(labels[i]);
    g_free(labels);
    g_free(pks);
    g_free(pubs);
    tamga_case_free(c);
}

void tamga_job_bundle_export_async(const char *home, const tamga_identity *id,
                                   TamgaExportRequest *req, TamgaBundleProgress *progress,
                                   GCancellable *cancellable, GAsyncReadyCallback cb,
                                   gpointer user_data)
{
    ExportData *d = g_new0(ExportData, 1);
    d->home = g_strdup(home);
    d->id = id;
    d->req = req;
    d->progress = g_atomic_rc_box_acquire(progress);
    d->cancellable = cancellable != NULL ? g_object_ref(cancellable) : NULL;
    tamga_job_run(export_thread, d, (GDestroyNotify)export_data_free, cancellable, cb, user_data);
}

TamgaExportResult *tamga_job_bundle_export_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

/* ---- import ------------------------------------------------------------------------ */

typedef struct {
    char *home;
    char *path;
    const tamga_identity *id;
    char *pass; /* sodium_malloc'd */
    size_t passlen;
    char *pass_file;
    gboolean dry_run;
} ImportData;

static void import_data_free(ImportData *d)
{
    g_free(d->home);
    g_free(d->path);
    if (d->pass != NULL)
        sodium_free(d->pass);
    g_free(d->pass_file);
    g_free(d);
}

/* One plain sentence per way a bundle can be refused. */
static const char *import_words(int rc)
{
    switch (rc) {
    case TAMGA_ERR_NOT_KEYHOLDER:
        return _("This bundle is not addressed to you: it does not open with this computer's "
                 "key. Nothing was imported.");
    case TAMGA_ERR_PASSPHRASE:
        return _("Wrong passphrase for this bundle. Nothing was imported.");
    case TAMGA_ERR_AUTH:
        return _("The bundle does not check out: it was changed or damaged on the way. Nothing "
                 "was imported.");
    case TAMGA_ERR_TRUNCATED:
        return _("The bundle is incomplete: it ends too early (an interrupted copy?). Nothing "
                 "was imported.");
    case TAMGA_ERR_FORMAT:
    case TAMGA_ERR_UNSUPPORTED:
        return _("This file is not a bundle that tamga can read. Nothing was imported.");
    case TAMGA_ERR_EXISTS:
        return _("The bundle's history contradicts the one on this computer. Nothing was "
                 "imported.");
    case TAMGA_ERR_WRONG_CASE:
        return _("The bundle mixes files of different cases. Nothing was imported.");
    case TAMGA_ERR_NOT_FOUND:
        return _("The bundle, or a part of the case it needs, cannot be found. Nothing was "
                 "imported.");
    case TAMGA_ERR_NOSPACE:
        return _("The disk is full. Nothing was imported.");
    default:
        return NULL;
    }
}

static void import_thread(GTask *task, gpointer source, gpointer data, GCancellable *cn)
{
    (void)source;
    (void)cn;
    ImportData *d = data;
    if (d->pass == NULL && d->pass_file != NULL) {
        int rc = tamga_job_read_passphrase_file(d->pass_file, &d->pass, &d->passlen);
        if (rc != TAMGA_OK) {
            tamga_job_return_error(task, rc, _("Cannot read the bundle passphrase file"));
            return;
        }
    }
    tamga_import_result *res = g_new0(tamga_import_result, 1);
    int rc = tamga_bundle_import(d->home, d->path, d->id, d->pass, d->passlen,
                                 d->dry_run ? TAMGA_BUNDLE_DRY_RUN : 0, res);
    if (rc != TAMGA_OK) {
        g_free(res);
        const char *words = import_words(rc);
        if (words != NULL)
            tamga_job_return_plain(task, rc, words);
        else
            tamga_job_return_error(task, rc, _("Cannot import the bundle"));
        return;
    }
    g_task_return_pointer(task, res, g_free);
}

void tamga_job_bundle_import_async(const char *home, const char *path, const tamga_identity *id,
                                   const char *pass, const char *pass_file, gboolean dry_run,
                                   GCancellable *cancellable, GAsyncReadyCallback cb,
                                   gpointer user_data)
{
    ImportData *d = g_new0(ImportData, 1);
    d->home = g_strdup(home);
    d->path = g_strdup(path);
    d->id = id;
    d->pass_file = g_strdup(pass_file);
    d->dry_run = dry_run;
    if (pass != NULL)
        d->pass = tamga_job_secret_dup(pass, &d->passlen);
    tamga_job_run(import_thread, d, (GDestroyNotify)import_data_free, cancellable, cb, user_data);
}

tamga_import_result *tamga_job_bundle_import_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}
