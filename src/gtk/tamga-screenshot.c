/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tamga-screenshot.h"

#include <glib/gstdio.h>

static void save_png_thread(GTask *task, gpointer source, gpointer data, GCancellable *c)
{
    (void)source;
    (void)c;
    const char *path = g_object_get_data(G_OBJECT(task), "path");
    g_autofree char *tmp = g_strconcat(path, ".part", NULL);
    if (gdk_texture_save_to_png(GDK_TEXTURE(data), tmp) && g_rename(tmp, path) == 0)
        g_task_return_boolean(task, TRUE);
    else
        g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
}

static void screenshot_saved(GObject *source, GAsyncResult *res, gpointer data)
{
    (void)source;
    (void)data;
    g_autoptr(GError) err = NULL;
    if (g_task_propagate_boolean(G_TASK(res), &err))
        g_info("screenshot saved: %s", (const char *)g_object_get_data(G_OBJECT(res), "path"));
    else
        g_warning("%s", err->message);
}

/* Renders the widget as it was just painted (right after a frame, while every
 * widget's render node is fresh) and saves it in a worker thread. */
static void take_screenshot(GtkWidget *widget, const char *path)
{
    int w = gtk_widget_get_width(widget), h = gtk_widget_get_height(widget);
    GskRenderer *renderer = gtk_native_get_renderer(GTK_NATIVE(widget));
    if (w <= 0 || h <= 0 || renderer == NULL) {
        g_warning("cannot take a screenshot now (%dx%d)", w, h);
        return;
    }
    g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new(widget);
    GtkSnapshot *snapshot = gtk_snapshot_new();
    gdk_paintable_snapshot(paintable, snapshot, w, h);
    g_autoptr(GskRenderNode) node = gtk_snapshot_free_to_node(snapshot);
    if (node == NULL) {
        g_warning("cannot take a screenshot: nothing drawn");
        return;
    }
    g_autoptr(GdkTexture) texture =
        gsk_renderer_render_texture(renderer, node, &GRAPHENE_RECT_INIT(0, 0, (float)w, (float)h));
    g_autoptr(GTask) task = g_task_new(NULL, NULL, screenshot_saved, NULL);
    g_object_set_data_full(G_OBJECT(task), "path", g_strdup(path), g_free);
    g_task_set_task_data(task, g_object_ref(texture), g_object_unref);
    g_task_run_in_thread(task, save_png_thread);
}

static void after_paint(GdkFrameClock *clock, GtkWidget *widget)
{
    gulong id = GPOINTER_TO_SIZE(g_object_steal_data(G_OBJECT(widget), "screenshot-handler"));
    if (id != 0)
        g_signal_handler_disconnect(clock, id);
    g_autofree char *path = g_object_steal_data(G_OBJECT(widget), "screenshot-path");
    if (path != NULL)
        take_screenshot(widget, path);
}

void tamga_screenshot_after_frame(GtkWidget *widget, const char *path)
{
    GdkFrameClock *clock = gtk_widget_get_frame_clock(widget);
    if (path[0] == '\0' || clock == NULL)
        return;
    gboolean waiting = g_object_get_data(G_OBJECT(widget), "screenshot-path") != NULL;
    g_object_set_data_full(G_OBJECT(widget), "screenshot-path", g_strdup(path), g_free);
    if (!waiting)
        g_object_set_data(G_OBJECT(widget), "screenshot-handler",
                          GSIZE_TO_POINTER(g_signal_connect(clock, "after-paint",
                                                            G_CALLBACK(after_paint), widget)));
    gtk_widget_queue_draw(widget);
}
