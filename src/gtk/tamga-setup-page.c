/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-setup-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tamga-gui-logic.h"
#include "tamga-gui-util.h"
#include "tamga-jobs.h"

struct _TamgaSetupPage {
    GtkBox parent_instance;

    GtkWidget *setup_name;
    GtkWidget *setup_pass1;
    GtkWidget *setup_pass2;
    GtkWidget *setup_strength;
    GtkWidget *setup_hint;
    GtkWidget *setup_error;
    GtkWidget *setup_spinner;
    GtkWidget *setup_create;
    GtkWidget *existing_button;
    GtkWidget *existing_revealer;
    GtkWidget *existing_file_label;
    GtkWidget *existing_pass;
    GtkWidget *existing_use;

    TamgaApplication *app;
    GCancellable *cancellable;
    char *existing_path;
    gboolean working;
    gboolean importing; /* the running job adopts an existing identity */
};

G_DEFINE_FINAL_TYPE(TamgaSetupPage, tamga_setup_page, GTK_TYPE_BOX)

enum { SIGNAL_IDENTITY_READY, N_SIGNALS };
static guint signals[N_SIGNALS];

static void update(TamgaSetupPage *self)
{
    const char *name = gtk_editable_get_text(GTK_EDITABLE(self->setup_name));
    const char *p1 = gtk_editable_get_text(GTK_EDITABLE(self->setup_pass1));
    const char *p2 = gtk_editable_get_text(GTK_EDITABLE(self->setup_pass2));
    tamga_strength s = tamga_gui_passphrase_strength(p1);
    static const char *hints[] = {
        N_("Choose a passphrase: a short sentence is easy to remember and hard to guess."),
        N_("Too short: use at least 8 characters."),
        N_("Fair. Longer is better: a sentence of four or five words is strong."),
        N_("Good."),
        N_("Strong."),
    };
    gtk_level_bar_set_value(GTK_LEVEL_BAR(self->setup_strength), (double)s);
    const char *hint = _(hints[s]);
    gboolean match = strcmp(p1, p2) == 0;
    if (p2[0] != '\0' && !match)
        hint = _("The two passphrases differ.");
    gtk_label_set_text(GTK_LABEL(self->setup_hint), hint);
    gtk_widget_set_sensitive(self->setup_create, !self->working && tamga_gui_valid_title(name) &&
                                                     match && tamga_gui_passphrase_acceptable(s));
    const char *ep = gtk_editable_get_text(GTK_EDITABLE(self->existing_pass));
    gtk_widget_set_sensitive(self->existing_use,
                             !self->working && self->existing_path != NULL && ep[0] != '\0');
    gtk_widget_set_sensitive(self->existing_button, !self->working);
}

static void on_changed(GtkEditable *e, TamgaSetupPage *self)
{
    (void)e;
    update(self);
}

static void set_working(TamgaSetupPage *self, gboolean working)
{
    self->working = working;
    if (working) {
        gtk_label_set_text(GTK_LABEL(self->setup_error), "");
        gtk_spinner_start(GTK_SPINNER(self->setup_spinner));
    } else {
        gtk_spinner_stop(GTK_SPINNER(self->setup_spinner));
    }
    update(self);
}

/* A job finished: hand the identity over, or say why not. */
static void identity_done(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    TamgaSetupPage *self = data;
    g_autoptr(GError) err = NULL;
    tamga_identity *id = tamga_job_create_identity_finish(res, &err);
    if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        g_object_unref(self);
        return;
    }
    set_working(self, FALSE);
    if (id == NULL) {
        gtk_label_set_text(GTK_LABEL(self->setup_error), err->message);
        g_info("error: %s", err->message);
    } else {
        g_info(self->importing ? "identity imported" : "identity created");
        tamga_application_set_identity(self->app, id);
        gtk_editable_set_text(GTK_EDITABLE(self->setup_pass1), "");
        gtk_editable_set_text(GTK_EDITABLE(self->setup_pass2), "");
        gtk_editable_set_text(GTK_EDITABLE(self->existing_pass), "");
        g_signal_emit(self, signals[SIGNAL_IDENTITY_READY], 0);
    }
    g_object_unref(self);
}

static void on_create(GtkButton *b, TamgaSetupPage *self)
{
    (void)b;
    const char *home = tamga_application_get_home(self->app);
    if (home == NULL || !gtk_widget_get_sensitive(self->setup_create))
        return;
    self->importing = FALSE;
    set_working(self, TRUE);
    /* Argon2id takes about a second: in a worker thread. */
    tamga_job_create_identity_async(home, gtk_editable_get_text(GTK_EDITABLE(self->setup_name)),
                                    gtk_editable_get_text(GTK_EDITABLE(self->setup_pass1)),
                                    self->cancellable, identity_done, g_object_ref(self));
}

