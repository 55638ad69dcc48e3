/* SPDX-License-Identifier: GPL-3.0-or-later */
/* age v1 decryption: optional ASCII armor, strict header parsing, stanza
 * unwrapping (X25519, scrypt; others skipped), header MAC, then STREAM chunks
 * released only once they authenticate. One chunk in memory. */
#include "tamga/age.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age-internal.h"
#include "util.h"

#define RAW_BUF      16384
#define ARM_LINE_MAX 128
#define MAX_STANZAS  1024
#define AGE_EOF      256 /* raw_getc: end of input */
#define NO_MATCH     1   /* unwrap: this stanza is not for this identity */

struct tamga_age_reader {
    tamga_age_read_fn read;
    void *user;
    /* raw input */
    uint8_t raw[RAW_BUF];
    size_t raw_pos, raw_len;
    int raw_eof;
    /* ASCII armor, decoded one line at a time */
    int armored, arm_done, arm_err;
    uint8_t arm[AGE_LINE_BYTES];
    size_t arm_pos, arm_len;
    /* payload */
    uint8_t *key; /* sodium_malloc'd payload key */
    uint8_t nonce[12];
    uint64_t chunk; /* index of the next chunk */
    uint8_t *ct, *pt;
    size_t pt_pos, pt_len;
    int eof; /* the last chunk authenticated and nothing follows */
    int err; /* sticky error, returned once the released bytes are read */
};

typedef struct {
    size_t off, len; /* opening line in the header buffer, without "-> " and "\n" */
    uint8_t *body;
    size_t body_len;
} stanza;

typedef struct {
    uint8_t file_key[AGE_FILE_KEY_BYTES];
    uint8_t sk[32];
    uint8_t shared[32];
    uint8_t wrap_key[32];
    uint8_t mac_key[32];
} reader_secrets;

/* ---- raw input ---- */

static int raw_fill(tamga_age_reader *r)
{
    if (r->raw_eof)
        return 0;
    long n = r->read(r->user, r->raw, RAW_BUF);
    if (n < 0)
        return n < TAMGA_ERR_DEVICE ? TAMGA_ERR_IO : (int)n;
    if (n > RAW_BUF)
        return tamga__fail(TAMGA_ERR_IO, "age input callback returned too many bytes");
    if (n == 0)
        r->raw_eof = 1;
    r->raw_pos = 0;
    r->raw_len = (size_t)n;
    return (int)n;
}

static int raw_getc(tamga_age_reader *r)
{
    if (r->raw_pos == r->raw_len) {
        int rc = raw_fill(r);
        if (rc <= 0)
            return rc == 0 ? AGE_EOF : rc;
    }
    return r->raw[r->raw_pos++];
}

static long raw_read(tamga_age_reader *r, uint8_t *buf, size_t len)
{
    if (r->raw_pos == r->raw_len) {
        if (r->raw_eof)
            return 0;
        if (len >= RAW_BUF) {
            long n = r->read(r->user, buf, len);
            if (n < 0)
                return n < TAMGA_ERR_DEVICE ? TAMGA_ERR_IO : n;
            if ((size_t)n > len)
                return tamga__fail(TAMGA_ERR_IO, "age input callback returned too many bytes");
            if (n == 0)
                r->raw_eof = 1;
            return n;
        }
        int rc = raw_fill(r);
        if (rc <= 0)
            return rc;
    }
    size_t n = r->raw_len - r->raw_pos < len ? r->raw_len - r->raw_pos : len;
    memcpy(buf, r->raw + r->raw_pos, n);
    r->raw_pos += n;
    return (long)n;
}

