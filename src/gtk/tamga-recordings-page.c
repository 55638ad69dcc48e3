/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-recordings-page.h"

#include <glib/gi18n.h>

#include "tamga-checklist.h"
#include "tamga-gui-logic.h"
#include "tamga-gui-util.h"
#include "tamga-jobs.h"
#include "tamga-verify-page.h"
#include "tamga-window.h"

struct _TamgaRecordingsPage {
    GtkBox parent_instance;

    /* template children */
    GtkWidget *recordings_case_label;
    GtkWidget *recordings_list;
    GtkWidget *rec_facts;
    GtkWidget *rec_checklist;
    GtkWidget *play_button;
    GtkWidget *position_scale;
    GtkWidget *position_label;

    TamgaApplication *app;
    GCancellable *cancellable; /* cancelled when the page leaves its window */

    char *case_id;
    gboolean case_keyholder;
    GPtrArray *recordings; /* TamgaRecordingInfo */
    guint rec_generation;

    /* playback of the selected recording (keyholders) */
    tamga_player *player;
    char *player_rec;
    gboolean player_starting;
    gboolean player_finished;
    gboolean player_paused;
    guint player_poll;
    gboolean updating_scale;
    char *play_rec;    /* the recording to play once unlocked */
    char *export_rec;  /* the recording to export once unlocked */
    char *export_path; /* where to */
};

G_DEFINE_FINAL_TYPE(TamgaRecordingsPage, tamga_recordings_page, GTK_TYPE_BOX)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- helpers ----------------------------------------------------------------------- */

/* The controls follow the state; the window's actions too (through "changed"). */
static void update(TamgaRecordingsPage *self)
{
    gboolean playing = self->player != NULL && !self->player_finished && !self->player_paused;
    const char *play_label = playing ? _("_Pause") : _("_Play");
    /* Setting a label rebuilds it and relayouts the window: only on a change. */
    if (g_strcmp0(gtk_button_get_label(GTK_BUTTON(self->play_button)), play_label) != 0)
        gtk_button_set_label(GTK_BUTTON(self->play_button), play_label);
    gtk_widget_set_sensitive(self->position_scale, self->player != NULL);
    g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

/* ---- the list, with badges from verification in the background ---------------------- */

typedef struct {
    TamgaRecordingsPage *self;
    guint generation;
    guint index;
    GtkWidget *badge;
} BadgeJob;

static void set_badge(GtkWidget *badge, const char *text, const char *css)
{
    gtk_label_set_text(GTK_LABEL(badge), text);
    gtk_widget_remove_css_class(badge, "badge-pending");
    gtk_widget_add_css_class(badge, css);
}

static void badge_verified(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    BadgeJob *job = data;
    g_autoptr(GError) err = NULL;
    tamga_report *r = tamga_job_verify_finish(res, &err);
    TamgaRecordingsPage *self = job->self;
    if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        g_object_unref(job->badge);
        g_object_unref(self);
        g_free(job);
        return;
    }
    if (job->generation == self->rec_generation && self->recordings != NULL &&
        job->index < self->recordings->len) {
        const TamgaRecordingInfo *info = g_ptr_array_index(self->recordings, job->index);
        if (r == NULL || !tamga_report_ok(r))
            set_badge(job->badge, _("failed"), "badge-failed");
        else if (g_strcmp0(info->status, "interrupted") == 0)
            set_badge(job->badge, _("interrupted, recovered"), "badge-recovered");
        else
            set_badge(job->badge, _("verified"), "badge-verified");
    }
    tamga_report_free(r);
    g_object_unref(job->badge);
    g_object_unref(self);
    g_free(job);
}

static char *local_time(const char *utc)
{
    g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(utc, NULL);
    if (dt == NULL)
        return g_strdup(utc);
    g_autoptr(GDateTime) local = g_date_time_to_local(dt);
    return g_date_time_format(local, "%x %X");
}

