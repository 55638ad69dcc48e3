/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaRecordPage: the Record page. The audio input (the list is read again
 * every few seconds, so plugged-in microphones appear), the public and the
 * private (encrypted) details of the recording, the level meter, Record /
 * Pause / Marker / Stop, what was written and how much disk is left. The
 * recorder (tamga_recorder) runs while the window lives; closing the window
 * without stopping leaves it to recovery at the next start, as a crash would.
 * Emits "changed" whenever what the window's actions can do changes, and
 * "stopped" once a recording is sealed (or failed to start sealing). */
#ifndef TAMGA_RECORD_PAGE_H
#define TAMGA_RECORD_PAGE_H

#include <gtk/gtk.h>

#include "tamga-application.h"

G_BEGIN_DECLS

#define TAMGA_TYPE_RECORD_PAGE (tamga_record_page_get_type())
G_DECLARE_FINAL_TYPE(TamgaRecordPage, tamga_record_page, TAMGA, RECORD_PAGE, GtkBox)

/* The application must be set before use (the window does it right after init). */
void tamga_record_page_set_application(TamgaRecordPage *self, TamgaApplication *app);
/* The case recorded into (its heading: "Case: TITLE", or "No case chosen"
 * when title is NULL). */
void tamga_record_page_set_case(TamgaRecordPage *self, const char *case_id, const char *title);
/* Reads the audio inputs (logs "devices loaded: N inputs") and from then on
 * every 3 s while the window is shown ("devices changed: N inputs"). */
void tamga_record_page_start(TamgaRecordPage *self);
/* Reads the audio inputs again now, unless they are in use. */
void tamga_record_page_refresh_devices(TamgaRecordPage *self);
/* Chooses the first input whose name holds `name` ("" the default input). */
void tamga_record_page_select_device(TamgaRecordPage *self, const char *name);
/* Another part of the window uses the audio system (playback): the input
 * list is not read meanwhile. */
void tamga_record_page_set_audio_busy(TamgaRecordPage *self, gboolean busy);

/* Record: resumes a paused recording; else checks the form, unlocks and
 * starts one (logs "recording started: ID"). Without a case: a notice and
 * the Cases page. */
void tamga_record_page_record(TamgaRecordPage *self);
/* Pauses or resumes (logs "paused", "resumed"). */
void tamga_record_page_pause(TamgaRecordPage *self);
/* Adds a marker labelled `label` ("": the marker entry's text, may be empty);
 * logs "marker added at N ms". */
void tamga_record_page_marker(TamgaRecordPage *self, const char *label);
/* Stops, seals and signs (logs "recording stopped: ID"), then emits "stopped". */
void tamga_record_page_stop(TamgaRecordPage *self);
/* TRUE while a recording is being made (or started, or sealed). */
gboolean tamga_record_page_is_recording(TamgaRecordPage *self);
/* What the window's actions may do now: record (win.record), control the
 * running recording (win.pause, win.marker, win.stop), and whether the page is
 * idle (win.refresh-devices). */
void tamga_record_page_get_actions(TamgaRecordPage *self, gboolean *can_record,
                                   gboolean *can_control, gboolean *idle);

/* Signals "changed" (get_actions may answer differently) and "stopped" (a
 * recording ended: the lists may hold a new one). */

G_END_DECLS

#endif
