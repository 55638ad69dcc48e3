/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bech32 after BIP-173 (the original constant 1, not bech32m), as age uses it. */
#include "bech32.h"

#include <string.h>

#include <sodium.h>

#include "util.h"

static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static uint32_t polymod_step(uint32_t chk, uint8_t value)
{
    static const uint32_t gen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    uint8_t top = (uint8_t)(chk >> 25);
    chk = ((chk & 0x1ffffff) << 5) ^ value;
    for (int i = 0; i < 5; i++)
        if ((top >> i) & 1)
            chk ^= gen[i];
    return chk;
}

/* `hrp` is already lower-case here. */
static uint32_t hrp_polymod(const char *hrp, size_t hrplen)
{
    uint32_t chk = 1;
    for (size_t i = 0; i < hrplen; i++)
        chk = polymod_step(chk, (uint8_t)((unsigned char)hrp[i] >> 5));
    chk = polymod_step(chk, 0);
    for (size_t i = 0; i < hrplen; i++)
        chk = polymod_step(chk, (uint8_t)((unsigned char)hrp[i] & 31));
    return chk;
}

static int charset_rev(char c)
{
    const char *p = c != '\0' ? strchr(charset, c) : NULL;
    return p == NULL ? -1 : (int)(p - charset);
}

int tamga_bech32_encode(const char *hrp, const uint8_t *data, size_t datalen, char *out,
                        size_t outmax)
{
    size_t hrplen = strlen(hrp);
    if (hrplen < 1 || hrplen + 1 + datalen + 6 > TAMGA_BECH32_MAX_LEN ||
        hrplen + 1 + datalen + 6 + 1 > outmax)
        return tamga__fail(TAMGA_ERR_INVALID, "Bech32 string would be too long");
    for (size_t i = 0; i < hrplen; i++) {
        unsigned char c = (unsigned char)hrp[i];
        if (c < 33 || c > 126 || (c >= 'A' && c <= 'Z'))
            return tamga__fail(TAMGA_ERR_INVALID, "invalid Bech32 prefix");
    }
    uint32_t chk = hrp_polymod(hrp, hrplen);
    size_t o = 0;
    memcpy(out, hrp, hrplen);
    o = hrplen;
    out[o++] = '1';
    for (size_t i = 0; i < datalen; i++) {
        if (data[i] >> 5)
            return tamga__fail(TAMGA_ERR_INVALID, "Bech32 value out of range");
        chk = polymod_step(chk, data[i]);
        out[o++] = charset[data[i]];
    }
    for (int i = 0; i < 6; i++)
        chk = polymod_step(chk, 0);
    chk ^= 1;
    for (int i = 0; i < 6; i++)
        out[o++] = charset[(chk >> (5 * (5 - i))) & 31];
    out[o] = '\0';
    return TAMGA_OK;
}