static void recordings_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaRecordingsPage *self = data;
    g_autoptr(GError) err = NULL;
    GPtrArray *recs = tamga_job_list_recordings_finish(res, &err);
    TAMGA_RETURN_IF_CLOSED(err, self);
    if (recs == NULL) {
        if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
        g_object_unref(self);
        return;
    }
    self->rec_generation++;
    g_clear_pointer(&self->recordings, g_ptr_array_unref);
    self->recordings = recs;
    tamga_gui_list_box_clear(GTK_LIST_BOX(self->recordings_list));
    for (guint i = 0; i < recs->len; i++) {
        const TamgaRecordingInfo *info = g_ptr_array_index(recs, i);
        GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 8);
        gtk_widget_add_css_class(box, "row-content");
        GtkWidget *col = gtk_box_new(GTK_ORIENTATION_VERTICAL, 2);
        gtk_widget_set_hexpand(col, TRUE);
        g_autofree char *when = local_time(info->started);
        char dur[32];
        tamga_gui_format_clock(info->duration_ms, dur, sizeof dur);
        /* Long words (translations) shorten the row's text, never the detail pane. */
        GtkWidget *l1 = gtk_label_new(when);
        gtk_label_set_xalign(GTK_LABEL(l1), 0.0f);
        gtk_label_set_ellipsize(GTK_LABEL(l1), PANGO_ELLIPSIZE_END);
        gtk_widget_add_css_class(l1, "heading");
        g_autofree char *line2 = g_strdup_printf(_("%s · signed by %s"), dur, info->signer);
        GtkWidget *l2 = gtk_label_new(line2);
        gtk_label_set_xalign(GTK_LABEL(l2), 0.0f);
        gtk_label_set_ellipsize(GTK_LABEL(l2), PANGO_ELLIPSIZE_END);
        gtk_widget_add_css_class(l2, "dim-label");
        gtk_box_append(GTK_BOX(col), l1);
        gtk_box_append(GTK_BOX(col), l2);
        gtk_box_append(GTK_BOX(box), col);
        GtkWidget *badge = gtk_label_new(_("checking…"));
        gtk_widget_set_valign(badge, GTK_ALIGN_CENTER);
        gtk_label_set_wrap(GTK_LABEL(badge), TRUE);
        gtk_label_set_max_width_chars(GTK_LABEL(badge), 16);
        gtk_label_set_justify(GTK_LABEL(badge), GTK_JUSTIFY_CENTER);
        gtk_widget_add_css_class(badge, "badge");
        gtk_widget_add_css_class(badge, "badge-pending");
        gtk_box_append(GTK_BOX(box), badge);
        GtkWidget *row = gtk_list_box_row_new();
        gtk_list_box_row_set_child(GTK_LIST_BOX_ROW(row), box);
        g_autofree char *a11y = g_strdup_printf(_("Recording of %s, %s"), when, dur);
        gtk_accessible_update_property(GTK_ACCESSIBLE(row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                       -1);
        gtk_list_box_append(GTK_LIST_BOX(self->recordings_list), row);

        BadgeJob *job = g_new0(BadgeJob, 1);
        job->self = g_object_ref(self);
        job->generation = self->rec_generation;
        job->index = i;
        job->badge = g_object_ref(badge);
        tamga_job_verify_async(info->path, NULL, 0, self->cancellable, badge_verified, job);
    }
    if (recs->len == 0) {
        GtkWidget *empty = gtk_label_new(_("No recordings in this case yet."));
        gtk_widget_add_css_class(empty, "dim-label");
        gtk_widget_set_margin_top(empty, 24);
        gtk_widget_set_margin_bottom(empty, 24);
        gtk_list_box_append(GTK_LIST_BOX(self->recordings_list), empty);
    }
    gtk_label_set_text(GTK_LABEL(self->rec_facts),
                       recs->len ? _("Choose a recording to see what its signed manifest says.")
                                 : "");
    tamga_checklist_set_message(TAMGA_CHECKLIST(self->rec_checklist), "");
    if (recs->len > 0) /* the newest */
        gtk_list_box_select_row(
            GTK_LIST_BOX(self->recordings_list),
            gtk_list_box_get_row_at_index(GTK_LIST_BOX(self->recordings_list), (int)recs->len - 1));
    g_info("recordings loaded: %u", recs->len);
    update(self);
    g_object_unref(self);
}

