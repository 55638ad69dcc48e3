/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-preferences.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "tamga-gui-util.h"
#include "tamga-jobs-trust.h"
#include "tamga-settings.h"

#define OPEN_KEY "tamga-preferences"

/* The languages of the drop-down, in its order ("" = the system's). */
static const char *const language_codes[] = {"", "en", "kk", "ru", "ug"};

struct _TamgaPreferences {
    GtkWindow parent_instance;

    TamgaApplication *app;
    GCancellable *cancellable;
    GPtrArray *roster; /* TamgaTrustInfo, as shown */
    char *add_file;    /* the public identity file being read or waiting for a name */
    gboolean updating_language;
    gboolean closed;

    /* template children */
    GtkWidget *error_label;
    GtkWidget *no_identity_label;
    GtkWidget *identity_list;
    GtkWidget *name_value;
    GtkWidget *keyid_value;
    GtkWidget *age_value;
    GtkWidget *minisign_value;
    GtkWidget *save_public_button;
    GtkWidget *roster_list;
    GtkWidget *add_revealer;
    GtkWidget *add_label;
    GtkWidget *add_entry;
    GtkWidget *add_confirm_button;
    GtkWidget *add_cancel_button;
    GtkWidget *add_button;
    GtkWidget *idle_spin;
    GtkWidget *language_dropdown;
    GtkWidget *language_note;
};

G_DEFINE_FINAL_TYPE(TamgaPreferences, tamga_preferences, GTK_TYPE_WINDOW)

static void activate_app(TamgaPreferences *self, const char *action, GVariant *param)
{
    g_action_group_activate_action(G_ACTION_GROUP(self->app), action, param);
}

void tamga_preferences_show_error(TamgaPreferences *self, const char *text)
{
    gboolean show = text != NULL && text[0] != '\0';
    gtk_label_set_text(GTK_LABEL(self->error_label), show ? text : "");
    gtk_widget_set_visible(self->error_label, show);
}

/* ---- identity ------------------------------------------------------------------------- */

static void update_identity(TamgaPreferences *self)
{
    tamga_identity *id = tamga_application_get_identity(self->app);
    gboolean have = id != NULL;
    gtk_widget_set_visible(self->no_identity_label, !have);
    gtk_widget_set_visible(self->identity_list, have);
    gtk_widget_set_sensitive(self->save_public_button, have);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "prefs.copy", have);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "prefs.save-public", have);
    if (!have)
        return;
    const tamga_pubid *pub = tamga_identity_get_public(id);
    g_autofree char *kid = tamga_preferences_identity_text(pub, "key-id");
    g_autofree char *age = tamga_preferences_identity_text(pub, "age");
    g_autofree char *ms = tamga_preferences_identity_text(pub, "minisign");
    gtk_label_set_text(GTK_LABEL(self->name_value), pub->name);
    gtk_label_set_text(GTK_LABEL(self->keyid_value), kid ? kid : "");
    gtk_label_set_text(GTK_LABEL(self->age_value), age ? age : "");
    gtk_label_set_text(GTK_LABEL(self->minisign_value), ms ? ms : "");
}

char *tamga_preferences_identity_text(const tamga_pubid *pub, const char *kind)
{
    if (strcmp(kind, "key-id") == 0) {
        char kid[17];
        tamga_keyid_format(pub->keynum, kid);
        return g_strdup(kid);
    }
    char *text = NULL;
    char *out = NULL;
    if (strcmp(kind, "age") == 0) {
        if (tamga_pubid_age_recipient(pub, &text) == TAMGA_OK)
            out = g_strdup(text);
    } else if (strcmp(kind, "minisign") == 0) {
        /* The key file is "untrusted comment: …\n<base64>\n": the line people paste. */
        if (tamga_pubid_minisign_pubkey(pub, &text) == TAMGA_OK) {
            const char *line = strchr(text, '\n');
            if (line != NULL)
                out = g_strndup(line + 1, strcspn(line + 1, "\r\n"));
        }
    }
    free(text);
    return out;
}

static void on_unlocked_changed(GObject *app, GParamSpec *pspec, TamgaPreferences *self)
{
    (void)app;
    (void)pspec;
    update_identity(self);
}

static void copy_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    activate_app(TAMGA_PREFERENCES(widget), "copy-identity", param);
}

