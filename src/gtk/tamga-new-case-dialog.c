/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-new-case-dialog.h"

#include <glib/gi18n.h>

#include "tamga-gui-logic.h"
#include "tamga-gui-util.h"
#include "tamga-jobs-trust.h"

struct _TamgaNewCaseDialog {
    GtkWindow parent_instance;

    GtkWidget *title_entry;
    GtkWidget *keyholders_list;
    GtkWidget *add_file_button;
    GtkWidget *record_only_check;
    GtkWidget *hint_label;
    GtkWidget *cancel_button;
    GtkWidget *create_button;

    TamgaWindow *parent; /* weak */
    GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE(TamgaNewCaseDialog, tamga_new_case_dialog, GTK_TYPE_WINDOW)

/* Each row's check button carries its reference (a roster name or a file) as "ref". */
static GPtrArray *chosen_refs(TamgaNewCaseDialog *self)
{
    GPtrArray *refs = g_ptr_array_new();
    for (GtkWidget *row = gtk_widget_get_first_child(self->keyholders_list); row != NULL;
         row = gtk_widget_get_next_sibling(row)) {
        GtkWidget *check = g_object_get_data(G_OBJECT(row), "check");
        if (check != NULL && gtk_check_button_get_active(GTK_CHECK_BUTTON(check)))
            g_ptr_array_add(refs, g_object_get_data(G_OBJECT(check), "ref"));
    }
    g_ptr_array_add(refs, NULL);
    return refs;
}

static void update(TamgaNewCaseDialog *self)
{
    g_autoptr(GPtrArray) refs = chosen_refs(self);
    gboolean others = refs->len > 1;
    gboolean record_only = gtk_check_button_get_active(GTK_CHECK_BUTTON(self->record_only_check));
    const char *title = gtk_editable_get_text(GTK_EDITABLE(self->title_entry));
    gtk_widget_set_sensitive(self->record_only_check, others);
    if (!others && record_only)
        gtk_check_button_set_active(GTK_CHECK_BUTTON(self->record_only_check), FALSE);
    const char *hint;
    if (title[0] != '\0' && !tamga_gui_valid_title(title))
        hint = _("A case title is 1 to 128 bytes of text without control characters.");
    else if (!others)
        hint = _("Only you will be able to open the recordings.");
    else if (record_only && others)
        hint = _("Only the chosen keyholders will be able to open the recordings — not this "
                 "computer.");
    else
        hint = _("You and the chosen keyholders will be able to open the recordings.");
    gtk_label_set_text(GTK_LABEL(self->hint_label), hint);
    gtk_widget_set_sensitive(self->create_button, tamga_gui_valid_title(title));
}

static void on_toggled(GtkCheckButton *b, TamgaNewCaseDialog *self)
{
    (void)b;
    update(self);
}

static void on_changed(GtkEditable *e, TamgaNewCaseDialog *self)
{
    (void)e;
    update(self);
}

static void add_row(TamgaNewCaseDialog *self, const char *label, const char *ref, gboolean active)
{
    GtkWidget *check = gtk_check_button_new_with_label(label);
    g_object_set_data_full(G_OBJECT(check), "ref", g_strdup(ref), g_free);
    gtk_check_button_set_active(GTK_CHECK_BUTTON(check), active);
    gtk_widget_set_margin_start(check, 6);
    gtk_widget_set_margin_top(check, 4);
    gtk_widget_set_margin_bottom(check, 4);
    g_signal_connect(check, "toggled", G_CALLBACK(on_toggled), self);
    gtk_list_box_append(GTK_LIST_BOX(self->keyholders_list), check);
    GtkWidget *row = gtk_widget_get_parent(check);
    g_object_set_data(G_OBJECT(row), "check", check);
}

static void roster_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaNewCaseDialog *self = data;
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) roster = tamga_job_trust_load_finish(res, &err);
    if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        g_object_unref(self);
        return;
    }
    if (roster == NULL) {
        gtk_label_set_text(GTK_LABEL(self->hint_label), err->message);
    } else {
        for (guint i = 0; i < roster->len; i++) {
            const TamgaTrustInfo *p = g_ptr_array_index(roster, i);
            g_autofree char *label = g_strdup_printf("%s (%s)", p->name, p->key_id);
            add_row(self, label, p->name, FALSE);
        }
        update(self);
    }
    g_object_unref(self);
}

static void file_chosen(gpointer owner, const char *path, gpointer data)
{
    (void)data;
    TamgaNewCaseDialog *self = owner;
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *label = g_strdup_printf(_("From the file %s"), base);
    add_row(self, label, path, TRUE);
    update(self);
}

