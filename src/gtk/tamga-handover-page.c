/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-handover-page.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "tamga-gui-util.h"
#include "tamga-jobs-handover.h"
#include "tamga-jobs-trust.h"
#include "tamga-window.h"
#include "tamga/age.h"

#define PROGRESS_POLL_MS 100 /* the progress bar follows the worker ~10 times a second */

struct _TamgaHandoverPage {
    GtkBox parent_instance;

    /* template children */
    GtkWidget *case_label;
    GtkWidget *goto_cases_button;
    GtkWidget *send_form;
    GtkWidget *roster_list;
    GtkWidget *paste_view;
    GtkWidget *paste_error;
    GtkWidget *pass_check;
    GtkWidget *pass_revealer;
    GtkWidget *pass1;
    GtkWidget *pass2;
    GtkWidget *all_check;
    GtkWidget *recs_revealer;
    GtkWidget *recs_list;
    GtkWidget *plain_check;
    GtkWidget *grant_check;
    GtkWidget *send_hint;
    GtkWidget *export_button;
    GtkWidget *cancel_button;
    GtkWidget *progress_bar;
    GtkWidget *receive_section;
    GtkWidget *open_button;
    GtkWidget *receive_spinner;
    GtkWidget *receive_status;
    GtkWidget *import_pass_revealer;
    GtkWidget *import_pass_label;
    GtkWidget *import_pass;
    GtkWidget *import_pass_button;
    GtkWidget *summary_revealer;
    GtkWidget *summary_title;
    GtkWidget *summary_label;
    GtkWidget *import_cancel;
    GtkWidget *import_button;

    TamgaApplication *app;
    GCancellable *cancellable; /* cancelled when the page leaves its window */
    char *case_id;
    char *case_title;
    gboolean keyholder;
    guint recs_generation; /* drops recording lists of a case no longer shown */
    guint n_invalid_pasted;
    guint n_valid_pasted;

    /* export */
    TamgaExportRequest *pending_export; /* waiting for the identity to unlock */
    gboolean exporting;
    TamgaBundleProgress *progress;
    guint progress_source;

    /* import */
    char *import_path;
    char *import_passphrase; /* sodium_malloc'd; the bundle's, when it has one */
    gboolean use_pass_file;  /* TAMGA_BUNDLE_PASSPHRASE_FILE tried */
    gboolean importing;
    tamga_import_result *summary; /* the dry run shown */
};

G_DEFINE_FINAL_TYPE(TamgaHandoverPage, tamga_handover_page, GTK_TYPE_BOX)

enum { SIGNAL_IMPORTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void update_send_state(TamgaHandoverPage *self);

/* ---- helpers ----------------------------------------------------------------------- */

static const char *home_of(TamgaHandoverPage *self)
{
    return self->app != NULL ? tamga_application_get_home(self->app) : NULL;
}

static void wipe_import_passphrase(TamgaHandoverPage *self)
{
    if (self->import_passphrase != NULL) {
        sodium_free(self->import_passphrase);
        self->import_passphrase = NULL;
    }
}

/* Shows or hides a revealer and its place in the box (no empty gap when hidden). */
static void reveal(GtkWidget *revealer, gboolean on)
{
    if (on)
        gtk_widget_set_visible(revealer, TRUE);
    gtk_revealer_set_reveal_child(GTK_REVEALER(revealer), on);
    if (!on)
        gtk_widget_set_visible(revealer, FALSE);
}

static GtkWidget *placeholder(const char *text)
{
    GtkWidget *l = gtk_label_new(text);
    gtk_label_set_wrap(GTK_LABEL(l), TRUE);
    gtk_label_set_xalign(GTK_LABEL(l), 0.0f);
    gtk_widget_add_css_class(l, "dim-label");
    gtk_widget_add_css_class(l, "row-content");
    return l;
}

/* A list row: a check button named `label`, an optional dim detail at the end;
 * `key` (the roster name or recording id) is kept on the check button. */
static GtkWidget *check_row(const char *label, const char *detail, const char *key,
                            TamgaHandoverPage *self)
{
    GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
    gtk_widget_add_css_class(box, "row-content");
    GtkWidget *check = gtk_check_button_new_with_label(label);
    gtk_widget_set_hexpand(check, TRUE);
    g_object_set_data_full(G_OBJECT(check), "key", g_strdup(key), g_free);
    g_signal_connect_swapped(check, "toggled", G_CALLBACK(update_send_state), self);
    gtk_box_append(GTK_BOX(box), check);
    if (detail != NULL) {
        GtkWidget *d = gtk_label_new(detail);
        gtk_widget_add_css_class(d, "dim-label");
        gtk_label_set_selectable(GTK_LABEL(d), TRUE);
        gtk_box_append(GTK_BOX(box), d);
        gtk_accessible_update_property(GTK_ACCESSIBLE(check), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       detail, -1);
    }
    GtkWidget *row = gtk_list_box_row_new();
    gtk_list_box_row_set_activatable(GTK_LIST_BOX_ROW(row), FALSE);
    gtk_list_box_row_set_child(GTK_LIST_BOX_ROW(row), box);
    g_object_set_data(G_OBJECT(row), "check", check);
    return row;
}

/* The keys of the ticked rows of `list`. */
static GPtrArray *checked_keys(GtkWidget *list)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (GtkWidget *row = gtk_widget_get_first_child(list); row != NULL;
         row = gtk_widget_get_next_sibling(row)) {
        GtkWidget *check = g_object_get_data(G_OBJECT(row), "check");
        if (check != NULL && gtk_check_button_get_active(GTK_CHECK_BUTTON(check)))
            g_ptr_array_add(out, g_strdup(g_object_get_data(G_OBJECT(check), "key")));
    }
    return out;
}

