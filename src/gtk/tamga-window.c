/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-window.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tamga-cases-page.h"
#include "tamga-gui-util.h"
#include "tamga-handover-page.h"
#include "tamga-jobs.h"
#include "tamga-record-page.h"
#include "tamga-recordings-page.h"
#include "tamga-screenshot.h"
#include "tamga-setup-page.h"
#include "tamga-verify-page.h"
#include "tamga-wipe-dialog.h"

struct _TamgaWindow {
    GtkApplicationWindow parent_instance;

    /* template children */
    GtkWidget *lock_button;
    GtkWidget *lock_state_label;
    GtkWidget *unlock_revealer;
    GtkWidget *unlock_label;
    GtkWidget *unlock_entry;
    GtkWidget *unlock_spinner;
    GtkWidget *unlock_button;
    GtkWidget *unlock_cancel;
    GtkWidget *notice_revealer;
    GtkWidget *notice_label;
    GtkWidget *notice_close;
    GtkWidget *main_stack;
    GtkWidget *setup_page;
    GtkWidget *pages;
    GtkWidget *cases_page;
    GtkWidget *record_page;
    GtkWidget *recordings_page;
    GtkWidget *verify_page;
    GtkWidget *handover_page;

    TamgaApplication *app;
    GCancellable *cancellable;

    gboolean close_after_stop; /* the recording is being sealed, then the window closes */

    /* what to run once unlocked */
    TamgaUnlockedFunc pending_fn;
    gpointer pending_data;
    GDestroyNotify pending_destroy;
    gboolean unlocking;

    GtkWidget *wipe_dialog; /* open confirmation, or NULL */
    gboolean wiping;
};

G_DEFINE_FINAL_TYPE(TamgaWindow, tamga_window, GTK_TYPE_APPLICATION_WINDOW)

static void update_actions(TamgaWindow *self);
static void update_lock_state(TamgaWindow *self);

/* ---- notices --------------------------------------------------------------- */

void tamga_window_notice(TamgaWindow *self, gboolean error, const char *text)
{
    gtk_label_set_text(GTK_LABEL(self->notice_label), text);
    if (error)
        gtk_widget_add_css_class(self->notice_revealer, "error-notice");
    else
        gtk_widget_remove_css_class(self->notice_revealer, "error-notice");
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->notice_revealer), TRUE);
    g_info("%s: %s", error ? "error" : "notice", text);
}

void tamga_window_hide_notice(TamgaWindow *self)
{
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->notice_revealer), FALSE);
}

/* ---- unlocking ----------------------------------------------------------------- */

static void update_lock_state(TamgaWindow *self)
{
    gboolean unlocked = tamga_application_is_unlocked(self->app);
    tamga_identity *id = tamga_application_get_identity(self->app);
    gtk_widget_set_visible(self->lock_button, id != NULL);
    gtk_widget_set_sensitive(self->lock_button, unlocked);
    gtk_label_set_text(GTK_LABEL(self->lock_state_label), id == NULL ? ""
                                                          : unlocked ? _("Unlocked")
                                                                     : _("Locked"));
}

/* Forgets what was to run once unlocked (the person gave up, or a newer
 * request replaced it). */
static void clear_pending(TamgaWindow *self)
{
    self->pending_fn = NULL;
    GDestroyNotify destroy = self->pending_destroy;
    gpointer data = self->pending_data;
    self->pending_destroy = NULL;
    self->pending_data = NULL;
    if (destroy != NULL)
        destroy(data);
}

static void on_unlocked_changed(GObject *app, GParamSpec *pspec, TamgaWindow *self)
{
    (void)app;
    (void)pspec;
    update_lock_state(self);
}

