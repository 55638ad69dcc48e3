/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaChecklist: a verification report as a list of green/red/amber rows,
 * a verdict line and a "Copy report" button (copies tamga_report_text). */
#ifndef TAMGA_CHECKLIST_H
#define TAMGA_CHECKLIST_H

#include <gtk/gtk.h>

#include "tamga/verify.h"

G_BEGIN_DECLS

#define TAMGA_TYPE_CHECKLIST (tamga_checklist_get_type())
G_DECLARE_FINAL_TYPE(TamgaChecklist, tamga_checklist, TAMGA, CHECKLIST, GtkBox)

GtkWidget *tamga_checklist_new(void);
/* Shows `report` (borrowed; the rows and text are copied). */
void tamga_checklist_set_report(TamgaChecklist *self, const tamga_report *report);
/* Empties the list and shows `message` instead (e.g. "Verifying…" or an error). */
void tamga_checklist_set_message(TamgaChecklist *self, const char *message);

G_END_DECLS

#endif