static char **ptr_array_to_strv(GPtrArray *a)
{
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(a, FALSE);
}

/* The pasted lines, trimmed, without empty ones. */
static char **pasted_lines(TamgaHandoverPage *self)
{
    GtkTextBuffer *buf = gtk_text_view_get_buffer(GTK_TEXT_VIEW(self->paste_view));
    GtkTextIter a, b;
    gtk_text_buffer_get_bounds(buf, &a, &b);
    g_autofree char *text = gtk_text_buffer_get_text(buf, &a, &b, FALSE);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    GPtrArray *out = g_ptr_array_new();
    for (size_t i = 0; lines[i] != NULL; i++) {
        char *line = g_strstrip(lines[i]);
        if (line[0] != '\0')
            g_ptr_array_add(out, g_strdup(line));
    }
    return ptr_array_to_strv(out);
}

/* ---- the Send part: state ----------------------------------------------------------- */

static void on_paste_changed(GtkTextBuffer *buf, TamgaHandoverPage *self)
{
    (void)buf;
    g_auto(GStrv) lines = pasted_lines(self);
    GString *bad = g_string_new(NULL);
    self->n_invalid_pasted = 0;
    self->n_valid_pasted = 0;
    for (size_t i = 0; lines[i] != NULL; i++) {
        uint8_t pk[TAMGA_ENC_PK_BYTES];
        if (tamga_age_recipient_parse(lines[i], pk) == TAMGA_OK) {
            self->n_valid_pasted++;
            continue;
        }
        self->n_invalid_pasted++;
        if (bad->len > 0)
            g_string_append(bad, ", ");
        if (g_utf8_strlen(lines[i], -1) > 24) {
            g_autofree char *start = g_utf8_substring(lines[i], 0, 20);
            g_string_append_printf(bad, "“%s…”", start);
        } else {
            g_string_append_printf(bad, "“%s”", lines[i]);
        }
    }
    if (self->n_invalid_pasted > 0) {
        g_autofree char *msg =
            g_strdup_printf(ngettext("Not an age1… recipient: %s", "Not age1… recipients: %s",
                                     self->n_invalid_pasted),
                            bad->str);
        gtk_label_set_text(GTK_LABEL(self->paste_error), msg);
    }
    gtk_widget_set_visible(self->paste_error, self->n_invalid_pasted > 0);
    g_string_free(bad, TRUE);
    update_send_state(self);
}

/* Whether the Send part, as shown, describes an export that can start; `why`
 * receives what is missing (or a plain description of what will happen). */
static gboolean send_ready(TamgaHandoverPage *self, char **why)
{
    *why = NULL;
    if (self->case_id == NULL)
        return FALSE;
    gboolean pass_mode = gtk_check_button_get_active(GTK_CHECK_BUTTON(self->pass_check));
    g_autoptr(GPtrArray) people = checked_keys(self->roster_list);
    if (!gtk_check_button_get_active(GTK_CHECK_BUTTON(self->all_check))) {
        g_autoptr(GPtrArray) recs = checked_keys(self->recs_list);
        if (recs->len == 0) {
            *why = g_strdup(_("Choose at least one recording, or include all of them."));
            return FALSE;
        }
    }
    if (pass_mode) {
        const char *p1 = gtk_editable_get_text(GTK_EDITABLE(self->pass1));
        const char *p2 = gtk_editable_get_text(GTK_EDITABLE(self->pass2));
        if (p1[0] == '\0') {
            *why = g_strdup(_("Type a passphrase for the bundle, twice."));
            return FALSE;
        }
        if (strcmp(p1, p2) != 0) {
            *why = g_strdup(_("The two passphrases differ."));
            return FALSE;
        }
        *why = g_strdup(_("Anyone with the passphrase can open the bundle. Tell it to your "
                          "partner by another channel than the file itself."));
        return TRUE;
    }
    if (self->n_invalid_pasted > 0) {
        *why = g_strdup(_("Correct or remove the lines that are not age1… recipients."));
        return FALSE;
    }
    guint n = people->len + self->n_valid_pasted;
    if (n == 0) {
        *why =
            g_strdup(_("Choose at least one recipient, or protect the bundle with a passphrase."));
        return FALSE;
    }
    if (gtk_check_button_get_active(GTK_CHECK_BUTTON(self->grant_check)) && people->len == 0) {
        *why = g_strdup(_("To give the case key, choose people from your trust roster."));
        return FALSE;
    }
    *why = g_strdup_printf(ngettext("The bundle will be encrypted to %u recipient: only they "
                                    "can open it.",
                                    "The bundle will be encrypted to %u recipients: only they "
                                    "can open it.",
                                    n),
                           n);
    return TRUE;
}

static void update_send_state(TamgaHandoverPage *self)
{
    gboolean pass_mode = gtk_check_button_get_active(GTK_CHECK_BUTTON(self->pass_check));
    reveal(self->pass_revealer, pass_mode);
    reveal(self->recs_revealer, !gtk_check_button_get_active(GTK_CHECK_BUTTON(self->all_check)));
    gtk_widget_set_sensitive(self->roster_list, !pass_mode);
    gtk_widget_set_sensitive(self->paste_view, !pass_mode);
    gtk_widget_set_sensitive(self->plain_check, self->keyholder);
    gtk_widget_set_sensitive(self->grant_check, self->keyholder && !pass_mode);
    g_autofree char *why = NULL;
    gboolean ready = send_ready(self, &why);
    gtk_label_set_text(GTK_LABEL(self->send_hint), why != NULL ? why : "");
    gtk_widget_set_visible(self->send_hint, why != NULL);
    gtk_widget_set_sensitive(self->export_button, ready && !self->exporting);
    gtk_widget_set_sensitive(self->send_form, self->case_id != NULL);
}

