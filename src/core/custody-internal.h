/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private helpers of the manifest and custody modules. Never installed.
 * Small validators are static inline so that manifest.c does not depend on
 * custody.c (and so not on identity.c) at link time. */
#ifndef TAMGA_CUSTODY_INTERNAL_H
#define TAMGA_CUSTODY_INTERNAL_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tamga/custody.h"

/* Largest integer written to or accepted from tamga JSON (2^53 - 1), so that
 * every value survives tools that read JSON numbers as doubles. */
#define TAMGA__JSON_INT_MAX 9007199254740991LL

/* Domain separation prefix of the message each custody entry signs. */
#define TAMGA__CUSTODY_DOMAIN "tamga-custody-v1\n"

static inline int tamga__is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static inline int tamga__num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* "YYYY-MM-DD", a real calendar date, year 1970..9999. */
static inline int tamga__date_valid(const char *s, size_t len)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (len != 10 || s[4] != '-' || s[7] != '-' || !tamga__is_digits(s, 4) ||
        !tamga__is_digits(s + 5, 2) || !tamga__is_digits(s + 8, 2))
        return 0;
    int y = tamga__num(s, 4), m = tamga__num(s + 5, 2), d = tamga__num(s + 8, 2);
    if (y < 1970 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" exactly (24 bytes), as tamga_utc_format writes it. */
static inline int tamga__utc_valid(const char *s, size_t len)
{
    if (len != 24 || !tamga__date_valid(s, 10) || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        s[19] != '.' || s[23] != 'Z' || !tamga__is_digits(s + 11, 2) ||
        !tamga__is_digits(s + 14, 2) || !tamga__is_digits(s + 17, 2) ||
        !tamga__is_digits(s + 20, 3))
        return 0;
    return tamga__num(s + 11, 2) < 24 && tamga__num(s + 14, 2) < 60 && tamga__num(s + 17, 2) < 60;
}

/* Key id as minisign prints it (same as tamga_keyid_format), kept here so the
 * manifest module links without the identity module. */
static inline void tamga__keyid_hex(const uint8_t keynum[TAMGA_KEYNUM_BYTES], char out[17])
{
    uint64_t v = 0;
    for (int i = TAMGA_KEYNUM_BYTES - 1; i >= 0; i--)
        v = (v << 8) | keynum[i];
    snprintf(out, 17, "%016" PRIX64, v);
}

/* Strict inverse of tamga__keyid_hex: 16 upper-case hex digits only. */
static inline int tamga__keyid_unhex(const char *s, size_t len, uint8_t keynum[TAMGA_KEYNUM_BYTES])
{
    if (len != 16)
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < 16; i++) {
        char c = s[i];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return 0;
        v = (v << 4) | (uint64_t)d;
    }
    for (int i = 0; i < TAMGA_KEYNUM_BYTES; i++)
        keynum[i] = (uint8_t)(v >> (8 * i));
    return 1;
}

/* One custody entry as it is built before signing. `time` is a UTC string as
 * tamga_utc_format writes it; `subject` a compact JSON object text. */
typedef struct {
    uint64_t seq;
    const char *time;
    const uint8_t *case_id; /* TAMGA_ID_BYTES */
    const uint8_t *actor;   /* TAMGA_KEYNUM_BYTES */
    const char *event;
    const char *subject;
    const uint8_t *prev; /* TAMGA_SHA256_BYTES */
} tamga__custody_body;

/* Signs `msg` into `sig`; returns TAMGA_OK or an error code. */
typedef int (*tamga__custody_signer)(void *ctx, const uint8_t *msg, size_t len,
                                     uint8_t sig[TAMGA_SIG_BYTES]);

/* Builds one canonical, signed log line (without its newline), malloc'd.
 * Used by tamga_custody_append and by the known-answer test, which signs with a
 * fixed seed key. TAMGA_ERR_INVALID for a bad event, subject or time. */
int tamga__custody_make_line(const tamga__custody_body *b, tamga__custody_signer sign, void *ctx,
                             char **line, size_t *linelen);

/* The case id named by a parsed entry (from its stored line): the public entry
 * struct has no field for it. */
int tamga__custody_entry_case(const tamga_custody_entry *e, uint8_t case_id[TAMGA_ID_BYTES]);

#endif
