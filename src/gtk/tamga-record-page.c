/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-record-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tamga-gui-logic.h"
#include "tamga-gui-util.h"
#include "tamga-jobs.h"
#include "tamga-level-meter.h"
#include "tamga-window.h"

#define POLL_MS 33 /* ~30 status updates a second */

struct _TamgaRecordPage {
    GtkBox parent_instance;

    /* template children */
    GtkWidget *record_case_label;
    GtkWidget *device_dropdown;
    GtkWidget *meter;
    GtkWidget *elapsed_label;
    GtkWidget *size_label;
    GtkWidget *disk_label;
    GtkWidget *record_status;
    GtkWidget *record_button;
    GtkWidget *pause_button;
    GtkWidget *marker_entry;
    GtkWidget *field_title;
    GtkWidget *field_language;
    GtkWidget *consent_dropdown;
    GtkWidget *field_embargo;
    GtkWidget *form_error;
    GtkWidget *field_interviewee;
    GtkWidget *field_contact;
    GtkWidget *field_notes;

    TamgaApplication *app;
    GCancellable *cancellable; /* cancelled when the page leaves its window */
    char *case_id;
    char *case_title;

    GArray *devices; /* tamga_audio_device */
    GtkStringList *device_model;
    char *wanted_device;
    gboolean devices_pending;
    guint devices_poll;
    gboolean audio_busy; /* playback uses the audio system */

    tamga_recorder *recorder;
    tamga_case *recorder_case;
    gboolean starting, stopping;
    guint poll_id;
    gint64 disk_free;
    gint64 disk_checked;
    gboolean disk_pending;
    char *recorder_dir;
};

G_DEFINE_FINAL_TYPE(TamgaRecordPage, tamga_record_page, GTK_TYPE_BOX)

