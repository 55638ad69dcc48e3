/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-application.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "tamga-jobs-trust.h"
#include "tamga-preferences.h"
#include "tamga-settings.h"
#include "tamga-window.h"

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

/* ---- settings (tamga-settings.c: recorder.ini, read by main.c before GTK starts) ---- */

/* The app stays alive (held) until the file is written. */
static void settings_saved(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaApplication *self = data;
    g_autoptr(GError) err = NULL;
    if (!tamga_settings_save_finish(res, &err))
        g_warning("%s", err->message);
    g_application_release(G_APPLICATION(self));
    g_object_unref(self);
}

static void settings_load(TamgaApplication *self)
{
    self->idle_minutes = tamga_settings_get_idle_minutes();
}

static void settings_save(TamgaApplication *self)
{
    tamga_settings_set_idle_minutes(self->idle_minutes);
    g_application_hold(G_APPLICATION(self));
    tamga_settings_save_async(NULL, settings_saved, g_object_ref(self));
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

static void preferences_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    (void)action;
    (void)param;
    TamgaApplication *self = data;
    TamgaPreferences *prefs = tamga_preferences_get_open(self);
    if (prefs == NULL)
        prefs = tamga_preferences_new(self, main_window(self));
    gtk_window_present(GTK_WINDOW(prefs));
    g_info("preferences shown");
}

/* ---- trust roster, this identity, language (the Preferences window's actions) ---- */

static TamgaPreferences *open_preferences(TamgaApplication *self)
{
    TamgaPreferences *prefs = tamga_preferences_get_open(self);
    if (prefs == NULL) {
        preferences_action(NULL, NULL, self);
        prefs = tamga_preferences_get_open(self);
    }
    return prefs;
}

/* An error of these actions: shown in Preferences if open, else in the main
 * window; logged once ("error: …"). */
static void prefs_error(TamgaApplication *self, const char *text)
{
    TamgaPreferences *prefs = tamga_preferences_get_open(self);
    if (prefs != NULL) {
        g_info("error: %s", text);
        tamga_preferences_show_error(prefs, text);
        return;
    }
    for (GList *l = gtk_application_get_windows(GTK_APPLICATION(self)); l != NULL; l = l->next)
        if (TAMGA_IS_WINDOW(l->data)) {
            tamga_window_notice(TAMGA_WINDOW(l->data), TRUE, text); /* logs it */
            return;
        }
    g_info("error: %s", text);
}

typedef enum { TRUST_ADDED, TRUST_RENAMED, TRUST_REMOVED } TrustChange;

/* A job of these actions: the app is held (stays alive) until it is done. */
typedef struct {
    TamgaApplication *app;
    TrustChange change;
    char *path;
} PrefsJob;

static PrefsJob *prefs_job_new(TamgaApplication *self, TrustChange change, const char *path)
{
    PrefsJob *job = g_new0(PrefsJob, 1);
    job->app = g_object_ref(self);
    job->change = change;
    job->path = g_strdup(path);
    g_application_hold(G_APPLICATION(self));
    return job;
}

static void prefs_job_done(PrefsJob *job)
{
    g_application_release(G_APPLICATION(job->app));
    g_object_unref(job->app);
    g_free(job->path);
    g_free(job);
}

static void trust_changed(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    PrefsJob *job = data;
    TamgaApplication *self = job->app;
    TrustChange change = job->change;
    g_autoptr(GError) err = NULL;
    g_autofree char *name = NULL, *old_name = NULL;
    g_autoptr(GPtrArray) roster = tamga_job_trust_change_finish(res, &name, &old_name, &err);
    if (roster == NULL) {
        prefs_error(self, err->message);
    } else {
        if (change == TRUST_ADDED)
            g_info("trust added: %s", name);
        else if (change == TRUST_RENAMED)
            g_info("trust renamed: %s -> %s", old_name, name);
        else
            g_info("trust removed: %s", name);
        TamgaPreferences *prefs = tamga_preferences_get_open(self);
        if (prefs != NULL) {
            tamga_preferences_show_error(prefs, NULL);
            tamga_preferences_set_roster(prefs, roster);
        }
    }
    prefs_job_done(job);
}

static void trust_add_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    (void)action;
    TamgaApplication *self = data;
    const char *file, *name;
    g_variant_get(param, "(&s&s)", &file, &name);
    tamga_application_touch(self);
    if (file[0] == '\0') {
        tamga_preferences_choose_person(open_preferences(self));
        return;
    }
    if (self->home == NULL) {
        prefs_error(self, _("Cannot find the data folder: set TAMGA_HOME or HOME."));
        return;
    }
    tamga_job_trust_add_async(self->home, file, name, NULL, trust_changed,
                              prefs_job_new(self, TRUST_ADDED, NULL));
}

static void trust_rename_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    (void)action;
    TamgaApplication *self = data;
    const char *old, *name;
    g_variant_get(param, "(&s&s)", &old, &name);
    tamga_application_touch(self);
    if (self->home == NULL) {
        prefs_error(self, _("Cannot find the data folder: set TAMGA_HOME or HOME."));
        return;
    }
    tamga_job_trust_rename_async(self->home, old, name, NULL, trust_changed,
                                 prefs_job_new(self, TRUST_RENAMED, NULL));
}