static void unlock_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autoptr(GError) err = NULL;
    gboolean ok = tamga_job_unlock_finish(res, &err);
    self->unlocking = FALSE;
    tamga_application_release_identity(self->app);
    TAMGA_RETURN_IF_CLOSED(err, self);
    gtk_spinner_stop(GTK_SPINNER(self->unlock_spinner));
    gtk_widget_set_sensitive(self->unlock_button, TRUE);
    if (!ok) {
        if (tamga_application_get_passphrase_file(self->app) != NULL) {
            clear_pending(self);
            tamga_window_notice(self, TRUE, err->message);
        } else {
            gtk_label_set_text(GTK_LABEL(self->unlock_label), err->message);
            gtk_widget_grab_focus(self->unlock_entry);
        }
        g_object_unref(self);
        return;
    }
    g_info("identity unlocked");
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->unlock_revealer), FALSE);
    tamga_application_unlocked(self->app);
    TamgaUnlockedFunc pfn = self->pending_fn;
    gpointer pdata = self->pending_data;
    GDestroyNotify pdestroy = self->pending_destroy;
    self->pending_fn = NULL;
    self->pending_data = NULL;
    self->pending_destroy = NULL;
    if (pfn != NULL)
        pfn(pdata);
    if (pdestroy != NULL)
        pdestroy(pdata);
    g_object_unref(self);
}

static void start_unlock(TamgaWindow *self, const char *pass)
{
    tamga_identity *id = tamga_application_get_identity(self->app);
    self->unlocking = TRUE;
    tamga_application_hold_identity(self->app);
    gtk_spinner_start(GTK_SPINNER(self->unlock_spinner));
    gtk_widget_set_sensitive(self->unlock_button, FALSE);
    const char *file = tamga_application_get_passphrase_file(self->app);
    if (pass == NULL && file != NULL)
        tamga_job_unlock_file_async(id, file, self->cancellable, unlock_done, g_object_ref(self));
    else
        tamga_job_unlock_async(id, pass, self->cancellable, unlock_done, g_object_ref(self));
}

void tamga_window_need_unlocked(TamgaWindow *self, const char *why, TamgaUnlockedFunc fn,
                                gpointer data, GDestroyNotify destroy)
{
    tamga_identity *id = tamga_application_get_identity(self->app);
    if (id == NULL) {
        tamga_window_notice(self, TRUE, _("This computer has no identity yet."));
        if (destroy != NULL)
            destroy(data);
        return;
    }
    if (tamga_identity_is_unlocked(id)) {
        fn(data);
        if (destroy != NULL)
            destroy(data);
        return;
    }
    clear_pending(self);
    self->pending_fn = fn;
    self->pending_data = data;
    self->pending_destroy = destroy;
    if (self->unlocking)
        return;
    if (tamga_application_get_passphrase_file(self->app) != NULL) {
        start_unlock(self, NULL);
        return;
    }
    gtk_label_set_text(GTK_LABEL(self->unlock_label), why);
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->unlock_revealer), TRUE);
    gtk_widget_grab_focus(self->unlock_entry);
}

static void on_unlock_clicked(GtkWidget *w, TamgaWindow *self)
{
    (void)w;
    if (self->unlocking)
        return;
    const char *pass = gtk_editable_get_text(GTK_EDITABLE(self->unlock_entry));
    if (pass[0] == '\0')
        return;
    start_unlock(self, pass); /* copied into sodium memory at once */
    gtk_editable_set_text(GTK_EDITABLE(self->unlock_entry), "");
}

static void on_unlock_cancel(GtkButton *b, TamgaWindow *self)
{
    (void)b;
    clear_pending(self);
    gtk_editable_set_text(GTK_EDITABLE(self->unlock_entry), "");
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->unlock_revealer), FALSE);
}

/* ---- first run (the setup page does the work) ------------------------------------------ */

static void after_identity(TamgaWindow *self);

static void on_identity_ready(TamgaSetupPage *page, TamgaWindow *self)
{
    (void)page;
    after_identity(self);
}

static void use_identity_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    if (tamga_application_get_identity(self->app) != NULL) {
        tamga_window_notice(self, TRUE, _("This computer already has an identity."));
        return;
    }
    gtk_stack_set_visible_child_name(GTK_STACK(self->main_stack), "setup");
    tamga_setup_page_use_identity(TAMGA_SETUP_PAGE(self->setup_page),
                                  g_variant_get_string(param, NULL));
}

/* ---- cases (the Cases page does the work) ----------------------------------------------- */

/* The current case changed (title NULL: no case is listed): the pages follow it. */
static void on_case_changed(TamgaCasesPage *page, const char *id, const char *title,
                            gboolean keyholder, TamgaWindow *self)
{
    (void)page;
    tamga_record_page_set_case(TAMGA_RECORD_PAGE(self->record_page), id, title);
    tamga_recordings_page_set_case(TAMGA_RECORDINGS_PAGE(self->recordings_page), id, title,
                                   keyholder);
    if (title == NULL)
        return;
    tamga_handover_page_set_case(TAMGA_HANDOVER_PAGE(self->handover_page), id, title, keyholder);
    update_actions(self);
    tamga_recordings_page_reload(TAMGA_RECORDINGS_PAGE(self->recordings_page));
}

