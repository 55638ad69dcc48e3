/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bech32 (BIP-173, not bech32m) as used by age recipients. Private. */
#ifndef TAMGA_BECH32_H
#define TAMGA_BECH32_H

#include <stddef.h>
#include <stdint.h>

#define TAMGA_BECH32_MAX_LEN    90 /* BIP-173 limit on the whole string */
#define TAMGA_AGE_RECIPIENT_LEN 62 /* "age1" + 52 data + 6 checksum characters */

/* Encodes `hrp` (lower-case, printable ASCII) and 5-bit values `data` as a
 * lower-case Bech32 string into `out` (NUL-terminated). TAMGA_ERR_INVALID if it
 * would not fit in `outmax` bytes or the inputs are out of range. */
int tamga_bech32_encode(const char *hrp, const uint8_t *data, size_t datalen, char *out,
                        size_t outmax);

/* Decodes a Bech32 string (all lower-case or all upper-case, checksum checked,
 * at most 90 characters). `hrp` receives the lower-cased human-readable part
 * (NUL-terminated, `hrpmax` bytes with the NUL); `data` the 5-bit values
 * without the checksum. TAMGA_ERR_FORMAT on any deviation. */
int tamga_bech32_decode(const char *str, size_t len, char *hrp, size_t hrpmax, uint8_t *data,
                        size_t datamax, size_t *datalen);

/* Regroups bits: 8 -> 5 with padding (pad != 0), or 5 -> 8 strictly (pad == 0:
 * at most 4 zero padding bits). Returns TAMGA_ERR_FORMAT / TAMGA_ERR_INVALID. */
int tamga_bech32_convert_bits(uint8_t *out, size_t outmax, size_t *outlen, int outbits,
                              const uint8_t *in, size_t inlen, int inbits, int pad);

/* age recipients: "age1" + Bech32 of the 32-byte X25519 public key, lower-case. */
int tamga_age_recipient_encode(const uint8_t pk[32], char out[TAMGA_AGE_RECIPIENT_LEN + 1]);
/* Strict: lower-case only, HRP "age", 32-byte payload, checksum verified. */
int tamga_age_recipient_decode(const char *str, size_t len, uint8_t pk[32]);

#endif