/* ---- roster and recordings ---------------------------------------------------------- */

static int cmp_trust_info(gconstpointer a, gconstpointer b)
{
    const TamgaTrustInfo *ia = *(TamgaTrustInfo *const *)a;
    const TamgaTrustInfo *ib = *(TamgaTrustInfo *const *)b;
    return g_utf8_collate(ia->name, ib->name);
}

static void roster_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaHandoverPage *self = data;
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) people = tamga_job_trust_load_finish(res, &err);
    TAMGA_RETURN_IF_CLOSED(err, self);
    if (people == NULL) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
        g_object_unref(self);
        return;
    }
    g_ptr_array_sort(people, cmp_trust_info);
    /* Keep the ticks of people still there. */
    g_autoptr(GPtrArray) ticked = checked_keys(self->roster_list);
    tamga_gui_list_box_clear(GTK_LIST_BOX(self->roster_list));
    for (guint i = 0; i < people->len; i++) {
        TamgaTrustInfo *p = people->pdata[i];
        g_autofree char *detail = g_strdup_printf(_("key %s"), p->key_id);
        GtkWidget *row = check_row(p->name, detail, p->name, self);
        GtkWidget *check = g_object_get_data(G_OBJECT(row), "check");
        for (guint k = 0; k < ticked->len; k++)
            if (strcmp(ticked->pdata[k], p->name) == 0)
                gtk_check_button_set_active(GTK_CHECK_BUTTON(check), TRUE);
        gtk_list_box_append(GTK_LIST_BOX(self->roster_list), row);
    }
    g_info("trust roster loaded: %u", people->len);
    update_send_state(self);
    g_object_unref(self);
}

static void load_roster(TamgaHandoverPage *self)
{
    const char *home = home_of(self);
    if (home != NULL)
        tamga_job_trust_load_async(home, self->cancellable, roster_loaded, g_object_ref(self));
}

typedef struct {
    TamgaHandoverPage *self;
    guint generation;
} RecsLoad;

static void recordings_loaded(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    RecsLoad *rl = data;
    TamgaHandoverPage *self = rl->self;
    guint generation = rl->generation;
    g_free(rl);
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) recs = tamga_job_list_recordings_finish(res, &err);
    TAMGA_RETURN_IF_CLOSED(err, self);
    if (generation != self->recs_generation) { /* another case was chosen meanwhile */
        g_object_unref(self);
        return;
    }
    if (recs == NULL) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
        g_object_unref(self);
        return;
    }
    /* Keep the ticks of recordings still there. */
    g_autoptr(GPtrArray) ticked = checked_keys(self->recs_list);
    tamga_gui_list_box_clear(GTK_LIST_BOX(self->recs_list));
    for (guint i = 0; i < recs->len; i++) {
        TamgaRecordingInfo *r = recs->pdata[i];
        g_autofree char *when = g_strndup(r->started, 16);
        g_strdelimit(when, "T", ' ');
        gint64 s = r->duration_ms / 1000;
        /* TRANSLATORS: a recording: when it started (UTC), and how long it is (minutes:seconds) */
        g_autofree char *label =
            g_strdup_printf(_("%s UTC, %d:%02d"), when[0] != '\0' ? when : _("unknown time"),
                            (int)(s / 60), (int)(s % 60));
        g_autofree char *detail = g_strndup(r->id, 12);
        GtkWidget *row = check_row(label, detail, r->id, self);
        GtkWidget *check = g_object_get_data(G_OBJECT(row), "check");
        for (guint k = 0; k < ticked->len; k++)
            if (strcmp(ticked->pdata[k], r->id) == 0)
                gtk_check_button_set_active(GTK_CHECK_BUTTON(check), TRUE);
        gtk_list_box_append(GTK_LIST_BOX(self->recs_list), row);
    }
    update_send_state(self);
    g_object_unref(self);
}

static void load_recordings(TamgaHandoverPage *self)
{
    const char *home = home_of(self);
    self->recs_generation++;
    if (self->case_id == NULL || home == NULL)
        return;
    RecsLoad *rl = g_new0(RecsLoad, 1);
    rl->self = g_object_ref(self);
    rl->generation = self->recs_generation;
    tamga_job_list_recordings_async(home, self->case_id, self->cancellable, recordings_loaded, rl);
}

/* ---- export --------------------------------------------------------------------------- */

static gboolean poll_progress(gpointer data)
{
    TamgaHandoverPage *self = data;
    if (self->progress == NULL)
        return G_SOURCE_CONTINUE;
    uint64_t done = atomic_load(&self->progress->done);
    uint64_t total = atomic_load(&self->progress->total);
    if (atomic_load(&self->progress->cancel)) {
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(self->progress_bar), _("Cancelling…"));
    } else if (total == 0) {
        gtk_progress_bar_pulse(GTK_PROGRESS_BAR(self->progress_bar));
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(self->progress_bar), _("Preparing…"));
    } else {
        g_autofree char *d = g_format_size(done);
        g_autofree char *t = g_format_size(total);
        /* TRANSLATORS: bytes of a bundle written so far, e.g. "12.5 MB of 80.1 MB" */
        g_autofree char *text = g_strdup_printf(_("%s of %s"), d, t);
        gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(self->progress_bar),
                                      (double)done / (double)total);
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(self->progress_bar), text);
    }
    return G_SOURCE_CONTINUE;
}

