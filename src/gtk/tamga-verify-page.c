/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-verify-page.h"

#include <glib/gi18n.h>

#include "tamga-checklist.h"
#include "tamga-gui-util.h"
#include "tamga-jobs.h"
#include "tamga-window.h"

struct _TamgaVerifyPage {
    GtkBox parent_instance;

    /* template children */
    GtkWidget *open_folder_button;
    GtkWidget *open_file_button;
    GtkWidget *verify_path_label;
    GtkWidget *verify_checklist;

    TamgaApplication *app;
    GCancellable *cancellable; /* cancelled when the page leaves its window */
};

G_DEFINE_FINAL_TYPE(TamgaVerifyPage, tamga_verify_page, GTK_TYPE_BOX)

/* ---- a verification into a checklist ------------------------------------------------- */

typedef struct {
    TamgaApplication *app; /* holds its identity (a bundle is decrypted with it), or NULL */
    GtkWidget *checklist;
} VerifyJob;

static void verify_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    VerifyJob *job = data;
    g_autoptr(GError) err = NULL;
    tamga_report *r = tamga_job_verify_finish(res, &err);
    if (job->app != NULL) {
        tamga_application_release_identity(job->app);
        g_object_unref(job->app);
    }
    if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        g_object_unref(job->checklist);
        g_free(job);
        return;
    }
    if (r == NULL) {
        tamga_checklist_set_message(TAMGA_CHECKLIST(job->checklist), err->message);
        g_info("verify: error: %s", err->message);
    } else {
        tamga_checklist_set_report(TAMGA_CHECKLIST(job->checklist), r);
        g_info("verify: %s", tamga_report_ok(r) ? "VERIFIED" : "FAILED");
        tamga_report_free(r);
    }
    g_object_unref(job->checklist);
    g_free(job);
}

void tamga_verify_into_checklist(GtkWidget *checklist, const char *path, GCancellable *cancellable)
{
    tamga_checklist_set_message(TAMGA_CHECKLIST(checklist), _("Verifying…"));
    VerifyJob *job = g_new0(VerifyJob, 1);
    job->checklist = g_object_ref(checklist);
    /* Without the identity: checking signatures, hashes and chains needs no secret. */
    tamga_job_verify_async(path, NULL, 0, cancellable, verify_done, job);
}

/* ---- bundles: decrypted with this computer's identity before they are checked ------- */

typedef struct {
    TamgaVerifyPage *self;
    char *path;
} BundleVerify;

static void bundle_verify_free(gpointer data)
{
    BundleVerify *b = data;
    g_object_unref(b->self);
    g_free(b->path);
    g_free(b);
}

static void verify_bundle_unlocked(gpointer data)
{
    BundleVerify *b = data;
    TamgaVerifyPage *self = b->self;
    tamga_checklist_set_message(TAMGA_CHECKLIST(self->verify_checklist), _("Verifying…"));
    VerifyJob *job = g_new0(VerifyJob, 1);
    job->app = g_object_ref(self->app);
    job->checklist = g_object_ref(self->verify_checklist);
    tamga_application_hold_identity(self->app);
    tamga_job_verify_bundle_async(tamga_application_get_home(self->app), b->path,
                                  tamga_application_get_identity(self->app), self->cancellable,
                                  verify_done, job);
}

void tamga_verify_page_verify(TamgaVerifyPage *self, const char *path)
{
    GtkWidget *stack = gtk_widget_get_parent(GTK_WIDGET(self));
    if (GTK_IS_STACK(stack))
        gtk_stack_set_visible_child(GTK_STACK(stack), GTK_WIDGET(self));
    gtk_label_set_text(GTK_LABEL(self->verify_path_label), path);
    TamgaWindow *win = tamga_gui_window_of(GTK_WIDGET(self));
    if (g_str_has_suffix(path, ".age") && g_file_test(path, G_FILE_TEST_IS_REGULAR) &&
        tamga_application_get_home(self->app) != NULL && win != NULL) {
        BundleVerify *b = g_new0(BundleVerify, 1);
        b->self = g_object_ref(self);
        b->path = g_strdup(path);
        tamga_window_need_unlocked(win, _("Enter your passphrase to open the bundle:"),
                                   verify_bundle_unlocked, b, bundle_verify_free);
        return;
    }
    tamga_verify_into_checklist(self->verify_checklist, path, self->cancellable);
}