/* Makes at least `need` (≤ RAW_BUF) bytes available unless the input ends first. */
static int raw_peek(tamga_age_reader *r, size_t need)
{
    while (r->raw_len - r->raw_pos < need && !r->raw_eof) {
        memmove(r->raw, r->raw + r->raw_pos, r->raw_len - r->raw_pos);
        r->raw_len -= r->raw_pos;
        r->raw_pos = 0;
        long n = r->read(r->user, r->raw + r->raw_len, RAW_BUF - r->raw_len);
        if (n < 0)
            return n < TAMGA_ERR_DEVICE ? TAMGA_ERR_IO : (int)n;
        if ((size_t)n > RAW_BUF - r->raw_len)
            return tamga__fail(TAMGA_ERR_IO, "age input callback returned too many bytes");
        if (n == 0)
            r->raw_eof = 1;
        r->raw_len += (size_t)n;
    }
    return TAMGA_OK;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* ---- ASCII armor ---- */

/* One armor line without its "\n" or "\r\n". *any = 0 at the end of input. */
static int arm_line(tamga_age_reader *r, char line[ARM_LINE_MAX], size_t *len, int *any)
{
    *len = 0;
    *any = 0;
    for (;;) {
        int c = raw_getc(r);
        if (c < 0)
            return c;
        if (c == AGE_EOF)
            break;
        *any = 1;
        if (c == '\n')
            break;
        if (*len == ARM_LINE_MAX - 1)
            return tamga__fail(TAMGA_ERR_FORMAT, "armor: line longer than %d columns", AGE_COLUMNS);
        line[(*len)++] = (char)c;
    }
    if (*len > 0 && line[*len - 1] == '\r')
        (*len)--;
    line[*len] = '\0';
    return TAMGA_OK;
}

static int arm_drain(tamga_age_reader *r)
{
    for (int i = 0;; i++) {
        int c = raw_getc(r);
        if (c < 0)
            return c;
        if (c == AGE_EOF)
            return TAMGA_OK;
        if (!is_space(c))
            return tamga__fail(TAMGA_ERR_FORMAT, "armor: data after the END line");
        if (i + 1 >= AGE_ARMOR_MAX_WS)
            return tamga__fail(TAMGA_ERR_FORMAT, "armor: too much whitespace after the END line");
    }
}

static int arm_is_end(const char *line, size_t len, int any)
{
    return any && len == sizeof AGE_ARMOR_END - 1 && memcmp(line, AGE_ARMOR_END, len) == 0;
}

/* Decodes the next armor line into r->arm. Returns its byte count, 0 at the end. */
static int arm_fill(tamga_age_reader *r)
{
    char line[ARM_LINE_MAX];
    size_t len = 0, n = 0;
    int any = 0, rc;
    if (r->arm_done)
        return r->arm_err;
    if ((rc = arm_line(r, line, &len, &any)) != TAMGA_OK)
        return rc;
    if (!any)
        return tamga__fail(TAMGA_ERR_FORMAT, "armor: the END line is missing");
    if (arm_is_end(line, len, any)) {
        r->arm_done = 1;
        return r->arm_err = arm_drain(r);
    }
    if (len == 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "armor: empty line");
    if (len > AGE_COLUMNS)
        return tamga__fail(TAMGA_ERR_FORMAT, "armor: line longer than %d columns", AGE_COLUMNS);
    if (tamga_b64_decode(line, len, r->arm, sizeof r->arm, &n) != TAMGA_OK || n == 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "armor: invalid base64 line");
    if (n < AGE_LINE_BYTES) {
        /* A short line is the last one: the END line must follow. Its error
         * comes after the bytes of this line, as with any later error. */
        r->arm_done = 1;
        if ((rc = arm_line(r, line, &len, &any)) != TAMGA_OK)
            r->arm_err = rc;
        else if (!arm_is_end(line, len, any))
            r->arm_err = tamga__fail(TAMGA_ERR_FORMAT, "armor: a short line is not the last one");
        else
            r->arm_err = arm_drain(r);
    }
    r->arm_pos = 0;
    r->arm_len = n;
    return (int)n;
}

/* Detects armor: optional whitespace, then the BEGIN line. */
static int arm_detect(tamga_age_reader *r)
{
    int rc, skipped = 0;
    for (;;) {
        if ((rc = raw_peek(r, 1)) != TAMGA_OK)
            return rc;
        if (r->raw_pos == r->raw_len || !is_space(r->raw[r->raw_pos]))
            break;
        if (++skipped > AGE_ARMOR_MAX_WS)
            return tamga__fail(TAMGA_ERR_FORMAT, "not an age file (leading whitespace)");
        r->raw_pos++;
    }
    if ((rc = raw_peek(r, 5)) != TAMGA_OK)
        return rc;
    if (r->raw_len - r->raw_pos < 5 || memcmp(r->raw + r->raw_pos, "-----", 5) != 0) {
        if (skipped > 0)
            return tamga__fail(TAMGA_ERR_FORMAT, "not an age file (leading whitespace)");
        return TAMGA_OK;
    }
    char line[ARM_LINE_MAX];
    size_t len = 0;
    int any = 0;
    if ((rc = arm_line(r, line, &len, &any)) != TAMGA_OK)
        return rc;
    if (len != sizeof AGE_ARMOR_BEGIN - 1 || memcmp(line, AGE_ARMOR_BEGIN, len) != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "armor: invalid BEGIN line");
    r->armored = 1;
    return TAMGA_OK;
}

/* ---- the decoded stream (armored or not) ---- */

static long dec_read(tamga_age_reader *r, uint8_t *buf, size_t len)
{
    if (!r->armored)
        return raw_read(r, buf, len);
    if (r->arm_pos == r->arm_len) {
        int rc = arm_fill(r);
        if (rc <= 0)
            return rc;
    }
    size_t n = r->arm_len - r->arm_pos < len ? r->arm_len - r->arm_pos : len;
    memcpy(buf, r->arm + r->arm_pos, n);
    r->arm_pos += n;
    return (long)n;
}

static int dec_readfull(tamga_age_reader *r, uint8_t *buf, size_t len, size_t *got)
{
    *got = 0;
    while (*got < len) {
        long n = dec_read(r, buf + *got, len - *got);
        if (n < 0)
            return (int)n;
        if (n == 0)
            break;
        *got += (size_t)n;
    }
    return TAMGA_OK;
}

/* ---- header ---- */

typedef struct {
    char *h;
    size_t len, cap;
    stanza *st;
    size_t nst;
    size_t mac_end; /* bytes covered by the MAC: through "---" */
    uint8_t mac[32];
} header;

static void header_clear(header *hd)
{
    for (size_t i = 0; i < hd->nst; i++)
        free(hd->st[i].body);
    free(hd->st);
    free(hd->h);
    memset(hd, 0, sizeof *hd);
}

/* Appends the next line (with its "\n") to the header buffer. */
static int header_line(tamga_age_reader *r, header *hd, size_t *start, size_t *len)
{
    *start = hd->len;
    for (;;) {
        uint8_t c;
        long n = dec_read(r, &c, 1);
        if (n < 0)
            return (int)n;
        if (n == 0)
            return tamga__fail(TAMGA_ERR_FORMAT, "age header ends early at byte %zu", hd->len);
        if (hd->len == hd->cap) {
            if (hd->cap >= TAMGA_AGE_MAX_HEADER)
                return tamga__fail(TAMGA_ERR_TOO_LARGE, "age header longer than %u bytes",
                                   TAMGA_AGE_MAX_HEADER);
            size_t cap = hd->cap == 0 ? 512 : hd->cap * 2;
            char *p = realloc(hd->h, cap);
            if (p == NULL)
                return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
            hd->h = p;
            hd->cap = cap;
        }
        hd->h[hd->len++] = (char)c;
        if (c == '\n')
            break;
    }
    *len = hd->len - *start - 1;
    return TAMGA_OK;
}

static int valid_arg(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 33 || (unsigned char)s[i] > 126)
            return 0;
    return 1;
}