static void public_target_chosen(gpointer owner, const char *path, gpointer data)
{
    (void)data;
    TamgaPreferences *self = owner;
    if (!self->closed)
        activate_app(self, "save-public-identity", g_variant_new_string(path));
}

void tamga_preferences_choose_public_target(TamgaPreferences *self)
{
    tamga_identity *id = tamga_application_get_identity(self->app);
    g_autofree char *kid =
        id ? tamga_preferences_identity_text(tamga_identity_get_public(id), "key-id") : NULL;
    g_autofree char *suggested = g_strdup_printf("tamga-%s.public.json", kid ? kid : "identity");
    tamga_gui_choose_file(GTK_WIDGET(self),
                          &(TamgaFileQuestion){.title = _("Save Public Identity File"),
                                               .accept = _("_Save"),
                                               .action = GTK_FILE_CHOOSER_ACTION_SAVE,
                                               .initial_name = suggested},
                          public_target_chosen, NULL, NULL);
}

static void save_public_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    tamga_preferences_choose_public_target(TAMGA_PREFERENCES(widget));
}

/* ---- trust roster ------------------------------------------------------------------- */

/* "2025-03-01T10:20:30Z" in local time, as people read it. */
static char *local_time(const char *utc)
{
    g_autoptr(GDateTime) t = g_date_time_new_from_iso8601(utc, NULL);
    if (t == NULL)
        return g_strdup(utc);
    g_autoptr(GDateTime) local = g_date_time_to_local(t);
    return g_date_time_format(local, "%Y-%m-%d %H:%M");
}

static const TamgaTrustInfo *roster_find(TamgaPreferences *self, const char *name)
{
    for (guint i = 0; self->roster != NULL && i < self->roster->len; i++) {
        const TamgaTrustInfo *info = g_ptr_array_index(self->roster, i);
        if (strcmp(info->name, name) == 0)
            return info;
    }
    return NULL;
}

/* NULL if `name` can be given to the entry now called `current` (NULL: a new
 * one), else why not (the library checks again). */