enum { SIGNAL_CHANGED, SIGNAL_STOPPED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- helpers ----------------------------------------------------------------------- */

/* The controls follow the recorder's state; the window's actions too (through "changed"). */
static void update(TamgaRecordPage *self)
{
    gboolean active = self->recorder != NULL && !self->stopping;
    gboolean idle = self->recorder == NULL && !self->starting && !self->stopping;
    tamga_recorder_status st = {0};
    if (self->recorder != NULL)
        tamga_recorder_get_status(self->recorder, &st);
    gtk_button_set_label(GTK_BUTTON(self->pause_button),
                         st.state == TAMGA_RECORDER_PAUSED ? _("_Resume") : _("_Pause"));
    gtk_widget_set_sensitive(self->device_dropdown, idle);
    if (active) {
        gtk_widget_add_css_class(self->record_button, "recording");
        gtk_button_set_label(GTK_BUTTON(self->record_button),
                             st.state == TAMGA_RECORDER_PAUSED ? _("_Resume") : _("● Recording"));
    } else {
        gtk_widget_remove_css_class(self->record_button, "recording");
        gtk_button_set_label(GTK_BUTTON(self->record_button), _("_Record"));
    }
    g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

void tamga_record_page_get_actions(TamgaRecordPage *self, gboolean *can_record,
                                   gboolean *can_control, gboolean *idle)
{
    gboolean active = self->recorder != NULL && !self->stopping;
    *idle = self->recorder == NULL && !self->starting && !self->stopping;
    tamga_recorder_status st = {0};
    if (self->recorder != NULL)
        tamga_recorder_get_status(self->recorder, &st);
    *can_record = (*idle && self->case_id != NULL) || (active && st.state == TAMGA_RECORDER_PAUSED);
    *can_control = active;
}

gboolean tamga_record_page_is_recording(TamgaRecordPage *self)
{
    return self->recorder != NULL || self->starting || self->stopping;
}

void tamga_record_page_set_case(TamgaRecordPage *self, const char *case_id, const char *title)
{
    if (g_strcmp0(self->case_id, case_id) != 0) {
        g_free(self->case_id);
        self->case_id = g_strdup(case_id);
    }
    if (title == NULL) {
        gtk_label_set_text(GTK_LABEL(self->record_case_label), _("No case chosen"));
        return;
    }
    g_free(self->case_title);
    self->case_title = g_strdup(title);
    g_autofree char *heading = g_strdup_printf(_("Case: %s"), title);
    gtk_label_set_text(GTK_LABEL(self->record_case_label), heading);
}

/* ---- devices ---------------------------------------------------------------------------- */

static void select_wanted_device(TamgaRecordPage *self)
{
    if (self->wanted_device == NULL || self->devices == NULL)
        return;
    for (guint i = 0; i < self->devices->len; i++) {
        const tamga_audio_device *d = &g_array_index(self->devices, tamga_audio_device, i);
        if (g_strstr_len(d->name, -1, self->wanted_device) != NULL) {
            gtk_drop_down_set_selected(GTK_DROP_DOWN(self->device_dropdown), i + 1);
            return;
        }
    }
}

static void devices_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaRecordPage *self = data;
    g_autoptr(GError) err = NULL;
    GArray *devs = tamga_job_devices_finish(res, &err);
    TAMGA_RETURN_IF_CLOSED(err, self);
    gboolean first = self->devices == NULL;
    self->devices_pending = FALSE;
    if (devs == NULL) {
        gtk_label_set_text(GTK_LABEL(self->record_status), err->message);
        g_object_unref(self);
        return;
    }
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(names, g_strdup(_("Default input")));
    for (guint i = 0; i < devs->len; i++) {
        const tamga_audio_device *d = &g_array_index(devs, tamga_audio_device, i);
        g_ptr_array_add(names, g_strdup_printf("%s (%s)", d->name, d->host_api));
    }
    /* Unchanged (the periodic check for plugged or unplugged devices): keep all. */
    guint n_old = g_list_model_get_n_items(G_LIST_MODEL(self->device_model));
    gboolean same = !first && n_old == names->len;
    for (guint i = 0; same && i < n_old; i++)
        same = g_strcmp0(gtk_string_list_get_string(self->device_model, i),
                         g_ptr_array_index(names, i)) == 0;
    if (same) {
        g_array_unref(devs);
        g_object_unref(self);
        return;
    }
    /* Keep the person's choice when it is still there; else the default input. */
    guint sel = gtk_drop_down_get_selected(GTK_DROP_DOWN(self->device_dropdown));
    g_autofree char *was = sel != GTK_INVALID_LIST_POSITION && sel > 0 && sel < n_old
                               ? g_strdup(gtk_string_list_get_string(self->device_model, sel))
                               : NULL;
    g_clear_pointer(&self->devices, g_array_unref);
    self->devices = devs;
    g_ptr_array_add(names, NULL);
    gtk_string_list_splice(self->device_model, 0, n_old, (const char *const *)names->pdata);
    guint keep = 0;
    for (guint i = 1; was != NULL && i + 1 < names->len; i++)
        if (strcmp(was, g_ptr_array_index(names, i)) == 0)
            keep = i;
    gtk_drop_down_set_selected(GTK_DROP_DOWN(self->device_dropdown), keep);
    if (first)
        select_wanted_device(self);
    if (first)
        g_info("devices loaded: %u inputs", devs->len);
    else
        g_info("devices changed: %u inputs", devs->len);
    g_object_unref(self);
}

/* Plugged-in or removed microphones appear in the list within a few seconds
 * (PortAudio reads the device list when it starts, so it is read again);
 * never while recording or playing, when the audio system is in use. */
static gboolean poll_devices(gpointer data)
{
    TamgaRecordPage *self = data;
    GtkRoot *root = gtk_widget_get_root(GTK_WIDGET(self));
    if (self->devices != NULL && !self->devices_pending && self->recorder == NULL &&
        !self->starting && !self->audio_busy && root != NULL &&
        gtk_widget_get_mapped(GTK_WIDGET(root))) {
        self->devices_pending = TRUE;
        tamga_job_devices_async(self->cancellable, devices_loaded, g_object_ref(self));
    }
    return G_SOURCE_CONTINUE;
}

void tamga_record_page_start(TamgaRecordPage *self)
{
    tamga_job_devices_async(self->cancellable, devices_loaded, g_object_ref(self));
    if (self->devices_poll == 0)
        self->devices_poll = g_timeout_add_seconds(3, poll_devices, self);
}

void tamga_record_page_refresh_devices(TamgaRecordPage *self)
{
    if (self->recorder != NULL || self->starting || self->devices_pending)
        return; /* PortAudio is busy with the recording, or already asked */
    self->devices_pending = TRUE;
    tamga_job_devices_async(self->cancellable, devices_loaded, g_object_ref(self));
}

void tamga_record_page_select_device(TamgaRecordPage *self, const char *name)
{
    g_free(self->wanted_device);
    self->wanted_device = name[0] ? g_strdup(name) : NULL;
    if (self->wanted_device == NULL)
        gtk_drop_down_set_selected(GTK_DROP_DOWN(self->device_dropdown), 0);
    select_wanted_device(self);
}

void tamga_record_page_set_audio_busy(TamgaRecordPage *self, gboolean busy)
{
    self->audio_busy = busy;
}

/* ---- the form ------------------------------------------------------------------------------ */

static gboolean form_valid(TamgaRecordPage *self)
{
    const char *title = gtk_editable_get_text(GTK_EDITABLE(self->field_title));
    const char *lang = gtk_editable_get_text(GTK_EDITABLE(self->field_language));
    const char *emb = gtk_editable_get_text(GTK_EDITABLE(self->field_embargo));
    const char *msg = NULL;
    GtkWidget *bad = NULL;
    if (title[0] != '\0' && !tamga_gui_valid_title(title))
        msg = _("The title must be at most 128 bytes, without control characters."),
        bad = self->field_title;
    else if (!tamga_gui_valid_language(lang))
        msg = _("The language is a code such as kk, ru, ug or en."), bad = self->field_language;
    else if (!tamga_gui_valid_date(emb))
        msg = _("The embargo is a date written YYYY-MM-DD, such as 2027-01-31."),
        bad = self->field_embargo;
    GtkWidget *fields[] = {self->field_title, self->field_language, self->field_embargo};
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        if (fields[i] == bad)
            gtk_widget_add_css_class(fields[i], "error");
        else
            gtk_widget_remove_css_class(fields[i], "error");
    }
    gtk_label_set_text(GTK_LABEL(self->form_error), msg ? msg : "");
    return msg == NULL;
}

