/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-window.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tamga-gui-logic.h"
#include "tamga-handover-page.h"
#include "tamga-jobs.h"
#include "tamga-new-case-dialog.h"
#include "tamga-record-page.h"
#include "tamga-recordings-page.h"
#include "tamga-screenshot.h"
#include "tamga-setup-page.h"
#include "tamga-verify-page.h"
#include "tamga-wipe-dialog.h"

typedef void (*UnlockedFn)(TamgaWindow *self);

/* A worker finished after the window was closed (its cancellable cancelled):
 * drop the reference the job held and touch no widget. */
#define RETURN_IF_CLOSED(err, obj)                                                                 \
    do {                                                                                           \
        if (g_error_matches((err), G_IO_ERROR, G_IO_ERROR_CANCELLED)) {                            \
            g_object_unref(obj);                                                                   \
            return;                                                                                \
        }                                                                                          \
    } while (0)

struct _TamgaWindow {
    GtkApplicationWindow parent_instance;

    /* template children */
    GtkWidget *lock_button;
    GtkWidget *lock_state_label;
    GtkWidget *unlock_revealer;
    GtkWidget *unlock_label;
    GtkWidget *unlock_entry;
    GtkWidget *unlock_spinner;
    GtkWidget *unlock_button;
    GtkWidget *unlock_cancel;
    GtkWidget *notice_revealer;
    GtkWidget *notice_label;
    GtkWidget *notice_close;
    GtkWidget *main_stack;
    GtkWidget *setup_page;
    GtkWidget *pages;
    GtkWidget *cases_list;
    GtkWidget *record_page;
    GtkWidget *recordings_page;
    GtkWidget *verify_page;
    GtkWidget *handover_page;

    TamgaApplication *app;
    GCancellable *cancellable;
    gboolean busy; /* a worker holds the identity (unlock, create case) */

    char *case_id;
    char *case_title;
    gboolean case_keyholder;
    GPtrArray *cases; /* TamgaCaseInfo */

    gboolean close_after_stop; /* the recording is being sealed, then the window closes */

    /* what to run once unlocked: a window step, or a page's closure */
    UnlockedFn pending;
    TamgaUnlockedFunc pending_fn;
    gpointer pending_data;
    GDestroyNotify pending_destroy;
    gboolean unlocking;

    GtkWidget *wipe_dialog; /* open confirmation, or NULL */
    gboolean wiping;
};

G_DEFINE_FINAL_TYPE(TamgaWindow, tamga_window, GTK_TYPE_APPLICATION_WINDOW)

static void load_cases(TamgaWindow *self);
static void update_actions(TamgaWindow *self);
static void update_lock_state(TamgaWindow *self);

/* ---- notices --------------------------------------------------------------- */

static void notice(TamgaWindow *self, gboolean error, const char *text)
{
    gtk_label_set_text(GTK_LABEL(self->notice_label), text);
    if (error)
        gtk_widget_add_css_class(self->notice_revealer, "error-notice");
    else
        gtk_widget_remove_css_class(self->notice_revealer, "error-notice");
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->notice_revealer), TRUE);
    g_info("%s: %s", error ? "error" : "notice", text);
}

static void on_notice_close(GtkButton *b, TamgaWindow *self)
{
    (void)b;
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->notice_revealer), FALSE);
}

/* ---- unlocking ----------------------------------------------------------------- */

static void update_lock_state(TamgaWindow *self)
{
    gboolean unlocked = tamga_application_is_unlocked(self->app);
    tamga_identity *id = tamga_application_get_identity(self->app);
    gtk_widget_set_visible(self->lock_button, id != NULL);
    gtk_widget_set_sensitive(self->lock_button, unlocked);
    gtk_label_set_text(GTK_LABEL(self->lock_state_label), id == NULL ? ""
                                                          : unlocked ? _("Unlocked")
                                                                     : _("Locked"));
}

/* Forgets what was to run once unlocked (the person gave up, or a newer
 * request replaced it). */
static void clear_pending(TamgaWindow *self)
{
    self->pending = NULL;
    self->pending_fn = NULL;
    GDestroyNotify destroy = self->pending_destroy;
    gpointer data = self->pending_data;
    self->pending_destroy = NULL;
    self->pending_data = NULL;
    if (destroy != NULL)
        destroy(data);
}

static void on_unlocked_changed(GObject *app, GParamSpec *pspec, TamgaWindow *self)
{
    (void)app;
    (void)pspec;
    update_lock_state(self);
}

static void unlock_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autoptr(GError) err = NULL;
    gboolean ok = tamga_job_unlock_finish(res, &err);
    self->unlocking = FALSE;
    tamga_application_release_identity(self->app);
    RETURN_IF_CLOSED(err, self);
    gtk_spinner_stop(GTK_SPINNER(self->unlock_spinner));
    gtk_widget_set_sensitive(self->unlock_button, TRUE);
    if (!ok) {
        if (tamga_application_get_passphrase_file(self->app) != NULL) {
            clear_pending(self);
            notice(self, TRUE, err->message);
        } else {
            gtk_label_set_text(GTK_LABEL(self->unlock_label), err->message);
            gtk_widget_grab_focus(self->unlock_entry);
        }
        g_object_unref(self);
        return;
    }
    g_info("identity unlocked");
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->unlock_revealer), FALSE);
    tamga_application_unlocked(self->app);
    UnlockedFn fn = self->pending;
    TamgaUnlockedFunc pfn = self->pending_fn;
    gpointer pdata = self->pending_data;
    GDestroyNotify pdestroy = self->pending_destroy;
    self->pending = NULL;
    self->pending_fn = NULL;
    self->pending_data = NULL;
    self->pending_destroy = NULL;
    if (fn != NULL)
        fn(self);
    if (pfn != NULL)
        pfn(pdata);
    if (pdestroy != NULL)
        pdestroy(pdata);
    g_object_unref(self);
}

