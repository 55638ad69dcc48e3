/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-cases-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tamga-gui-logic.h"
#include "tamga-gui-util.h"
#include "tamga-jobs.h"
#include "tamga-new-case-dialog.h"

struct _TamgaCasesPage {
    GtkBox parent_instance;

    /* template children */
    GtkWidget *cases_list;

    TamgaApplication *app;
    GCancellable *cancellable; /* cancelled when the page leaves its window */
    gboolean busy;             /* a case is being created or joined */

    char *case_id; /* the current case (or the one to select once listed) */
    char *case_title;
    gboolean case_keyholder;
    GPtrArray *cases; /* TamgaCaseInfo, as listed */
};

G_DEFINE_FINAL_TYPE(TamgaCasesPage, tamga_cases_page, GTK_TYPE_BOX)

enum { SIGNAL_CASE_CHANGED, SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void set_busy(TamgaCasesPage *self, gboolean busy)
{
    self->busy = busy;
    g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

gboolean tamga_cases_page_can_create(TamgaCasesPage *self)
{
    return !self->busy;
}

/* ---- the list ---------------------------------------------------------------------------- */

/* Whether `ref` names the case: its id, its title, or an id prefix of 4+ characters. */
static gboolean case_matches(const TamgaCaseInfo *info, const char *ref)
{
    return strcmp(info->id, ref) == 0 || strcmp(info->title, ref) == 0 ||
           (strlen(ref) >= 4 && g_str_has_prefix(info->id, ref));
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

static GtkWidget *case_row(const TamgaCaseInfo *info)
{
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
    gtk_accessible_update_property(GTK_ACCESSIBLE(row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    return row;
}

static void set_current_case(TamgaCasesPage *self, const char *id, const char *title,
                             gboolean keyholder)
{
    if (g_strcmp0(self->case_id, id) != 0) {
        g_free(self->case_id);
        self->case_id = g_strdup(id);
    }
    g_free(self->case_title);
    self->case_title = g_strdup(title);
    self->case_keyholder = keyholder;
    g_signal_emit(self, signals[SIGNAL_CASE_CHANGED], 0, id, title, keyholder);
}

static void on_case_selected(GtkListBox *box, GtkListBoxRow *row, TamgaCasesPage *self)
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

static void on_case_activated(GtkListBox *box, GtkListBoxRow *row, TamgaCasesPage *self)
{
    on_case_selected(box, row, self);
    gtk_widget_activate_action(GTK_WIDGET(self), "win.show-page", "s", "record");
}

static void cases_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaCasesPage *self = data;
    g_autoptr(GError) err = NULL;
    GPtrArray *cases = tamga_job_list_cases_finish(res, &err);
    TAMGA_RETURN_IF_CLOSED(err, self);
    if (cases == NULL) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
        g_object_unref(self);
        return;
    }
    g_clear_pointer(&self->cases, g_ptr_array_unref);
    self->cases = cases;
    tamga_gui_list_box_clear(GTK_LIST_BOX(self->cases_list));
    GtkListBoxRow *select = NULL;
    for (guint i = 0; i < cases->len; i++) {
        const TamgaCaseInfo *info = g_ptr_array_index(cases, i);
        GtkWidget *row = case_row(info);
        gtk_list_box_append(GTK_LIST_BOX(self->cases_list), row);
        if (self->case_id != NULL && case_matches(info, self->case_id))
            select = GTK_LIST_BOX_ROW(row);
    }
    if (cases->len == 0) {
        GtkWidget *empty = gtk_label_new(_("No cases yet. Create one below to start recording."));
        gtk_widget_add_css_class(empty, "dim-label");
        gtk_widget_set_margin_top(empty, 24);
        gtk_widget_set_margin_bottom(empty, 24);
        gtk_list_box_append(GTK_LIST_BOX(self->cases_list), empty);
        g_signal_emit(self, signals[SIGNAL_CASE_CHANGED], 0, self->case_id, NULL,
                      self->case_keyholder);
    } else if (select == NULL && self->case_id == NULL) {
        select = gtk_list_box_get_row_at_index(GTK_LIST_BOX(self->cases_list), 0);
    }
    if (select != NULL)
        gtk_list_box_select_row(GTK_LIST_BOX(self->cases_list), select);
    g_info("cases loaded: %u", cases->len);
    g_object_unref(self);
}

void tamga_cases_page_reload(TamgaCasesPage *self, const char *select_id)
{
    if (select_id != NULL) {
        g_free(self->case_id);
        self->case_id = g_strdup(select_id); /* selected when the list comes back */
    }
    const char *home = tamga_application_get_home(self->app);
    tamga_identity *id = tamga_application_get_identity(self->app);
    if (home == NULL)
        return;
    tamga_job_list_cases_async(home, id ? tamga_identity_get_public(id) : NULL, self->cancellable,
                               cases_loaded, g_object_ref(self));
}

void tamga_cases_page_select(TamgaCasesPage *self, const char *ref)
{
    for (guint i = 0; self->cases != NULL && i < self->cases->len; i++) {
        if (case_matches(g_ptr_array_index(self->cases, i), ref)) {
            gtk_list_box_select_row(
                GTK_LIST_BOX(self->cases_list),
                gtk_list_box_get_row_at_index(GTK_LIST_BOX(self->cases_list), (int)i));
            return;
        }
    }
    /* Not listed (yet): the library resolves the reference when it is used. */
    set_current_case(self, ref, ref, FALSE);
}

/* ---- creating and joining -------------------------------------------------------------- */

static void create_case_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaCasesPage *self = data;
    g_autoptr(GError) err = NULL;
    char *id = tamga_job_create_case_finish(res, &err);
    tamga_application_release_identity(self->app);
    self->busy = FALSE;
    TAMGA_RETURN_IF_CLOSED(err, self);
    if (id == NULL) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
    } else {
        g_info("case ready: %s", id); /* created or joined */
        tamga_cases_page_reload(self, id);
        g_free(id);
    }
    set_busy(self, FALSE);
    g_object_unref(self);
}

/* A case to create or join once the identity is unlocked. */
typedef struct {
    TamgaCasesPage *self;
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
    TamgaCasesPage *self = r->self;
    const char *home = tamga_application_get_home(self->app);
    const tamga_identity *id = tamga_application_get_identity(self->app);
    tamga_application_hold_identity(self->app);
    if (r->join_file != NULL)
        tamga_job_join_case_async(home, id, r->join_file, self->cancellable, create_case_done,
                                  g_object_ref(self));
    else
        tamga_job_create_case_async(home, id, r->title, (const char *const *)r->keyholders,
                                    r->record_only, self->cancellable, create_case_done,
                                    g_object_ref(self));
    set_busy(self, TRUE);
}

/* Asks for the identity, then creates or joins (`r` is taken). */
static void case_request_start(TamgaCasesPage *self, CaseRequest *r, const char *why)
{
    r->self = g_object_ref(self);
    TamgaWindow *win = tamga_gui_window_of(GTK_WIDGET(self));
    if (win == NULL) {
        case_request_free(r);
        return;
    }
    tamga_window_need_unlocked(win, why, case_request_unlocked, r, case_request_free);
}

void tamga_cases_page_create_case(TamgaCasesPage *self, const char *title,
                                  const char *const *keyholders, gboolean record_only)
{
    if (!tamga_gui_valid_title(title)) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE,
                         _("A case title is 1 to 128 bytes of text without control characters."));
        return;
    }
    if (record_only && (keyholders == NULL || keyholders[0] == NULL)) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE,
                         _("A record-only case needs at least one other keyholder, or nobody "
                           "could ever open its recordings."));
        return;
    }
    CaseRequest *r = g_new0(CaseRequest, 1);
    r->title = g_strdup(title);
    r->keyholders = g_strdupv((char **)keyholders);
    r->record_only = record_only;
    case_request_start(self, r, _("Enter your passphrase to sign the new case:"));
}

