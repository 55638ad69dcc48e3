/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-application.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "tamga-window.h"

#define DEFAULT_IDLE_MINUTES 15

struct _TamgaApplication {
    GtkApplication parent_instance;
    char *home;
    tamga_identity *identity;
    guint holds;
    gboolean lock_pending;
    char *passphrase_file;
    guint idle_minutes;
    gint64 last_activity;
    guint idle_source;
};

G_DEFINE_FINAL_TYPE(TamgaApplication, tamga_application, GTK_TYPE_APPLICATION)

enum { PROP_0, PROP_UNLOCKED, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* ---- settings (a small key file; the app has no GSettings schema to install) ---- */

static char *settings_path(void)
{
    return g_build_filename(g_get_user_config_dir(), "tamga", "recorder.ini", NULL);
}

static void settings_load(TamgaApplication *self)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *path = settings_path();
    self->idle_minutes = DEFAULT_IDLE_MINUTES;
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
        return;
    g_autoptr(GError) err = NULL;
    gint v = g_key_file_get_integer(kf, "security", "idle-lock-minutes", &err);
    if (err == NULL && v >= 0 && v <= 24 * 60)
        self->idle_minutes = (guint)v;
}

static void settings_save(TamgaApplication *self)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *path = settings_path();
    g_autofree char *dir = g_path_get_dirname(path);
    g_key_file_set_integer(kf, "security", "idle-lock-minutes", (gint)self->idle_minutes);
    g_mkdir_with_parents(dir, 0700);
    g_autoptr(GError) err = NULL;
    if (!g_key_file_save_to_file(kf, path, &err))
        g_warning("cannot save settings: %s", err->message);
}

/* ---- identity ------------------------------------------------------------------ */

const char *tamga_application_get_home(TamgaApplication *self)
{
    return self->home;
}

tamga_identity *tamga_application_get_identity(TamgaApplication *self)
{
    return self->identity;
}

void tamga_application_set_identity(TamgaApplication *self, tamga_identity *id)
{
    if (self->identity != id)
        tamga_identity_free(self->identity);
    self->identity = id;
    g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_UNLOCKED]);
}

gboolean tamga_application_is_unlocked(TamgaApplication *self)
{
    return self->identity != NULL && tamga_identity_is_unlocked(self->identity);
}

void tamga_application_unlocked(TamgaApplication *self)
{
    self->last_activity = g_get_monotonic_time();
    g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_UNLOCKED]);
}

void tamga_application_hold_identity(TamgaApplication *self)
{
    self->holds++;
}

static void do_lock(TamgaApplication *self)
{
    self->lock_pending = FALSE;
    if (self->identity != NULL && tamga_identity_is_unlocked(self->identity)) {
        tamga_identity_lock(self->identity);
        g_info("identity locked");
        g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_UNLOCKED]);
    }
}

void tamga_application_release_identity(TamgaApplication *self)
{
    g_return_if_fail(self->holds > 0);
    if (--self->holds == 0 && self->lock_pending)
        do_lock(self);
}

gboolean tamga_application_lock(TamgaApplication *self)
{
    if (self->holds > 0) {
        self->lock_pending = TRUE;
        return FALSE;
    }
    do_lock(self);
    return TRUE;
}

const char *tamga_application_get_passphrase_file(TamgaApplication *self)
{
    return self->passphrase_file;
}

guint tamga_application_get_idle_minutes(TamgaApplication *self)
{
    return self->idle_minutes;
}

void tamga_application_set_idle_minutes(TamgaApplication *self, guint minutes)
{
    if (self->idle_minutes == minutes)
        return;
    self->idle_minutes = minutes;
    settings_save(self);
}

void tamga_application_touch(TamgaApplication *self)
{
    self->last_activity = g_get_monotonic_time();
}