static void stop_progress(TamgaHandoverPage *self)
{
    if (self->progress_source != 0) {
        g_source_remove(self->progress_source);
        self->progress_source = 0;
    }
    g_clear_pointer(&self->progress, g_atomic_rc_box_release);
    self->exporting = FALSE;
    gtk_widget_set_visible(self->cancel_button, FALSE);
    gtk_widget_set_sensitive(self->cancel_button, TRUE);
}

static void export_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaHandoverPage *self = data;
    g_autoptr(GError) err = NULL;
    TamgaExportResult *r = tamga_job_bundle_export_finish(res, &err);
    if (self->app != NULL)
        tamga_application_release_identity(self->app);
    TAMGA_RETURN_IF_CLOSED(err, self);
    gboolean cancelled = self->progress != NULL && atomic_load(&self->progress->cancel);
    uint64_t written = self->progress != NULL ? atomic_load(&self->progress->done) : 0;
    stop_progress(self);
    if (r == NULL) {
        gtk_widget_set_visible(self->progress_bar, FALSE);
        if (cancelled) {
            tamga_gui_notice(GTK_WIDGET(self), FALSE, _("Export cancelled. No file was written."));
            g_info("bundle export cancelled");
        } else {
            tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
        }
    } else {
        gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(self->progress_bar), 1.0);
        g_autofree char *size = g_format_size(written);
        /* TRANSLATORS: the size of the bundle's tar, e.g. "Done: 80.1 MB written" */
        g_autofree char *done = g_strdup_printf(_("Done: %s written"), size);
        gtk_progress_bar_set_text(GTK_PROGRESS_BAR(self->progress_bar), done);
        g_autofree char *msg = g_strdup_printf(
            _("Bundle written to %s. Its SHA-256 begins with %.16s: tell your partner by "
              "another channel (a phone call) so they can check it."),
            r->path, r->sha256);
        tamga_gui_notice(GTK_WIDGET(self), FALSE, msg);
        g_info("bundle exported: %s sha256 %s", r->path, r->sha256);
        gtk_editable_set_text(GTK_EDITABLE(self->pass1), "");
        gtk_editable_set_text(GTK_EDITABLE(self->pass2), "");
        tamga_export_result_free(r);
    }
    update_send_state(self);
    g_object_unref(self);
}

static void export_unlocked(gpointer data)
{
    TamgaHandoverPage *self = data;
    TamgaExportRequest *req = g_steal_pointer(&self->pending_export);
    if (req == NULL || self->app == NULL || self->exporting) {
        tamga_export_request_free(req);
        return;
    }
    self->exporting = TRUE;
    self->progress = tamga_bundle_progress_new();
    gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(self->progress_bar), 0.0);
    gtk_progress_bar_set_text(GTK_PROGRESS_BAR(self->progress_bar), _("Preparing…"));
    gtk_widget_set_visible(self->progress_bar, TRUE);
    gtk_widget_set_visible(self->cancel_button, TRUE);
    self->progress_source = g_timeout_add(PROGRESS_POLL_MS, poll_progress, self);
    update_send_state(self);
    g_info("bundle export started: %s", req->output);
    tamga_application_hold_identity(self->app);
    tamga_job_bundle_export_async(home_of(self), tamga_application_get_identity(self->app), req,
                                  self->progress, self->cancellable, export_done,
                                  g_object_ref(self));
}

static void start_export(TamgaHandoverPage *self, TamgaExportRequest *req)
{
    tamga_export_request_free(self->pending_export);
    self->pending_export = req;
    if (!tamga_gui_need_unlocked(GTK_WIDGET(self),
                                 _("Enter your passphrase: the export is signed in the case's "
                                   "custody log."),
                                 export_unlocked))
        g_clear_pointer(&self->pending_export, tamga_export_request_free);
}

static void export_file_chosen(gpointer owner, const char *path, gpointer req)
{
    ((TamgaExportRequest *)req)->output = g_strdup(path);
    start_export(owner, req);
}

/* A file name from the case title: letters, digits, '-' and '_' kept. */
static char *suggested_name(const char *title)
{
    GString *s = g_string_new(NULL);
    for (const char *p = title != NULL ? title : ""; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isalnum(c) || c == '-' || c == '_')
            g_string_append_unichar(s, c);
        else if (s->len > 0 && s->str[s->len - 1] != '-')
            g_string_append_c(s, '-');
    }
    while (s->len > 0 && s->str[s->len - 1] == '-')
        g_string_truncate(s, s->len - 1);
    if (s->len == 0)
        g_string_append(s, "case");
    g_string_append(s, ".age");
    return g_string_free(s, FALSE);
}

