/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-level-meter.h"

#include <glib/gi18n.h>

#include "tamga-gui-logic.h"

struct _TamgaLevelMeter {
    GtkWidget parent_instance;
    double peak;
    double rms;
    gboolean clipping;
};

G_DEFINE_FINAL_TYPE(TamgaLevelMeter, tamga_level_meter, GTK_TYPE_WIDGET)

#define CLIP_LIGHT 18.0 /* width of the clipping light, px */

static void tamga_level_meter_snapshot(GtkWidget *widget, GtkSnapshot *snapshot)
{
    TamgaLevelMeter *self = TAMGA_LEVEL_METER(widget);
    float w = (float)gtk_widget_get_width(widget);
    float h = (float)gtk_widget_get_height(widget);
    gboolean rtl = gtk_widget_get_direction(widget) == GTK_TEXT_DIR_RTL;
    float bar_w = w - (float)CLIP_LIGHT - 4.0f;
    if (bar_w < 10.0f)
        return;
    /* The bar starts at the leading edge: the left, or the right in RTL. */
    float bar_x = rtl ? (float)CLIP_LIGHT + 4.0f : 0.0f;
    float clip_x = rtl ? 0.0f : bar_w + 4.0f;

    GdkRGBA trough = {0.5f, 0.5f, 0.5f, 0.25f};
    gtk_snapshot_append_color(snapshot, &trough, &GRAPHENE_RECT_INIT(bar_x, 0, bar_w, h));

    /* RMS bar: green, amber above -12 dBFS, red above -3 dBFS. */
    double f = tamga_gui_meter_fraction(self->rms);
    double db = tamga_gui_linear_to_db(self->rms);
    GdkRGBA fill = {0.18f, 0.65f, 0.30f, 1.0f};
    if (db > -3.0)
        fill = (GdkRGBA){0.85f, 0.15f, 0.15f, 1.0f};
    else if (db > -12.0)
        fill = (GdkRGBA){0.90f, 0.65f, 0.10f, 1.0f};
    float fw = (float)(f * bar_w);
    if (fw > 0.0f)
        gtk_snapshot_append_color(snapshot, &fill,
                                  &GRAPHENE_RECT_INIT(rtl ? bar_x + bar_w - fw : bar_x, 0, fw, h));

    /* Peak mark: a thin dark line. */
    double pf = tamga_gui_meter_fraction(self->peak);
    if (pf > 0.0) {
        float px = (float)(pf * bar_w);
        px = px < 3.0f ? 3.0f : px;
        float x = rtl ? bar_x + bar_w - px : bar_x + px - 3.0f;
        GdkRGBA mark = {0.1f, 0.1f, 0.1f, 0.85f};
        gtk_snapshot_append_color(snapshot, &mark, &GRAPHENE_RECT_INIT(x, 0, 3.0f, h));
    }

    /* Ticks every 10 dB. */
    GdkRGBA tick = {0.0f, 0.0f, 0.0f, 0.3f};
    for (int d = -50; d < 0; d += 10) {
        float tx = (float)((d - TAMGA_METER_FLOOR_DB) / -TAMGA_METER_FLOOR_DB * bar_w);
        float x = rtl ? bar_x + bar_w - tx : bar_x + tx;
        gtk_snapshot_append_color(snapshot, &tick, &GRAPHENE_RECT_INIT(x, h - 5.0f, 1.0f, 5.0f));
    }

    GdkRGBA light =
        self->clipping ? (GdkRGBA){0.9f, 0.1f, 0.1f, 1.0f} : (GdkRGBA){0.5f, 0.5f, 0.5f, 0.3f};
    gtk_snapshot_append_color(snapshot, &light,
                              &GRAPHENE_RECT_INIT(clip_x, 0, (float)CLIP_LIGHT, h));
}

static void tamga_level_meter_measure(GtkWidget *widget, GtkOrientation orientation, int for_size,
                                      int *minimum, int *natural, int *minimum_baseline,
                                      int *natural_baseline)
{
    (void)widget;
    (void)for_size;
    if (orientation == GTK_ORIENTATION_HORIZONTAL) {
        *minimum = 120;
        *natural = 360;
    } else {
        *minimum = 16;
        *natural = 28;
    }
    *minimum_baseline = *natural_baseline = -1;
}

static void tamga_level_meter_class_init(TamgaLevelMeterClass *klass)
{
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    widget_class->snapshot = tamga_level_meter_snapshot;
    widget_class->measure = tamga_level_meter_measure;
    gtk_widget_class_set_css_name(widget_class, "levelmeter");
    gtk_widget_class_set_accessible_role(widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void tamga_level_meter_init(TamgaLevelMeter *self)
{
    gtk_accessible_update_property(GTK_ACCESSIBLE(self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                   _("Input level"), GTK_ACCESSIBLE_PROPERTY_VALUE_MIN,
                                   TAMGA_METER_FLOOR_DB, GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 0.0,
                                   GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, TAMGA_METER_FLOOR_DB, -1);
}

GtkWidget *tamga_level_meter_new(void)
{
    return g_object_new(TAMGA_TYPE_LEVEL_METER, NULL);
}

void tamga_level_meter_set_levels(TamgaLevelMeter *self, double peak, double rms, gboolean clipping)
{
    g_return_if_fail(TAMGA_IS_LEVEL_METER(self));
    if (peak == self->peak && rms == self->rms && clipping == self->clipping)
        return;
    self->peak = peak;
    self->rms = rms;
    self->clipping = clipping;
    char text[64];
    if (clipping)
        g_snprintf(text, sizeof text, _("%.0f dB, clipping"), tamga_gui_linear_to_db(peak));
    else
        g_snprintf(text, sizeof text, _("%.0f dB"), tamga_gui_linear_to_db(peak));
    gtk_accessible_update_property(GTK_ACCESSIBLE(self), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW,
                                   tamga_gui_linear_to_db(peak), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                   text, -1);
    gtk_widget_queue_draw(GTK_WIDGET(self));
}