static int read_stanza(tamga_age_reader *r, header *hd, size_t start, size_t len)
{
    const char *line = hd->h + start;
    if (len < 3 || line[0] != '-' || line[1] != '>' || line[2] != ' ')
        return tamga__fail(TAMGA_ERR_FORMAT, "age header: malformed line at byte %zu", start);
    for (size_t a = 3, i = 3; i <= len; i++) {
        if (i == len || line[i] == ' ') {
            if (!valid_arg(line + a, i - a))
                return tamga__fail(TAMGA_ERR_FORMAT,
                                   "age header: malformed stanza argument at byte %zu", start + a);
            a = i + 1;
        }
    }
    if (hd->nst == MAX_STANZAS)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "age header: more than %d stanzas", MAX_STANZAS);
    if (hd->nst % 16 == 0) {
        stanza *p = realloc(hd->st, (hd->nst + 16) * sizeof *p);
        if (p == NULL)
            return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
        hd->st = p;
    }
    stanza *s = &hd->st[hd->nst++];
    memset(s, 0, sizeof *s);
    s->off = start + 3;
    s->len = len - 3;
    for (;;) {
        size_t ls = 0, ll = 0, n = 0;
        int rc = header_line(r, hd, &ls, &ll);
        if (rc != TAMGA_OK)
            return rc;
        if (ll > AGE_COLUMNS)
            return tamga__fail(TAMGA_ERR_FORMAT, "age header: body line longer than %d columns",
                               AGE_COLUMNS);
        uint8_t *p = realloc(s->body, s->body_len + AGE_LINE_BYTES);
        if (p == NULL)
            return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
        s->body = p;
        if (tamga_age_b64raw_decode(hd->h + ls, ll, s->body + s->body_len, AGE_LINE_BYTES, &n) !=
            TAMGA_OK)
            return tamga__fail(TAMGA_ERR_FORMAT, "age header: invalid stanza body at byte %zu", ls);
        s->body_len += n;
        if (ll < AGE_COLUMNS)
            return TAMGA_OK;
    }
}