static void on_form_changed(GtkEditable *e, TamgaRecordPage *self)
{
    (void)e;
    form_valid(self);
}

static char *text_or_null(GtkWidget *entry)
{
    const char *t = gtk_editable_get_text(GTK_EDITABLE(entry));
    return t[0] ? g_strdup(t) : NULL;
}

static TamgaRecordForm *read_form(TamgaRecordPage *self)
{
    static const char *consents[] = {"internal", "anonymised", "public"};
    TamgaRecordForm *f = g_new0(TamgaRecordForm, 1);
    guint sel = gtk_drop_down_get_selected(GTK_DROP_DOWN(self->device_dropdown));
    if (self->wanted_device != NULL && (self->devices == NULL || sel == 0))
        f->device = g_strdup(self->wanted_device);
    else if (sel != GTK_INVALID_LIST_POSITION && sel > 0 && self->devices != NULL &&
             sel - 1 < self->devices->len)
        f->device =
            g_strdup_printf("%d", g_array_index(self->devices, tamga_audio_device, sel - 1).index);
    f->title = text_or_null(self->field_title);
    f->language = text_or_null(self->field_language);
    guint c = gtk_drop_down_get_selected(GTK_DROP_DOWN(self->consent_dropdown));
    f->consent = g_strdup(consents[c < G_N_ELEMENTS(consents) ? c : 0]);
    f->embargo = text_or_null(self->field_embargo);
    f->interviewee = text_or_null(self->field_interviewee);
    f->contact = text_or_null(self->field_contact);
    GtkTextBuffer *buf = gtk_text_view_get_buffer(GTK_TEXT_VIEW(self->field_notes));
    GtkTextIter a, b;
    gtk_text_buffer_get_bounds(buf, &a, &b);
    char *notes = gtk_text_buffer_get_text(buf, &a, &b, FALSE);
    if (notes[0])
        f->notes = notes;
    else
        g_free(notes);
    return f;
}

/* ---- recording ----------------------------------------------------------------------------- */

static void disk_checked(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaRecordPage *self = data;
    gint64 free_bytes = tamga_job_disk_free_finish(res, NULL);
    self->disk_pending = FALSE;
    if (free_bytes >= 0)
        self->disk_free = free_bytes;
    g_object_unref(self);
}