int tamga_bech32_decode(const char *str, size_t len, char *hrp, size_t hrpmax, uint8_t *data,
                        size_t datamax, size_t *datalen)
{
    *datalen = 0;
    if (hrpmax > 0)
        hrp[0] = '\0';
    if (len > TAMGA_BECH32_MAX_LEN)
        return tamga__fail(TAMGA_ERR_FORMAT, "Bech32 string longer than %d characters",
                           TAMGA_BECH32_MAX_LEN);
    int lower = 0, upper = 0;
    size_t sep = len; /* position of the last '1' */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)str[i];
        if (c < 33 || c > 126)
            return tamga__fail(TAMGA_ERR_FORMAT, "invalid character in Bech32 at offset %zu", i);
        if (c >= 'a' && c <= 'z')
            lower = 1;
        if (c >= 'A' && c <= 'Z')
            upper = 1;
        if (c == '1')
            sep = i;
    }
    if (lower && upper)
        return tamga__fail(TAMGA_ERR_FORMAT, "mixed-case Bech32 string");
    if (sep == len || sep < 1 || len - sep - 1 < 6)
        return tamga__fail(TAMGA_ERR_FORMAT, "Bech32 string without a valid separator");
    size_t hrplen = sep, dlen = len - sep - 1 - 6;
    if (hrplen + 1 > hrpmax || dlen > datamax)
        return tamga__fail(TAMGA_ERR_FORMAT, "Bech32 string too long for its use");
    for (size_t i = 0; i < hrplen; i++) {
        char c = str[i];
        hrp[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    hrp[hrplen] = '\0';
    uint32_t chk = hrp_polymod(hrp, hrplen);
    for (size_t i = sep + 1; i < len; i++) {
        char c = str[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        int v = charset_rev(c);
        if (v < 0) {
            sodium_memzero(data, datamax);
            hrp[0] = '\0';
            return tamga__fail(TAMGA_ERR_FORMAT, "invalid Bech32 data character at offset %zu", i);
        }
        chk = polymod_step(chk, (uint8_t)v);
        if (i < len - 6)
            data[i - sep - 1] = (uint8_t)v;
    }
    if (chk != 1) {
        sodium_memzero(data, datamax);
        hrp[0] = '\0';
        return tamga__fail(TAMGA_ERR_FORMAT, "Bech32 checksum mismatch");
    }
    *datalen = dlen;
    return TAMGA_OK;
}

int tamga_bech32_convert_bits(uint8_t *out, size_t outmax, size_t *outlen, int outbits,
                              const uint8_t *in, size_t inlen, int inbits, int pad)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    const uint32_t maxv = (1u << outbits) - 1;
    *outlen = 0;
    for (size_t i = 0; i < inlen; i++) {
        if (in[i] >> inbits)
            return tamga__fail(TAMGA_ERR_FORMAT, "value out of range in bit conversion");
        acc = (acc << inbits) | in[i];
        bits += inbits;
        while (bits >= outbits) {
            bits -= outbits;
            if (o >= outmax)
                return tamga__fail(TAMGA_ERR_FORMAT, "bit conversion output too long");
            out[o++] = (uint8_t)((acc >> bits) & maxv);
        }
        acc &= (1u << bits) - 1;
    }
    if (pad) {
        if (bits > 0) {
            if (o >= outmax)
                return tamga__fail(TAMGA_ERR_FORMAT, "bit conversion output too long");
            out[o++] = (uint8_t)((acc << (outbits - bits)) & maxv);
        }
    } else if (bits >= inbits || acc != 0) {
        return tamga__fail(TAMGA_ERR_FORMAT, "non-zero or excess padding in Bech32 data");
    }
    *outlen = o;
    return TAMGA_OK;
}

int tamga_age_recipient_encode(const uint8_t pk[32], char out[TAMGA_AGE_RECIPIENT_LEN + 1])
{
    uint8_t five[52];
    size_t n = 0;
    int rc = tamga_bech32_convert_bits(five, sizeof five, &n, 5, pk, 32, 8, 1);
    if (rc != TAMGA_OK)
        return rc;
    return tamga_bech32_encode("age", five, n, out, TAMGA_AGE_RECIPIENT_LEN + 1);
}

int tamga_age_recipient_decode(const char *str, size_t len, uint8_t pk[32])
{
    char hrp[8];
    uint8_t five[64];
    size_t n = 0, got = 0;
    sodium_memzero(pk, 32);
    if (len != TAMGA_AGE_RECIPIENT_LEN)
        return tamga__fail(TAMGA_ERR_FORMAT, "age recipient must be %d characters",
                           TAMGA_AGE_RECIPIENT_LEN);
    for (size_t i = 0; i < len; i++)
        if (str[i] >= 'A' && str[i] <= 'Z')
            return tamga__fail(TAMGA_ERR_FORMAT, "age recipient must be lower-case");
    int rc = tamga_bech32_decode(str, len, hrp, sizeof hrp, five, sizeof five, &n);
    if (rc != TAMGA_OK)
        return rc;
    if (strcmp(hrp, "age") != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "age recipient must start with \"age1\"");
    rc = tamga_bech32_convert_bits(pk, 32, &got, 8, five, n, 5, 0);
    if (rc != TAMGA_OK || got != 32) {
        sodium_memzero(pk, 32);
        return tamga__fail(TAMGA_ERR_FORMAT, "age recipient does not hold 32 bytes");
    }
    return TAMGA_OK;
}