static gboolean idle_check(gpointer data)
{
    TamgaApplication *self = data;
    if (self->idle_minutes > 0 && self->holds == 0 && tamga_application_is_unlocked(self) &&
        g_get_monotonic_time() - self->last_activity >
            (gint64)self->idle_minutes * 60 * G_USEC_PER_SEC) {
        g_info("locking after %u idle minutes", self->idle_minutes);
        do_lock(self);
    }
    return G_SOURCE_CONTINUE;
}

/* ---- actions ---------------------------------------------------------------- */

static GtkWindow *main_window(TamgaApplication *self)
{
    GtkWindow *win = gtk_application_get_active_window(GTK_APPLICATION(self));
    if (win == NULL) {
        win = GTK_WINDOW(tamga_window_new(self));
        gtk_window_present(win);
    }
    return win;
}

/* app.X → win.X of the main window, with the same parameter. */
static void forward_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    TamgaApplication *self = data;
    g_autofree char *name = g_strconcat("win.", g_action_get_name(G_ACTION(action)), NULL);
    tamga_application_touch(self);
    if (!gtk_widget_activate_action_variant(GTK_WIDGET(main_window(self)), name, param))
        g_warning("action %s is not available", name);
}

static void lock_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    (void)action;
    (void)param;
    TamgaApplication *self = data;
    if (!tamga_application_lock(self))
        g_info("lock requested: the identity is in use (recording), it locks when released");
}

static void quit_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    (void)action;
    (void)param;
    TamgaApplication *self = data;
    /* Closing each window asks first while it records. */
    GList *wins = g_list_copy(gtk_application_get_windows(GTK_APPLICATION(self)));
    for (GList *l = wins; l != NULL; l = l->next)
        gtk_window_close(GTK_WINDOW(l->data));
    g_list_free(wins);
}

static void on_idle_changed(GtkSpinButton *spin, TamgaApplication *self)
{
    tamga_application_set_idle_minutes(self, (guint)gtk_spin_button_get_value_as_int(spin));
}

static void preferences_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    (void)action;
    (void)param;
    TamgaApplication *self = data;
    GtkWindow *parent = main_window(self);
    GtkWidget *win = gtk_window_new();
    gtk_window_set_title(GTK_WINDOW(win), _("Preferences"));
    gtk_window_set_transient_for(GTK_WINDOW(win), parent);
    gtk_window_set_modal(GTK_WINDOW(win), TRUE);
    gtk_window_set_default_size(GTK_WINDOW(win), 520, -1);
    GtkWidget *grid = gtk_grid_new();
    gtk_grid_set_row_spacing(GTK_GRID(grid), 12);
    gtk_grid_set_column_spacing(GTK_GRID(grid), 12);
    gtk_widget_set_margin_start(grid, 18);
    gtk_widget_set_margin_end(grid, 18);
    gtk_widget_set_margin_top(grid, 18);
    gtk_widget_set_margin_bottom(grid, 18);

    GtkWidget *label = gtk_label_new_with_mnemonic(_("_Lock after idle minutes (0 = never):"));
    gtk_label_set_xalign(GTK_LABEL(label), 0.0f);
    GtkWidget *spin = gtk_spin_button_new_with_range(0, 24 * 60, 1);
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(spin), self->idle_minutes);
    gtk_label_set_mnemonic_widget(GTK_LABEL(label), spin);
    g_signal_connect(spin, "value-changed", G_CALLBACK(on_idle_changed), self);
    gtk_grid_attach(GTK_GRID(grid), label, 0, 0, 1, 1);
    gtk_grid_attach(GTK_GRID(grid), spin, 1, 0, 1, 1);

    if (self->identity != NULL) {
        const tamga_pubid *pub = tamga_identity_get_public(self->identity);
        char keyid[17];
        tamga_keyid_format(pub->keynum, keyid);
        char *age = NULL;
        tamga_pubid_age_recipient(pub, &age);
        const char *names[] = {_("This identity:"), _("Key id:"), _("Age recipient:")};
        const char *values[] = {pub->name, keyid, age ? age : ""};
        for (int i = 0; i < 3; i++) {
            GtkWidget *l = gtk_label_new(names[i]);
            gtk_label_set_xalign(GTK_LABEL(l), 0.0f);
            GtkWidget *v = gtk_label_new(values[i]);
            gtk_label_set_selectable(GTK_LABEL(v), TRUE);
            gtk_label_set_wrap(GTK_LABEL(v), TRUE);
            gtk_label_set_wrap_mode(GTK_LABEL(v), PANGO_WRAP_CHAR);
            gtk_label_set_xalign(GTK_LABEL(v), 0.0f);
            gtk_accessible_update_relation(GTK_ACCESSIBLE(v), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                           l, NULL, -1);
            gtk_grid_attach(GTK_GRID(grid), l, 0, i + 1, 1, 1);
            gtk_grid_attach(GTK_GRID(grid), v, 1, i + 1, 1, 1);
        }
        free(age);
    }
    gtk_window_set_child(GTK_WINDOW(win), grid);
    gtk_window_present(GTK_WINDOW(win));
}