void tamga_recordings_page_reload(TamgaRecordingsPage *self)
{
    const char *home = self->app != NULL ? tamga_application_get_home(self->app) : NULL;
    if (home == NULL || self->case_id == NULL)
        return;
    tamga_job_list_recordings_async(home, self->case_id, self->cancellable, recordings_loaded,
                                    g_object_ref(self));
}

void tamga_recordings_page_set_case(TamgaRecordingsPage *self, const char *case_id,
                                    const char *title, gboolean keyholder)
{
    if (g_strcmp0(self->case_id, case_id) != 0) {
        g_free(self->case_id);
        self->case_id = g_strdup(case_id);
        g_clear_pointer(&self->recordings, g_ptr_array_unref);
    }
    self->case_keyholder = keyholder;
    if (title == NULL) {
        gtk_label_set_text(GTK_LABEL(self->recordings_case_label), _("No case chosen"));
        return;
    }
    g_autofree char *heading = g_strdup_printf(_("Case: %s"), title);
    gtk_label_set_text(GTK_LABEL(self->recordings_case_label), heading);
}

static const TamgaRecordingInfo *selected_recording(TamgaRecordingsPage *self)
{
    GtkListBoxRow *row = gtk_list_box_get_selected_row(GTK_LIST_BOX(self->recordings_list));
    if (row == NULL || self->recordings == NULL)
        return NULL;
    int i = gtk_list_box_row_get_index(row);
    if (i < 0 || (guint)i >= self->recordings->len)
        return NULL;
    return g_ptr_array_index(self->recordings, (guint)i);
}

static void on_recording_selected(GtkListBox *box, GtkListBoxRow *row, TamgaRecordingsPage *self)
{
    (void)box;
    (void)row;
    const TamgaRecordingInfo *info = selected_recording(self);
    if (info == NULL)
        return;
    gtk_label_set_text(GTK_LABEL(self->rec_facts), info->facts);
    tamga_checklist_set_message(TAMGA_CHECKLIST(self->rec_checklist), "");
    if (self->player != NULL && g_strcmp0(self->player_rec, info->id) != 0)
        tamga_recordings_page_stop_playback(self);
    update(self);
}

gboolean tamga_recordings_page_verify_selected(TamgaRecordingsPage *self)
{
    const TamgaRecordingInfo *info = selected_recording(self);
    if (info == NULL)
        return FALSE;
    tamga_verify_into_checklist(self->rec_checklist, info->path, self->cancellable);
    return TRUE;
}

void tamga_recordings_page_get_actions(TamgaRecordingsPage *self, gboolean *can_play,
                                       gboolean *can_export, gboolean *can_seek)
{
    gboolean have_rec = self->recordings != NULL && self->recordings->len > 0;
    *can_play = have_rec && self->case_keyholder && !self->player_starting;
    *can_export = have_rec && self->case_keyholder;
    *can_seek = self->player != NULL;
}

gboolean tamga_recordings_page_uses_audio(TamgaRecordingsPage *self)
{
    return self->player != NULL || self->player_starting;
}

/* ---- playback (keyholders) ------------------------------------------------------------- */

static void set_position_label(TamgaRecordingsPage *self, double pos, double dur)
{
    char a[32], b[32];
    tamga_gui_format_clock((int64_t)(pos * 1000), a, sizeof a);
    tamga_gui_format_clock((int64_t)(dur * 1000), b, sizeof b);
    g_autofree char *t = g_strdup_printf("%s / %s", a, b);
    gtk_label_set_text(GTK_LABEL(self->position_label), t);
}

