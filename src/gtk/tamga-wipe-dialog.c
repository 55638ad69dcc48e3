/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-wipe-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

struct _TamgaWipeDialog {
    GtkDialog parent_instance;

    GtkWidget *entry;
    GtkWidget *destroy_button;
};

G_DEFINE_FINAL_TYPE(TamgaWipeDialog, tamga_wipe_dialog, GTK_TYPE_DIALOG)

const char *tamga_wipe_dialog_word(void)
{
    return _("WIPE");
}

static void on_entry_changed(GtkEditable *e, TamgaWipeDialog *self)
{
    g_autofree char *t = g_strstrip(g_strdup(gtk_editable_get_text(e)));
    gtk_widget_set_sensitive(self->destroy_button, strcmp(t, tamga_wipe_dialog_word()) == 0);
}

/* Built once GtkDialog is constructed (its header bar or action area chosen),
 * as gtk_dialog_new() then gtk_dialog_add_button() would. */
static void tamga_wipe_dialog_constructed(GObject *object)
{
    TamgaWipeDialog *self = TAMGA_WIPE_DIALOG(object);
    G_OBJECT_CLASS(tamga_wipe_dialog_parent_class)->constructed(object);
    GtkWindow *window = GTK_WINDOW(self);
    gtk_window_set_title(window, _("Emergency Wipe"));
    gtk_window_set_modal(window, TRUE);
    gtk_window_set_destroy_with_parent(window, TRUE);
    gtk_window_set_default_size(window, 520, -1);
    GtkWidget *area = gtk_dialog_get_content_area(GTK_DIALOG(self));
    GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12);
    gtk_widget_set_margin_start(box, 18);
    gtk_widget_set_margin_end(box, 18);
    gtk_widget_set_margin_top(box, 18);
    gtk_widget_set_margin_bottom(box, 12);
    GtkWidget *head = gtk_label_new(_("Destroy this computer's secret keys?"));
    gtk_widget_add_css_class(head, "title-3");
    gtk_label_set_wrap(GTK_LABEL(head), TRUE);
    gtk_label_set_xalign(GTK_LABEL(head), 0.0f);
    GtkWidget *body = gtk_label_new(
        _("This destroys, in under a second, your secret identity key and every case-key "
          "grant on this computer. Afterwards the recordings here can no longer be decrypted "
          "on this computer — by you or by anyone who takes it. They stay on disk, encrypted, "
          "and still verify; keyholders who already received them are not affected. You will "
          "need a new identity to sign again. This cannot be undone."));
    gtk_label_set_wrap(GTK_LABEL(body), TRUE);
    gtk_label_set_max_width_chars(GTK_LABEL(body), 60);
    gtk_label_set_xalign(GTK_LABEL(body), 0.0f);
    g_autofree char *ask = g_strdup_printf(_("To confirm, type %s:"), tamga_wipe_dialog_word());
    GtkWidget *asklabel = gtk_label_new(ask);
    gtk_label_set_xalign(GTK_LABEL(asklabel), 0.0f);
    self->entry = gtk_entry_new();
    gtk_accessible_update_relation(GTK_ACCESSIBLE(self->entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                   asklabel, NULL, -1);
    gtk_box_append(GTK_BOX(box), head);
    gtk_box_append(GTK_BOX(box), body);
    gtk_box_append(GTK_BOX(box), asklabel);
    gtk_box_append(GTK_BOX(box), self->entry);
    gtk_box_append(GTK_BOX(area), box);
    gtk_dialog_add_button(GTK_DIALOG(self), _("_Cancel"), GTK_RESPONSE_CANCEL);
    self->destroy_button =
        gtk_dialog_add_button(GTK_DIALOG(self), _("_Destroy Keys"), GTK_RESPONSE_ACCEPT);
    gtk_widget_add_css_class(self->destroy_button, "destructive-action");
    gtk_widget_set_sensitive(self->destroy_button, FALSE);
    gtk_dialog_set_default_response(GTK_DIALOG(self), GTK_RESPONSE_CANCEL);
    g_signal_connect(self->entry, "changed", G_CALLBACK(on_entry_changed), self);
}

static void tamga_wipe_dialog_class_init(TamgaWipeDialogClass *klass)
{
    G_OBJECT_CLASS(klass)->constructed = tamga_wipe_dialog_constructed;
}

static void tamga_wipe_dialog_init(TamgaWipeDialog *self)
{
    (void)self;
}

TamgaWipeDialog *tamga_wipe_dialog_new(GtkWindow *parent)
{
    TamgaWipeDialog *self = g_object_new(TAMGA_TYPE_WIPE_DIALOG, NULL);
    gtk_window_set_transient_for(GTK_WINDOW(self), parent);
    return self;
}

void tamga_wipe_dialog_present(TamgaWipeDialog *self)
{
    gtk_window_present(GTK_WINDOW(self));
    gtk_widget_grab_focus(self->entry);
}
