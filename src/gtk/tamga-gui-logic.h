/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The desktop app's small pure functions (no widgets, no I/O), kept apart so
 * tests/gtk/test-gui-logic.c can check them: the level meter's dBFS mapping,
 * the passphrase strength hint, the record form's checks and formatting. */
#ifndef TAMGA_GUI_LOGIC_H
#define TAMGA_GUI_LOGIC_H

#include <stddef.h>
#include <stdint.h>

/* The meter shows -60 dBFS (empty) to 0 dBFS (full). */
#define TAMGA_METER_FLOOR_DB (-60.0)

/* Linear amplitude (0..1, full scale = 1) to dBFS; 0 and below (or NaN) give
 * TAMGA_METER_FLOOR_DB, and the result never goes below the floor. */
double tamga_gui_linear_to_db(double linear);
/* Where a level sits on the meter: 0 at the floor or below, 1 at 0 dBFS or
 * above, linear in dB between. */
double tamga_gui_meter_fraction(double linear);

typedef enum {
    TAMGA_STRENGTH_EMPTY = 0,
    TAMGA_STRENGTH_WEAK = 1, /* refused: fewer than 8 characters */
    TAMGA_STRENGTH_FAIR = 2,
    TAMGA_STRENGTH_GOOD = 3,
    TAMGA_STRENGTH_STRONG = 4,
} tamga_strength;

/* A rough hint from the length (in characters, UTF-8) and the character
 * classes used (lower, upper, digits, others incl. spaces and non-ASCII).
 * Under 8 characters: WEAK. 20+ characters (a sentence) or 12+ with three
 * classes: STRONG. 12+ or 8+ with three classes: GOOD. Else FAIR. */
tamga_strength tamga_gui_passphrase_strength(const char *pass);
/* Whether a passphrase of this strength may be used for a new identity. */
int tamga_gui_passphrase_acceptable(tamga_strength s);

/* Form checks; each returns 1 if valid. Empty optional fields are valid. */
/* 1..128 bytes of UTF-8 without control characters (as the library wants). */
int tamga_gui_valid_title(const char *title);
/* "" or a BCP 47-like code: 2..15 of [A-Za-z0-9-], starting with a letter. */
int tamga_gui_valid_language(const char *lang);
/* "" or YYYY-MM-DD, a real calendar date. */
int tamga_gui_valid_date(const char *date);

/* "0:07", "12:05", "1:02:03" from milliseconds (negative counts as 0). */
void tamga_gui_format_clock(int64_t ms, char *out, size_t outlen);
/* Seconds of recording that fit in `free_bytes` at `bytes_per_second`
 * (<= 0: unknown, returns -1). */
int64_t tamga_gui_seconds_left(uint64_t free_bytes, double bytes_per_second);

#endif