void tamga_window_reload_cases(TamgaWindow *self, const char *select_id)
{
    tamga_cases_page_reload(TAMGA_CASES_PAGE(self->cases_page), select_id);
}

void tamga_window_create_case(TamgaWindow *self, const char *title, const char *const *keyholders,
                              gboolean record_only)
{
    tamga_cases_page_create_case(TAMGA_CASES_PAGE(self->cases_page), title, keyholders,
                                 record_only);
}

/* new-case('TITLE') creates a case with this computer as its keyholder;
 * new-case('') asks for everything in the New Case dialog. */
static void new_case_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_cases_page_new_case(TAMGA_CASES_PAGE(self->cases_page),
                              g_variant_get_string(param, NULL));
}

/* new-case-with({'title': <s>, 'keyholders': <as>, 'record-only': <b>}), for scripts. */
static void new_case_with_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_cases_page_new_case_with(TAMGA_CASES_PAGE(self->cases_page), param);
}

/* join-case('FILE'): records into the case described by a field-laptop file
 * (tamga case export-recorder); '' opens a file chooser. */
static void join_case_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_cases_page_join(TAMGA_CASES_PAGE(self->cases_page), g_variant_get_string(param, NULL));
}

static void select_case_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_cases_page_select(TAMGA_CASES_PAGE(self->cases_page), g_variant_get_string(param, NULL));
}

/* ---- verify (the page does the work) ----------------------------------------------------------
 */

static void verify_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    const char *path = g_variant_get_string(param, NULL);
    if (path[0] != '\0') {
        tamga_verify_page_verify(TAMGA_VERIFY_PAGE(self->verify_page), path);
        return;
    }
    const char *page = gtk_stack_get_visible_child_name(GTK_STACK(self->pages));
    if (g_strcmp0(page, "recordings") == 0 &&
        tamga_recordings_page_verify_selected(TAMGA_RECORDINGS_PAGE(self->recordings_page)))
        return;
    gtk_stack_set_visible_child_name(GTK_STACK(self->pages), "verify");
    tamga_verify_page_choose(TAMGA_VERIFY_PAGE(self->verify_page), TRUE);
}

/* ---- recording (the Record page does the work) ------------------------------------------ */

static void refresh_devices_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_refresh_devices(TAMGA_RECORD_PAGE(self->record_page));
}

static void select_device_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_select_device(TAMGA_RECORD_PAGE(self->record_page),
                                    g_variant_get_string(param, NULL));
}

static void update_actions(TamgaWindow *self)
{
    TamgaRecordPage *rec = TAMGA_RECORD_PAGE(self->record_page);
    TamgaRecordingsPage *recs = TAMGA_RECORDINGS_PAGE(self->recordings_page);
    gboolean can_record, can_control, idle;
    tamga_record_page_get_actions(rec, &can_record, &can_control, &idle);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.record", can_record);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.pause", can_control);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.marker", can_control);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.stop", can_control);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.refresh-devices", idle);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.new-case",
                                  tamga_cases_page_can_create(TAMGA_CASES_PAGE(self->cases_page)));
    gboolean can_play, can_export, can_seek;
    tamga_recordings_page_get_actions(recs, &can_play, &can_export, &can_seek);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.play", can_play);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.export-audio", can_export);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.seek", can_seek);
    gtk_widget_action_set_enabled(GTK_WIDGET(self), "win.wipe", !self->wiping);
    /* The input list is not read while playback uses the audio system. */
    tamga_record_page_set_audio_busy(rec, tamga_recordings_page_uses_audio(recs));
}

static void record_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_record(TAMGA_RECORD_PAGE(self->record_page));
}

static void pause_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_pause(TAMGA_RECORD_PAGE(self->record_page));
}

static void marker_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_marker(TAMGA_RECORD_PAGE(self->record_page),
                             g_variant_get_string(param, NULL));
}

static void stop_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_record_page_stop(TAMGA_RECORD_PAGE(self->record_page));
}