static void on_add_file(GtkButton *b, TamgaNewCaseDialog *self)
{
    (void)b;
    tamga_gui_choose_file(GTK_WIDGET(self),
                          &(TamgaFileQuestion){.title = _("Choose a Public Identity File"),
                                               .accept = _("_Add"),
                                               .action = GTK_FILE_CHOOSER_ACTION_OPEN,
                                               .modal = TRUE},
                          file_chosen, NULL, NULL);
}

static void on_create(GtkWidget *w, TamgaNewCaseDialog *self)
{
    (void)w;
    if (!gtk_widget_get_sensitive(self->create_button) || self->parent == NULL)
        return;
    g_autoptr(GPtrArray) refs = chosen_refs(self);
    tamga_window_create_case(
        self->parent, gtk_editable_get_text(GTK_EDITABLE(self->title_entry)),
        (const char *const *)refs->pdata,
        gtk_check_button_get_active(GTK_CHECK_BUTTON(self->record_only_check)));
    gtk_window_destroy(GTK_WINDOW(self));
}

static void on_cancel(GtkButton *b, TamgaNewCaseDialog *self)
{
    (void)b;
    gtk_window_destroy(GTK_WINDOW(self));
}

static void tamga_new_case_dialog_dispose(GObject *object)
{
    TamgaNewCaseDialog *self = TAMGA_NEW_CASE_DIALOG(object);
    g_cancellable_cancel(self->cancellable);
    g_clear_weak_pointer(&self->parent);
    gtk_widget_dispose_template(GTK_WIDGET(self), TAMGA_TYPE_NEW_CASE_DIALOG);
    G_OBJECT_CLASS(tamga_new_case_dialog_parent_class)->dispose(object);
}

static void tamga_new_case_dialog_finalize(GObject *object)
{
    TamgaNewCaseDialog *self = TAMGA_NEW_CASE_DIALOG(object);
    g_clear_object(&self->cancellable);
    G_OBJECT_CLASS(tamga_new_case_dialog_parent_class)->finalize(object);
}

static void tamga_new_case_dialog_class_init(TamgaNewCaseDialogClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    object_class->dispose = tamga_new_case_dialog_dispose;
    object_class->finalize = tamga_new_case_dialog_finalize;
    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/org/tamga/Recorder/tamga-new-case-dialog.ui");
#define CHILD(name) gtk_widget_class_bind_template_child(widget_class, TamgaNewCaseDialog, name)
    CHILD(title_entry);
    CHILD(keyholders_list);
    CHILD(add_file_button);
    CHILD(record_only_check);
    CHILD(hint_label);
    CHILD(cancel_button);
    CHILD(create_button);
#undef CHILD
    gtk_widget_class_add_binding_action(widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void tamga_new_case_dialog_init(TamgaNewCaseDialog *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    self->cancellable = g_cancellable_new();
    GtkWidget *empty = gtk_label_new(_("No one in the trust roster yet: add partners in "
                                       "Preferences, or add a public identity file below."));
    gtk_label_set_wrap(GTK_LABEL(empty), TRUE);
    gtk_widget_set_margin_top(empty, 12);
    gtk_widget_set_margin_bottom(empty, 12);
    gtk_widget_add_css_class(empty, "dim-label");
    gtk_list_box_set_placeholder(GTK_LIST_BOX(self->keyholders_list), empty);
    g_signal_connect(self->title_entry, "changed", G_CALLBACK(on_changed), self);
    g_signal_connect(self->title_entry, "activate", G_CALLBACK(on_create), self);
    g_signal_connect(self->record_only_check, "toggled", G_CALLBACK(on_toggled), self);
    g_signal_connect(self->add_file_button, "clicked", G_CALLBACK(on_add_file), self);
    g_signal_connect(self->create_button, "clicked", G_CALLBACK(on_create), self);
    g_signal_connect(self->cancel_button, "clicked", G_CALLBACK(on_cancel), self);
}

TamgaNewCaseDialog *tamga_new_case_dialog_new(TamgaWindow *parent, const char *home,
                                              const char *title)
{
    TamgaNewCaseDialog *self =
        g_object_new(TAMGA_TYPE_NEW_CASE_DIALOG, "transient-for", parent, NULL);
    g_set_weak_pointer(&self->parent, parent);
    gtk_editable_set_text(GTK_EDITABLE(self->title_entry), title);
    update(self);
    if (home != NULL)
        tamga_job_trust_load_async(home, self->cancellable, roster_loaded, g_object_ref(self));
    return self;
}