static gboolean poll_player(gpointer data)
{
    TamgaRecordingsPage *self = data;
    if (self->player == NULL) {
        self->player_poll = 0;
        return G_SOURCE_REMOVE;
    }
    double pos = tamga_player_position(self->player), dur = tamga_player_duration(self->player);
    GtkAdjustment *adj = gtk_range_get_adjustment(GTK_RANGE(self->position_scale));
    self->updating_scale = TRUE;
    gtk_adjustment_set_upper(adj, dur > 0 ? dur : 1);
    gtk_adjustment_set_value(adj, pos);
    self->updating_scale = FALSE;
    set_position_label(self, pos, dur);
    if (tamga_player_finished(self->player) && !self->player_finished) {
        self->player_finished = TRUE;
        g_info("playback finished");
        update(self);
    }
    return G_SOURCE_CONTINUE;
}

void tamga_recordings_page_stop_playback(TamgaRecordingsPage *self)
{
    g_clear_handle_id(&self->player_poll, g_source_remove);
    if (self->player != NULL) {
        tamga_job_player_free(self->player); /* joins its thread off the UI thread */
        self->player = NULL;
        g_info("playback stopped");
    }
    g_clear_pointer(&self->player_rec, g_free);
    self->player_paused = FALSE;
    self->player_finished = FALSE;
    set_position_label(self, 0, 0);
    update(self);
}

static void play_started(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaRecordingsPage *self = data;
    g_autoptr(GError) err = NULL;
    tamga_player *p = tamga_job_play_finish(res, &err);
    tamga_application_release_identity(self->app);
    self->player_starting = FALSE;
    if (g_cancellable_is_cancelled(self->cancellable)) {
        tamga_job_player_free(p);
        g_object_unref(self);
        return;
    }
    if (p == NULL) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
        g_clear_pointer(&self->player_rec, g_free);
    } else {
        self->player = p;
        self->player_finished = FALSE;
        self->player_paused = FALSE;
        self->player_poll = g_timeout_add(100, poll_player, self);
        g_info("playing: %s (%.1f s)", self->player_rec, tamga_player_duration(p));
    }
    update(self);
    g_object_unref(self);
}

static void play_unlocked(gpointer data)
{
    TamgaRecordingsPage *self = data;
    g_autofree char *rec = g_steal_pointer(&self->play_rec);
    if (rec == NULL || self->player_starting || self->case_id == NULL)
        return;
    self->player_starting = TRUE;
    g_free(self->player_rec);
    self->player_rec = g_strdup(rec);
    tamga_application_hold_identity(self->app);
    tamga_job_play_async(tamga_application_get_home(self->app), self->case_id,
                         tamga_application_get_identity(self->app), rec, 0, self->cancellable,
                         play_started, g_object_ref(self));
    update(self);
}

void tamga_recordings_page_play(TamgaRecordingsPage *self)
{
    const TamgaRecordingInfo *info = selected_recording(self);
    if (info == NULL || self->player_starting)
        return;
    if (self->player != NULL && g_strcmp0(self->player_rec, info->id) == 0) {
        if (self->player_finished) {
            tamga_player_play(self->player, 0);
            self->player_finished = FALSE;
            g_info("playback restarted");
        } else {
            gboolean paused = !self->player_paused;
            tamga_player_pause(self->player, paused);
            self->player_paused = paused;
            g_info("playback %s", paused ? "paused" : "resumed");
        }
        update(self);
        return;
    }
    tamga_recordings_page_stop_playback(self);
    g_free(self->play_rec);
    self->play_rec = g_strdup(info->id);
    tamga_gui_need_unlocked(GTK_WIDGET(self), _("Enter your passphrase to decrypt and listen:"),
                            play_unlocked);
}

void tamga_recordings_page_seek(TamgaRecordingsPage *self, double seconds)
{
    if (self->player == NULL)
        return;
    if (tamga_player_seek(self->player, seconds) == TAMGA_OK) {
        self->player_finished = FALSE;
        g_info("playback seek to %.1f s", seconds);
    }
    poll_player(self);
}