static gboolean poll_recorder(gpointer data)
{
    TamgaRecordPage *self = data;
    if (self->recorder == NULL) {
        self->poll_id = 0;
        return G_SOURCE_REMOVE;
    }
    tamga_recorder_status st;
    tamga_recorder_get_status(self->recorder, &st); /* a snapshot: never blocks */
    tamga_level_meter_set_levels(TAMGA_LEVEL_METER(self->meter), st.peak, st.rms, st.clipping);
    char clock[32];
    tamga_gui_format_clock(st.elapsed_ms, clock, sizeof clock);
    gtk_label_set_text(GTK_LABEL(self->elapsed_label), clock);
    g_autofree char *size = g_format_size(st.bytes_written);
    g_autofree char *size_text = g_strdup_printf(_("%s written, encrypted"), size);
    gtk_label_set_text(GTK_LABEL(self->size_label), size_text);

    gint64 now = g_get_monotonic_time();
    if (!self->disk_pending && now - self->disk_checked > 2 * G_USEC_PER_SEC) {
        self->disk_pending = TRUE;
        self->disk_checked = now;
        tamga_job_disk_free_async(self->recorder_dir, self->cancellable, disk_checked,
                                  g_object_ref(self));
    }
    if (self->disk_free > 0) {
        double bps = 32000 / 8.0 * 1.1;
        if (st.elapsed_ms >= 3000 && st.bytes_written > 0)
            bps = (double)st.bytes_written * 1000.0 / (double)st.elapsed_ms;
        int64_t left = tamga_gui_seconds_left((uint64_t)self->disk_free, bps);
        g_autofree char *t = NULL;
        if (left >= 3600)
            t = g_strdup_printf(ngettext("About %lld hour of recording left on the disk",
                                         "About %lld hours of recording left on the disk",
                                         (unsigned long)(left / 3600)),
                                (long long)(left / 3600));
        else
            t = g_strdup_printf(_("Only %lld minutes of recording left on the disk!"),
                                (long long)(left / 60));
        gtk_label_set_text(GTK_LABEL(self->disk_label), t);
    }
    const char *state = "";
    switch (st.state) {
    case TAMGA_RECORDER_RECORDING:
        state = st.clipping ? _("Recording — too loud: move the microphone away") : _("Recording");
        break;
    case TAMGA_RECORDER_PAUSED:
        state = _("Paused");
        break;
    case TAMGA_RECORDER_FAILED:
        state = _("The input or the disk failed: sealing what was captured…");
        break;
    default:
        break;
    }
    gtk_label_set_text(GTK_LABEL(self->record_status), state);
    if (st.state == TAMGA_RECORDER_FAILED && !self->stopping)
        tamga_record_page_stop(self);
    return G_SOURCE_CONTINUE;
}

static void record_started(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaRecordPage *self = data;
    g_autoptr(GError) err = NULL;
    tamga_case *c = NULL;
    tamga_recorder *r = tamga_job_record_start_finish(res, &c, &err);
    self->starting = FALSE;
    if (r == NULL && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tamga_application_release_identity(self->app);
    TAMGA_RETURN_IF_CLOSED(err, self);
    if (r == NULL) {
        tamga_application_release_identity(self->app);
        tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
        gtk_label_set_text(GTK_LABEL(self->record_status), err->message);
        update(self);
        g_object_unref(self);
        return;
    }
    self->recorder = r;
    self->recorder_case = c;
    g_free(self->recorder_dir);
    self->recorder_dir = g_strdup(tamga_case_get_dir(c));
    self->disk_checked = 0;
    self->poll_id = g_timeout_add(POLL_MS, poll_recorder, self);
    tamga_recorder_status st;
    tamga_recorder_get_status(r, &st);
    g_info("recording started: %s", st.recording_id);
    TamgaWindow *win = tamga_gui_window_of(GTK_WIDGET(self));
    if (win != NULL)
        tamga_window_hide_notice(win);
    update(self);
    g_object_unref(self);
}

static void start_recording(gpointer data)
{
    TamgaRecordPage *self = data;
    if (self->recorder != NULL || self->starting || self->case_id == NULL)
        return;
    self->starting = TRUE;
    tamga_application_hold_identity(self->app); /* the recorder signs with it */
    gtk_label_set_text(GTK_LABEL(self->record_status), _("Opening the input…"));
    update(self);
    tamga_job_record_start_async(tamga_application_get_home(self->app), self->case_id,
                                 tamga_application_get_identity(self->app), read_form(self),
                                 self->cancellable, record_started, g_object_ref(self));
}

void tamga_record_page_record(TamgaRecordPage *self)
{
    if (self->recorder != NULL) {
        tamga_recorder_status st;
        tamga_recorder_get_status(self->recorder, &st);
        if (st.state == TAMGA_RECORDER_PAUSED && tamga_recorder_resume(self->recorder) == TAMGA_OK)
            g_info("resumed");
        update(self);
        return;
    }
    if (tamga_gui_window_of(GTK_WIDGET(self)) == NULL)
        return;
    if (self->case_id == NULL) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE, _("Choose or create a case first."));
        gtk_widget_activate_action(GTK_WIDGET(self), "win.show-page", "s", "cases");
        return;
    }
    GtkWidget *stack = gtk_widget_get_parent(GTK_WIDGET(self));
    if (GTK_IS_STACK(stack))
        gtk_stack_set_visible_child(GTK_STACK(stack), GTK_WIDGET(self));
    if (!form_valid(self))
        return;
    tamga_gui_need_unlocked(GTK_WIDGET(self),
                            _("Enter your passphrase: the recording is signed with your identity."),
                            start_recording);
}

