/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaWindow: the main window — header bar, unlock bar, notices, the sidebar
 * with the pages (TamgaSetupPage on first run; TamgaCasesPage,
 * TamgaRecordPage, TamgaRecordingsPage, TamgaVerifyPage, TamgaHandoverPage;
 * the current case of the Cases page is passed on to the others), start-up
 * (identity, recovery), closing (asks while recording) and the emergency wipe.
 * Its commands are win.* actions, each forwarding to the page that does the
 * work (new-case, new-case-with, join-case, select-case, use-identity,
 * select-device, refresh-devices, show-page, record, pause, marker, stop,
 * play, seek, export-audio, verify, export-bundle, import-bundle,
 * import-confirm, wipe, screenshot), reachable from outside through the app.*
 * actions of TamgaApplication. */
#ifndef TAMGA_WINDOW_H
#define TAMGA_WINDOW_H

#include <gtk/gtk.h>

#include "tamga-application.h"

G_BEGIN_DECLS

#define TAMGA_TYPE_WINDOW (tamga_window_get_type())
G_DECLARE_FINAL_TYPE(TamgaWindow, tamga_window, TAMGA, WINDOW, GtkApplicationWindow)

TamgaWindow *tamga_window_new(TamgaApplication *app);
/* TRUE while a recording is being made (or started, or sealed). */
gboolean tamga_window_is_recording(TamgaWindow *self);

/* For the pages and dialogs of the window. */
typedef void (*TamgaUnlockedFunc)(gpointer data);
/* Runs fn(data) once this machine's identity is unlocked: at once, after
 * reading TAMGA_PASSPHRASE_FILE, or after the person types the passphrase in
 * the window's unlock bar (`why` is its prompt). destroy(data) (may be NULL)
 * is called afterwards, or instead of fn when the request is abandoned
 * (cancelled, replaced by a newer one, window closed). */
void tamga_window_need_unlocked(TamgaWindow *self, const char *why, TamgaUnlockedFunc fn,
                                gpointer data, GDestroyNotify destroy);
/* Shows a one-line notice (error: red) above the pages; also logged. */
void tamga_window_notice(TamgaWindow *self, gboolean error, const char *text);
/* Hides the notice, if one is shown (a recording started). */
void tamga_window_hide_notice(TamgaWindow *self);
/* Creates a case (after unlocking) with further keyholders (NULL-terminated
 * roster names or public identity files; may be NULL) and, with record_only,
 * without a key grant for this computer; then selects it. Errors: a notice.
 * (tamga_cases_page_create_case of the window's Cases page.) */
void tamga_window_create_case(TamgaWindow *self, const char *title, const char *const *keyholders,
                              gboolean record_only);
/* Reloads the cases list; `select_id` (may be NULL) becomes the current case. */
void tamga_window_reload_cases(TamgaWindow *self, const char *select_id);

G_END_DECLS

#endif
