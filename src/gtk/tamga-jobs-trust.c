/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-jobs-trust.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "identity-internal.h"
#include "tamga-jobs.h"
#include "util.h"

void tamga_trust_info_free(TamgaTrustInfo *info)
{
    if (info == NULL)
        return;
    g_free(info->name);
    g_free(info->key_id);
    g_free(info->added);
    g_free(info);
}

static GPtrArray *roster_infos(const tamga_trust_roster *r)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)tamga_trust_info_free);
    for (size_t i = 0; i < r->count; i++) {
        TamgaTrustInfo *info = g_new0(TamgaTrustInfo, 1);
        char kid[17];
        tamga_keyid_format(r->entries[i].keynum, kid);
        info->name = g_strdup(r->entries[i].name);
        info->key_id = g_strdup(kid);
        info->added = g_strdup(r->entries[i].added);
        g_ptr_array_add(out, info);
    }
    return out;
}

/* ---- the roster ------------------------------------------------------------------ */

typedef enum { TRUST_LOAD, TRUST_ADD, TRUST_RENAME, TRUST_REMOVE } TrustOp;

/* Roster jobs run one at a time, in the order they were asked for (a rename
 * right after an add sees the added entry): each takes a ticket on the UI
 * thread and its worker waits for its turn. */
static GMutex turn_lock;
static GCond turn_cond;
static guint64 next_ticket, now_serving;

typedef struct {
    TrustOp op;
    guint64 ticket;
    char *home;
    char *a; /* file (add), old (rename), ref (remove) */
    char *b; /* name (add, may be NULL), new name (rename) */
} TrustData;

typedef struct {
    GPtrArray *roster;
    char *name;
    char *old_name;
} TrustResult;

static void trust_data_free(TrustData *d)
{
    g_free(d->home);
    g_free(d->a);
    g_free(d->b);
    g_free(d);
}

static void trust_result_free(TrustResult *r)
{
    if (r->roster != NULL)
        g_ptr_array_unref(r->roster);
    g_free(r->name);
    g_free(r->old_name);
    g_free(r);
}

/* The names of the roster, in order (to see which entry a change touched). */
static char **roster_names(const tamga_trust_roster *r)
{
    char **names = g_new0(char *, r->count + 1);
    for (size_t i = 0; i < r->count; i++)
        names[i] = g_strdup(r->entries[i].name);
    return names;
}

static void trust_work(GTask *task, TrustData *d);

static void trust_thread(GTask *task, gpointer source, gpointer data, GCancellable *c)
{
    (void)source;
    (void)c;
    TrustData *d = data;
    g_mutex_lock(&turn_lock);
    while (now_serving != d->ticket)
        g_cond_wait(&turn_cond, &turn_lock);
    g_mutex_unlock(&turn_lock);
    trust_work(task, d);
    g_mutex_lock(&turn_lock);
    now_serving++;
    g_cond_broadcast(&turn_cond);
    g_mutex_unlock(&turn_lock);
}