void tamga_handover_page_export(TamgaHandoverPage *self, GVariant *options)
{
    g_return_if_fail(TAMGA_IS_HANDOVER_PAGE(self));
    if (self->exporting) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE,
                         _("A bundle is being written already; wait for it or cancel it."));
        return;
    }
    if (self->case_id == NULL) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE, _("Choose a case first, on the Cases page."));
        return;
    }
    GVariantDict dict;
    g_variant_dict_init(
        &dict,
        options != NULL && g_variant_is_of_type(options, G_VARIANT_TYPE_VARDICT) ? options : NULL);
    TamgaExportRequest *req = g_new0(TamgaExportRequest, 1);
    req->case_id = g_strdup(self->case_id);
    const char *s = NULL;
    if (g_variant_dict_lookup(&dict, "output", "&s", &s) && s[0] != '\0')
        req->output = g_strdup(s);
    gboolean have_to = g_variant_dict_lookup(&dict, "to", "^as", &req->to);
    if (g_variant_dict_lookup(&dict, "passphrase-file", "&s", &s) && s[0] != '\0')
        req->passphrase_file = g_strdup(s);
    const char *problem = NULL;
    if (!have_to && req->passphrase_file == NULL) {
        /* The recipients as the page shows them. */
        if (gtk_check_button_get_active(GTK_CHECK_BUTTON(self->pass_check))) {
            const char *p1 = gtk_editable_get_text(GTK_EDITABLE(self->pass1));
            const char *p2 = gtk_editable_get_text(GTK_EDITABLE(self->pass2));
            if (p1[0] == '\0')
                problem = _("Type a passphrase for the bundle, twice.");
            else if (strcmp(p1, p2) != 0)
                problem = _("The two passphrases differ.");
            else
                tamga_export_request_set_passphrase(req, p1);
        } else if (self->n_invalid_pasted > 0) {
            problem = _("Correct or remove the lines that are not age1… recipients.");
        } else {
            GPtrArray *to = checked_keys(self->roster_list);
            g_auto(GStrv) lines = pasted_lines(self);
            for (size_t i = 0; lines[i] != NULL; i++)
                g_ptr_array_add(to, g_strdup(lines[i]));
            req->to = ptr_array_to_strv(to);
        }
    }
    if (!g_variant_dict_lookup(&dict, "recordings", "^as", &req->recordings) &&
        !gtk_check_button_get_active(GTK_CHECK_BUTTON(self->all_check))) {
        req->recordings = ptr_array_to_strv(checked_keys(self->recs_list));
        if (req->recordings[0] == NULL && problem == NULL)
            problem = _("Choose at least one recording, or include all of them.");
    }
    if (!g_variant_dict_lookup(&dict, "plain-audio", "b", &req->plain_audio))
        req->plain_audio = gtk_check_button_get_active(GTK_CHECK_BUTTON(self->plain_check));
    if (!g_variant_dict_lookup(&dict, "grant", "b", &req->grant))
        req->grant = gtk_check_button_get_active(GTK_CHECK_BUTTON(self->grant_check));
    g_variant_dict_clear(&dict);
    if (problem == NULL && (req->plain_audio || req->grant) && !self->keyholder)
        problem = _("Only a keyholder of this case can include decrypted audio or give the case "
                    "key; this computer is record-only for it.");
    if (problem != NULL) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE, problem);
        tamga_export_request_free(req);
        return;
    }
    if (req->output != NULL) {
        start_export(self, req);
        return;
    }
    g_autofree char *name = suggested_name(self->case_title);
    tamga_gui_choose_file(GTK_WIDGET(self),
                          &(TamgaFileQuestion){.title = _("Export Bundle"),
                                               .accept = _("_Export"),
                                               .action = GTK_FILE_CHOOSER_ACTION_SAVE,
                                               .modal = TRUE,
                                               .initial_name = name},
                          export_file_chosen, req, (GDestroyNotify)tamga_export_request_free);
}

static void on_export_clicked(GtkButton *button, TamgaHandoverPage *self)
{
    (void)button;
    tamga_handover_page_export(self, NULL);
}

static void on_cancel_export(GtkButton *button, TamgaHandoverPage *self)
{
    (void)button;
    if (self->progress != NULL) {
        atomic_store(&self->progress->cancel, 1);
        gtk_widget_set_sensitive(self->cancel_button, FALSE);
        g_info("bundle export: cancelling");
    }
}

/* ---- import ------------------------------------------------------------------------------ */

static void set_receive_busy(TamgaHandoverPage *self, gboolean busy, const char *status)
{
    self->importing = busy;
    if (busy)
        gtk_spinner_start(GTK_SPINNER(self->receive_spinner));
    else
        gtk_spinner_stop(GTK_SPINNER(self->receive_spinner));
    gtk_label_set_text(GTK_LABEL(self->receive_status), status != NULL ? status : "");
    gtk_widget_set_sensitive(self->open_button, !busy);
    gtk_widget_set_sensitive(self->import_button, !busy);
    gtk_widget_set_sensitive(self->import_cancel, !busy);
    gtk_widget_set_sensitive(self->import_pass_button, !busy);
}

/* Forgets the bundle being looked at (nothing was stored). */
static void reset_import(TamgaHandoverPage *self)
{
    g_clear_pointer(&self->import_path, g_free);
    g_clear_pointer(&self->summary, g_free);
    wipe_import_passphrase(self);
    self->use_pass_file = FALSE;
    gtk_editable_set_text(GTK_EDITABLE(self->import_pass), "");
    reveal(self->import_pass_revealer, FALSE);
    reveal(self->summary_revealer, FALSE);
}

/* A new line, then `fmt` with its arguments. */
static void G_GNUC_PRINTF(2, 3) append_line(GString *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_string_append_c(s, '\n');
    g_string_append_vprintf(s, fmt, ap);
    va_end(ap);
}

