/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers shared by the window, its pages and its dialogs, so that each
 * of them says these things once: asking for a file, taking a dropped file,
 * renewing a page's cancellable, and reaching the window a widget is in (its
 * notices, its unlocking). Plain functions, for the UI thread. */
#ifndef TAMGA_GUI_UTIL_H
#define TAMGA_GUI_UTIL_H

#include <gtk/gtk.h>

#include "tamga-window.h"

G_BEGIN_DECLS

/* In a job's callback: the job was cancelled because its widget left the
 * window (or the window closed). Drops the reference the job held on `obj`
 * and returns, touching no widget. */
#define TAMGA_RETURN_IF_CLOSED(err, obj)                                                           \
    do {                                                                                           \
        if (g_error_matches((err), G_IO_ERROR, G_IO_ERROR_CANCELLED)) {                            \
            g_object_unref(obj);                                                                   \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Receives a local file's path for `owner`, the widget that asked. */
typedef void (*TamgaPathFunc)(gpointer owner, const char *path, gpointer data);

/* How to ask for a file (the dialog's cancel button is "_Cancel"). */
typedef struct {
    const char *title;
    const char *accept; /* the accept button's label, with its mnemonic */
    GtkFileChooserAction action;
    gboolean modal;
    const char *initial_name;   /* SAVE: the suggested file name; NULL: none */
    const char *const *filters; /* NULL, or name, glob pattern, name, glob pattern, …, NULL */
} TamgaFileQuestion;

/* Opens a native file chooser, transient for `owner` when it is a window,
 * else for the window it is in. `owner` is kept alive until the answer.
 * Once a local file is chosen, cb(owner, path, data) runs and owns `data`;
 * when nothing is, destroy(data) (destroy may be NULL). */
void tamga_gui_choose_file(GtkWidget *owner, const TamgaFileQuestion *q, TamgaPathFunc cb,
                           gpointer data, GDestroyNotify destroy);

/* Files dropped on `target`: the first, when it is a local file, goes to
 * cb(owner, path, NULL). `owner` must outlive `target` (usually it holds it). */
void tamga_gui_accept_drops(GtkWidget *target, TamgaPathFunc cb, gpointer owner);

/* For a widget's GtkWidget.root: a new `*cancellable` when there is none or
 * the old one was cancelled (the widget had left its window). */
void tamga_gui_cancellable_renew(GCancellable **cancellable);

/* The TamgaWindow `widget` is in, or NULL. */
TamgaWindow *tamga_gui_window_of(GtkWidget *widget);
/* tamga_window_notice in the window `widget` is in; only logged outside one. */
void tamga_gui_notice(GtkWidget *widget, gboolean error, const char *text);
/* tamga_window_need_unlocked in the window `widget` is in: fn(widget) runs
 * once the identity is unlocked, `widget` kept alive meanwhile. Returns FALSE
 * (and nothing happens) when `widget` is in no window. */
gboolean tamga_gui_need_unlocked(GtkWidget *widget, const char *why, TamgaUnlockedFunc fn);

/* Removes every row of `list`, keeping its placeholder (gtk_list_box_remove_all
 * is GTK 4.12; removing children one by one would remove the placeholder too). */
void tamga_gui_list_box_clear(GtkListBox *list);

G_END_DECLS

#endif