static void trust_work(GTask *task, TrustData *d)
{
    static const char *const what[] = {
        [TRUST_LOAD] = N_("Cannot read the trust roster"),
        [TRUST_ADD] = N_("Cannot add to the trust roster"),
        [TRUST_RENAME] = N_("Cannot rename in the trust roster"),
        [TRUST_REMOVE] = N_("Cannot remove from the trust roster"),
    };
    tamga_pubid pub;
    int rc = TAMGA_OK;
    if (d->op == TRUST_ADD && (rc = tamga_pubid_load(d->a, &pub)) != TAMGA_OK) {
        tamga_job_return_error(task, rc, _("Cannot read the public identity file"));
        return;
    }
    tamga_trust_roster r;
    if ((rc = tamga_trust_load(d->home, &r)) != TAMGA_OK) {
        tamga_job_return_error(task, rc, _(what[d->op]));
        return;
    }
    g_auto(GStrv) before = roster_names(&r);
    TrustResult *res = g_new0(TrustResult, 1);
    switch (d->op) {
    case TRUST_LOAD:
        break;
    case TRUST_ADD:
        rc = tamga_trust_add(&r, &pub, d->b);
        if (rc == TAMGA_OK)
            res->name = g_strdup(r.entries[r.count - 1].name);
        break;
    case TRUST_RENAME:
    case TRUST_REMOVE:
        rc = d->op == TRUST_RENAME ? tamga_trust_rename(&r, d->a, d->b)
                                   : tamga_trust_remove(&r, d->a);
        if (rc != TAMGA_OK)
            break;
        /* The entry touched is the first whose name differs (or, renamed to
         * its own name, the one with that name). */
        for (size_t i = 0; before[i] != NULL; i++) {
            if (i >= r.count || strcmp(before[i], r.entries[i].name) != 0) {
                res->old_name = g_strdup(before[i]);
                res->name = g_strdup(d->op == TRUST_RENAME ? r.entries[i].name : before[i]);
                break;
            }
        }
        if (res->old_name == NULL) {
            res->old_name = g_strdup(d->b);
            res->name = g_strdup(d->b);
        }
        break;
    }
    if (rc == TAMGA_OK && d->op != TRUST_LOAD)
        rc = tamga_trust_save(d->home, &r);
    if (rc == TAMGA_OK) {
        res->roster = roster_infos(&r);
        g_task_return_pointer(task, res, (GDestroyNotify)trust_result_free);
    } else {
        trust_result_free(res);
        tamga_job_return_error(task, rc, _(what[d->op]));
    }
    tamga_trust_clear(&r);
}

static void run_trust(TrustOp op, const char *home, const char *a, const char *b,
                      GCancellable *cancellable, GAsyncReadyCallback cb, gpointer user_data)
{
    TrustData *d = g_new0(TrustData, 1);
    d->op = op;
    d->home = g_strdup(home);
    d->a = g_strdup(a);
    d->b = g_strdup(b);
    g_mutex_lock(&turn_lock);
    d->ticket = next_ticket++;
    g_mutex_unlock(&turn_lock);
    tamga_job_run(trust_thread, d, (GDestroyNotify)trust_data_free, cancellable, cb, user_data);
}

void tamga_job_trust_load_async(const char *home, GCancellable *cancellable, GAsyncReadyCallback cb,
                                gpointer user_data)
{
    run_trust(TRUST_LOAD, home, NULL, NULL, cancellable, cb, user_data);
}

GPtrArray *tamga_job_trust_load_finish(GAsyncResult *res, GError **error)
{
    return tamga_job_trust_change_finish(res, NULL, NULL, error);
}

void tamga_job_trust_add_async(const char *home, const char *file, const char *name,
                               GCancellable *cancellable, GAsyncReadyCallback cb,
                               gpointer user_data)
{
    run_trust(TRUST_ADD, home, file, name != NULL && name[0] != '\0' ? name : NULL, cancellable, cb,
              user_data);
}

void tamga_job_trust_rename_async(const char *home, const char *old, const char *new_name,
                                  GCancellable *cancellable, GAsyncReadyCallback cb,
                                  gpointer user_data)
{
    /* An empty new name must reach the library (and be refused), not become NULL. */
    run_trust(TRUST_RENAME, home, old, new_name, cancellable, cb, user_data);
}

void tamga_job_trust_remove_async(const char *home, const char *ref, GCancellable *cancellable,
                                  GAsyncReadyCallback cb, gpointer user_data)
{
    run_trust(TRUST_REMOVE, home, ref, NULL, cancellable, cb, user_data);
}

GPtrArray *tamga_job_trust_change_finish(GAsyncResult *res, char **name, char **old_name,
                                         GError **error)
{
    if (name != NULL)
        *name = NULL;
    if (old_name != NULL)
        *old_name = NULL;
    TrustResult *r = g_task_propagate_pointer(G_TASK(res), error);
    if (r == NULL)
        return NULL;
    GPtrArray *roster = g_steal_pointer(&r->roster);
    if (name != NULL)
        *name = g_steal_pointer(&r->name);
    if (old_name != NULL)
        *old_name = g_steal_pointer(&r->old_name);
    trust_result_free(r);
    return roster;
}

