/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private helpers of the trust roster. Never installed. */
#ifndef TAMGA_TRUST_INTERNAL_H
#define TAMGA_TRUST_INTERNAL_H

#include "tamga/case.h"
#include "tamga/trust.h"
#include "tamga/verify.h"

/* "age1…" → X25519 public key (strict Bech32). */
int tamga__trust_age_parse(const char *text, uint8_t pk[TAMGA_ENC_PK_BYTES]);
/* Adds one line per signer key of the case: its roster name ("trusted") or a
 * WARN "unknown key". Reads the roster of the default data folder. */
void tamga__verify_signer_names(const tamga_case *c, tamga_report *rep);

#endif