static const char *name_problem(TamgaPreferences *self, const char *name, const char *current)
{
    if (name[0] == '\0')
        return _("Type a name.");
    if (strlen(name) > TAMGA_NAME_MAX)
        return _("The name is too long.");
    for (const char *p = name; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return _("The name cannot hold control characters.");
    if ((current == NULL || strcmp(current, name) != 0) && roster_find(self, name) != NULL)
        return _("This name is already in the trust roster.");
    return NULL;
}

static void on_rename_confirm(GtkWidget *button, TamgaPreferences *self)
{
    GtkWidget *entry = g_object_get_data(G_OBJECT(button), "entry");
    GtkWidget *problem_label = g_object_get_data(G_OBJECT(button), "problem");
    GtkWidget *popover = g_object_get_data(G_OBJECT(button), "popover");
    const char *old = g_object_get_data(G_OBJECT(button), "name");
    g_autofree char *name = g_strstrip(g_strdup(gtk_editable_get_text(GTK_EDITABLE(entry))));
    const char *problem = name_problem(self, name, old);
    if (problem != NULL) {
        gtk_label_set_text(GTK_LABEL(problem_label), problem);
        gtk_widget_set_visible(problem_label, TRUE);
        gtk_widget_grab_focus(entry);
        return;
    }
    gtk_popover_popdown(GTK_POPOVER(popover));
    if (strcmp(name, old) != 0)
        activate_app(self, "trust-rename", g_variant_new("(ss)", old, name));
}

static void on_rename_shown(GtkPopover *popover, GtkWidget *entry)
{
    (void)popover;
    const char *name = g_object_get_data(G_OBJECT(entry), "name");
    gtk_editable_set_text(GTK_EDITABLE(entry), name);
    gtk_widget_set_visible(GTK_WIDGET(g_object_get_data(G_OBJECT(entry), "problem")), FALSE);
    gtk_widget_grab_focus(entry);
    gtk_editable_select_region(GTK_EDITABLE(entry), 0, -1);
}

static GtkWidget *rename_button(TamgaPreferences *self, const TamgaTrustInfo *info)
{
    GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
    gtk_widget_add_css_class(box, "frame-content");
    g_autofree char *text = g_strdup_printf(_("_New name for %s:"), info->name);
    GtkWidget *label = gtk_label_new_with_mnemonic(text);
    gtk_label_set_xalign(GTK_LABEL(label), 0.0f);
    gtk_label_set_wrap(GTK_LABEL(label), TRUE);
    gtk_label_set_max_width_chars(GTK_LABEL(label), 36);
    GtkWidget *entry = gtk_entry_new();
    gtk_entry_set_max_length(GTK_ENTRY(entry), TAMGA_NAME_MAX);
    gtk_entry_set_activates_default(GTK_ENTRY(entry), TRUE);
    gtk_label_set_mnemonic_widget(GTK_LABEL(label), entry);
    GtkWidget *problem = gtk_label_new(NULL);
    gtk_widget_add_css_class(problem, "error");
    gtk_label_set_xalign(GTK_LABEL(problem), 0.0f);
    gtk_label_set_wrap(GTK_LABEL(problem), TRUE);
    gtk_widget_set_visible(problem, FALSE);
    GtkWidget *confirm = gtk_button_new_with_mnemonic(_("_Rename"));
    gtk_widget_add_css_class(confirm, "suggested-action");
    gtk_widget_set_halign(confirm, GTK_ALIGN_END);
    gtk_box_append(GTK_BOX(box), label);
    gtk_box_append(GTK_BOX(box), entry);
    gtk_box_append(GTK_BOX(box), problem);
    gtk_box_append(GTK_BOX(box), confirm);

    GtkWidget *popover = gtk_popover_new();
    gtk_popover_set_child(GTK_POPOVER(popover), box);
    gtk_popover_set_default_widget(GTK_POPOVER(popover), confirm);
    GtkWidget *button = gtk_menu_button_new();
    gtk_menu_button_set_icon_name(GTK_MENU_BUTTON(button), "document-edit-symbolic");
    gtk_menu_button_set_popover(GTK_MENU_BUTTON(button), popover);
    gtk_widget_set_valign(button, GTK_ALIGN_CENTER);
    g_autofree char *a11y = g_strdup_printf(_("Rename %s"), info->name);
    gtk_widget_set_tooltip_text(button, a11y);
    gtk_accessible_update_property(GTK_ACCESSIBLE(button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);

    g_object_set_data_full(G_OBJECT(entry), "name", g_strdup(info->name), g_free);
    g_object_set_data(G_OBJECT(entry), "problem", problem);
    g_object_set_data_full(G_OBJECT(confirm), "name", g_strdup(info->name), g_free);
    g_object_set_data(G_OBJECT(confirm), "entry", entry);
    g_object_set_data(G_OBJECT(confirm), "problem", problem);
    g_object_set_data(G_OBJECT(confirm), "popover", popover);
    g_signal_connect(confirm, "clicked", G_CALLBACK(on_rename_confirm), self);
    g_signal_connect(popover, "show", G_CALLBACK(on_rename_shown), entry);
    return button;
}

static void on_remove_response(GtkDialog *dialog, int response, TamgaPreferences *self)
{
    const char *name = g_object_get_data(G_OBJECT(dialog), "name");
    if (response == GTK_RESPONSE_ACCEPT && !self->closed)
        activate_app(self, "trust-remove", g_variant_new_string(name));
    gtk_window_destroy(GTK_WINDOW(dialog));
    g_object_unref(self);
}

static void on_remove_clicked(GtkWidget *button, TamgaPreferences *self)
{
    const char *name = g_object_get_data(G_OBJECT(button), "name");
    GtkWidget *dialog = gtk_message_dialog_new(
        GTK_WINDOW(self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
        GTK_BUTTONS_NONE, _("Remove %s from the trust roster?"), name);
    gtk_message_dialog_format_secondary_text(
        GTK_MESSAGE_DIALOG(dialog), "%s",
        _("Recordings they signed still verify; reports will show their key id instead of their "
          "name."));
    gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
    GtkWidget *remove =
        gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Remove"), GTK_RESPONSE_ACCEPT);
    gtk_widget_add_css_class(remove, "destructive-action");
    gtk_dialog_set_default_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);
    g_object_set_data_full(G_OBJECT(dialog), "name", g_strdup(name), g_free);
    g_signal_connect(dialog, "response", G_CALLBACK(on_remove_response), g_object_ref(self));
    gtk_window_present(GTK_WINDOW(dialog));
}

static GtkWidget *roster_row(TamgaPreferences *self, const TamgaTrustInfo *info)
{
    GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 8);
    gtk_widget_add_css_class(box, "row-content");
    GtkWidget *text = gtk_box_new(GTK_ORIENTATION_VERTICAL, 2);
    gtk_widget_set_hexpand(text, TRUE);
    GtkWidget *name = gtk_label_new(info->name);
    gtk_widget_add_css_class(name, "heading");
    gtk_label_set_xalign(GTK_LABEL(name), 0.0f);
    gtk_label_set_wrap(GTK_LABEL(name), TRUE);
    gtk_label_set_wrap_mode(GTK_LABEL(name), PANGO_WRAP_WORD_CHAR);
    gtk_label_set_selectable(GTK_LABEL(name), TRUE);
    g_autofree char *when = local_time(info->added);
    /* TRANSLATORS: a trust roster entry: its key id, and when it was added. */
    g_autofree char *detail = g_strdup_printf(_("Key ID %s · added %s"), info->key_id, when);
    GtkWidget *sub = gtk_label_new(detail);
    gtk_widget_add_css_class(sub, "dim-label");
    gtk_label_set_xalign(GTK_LABEL(sub), 0.0f);
    gtk_label_set_wrap(GTK_LABEL(sub), TRUE);
    gtk_label_set_selectable(GTK_LABEL(sub), TRUE);
    gtk_box_append(GTK_BOX(text), name);
    gtk_box_append(GTK_BOX(text), sub);
    gtk_box_append(GTK_BOX(box), text);

    gtk_box_append(GTK_BOX(box), rename_button(self, info));
    GtkWidget *remove = gtk_button_new_from_icon_name("user-trash-symbolic");
    gtk_widget_set_valign(remove, GTK_ALIGN_CENTER);
    g_autofree char *a11y = g_strdup_printf(_("Remove %s"), info->name);
    gtk_widget_set_tooltip_text(remove, a11y);
    gtk_accessible_update_property(GTK_ACCESSIBLE(remove), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    g_object_set_data_full(G_OBJECT(remove), "name", g_strdup(info->name), g_free);
    g_signal_connect(remove, "clicked", G_CALLBACK(on_remove_clicked), self);
    gtk_box_append(GTK_BOX(box), remove);

    GtkWidget *row = gtk_list_box_row_new();
    gtk_list_box_row_set_activatable(GTK_LIST_BOX_ROW(row), FALSE);
    gtk_list_box_row_set_child(GTK_LIST_BOX_ROW(row), box);
    gtk_accessible_update_relation(GTK_ACCESSIBLE(row), GTK_ACCESSIBLE_RELATION_LABELLED_BY, name,
                                   NULL, -1);
    return row;
}

void tamga_preferences_set_roster(TamgaPreferences *self, GPtrArray *roster)
{
    tamga_gui_list_box_clear(GTK_LIST_BOX(self->roster_list));
    g_clear_pointer(&self->roster, g_ptr_array_unref);
    self->roster = g_ptr_array_ref(roster);
    for (guint i = 0; i < roster->len; i++)
        gtk_list_box_append(GTK_LIST_BOX(self->roster_list),
                            roster_row(self, g_ptr_array_index(roster, i)));
}

static void roster_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaPreferences *self = data;
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) roster = tamga_job_trust_load_finish(res, &err);
    TAMGA_RETURN_IF_CLOSED(err, self); /* closing cancels self->cancellable */
    if (roster == NULL) {
        g_info("error: %s", err->message);
        tamga_preferences_show_error(self, err->message);
    } else {
        g_info("trust roster loaded: %u", roster->len);
        tamga_preferences_set_roster(self, roster);
    }
    g_object_unref(self);
}