static void show_summary(TamgaHandoverPage *self, const tamga_import_result *r)
{
    g_autofree char *title =
        r->new_case ? g_strdup_printf(_("A new case: “%s”"), r->title)
                    : g_strdup_printf(_("More of a case you already have: “%s”"), r->title);
    gtk_label_set_text(GTK_LABEL(self->summary_title), title);
    GString *s = g_string_new(NULL);
    g_string_append_printf(s,
                           ngettext("The bundle holds %zu recording.",
                                    "The bundle holds %zu recordings.",
                                    (unsigned long)r->recordings_total),
                           r->recordings_total);
    g_string_append_c(s, ' ');
    if (r->recordings_added == 0)
        g_string_append(s, _("None of them is new on this computer."));
    else if (r->recordings_added == r->recordings_total)
        g_string_append_printf(s,
                               ngettext("It is new on this computer.",
                                        "All %zu are new on this computer.",
                                        (unsigned long)r->recordings_added),
                               r->recordings_added);
    else
        g_string_append_printf(s,
                               ngettext("%zu of them is new on this computer.",
                                        "%zu of them are new on this computer.",
                                        (unsigned long)r->recordings_added),
                               r->recordings_added);
    if (r->logs_extended > 0)
        append_line(s,
                    ngettext("%zu custody log grows with the entries your partner "
                             "added.",
                             "%zu custody logs grow with the entries your partner "
                             "added.",
                             (unsigned long)r->logs_extended),
                    r->logs_extended);
    if (r->branches_added > 0)
        append_line(s,
                    ngettext("%zu custody log of another computer is stored beside "
                             "yours.",
                             "%zu custody logs of other computers are stored "
                             "beside yours.",
                             (unsigned long)r->branches_added),
                    r->branches_added);
    if (r->grants_added > 0)
        append_line(s,
                    ngettext("%zu key grant (a sealed copy of the case key) is "
                             "added.",
                             "%zu key grants (sealed copies of the case key) are "
                             "added.",
                             (unsigned long)r->grants_added),
                    r->grants_added);
    append_line(s, _("Every signature, hash and chain checks out. Case id %s."), r->case_id);
    gtk_label_set_text(GTK_LABEL(self->summary_label), s->str);
    g_string_free(s, TRUE);
    reveal(self->summary_revealer, TRUE);
}

static void run_dry(TamgaHandoverPage *self);

/* Once the summary is shown, Import gets the focus (and scrolls into view). */
static void on_summary_revealed(GtkRevealer *revealer, GParamSpec *pspec, TamgaHandoverPage *self)
{
    (void)pspec;
    if (gtk_revealer_get_child_revealed(revealer))
        gtk_widget_grab_focus(self->import_button);
}

static void dry_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaHandoverPage *self = data;
    g_autoptr(GError) err = NULL;
    tamga_import_result *r = tamga_job_bundle_import_finish(res, &err);
    if (self->app != NULL)
        tamga_application_release_identity(self->app);
    TAMGA_RETURN_IF_CLOSED(err, self);
    set_receive_busy(self, FALSE, NULL);
    if (r == NULL) {
        const char *env = g_getenv("TAMGA_BUNDLE_PASSPHRASE_FILE");
        gboolean no_pass = self->import_passphrase == NULL && !self->use_pass_file;
        if (err->code == TAMGA_ERR_NOT_KEYHOLDER && no_pass && env != NULL && env[0] != '\0') {
            /* Perhaps protected by a passphrase: try the one of the environment. */
            self->use_pass_file = TRUE;
            run_dry(self);
        } else if (err->code == TAMGA_ERR_NOT_KEYHOLDER && no_pass) {
            gtk_label_set_text_with_mnemonic(
                GTK_LABEL(self->import_pass_label),
                _("This bundle does not open with your key. If your partner protected it with a "
                  "passphrase, type it _here:"));
            reveal(self->import_pass_revealer, TRUE);
            gtk_widget_grab_focus(self->import_pass);
            g_info("import: asking for the bundle passphrase");
        } else if (err->code == TAMGA_ERR_PASSPHRASE && !self->use_pass_file) {
            wipe_import_passphrase(self);
            gtk_label_set_text_with_mnemonic(GTK_LABEL(self->import_pass_label),
                                             _("Wrong passphrase for this bundle. Type it "
                                               "again _here:"));
            reveal(self->import_pass_revealer, TRUE);
            gtk_widget_grab_focus(self->import_pass);
            tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
        } else {
            reset_import(self);
            tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
        }
        g_object_unref(self);
        return;
    }
    reveal(self->import_pass_revealer, FALSE);
    g_free(self->summary);
    self->summary = r;
    show_summary(self, r);
    g_info("import summary: case %s new %d recordings %zu added %zu", r->case_id, r->new_case,
           r->recordings_total, r->recordings_added);
    g_object_unref(self);
}

static void start_import_job(TamgaHandoverPage *self, gboolean dry_run, GAsyncReadyCallback cb)
{
    const char *pass_file = self->use_pass_file ? g_getenv("TAMGA_BUNDLE_PASSPHRASE_FILE") : NULL;
    set_receive_busy(self, TRUE, dry_run ? _("Checking the bundle…") : _("Importing the bundle…"));
    tamga_application_hold_identity(self->app);
    tamga_job_bundle_import_async(
        home_of(self), self->import_path, tamga_application_get_identity(self->app),
        self->import_passphrase, pass_file, dry_run, self->cancellable, cb, g_object_ref(self));
}

static void dry_unlocked(gpointer data)
{
    TamgaHandoverPage *self = data;
    if (self->import_path == NULL || self->importing || self->app == NULL)
        return;
    start_import_job(self, TRUE, dry_done);
}

static void run_dry(TamgaHandoverPage *self)
{
    tamga_gui_need_unlocked(GTK_WIDGET(self), _("Enter your passphrase to open the bundle:"),
                            dry_unlocked);
}

static void import_file_chosen(gpointer owner, const char *path, gpointer data)
{
    (void)data;
    tamga_handover_page_import(owner, path);
}

void tamga_handover_page_import(TamgaHandoverPage *self, const char *path)
{
    g_return_if_fail(TAMGA_IS_HANDOVER_PAGE(self));
    if (self->importing) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE,
                         _("A bundle is being checked already; wait for it."));
        return;
    }
    if (path == NULL || path[0] == '\0') {
        const char *const filters[] = {_("Bundles (*.age)"), "*.age", _("All files"), "*", NULL};
        tamga_gui_choose_file(GTK_WIDGET(self),
                              &(TamgaFileQuestion){.title = _("Open a Bundle"),
                                                   .accept = _("_Open"),
                                                   .action = GTK_FILE_CHOOSER_ACTION_OPEN,
                                                   .modal = TRUE,
                                                   .filters = filters},
                              import_file_chosen, NULL, NULL);
        return;
    }
    reset_import(self);
    self->import_path = g_strdup(path);
    g_info("import: checking %s", path);
    run_dry(self);
}

