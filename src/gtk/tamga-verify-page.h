/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaVerifyPage: the Verify page. A case folder, a recording (.tamga), a
 * manifest or a bundle (.age, decrypted with this computer's identity) —
 * opened with a file chooser or dropped on the page — is verified in a worker
 * and its report shown as a checklist. Nothing is changed. */
#ifndef TAMGA_VERIFY_PAGE_H
#define TAMGA_VERIFY_PAGE_H

#include <gtk/gtk.h>

#include "tamga-application.h"

G_BEGIN_DECLS

#define TAMGA_TYPE_VERIFY_PAGE (tamga_verify_page_get_type())
G_DECLARE_FINAL_TYPE(TamgaVerifyPage, tamga_verify_page, TAMGA, VERIFY_PAGE, GtkBox)

/* The application must be set before use (the window does it right after init). */
void tamga_verify_page_set_application(TamgaVerifyPage *self, TamgaApplication *app);
/* Shows the page and verifies `path` (a bundle after unlocking). Logs
 * "verify: VERIFIED", "verify: FAILED" or "verify: error: MESSAGE". */
void tamga_verify_page_verify(TamgaVerifyPage *self, const char *path);
/* Opens a file chooser for a case folder (folder) or a file, then verifies. */
void tamga_verify_page_choose(TamgaVerifyPage *self, gboolean folder);

/* Verifies `path` (no secret needed) into `checklist` (a TamgaChecklist),
 * showing "Verifying…" meanwhile; logs as tamga_verify_page_verify. A
 * cancelled `cancellable` leaves the checklist as it is. */
void tamga_verify_into_checklist(GtkWidget *checklist, const char *path, GCancellable *cancellable);

G_END_DECLS

#endif
