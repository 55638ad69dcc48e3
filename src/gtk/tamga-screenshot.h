/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hidden screenshots, for tests and documentation: a window (or dialog) is
 * rendered right after its next frame and saved as PNG in a worker thread. */
#ifndef TAMGA_SCREENSHOT_H
#define TAMGA_SCREENSHOT_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders `widget` (a GtkNative: a window or a dialog) after its next frame
 * into the PNG file `path` (written as path.part, then renamed). Logs
 * "screenshot saved: PATH" when written; a warning when it cannot be. Does
 * nothing when `path` is "" or the widget is not shown. A second call before
 * the frame replaces the path. */
void tamga_screenshot_after_frame(GtkWidget *widget, const char *path);

G_END_DECLS

#endif