void tamga_cases_page_new_case(TamgaCasesPage *self, const char *title)
{
    if (title[0] != '\0') {
        tamga_cases_page_create_case(self, title, NULL, FALSE);
        return;
    }
    TamgaWindow *win = tamga_gui_window_of(GTK_WIDGET(self));
    if (win == NULL)
        return;
    GtkWidget *stack = gtk_widget_get_parent(GTK_WIDGET(self));
    if (GTK_IS_STACK(stack))
        gtk_stack_set_visible_child(GTK_STACK(stack), GTK_WIDGET(self));
    TamgaNewCaseDialog *d =
        tamga_new_case_dialog_new(win, tamga_application_get_home(self->app), "");
    gtk_window_present(GTK_WINDOW(d));
    g_info("new case dialog shown");
}

void tamga_cases_page_new_case_with(TamgaCasesPage *self, GVariant *options)
{
    const char *title = "";
    g_autofree const char **keyholders = NULL;
    gboolean record_only = FALSE;
    g_variant_lookup(options, "title", "&s", &title);
    g_variant_lookup(options, "keyholders", "^a&s", &keyholders);
    g_variant_lookup(options, "record-only", "b", &record_only);
    tamga_cases_page_create_case(self, title, keyholders, record_only);
}

static void join_file_chosen(gpointer owner, const char *path, gpointer data)
{
    (void)data;
    CaseRequest *r = g_new0(CaseRequest, 1);
    r->join_file = g_strdup(path);
    g_info("joining a case from %s", path);
    case_request_start(owner, r, _("Enter your passphrase to sign that this computer joins:"));
}