static void import_existing(TamgaSetupPage *self, const char *pass, const char *pass_file)
{
    const char *home = tamga_application_get_home(self->app);
    if (home == NULL || self->working || self->existing_path == NULL)
        return;
    self->importing = TRUE;
    set_working(self, TRUE);
    tamga_job_import_identity_async(home, self->existing_path, pass, pass_file, self->cancellable,
                                    identity_done, g_object_ref(self));
}

static void on_use(GtkWidget *w, TamgaSetupPage *self)
{
    (void)w;
    const char *pass = gtk_editable_get_text(GTK_EDITABLE(self->existing_pass));
    if (pass[0] != '\0')
        import_existing(self, pass, NULL); /* copied into sodium memory at once */
}

static void chosen(gpointer owner, const char *path, gpointer data)
{
    (void)data;
    TamgaSetupPage *self = owner;
    g_free(self->existing_path);
    self->existing_path = g_strdup(path);
    g_autofree char *text = g_strdup_printf(_("Key file: %s"), path);
    gtk_label_set_text(GTK_LABEL(self->existing_file_label), text);
    gtk_revealer_set_reveal_child(GTK_REVEALER(self->existing_revealer), TRUE);
    g_info("existing identity chosen: %s", path);
    const char *pf = tamga_application_get_passphrase_file(self->app);
    if (pf != NULL)
        import_existing(self, NULL, pf);
    else
        gtk_widget_grab_focus(self->existing_pass);
    update(self);
}

void tamga_setup_page_use_identity(TamgaSetupPage *self, const char *path)
{
    if (path != NULL && path[0] != '\0') {
        chosen(self, path, NULL);
        return;
    }
    tamga_gui_choose_file(GTK_WIDGET(self),
                          &(TamgaFileQuestion){.title = _("Choose the Secret Key File"),
                                               .accept = _("_Choose"),
                                               .action = GTK_FILE_CHOOSER_ACTION_OPEN,
                                               .modal = TRUE},
                          chosen, NULL, NULL);
}

static void on_existing(GtkButton *b, TamgaSetupPage *self)
{
    (void)b;
    tamga_setup_page_use_identity(self, "");
}

void tamga_setup_page_set_application(TamgaSetupPage *self, TamgaApplication *app)
{
    self->app = app;
}

void tamga_setup_page_start(TamgaSetupPage *self)
{
    update(self);
    gtk_widget_grab_focus(self->setup_name);
}

static void tamga_setup_page_dispose(GObject *object)
{
    TamgaSetupPage *self = TAMGA_SETUP_PAGE(object);
    g_cancellable_cancel(self->cancellable);
    gtk_widget_dispose_template(GTK_WIDGET(self), TAMGA_TYPE_SETUP_PAGE);
    G_OBJECT_CLASS(tamga_setup_page_parent_class)->dispose(object);
}

static void tamga_setup_page_finalize(GObject *object)
{
    TamgaSetupPage *self = TAMGA_SETUP_PAGE(object);
    g_clear_object(&self->cancellable);
    g_free(self->existing_path);
    G_OBJECT_CLASS(tamga_setup_page_parent_class)->finalize(object);
}

static void tamga_setup_page_class_init(TamgaSetupPageClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    object_class->dispose = tamga_setup_page_dispose;
    object_class->finalize = tamga_setup_page_finalize;
    signals[SIGNAL_IDENTITY_READY] =
        g_signal_new("identity-ready", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                     NULL, G_TYPE_NONE, 0);
    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/org/tamga/Recorder/tamga-setup-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child(widget_class, TamgaSetupPage, name)
    CHILD(setup_name);
    CHILD(setup_pass1);
    CHILD(setup_pass2);
    CHILD(setup_strength);
    CHILD(setup_hint);
    CHILD(setup_error);
    CHILD(setup_spinner);
    CHILD(setup_create);
    CHILD(existing_button);
    CHILD(existing_revealer);
    CHILD(existing_file_label);
    CHILD(existing_pass);
    CHILD(existing_use);
#undef CHILD
}

static void tamga_setup_page_init(TamgaSetupPage *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    self->cancellable = g_cancellable_new();
    g_signal_connect(self->setup_name, "changed", G_CALLBACK(on_changed), self);
    g_signal_connect(self->setup_pass1, "changed", G_CALLBACK(on_changed), self);
    g_signal_connect(self->setup_pass2, "changed", G_CALLBACK(on_changed), self);
    g_signal_connect(self->existing_pass, "changed", G_CALLBACK(on_changed), self);
    g_signal_connect(self->setup_create, "clicked", G_CALLBACK(on_create), self);
    g_signal_connect(self->setup_pass2, "activate", G_CALLBACK(on_create), self);
    g_signal_connect(self->existing_button, "clicked", G_CALLBACK(on_existing), self);
    g_signal_connect(self->existing_use, "clicked", G_CALLBACK(on_use), self);
    g_signal_connect(self->existing_pass, "activate", G_CALLBACK(on_use), self);
}