static int read_header(tamga_age_reader *r, header *hd)
{
    size_t start = 0, len = 0, n = 0;
    int rc = header_line(r, hd, &start, &len);
    if (rc != TAMGA_OK)
        return rc;
    if (len + 1 != strlen(AGE_INTRO) || memcmp(hd->h, AGE_INTRO, len + 1) != 0) {
        if (len >= 19 && memcmp(hd->h, "age-encryption.org/", 19) == 0)
            return tamga__fail(TAMGA_ERR_UNSUPPORTED, "unsupported age version");
        return tamga__fail(TAMGA_ERR_FORMAT, "not an age file (first line)");
    }
    for (;;) {
        if ((rc = header_line(r, hd, &start, &len)) != TAMGA_OK)
            return rc;
        const char *line = hd->h + start;
        if (len >= 3 && memcmp(line, "---", 3) == 0) {
            if (len != 4 + 43 || line[3] != ' ' ||
                tamga_age_b64raw_decode(line + 4, 43, hd->mac, sizeof hd->mac, &n) != TAMGA_OK ||
                n != 32)
                return tamga__fail(TAMGA_ERR_FORMAT, "age header: malformed MAC line");
            hd->mac_end = start + 3;
            return TAMGA_OK;
        }
        if ((rc = read_stanza(r, hd, start, len)) != TAMGA_OK)
            return rc;
    }
}

/* Argument `k` of a stanza (0 is the type). */
static size_t stanza_args(const header *hd, const stanza *s, const char *args[4], size_t lens[4])
{
    size_t n = 0, a = 0;
    const char *line = hd->h + s->off;
    for (size_t i = 0; i <= s->len; i++) {
        if (i == s->len || line[i] == ' ') {
            if (n < 4) {
                args[n] = line + a;
                lens[n] = i - a;
            }
            n++;
            a = i + 1;
        }
    }
    return n;
}

static int is_type(const header *hd, const stanza *s, const char *type)
{
    const char *args[4];
    size_t lens[4];
    stanza_args(hd, s, args, lens);
    return lens[0] == strlen(type) && memcmp(args[0], type, lens[0]) == 0;
}

static int unwrap_x25519(const header *hd, const stanza *s, reader_secrets *sec,
                         const uint8_t pk[32])
{
    const char *args[4];
    size_t lens[4], n = 0;
    uint8_t share[32], salt[64];
    if (stanza_args(hd, s, args, lens) != 2)
        return tamga__fail(TAMGA_ERR_FORMAT, "age X25519 stanza: wrong number of arguments");
    if (tamga_age_b64raw_decode(args[1], lens[1], share, sizeof share, &n) != TAMGA_OK || n != 32)
        return tamga__fail(TAMGA_ERR_FORMAT, "age X25519 stanza: invalid ephemeral share");
    if (s->body_len != AGE_WRAPPED_BYTES)
        return tamga__fail(TAMGA_ERR_FORMAT, "age X25519 stanza: wrapped key of %zu bytes",
                           s->body_len);
    if (crypto_scalarmult(sec->shared, sec->sk, share) != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "age X25519 stanza: low-order ephemeral share");
    memcpy(salt, share, 32);
    memcpy(salt + 32, pk, 32);
    tamga_age_hkdf(sec->wrap_key, 32, sec->shared, 32, salt, sizeof salt, AGE_X25519_LABEL);
    return tamga_age_unwrap(sec->file_key, sec->wrap_key, s->body) == 0 ? TAMGA_OK : NO_MATCH;
}