/* A recording ended: the lists may hold a new one; close if that was asked. */
static void on_recording_stopped(TamgaRecordPage *page, TamgaWindow *self)
{
    (void)page;
    tamga_recordings_page_reload(TAMGA_RECORDINGS_PAGE(self->recordings_page));
    tamga_cases_page_reload(TAMGA_CASES_PAGE(self->cases_page), NULL);
    if (self->close_after_stop)
        gtk_window_destroy(GTK_WINDOW(self));
}

gboolean tamga_window_is_recording(TamgaWindow *self)
{
    return tamga_record_page_is_recording(TAMGA_RECORD_PAGE(self->record_page));
}

/* ---- closing -------------------------------------------------------------------- */

static void on_close_response(GtkDialog *dialog, int response, TamgaWindow *self)
{
    gtk_window_destroy(GTK_WINDOW(dialog));
    if (response == GTK_RESPONSE_ACCEPT) {
        self->close_after_stop = TRUE;
        tamga_record_page_stop(TAMGA_RECORD_PAGE(self->record_page));
    }
}

static gboolean tamga_window_close_request(GtkWindow *window)
{
    TamgaWindow *self = TAMGA_WINDOW(window);
    if (!tamga_window_is_recording(self))
        return GTK_WINDOW_CLASS(tamga_window_parent_class)->close_request(window);
    if (self->close_after_stop)
        return TRUE; /* already sealing; closes when done */
    GtkWidget *dialog = gtk_message_dialog_new(
        window, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
        GTK_BUTTONS_NONE, "%s", _("A recording is in progress"));
    gtk_message_dialog_format_secondary_text(
        GTK_MESSAGE_DIALOG(dialog), "%s",
        _("Stop it now? What was recorded is sealed and signed before the window closes."));
    gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Keep Recording"), GTK_RESPONSE_CANCEL);
    GtkWidget *stop =
        gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Stop and Close"), GTK_RESPONSE_ACCEPT);
    gtk_widget_add_css_class(stop, "destructive-action");
    gtk_dialog_set_default_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);
    g_signal_connect(dialog, "response", G_CALLBACK(on_close_response), self);
    gtk_window_present(GTK_WINDOW(dialog));
    return TRUE;
}

/* ---- playback and export (the Recordings page does the work) --------------------------- */

static void play_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_recordings_page_play(TAMGA_RECORDINGS_PAGE(self->recordings_page));
}

static void seek_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_recordings_page_seek(TAMGA_RECORDINGS_PAGE(self->recordings_page),
                               g_variant_get_double(param));
}

/* export-audio(''): warn, choose a file, decrypt. export-audio(PATH): decrypt
 * the selected recording to PATH (for scripts and tests; no dialog). */
static void export_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_recordings_page_export_audio(TAMGA_RECORDINGS_PAGE(self->recordings_page),
                                       g_variant_get_string(param, NULL));
}

/* ---- emergency wipe ------------------------------------------------------------- */

static void wipe_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autofree tamga_wipe_report *r = tamga_job_wipe_finish(res, NULL);
    self->wiping = FALSE;
    /* The unlocked keys in memory go too (at once, or when a recording ends). */
    if (tamga_application_lock(self->app))
        tamga_application_set_identity(self->app, NULL);
    if (r == NULL || g_cancellable_is_cancelled(self->cancellable)) {
        g_object_unref(self);
        return;
    }
    g_info("wipe: identity destroyed %d, grants destroyed %zu, recordings remaining %zu, "
           "failures %zu, %.1f ms",
           r->identity_destroyed, r->grants_destroyed, r->recordings_remaining, r->failures,
           (double)r->elapsed_us / 1000.0);
    tamga_recordings_page_stop_playback(TAMGA_RECORDINGS_PAGE(self->recordings_page));
    g_autofree char *grants =
        g_strdup_printf(ngettext("%zu case-key grant", "%zu case-key grants", r->grants_destroyed),
                        r->grants_destroyed);
    g_autofree char *recs = g_strdup_printf(
        ngettext("%zu encrypted recording remains on this computer",
                 "%zu encrypted recordings remain on this computer", r->recordings_remaining),
        r->recordings_remaining);
    g_autofree char *msg = g_strdup_printf(
        _("Emergency wipe done in %.0f ms. Destroyed: %s%s. What remains: %s — it can no "
          "longer be decrypted here, but still verifies; other keyholders' copies are not "
          "affected. Public facts remain readable: titles, dates, durations and your public "
          "identity. Audio you exported earlier is not touched."),
        (double)r->elapsed_us / 1000.0,
        r->identity_destroyed ? _("this computer's secret identity key and ") : "", grants, recs);
    if (r->failures > 0) {
        g_autofree char *bad =
            g_strdup_printf(ngettext("%s\n%zu file could NOT be destroyed: %s",
                                     "%s\n%zu files could NOT be destroyed: %s", r->failures),
                            msg, r->failures, r->first_failure);
        tamga_window_notice(self, TRUE, bad);
    } else {
        tamga_window_notice(self, FALSE, msg);
    }
    update_lock_state(self);
    tamga_cases_page_reload(TAMGA_CASES_PAGE(self->cases_page), NULL);
    update_actions(self);
    g_object_unref(self);
}