static gboolean on_scale_change(GtkRange *range, GtkScrollType scroll, double value,
                                TamgaRecordingsPage *self)
{
    (void)range;
    (void)scroll;
    if (self->updating_scale || self->player == NULL)
        return FALSE;
    /* Through the window's action, as a script would seek. */
    gtk_widget_activate_action(GTK_WIDGET(self), "win.seek", "d", value);
    return FALSE;
}

/* ---- export of decrypted audio (keyholders) ---------------------------------------- */

static void export_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaRecordingsPage *self = data;
    g_autoptr(GError) err = NULL;
    gboolean ok = tamga_job_decrypt_finish(res, &err);
    tamga_application_release_identity(self->app);
    TAMGA_RETURN_IF_CLOSED(err, self);
    if (!ok) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
    } else {
        g_autofree char *msg = g_strdup_printf(
            _("Decrypted audio written to %s. This file is NOT encrypted: anyone who gets it "
              "can listen. Delete it when you no longer need it."),
            self->export_path);
        tamga_gui_notice(GTK_WIDGET(self), FALSE, msg);
        g_info("exported audio: %s", self->export_path);
    }
    g_object_unref(self);
}

static void export_unlocked(gpointer data)
{
    TamgaRecordingsPage *self = data;
    g_autofree char *rec = g_steal_pointer(&self->export_rec);
    if (rec == NULL || self->export_path == NULL || self->case_id == NULL)
        return;
    tamga_application_hold_identity(self->app);
    tamga_job_decrypt_async(tamga_application_get_home(self->app), self->case_id,
                            tamga_application_get_identity(self->app), rec, self->export_path,
                            self->cancellable, export_done, g_object_ref(self));
}

static void export_to(TamgaRecordingsPage *self, const char *rec, const char *path)
{
    g_free(self->export_rec);
    self->export_rec = g_strdup(rec);
    g_free(self->export_path);
    self->export_path = g_strdup(path);
    tamga_gui_need_unlocked(GTK_WIDGET(self), _("Enter your passphrase to decrypt the audio:"),
                            export_unlocked);
}

static void export_chosen(gpointer owner, const char *path, gpointer rec)
{
    export_to(owner, rec, path);
    g_free(rec);
}

static void on_export_warning(GtkDialog *dialog, int response, TamgaRecordingsPage *self)
{
    g_autofree char *rec = g_strdup(g_object_get_data(G_OBJECT(dialog), "rec"));
    gtk_window_destroy(GTK_WINDOW(dialog));
    if (response != GTK_RESPONSE_ACCEPT || rec == NULL)
        return;
    g_autofree char *name = g_strdup_printf("%.8s.opus", rec);
    tamga_gui_choose_file(GTK_WIDGET(self),
                          &(TamgaFileQuestion){.title = _("Export Decrypted Audio"),
                                               .accept = _("_Export"),
                                               .action = GTK_FILE_CHOOSER_ACTION_SAVE,
                                               .initial_name = name},
                          export_chosen, g_steal_pointer(&rec), g_free);
}

void tamga_recordings_page_export_audio(TamgaRecordingsPage *self, const char *path)
{
    const TamgaRecordingInfo *info = selected_recording(self);
    if (info == NULL)
        return;
    if (path[0] != '\0') {
        export_to(self, info->id, path);
        return;
    }
    TamgaWindow *win = tamga_gui_window_of(GTK_WIDGET(self));
    GtkWidget *dialog = gtk_message_dialog_new(
        win ? GTK_WINDOW(win) : NULL, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
        GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE, "%s", _("Export the audio without encryption?"));
    gtk_message_dialog_format_secondary_text(
        GTK_MESSAGE_DIALOG(dialog), "%s",
        _("The exported file is plain Ogg Opus audio: anyone who gets it — from this disk, a "
          "backup or a USB stick — can listen to it, and deleting it may not remove it from "
          "the disk for good. Export only when you need it, and delete it afterwards."));
    gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
    GtkWidget *go =
        gtk_dialog_add_button(GTK_DIALOG(dialog), _("_Choose Where…"), GTK_RESPONSE_ACCEPT);
    gtk_widget_add_css_class(go, "destructive-action");
    gtk_dialog_set_default_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);
    g_object_set_data_full(G_OBJECT(dialog), "rec", g_strdup(info->id), g_free);
    g_signal_connect_object(dialog, "response", G_CALLBACK(on_export_warning), self, 0);
    gtk_window_present(GTK_WINDOW(dialog));
}