static int unwrap_scrypt(const header *hd, const stanza *s, reader_secrets *sec, const char *pass,
                         size_t passlen, int max_log_n)
{
    const char *args[4];
    size_t lens[4], n = 0;
    uint8_t salt[16];
    if (stanza_args(hd, s, args, lens) != 3)
        return tamga__fail(TAMGA_ERR_FORMAT, "age scrypt stanza: wrong number of arguments");
    if (tamga_age_b64raw_decode(args[1], lens[1], salt, sizeof salt, &n) != TAMGA_OK || n != 16)
        return tamga__fail(TAMGA_ERR_FORMAT, "age scrypt stanza: invalid salt");
    /* Decimal without leading zeros or signs; at most two digits before the bound. */
    int log_n = 0;
    if (lens[2] < 1 || lens[2] > 2 || args[2][0] == '0')
        return tamga__fail(TAMGA_ERR_FORMAT, "age scrypt stanza: invalid work factor");
    for (size_t i = 0; i < lens[2]; i++) {
        if (args[2][i] < '0' || args[2][i] > '9')
            return tamga__fail(TAMGA_ERR_FORMAT, "age scrypt stanza: invalid work factor");
        log_n = log_n * 10 + (args[2][i] - '0');
    }
    if (log_n > max_log_n)
        return tamga__fail(TAMGA_ERR_TOO_LARGE,
                           "age scrypt work factor 2^%d exceeds the limit 2^%d", log_n, max_log_n);
    if (s->body_len != AGE_WRAPPED_BYTES)
        return tamga__fail(TAMGA_ERR_FORMAT, "age scrypt stanza: wrapped key of %zu bytes",
                           s->body_len);
    int rc = tamga_age_scrypt_key(sec->wrap_key, pass, passlen, salt, log_n);
    if (rc != TAMGA_OK)
        return rc;
    return tamga_age_unwrap(sec->file_key, sec->wrap_key, s->body) == 0 ? TAMGA_OK : NO_MATCH;
}

static int find_file_key(const header *hd, reader_secrets *sec,
                         const uint8_t (*identities)[TAMGA_ENC_SK_BYTES], size_t n,
                         const char *pass, size_t passlen, int max_log_n)
{
    int scrypt = 0;
    for (size_t i = 0; i < hd->nst; i++)
        if (is_type(hd, &hd->st[i], "scrypt"))
            scrypt = 1;
    if (scrypt && hd->nst != 1)
        return tamga__fail(TAMGA_ERR_FORMAT, "age header: an scrypt stanza must be alone");
    for (size_t k = 0; k < n; k++) {
        uint8_t pk[32];
        memcpy(sec->sk, identities[k], 32);
        crypto_scalarmult_base(pk, sec->sk);
        for (size_t i = 0; i < hd->nst; i++) {
            if (!is_type(hd, &hd->st[i], "X25519"))
                continue;
            int rc = unwrap_x25519(hd, &hd->st[i], sec, pk);
            if (rc != NO_MATCH)
                return rc;
        }
    }
    if (scrypt && pass != NULL) {
        int rc = unwrap_scrypt(hd, &hd->st[0], sec, pass, passlen, max_log_n);
        if (rc != NO_MATCH)
            return rc;
        return tamga__fail(TAMGA_ERR_PASSPHRASE, "wrong passphrase for this age file");
    }
    return tamga__fail(TAMGA_ERR_NOT_KEYHOLDER, "no identity matches this age file");
}

void tamga_age_reader_free(tamga_age_reader *r)
{
    if (r == NULL)
        return;
    sodium_free(r->key);
    if (r->pt != NULL)
        sodium_memzero(r->pt, TAMGA_AGE_CHUNK);
    free(r->pt);
    free(r->ct);
    free(r);
}

