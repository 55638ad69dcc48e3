/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal helpers of the case module, shared with record.c and verify.c. */
#ifndef TAMGA_CASE_INTERNAL_H
#define TAMGA_CASE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "minisig-internal.h"
#include "tamga/case.h"

/* Parses case.json text (canonical form only) into `c` (no signature check). */
int tamga__case_parse(const char *text, size_t len, tamga_case *c);
/* Parses case.json text into a throwaway case (fuzzing and tests). */
int tamga__case_parse_only(const char *text, size_t len);
/* Seals the case secret key to `who` as keyholders/<KEYID>.box. */
int tamga__case_write_grant(const tamga_case *c, const uint8_t *sk, const tamga_pubid *who);
/* Removes a folder tree (used to clean up after a failure). */
void tamga__rm_tree(const char *path);

#endif