void tamga_cases_page_join(TamgaCasesPage *self, const char *path)
{
    if (path[0] != '\0') {
        join_file_chosen(self, path, NULL);
        return;
    }
    tamga_gui_choose_file(
        GTK_WIDGET(self),
        &(TamgaFileQuestion){.title = _("Join a Case: Choose the File from the Case's Office"),
                             .accept = _("_Join"),
                             .action = GTK_FILE_CHOOSER_ACTION_OPEN,
                             .modal = TRUE},
        join_file_chosen, NULL, NULL);
}

/* ---- GObject ------------------------------------------------------------------------- */

void tamga_cases_page_set_application(TamgaCasesPage *self, TamgaApplication *app)
{
    self->app = app;
}

static void tamga_cases_page_root(GtkWidget *widget)
{
    TamgaCasesPage *self = TAMGA_CASES_PAGE(widget);
    GTK_WIDGET_CLASS(tamga_cases_page_parent_class)->root(widget);
    tamga_gui_cancellable_renew(&self->cancellable);
}

static void tamga_cases_page_unroot(GtkWidget *widget)
{
    g_cancellable_cancel(TAMGA_CASES_PAGE(widget)->cancellable); /* the window is going away */
    GTK_WIDGET_CLASS(tamga_cases_page_parent_class)->unroot(widget);
}

static void tamga_cases_page_dispose(GObject *object)
{
    TamgaCasesPage *self = TAMGA_CASES_PAGE(object);
    g_cancellable_cancel(self->cancellable);
    /* The list emits row-selected while its rows are destroyed. */
    if (self->cases_list != NULL)
        g_signal_handlers_disconnect_by_data(self->cases_list, self);
    gtk_widget_dispose_template(GTK_WIDGET(self), TAMGA_TYPE_CASES_PAGE);
    G_OBJECT_CLASS(tamga_cases_page_parent_class)->dispose(object);
}

static void tamga_cases_page_finalize(GObject *object)
{
    TamgaCasesPage *self = TAMGA_CASES_PAGE(object);
    g_clear_object(&self->cancellable);
    g_free(self->case_id);
    g_free(self->case_title);
    g_clear_pointer(&self->cases, g_ptr_array_unref);
    G_OBJECT_CLASS(tamga_cases_page_parent_class)->finalize(object);
}

static void tamga_cases_page_class_init(TamgaCasesPageClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    object_class->dispose = tamga_cases_page_dispose;
    object_class->finalize = tamga_cases_page_finalize;
    widget_class->root = tamga_cases_page_root;
    widget_class->unroot = tamga_cases_page_unroot;

    signals[SIGNAL_CASE_CHANGED] =
        g_signal_new("case-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                     NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);
    signals[SIGNAL_CHANGED] = g_signal_new("changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/org/tamga/Recorder/tamga-cases-page.ui");
    gtk_widget_class_bind_template_child(widget_class, TamgaCasesPage, cases_list);
}

static void tamga_cases_page_init(TamgaCasesPage *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    self->cancellable = g_cancellable_new();
    g_signal_connect(self->cases_list, "row-selected", G_CALLBACK(on_case_selected), self);
    g_signal_connect(self->cases_list, "row-activated", G_CALLBACK(on_case_activated), self);
}