static void about_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    (void)action;
    (void)param;
    TamgaApplication *self = data;
    gtk_show_about_dialog(main_window(self), "program-name", _("Tamga Recorder"), "logo-icon-name",
                          TAMGA_APP_ID, "version", tamga_version(), "comments",
                          _("Records testimony encrypted from the first second, and signs it."),
                          "license-type", GTK_LICENSE_GPL_3_0, NULL);
}

static const GActionEntry app_entries[] = {
    {.name = "lock", .activate = lock_action},
    {.name = "quit", .activate = quit_action},
    {.name = "preferences", .activate = preferences_action},
    {.name = "about", .activate = about_action},
    /* forwarded to the window */
    {.name = "new-case", .activate = forward_action, .parameter_type = "s"},
    {.name = "select-case", .activate = forward_action, .parameter_type = "s"},
    {.name = "select-device", .activate = forward_action, .parameter_type = "s"},
    {.name = "refresh-devices", .activate = forward_action},
    {.name = "show-page", .activate = forward_action, .parameter_type = "s"},
    {.name = "record", .activate = forward_action},
    {.name = "pause", .activate = forward_action},
    {.name = "marker", .activate = forward_action, .parameter_type = "s"},
    {.name = "stop", .activate = forward_action},
    {.name = "verify", .activate = forward_action, .parameter_type = "s"},
    {.name = "screenshot", .activate = forward_action, .parameter_type = "s"},
    {.name = "play", .activate = forward_action},
    {.name = "seek", .activate = forward_action, .parameter_type = "d"},
    {.name = "export-audio", .activate = forward_action, .parameter_type = "s"},
    {.name = "wipe", .activate = forward_action, .parameter_type = "s"},
    {.name = "new-case-with", .activate = forward_action, .parameter_type = "a{sv}"},
    {.name = "join-case", .activate = forward_action, .parameter_type = "s"},
    {.name = "use-identity", .activate = forward_action, .parameter_type = "s"},
    {.name = "export-bundle", .activate = forward_action, .parameter_type = "a{sv}"},
    {.name = "import-bundle", .activate = forward_action, .parameter_type = "s"},
    {.name = "import-confirm", .activate = forward_action},
};

static const struct {
    const char *action;
    const char *accels[3];
} app_accels[] = {
    {"app.record", {"<Control>r", NULL}},
    {"app.pause", {"<Control>p", NULL}},
    {"app.marker('')", {"<Control>m", NULL}},
    {"app.stop", {"<Control>s", NULL}},
    {"app.verify('')", {"<Control><Shift>v", NULL}},
    {"app.new-case('')", {"<Control>n", NULL}},
    {"app.lock", {"<Control>l", NULL}},
    {"app.quit", {"<Control>q", NULL}},
    {"app.preferences", {"<Control>comma", NULL}},
    {"app.play", {"<Control>space", NULL}},
    {"app.export-audio('')", {"<Control>e", NULL}},
    {"app.show-page::cases", {"<Alt>1", NULL}},
    {"app.show-page::record", {"<Alt>2", NULL}},
    {"app.show-page::recordings", {"<Alt>3", NULL}},
    {"app.show-page::verify", {"<Alt>4", NULL}},
    {"app.show-page::handover", {"<Alt>5", NULL}},
    {"app.export-bundle(@a{sv} {})", {"<Control><Shift>e", NULL}},
    {"app.import-bundle('')", {"<Control>i", NULL}},
    {"app.join-case('')", {"<Control><Shift>j", NULL}},
};