static void run_wipe(TamgaWindow *self)
{
    const char *home = tamga_application_get_home(self->app);
    if (home == NULL || self->wiping)
        return;
    self->wiping = TRUE;
    update_actions(self);
    g_info("wipe: started");
    tamga_job_wipe_async(home, self->cancellable, wipe_done, g_object_ref(self));
}

static void on_wipe_response(GtkDialog *dialog, int response, TamgaWindow *self)
{
    self->wipe_dialog = NULL;
    gtk_window_destroy(GTK_WINDOW(dialog));
    if (response == GTK_RESPONSE_ACCEPT)
        run_wipe(self);
}

/* wipe(''): asks, with a word to type. wipe(WORD), WORD being the translated
 * word the dialog asks for: wipes at once (a panic button for scripts). */
static void wipe_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    const char *word = g_variant_get_string(param, NULL);
    if (word[0] != '\0') {
        if (strcmp(word, tamga_wipe_dialog_word()) == 0) {
            if (self->wipe_dialog != NULL)
                gtk_dialog_response(GTK_DIALOG(self->wipe_dialog), GTK_RESPONSE_ACCEPT);
            else
                run_wipe(self);
        } else
            g_warning("wipe: the confirmation word is wrong; nothing destroyed");
        return;
    }
    if (self->wipe_dialog != NULL) {
        gtk_window_present(GTK_WINDOW(self->wipe_dialog));
        return;
    }
    TamgaWipeDialog *dialog = tamga_wipe_dialog_new(GTK_WINDOW(self));
    g_signal_connect(dialog, "response", G_CALLBACK(on_wipe_response), self);
    self->wipe_dialog = GTK_WIDGET(dialog);
    tamga_wipe_dialog_present(dialog);
    g_info("wipe: asking for confirmation");
}

/* ---- hand over (the page does the work) ---------------------------------------------- */

static void export_bundle_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    gtk_stack_set_visible_child_name(GTK_STACK(self->pages), "handover");
    tamga_handover_page_export(TAMGA_HANDOVER_PAGE(self->handover_page), param);
}

static void import_bundle_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    gtk_stack_set_visible_child_name(GTK_STACK(self->pages), "handover");
    tamga_handover_page_import(TAMGA_HANDOVER_PAGE(self->handover_page),
                               g_variant_get_string(param, NULL));
}

static void import_confirm_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    (void)param;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    tamga_handover_page_import_confirm(TAMGA_HANDOVER_PAGE(self->handover_page));
}

static void on_bundle_imported(TamgaHandoverPage *page, const char *case_id, TamgaWindow *self)
{
    (void)page;
    tamga_window_reload_cases(self, case_id);
}

/* ---- pages and screenshots ---------------------------------------------------------- */

static void show_page_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    TamgaWindow *self = TAMGA_WINDOW(widget);
    const char *page = g_variant_get_string(param, NULL);
    if (strcmp(page, "setup") == 0)
        gtk_stack_set_visible_child_name(GTK_STACK(self->main_stack), "setup");
    else if (gtk_stack_get_child_by_name(GTK_STACK(self->pages), page) != NULL)
        gtk_stack_set_visible_child_name(GTK_STACK(self->pages), page);
}