static void start_unlock(TamgaWindow *self, const char *pass)
{
    tamga_identity *id = tamga_application_get_identity(self->app);
    self->unlocking = TRUE;
    tamga_application_hold_identity(self->app);
    gtk_spinner_start(GTK_SPINNER(self->unlock_spinner));
    gtk_widget_set_sensitive(self->unlock_button, FALSE);
    const char *file = tamga_application_get_passphrase_file(self->app);
    if (pass == NULL && file != NULL)
        tamga_job_unlock_file_async(id, file, self->cancellable, unlock_done, g_object_ref(self));
    else
        tamga_job_unlock_async(id, pass, self->cancellable, unlock_done, g_object_ref(self));
}

/* Runs `fn` (or `pfn`) once the identity is unlocked: at once, after reading
 * TAMGA_PASSPHRASE_FILE, or after the person types the passphrase. */
static void need_unlocked_full(TamgaWindow *self, const char *why, UnlockedFn fn,
                               TamgaUnlockedFunc pfn, gpointer data, GDestroyNotify destroy)
{
    tamga_identity *id = tamga_application_get_identity(self->app);
    if (id == NULL) {
        notice(self, TRUE, _("This computer has no identity yet."));
        if (destroy != NULL)
            destroy(data);
        return;
    }
    if (tamga_identity_is_unlocked(id)) {
        if (fn != NULL)
            fn(self);
        if (pfn != NULL)
            pfn(data);
        if (destroy != NULL)
            destroy(data);
        return;
    }
    clear_pending(self);
    self->pending = fn;
    self->pending_fn = pfn;
    self->pending_data = data;
    self->pending_destroy = destroy;
    if (self->unlocking)
        return;
    if (tamga_application_get_passphrase_file(self->app) != NULL) {
        start_unlock(self, NULL);
        return;
    }
    gtk_label_set_text(GTK_LABEL(self->unlock_label), why);
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->unlock_revealer), TRUE);
    gtk_widget_grab_focus(self->unlock_entry);
}

static void need_unlocked(TamgaWindow *self, const char *why, UnlockedFn fn)
{
    need_unlocked_full(self, why, fn, NULL, NULL, NULL);
}

void tamga_window_need_unlocked(TamgaWindow *self, const char *why, TamgaUnlockedFunc fn,
                                gpointer data, GDestroyNotify destroy)
{
    need_unlocked_full(self, why, NULL, fn, data, destroy);
}

void tamga_window_notice(TamgaWindow *self, gboolean error, const char *text)
{
    notice(self, error, text);
}

void tamga_window_hide_notice(TamgaWindow *self)
{
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->notice_revealer), FALSE);
}

static void on_unlock_clicked(GtkWidget *w, TamgaWindow *self)
{
    (void)w;
    if (self->unlocking)
        return;
    const char *pass = gtk_editable_get_text(GTK_EDITABLE(self->unlock_entry));
    if (pass[0] == '\0')
        return;
    start_unlock(self, pass); /* copied into sodium memory at once */
    gtk_editable_set_text(GTK_EDITABLE(self->unlock_entry), "");
}

static void on_unlock_cancel(GtkButton *b, TamgaWindow *self)
{
    (void)b;
    clear_pending(self);
    gtk_editable_set_text(GTK_EDITABLE(self->unlock_entry), "");
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->unlock_revealer), FALSE);
}

/* ---- first run (the setup page does the work) ------------------------------------------ */

static void after_identity(TamgaWindow *self);

static void on_identity_ready(TamgaSetupPage *page, TamgaWindow *self)
{
    (void)page;
    after_identity(self);
}

static void use_identity_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    if (tamga_application_get_identity(self->app) != NULL) {
        notice(self, TRUE, _("This computer already has an identity."));
        return;
    }
    gtk_stack_set_visible_child_name(GTK_STACK(self->main_stack), "setup");
    tamga_setup_page_use_identity(TAMGA_SETUP_PAGE(self->setup_page),
                                  g_variant_get_string(param, NULL));
}

static char *case_subtitle(const TamgaCaseInfo *info)
{
    char total[32];
    tamga_gui_format_clock(info->total_ms, total, sizeof total);
    g_autofree char *count = g_strdup_printf(
        ngettext("%u recording", "%u recordings", info->n_recordings), info->n_recordings);
    return g_strdup_printf("%s, %s · %s", count, total,
                           info->keyholder ? _("keyholder: this computer can listen")
                                           : _("record-only: this computer cannot decrypt"));
}

static void set_current_case(TamgaWindow *self, const char *id, const char *title,
                             gboolean keyholder)
{
    if (g_strcmp0(self->case_id, id) != 0) {
        g_free(self->case_id);
        self->case_id = g_strdup(id);
    }
    g_free(self->case_title);
    self->case_title = g_strdup(title);
    self->case_keyholder = keyholder;
    tamga_record_page_set_case(TAMGA_RECORD_PAGE(self->record_page), id, title);
    tamga_recordings_page_set_case(TAMGA_RECORDINGS_PAGE(self->recordings_page), id, title,
                                   keyholder);
    tamga_handover_page_set_case(TAMGA_HANDOVER_PAGE(self->handover_page), id, title, keyholder);
    update_actions(self);
    tamga_recordings_page_reload(TAMGA_RECORDINGS_PAGE(self->recordings_page));
}