void tamga_record_page_pause(TamgaRecordPage *self)
{
    if (self->recorder == NULL || self->stopping)
        return;
    tamga_recorder_status st;
    tamga_recorder_get_status(self->recorder, &st);
    if (st.state == TAMGA_RECORDER_PAUSED) {
        if (tamga_recorder_resume(self->recorder) == TAMGA_OK)
            g_info("resumed");
    } else if (tamga_recorder_pause(self->recorder) == TAMGA_OK) {
        g_info("paused");
    }
    update(self);
}

void tamga_record_page_marker(TamgaRecordPage *self, const char *label)
{
    if (self->recorder == NULL || self->stopping)
        return;
    if (label[0] == '\0')
        label = gtk_editable_get_text(GTK_EDITABLE(self->marker_entry));
    int rc = tamga_recorder_add_marker(self->recorder, label[0] ? label : NULL);
    if (rc != TAMGA_OK) {
        g_autofree char *msg = g_strdup_printf(_("Cannot add a marker: %s"), tamga_strerror(rc));
        tamga_gui_notice(GTK_WIDGET(self), TRUE, msg);
        return;
    }
    tamga_recorder_status st;
    tamga_recorder_get_status(self->recorder, &st);
    char clock[32];
    tamga_gui_format_clock(st.elapsed_ms, clock, sizeof clock);
    g_autofree char *msg = g_strdup_printf(_("Marker added at %s."), clock);
    gtk_label_set_text(GTK_LABEL(self->record_status), msg);
    gtk_editable_set_text(GTK_EDITABLE(self->marker_entry), "");
    g_info("marker added at %lld ms", (long long)st.elapsed_ms);
}

static void record_stopped(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaRecordPage *self = data;
    g_autoptr(GError) err = NULL;
    tamga_record_result result;
    gboolean ok = tamga_job_record_stop_finish(res, &result, &err);
    tamga_recorder_free(self->recorder);
    self->recorder = NULL;
    tamga_case_free(self->recorder_case);
    self->recorder_case = NULL;
    self->stopping = FALSE;
    g_clear_handle_id(&self->poll_id, g_source_remove);
    tamga_application_release_identity(self->app);
    tamga_level_meter_set_levels(TAMGA_LEVEL_METER(self->meter), 0, 0, FALSE);
    char dur[32];
    tamga_gui_format_clock(result.duration_ms, dur, sizeof dur);
    g_autofree char *size = g_format_size(result.file_size);
    if (ok) {
        g_autofree char *msg =
            g_strdup_printf(_("Recorded %s (%s), sealed and signed into case \"%s\"."), dur, size,
                            self->case_title ? self->case_title : "");
        tamga_gui_notice(GTK_WIDGET(self), FALSE, msg);
        gtk_label_set_text(GTK_LABEL(self->record_status), _("Sealed and signed."));
        g_info("recording stopped: %s", result.recording_id);
    } else if (result.recording_id[0] != '\0') {
        g_autofree char *msg = g_strdup_printf(_("%s — what was captured (%s) was sealed and "
                                                 "signed."),
                                               err->message, dur);
        tamga_gui_notice(GTK_WIDGET(self), TRUE, msg);
        g_info("recording stopped with an error: %s", result.recording_id);
    } else {
        tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
    }
    update(self);
    g_signal_emit(self, signals[SIGNAL_STOPPED], 0);
    g_object_unref(self);
}