/* Hidden, for tests and documentation: renders the window into a PNG file. */
static void screenshot_action(GtkWidget *widget, const char *name, GVariant *param)
{
    (void)name;
    const char *path = g_variant_get_string(param, NULL);
    /* An open dialog or preferences window is what the person sees: render
     * the most recently shown one that belongs to this window. */
    TamgaWindow *self = TAMGA_WINDOW(widget);
    if (self->wipe_dialog != NULL)
        widget = self->wipe_dialog;
    GListModel *tops = gtk_window_get_toplevels();
    for (guint i = 0; widget == GTK_WIDGET(self) && i < g_list_model_get_n_items(tops); i++) {
        g_autoptr(GtkWindow) w = g_list_model_get_item(tops, i);
        if (gtk_window_get_transient_for(w) == GTK_WINDOW(self) &&
            gtk_widget_get_visible(GTK_WIDGET(w)))
            widget = GTK_WIDGET(w);
    }
    tamga_screenshot_after_frame(widget, path);
}

/* ---- start-up: identity, recovery --------------------------------------------------- */

static void recovered(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autoptr(GError) err = NULL;
    g_autofree char *summary = tamga_job_recover_finish(res, &err);
    tamga_application_release_identity(self->app);
    TAMGA_RETURN_IF_CLOSED(err, self);
    if (summary == NULL) {
        tamga_window_notice(self, TRUE, err->message);
    } else {
        g_autofree char *msg = g_strdup_printf(
            _("Recordings interrupted earlier (by a crash, a power cut or a full disk) were "
              "recovered:\n%s"),
            summary);
        tamga_window_notice(self, FALSE, g_strchomp(msg));
        tamga_cases_page_reload(TAMGA_CASES_PAGE(self->cases_page), NULL);
        tamga_recordings_page_reload(TAMGA_RECORDINGS_PAGE(self->recordings_page));
    }
    g_object_unref(self);
}

static void recover_unlocked(gpointer data)
{
    TamgaWindow *self = data;
    tamga_application_hold_identity(self->app);
    tamga_job_recover_async(tamga_application_get_home(self->app),
                            tamga_application_get_identity(self->app), self->cancellable, recovered,
                            g_object_ref(self));
}

static void recover_counted(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autoptr(GError) err = NULL;
    gssize n = tamga_job_recover_count_finish(res, &err);
    TAMGA_RETURN_IF_CLOSED(err, self);
    if (n > 0) {
        g_autofree char *msg = g_strdup_printf(
            ngettext("%zd recording was interrupted earlier. Enter your passphrase to seal and "
                     "sign what was saved of it:",
                     "%zd recordings were interrupted earlier. Enter your passphrase to seal and "
                     "sign what was saved of them:",
                     (unsigned long)n),
            n);
        g_info("unfinished recordings: %zd", n);
        tamga_window_need_unlocked(self, msg, recover_unlocked, g_object_ref(self), g_object_unref);
    }
    g_object_unref(self);
}

static void after_identity(TamgaWindow *self)
{
    update_lock_state(self);
    gtk_stack_set_visible_child_name(GTK_STACK(self->main_stack), "main");
    tamga_cases_page_reload(TAMGA_CASES_PAGE(self->cases_page), NULL);
    tamga_record_page_start(TAMGA_RECORD_PAGE(self->record_page));
    tamga_job_recover_count_async(tamga_application_get_home(self->app), self->cancellable,
                                  recover_counted, g_object_ref(self));
}

static void identity_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaWindow *self = data;
    g_autoptr(GError) err = NULL;
    tamga_identity *id = tamga_job_load_identity_finish(res, &err);
    TAMGA_RETURN_IF_CLOSED(err, self);
    if (err != NULL) {
        tamga_window_notice(self, TRUE, err->message);
        gtk_stack_set_visible_child_name(GTK_STACK(self->main_stack), "setup");
    } else if (id == NULL) {
        g_info("no identity: first run");
        gtk_stack_set_visible_child_name(GTK_STACK(self->main_stack), "setup");
        tamga_setup_page_start(TAMGA_SETUP_PAGE(self->setup_page));
    } else {
        g_info("identity loaded");
        tamga_application_set_identity(self->app, id);
        after_identity(self);
    }
    g_object_unref(self);
}

/* Any input counts as activity for the idle lock. */
static gboolean on_key(GtkEventControllerKey *c, guint keyval, guint keycode, GdkModifierType state,
                       TamgaWindow *self)
{
    (void)c;
    (void)keyval;
    (void)keycode;
    (void)state;
    tamga_application_touch(self->app);
    return FALSE;
}

