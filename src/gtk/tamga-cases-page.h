/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaCasesPage: the Cases page. The cases of this computer (title; number
 * of recordings, total length and whether this computer can listen), the
 * selected one being the window's current case; New Case… (the New Case
 * dialog) and Join a Case… (a field-laptop file); creating and joining run in
 * workers after the identity is unlocked. Emits "case-changed" (const char
 * *id, const char *title, gboolean keyholder) when the current case changes —
 * title NULL when the list turned out empty — and "changed" when whether a
 * case can be created changes. */
#ifndef TAMGA_CASES_PAGE_H
#define TAMGA_CASES_PAGE_H

#include <gtk/gtk.h>

#include "tamga-application.h"

G_BEGIN_DECLS

#define TAMGA_TYPE_CASES_PAGE (tamga_cases_page_get_type())
G_DECLARE_FINAL_TYPE(TamgaCasesPage, tamga_cases_page, TAMGA, CASES_PAGE, GtkBox)

/* The application must be set before use (the window does it right after init). */
void tamga_cases_page_set_application(TamgaCasesPage *self, TamgaApplication *app);
/* Reads the cases again (logs "cases loaded: N"); `select_id` (may be NULL)
 * becomes the current case once they are listed. */
void tamga_cases_page_reload(TamgaCasesPage *self, const char *select_id);
/* Makes the case `ref` (an id, a unique id prefix of 4+ characters, or a
 * title) current; one not listed (yet) is passed on as it is. */
void tamga_cases_page_select(TamgaCasesPage *self, const char *ref);
/* FALSE while a case is being created or joined. */
gboolean tamga_cases_page_can_create(TamgaCasesPage *self);

/* "" shows the New Case dialog (logs "new case dialog shown"); a title
 * creates that case with this computer as its keyholder. */
void tamga_cases_page_new_case(TamgaCasesPage *self, const char *title);
/* {'title': <s>, 'keyholders': <as>, 'record-only': <b>}: creates a case. */
void tamga_cases_page_new_case_with(TamgaCasesPage *self, GVariant *options);
/* Creates a case (after unlocking) with further keyholders (NULL-terminated
 * roster names or public identity files; may be NULL) and, with record_only,
 * without a key grant for this computer; then selects it (logs "case ready:
 * ID"). Errors: a notice. */
void tamga_cases_page_create_case(TamgaCasesPage *self, const char *title,
                                  const char *const *keyholders, gboolean record_only);
/* Joins the case of a field-laptop file (tamga case export-recorder) after
 * unlocking (logs "joining a case from PATH", then "case ready: ID"); ""
 * opens a file chooser. */
void tamga_cases_page_join(TamgaCasesPage *self, const char *path);

G_END_DECLS

#endif
