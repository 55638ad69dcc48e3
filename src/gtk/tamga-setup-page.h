/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaSetupPage: the first-run page. Creates this computer's identity (name,
 * passphrase twice, a strength hint), or adopts an existing one from its
 * secret key file (tamga_identity_import) after its passphrase opens it. Either
 * way the identity is handed to the application, unlocked, and "identity-ready"
 * is emitted. */
#ifndef TAMGA_SETUP_PAGE_H
#define TAMGA_SETUP_PAGE_H

#include <gtk/gtk.h>

#include "tamga-application.h"

G_BEGIN_DECLS

#define TAMGA_TYPE_SETUP_PAGE (tamga_setup_page_get_type())
G_DECLARE_FINAL_TYPE(TamgaSetupPage, tamga_setup_page, TAMGA, SETUP_PAGE, GtkBox)

void tamga_setup_page_set_application(TamgaSetupPage *self, TamgaApplication *app);
/* Shows the page's current state and puts the focus on the name. */
void tamga_setup_page_start(TamgaSetupPage *self);
/* Adopts the identity in secret key file `path` ("" opens a file chooser).
 * The passphrase comes from the page's entry, or from TAMGA_PASSPHRASE_FILE
 * when that is set (scripts and tests). */
void tamga_setup_page_use_identity(TamgaSetupPage *self, const char *path);

/* Signal "identity-ready": the application now holds this computer's identity. */

G_END_DECLS

#endif