/* "Add Person…": a file, then its name. */
static void add_close(TamgaPreferences *self)
{
    g_clear_pointer(&self->add_file, g_free);
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->add_revealer), FALSE);
    gtk_widget_set_sensitive(self->add_button, TRUE);
}

static void on_add_confirm(GtkWidget *button, TamgaPreferences *self)
{
    (void)button;
    if (self->add_file == NULL)
        return;
    g_autofree char *name =
        g_strstrip(g_strdup(gtk_editable_get_text(GTK_EDITABLE(self->add_entry))));
    const char *problem = name_problem(self, name, NULL);
    if (problem != NULL) {
        tamga_preferences_show_error(self, problem);
        gtk_widget_grab_focus(self->add_entry);
        return;
    }
    activate_app(self, "trust-add", g_variant_new("(ss)", self->add_file, name));
    add_close(self);
}

static void on_add_cancel(GtkWidget *button, TamgaPreferences *self)
{
    (void)button;
    add_close(self);
    tamga_preferences_show_error(self, NULL);
}

static void person_read(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaPreferences *self = data;
    g_autoptr(GError) err = NULL;
    g_autofree tamga_pubid *pub = tamga_job_read_pubid_finish(res, &err);
    TAMGA_RETURN_IF_CLOSED(err, self); /* closing cancels self->cancellable */
    if (pub == NULL) {
        g_info("error: %s", err->message);
        tamga_preferences_show_error(self, err->message);
        add_close(self);
        g_object_unref(self);
        return;
    }
    tamga_preferences_show_error(self, NULL);
    g_autofree char *kid = tamga_preferences_identity_text(pub, "key-id");
    g_autofree char *text =
        g_strdup_printf(_("Key ID %s. Check it with its owner by another channel, then give it a "
                          "_name:"),
                        kid);
    gtk_label_set_text_with_mnemonic(GTK_LABEL(self->add_label), text);
    gtk_editable_set_text(GTK_EDITABLE(self->add_entry), pub->name);
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->add_revealer), TRUE);
    gtk_widget_set_sensitive(self->add_button, FALSE);
    gtk_widget_grab_focus(self->add_entry);
    g_info("person to add: %s", kid);
    g_object_unref(self);
}

