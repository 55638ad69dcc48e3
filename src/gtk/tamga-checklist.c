/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-checklist.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "tamga-gui-util.h"

struct _TamgaChecklist {
    GtkBox parent_instance;
    GtkWidget *verdict;
    GtkWidget *list;
    GtkWidget *copy;
    GtkWidget *scroll;
    char *text;
    GtkSizeGroup *subjects; /* the check names form one column */
};

G_DEFINE_FINAL_TYPE(TamgaChecklist, tamga_checklist, GTK_TYPE_BOX)

static void clear_rows(TamgaChecklist *self)
{
    tamga_gui_list_box_clear(GTK_LIST_BOX(self->list));
}

static void on_copy(GtkButton *button, TamgaChecklist *self)
{
    (void)button;
    if (self->text != NULL)
        gdk_clipboard_set_text(gtk_widget_get_clipboard(GTK_WIDGET(self)), self->text);
}

static void tamga_checklist_dispose(GObject *object)
{
    TamgaChecklist *self = TAMGA_CHECKLIST(object);
    g_clear_pointer(&self->text, g_free);
    g_clear_object(&self->subjects);
    G_OBJECT_CLASS(tamga_checklist_parent_class)->dispose(object);
}

static void tamga_checklist_class_init(TamgaChecklistClass *klass)
{
    G_OBJECT_CLASS(klass)->dispose = tamga_checklist_dispose;
    gtk_widget_class_set_css_name(GTK_WIDGET_CLASS(klass), "checklist");
}

static void tamga_checklist_init(TamgaChecklist *self)
{
    gtk_orientable_set_orientation(GTK_ORIENTABLE(self), GTK_ORIENTATION_VERTICAL);
    gtk_box_set_spacing(GTK_BOX(self), 6);
    self->subjects = gtk_size_group_new(GTK_SIZE_GROUP_HORIZONTAL);

    self->verdict = gtk_label_new(NULL);
    gtk_label_set_xalign(GTK_LABEL(self->verdict), 0.0f);
    gtk_label_set_wrap(GTK_LABEL(self->verdict), TRUE);
    gtk_widget_add_css_class(self->verdict, "title-4");
    gtk_box_append(GTK_BOX(self), self->verdict);

    GtkWidget *scroll = self->scroll = gtk_scrolled_window_new();
    gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(scroll), GTK_POLICY_NEVER,
                                   GTK_POLICY_AUTOMATIC);
    gtk_widget_set_vexpand(scroll, TRUE);
    self->list = gtk_list_box_new();
    gtk_list_box_set_selection_mode(GTK_LIST_BOX(self->list), GTK_SELECTION_NONE);
    gtk_widget_add_css_class(self->list, "boxed-list");
    gtk_accessible_update_property(GTK_ACCESSIBLE(self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                   _("Checks"), -1);
    gtk_scrolled_window_set_child(GTK_SCROLLED_WINDOW(scroll), self->list);
    gtk_box_append(GTK_BOX(self), scroll);

    self->copy = gtk_button_new_with_mnemonic(_("_Copy report"));
    gtk_widget_set_halign(self->copy, GTK_ALIGN_END);
    gtk_widget_set_tooltip_text(self->copy, _("Copy the report, as the command line prints it"));
    gtk_widget_set_sensitive(self->copy, FALSE);
    g_signal_connect(self->copy, "clicked", G_CALLBACK(on_copy), self);
    gtk_box_append(GTK_BOX(self), self->copy);
}

GtkWidget *tamga_checklist_new(void)
{
    return g_object_new(TAMGA_TYPE_CHECKLIST, NULL);
}

void tamga_checklist_set_message(TamgaChecklist *self, const char *message)
{
    clear_rows(self);
    g_clear_pointer(&self->text, g_free);
    gtk_label_set_text(GTK_LABEL(self->verdict), message);
    gtk_widget_remove_css_class(self->verdict, "success");
    gtk_widget_remove_css_class(self->verdict, "error");
    gtk_widget_set_sensitive(self->copy, FALSE);
    gtk_widget_set_visible(self->scroll, FALSE);
    gtk_widget_set_visible(self->copy, FALSE);
}

