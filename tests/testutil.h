/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the cmocka unit tests. */
#ifndef TAMGA_TESTUTIL_H
#define TAMGA_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* A fresh, empty folder under the build tree's tests/tmp (mode 0700); malloc'd. */
char *tu_tmpdir(const char *name);
/* Removes a folder tree (best effort). */
void tu_rm_rf(const char *path);
/* Reads a whole file into malloc'd memory (NUL-terminated); fails the test if missing. */
uint8_t *tu_read(const char *path, size_t *len);
/* Writes a whole file; fails the test on error. */
void tu_write(const char *path, const void *data, size_t len);
/* Path join, malloc'd. */
char *tu_path(const char *dir, const char *name);
/* Writes a WAV file (16-bit PCM) holding a sine of `freq` Hz for `seconds`. */
void tu_write_sine_wav(const char *path, int rate, int channels, double freq, double seconds);

#endif