static void on_case_selected(GtkListBox *box, GtkListBoxRow *row, TamgaWindow *self)
{
    (void)box;
    if (row == NULL || self->cases == NULL)
        return;
    int i = gtk_list_box_row_get_index(row);
    if (i < 0 || (guint)i >= self->cases->len)
        return;
    const TamgaCaseInfo *info = g_ptr_array_index(self->cases, (guint)i);
    set_current_case(self, info->id, info->title, info->keyholder);
}

static void on_case_activated(GtkListBox *box, GtkListBoxRow *row, TamgaWindow *self)
{
    on_case_selected(box, row, self);
    gtk_stack_set_visible_child_name(GTK_STACK(self->pages), "record");
}

static void cases_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autoptr(GError) err = NULL;
    GPtrArray *cases = tamga_job_list_cases_finish(res, &err);
    RETURN_IF_CLOSED(err, self);
    if (cases == NULL) {
        if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            notice(self, TRUE, err->message);
        g_object_unref(self);
        return;
    }
    g_clear_pointer(&self->cases, g_ptr_array_unref);
    self->cases = cases;
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child(self->cases_list)) != NULL)
        gtk_list_box_remove(GTK_LIST_BOX(self->cases_list), child);
    GtkListBoxRow *select = NULL;
    for (guint i = 0; i < cases->len; i++) {
        const TamgaCaseInfo *info = g_ptr_array_index(cases, i);
        GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 2);
        gtk_widget_add_css_class(box, "row-content");
        GtkWidget *title = gtk_label_new(info->title);
        gtk_label_set_xalign(GTK_LABEL(title), 0.0f);
        gtk_label_set_ellipsize(GTK_LABEL(title), PANGO_ELLIPSIZE_END);
        gtk_widget_add_css_class(title, "heading");
        g_autofree char *sub = case_subtitle(info);
        GtkWidget *subl = gtk_label_new(sub);
        gtk_label_set_xalign(GTK_LABEL(subl), 0.0f);
        gtk_widget_add_css_class(subl, "dim-label");
        gtk_box_append(GTK_BOX(box), title);
        gtk_box_append(GTK_BOX(box), subl);
        GtkWidget *row = gtk_list_box_row_new();
        gtk_list_box_row_set_child(GTK_LIST_BOX_ROW(row), box);
        g_autofree char *a11y = g_strdup_printf("%s, %s", info->title, sub);
        gtk_accessible_update_property(GTK_ACCESSIBLE(row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                       -1);
        gtk_list_box_append(GTK_LIST_BOX(self->cases_list), row);
        if (self->case_id != NULL &&
            (strcmp(info->id, self->case_id) == 0 || strcmp(info->title, self->case_id) == 0 ||
             (strlen(self->case_id) >= 4 && g_str_has_prefix(info->id, self->case_id))))
            select = GTK_LIST_BOX_ROW(row);
    }
    if (cases->len == 0) {
        GtkWidget *empty = gtk_label_new(_("No cases yet. Create one below to start recording."));
        gtk_widget_add_css_class(empty, "dim-label");
        gtk_widget_set_margin_top(empty, 24);
        gtk_widget_set_margin_bottom(empty, 24);
        gtk_list_box_append(GTK_LIST_BOX(self->cases_list), empty);
        tamga_record_page_set_case(TAMGA_RECORD_PAGE(self->record_page), self->case_id, NULL);
        tamga_recordings_page_set_case(TAMGA_RECORDINGS_PAGE(self->recordings_page), self->case_id,
                                       NULL, self->case_keyholder);
    } else if (select == NULL && self->case_id == NULL) {
        select = gtk_list_box_get_row_at_index(GTK_LIST_BOX(self->cases_list), 0);
    }
    if (select != NULL)
        gtk_list_box_select_row(GTK_LIST_BOX(self->cases_list), select);
    g_info("cases loaded: %u", cases->len);
    g_object_unref(self);
}

static void load_cases(TamgaWindow *self)
{
    const char *home = tamga_application_get_home(self->app);
    tamga_identity *id = tamga_application_get_identity(self->app);
    if (home == NULL)
        return;
    tamga_job_list_cases_async(home, id ? tamga_identity_get_public(id) : NULL, self->cancellable,
                               cases_loaded, g_object_ref(self));
}

void tamga_window_reload_cases(TamgaWindow *self, const char *select_id)
{
    if (select_id != NULL) {
        g_free(self->case_id);
        self->case_id = g_strdup(select_id); /* selected when the list comes back */
    }
    load_cases(self);
}

static void create_case_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autoptr(GError) err = NULL;
    char *id = tamga_job_create_case_finish(res, &err);
    tamga_application_release_identity(self->app);
    self->busy = FALSE;
    RETURN_IF_CLOSED(err, self);
    if (id == NULL) {
        notice(self, TRUE, err->message);
    } else {
        g_info("case ready: %s", id); /* created or joined */
        g_free(self->case_id);
        self->case_id = id; /* selected when the list comes back */
        load_cases(self);
    }
    update_actions(self);
    g_object_unref(self);
}

/* A case to create or join once the identity is unlocked. */
typedef struct {
    TamgaWindow *self;
    char *title;       /* create */
    char **keyholders; /* create: roster names or public identity files */
    gboolean record_only;
    char *join_file; /* join: a field-laptop file */
} CaseRequest;

static void case_request_free(gpointer data)
{
    CaseRequest *r = data;
    g_object_unref(r->self);
    g_free(r->title);
    g_strfreev(r->keyholders);
    g_free(r->join_file);
    g_free(r);
}