void tamga_record_page_stop(TamgaRecordPage *self)
{
    if (self->recorder == NULL || self->stopping)
        return;
    self->stopping = TRUE;
    gtk_label_set_text(GTK_LABEL(self->record_status), _("Sealing and signing…"));
    update(self);
    tamga_job_record_stop_async(self->recorder, NULL, record_stopped, g_object_ref(self));
}

/* ---- GObject ------------------------------------------------------------------------- */

void tamga_record_page_set_application(TamgaRecordPage *self, TamgaApplication *app)
{
    self->app = app;
}

static void tamga_record_page_root(GtkWidget *widget)
{
    TamgaRecordPage *self = TAMGA_RECORD_PAGE(widget);
    GTK_WIDGET_CLASS(tamga_record_page_parent_class)->root(widget);
    tamga_gui_cancellable_renew(&self->cancellable);
}

/* The window is going away: stop the workers and the timers. */
static void shut_down(TamgaRecordPage *self)
{
    g_cancellable_cancel(self->cancellable);
    g_clear_handle_id(&self->poll_id, g_source_remove);
    g_clear_handle_id(&self->devices_poll, g_source_remove);
    if (self->recorder != NULL && !self->stopping) {
        /* Not sealed: recovery seals it at the next start, as after a crash. */
        tamga_recorder_free(self->recorder);
        self->recorder = NULL;
        tamga_case_free(self->recorder_case);
        self->recorder_case = NULL;
        tamga_application_release_identity(self->app);
    }
}

static void tamga_record_page_unroot(GtkWidget *widget)
{
    shut_down(TAMGA_RECORD_PAGE(widget));
    GTK_WIDGET_CLASS(tamga_record_page_parent_class)->unroot(widget);
}

static void tamga_record_page_dispose(GObject *object)
{
    TamgaRecordPage *self = TAMGA_RECORD_PAGE(object);
    shut_down(self);
    gtk_widget_dispose_template(GTK_WIDGET(self), TAMGA_TYPE_RECORD_PAGE);
    G_OBJECT_CLASS(tamga_record_page_parent_class)->dispose(object);
}

static void tamga_record_page_finalize(GObject *object)
{
    TamgaRecordPage *self = TAMGA_RECORD_PAGE(object);
    g_clear_object(&self->cancellable);
    g_free(self->case_id);
    g_free(self->case_title);
    g_free(self->wanted_device);
    g_free(self->recorder_dir);
    g_clear_pointer(&self->devices, g_array_unref);
    g_clear_object(&self->device_model);
    G_OBJECT_CLASS(tamga_record_page_parent_class)->finalize(object);
}

static void tamga_record_page_class_init(TamgaRecordPageClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    object_class->dispose = tamga_record_page_dispose;
    object_class->finalize = tamga_record_page_finalize;
    widget_class->root = tamga_record_page_root;
    widget_class->unroot = tamga_record_page_unroot;

    signals[SIGNAL_CHANGED] = g_signal_new("changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
    signals[SIGNAL_STOPPED] = g_signal_new("stopped", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

    g_type_ensure(TAMGA_TYPE_LEVEL_METER);
    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/org/tamga/Recorder/tamga-record-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child(widget_class, TamgaRecordPage, name)
    CHILD(record_case_label);
    CHILD(device_dropdown);
    CHILD(meter);
    CHILD(elapsed_label);
    CHILD(size_label);
    CHILD(disk_label);
    CHILD(record_status);
    CHILD(record_button);
    CHILD(pause_button);
    CHILD(marker_entry);
    CHILD(field_title);
    CHILD(field_language);
    CHILD(consent_dropdown);
    CHILD(field_embargo);
    CHILD(form_error);
    CHILD(field_interviewee);
    CHILD(field_contact);
    CHILD(field_notes);
#undef CHILD
}

static void tamga_record_page_init(TamgaRecordPage *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    self->cancellable = g_cancellable_new();
    self->device_model = gtk_string_list_new(NULL);
    gtk_drop_down_set_model(GTK_DROP_DOWN(self->device_dropdown), G_LIST_MODEL(self->device_model));
    g_signal_connect(self->field_title, "changed", G_CALLBACK(on_form_changed), self);
    g_signal_connect(self->field_language, "changed", G_CALLBACK(on_form_changed), self);
    g_signal_connect(self->field_embargo, "changed", G_CALLBACK(on_form_changed), self);
    gtk_label_set_text(GTK_LABEL(self->record_case_label), _("No case chosen"));
    update(self);
}
