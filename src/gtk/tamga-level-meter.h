/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaLevelMeter: a horizontal meter of the input level in dBFS (-60..0):
 * the RMS as a solid bar, the peak as a thin mark, and a clipping light. */
#ifndef TAMGA_LEVEL_METER_H
#define TAMGA_LEVEL_METER_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TAMGA_TYPE_LEVEL_METER (tamga_level_meter_get_type())
G_DECLARE_FINAL_TYPE(TamgaLevelMeter, tamga_level_meter, TAMGA, LEVEL_METER, GtkWidget)

GtkWidget *tamga_level_meter_new(void);
/* Linear levels 0..1 (as tamga_recorder_status gives them). */
void tamga_level_meter_set_levels(TamgaLevelMeter *self, double peak, double rms,
                                  gboolean clipping);

G_END_DECLS

#endif