static void case_request_unlocked(gpointer data)
{
    CaseRequest *r = data;
    TamgaWindow *self = r->self;
    self->busy = TRUE;
    tamga_application_hold_identity(self->app);
    if (r->join_file != NULL)
        tamga_job_join_case_async(tamga_application_get_home(self->app),
                                  tamga_application_get_identity(self->app), r->join_file,
                                  self->cancellable, create_case_done, g_object_ref(self));
    else
        tamga_job_create_case_async(tamga_application_get_home(self->app),
                                    tamga_application_get_identity(self->app), r->title,
                                    (const char *const *)r->keyholders, r->record_only,
                                    self->cancellable, create_case_done, g_object_ref(self));
    update_actions(self);
}

void tamga_window_create_case(TamgaWindow *self, const char *title, const char *const *keyholders,
                              gboolean record_only)
{
    if (!tamga_gui_valid_title(title)) {
        notice(self, TRUE, _("A case title is 1 to 128 bytes of text without control characters."));
        return;
    }
    if (record_only && (keyholders == NULL || keyholders[0] == NULL)) {
        notice(self, TRUE,
               _("A record-only case needs at least one other keyholder, or nobody could ever "
                 "open its recordings."));
        return;
    }
    CaseRequest *r = g_new0(CaseRequest, 1);
    r->self = g_object_ref(self);
    r->title = g_strdup(title);
    r->keyholders = g_strdupv((char **)keyholders);
    r->record_only = record_only;
    tamga_window_need_unlocked(self, _("Enter your passphrase to sign the new case:"),
                               case_request_unlocked, r, case_request_free);
}

static void open_new_case_dialog(TamgaWindow *self, const char *title)
{
    gtk_stack_set_visible_child_name(GTK_STACK(self->pages), "cases");
    TamgaNewCaseDialog *d =
        tamga_new_case_dialog_new(self, tamga_application_get_home(self->app), title);
    gtk_window_present(GTK_WINDOW(d));
    g_info("new case dialog shown");
}

/* new-case('TITLE') creates a case with this computer as its keyholder;
 * new-case('') asks for everything in the New Case dialog. */
static void new_case_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    const char *title = g_variant_get_string(param, NULL);
    if (title[0] == '\0')
        open_new_case_dialog(self, "");
    else
        tamga_window_create_case(self, title, NULL, FALSE);
}

/* new-case-with({'title': <s>, 'keyholders': <as>, 'record-only': <b>}), for scripts. */
static void new_case_with_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    const char *title = "";
    g_autofree const char **keyholders = NULL;
    gboolean record_only = FALSE;
    g_variant_lookup(param, "title", "&s", &title);
    g_variant_lookup(param, "keyholders", "^a&s", &keyholders);
    g_variant_lookup(param, "record-only", "b", &record_only);
    tamga_window_create_case(self, title, keyholders, record_only);
}

static void join_file_chosen(TamgaWindow *self, const char *path)
{
    CaseRequest *r = g_new0(CaseRequest, 1);
    r->self = g_object_ref(self);
    r->join_file = g_strdup(path);
    g_info("joining a case from %s", path);
    tamga_window_need_unlocked(self, _("Enter your passphrase to sign that this computer joins:"),
                               case_request_unlocked, r, case_request_free);
}

static void on_join_response(GtkNativeDialog *dialog, int response, TamgaWindow *self)
{
    if (response == GTK_RESPONSE_ACCEPT) {
        g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
        g_autofree char *path = file ? g_file_get_path(file) : NULL;
        if (path != NULL)
            join_file_chosen(self, path);
    }
    g_object_unref(dialog);
    g_object_unref(self);
}

/* join-case('FILE'): records into the case described by a field-laptop file
 * (tamga case export-recorder); '' opens a file chooser. */
static void join_case_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    const char *path = g_variant_get_string(param, NULL);
    if (path[0] != '\0') {
        join_file_chosen(self, path);
        return;
    }
    GtkFileChooserNative *dialog = gtk_file_chooser_native_new(
        _("Join a Case: Choose the File from the Case's Office"), GTK_WINDOW(self),
        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Join"), _("_Cancel"));
    gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(dialog), TRUE);
    g_signal_connect(dialog, "response", G_CALLBACK(on_join_response), g_object_ref(self));
    gtk_native_dialog_show(GTK_NATIVE_DIALOG(dialog));
}

static void select_case_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    const char *ref = g_variant_get_string(param, NULL);
    if (self->cases != NULL) {
        for (guint i = 0; i < self->cases->len; i++) {
            const TamgaCaseInfo *info = g_ptr_array_index(self->cases, i);
            if (strcmp(info->id, ref) == 0 || strcmp(info->title, ref) == 0 ||
                (strlen(ref) >= 4 && g_str_has_prefix(info->id, ref))) {
                gtk_list_box_select_row(
                    GTK_LIST_BOX(self->cases_list),
                    gtk_list_box_get_row_at_index(GTK_LIST_BOX(self->cases_list), (int)i));
                return;
            }
        }
    }
    /* Not listed (yet): the library resolves the reference when it is used. */
    set_current_case(self, ref, ref, FALSE);
}

/* ---- verify (the page does the work) ----------------------------------------------------------
 */

static void verify_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    const char *path = g_variant_get_string(param, NULL);
    if (path[0] != '\0') {
        tamga_verify_page_verify(TAMGA_VERIFY_PAGE(self->verify_page), path);
        return;
    }
    const char *page = gtk_stack_get_visible_child_name(GTK_STACK(self->pages));
    if (g_strcmp0(page, "recordings") == 0 &&
        tamga_recordings_page_verify_selected(TAMGA_RECORDINGS_PAGE(self->recordings_page)))
        return;
    gtk_stack_set_visible_child_name(GTK_STACK(self->pages), "verify");
    tamga_verify_page_choose(TAMGA_VERIFY_PAGE(self->verify_page), TRUE);
}

