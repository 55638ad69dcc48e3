/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaApplication: the GtkApplication (id org.tamga.Recorder). It owns this
 * machine's identity (locked or unlocked), the data folder and the settings,
 * and exposes every command as an app action so `gapplication action
 * org.tamga.Recorder ACTION [PARAMETER]` reaches it; window commands are
 * forwarded to the active window's win.* actions. */
#ifndef TAMGA_APPLICATION_H
#define TAMGA_APPLICATION_H

#include <gtk/gtk.h>

#include "tamga/tamga.h"

G_BEGIN_DECLS

#define TAMGA_APP_ID "org.tamga.Recorder"

#define TAMGA_TYPE_APPLICATION (tamga_application_get_type())
G_DECLARE_FINAL_TYPE(TamgaApplication, tamga_application, TAMGA, APPLICATION, GtkApplication)

TamgaApplication *tamga_application_new(void);

/* The data folder (tamga_home_resolve), or NULL if it cannot be resolved. */
const char *tamga_application_get_home(TamgaApplication *self);
/* This machine's identity (borrowed), or NULL before one exists or is loaded. */
tamga_identity *tamga_application_get_identity(TamgaApplication *self);
/* Takes ownership of `id` (replacing any previous one). Notifies "unlocked". */
void tamga_application_set_identity(TamgaApplication *self, tamga_identity *id);
gboolean tamga_application_is_unlocked(TamgaApplication *self);
/* Call after unlocking the identity in a worker: notifies "unlocked". */
void tamga_application_unlocked(TamgaApplication *self);
/* Users of the unlocked secrets (a worker thread signing, a recorder) hold the
 * identity: locking waits until nobody holds it. */
void tamga_application_hold_identity(TamgaApplication *self);
void tamga_application_release_identity(TamgaApplication *self);
/* Wipes the unlocked secret keys now, or as soon as they are released.
 * Returns FALSE (and wipes later) when they are in use. */
gboolean tamga_application_lock(TamgaApplication *self);
/* The passphrase file for non-interactive unlocking (env TAMGA_PASSPHRASE_FILE,
 * for tests and kiosk scripts), or NULL. */
const char *tamga_application_get_passphrase_file(TamgaApplication *self);

/* Minutes of inactivity before the identity locks itself (0 = never). */
guint tamga_application_get_idle_minutes(TamgaApplication *self);
void tamga_application_set_idle_minutes(TamgaApplication *self, guint minutes);
/* Records user activity (resets the idle timer). */
void tamga_application_touch(TamgaApplication *self);

G_END_DECLS

#endif