static void person_chosen(gpointer owner, const char *path, gpointer data)
{
    (void)data;
    TamgaPreferences *self = owner;
    if (self->closed)
        return;
    g_free(self->add_file);
    self->add_file = g_strdup(path);
    gtk_widget_set_sensitive(self->add_button, FALSE);
    tamga_job_read_pubid_async(path, self->cancellable, person_read, g_object_ref(self));
}

void tamga_preferences_choose_person(TamgaPreferences *self)
{
    const char *const filters[] = {_("Public identity files (JSON)"), "*.json", NULL};
    tamga_gui_choose_file(GTK_WIDGET(self),
                          &(TamgaFileQuestion){.title = _("Add a Person's Public Identity File"),
                                               .accept = _("_Open"),
                                               .action = GTK_FILE_CHOOSER_ACTION_OPEN,
                                               .filters = filters},
                          person_chosen, NULL, NULL);
}

static void add_person_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    tamga_preferences_choose_person(TAMGA_PREFERENCES(widget));
}

/* ---- security and language ---------------------------------------------------------- */

static void on_idle_changed(GtkSpinButton *spin, TamgaPreferences *self)
{
    tamga_application_set_idle_minutes(self->app, (guint)gtk_spin_button_get_value_as_int(spin));
}

static void select_language(TamgaPreferences *self)
{
    const char *lang = tamga_settings_get_language();
    guint at = 0;
    for (guint i = 0; i < G_N_ELEMENTS(language_codes); i++)
        if (strcmp(lang, language_codes[i]) == 0)
            at = i;
    self->updating_language = TRUE;
    gtk_drop_down_set_selected(GTK_DROP_DOWN(self->language_dropdown), at);
    self->updating_language = FALSE;
}

void tamga_preferences_language_changed(TamgaPreferences *self)
{
    select_language(self);
    gtk_widget_set_visible(self->language_note, TRUE);
}

static void on_language_selected(GObject *dropdown, GParamSpec *pspec, TamgaPreferences *self)
{
    (void)pspec;
    if (self->updating_language)
        return;
    guint at = gtk_drop_down_get_selected(GTK_DROP_DOWN(dropdown));
    if (at < G_N_ELEMENTS(language_codes))
        activate_app(self, "set-language", g_variant_new_string(language_codes[at]));
}

/* ---- the window ----------------------------------------------------------------------- */

TamgaPreferences *tamga_preferences_get_open(TamgaApplication *app)
{
    return g_object_get_data(G_OBJECT(app), OPEN_KEY);
}