/* ---- recording (the Record page does the work) ------------------------------------------ */

static void refresh_devices_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_refresh_devices(TAMGA_RECORD_PAGE(self->record_page));
}

static void select_device_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_select_device(TAMGA_RECORD_PAGE(self->record_page),
                                    g_variant_get_string(param, NULL));
}

static void update_actions(TamgaWindow *self)
{
    TamgaRecordPage *rec = TAMGA_RECORD_PAGE(self->record_page);
    TamgaRecordingsPage *recs = TAMGA_RECORDINGS_PAGE(self->recordings_page);
    gboolean can_record, can_control, idle;
    tamga_record_page_get_actions(rec, &can_record, &can_control, &idle);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.record", can_record);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.pause", can_control);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.marker", can_control);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.stop", can_control);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.refresh-devices", idle);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.new-case", !self->busy);
    gboolean can_play, can_export, can_seek;
    tamga_recordings_page_get_actions(recs, &can_play, &can_export, &can_seek);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.play", can_play);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.export-audio", can_export);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.seek", can_seek);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.wipe", !self->wiping);
    /* The input list is not read while playback uses the audio system. */
    tamga_record_page_set_audio_busy(rec, tamga_recordings_page_uses_audio(recs));
}

static void record_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_record(TAMGA_RECORD_PAGE(self->record_page));
}

static void pause_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_pause(TAMGA_RECORD_PAGE(self->record_page));
}

static void marker_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_marker(TAMGA_RECORD_PAGE(self->record_page),
                             g_variant_get_string(param, NULL));
}

static void stop_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_stop(TAMGA_RECORD_PAGE(self->record_page));
}

/* A recording ended: the lists may hold a new one; close if that was asked. */
static void on_recording_stopped(TamgaRecordPage *page, TamgaWindow *self)
{
    (void)page;
    tamga_recordings_page_reload(TAMGA_RECORDINGS_PAGE(self->recordings_page));
    load_cases(self);
    if (self->close_after_stop)
        gtk_window_destroy(GTK_WINDOW(self));
}

gboolean tamga_window_is_recording(TamgaWindow *self)
{
    return tamga_record_page_is_recording(TAMGA_RECORD_PAGE(self->record_page));
}

/* ---- closing -------------------------------------------------------------------- */

static void on_close_response(GtkDialog *dialog, int response, TamgaWindow *self)
{
    gtk_window_destroy(GTK_WINDOW(dialog));
    if (response == GTK_RESPONSE_ACCEPT) {
        self->close_after_stop = TRUE;
        tamga_record_page_stop(TAMGA_RECORD_PAGE(self->record_page));
    }
}

static gboolean tamga_window_close_request(GtkWindow *window)
{
    TamgaWindow *self = TAMGA_WINDOW(window);
    if (!tamga_window_is_recording(self))
        return GTK_WINDOW_CLASS(tamga_window_parent_class)->close_request(window);
    if (self->close_after_stop)
        return TRUE; /* already sealing; closes when done */
    GtkWidget *dialog = gtk_message_dialog_new(
        window, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
        GTK_BUTTONS_NONE, "%s", _("A recording is in progress"));
    gtk_message_dialog_format_secondary_text(
        GTK_MESSAGE_DIALOG(dialog), "%s",
        _("Stop it now? What was recorded is sealed and signed before the window closes."));
    gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Keep Recording"), GTK_RESPONSE_CANCEL);
    GtkWidget *stop =
        gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Stop and Close"), GTK_RESPONSE_ACCEPT);
    gtk_widget_add_css_class(stop, "destructive-action");
    gtk_dialog_set_default_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);
    g_signal_connect(dialog, "response", G_CALLBACK(on_close_response), self);
    gtk_window_present(GTK_WINDOW(dialog));
    return TRUE;
}

/* ---- playback and export (the Recordings page does the work) --------------------------- */

static void play_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_recordings_page_play(TAMGA_RECORDINGS_PAGE(self->recordings_page));
}

static void seek_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_recordings_page_seek(TAMGA_RECORDINGS_PAGE(self->recordings_page),
                               g_variant_get_double(param));
}

/* export-audio(''): warn, choose a file, decrypt. export-audio(PATH): decrypt
 * the selected recording to PATH (for scripts and tests; no dialog). */
static void export_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_recordings_page_export_audio(TAMGA_RECORDINGS_PAGE(self->recordings_page),
                                       g_variant_get_string(param, NULL));
}

/* ---- emergency wipe ------------------------------------------------------------- */

