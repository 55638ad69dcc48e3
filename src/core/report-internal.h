/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef TAMGA_REPORT_INTERNAL_H
#define TAMGA_REPORT_INTERNAL_H

#include "tamga/verify.h"

tamga_report *tamga__report_new(void);
/* Adds one check; an allocation failure marks the report failed. */
void tamga__report_add(tamga_report *r, tamga_check_result result, const char *subject,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int tamga__report_oom(const tamga_report *r);

#endif