/* ---- GObject ------------------------------------------------------------------------- */

void tamga_recordings_page_set_application(TamgaRecordingsPage *self, TamgaApplication *app)
{
    self->app = app;
}

static void tamga_recordings_page_root(GtkWidget *widget)
{
    TamgaRecordingsPage *self = TAMGA_RECORDINGS_PAGE(widget);
    GTK_WIDGET_CLASS(tamga_recordings_page_parent_class)->root(widget);
    tamga_gui_cancellable_renew(&self->cancellable);
}

/* The window is going away: stop the workers and the playback. */
static void shut_down(TamgaRecordingsPage *self)
{
    g_cancellable_cancel(self->cancellable);
    g_clear_handle_id(&self->player_poll, g_source_remove);
    if (self->player != NULL) {
        tamga_job_player_free(self->player);
        self->player = NULL;
    }
}

static void tamga_recordings_page_unroot(GtkWidget *widget)
{
    shut_down(TAMGA_RECORDINGS_PAGE(widget));
    GTK_WIDGET_CLASS(tamga_recordings_page_parent_class)->unroot(widget);
}

static void tamga_recordings_page_dispose(GObject *object)
{
    TamgaRecordingsPage *self = TAMGA_RECORDINGS_PAGE(object);
    shut_down(self);
    /* The list emits row-selected while its rows are destroyed. */
    if (self->recordings_list != NULL)
        g_signal_handlers_disconnect_by_data(self->recordings_list, self);
    gtk_widget_dispose_template(GTK_WIDGET(self), TAMGA_TYPE_RECORDINGS_PAGE);
    G_OBJECT_CLASS(tamga_recordings_page_parent_class)->dispose(object);
}

static void tamga_recordings_page_finalize(GObject *object)
{
    TamgaRecordingsPage *self = TAMGA_RECORDINGS_PAGE(object);
    g_clear_object(&self->cancellable);
    g_free(self->case_id);
    g_clear_pointer(&self->recordings, g_ptr_array_unref);
    g_free(self->player_rec);
    g_free(self->play_rec);
    g_free(self->export_rec);
    g_free(self->export_path);
    G_OBJECT_CLASS(tamga_recordings_page_parent_class)->finalize(object);
}

static void tamga_recordings_page_class_init(TamgaRecordingsPageClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    object_class->dispose = tamga_recordings_page_dispose;
    object_class->finalize = tamga_recordings_page_finalize;
    widget_class->root = tamga_recordings_page_root;
    widget_class->unroot = tamga_recordings_page_unroot;

    signals[SIGNAL_CHANGED] = g_signal_new("changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

    g_type_ensure(TAMGA_TYPE_CHECKLIST);
    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/org/tamga/Recorder/tamga-recordings-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child(widget_class, TamgaRecordingsPage, name)
    CHILD(recordings_case_label);
    CHILD(recordings_list);
    CHILD(rec_facts);
    CHILD(rec_checklist);
    CHILD(play_button);
    CHILD(position_scale);
    CHILD(position_label);
#undef CHILD
}

static void tamga_recordings_page_init(TamgaRecordingsPage *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    self->cancellable = g_cancellable_new();
    g_signal_connect(self->recordings_list, "row-selected", G_CALLBACK(on_recording_selected),
                     self);
    g_signal_connect(self->position_scale, "change-value", G_CALLBACK(on_scale_change), self);
    gtk_label_set_text(GTK_LABEL(self->recordings_case_label), _("No case chosen"));
    tamga_checklist_set_message(TAMGA_CHECKLIST(self->rec_checklist), "");
}
