/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-settings.h"

#include <glib/gi18n.h>
#include <string.h>

static const char *const languages[] = {"en", "kk", "ru", "ug"};

/* The values in memory; the lock also orders the writes of the file. */
static GMutex lock;
static guint idle_minutes = TAMGA_SETTINGS_DEFAULT_IDLE_MINUTES;
static char language[8] = "";

char *tamga_settings_path(void)
{
    return g_build_filename(g_get_user_config_dir(), "tamga", "recorder.ini", NULL);
}

gboolean tamga_settings_language_is_valid(const char *lang)
{
    if (lang == NULL)
        return FALSE;
    if (lang[0] == '\0')
        return TRUE;
    for (size_t i = 0; i < G_N_ELEMENTS(languages); i++)
        if (strcmp(lang, languages[i]) == 0)
            return TRUE;
    return FALSE;
}

void tamga_settings_load(void)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *path = tamga_settings_path();
    g_mutex_lock(&lock);
    idle_minutes = TAMGA_SETTINGS_DEFAULT_IDLE_MINUTES;
    language[0] = '\0';
    if (g_key_file_load_from_file(kf, path, G_KEY_FILE_KEEP_COMMENTS, NULL)) {
        g_autoptr(GError) err = NULL;
        gint v = g_key_file_get_integer(kf, "security", "idle-lock-minutes", &err);
        if (err == NULL && v >= 0 && v <= TAMGA_SETTINGS_MAX_IDLE_MINUTES)
            idle_minutes = (guint)v;
        g_autofree char *lang = g_key_file_get_string(kf, "ui", "language", NULL);
        if (lang != NULL && tamga_settings_language_is_valid(lang))
            g_strlcpy(language, lang, sizeof language);
    }
    g_mutex_unlock(&lock);
}

guint tamga_settings_get_idle_minutes(void)
{
    g_mutex_lock(&lock);
    guint v = idle_minutes;
    g_mutex_unlock(&lock);
    return v;
}

void tamga_settings_set_idle_minutes(guint minutes)
{
    g_mutex_lock(&lock);
    idle_minutes = MIN(minutes, TAMGA_SETTINGS_MAX_IDLE_MINUTES);
    g_mutex_unlock(&lock);
}

const char *tamga_settings_get_language(void)
{
    /* Only the UI thread changes it. */
    return language;
}

gboolean tamga_settings_set_language(const char *lang)
{
    if (!tamga_settings_language_is_valid(lang))
        return FALSE;
    g_mutex_lock(&lock);
    g_strlcpy(language, lang, sizeof language);
    g_mutex_unlock(&lock);
    return TRUE;
}

static void save_thread(GTask *task, gpointer source, gpointer data, GCancellable *c)
{
    (void)source;
    (void)data;
    (void)c;
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *path = tamga_settings_path();
    g_autofree char *dir = g_path_get_dirname(path);
    g_autoptr(GError) err = NULL;
    g_mutex_lock(&lock);
    /* Keep whatever else is in the file (comments, keys of later versions). */
    g_key_file_load_from_file(kf, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
    g_key_file_set_integer(kf, "security", "idle-lock-minutes", (gint)idle_minutes);
    if (language[0] != '\0')
        g_key_file_set_string(kf, "ui", "language", language);
    else
        g_key_file_remove_key(kf, "ui", "language", NULL);
    gboolean ok = g_mkdir_with_parents(dir, 0700) == 0 && g_key_file_save_to_file(kf, path, &err);
    g_mutex_unlock(&lock);
    if (ok)
        g_task_return_boolean(task, TRUE);
    else if (err != NULL)
        g_task_return_new_error(task, err->domain, err->code, _("Cannot save the settings: %s"),
                                err->message);
    else
        g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                _("Cannot save the settings: cannot create %s"), dir);
}

void tamga_settings_save_async(GCancellable *cancellable, GAsyncReadyCallback cb,
                               gpointer user_data)
{
    g_autoptr(GTask) task = g_task_new(NULL, cancellable, cb, user_data);
    g_task_run_in_thread(task, save_thread);
}

gboolean tamga_settings_save_finish(GAsyncResult *res, GError **error)
{
    return g_task_propagate_boolean(G_TASK(res), error);
}
