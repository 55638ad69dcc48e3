/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaWipeDialog: asks before the emergency wipe. Destroy Keys becomes
 * sensitive only once the person has typed the (translated) word WIPE; the
 * dialog answers with GTK_RESPONSE_ACCEPT or GTK_RESPONSE_CANCEL and does no
 * wiping itself: the window runs the wipe job (win.wipe). */
#ifndef TAMGA_WIPE_DIALOG_H
#define TAMGA_WIPE_DIALOG_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TAMGA_TYPE_WIPE_DIALOG (tamga_wipe_dialog_get_type())
G_DECLARE_FINAL_TYPE(TamgaWipeDialog, tamga_wipe_dialog, TAMGA, WIPE_DIALOG, GtkDialog)

/* A new modal dialog, transient for (and destroyed with) `parent`. */
TamgaWipeDialog *tamga_wipe_dialog_new(GtkWindow *parent);
/* Presents the dialog with the focus in its entry. */
void tamga_wipe_dialog_present(TamgaWipeDialog *self);
/* The word to type, translated (the msgid is "WIPE"). */
const char *tamga_wipe_dialog_word(void);

G_END_DECLS

#endif