/* ---- opening and dropping ------------------------------------------------------------ */

static void path_chosen(gpointer owner, const char *path, gpointer data)
{
    (void)data;
    tamga_verify_page_verify(owner, path);
}

void tamga_verify_page_choose(TamgaVerifyPage *self, gboolean folder)
{
    tamga_gui_choose_file(
        GTK_WIDGET(self),
        &(TamgaFileQuestion){
            .title = folder ? _("Open a Case Folder") : _("Open a Recording or Manifest"),
            .accept = _("_Verify"),
            .action = folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER : GTK_FILE_CHOOSER_ACTION_OPEN,
        },
        path_chosen, NULL, NULL);
}

static void on_open_folder(GtkButton *b, TamgaVerifyPage *self)
{
    (void)b;
    tamga_verify_page_choose(self, TRUE);
}

static void on_open_file(GtkButton *b, TamgaVerifyPage *self)
{
    (void)b;
    tamga_verify_page_choose(self, FALSE);
}

/* ---- GObject ------------------------------------------------------------------------- */

void tamga_verify_page_set_application(TamgaVerifyPage *self, TamgaApplication *app)
{
    self->app = app;
}

static void tamga_verify_page_root(GtkWidget *widget)
{
    TamgaVerifyPage *self = TAMGA_VERIFY_PAGE(widget);
    GTK_WIDGET_CLASS(tamga_verify_page_parent_class)->root(widget);
    tamga_gui_cancellable_renew(&self->cancellable);
}

static void tamga_verify_page_unroot(GtkWidget *widget)
{
    TamgaVerifyPage *self = TAMGA_VERIFY_PAGE(widget);
    g_cancellable_cancel(self->cancellable); /* the window is going away */
    GTK_WIDGET_CLASS(tamga_verify_page_parent_class)->unroot(widget);
}

static void tamga_verify_page_dispose(GObject *object)
{
    TamgaVerifyPage *self = TAMGA_VERIFY_PAGE(object);
    g_cancellable_cancel(self->cancellable);
    gtk_widget_dispose_template(GTK_WIDGET(self), TAMGA_TYPE_VERIFY_PAGE);
    G_OBJECT_CLASS(tamga_verify_page_parent_class)->dispose(object);
}

static void tamga_verify_page_finalize(GObject *object)
{
    TamgaVerifyPage *self = TAMGA_VERIFY_PAGE(object);
    g_clear_object(&self->cancellable);
    G_OBJECT_CLASS(tamga_verify_page_parent_class)->finalize(object);
}

static void tamga_verify_page_class_init(TamgaVerifyPageClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    object_class->dispose = tamga_verify_page_dispose;
    object_class->finalize = tamga_verify_page_finalize;
    widget_class->root = tamga_verify_page_root;
    widget_class->unroot = tamga_verify_page_unroot;

    g_type_ensure(TAMGA_TYPE_CHECKLIST);
    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/org/tamga/Recorder/tamga-verify-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child(widget_class, TamgaVerifyPage, name)
    CHILD(open_folder_button);
    CHILD(open_file_button);
    CHILD(verify_path_label);
    CHILD(verify_checklist);
#undef CHILD
}

static void tamga_verify_page_init(TamgaVerifyPage *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    self->cancellable = g_cancellable_new();
    g_signal_connect(self->open_folder_button, "clicked", G_CALLBACK(on_open_folder), self);
    g_signal_connect(self->open_file_button, "clicked", G_CALLBACK(on_open_file), self);
    tamga_gui_accept_drops(GTK_WIDGET(self), path_chosen, self);
    tamga_checklist_set_message(TAMGA_CHECKLIST(self->verify_checklist), "");
}
