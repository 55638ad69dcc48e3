/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef TAMGA_REPORT_INTERNAL_H
#define TAMGA_REPORT_INTERNAL_H

#include "i18n-internal.h"
#include "tamga/verify.h"

/* Every check is kept twice: in English (tamga_check.subject_en/message_en,
 * the JSON report, scripts, courts) and in the reader's language
 * (tamga_check.subject/message, the text report and the desktop app). The
 * English subjects and formats passed below are gettext msgids of the domain
 * TAMGA_TEXTDOMAIN, translated when the check is added; scripts/update-po.sh
 * extracts them (keep its --keyword list in step with these functions). */

/* A subject made at run time from an English msgid format ("recording %s"). */
typedef struct {
    char en[128];
    char local[384];
} tamga__subject;

tamga_report *tamga__report_new(void);

/* Formats `s` from the English format `fmt` and from its translation. */
void tamga__subject_set(tamga__subject *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Adds one check; an allocation failure marks the report failed. `subject`
 * is a fixed English msgid marked with N_() ("custody log"); `fmt` a printf
 * msgid. The arguments must read the same in every language (key ids,
 * numbers, file names). */
void tamga__report_add(tamga_report *r, tamga_check_result result, const char *subject,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same with a subject made by tamga__subject_set(). */
void tamga__report_add_s(tamga_report *r, tamga_check_result result, const tamga__subject *subject,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same with a count: `n` picks `singular` or `plural` in English, and the
 * translation's plural form (ngettext) in the reader's language. */
void tamga__report_addn(tamga_report *r, tamga_check_result result, const char *subject,
                        unsigned long n, const char *singular, const char *plural, ...)
    __attribute__((format(printf, 5, 7))) __attribute__((format(printf, 6, 7)));
void tamga__report_addn_s(tamga_report *r, tamga_check_result result, const tamga__subject *subject,
                          unsigned long n, const char *singular, const char *plural, ...)
    __attribute__((format(printf, 5, 7))) __attribute__((format(printf, 6, 7)));
/* A check whose message is a technical detail (tamga_error_detail(): English,
 * never translated); only the subject (an N_() msgid) is translated. */
void tamga__report_add_detail(tamga_report *r, tamga_check_result result, const char *subject,
                              const char *detail);
int tamga__report_oom(const tamga_report *r);

#endif