static void confirm_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaHandoverPage *self = data;
    g_autoptr(GError) err = NULL;
    tamga_import_result *r = tamga_job_bundle_import_finish(res, &err);
    if (self->app != NULL)
        tamga_application_release_identity(self->app);
    TAMGA_RETURN_IF_CLOSED(err, self);
    set_receive_busy(self, FALSE, NULL);
    reset_import(self);
    if (r == NULL) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE, err->message);
        g_object_unref(self);
        return;
    }
    g_autofree char *msg = g_strdup_printf(ngettext("Imported the case “%s”: %zu recording added.",
                                                    "Imported the case “%s”: %zu recordings added.",
                                                    (unsigned long)r->recordings_added),
                                           r->title, r->recordings_added);
    tamga_gui_notice(GTK_WIDGET(self), FALSE, msg);
    g_info("bundle imported: case %s, %zu recordings added", r->case_id, r->recordings_added);
    g_autofree char *case_id = g_strdup(r->case_id);
    g_free(r);
    g_signal_emit(self, signals[SIGNAL_IMPORTED], 0, case_id);
    g_object_unref(self);
}

static void confirm_unlocked(gpointer data)
{
    TamgaHandoverPage *self = data;
    if (self->summary == NULL || self->import_path == NULL || self->importing || self->app == NULL)
        return;
    start_import_job(self, FALSE, confirm_done);
}

void tamga_handover_page_import_confirm(TamgaHandoverPage *self)
{
    g_return_if_fail(TAMGA_IS_HANDOVER_PAGE(self));
    if (self->importing) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE,
                         _("A bundle is being checked already; wait for it."));
        return;
    }
    if (self->summary == NULL || self->import_path == NULL) {
        tamga_gui_notice(GTK_WIDGET(self), TRUE,
                         _("Open a bundle first: there is nothing to import yet."));
        return;
    }
    tamga_gui_need_unlocked(GTK_WIDGET(self), _("Enter your passphrase to import the bundle:"),
                            confirm_unlocked);
}

static void on_import_cancel(GtkButton *button, TamgaHandoverPage *self)
{
    (void)button;
    reset_import(self);
    gtk_label_set_text(GTK_LABEL(self->receive_status), _("Nothing was imported."));
    g_info("import cancelled");
}

static void on_import_pass(GtkWidget *widget, TamgaHandoverPage *self)
{
    (void)widget;
    const char *pass = gtk_editable_get_text(GTK_EDITABLE(self->import_pass));
    if (pass[0] == '\0' || self->import_path == NULL || self->importing)
        return;
    wipe_import_passphrase(self);
    size_t n = strlen(pass);
    self->import_passphrase = sodium_malloc(n + 1);
    if (self->import_passphrase == NULL)
        return;
    memcpy(self->import_passphrase, pass, n + 1);
    gtk_editable_set_text(GTK_EDITABLE(self->import_pass), "");
    run_dry(self);
}

/* ---- the case and the application ------------------------------------------------------ */

void tamga_handover_page_set_application(TamgaHandoverPage *self, TamgaApplication *app)
{
    g_return_if_fail(TAMGA_IS_HANDOVER_PAGE(self));
    self->app = app;
    load_roster(self);
}

void tamga_handover_page_set_case(TamgaHandoverPage *self, const char *case_id, const char *title,
                                  gboolean keyholder)
{
    g_return_if_fail(TAMGA_IS_HANDOVER_PAGE(self));
    gboolean changed = g_strcmp0(self->case_id, case_id) != 0;
    g_free(self->case_id);
    g_free(self->case_title);
    self->case_id = g_strdup(case_id);
    self->case_title = g_strdup(title);
    self->keyholder = case_id != NULL && keyholder;
    if (case_id != NULL) {
        g_autofree char *text = g_strdup_printf(_("Case: %s"), title != NULL ? title : case_id);
        gtk_label_set_text(GTK_LABEL(self->case_label), text);
    } else {
        gtk_label_set_text(GTK_LABEL(self->case_label), _("Choose a case first"));
    }
    gtk_widget_set_visible(self->goto_cases_button, case_id == NULL);
    gtk_widget_set_visible(self->send_form, case_id != NULL);
    if (!self->keyholder) {
        gtk_check_button_set_active(GTK_CHECK_BUTTON(self->plain_check), FALSE);
        gtk_check_button_set_active(GTK_CHECK_BUTTON(self->grant_check), FALSE);
    }
    const char *not_keyholder =
        _("Only a keyholder of this case can do this; this computer is record-only for it.");
    gtk_widget_set_tooltip_text(
        self->plain_check,
        self->keyholder ? _("The recordings are added decrypted too (Ogg Opus) inside the "
                            "encrypted bundle: whoever opens the bundle can listen without tamga.")
                        : not_keyholder);
    gtk_widget_set_tooltip_text(
        self->grant_check,
        self->keyholder ? _("Adds the case key sealed to each chosen roster person: they become "
                            "keyholders and can decrypt the recordings.")
                        : not_keyholder);
    if (changed) {
        tamga_gui_list_box_clear(GTK_LIST_BOX(self->recs_list));
        load_recordings(self);
    }
    update_send_state(self);
}

/* ---- life ------------------------------------------------------------------------------------ */

static void on_map(GtkWidget *widget, TamgaHandoverPage *self)
{
    (void)widget;
    /* People may have been added, and recordings made, meanwhile. */
    load_roster(self);
    load_recordings(self);
}