int tamga_age_reader_new(tamga_age_read_fn read, void *user,
                         const uint8_t (*identities)[TAMGA_ENC_SK_BYTES], size_t n,
                         const char *passphrase, size_t passlen, int max_log_n,
                         tamga_age_reader **out)
{
    *out = NULL;
    if (max_log_n <= 0)
        max_log_n = AGE_DEFAULT_MAX_LOG_N;
    if (max_log_n > 30)
        max_log_n = 30;
    header hd;
    memset(&hd, 0, sizeof hd);
    tamga_age_reader *r = calloc(1, sizeof *r);
    reader_secrets *sec = sodium_malloc(sizeof *sec);
    int rc = TAMGA_OK;
    if (r == NULL || sec == NULL || (r->key = sodium_malloc(32)) == NULL) {
        rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
        goto done;
    }
    r->read = read;
    r->user = user;
    if ((rc = arm_detect(r)) != TAMGA_OK || (rc = read_header(r, &hd)) != TAMGA_OK ||
        (rc = find_file_key(&hd, sec, identities, n, passphrase, passlen, max_log_n)) != TAMGA_OK)
        goto done;

    uint8_t mac[crypto_auth_hmacsha256_BYTES], nonce[AGE_NONCE_BYTES];
    tamga_age_hkdf(sec->mac_key, 32, sec->file_key, AGE_FILE_KEY_BYTES, NULL, 0, "header");
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, sec->mac_key, 32);
    crypto_auth_hmacsha256_update(&st, (const uint8_t *)hd.h, hd.mac_end);
    crypto_auth_hmacsha256_final(&st, mac);
    if (sodium_memcmp(mac, hd.mac, sizeof mac) != 0) {
        rc = tamga__fail(TAMGA_ERR_AUTH, "age header MAC does not match (tampered header)");
        goto done;
    }
    size_t got = 0;
    if ((rc = dec_readfull(r, nonce, sizeof nonce, &got)) != TAMGA_OK)
        goto done;
    if (got != sizeof nonce) {
        rc = tamga__fail(TAMGA_ERR_FORMAT, "age file ends inside the payload nonce");
        goto done;
    }
    tamga_age_hkdf(r->key, 32, sec->file_key, AGE_FILE_KEY_BYTES, nonce, sizeof nonce, "payload");
    if ((r->ct = malloc(AGE_ENC_CHUNK)) == NULL || (r->pt = malloc(TAMGA_AGE_CHUNK)) == NULL) {
        rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
        goto done;
    }
    *out = r;
    r = NULL;
done:
    header_clear(&hd);
    sodium_free(sec);
    tamga_age_reader_free(r);
    return rc;
}

static int open_chunk(tamga_age_reader *r, size_t len, int last)
{
    unsigned long long n = 0;
    r->nonce[11] = last ? 1 : 0;
    return crypto_aead_chacha20poly1305_ietf_decrypt(r->pt, &n, NULL, r->ct, len, NULL, 0, r->nonce,
                                                     r->key) == 0
               ? (int)n
               : -1;
}

static int next_chunk(tamga_age_reader *r)
{
    size_t got = 0;
    int rc = dec_readfull(r, r->ct, AGE_ENC_CHUNK, &got), n = -1, last = 0;
    if (rc != TAMGA_OK)
        return rc;
    if (got == 0)
        return tamga__fail(TAMGA_ERR_TRUNCATED, "age payload ends without its last chunk");
    if (got < AGE_ENC_CHUNK) {
        static const uint8_t zero[11];
        if (got < AGE_TAG_BYTES)
            return tamga__fail(TAMGA_ERR_TRUNCATED, "age payload ends inside a chunk");
        if (got == AGE_TAG_BYTES && sodium_memcmp(r->nonce, zero, 11) != 0)
            return tamga__fail(TAMGA_ERR_FORMAT, "age payload: empty last chunk");
        last = 1;
        n = open_chunk(r, got, 1);
    } else {
        /* A full chunk is the last one only if nothing follows it. */
        n = open_chunk(r, got, 0);
        if (n < 0) {
            last = 1;
            n = open_chunk(r, got, 1);
        }
    }
    if (n < 0)
        return tamga__fail(TAMGA_ERR_AUTH, "age payload chunk %llu does not authenticate",
                           (unsigned long long)r->chunk);
    tamga_age_nonce_increment(r->nonce);
    r->chunk++;
    r->pt_pos = 0;
    r->pt_len = (size_t)n;
    if (last) {
        uint8_t probe;
        long p = dec_read(r, &probe, 1);
        if (p > 0)
            r->err = tamga__fail(TAMGA_ERR_FORMAT, "age payload: data after the last chunk");
        else if (p < 0)
            r->err = (int)p;
        else
            r->eof = 1;
    }
    return TAMGA_OK;
}

long tamga_age_reader_read(tamga_age_reader *r, uint8_t *buf, size_t len)
{
    while (len > 0) {
        if (r->pt_pos < r->pt_len) {
            size_t n = r->pt_len - r->pt_pos < len ? r->pt_len - r->pt_pos : len;
            memcpy(buf, r->pt + r->pt_pos, n);
            r->pt_pos += n;
            return (long)n;
        }
        if (r->err != TAMGA_OK)
            return r->err;
        if (r->eof)
            return 0;
        int rc = next_chunk(r);
        if (rc != TAMGA_OK)
            return r->err = rc;
    }
    return 0;
}