static void on_motion(GtkEventControllerMotion *c, double x, double y, TamgaWindow *self)
{
    (void)c;
    (void)x;
    (void)y;
    tamga_application_touch(self->app);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void tamga_window_dispose(GObject *object)
{
    TamgaWindow *self = TAMGA_WINDOW(object);
    g_cancellable_cancel(self->cancellable);
    clear_pending(self);
    if (self->wipe_dialog != NULL) {
        GtkWidget *d = self->wipe_dialog;
        self->wipe_dialog = NULL;
        g_signal_handlers_disconnect_by_data(d, self);
        gtk_window_destroy(GTK_WINDOW(d));
    }
    if (self->app != NULL)
        g_signal_handlers_disconnect_by_data(self->app, self);
    if (self->record_page != NULL)
        g_signal_handlers_disconnect_by_data(self->record_page, self);
    if (self->recordings_page != NULL)
        g_signal_handlers_disconnect_by_data(self->recordings_page, self);
    if (self->cases_page != NULL)
        g_signal_handlers_disconnect_by_data(self->cases_page, self);
    gtk_widget_dispose_template(GTK_WIDGET(self), TAMGA_TYPE_WINDOW);
    G_OBJECT_CLASS(tamga_window_parent_class)->dispose(object);
}

static void tamga_window_finalize(GObject *object)
{
    TamgaWindow *self = TAMGA_WINDOW(object);
    g_clear_object(&self->cancellable);
    G_OBJECT_CLASS(tamga_window_parent_class)->finalize(object);
}

static void tamga_window_class_init(TamgaWindowClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    GtkWindowClass *window_class = GTK_WINDOW_CLASS(klass);
    object_class->dispose = tamga_window_dispose;
    object_class->finalize = tamga_window_finalize;
    window_class->close_request = tamga_window_close_request;

    g_type_ensure(TAMGA_TYPE_CASES_PAGE);
    g_type_ensure(TAMGA_TYPE_HANDOVER_PAGE);
    g_type_ensure(TAMGA_TYPE_SETUP_PAGE);
    g_type_ensure(TAMGA_TYPE_RECORD_PAGE);
    g_type_ensure(TAMGA_TYPE_RECORDINGS_PAGE);
    g_type_ensure(TAMGA_TYPE_VERIFY_PAGE);
    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/org/tamga/Recorder/tamga-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child(widget_class, TamgaWindow, name)
    CHILD(lock_button);
    CHILD(lock_state_label);
    CHILD(unlock_revealer);
    CHILD(unlock_label);
    CHILD(unlock_entry);
    CHILD(unlock_spinner);
    CHILD(unlock_button);
    CHILD(unlock_cancel);
    CHILD(notice_revealer);
    CHILD(notice_label);
    CHILD(notice_close);
    CHILD(main_stack);
    CHILD(setup_page);
    CHILD(pages);
    CHILD(cases_page);
    CHILD(record_page);
    CHILD(recordings_page);
    CHILD(verify_page);
    CHILD(handover_page);
#undef CHILD

    gtk_widget_class_install_action(widget_class, "win.new-case", "s", new_case_action);
    gtk_widget_class_install_action(widget_class, "win.select-case", "s", select_case_action);
    gtk_widget_class_install_action(widget_class, "win.select-device", "s", select_device_action);
    gtk_widget_class_install_action(widget_class, "win.refresh-devices", NULL,
                                    refresh_devices_action);
    gtk_widget_class_install_action(widget_class, "win.show-page", "s", show_page_action);
    gtk_widget_class_install_action(widget_class, "win.record", NULL, record_action);
    gtk_widget_class_install_action(widget_class, "win.pause", NULL, pause_action);
    gtk_widget_class_install_action(widget_class, "win.marker", "s", marker_action);
    gtk_widget_class_install_action(widget_class, "win.stop", NULL, stop_action);
    gtk_widget_class_install_action(widget_class, "win.verify", "s", verify_action);
    gtk_widget_class_install_action(widget_class, "win.screenshot", "s", screenshot_action);
    gtk_widget_class_install_action(widget_class, "win.play", NULL, play_action);
    gtk_widget_class_install_action(widget_class, "win.seek", "d", seek_action);
    gtk_widget_class_install_action(widget_class, "win.export-audio", "s", export_action);
    gtk_widget_class_install_action(widget_class, "win.wipe", "s", wipe_action);
    gtk_widget_class_install_action(widget_class, "win.use-identity", "s", use_identity_action);
    gtk_widget_class_install_action(widget_class, "win.new-case-with", "a{sv}",
                                    new_case_with_action);
    gtk_widget_class_install_action(widget_class, "win.join-case", "s", join_case_action);
    gtk_widget_class_install_action(widget_class, "win.export-bundle", "a{sv}",
                                    export_bundle_action);
    gtk_widget_class_install_action(widget_class, "win.import-bundle", "s", import_bundle_action);
    gtk_widget_class_install_action(widget_class, "win.import-confirm", NULL,
                                    import_confirm_action);
}

static void tamga_window_init(TamgaWindow *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    self->cancellable = g_cancellable_new();

    g_signal_connect_swapped(self->notice_close, "clicked", G_CALLBACK(tamga_window_hide_notice),
                             self);
    g_signal_connect(self->unlock_button, "clicked", G_CALLBACK(on_unlock_clicked), self);
    g_signal_connect(self->unlock_entry, "activate", G_CALLBACK(on_unlock_clicked), self);
    g_signal_connect(self->unlock_cancel, "clicked", G_CALLBACK(on_unlock_cancel), self);

    GtkEventController *key = gtk_event_controller_key_new();
    gtk_event_controller_set_propagation_phase(key, GTK_PHASE_CAPTURE);
    g_signal_connect(key, "key-pressed", G_CALLBACK(on_key), self);
    gtk_widget_add_controller(GTK_WIDGET(self), key);
    GtkEventController *motion = gtk_event_controller_motion_new();
    g_signal_connect(motion, "motion", G_CALLBACK(on_motion), self);
    gtk_widget_add_controller(GTK_WIDGET(self), motion);

    update_actions(self);
}

TamgaWindow *tamga_window_new(TamgaApplication *app)
{
    TamgaWindow *self = g_object_new(TAMGA_TYPE_WINDOW, "application", app, NULL);
    self->app = app;
    tamga_cases_page_set_application(TAMGA_CASES_PAGE(self->cases_page), app);
    g_signal_connect(self->cases_page, "case-changed", G_CALLBACK(on_case_changed), self);
    g_signal_connect_swapped(self->cases_page, "changed", G_CALLBACK(update_actions), self);
    tamga_handover_page_set_application(TAMGA_HANDOVER_PAGE(self->handover_page), app);
    tamga_setup_page_set_application(TAMGA_SETUP_PAGE(self->setup_page), app);
    tamga_verify_page_set_application(TAMGA_VERIFY_PAGE(self->verify_page), app);
    tamga_recordings_page_set_application(TAMGA_RECORDINGS_PAGE(self->recordings_page), app);
    g_signal_connect_swapped(self->recordings_page, "changed", G_CALLBACK(update_actions), self);
    tamga_record_page_set_application(TAMGA_RECORD_PAGE(self->record_page), app);
    g_signal_connect_swapped(self->record_page, "changed", G_CALLBACK(update_actions), self);
    g_signal_connect(self->record_page, "stopped", G_CALLBACK(on_recording_stopped), self);
    g_signal_connect(self->setup_page, "identity-ready", G_CALLBACK(on_identity_ready), self);
    g_signal_connect(self->handover_page, "imported", G_CALLBACK(on_bundle_imported), self);
    g_signal_connect(app, "notify::unlocked", G_CALLBACK(on_unlocked_changed), self);
    update_lock_state(self);
    g_info("text direction: %s",
           gtk_widget_get_direction(GTK_WIDGET(self)) == GTK_TEXT_DIR_RTL ? "rtl" : "ltr");
    const char *home = tamga_application_get_home(app);
    if (home == NULL) {
        tamga_window_notice(self, TRUE, _("Cannot find the data folder: set TAMGA_HOME or HOME."));
        return self;
    }
    if (tamga_application_get_identity(app) != NULL)
        after_identity(self);
    else
        tamga_job_load_identity_async(home, self->cancellable, identity_loaded, g_object_ref(self));
    return self;
}
