/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The library's few words for people (the verification report) in the
 * reader's language, with gettext. Never installed.
 *
 * The library never calls setlocale() or bindtextdomain(): the program does
 * (tamga's CLI and desktop app bind TAMGA_TEXTDOMAIN to their locale folder).
 * When nobody bound it, dgettext() returns the English text unchanged, so a
 * program that does not care about languages gets English. */
#ifndef TAMGA_I18N_INTERNAL_H
#define TAMGA_I18N_INTERNAL_H

#include <libintl.h>

/* The gettext domain of tamga's catalogues (po/<lang>.po -> tamga.mo). */
#define TAMGA_TEXTDOMAIN "tamga"

/* Marks an English msgid for xgettext (scripts/update-po.sh) without
 * translating it where it stands: the code that shows it translates it. */
#define N_(s) (s)
/* The translation of an English msgid, now. dgettext carries format_arg, so
 * a translated printf format is still checked against the English one. */
#define TAMGA_T(s) dgettext(TAMGA_TEXTDOMAIN, s)
/* The same for a message with a count (msgid, msgid_plural). */
#define TAMGA_NT(s, p, n) dngettext(TAMGA_TEXTDOMAIN, s, p, n)

#endif
