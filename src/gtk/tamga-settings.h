/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's settings: a small key file, $XDG_CONFIG_HOME/tamga/recorder.ini
 * (the app has no GSettings schema to install):
 *   [security] idle-lock-minutes = 0..1440 (0 = never; default 15)
 *   [ui]       language = en | kk | ru | ug (absent: the system's language)
 * Read once, before GTK starts (tamga_settings_load); the getters then answer
 * from memory. Setters change the values in memory at once and write the file
 * in a worker thread (tamga_settings_save_async), keeping any other keys. */
#ifndef TAMGA_SETTINGS_H
#define TAMGA_SETTINGS_H

#include <gio/gio.h>

G_BEGIN_DECLS

#define TAMGA_SETTINGS_DEFAULT_IDLE_MINUTES 15
#define TAMGA_SETTINGS_MAX_IDLE_MINUTES     (24 * 60)

/* The settings file (newly allocated). */
char *tamga_settings_path(void);
/* Reads the file (synchronously: call it before the UI exists). A missing or
 * unreadable file, or a bad value, gives the defaults. */
void tamga_settings_load(void);

guint tamga_settings_get_idle_minutes(void);
void tamga_settings_set_idle_minutes(guint minutes);
/* The saved language ("en", "kk", "ru", "ug"), or "" for the system's. Borrowed
 * (valid until the next set_language). */
const char *tamga_settings_get_language(void);
/* "" or one of the languages above; FALSE (and nothing changes) otherwise. */
gboolean tamga_settings_set_language(const char *lang);
gboolean tamga_settings_language_is_valid(const char *lang);

/* Writes the current values (atomically) in a worker thread. Saves never
 * overtake each other: each writes the values current when it runs. */
void tamga_settings_save_async(GCancellable *cancellable, GAsyncReadyCallback cb,
                               gpointer user_data);
gboolean tamga_settings_save_finish(GAsyncResult *res, GError **error);

G_END_DECLS

#endif