static void wipe_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autofree tamga_wipe_report *r = tamga_job_wipe_finish(res, NULL);
    self->wiping = FALSE;
    /* The unlocked keys in memory go too (at once, or when a recording ends). */
    if (tamga_application_lock(self->app))
        tamga_application_set_identity(self->app, NULL);
    if (r == NULL || g_cancellable_is_cancelled(self->cancellable)) {
        g_object_unref(self);
        return;
    }
    g_info("wipe: identity destroyed %d, grants destroyed %zu, recordings remaining %zu, "
           "failures %zu, %.1f ms",
           r->identity_destroyed, r->grants_destroyed, r->recordings_remaining, r->failures,
           (double)r->elapsed_us / 1000.0);
    tamga_recordings_page_stop_playback(TAMGA_RECORDINGS_PAGE(self->recordings_page));
    g_autofree char *grants =
        g_strdup_printf(ngettext("%zu case-key grant", "%zu case-key grants", r->grants_destroyed),
                        r->grants_destroyed);
    g_autofree char *recs = g_strdup_printf(
        ngettext("%zu encrypted recording remains on this computer",
                 "%zu encrypted recordings remain on this computer", r->recordings_remaining),
        r->recordings_remaining);
    g_autofree char *msg = g_strdup_printf(
        _("Emergency wipe done in %.0f ms. Destroyed: %s%s. What remains: %s — it can no "
          "longer be decrypted here, but still verifies; other keyholders' copies are not "
          "affected. Public facts remain readable: titles, dates, durations and your public "
          "identity. Audio you exported earlier is not touched."),
        (double)r->elapsed_us / 1000.0,
        r->identity_destroyed ? _("this computer's secret identity key and ") : "", grants, recs);
    if (r->failures > 0) {
        g_autofree char *bad =
            g_strdup_printf(ngettext("%s\n%zu file could NOT be destroyed: %s",
                                     "%s\n%zu files could NOT be destroyed: %s", r->failures),
                            msg, r->failures, r->first_failure);
        notice(self, TRUE, bad);
    } else {
        notice(self, FALSE, msg);
    }
    update_lock_state(self);
    load_cases(self);
    update_actions(self);
    g_object_unref(self);
}

static void run_wipe(TamgaWindow *self)
{
    const char *home = tamga_application_get_home(self->app);
    if (home == NULL || self->wiping)
        return;
    self->wiping = TRUE;
    update_actions(self);
    g_info("wipe: started");
    tamga_job_wipe_async(home, self->cancellable, wipe_done, g_object_ref(self));
}

static void on_wipe_response(GtkDialog *dialog, int response, TamgaWindow *self)
{
    self->wipe_dialog = NULL;
    gtk_window_destroy(GTK_WINDOW(dialog));
    if (response == GTK_RESPONSE_ACCEPT)
        run_wipe(self);
}

/* wipe(''): asks, with a word to type. wipe(WORD), WORD being the translated
 * word the dialog asks for: wipes at once (a panic button for scripts). */
static void wipe_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    const char *word = g_variant_get_string(param, NULL);
    if (word[0] != '\0') {
        if (strcmp(word, tamga_wipe_dialog_word()) == 0) {
            if (self->wipe_dialog != NULL)
                gtk_dialog_response(GTK_DIALOG(self->wipe_dialog), GTK_RESPONSE_ACCEPT);
            else
                run_wipe(self);
        } else
            g_warning("wipe: the confirmation word is wrong; nothing destroyed");
        return;
    }
    if (self->wipe_dialog != NULL) {
        gtk_window_present(GTK_WINDOW(self->wipe_dialog));
        return;
    }
    TamgaWipeDialog *dialog = tamga_wipe_dialog_new(GTK_WINDOW(self));
    g_signal_connect(dialog, "response", G_CALLBACK(on_wipe_response), self);
    self->wipe_dialog = GTK_WIDGET(dialog);
    tamga_wipe_dialog_present(dialog);
    g_info("wipe: asking for confirmation");
}

/* ---- hand over (the page does the work) ---------------------------------------------- */

static void export_bundle_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    gtk_stack_set_visible_child_name(GTK_STACK(self->pages), "handover");
    tamga_handover_page_export(TAMGA_HANDOVER_PAGE(self->handover_page), param);
}

static void import_bundle_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    gtk_stack_set_visible_child_name(GTK_STACK(self->pages), "handover");
    tamga_handover_page_import(TAMGA_HANDOVER_PAGE(self->handover_page),
                               g_variant_get_string(param, NULL));
}

static void import_confirm_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_handover_page_import_confirm(TAMGA_HANDOVER_PAGE(self->handover_page));
}

static void on_bundle_imported(TamgaHandoverPage *page, const char *case_id, TamgaWindow *self)
{
    (void)page;
    tamga_window_reload_cases(self, case_id);
}

/* ---- pages and screenshots ---------------------------------------------------------- */

static void show_page_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    const char *page = g_variant_get_string(param, NULL);
    if (strcmp(page, "setup") == 0)
        gtk_stack_set_visible_child_name(GTK_STACK(self->main_stack), "setup");
    else if (gtk_stack_get_child_by_name(GTK_STACK(self->pages), page) != NULL)
        gtk_stack_set_visible_child_name(GTK_STACK(self->pages), page);
}

/* Hidden, for tests and documentation: renders the window into a PNG file. */
static void screenshot_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    const char *path = g_variant_get_string(param, NULL);
    /* An open dialog or preferences window is what the person sees: render
     * the most recently shown one that belongs to this window. */
    TamgaWindow *self = TAMGA_WINDOW(widget);
    if (self->wipe_dialog != NULL)
        widget = self->wipe_dialog;
    GListModel *tops = gtk_window_get_toplevels();
    for (guint i = 0; widget == GTK_WIDGET(self) && i < g_list_model_get_n_items(tops); i++) {
        g_autoptr(GtkWindow) w = g_list_model_get_item(tops, i);
        if (gtk_window_get_transient_for(w) == GTK_WINDOW(self) &&
            gtk_widget_get_visible(GTK_WIDGET(w)))
            widget = GTK_WIDGET(w);
    }
    tamga_screenshot_after_frame(widget, path);
}

/* ---- start-up: identity, recovery --------------------------------------------------- */

