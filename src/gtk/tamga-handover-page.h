/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaHandoverPage: the Hand Over page. "Send a case to a partner" exports a
 * bundle (tamga_bundle_export) to people chosen from the trust roster or to
 * pasted age1… recipients, or protected by a passphrase, with a progress bar
 * and Cancel; "Receive a bundle" runs a dry-run import, shows in plain words
 * what would be added, and imports only when the person presses Import. */
#ifndef TAMGA_HANDOVER_PAGE_H
#define TAMGA_HANDOVER_PAGE_H

#include <gtk/gtk.h>

#include "tamga-application.h"

G_BEGIN_DECLS

#define TAMGA_TYPE_HANDOVER_PAGE (tamga_handover_page_get_type())
G_DECLARE_FINAL_TYPE(TamgaHandoverPage, tamga_handover_page, TAMGA, HANDOVER_PAGE, GtkBox)

/* The application must be set before use (the window does it right after init). */
void tamga_handover_page_set_application(TamgaHandoverPage *self, TamgaApplication *app);
/* The case the Export part works on (NULL: none chosen). keyholder: this
 * machine can decrypt (plain audio and key grants need it). */
void tamga_handover_page_set_case(TamgaHandoverPage *self, const char *case_id, const char *title,
                                  gboolean keyholder);
/* Export. `options` is an a{sv} dictionary (may be NULL or empty: the
 * interactive flow with what the page shows; a save dialog asks where). Keys:
 * "output" (s, the .age path — never overwritten), "to" (as: age1… strings or
 * roster names), "recordings" (as: ids or unique prefixes; absent = all),
 * "plain-audio" (b), "grant" (b: seal the case key to the roster recipients
 * chosen in "to"), "passphrase-file" (s: protect with the passphrase in this
 * file instead of recipients). With "output" given, no dialog is shown (for
 * scripts and tests). Logs "bundle exported: PATH sha256 HEX". */
void tamga_handover_page_export(TamgaHandoverPage *self, GVariant *options);
/* Import: "" (or NULL) opens a file chooser; a path runs a dry run and shows
 * its summary with Import / Cancel buttons (logs "import summary: case ID new
 * N recordings N added N"). Bundles protected by a passphrase: the page asks
 * for it (or reads the file named by env TAMGA_BUNDLE_PASSPHRASE_FILE). */
void tamga_handover_page_import(TamgaHandoverPage *self, const char *path);
/* Imports the bundle whose summary is shown (same as clicking Import). Logs
 * "bundle imported: case ID, N recordings added" and emits "imported". */
void tamga_handover_page_import_confirm(TamgaHandoverPage *self);

/* Signal "imported" (const char *case_id): a bundle was stored; the window
 * reloads its cases. */

G_END_DECLS

#endif