/* ---- GApplication ------------------------------------------------------------- */

static void tamga_application_startup(GApplication *app)
{
    TamgaApplication *self = TAMGA_APPLICATION(app);
    G_APPLICATION_CLASS(tamga_application_parent_class)->startup(app);

    g_action_map_add_action_entries(G_ACTION_MAP(app), app_entries, G_N_ELEMENTS(app_entries),
                                    self);
    for (size_t i = 0; i < G_N_ELEMENTS(app_accels); i++)
        gtk_application_set_accels_for_action(GTK_APPLICATION(app), app_accels[i].action,
                                              app_accels[i].accels);

    g_autoptr(GtkCssProvider) css = gtk_css_provider_new();
    gtk_css_provider_load_from_resource(css, "/org/tamga/Recorder/style.css");
    gtk_style_context_add_provider_for_display(gdk_display_get_default(), GTK_STYLE_PROVIDER(css),
                                               GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    gtk_window_set_default_icon_name(TAMGA_APP_ID);

    char *home = NULL;
    if (tamga_home_resolve(NULL, &home) == TAMGA_OK) {
        self->home = g_strdup(home);
        free(home);
    }
    const char *pf = g_getenv("TAMGA_PASSPHRASE_FILE");
    if (pf != NULL && pf[0] != '\0')
        self->passphrase_file = g_strdup(pf);
    settings_load(self);
    self->last_activity = g_get_monotonic_time();
    self->idle_source = g_timeout_add_seconds(15, idle_check, self);
}

static void tamga_application_activate(GApplication *app)
{
    main_window(TAMGA_APPLICATION(app));
    gtk_window_present(gtk_application_get_active_window(GTK_APPLICATION(app)));
}

static void tamga_application_shutdown(GApplication *app)
{
    TamgaApplication *self = TAMGA_APPLICATION(app);
    g_clear_handle_id(&self->idle_source, g_source_remove);
    G_APPLICATION_CLASS(tamga_application_parent_class)->shutdown(app);
}

static void tamga_application_finalize(GObject *object)
{
    TamgaApplication *self = TAMGA_APPLICATION(object);
    tamga_identity_free(self->identity); /* wipes */
    g_free(self->home);
    g_free(self->passphrase_file);
    G_OBJECT_CLASS(tamga_application_parent_class)->finalize(object);
}

static void tamga_application_get_property(GObject *object, guint prop_id, GValue *value,
                                           GParamSpec *pspec)
{
    TamgaApplication *self = TAMGA_APPLICATION(object);
    switch (prop_id) {
    case PROP_UNLOCKED:
        g_value_set_boolean(value, tamga_application_is_unlocked(self));
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
    }
}

static void tamga_application_class_init(TamgaApplicationClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GApplicationClass *app_class = G_APPLICATION_CLASS(klass);
    object_class->finalize = tamga_application_finalize;
    object_class->get_property = tamga_application_get_property;
    app_class->startup = tamga_application_startup;
    app_class->activate = tamga_application_activate;
    app_class->shutdown = tamga_application_shutdown;
    properties[PROP_UNLOCKED] =
        g_param_spec_boolean("unlocked", NULL, NULL, FALSE,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
    g_object_class_install_properties(object_class, N_PROPS, properties);
}

static void tamga_application_init(TamgaApplication *self)
{
    (void)self;
}

TamgaApplication *tamga_application_new(void)
{
    return g_object_new(TAMGA_TYPE_APPLICATION, "application-id", TAMGA_APP_ID, "flags",
                        G_APPLICATION_DEFAULT_FLAGS, NULL);
}