static void trust_remove_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    (void)action;
    TamgaApplication *self = data;
    tamga_application_touch(self);
    if (self->home == NULL) {
        prefs_error(self, _("Cannot find the data folder: set TAMGA_HOME or HOME."));
        return;
    }
    tamga_job_trust_remove_async(self->home, g_variant_get_string(param, NULL), NULL, trust_changed,
                                 prefs_job_new(self, TRUST_REMOVED, NULL));
}

static GdkClipboard *clipboard(TamgaApplication *self)
{
    TamgaPreferences *prefs = tamga_preferences_get_open(self);
    if (prefs != NULL)
        return gtk_widget_get_clipboard(GTK_WIDGET(prefs));
    return gdk_display_get_clipboard(gdk_display_get_default());
}

static void public_file_read(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    PrefsJob *job = data;
    TamgaApplication *self = job->app;
    g_autoptr(GError) err = NULL;
    g_autofree char *text = tamga_job_read_public_file_finish(res, &err);
    if (text == NULL) {
        prefs_error(self, err->message);
    } else {
        gdk_clipboard_set_text(clipboard(self), text);
        g_info("copied public-file");
    }
    prefs_job_done(job);
}

static void copy_identity_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    (void)action;
    TamgaApplication *self = data;
    const char *kind = g_variant_get_string(param, NULL);
    tamga_application_touch(self);
    if (self->identity == NULL || self->home == NULL) {
        prefs_error(self, _("There is no identity on this computer yet."));
        return;
    }
    if (strcmp(kind, "public-file") == 0) {
        tamga_job_read_public_file_async(self->home, NULL, public_file_read,
                                         prefs_job_new(self, 0, NULL));
        return;
    }
    g_autofree char *text =
        tamga_preferences_identity_text(tamga_identity_get_public(self->identity), kind);
    if (text == NULL) {
        g_autofree char *msg = g_strdup_printf(
            _("Cannot copy \"%s\": choose age, minisign, key-id or public-file."), kind);
        prefs_error(self, msg);
        return;
    }
    gdk_clipboard_set_text(clipboard(self), text);
    g_info("copied %s", kind);
}

static void public_saved(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    PrefsJob *job = data;
    g_autoptr(GError) err = NULL;
    if (tamga_job_save_public_file_finish(res, &err)) {
        g_info("public identity saved: %s", job->path);
        TamgaPreferences *prefs = tamga_preferences_get_open(job->app);
        if (prefs != NULL)
            tamga_preferences_show_error(prefs, NULL);
    } else {
        prefs_error(job->app, err->message);
    }
    prefs_job_done(job);
}

/* Copies this computer's public identity file to a new file (never over an
 * existing one); '' asks where with a file chooser in Preferences. */
static void save_public_identity_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    (void)action;
    TamgaApplication *self = data;
    const char *path = g_variant_get_string(param, NULL);
    tamga_application_touch(self);
    if (self->identity == NULL || self->home == NULL) {
        prefs_error(self, _("There is no identity on this computer yet."));
        return;
    }
    if (path[0] == '\0') {
        tamga_preferences_choose_public_target(open_preferences(self));
        return;
    }
    tamga_job_save_public_file_async(self->home, path, NULL, public_saved,
                                     prefs_job_new(self, 0, path));
}

static void language_saved(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaApplication *self = data;
    g_autoptr(GError) err = NULL;
    if (!tamga_settings_save_finish(res, &err)) {
        prefs_error(self, err->message);
    } else {
        /* Logged once saved: a restart from now on uses it. */
        const char *lang = tamga_settings_get_language();
        g_info("language set: %s", lang[0] ? lang : "system");
        TamgaPreferences *prefs = tamga_preferences_get_open(self);
        if (prefs != NULL)
            tamga_preferences_language_changed(prefs);
    }
    g_application_release(G_APPLICATION(self));
    g_object_unref(self);
}

static void set_language_action(GSimpleAction *action, GVariant *param, gpointer data)
{
    (void)action;
    TamgaApplication *self = data;
    const char *lang = g_variant_get_string(param, NULL);
    tamga_application_touch(self);
    if (!tamga_settings_set_language(lang)) {
        g_autofree char *msg = g_strdup_printf(
            _("Unknown language \"%s\": choose en, kk, ru, ug, or nothing for the system's."),
            lang);
        prefs_error(self, msg);
        return;
    }
    g_application_hold(G_APPLICATION(self));
    tamga_settings_save_async(NULL, language_saved, g_object_ref(self));
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
    {.name = "trust-add", .activate = trust_add_action, .parameter_type = "(ss)"},
    {.name = "trust-rename", .activate = trust_rename_action, .parameter_type = "(ss)"},
    {.name = "trust-remove", .activate = trust_remove_action, .parameter_type = "s"},
    {.name = "copy-identity", .activate = copy_identity_action, .parameter_type = "s"},
    {.name = "save-public-identity",
     .activate = save_public_identity_action,
     .parameter_type = "s"},
    {.name = "set-language", .activate = set_language_action, .parameter_type = "s"},
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
    {.name = "show-help-overlay", .activate = forward_action},
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