/* ---- public identity files --------------------------------------------------------- */

static void read_pubid_thread(GTask *task, gpointer source, gpointer data, GCancellable *c)
{
    (void)source;
    (void)c;
    tamga_pubid *pub = g_new0(tamga_pubid, 1);
    int rc = tamga_pubid_load(data, pub);
    if (rc == TAMGA_OK) {
        g_task_return_pointer(task, pub, g_free);
    } else {
        g_free(pub);
        tamga_job_return_error(task, rc, _("Cannot read the public identity file"));
    }
}

void tamga_job_read_pubid_async(const char *file, GCancellable *cancellable, GAsyncReadyCallback cb,
                                gpointer user_data)
{
    tamga_job_run(read_pubid_thread, g_strdup(file), g_free, cancellable, cb, user_data);
}

tamga_pubid *tamga_job_read_pubid_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

/* Reads this computer's public identity file and checks it; `*text` malloc'd. */
static int read_public(const char *home, uint8_t **text, size_t *len)
{
    *text = NULL;
    char *path = tamga_home_public_path(home);
    if (path == NULL)
        return TAMGA_ERR_NOMEM;
    int rc = tamga_read_file(path, TAMGA_PUBID_MAX_FILE, text, len);
    free(path);
    tamga_pubid pub;
    if (rc == TAMGA_OK)
        rc = tamga_pubid_parse((const char *)*text, *len, &pub);
    if (rc != TAMGA_OK) {
        free(*text);
        *text = NULL;
    }
    return rc;
}

typedef struct {
    char *home;
    char *target;
} PublicData;

static void public_data_free(PublicData *d)
{
    g_free(d->home);
    g_free(d->target);
    g_free(d);
}

/* Reads this computer's public identity file: returns its text, or with a
 * target, saves it there (never over an existing file). */
static void public_thread(GTask *task, gpointer source, gpointer data, GCancellable *c)
{
    (void)source;
    (void)c;
    PublicData *d = data;
    uint8_t *text = NULL;
    size_t len = 0;
    int rc = read_public(d->home, &text, &len);
    if (rc != TAMGA_OK) {
        tamga_job_return_error(task, rc, _("Cannot read this computer's public identity file"));
        return;
    }
    if (d->target == NULL) {
        g_task_return_pointer(task, g_strndup((const char *)text, len), g_free);
        free(text);
        return;
    }
    rc = tamga_write_atomic(d->target, text, len, 0644, 0);
    free(text);
    if (rc != TAMGA_OK)
        tamga_job_return_error(task, rc, _("Cannot save the public identity file"));
    else
        g_task_return_boolean(task, TRUE);
}

static void run_public(const char *home, const char *target, GCancellable *cancellable,
                       GAsyncReadyCallback cb, gpointer user_data)
{
    PublicData *d = g_new0(PublicData, 1);
    d->home = g_strdup(home);
    d->target = g_strdup(target);
    tamga_job_run(public_thread, d, (GDestroyNotify)public_data_free, cancellable, cb, user_data);
}

void tamga_job_read_public_file_async(const char *home, GCancellable *cancellable,
                                      GAsyncReadyCallback cb, gpointer user_data)
{
    run_public(home, NULL, cancellable, cb, user_data);
}

char *tamga_job_read_public_file_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_pointer(G_TASK(res), error);
}

void tamga_job_save_public_file_async(const char *home, const char *target,
                                      GCancellable *cancellable, GAsyncReadyCallback cb,
                                      gpointer user_data)
{
    run_public(home, target, cancellable, cb, user_data);
}

gboolean tamga_job_save_public_file_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_boolean(G_TASK(res), error);
}