static GtkWidget *check_row(TamgaChecklist *self, const tamga_check *ch)
{
    const char *icon = "emblem-ok-symbolic";
    const char *css = "success";
    const char *state = _("passed");
    switch (ch->result) {
    case TAMGA_CHECK_PASS:
        break;
    case TAMGA_CHECK_FAIL:
        icon = "dialog-error-symbolic", css = "error", state = _("FAILED");
        break;
    case TAMGA_CHECK_WARN:
        icon = "dialog-warning-symbolic", css = "warning", state = _("warning");
        break;
    case TAMGA_CHECK_INFO:
        icon = "dialog-information-symbolic", css = "dim-label", state = _("note");
        break;
    }
    GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 10);
    gtk_widget_set_margin_start(box, 8);
    gtk_widget_set_margin_end(box, 8);
    gtk_widget_set_margin_top(box, 4);
    gtk_widget_set_margin_bottom(box, 4);
    GtkWidget *img = gtk_image_new_from_icon_name(icon);
    gtk_widget_add_css_class(img, css);
    gtk_box_append(GTK_BOX(box), img);
    GtkWidget *subject = gtk_label_new(ch->subject ? ch->subject : "");
    gtk_label_set_xalign(GTK_LABEL(subject), 0.0f);
    gtk_widget_add_css_class(subject, "heading");
    /* Never squeezed below its own length (up to 28 characters) by a long message. */
    gtk_label_set_ellipsize(GTK_LABEL(subject), PANGO_ELLIPSIZE_MIDDLE);
    gtk_label_set_max_width_chars(GTK_LABEL(subject), 28);
    gtk_label_set_width_chars(GTK_LABEL(subject),
                              (int)MIN(g_utf8_strlen(ch->subject ? ch->subject : "", -1), 28));
    gtk_size_group_add_widget(self->subjects, subject);
    gtk_box_append(GTK_BOX(box), subject);
    GtkWidget *msg = gtk_label_new(ch->message ? ch->message : "");
    gtk_label_set_xalign(GTK_LABEL(msg), 0.0f);
    gtk_label_set_wrap(GTK_LABEL(msg), TRUE);
    gtk_widget_set_hexpand(msg, TRUE);
    gtk_box_append(GTK_BOX(box), msg);
    GtkWidget *row = gtk_list_box_row_new();
    gtk_list_box_row_set_child(GTK_LIST_BOX_ROW(row), box);
    gtk_widget_add_css_class(row, ch->result == TAMGA_CHECK_FAIL ? "check-fail" : "check-pass");
    g_autofree char *a11y = g_strdup_printf("%s: %s — %s", state, ch->subject ? ch->subject : "",
                                            ch->message ? ch->message : "");
    gtk_accessible_update_property(GTK_ACCESSIBLE(row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    return row;
}

void tamga_checklist_set_report(TamgaChecklist *self, const tamga_report *report)
{
    tamga_checklist_set_message(self, "");
    size_t n = tamga_report_count(report), failed = 0;
    for (size_t i = 0; i < n; i++) {
        const tamga_check *ch = tamga_report_get(report, i);
        if (ch->result == TAMGA_CHECK_FAIL)
            failed++;
        gtk_list_box_append(GTK_LIST_BOX(self->list), check_row(self, ch));
    }
    gtk_widget_set_visible(self->scroll, TRUE);
    gtk_widget_set_visible(self->copy, TRUE);
    if (tamga_report_ok(report)) {
        gtk_label_set_text(GTK_LABEL(self->verdict), _("VERIFIED — every check passed"));
        gtk_widget_add_css_class(self->verdict, "success");
    } else {
        g_autofree char *v =
            g_strdup_printf(ngettext("NOT VERIFIED — %zu check failed",
                                     "NOT VERIFIED — %zu checks failed", (unsigned long)failed),
                            failed);
        gtk_label_set_text(GTK_LABEL(self->verdict), v);
        gtk_widget_add_css_class(self->verdict, "error");
    }
    char *text = tamga_report_text(report);
    if (text != NULL) {
        self->text = g_strdup(text);
        free(text);
        gtk_widget_set_sensitive(self->copy, TRUE);
    }
}
