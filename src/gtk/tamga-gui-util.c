/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-gui-util.h"

#include <glib/gi18n.h>

/* ---- asking for a file ------------------------------------------------------------------ */

typedef struct {
    GtkWidget *owner; /* a reference */
    TamgaPathFunc cb;
    gpointer data;
    GDestroyNotify destroy;
} FileAnswer;

static void on_file_answer(GtkNativeDialog *dialog, int response, gpointer user_data)
{
    FileAnswer *a = user_data;
    g_autofree char *path = NULL;
    if (response == GTK_RESPONSE_ACCEPT) {
        g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
        path = file != NULL ? g_file_get_path(file) : NULL;
    }
    if (path != NULL)
        a->cb(a->owner, path, a->data);
    else if (a->destroy != NULL)
        a->destroy(a->data);
    gtk_native_dialog_destroy(dialog);
    g_object_unref(dialog);
    g_object_unref(a->owner);
    g_free(a);
}

void tamga_gui_choose_file(GtkWidget *owner, const TamgaFileQuestion *q, TamgaPathFunc cb,
                           gpointer data, GDestroyNotify destroy)
{
    GtkRoot *root = GTK_IS_WINDOW(owner) ? GTK_ROOT(owner) : gtk_widget_get_root(owner);
    GtkFileChooserNative *dialog =
        gtk_file_chooser_native_new(q->title, GTK_IS_WINDOW(root) ? GTK_WINDOW(root) : NULL,
                                    q->action, q->accept, _("_Cancel"));
    if (q->modal)
        gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(dialog), TRUE);
    if (q->initial_name != NULL)
        gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(dialog), q->initial_name);
    for (size_t i = 0; q->filters != NULL && q->filters[i] != NULL; i += 2) {
        GtkFileFilter *filter = gtk_file_filter_new();
        gtk_file_filter_set_name(filter, q->filters[i]);
        gtk_file_filter_add_pattern(filter, q->filters[i + 1]);
        gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(dialog), filter);
        g_object_unref(filter);
    }
    FileAnswer *a = g_new0(FileAnswer, 1);
    a->owner = g_object_ref(owner);
    a->cb = cb;
    a->data = data;
    a->destroy = destroy;
    g_signal_connect(dialog, "response", G_CALLBACK(on_file_answer), a);
    gtk_native_dialog_show(GTK_NATIVE_DIALOG(dialog));
}

/* ---- dropped files ------------------------------------------------------------------------ */

typedef struct {
    TamgaPathFunc cb;
    gpointer owner;
} DropTo;

static gboolean on_drop(GtkDropTarget *target, const GValue *value, double x, double y,
                        gpointer user_data)
{
    (void)target;
    (void)x;
    (void)y;
    DropTo *to = user_data;
    if (!G_VALUE_HOLDS(value, GDK_TYPE_FILE_LIST))
        return FALSE;
    GSList *files = g_value_get_boxed(value);
    if (files == NULL)
        return FALSE;
    g_autofree char *path = g_file_get_path(files->data);
    if (path == NULL)
        return FALSE;
    to->cb(to->owner, path, NULL);
    return TRUE;
}

static void drop_to_free(gpointer data, GClosure *closure)
{
    (void)closure;
    g_free(data);
}

void tamga_gui_accept_drops(GtkWidget *target, TamgaPathFunc cb, gpointer owner)
{
    DropTo *to = g_new0(DropTo, 1);
    to->cb = cb;
    to->owner = owner;
    GtkDropTarget *drop = gtk_drop_target_new(GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
    g_signal_connect_data(drop, "drop", G_CALLBACK(on_drop), to, drop_to_free, 0);
    gtk_widget_add_controller(target, GTK_EVENT_CONTROLLER(drop));
}

/* ---- life in a window ----------------------------------------------------------------------- */

void tamga_gui_cancellable_renew(GCancellable **cancellable)
{
    if (*cancellable == NULL || g_cancellable_is_cancelled(*cancellable)) {
        g_clear_object(cancellable);
        *cancellable = g_cancellable_new();
    }
}

TamgaWindow *tamga_gui_window_of(GtkWidget *widget)
{
    GtkRoot *root = gtk_widget_get_root(widget);
    return root != NULL && TAMGA_IS_WINDOW(root) ? TAMGA_WINDOW(root) : NULL;
}

void tamga_gui_notice(GtkWidget *widget, gboolean error, const char *text)
{
    TamgaWindow *win = tamga_gui_window_of(widget);
    if (win != NULL)
        tamga_window_notice(win, error, text);
    else
        g_info("%s: %s", error ? "error" : "notice", text);
}

gboolean tamga_gui_need_unlocked(GtkWidget *widget, const char *why, TamgaUnlockedFunc fn)
{
    TamgaWindow *win = tamga_gui_window_of(widget);
    if (win == NULL)
        return FALSE;
    tamga_window_need_unlocked(win, why, fn, g_object_ref(widget), g_object_unref);
    return TRUE;
}

void tamga_gui_list_box_clear(GtkListBox *list)
{
    GtkListBoxRow *row;
    while ((row = gtk_list_box_get_row_at_index(list, 0)) != NULL)
        gtk_list_box_remove(list, GTK_WIDGET(row));
}