static void tamga_handover_page_root(GtkWidget *widget)
{
    TamgaHandoverPage *self = TAMGA_HANDOVER_PAGE(widget);
    GTK_WIDGET_CLASS(tamga_handover_page_parent_class)->root(widget);
    tamga_gui_cancellable_renew(&self->cancellable);
}

static void tamga_handover_page_unroot(GtkWidget *widget)
{
    TamgaHandoverPage *self = TAMGA_HANDOVER_PAGE(widget);
    /* The window is going away: stop the workers; an export leaves nothing behind. */
    if (self->progress != NULL)
        atomic_store(&self->progress->cancel, 1);
    g_cancellable_cancel(self->cancellable);
    GTK_WIDGET_CLASS(tamga_handover_page_parent_class)->unroot(widget);
}

static void tamga_handover_page_dispose(GObject *object)
{
    TamgaHandoverPage *self = TAMGA_HANDOVER_PAGE(object);
    g_cancellable_cancel(self->cancellable);
    if (self->progress != NULL)
        atomic_store(&self->progress->cancel, 1);
    if (self->progress_source != 0) {
        g_source_remove(self->progress_source);
        self->progress_source = 0;
    }
    g_clear_pointer(&self->progress, g_atomic_rc_box_release);
    g_clear_pointer(&self->pending_export, tamga_export_request_free);
    g_clear_pointer(&self->summary, g_free);
    g_clear_pointer(&self->import_path, g_free);
    wipe_import_passphrase(self);
    gtk_widget_dispose_template(GTK_WIDGET(self), TAMGA_TYPE_HANDOVER_PAGE);
    G_OBJECT_CLASS(tamga_handover_page_parent_class)->dispose(object);
}

static void tamga_handover_page_finalize(GObject *object)
{
    TamgaHandoverPage *self = TAMGA_HANDOVER_PAGE(object);
    g_clear_object(&self->cancellable);
    g_free(self->case_id);
    g_free(self->case_title);
    G_OBJECT_CLASS(tamga_handover_page_parent_class)->finalize(object);
}

static void tamga_handover_page_class_init(TamgaHandoverPageClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    object_class->dispose = tamga_handover_page_dispose;
    object_class->finalize = tamga_handover_page_finalize;
    widget_class->root = tamga_handover_page_root;
    widget_class->unroot = tamga_handover_page_unroot;

    /* "imported" (const char *case_id): a bundle was stored. */
    signals[SIGNAL_IMPORTED] = g_signal_new("imported", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/org/tamga/Recorder/tamga-handover-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child(widget_class, TamgaHandoverPage, name)
    CHILD(case_label);
    CHILD(goto_cases_button);
    CHILD(send_form);
    CHILD(roster_list);
    CHILD(paste_view);
    CHILD(paste_error);
    CHILD(pass_check);
    CHILD(pass_revealer);
    CHILD(pass1);
    CHILD(pass2);
    CHILD(all_check);
    CHILD(recs_revealer);
    CHILD(recs_list);
    CHILD(plain_check);
    CHILD(grant_check);
    CHILD(send_hint);
    CHILD(export_button);
    CHILD(cancel_button);
    CHILD(progress_bar);
    CHILD(receive_section);
    CHILD(open_button);
    CHILD(receive_spinner);
    CHILD(receive_status);
    CHILD(import_pass_revealer);
    CHILD(import_pass_label);
    CHILD(import_pass);
    CHILD(import_pass_button);
    CHILD(summary_revealer);
    CHILD(summary_title);
    CHILD(summary_label);
    CHILD(import_cancel);
    CHILD(import_button);
#undef CHILD
}

static void tamga_handover_page_init(TamgaHandoverPage *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    self->cancellable = g_cancellable_new();

    gtk_list_box_set_placeholder(
        GTK_LIST_BOX(self->roster_list),
        placeholder(_("No one is in your trust roster yet. Add a partner in Preferences "
                      "(Ctrl+,), or paste their age1… key below.")));
    gtk_list_box_set_placeholder(GTK_LIST_BOX(self->recs_list),
                                 placeholder(_("This case has no recordings yet.")));

    GtkTextBuffer *buf = gtk_text_view_get_buffer(GTK_TEXT_VIEW(self->paste_view));
    g_signal_connect(buf, "changed", G_CALLBACK(on_paste_changed), self);
    g_signal_connect_swapped(self->pass_check, "toggled", G_CALLBACK(update_send_state), self);
    g_signal_connect_swapped(self->all_check, "toggled", G_CALLBACK(update_send_state), self);
    g_signal_connect_swapped(self->grant_check, "toggled", G_CALLBACK(update_send_state), self);
    g_signal_connect_swapped(self->pass1, "changed", G_CALLBACK(update_send_state), self);
    g_signal_connect_swapped(self->pass2, "changed", G_CALLBACK(update_send_state), self);
    g_signal_connect(self->export_button, "clicked", G_CALLBACK(on_export_clicked), self);
    g_signal_connect(self->cancel_button, "clicked", G_CALLBACK(on_cancel_export), self);
    g_signal_connect(self->import_cancel, "clicked", G_CALLBACK(on_import_cancel), self);
    g_signal_connect(self->import_pass_button, "clicked", G_CALLBACK(on_import_pass), self);
    g_signal_connect(self->import_pass, "activate", G_CALLBACK(on_import_pass), self);
    g_signal_connect(self, "map", G_CALLBACK(on_map), self);
    g_signal_connect(self->summary_revealer, "notify::child-revealed",
                     G_CALLBACK(on_summary_revealed), self);

    tamga_gui_accept_drops(self->receive_section, import_file_chosen, self);

    tamga_handover_page_set_case(self, NULL, NULL, FALSE);
}