static void recovered(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autoptr(GError) err = NULL;
    g_autofree char *summary = tamga_job_recover_finish(res, &err);
    tamga_application_release_identity(self->app);
    RETURN_IF_CLOSED(err, self);
    if (summary == NULL) {
        notice(self, TRUE, err->message);
    } else {
        g_autofree char *msg = g_strdup_printf(
            _("Recordings interrupted earlier (by a crash, a power cut or a full disk) were "
              "recovered:\n%s"),
            summary);
        notice(self, FALSE, g_strchomp(msg));
        load_cases(self);
        tamga_recordings_page_reload(TAMGA_RECORDINGS_PAGE(self->recordings_page));
    }
    g_object_unref(self);
}

static void recover_unlocked(TamgaWindow *self)
{
    tamga_application_hold_identity(self->app);
    tamga_job_recover_async(tamga_application_get_home(self->app),
                            tamga_application_get_identity(self->app), self->cancellable, recovered,
                            g_object_ref(self));
}

static void recover_counted(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autoptr(GError) err = NULL;
    gssize n = tamga_job_recover_count_finish(res, &err);
    RETURN_IF_CLOSED(err, self);
    if (n > 0) {
        g_autofree char *msg = g_strdup_printf(
            ngettext("%zd recording was interrupted earlier. Enter your passphrase to seal and "
                     "sign what was saved of it:",
                     "%zd recordings were interrupted earlier. Enter your passphrase to seal and "
                     "sign what was saved of them:",
                     (unsigned long)n),
            n);
        g_info("unfinished recordings: %zd", n);
        need_unlocked(self, msg, recover_unlocked);
    }
    g_object_unref(self);
}

static void after_identity(TamgaWindow *self)
{
    update_lock_state(self);
    gtk_stack_set_visible_child_name(GTK_STACK(self->main_stack), "main");
    load_cases(self);
    tamga_record_page_start(TAMGA_RECORD_PAGE(self->record_page));
    tamga_job_recover_count_async(tamga_application_get_home(self->app), self->cancellable,
                                  recover_counted, g_object_ref(self));
}

static void identity_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autoptr(GError) err = NULL;
    tamga_identity *id = tamga_job_load_identity_finish(res, &err);
    RETURN_IF_CLOSED(err, self);
    if (err != NULL) {
        notice(self, TRUE, err->message);
        gtk_stack_set_visible_child_name(GTK_STACK(self->main_stack), "setup");
    } else if (id == NULL) {
        g_info("no identity: first run");
        gtk_stack_set_visible_child_name(GTK_STACK(self->main_stack), "setup");
        tamga_setup_page_start(TAMGA_SETUP_PAGE(self->setup_page));
    } else {
        g_info("identity loaded");
        tamga_application_set_identity(self->app, id);
        after_identity(self);
    }
    g_object_unref(self);
}

/* Any input counts as activity for the idle lock. */
static gboolean on_key(GtkEventControllerKey *c, guint keyval, guint keycode, GdkModifierType state,
                       TamgaWindow *self)
{
    (void)c;
    (void)keyval;
    (void)keycode;
    (void)state;
    tamga_application_touch(self->app);
    return FALSE;
}

