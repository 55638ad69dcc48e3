/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-handover-page.h"

#include <glib/gi18n.h>

struct _TamgaHandoverPage {
    GtkBox parent_instance;
    TamgaApplication *app;
    char *case_id;
    char *case_title;
    gboolean keyholder;
};

G_DEFINE_FINAL_TYPE(TamgaHandoverPage, tamga_handover_page, GTK_TYPE_BOX)

enum { SIGNAL_IMPORTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void tamga_handover_page_finalize(GObject *object)
{
    TamgaHandoverPage *self = TAMGA_HANDOVER_PAGE(object);
    g_free(self->case_id);
    g_free(self->case_title);
    G_OBJECT_CLASS(tamga_handover_page_parent_class)->finalize(object);
}

static void tamga_handover_page_class_init(TamgaHandoverPageClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = tamga_handover_page_finalize;
    signals[SIGNAL_IMPORTED] = g_signal_new("imported", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void tamga_handover_page_init(TamgaHandoverPage *self)
{
    gtk_orientable_set_orientation(GTK_ORIENTABLE(self), GTK_ORIENTATION_VERTICAL);
    gtk_widget_add_css_class(GTK_WIDGET(self), "page");
    gtk_box_append(GTK_BOX(self), gtk_label_new(_("Hand Over")));
}

void tamga_handover_page_set_application(TamgaHandoverPage *self, TamgaApplication *app)
{
    self->app = app;
}

void tamga_handover_page_set_case(TamgaHandoverPage *self, const char *case_id, const char *title,
                                  gboolean keyholder)
{
    g_free(self->case_id);
    g_free(self->case_title);
    self->case_id = g_strdup(case_id);
    self->case_title = g_strdup(title);
    self->keyholder = keyholder;
}

void tamga_handover_page_export(TamgaHandoverPage *self, GVariant *options)
{
    (void)self;
    (void)options;
}

void tamga_handover_page_import(TamgaHandoverPage *self, const char *path)
{
    (void)self;
    (void)path;
}

void tamga_handover_page_import_confirm(TamgaHandoverPage *self)
{
    (void)self;
}
