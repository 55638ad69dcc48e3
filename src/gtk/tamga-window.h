/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaWindow: the main window — first run, Cases, Record, Recordings and
 * Verify pages. Its commands are win.* actions (new-case, select-case,
 * select-device, refresh-devices, show-page, record, pause, marker, stop,
 * verify, screenshot), reachable from outside through the app.* actions of
 * TamgaApplication. */
#ifndef TAMGA_WINDOW_H
#define TAMGA_WINDOW_H

#include <gtk/gtk.h>

#include "tamga-application.h"

G_BEGIN_DECLS

#define TAMGA_TYPE_WINDOW (tamga_window_get_type())
G_DECLARE_FINAL_TYPE(TamgaWindow, tamga_window, TAMGA, WINDOW, GtkApplicationWindow)

TamgaWindow *tamga_window_new(TamgaApplication *app);
/* TRUE while a recording is being made (or started, or sealed). */
gboolean tamga_window_is_recording(TamgaWindow *self);

G_END_DECLS

#endif
