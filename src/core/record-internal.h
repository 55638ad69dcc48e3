/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal helpers shared by record.c and verify.c. */
#ifndef TAMGA_RECORD_INTERNAL_H
#define TAMGA_RECORD_INTERNAL_H

#include <stdint.h>

#include "tamga/case.h"
#include "tamga/manifest.h"

/* <case>/recordings/<id><suffix>, malloc'd. */
char *tamga__recording_path(const tamga_case *c, const char *id, const char *suffix);
int tamga__valid_consent(const char *s);
int tamga__valid_date(const char *s);
int tamga__valid_language(const char *s);
/* Highest manifest seq by `keynum` in the case and that manifest's SHA-256. */
int tamga__find_chain_tip(const tamga_case *c, const uint8_t keynum[8], uint64_t *seq,
                          uint8_t prev_sha[32]);
/* Fills chain, signer, custody head and software fields; signs and writes the
 * manifest and its signature. */
int tamga__seal_manifest(tamga_case *c, const tamga_identity *signer, tamga_manifest *m,
                         uint8_t manifest_sha[32]);
int tamga__load_manifest(const tamga_case *c, const char *id, tamga_manifest *m);

#endif
