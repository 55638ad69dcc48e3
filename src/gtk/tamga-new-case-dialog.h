/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaNewCaseDialog: a case's title, its keyholders (people of the trust
 * roster, or public identity files) and whether this computer only records.
 * Create hands these to tamga_window_create_case (the Cases page creates
 * the case) and closes. */
#ifndef TAMGA_NEW_CASE_DIALOG_H
#define TAMGA_NEW_CASE_DIALOG_H

#include <gtk/gtk.h>

#include "tamga-window.h"

G_BEGIN_DECLS

#define TAMGA_TYPE_NEW_CASE_DIALOG (tamga_new_case_dialog_get_type())
G_DECLARE_FINAL_TYPE(TamgaNewCaseDialog, tamga_new_case_dialog, TAMGA, NEW_CASE_DIALOG, GtkWindow)

/* A new dialog, transient for `parent`, its title entry holding `title`. */
TamgaNewCaseDialog *tamga_new_case_dialog_new(TamgaWindow *parent, const char *home,
                                              const char *title);

G_END_DECLS

#endif