TamgaPreferences *tamga_preferences_new(TamgaApplication *app, GtkWindow *parent)
{
    TamgaPreferences *self = g_object_new(TAMGA_TYPE_PREFERENCES, "transient-for", parent, NULL);
    self->app = g_object_ref(app);
    g_object_set_data(G_OBJECT(app), OPEN_KEY, self);
    g_signal_connect(app, "notify::unlocked", G_CALLBACK(on_unlocked_changed), self);
    update_identity(self);
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(self->idle_spin),
                              tamga_application_get_idle_minutes(app));
    g_signal_connect(self->idle_spin, "value-changed", G_CALLBACK(on_idle_changed), self);
    select_language(self);
    g_signal_connect(self->language_dropdown, "notify::selected", G_CALLBACK(on_language_selected),
                     self);
    const char *home = tamga_application_get_home(app);
    if (home != NULL)
        tamga_job_trust_load_async(home, self->cancellable, roster_loaded, g_object_ref(self));
    return self;
}

static void tamga_preferences_dispose(GObject *object)
{
    TamgaPreferences *self = TAMGA_PREFERENCES(object);
    self->closed = TRUE;
    g_cancellable_cancel(self->cancellable);
    if (self->app != NULL) {
        g_signal_handlers_disconnect_by_data(self->app, self);
        if (g_object_get_data(G_OBJECT(self->app), OPEN_KEY) == self)
            g_object_set_data(G_OBJECT(self->app), OPEN_KEY, NULL);
        g_clear_object(&self->app);
    }
    gtk_widget_dispose_template(GTK_WIDGET(self), TAMGA_TYPE_PREFERENCES);
    G_OBJECT_CLASS(tamga_preferences_parent_class)->dispose(object);
}

static void tamga_preferences_finalize(GObject *object)
{
    TamgaPreferences *self = TAMGA_PREFERENCES(object);
    g_clear_object(&self->cancellable);
    g_clear_pointer(&self->roster, g_ptr_array_unref);
    g_free(self->add_file);
    G_OBJECT_CLASS(tamga_preferences_parent_class)->finalize(object);
}

static void tamga_preferences_class_init(TamgaPreferencesClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    object_class->dispose = tamga_preferences_dispose;
    object_class->finalize = tamga_preferences_finalize;

    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/org/tamga/Recorder/tamga-preferences.ui");
#define CHILD(name) gtk_widget_class_bind_template_child(widget_class, TamgaPreferences, name)
    CHILD(error_label);
    CHILD(no_identity_label);
    CHILD(identity_list);
    CHILD(name_value);
    CHILD(keyid_value);
    CHILD(age_value);
    CHILD(minisign_value);
    CHILD(save_public_button);
    CHILD(roster_list);
    CHILD(add_revealer);
    CHILD(add_label);
    CHILD(add_entry);
    CHILD(add_confirm_button);
    CHILD(add_cancel_button);
    CHILD(add_button);
    CHILD(idle_spin);
    CHILD(language_dropdown);
    CHILD(language_note);
#undef CHILD
    gtk_widget_class_install_action(widget_class, "prefs.copy", "s", copy_action);
    gtk_widget_class_install_action(widget_class, "prefs.save-public", NULL, save_public_action);
    gtk_widget_class_install_action(widget_class, "prefs.add-person", NULL, add_person_action);
    gtk_widget_class_add_binding_action(widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void tamga_preferences_init(TamgaPreferences *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    self->cancellable = g_cancellable_new();
    GtkWidget *placeholder =
        gtk_label_new(_("Nobody yet. Add the public identity files of the partners whose "
                        "recordings you verify."));
    gtk_label_set_wrap(GTK_LABEL(placeholder), TRUE);
    gtk_widget_add_css_class(placeholder, "dim-label");
    gtk_widget_add_css_class(placeholder, "row-content");
    gtk_widget_set_margin_top(placeholder, 6);
    gtk_widget_set_margin_bottom(placeholder, 6);
    gtk_list_box_set_placeholder(GTK_LIST_BOX(self->roster_list), placeholder);
    /* Keys wrap anywhere, without a hyphen that is not part of them. */
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    gtk_label_set_attributes(GTK_LABEL(self->age_value), attrs);
    gtk_label_set_attributes(GTK_LABEL(self->minisign_value), attrs);
    pango_attr_list_unref(attrs);
    g_signal_connect(self->add_confirm_button, "clicked", G_CALLBACK(on_add_confirm), self);
    g_signal_connect(self->add_entry, "activate", G_CALLBACK(on_add_confirm), self);
    g_signal_connect(self->add_cancel_button, "clicked", G_CALLBACK(on_add_cancel), self);
}