static void on_motion(GtkEventControllerMotion *c, double x, double y, TamgaWindow *self)
{
    (void)c;
    (void)x;
    (void)y;
    tamga_application_touch(self->app);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void tamga_window_dispose(GObject *object)
{
    TamgaWindow *self = TAMGA_WINDOW(object);
    g_cancellable_cancel(self->cancellable);
    clear_pending(self);
    if (self->wipe_dialog != NULL) {
        GtkWidget *d = self->wipe_dialog;
        self->wipe_dialog = NULL;
        g_signal_handlers_disconnect_by_data(d, self);
        gtk_window_destroy(GTK_WINDOW(d));
    }
    if (self->app != NULL)
        g_signal_handlers_disconnect_by_data(self->app, self);
    if (self->record_page != NULL)
        g_signal_handlers_disconnect_by_data(self->record_page, self);
    if (self->recordings_page != NULL)
        g_signal_handlers_disconnect_by_data(self->recordings_page, self);
    /* The list emits row-selected while its rows are destroyed. */
    if (self->cases_list != NULL)
        g_signal_handlers_disconnect_by_data(self->cases_list, self);
    gtk_widget_dispose_template(GTK_WIDGET(self), TAMGA_TYPE_WINDOW);
    G_OBJECT_CLASS(tamga_window_parent_class)->dispose(object);
}

static void tamga_window_finalize(GObject *object)
{
    TamgaWindow *self = TAMGA_WINDOW(object);
    g_clear_object(&self->cancellable);
    g_free(self->case_id);
    g_free(self->case_title);
    g_clear_pointer(&self->cases, g_ptr_array_unref);
    G_OBJECT_CLASS(tamga_window_parent_class)->finalize(object);
}

static void tamga_window_class_init(TamgaWindowClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    GtkWindowClass *window_class = GTK_WINDOW_CLASS(klass);
    object_class->dispose = tamga_window_dispose;
    object_class->finalize = tamga_window_finalize;
    window_class->close_request = tamga_window_close_request;

    g_type_ensure(TAMGA_TYPE_HANDOVER_PAGE);
    g_type_ensure(TAMGA_TYPE_SETUP_PAGE);
    g_type_ensure(TAMGA_TYPE_RECORD_PAGE);
    g_type_ensure(TAMGA_TYPE_RECORDINGS_PAGE);
    g_type_ensure(TAMGA_TYPE_VERIFY_PAGE);
    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/org/tamga/Recorder/tamga-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child(widget_class, TamgaWindow, name)
    CHILD(lock_button);
    CHILD(lock_state_label);
    CHILD(unlock_revealer);
    CHILD(unlock_label);
    CHILD(unlock_entry);
    CHILD(unlock_spinner);
    CHILD(unlock_button);
    CHILD(unlock_cancel);
    CHILD(notice_revealer);
    CHILD(notice_label);
    CHILD(notice_close);
    CHILD(main_stack);
    CHILD(setup_page);
    CHILD(pages);
    CHILD(cases_list);
    CHILD(record_page);
    CHILD(recordings_page);
    CHILD(verify_page);
    CHILD(handover_page);
#undef CHILD

    gtk_widget_class_install_action(widget_class, "win.new-case", "s", new_case_action);
    gtk_widget_class_install_action(widget_class, "win.select-case", "s", select_case_action);
    gtk_widget_class_install_action(widget_class, "win.select-device", "s", select_device_action);
    gtk_widget_class_install_action(widget_class, "win.refresh-devices", NULL,
                                    refresh_devices_action);
    gtk_widget_class_install_action(widget_class, "win.show-page", "s", show_page_action);
    gtk_widget_class_install_action(widget_class, "win.record", NULL, record_action);
    gtk_widget_class_install_action(widget_class, "win.pause", NULL, pause_action);
    gtk_widget_class_install_action(widget_class, "win.marker", "s", marker_action);
    gtk_widget_class_install_action(widget_class, "win.stop", NULL, stop_action);
    gtk_widget_class_install_action(widget_class, "win.verify", "s", verify_action);
    gtk_widget_class_install_action(widget_class, "win.screenshot", "s", screenshot_action);
    gtk_widget_class_install_action(widget_class, "win.play", NULL, play_action);
    gtk_widget_class_install_action(widget_class, "win.seek", "d", seek_action);
    gtk_widget_class_install_action(widget_class, "win.export-audio", "s", export_action);
    gtk_widget_class_install_action(widget_class, "win.wipe", "s", wipe_action);
    gtk_widget_class_install_action(widget_class, "win.use-identity", "s", use_identity_action);
    gtk_widget_class_install_action(widget_class, "win.new-case-with", "a{sv}",
                                    new_case_with_action);
    gtk_widget_class_install_action(widget_class, "win.join-case", "s", join_case_action);
    gtk_widget_class_install_action(widget_class, "win.export-bundle", "a{sv}",
                                    export_bundle_action);
    gtk_widget_class_install_action(widget_class, "win.import-bundle", "s", import_bundle_action);
    gtk_widget_class_install_action(widget_class, "win.import-confirm", NULL,
                                    import_confirm_action);
}

static void tamga_window_init(TamgaWindow *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    self->cancellable = g_cancellable_new();

    g_signal_connect(self->notice_close, "clicked", G_CALLBACK(on_notice_close), self);
    g_signal_connect(self->unlock_button, "clicked", G_CALLBACK(on_unlock_clicked), self);
    g_signal_connect(self->unlock_entry, "activate", G_CALLBACK(on_unlock_clicked), self);
    g_signal_connect(self->unlock_cancel, "clicked", G_CALLBACK(on_unlock_cancel), self);
    g_signal_connect(self->cases_list, "row-selected", G_CALLBACK(on_case_selected), self);
    g_signal_connect(self->cases_list, "row-activated", G_CALLBACK(on_case_activated), self);

    GtkEventController *key = gtk_event_controller_key_new();
    gtk_event_controller_set_propagation_phase(key, GTK_PHASE_CAPTURE);
    g_signal_connect(key, "key-pressed", G_CALLBACK(on_key), self);
    gtk_widget_add_controller(GTK_WIDGET(self), key);
    GtkEventController *motion = gtk_event_controller_motion_new();
    g_signal_connect(motion, "motion", G_CALLBACK(on_motion), self);
    gtk_widget_add_controller(GTK_WIDGET(self), motion);

    update_actions(self);
}

TamgaWindow *tamga_window_new(TamgaApplication *app)
{
    TamgaWindow *self = g_object_new(TAMGA_TYPE_WINDOW, "application", app, NULL);
    self->app = app;
    tamga_handover_page_set_application(TAMGA_HANDOVER_PAGE(self->handover_page), app);
    tamga_setup_page_set_application(TAMGA_SETUP_PAGE(self->setup_page), app);
    tamga_verify_page_set_application(TAMGA_VERIFY_PAGE(self->verify_page), app);
    tamga_recordings_page_set_application(TAMGA_RECORDINGS_PAGE(self->recordings_page), app);
    g_signal_connect_swapped(self->recordings_page, "changed", G_CALLBACK(update_actions), self);
    tamga_record_page_set_application(TAMGA_RECORD_PAGE(self->record_page), app);
    g_signal_connect_swapped(self->record_page, "changed", G_CALLBACK(update_actions), self);
    g_signal_connect(self->record_page, "stopped", G_CALLBACK(on_recording_stopped), self);
    g_signal_connect(self->setup_page, "identity-ready", G_CALLBACK(on_identity_ready), self);
    g_signal_connect(self->handover_page, "imported", G_CALLBACK(on_bundle_imported), self);
    g_signal_connect(app, "notify::unlocked", G_CALLBACK(on_unlocked_changed), self);
    update_lock_state(self);
    g_info("text direction: %s",
           gtk_widget_get_direction(GTK_WIDGET(self)) == GTK_TEXT_DIR_RTL ? "rtl" : "ltr");
    const char *home = tamga_application_get_home(app);
    if (home == NULL) {
        notice(self, TRUE, _("Cannot find the data folder: set TAMGA_HOME or HOME."));
        return self;
    }
    if (tamga_application_get_identity(app) != NULL)
        after_identity(self);
    else
        tamga_job_load_identity_async(home, self->cancellable, identity_loaded, g_object_ref(self));
    return self;
}
