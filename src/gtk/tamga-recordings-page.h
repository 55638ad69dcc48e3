/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TamgaRecordingsPage: the Recordings page. The current case's recordings,
 * each with a badge from a verification in the background; the selected one's
 * signed facts and checklist; for keyholders, Play/pause with a position
 * slider (decrypted in memory, tamga_player) and Export Decrypted Audio (after
 * a warning that the file is not encrypted). Emits "changed" whenever what the
 * window's actions can do changes (recordings listed, playback started or
 * stopped). */
#ifndef TAMGA_RECORDINGS_PAGE_H
#define TAMGA_RECORDINGS_PAGE_H

#include <gtk/gtk.h>

#include "tamga-application.h"

G_BEGIN_DECLS

#define TAMGA_TYPE_RECORDINGS_PAGE (tamga_recordings_page_get_type())
G_DECLARE_FINAL_TYPE(TamgaRecordingsPage, tamga_recordings_page, TAMGA, RECORDINGS_PAGE, GtkBox)

/* The application must be set before use (the window does it right after init). */
void tamga_recordings_page_set_application(TamgaRecordingsPage *self, TamgaApplication *app);
/* The case shown (its heading: "Case: TITLE", or "No case chosen" when title
 * is NULL). A different id forgets the listed recordings; keyholder: this
 * computer can decrypt them (Play, Export). Call reload to list them. */
void tamga_recordings_page_set_case(TamgaRecordingsPage *self, const char *case_id,
                                    const char *title, gboolean keyholder);
/* Lists the case's recordings again (logs "recordings loaded: N") and selects
 * the newest. */
void tamga_recordings_page_reload(TamgaRecordingsPage *self);
/* What the window's actions may do now: play (win.play), export (win.export-audio)
 * and seek (win.seek). */
void tamga_recordings_page_get_actions(TamgaRecordingsPage *self, gboolean *can_play,
                                       gboolean *can_export, gboolean *can_seek);
/* TRUE while playback uses the audio system (playing, paused or starting). */
gboolean tamga_recordings_page_uses_audio(TamgaRecordingsPage *self);
/* Verifies the selected recording into the page's checklist; FALSE (nothing
 * done) when none is selected. */
gboolean tamga_recordings_page_verify_selected(TamgaRecordingsPage *self);
/* Plays the selected recording (after unlocking), or pauses/resumes/restarts
 * it when it is the one playing. Logs "playing: ID (N.N s)", "playback
 * paused", "playback resumed", "playback restarted", "playback finished". */
void tamga_recordings_page_play(TamgaRecordingsPage *self);
/* Moves the playback to `seconds` (logs "playback seek to N.N s"). */
void tamga_recordings_page_seek(TamgaRecordingsPage *self, double seconds);
/* Stops the playback, if any (logs "playback stopped"). */
void tamga_recordings_page_stop_playback(TamgaRecordingsPage *self);
/* Exports the selected recording's decrypted audio: "" warns, then asks
 * where; a path writes there at once (scripts and tests). Logs "exported
 * audio: PATH". */
void tamga_recordings_page_export_audio(TamgaRecordingsPage *self, const char *path);

/* Signal "changed": what get_actions or uses_audio answer may have changed. */

G_END_DECLS

#endif
