/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaPreferences: the Preferences window (modal, transient for the main
 * window): this computer's identity (copy the age recipient, minisign key,
 * key id; save the public identity file), the trust roster (add, rename,
 * remove), the idle lock and the language. Its buttons activate the app
 * actions trust-add, trust-rename, trust-remove, copy-identity,
 * save-public-identity and set-language; TamgaApplication feeds the results back through the
 * functions below, so the actions work the same with or without it open. */
#ifndef TAMGA_PREFERENCES_H
#define TAMGA_PREFERENCES_H

#include <gtk/gtk.h>

#include "tamga-application.h"

G_BEGIN_DECLS

#define TAMGA_TYPE_PREFERENCES (tamga_preferences_get_type())
G_DECLARE_FINAL_TYPE(TamgaPreferences, tamga_preferences, TAMGA, PREFERENCES, GtkWindow)

/* A new window (not yet shown); it loads the trust roster itself. */
TamgaPreferences *tamga_preferences_new(TamgaApplication *app, GtkWindow *parent);
/* The open Preferences window of `app` (borrowed), or NULL. */
TamgaPreferences *tamga_preferences_get_open(TamgaApplication *app);

/* Shows the roster (a GPtrArray of TamgaTrustInfo, see tamga-jobs-trust.h). */
void tamga_preferences_set_roster(TamgaPreferences *self, GPtrArray *roster);
/* Shows `text` as the window's one red line; NULL or "" hides it. */
void tamga_preferences_show_error(TamgaPreferences *self, const char *text);
/* The saved language changed (tamga_settings_get_language): shows it and says
 * when it takes effect. */
void tamga_preferences_language_changed(TamgaPreferences *self);
/* Opens the file chooser of "Add Person…" / "Save Public Identity File…"
 * (which then activate app.trust-add / app.save-public-identity). */
void tamga_preferences_choose_person(TamgaPreferences *self);
void tamga_preferences_choose_public_target(TamgaPreferences *self);

/* This identity's public key as people copy it: `kind` "age" (age1…),
 * "minisign" (the base64 key line) or "key-id". Newly allocated; NULL for an
 * unknown kind. */
char *tamga_preferences_identity_text(const tamga_pubid *pub, const char *kind);

G_END_DECLS

#endif
