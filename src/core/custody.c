/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The custody log: custody.jsonl, one signed, hash-chained JSON object per line,
 * and head.json (+ .minisig), the signed statement of the latest line.
 *
 * A line L is the compact body B with its closing brace replaced by
 * ,"sig":"<base64>"} where the signature is Ed25519 over
 * "tamga-custody-v1\n" || B. Only the canonical spelling is accepted: the parser
 * rebuilds B from the values it read and requires the same bytes. */
#include "tamga/custody.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <stdio.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "custody-internal.h"
#include "tamga/error.h"
#include "tamga/minisig.h"
#include "util.h"

#define LOG_NAME      "custody.jsonl"
#define HEAD_NAME     "head.json"
#define SIG_NAME      "head.json.minisig"
#define LOCK_NAME     "custody.lock"
#define HEAD_FORMAT   "tamga-custody-head"
#define HEAD_VERSION  1
#define HEAD_MAX_FILE 4096
#define SIG_SEP       ",\"sig\":\""

static const char *const entry_keys[] = {"seq",   "time",    "case", "actor",
                                         "event", "subject", "prev", "sig"};

/* Copies the current detail, so a new detail can quote it (the buffer is shared). */
static void saved_detail(char d[512])
{
    snprintf(d, 512, "%s", tamga_error_detail());
}

static int event_ok(const char *s, size_t len)
{
    if (len < 1 || len > 47)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
            return 0;
    return 1;
}

static int lower_hex_ok(const char *s, size_t len, size_t want)
{
    if (len != want)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static json_t *hex_json(const uint8_t *b, size_t n)
{
    char buf[2 * TAMGA_SHA256_BYTES + 1];
    tamga_hex_encode(b, n, buf);
    return json_stringn(buf, 2 * n);
}

static void set(json_t *o, const char *k, json_t *v, int *fail)
{
    if (o == NULL || v == NULL || json_object_set_new(o, k, v) != 0)
        *fail = 1;
}

/* The compact body B, built from values in the fixed key order. `subject` is
 * borrowed. */
static char *body_text(uint64_t seq, const char *time, const uint8_t *case_id, const uint8_t *actor,
                       const char *event, json_t *subject, const uint8_t *prev)
{
    int fail = 0;
    char kid[17];
    json_t *o = json_object();
    tamga__keyid_hex(actor, kid);
    set(o, "seq", json_integer((json_int_t)seq), &fail);
    set(o, "time", json_string(time), &fail);
    set(o, "case", hex_json(case_id, TAMGA_ID_BYTES), &fail);
    set(o, "actor", json_string(kid), &fail);
    set(o, "event", json_string(event), &fail);
    set(o, "subject", json_incref(subject), &fail);
    set(o, "prev", hex_json(prev, TAMGA_SHA256_BYTES), &fail);
    char *s = fail ? NULL : tamga_json_dump(o);
    json_decref(o);
    return s;
}

/* The signed message: domain || B, where B is the first body_len - 1 bytes of
 * the line followed by "}". malloc'd. */
static uint8_t *signed_message(const char *line, size_t body_len, size_t *msglen)
{
    size_t dl = sizeof TAMGA__CUSTODY_DOMAIN - 1;
    uint8_t *m = malloc(dl + body_len);
    if (m == NULL)
        return NULL;
    memcpy(m, TAMGA__CUSTODY_DOMAIN, dl);
    memcpy(m + dl, line, body_len - 1);
    m[dl + body_len - 1] = '}';
    *msglen = dl + body_len;
    return m;
}

static void entry_free(tamga_custody_entry *e)
{
    free(e->subject_json);
    free(e->line);
    memset(e, 0, sizeof *e);
}

/* Parses one line (without its newline) strictly. `lineno` is for details only. */
static int parse_line(const char *line, size_t len, size_t lineno, tamga_custody_entry *e,
                      uint8_t case_id[TAMGA_ID_BYTES])
{
    memset(e, 0, sizeof *e);
    if (len > TAMGA_CUSTODY_MAX_LINE)
        return tamga__fail(TAMGA_ERR_FORMAT, "custody log line %zu is longer than %d bytes", lineno,
                           TAMGA_CUSTODY_MAX_LINE);
    if (len == 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "custody log line %zu is empty", lineno);
    json_t *j = tamga_json_parse_strict(line, len, "custody log line");
    if (j == NULL) {
        char d[512];
        saved_detail(d);
        return tamga__fail(TAMGA_ERR_FORMAT, "custody log line %zu: %s", lineno, d);
    }
    int rc = TAMGA_ERR_FORMAT;
    const char *why = NULL;
    char *body = NULL, *sig64 = NULL;

    if (json_object_size(j) != 8) {
        why = "must hold exactly the fields seq, time, case, actor, event, subject, prev, sig";
        goto done;
    }
    for (size_t i = 0; i < 8; i++)
        if (json_object_get(j, entry_keys[i]) == NULL) {
            why = "must hold exactly the fields seq, time, case, actor, event, subject, prev, "
                  "sig";
            goto done;
        }
    json_t *v = json_object_get(j, "seq");
    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
        json_integer_value(v) > TAMGA_CUSTODY_MAX_ENTRIES) {
        why = "\"seq\" is not an integer 1..1000000";
        goto done;
    }
    e->seq = (uint64_t)json_integer_value(v);
    v = json_object_get(j, "time");
    if (!json_is_string(v) || !tamga__utc_valid(json_string_value(v), json_string_length(v))) {
        why = "\"time\" is not a UTC time YYYY-MM-DDTHH:MM:SS.mmmZ";
        goto done;
    }
    memcpy(e->time, json_string_value(v), json_string_length(v) + 1);
    v = json_object_get(j, "case");
    if (!json_is_string(v) ||
        !lower_hex_ok(json_string_value(v), json_string_length(v), TAMGA_ID_HEX_LEN) ||
        tamga_hex_decode(json_string_value(v), TAMGA_ID_HEX_LEN, case_id, TAMGA_ID_BYTES) !=
            TAMGA_OK) {
        why = "\"case\" is not 32 lower-case hex digits";
        goto done;
    }
    v = json_object_get(j, "actor");
    if (!json_is_string(v) ||
        !tamga__keyid_unhex(json_string_value(v), json_string_length(v), e->actor)) {
        why = "\"actor\" is not a key id (16 upper-case hex digits)";
        goto done;
    }
    v = json_object_get(j, "event");
    if (!json_is_string(v) || !event_ok(json_string_value(v), json_string_length(v))) {
        why = "\"event\" is not 1..47 characters a-z and '-'";
        goto done;
    }
    memcpy(e->event, json_string_value(v), json_string_length(v) + 1);
    json_t *subject = json_object_get(j, "subject");
    if (!json_is_object(subject)) {
        why = "\"subject\" is not an object";
        goto done;
    }
    v = json_object_get(j, "prev");
    if (!json_is_string(v) ||
        !lower_hex_ok(json_string_value(v), json_string_length(v), TAMGA_SHA256_HEX_LEN) ||
        tamga_hex_decode(json_string_value(v), TAMGA_SHA256_HEX_LEN, e->prev_sha256,
                         TAMGA_SHA256_BYTES) != TAMGA_OK) {
        why = "\"prev\" is not 64 lower-case hex digits";
        goto done;
    }
    v = json_object_get(j, "sig");
    size_t siglen = 0;
    if (!json_is_string(v) ||
        tamga_b64_decode(json_string_value(v), json_string_length(v), e->sig, sizeof e->sig,
                         &siglen) != TAMGA_OK ||
        siglen != TAMGA_SIG_BYTES) {
        why = "\"sig\" is not a base64 Ed25519 signature";
        goto done;
    }

    /* Canonical form: the line must be exactly B minus "}" + ,"sig":"…"} */
    rc = TAMGA_ERR_NOMEM;
    body = body_text(e->seq, e->time, case_id, e->actor, e->event, subject, e->prev_sha256);
    sig64 = tamga_b64_encode(e->sig, TAMGA_SIG_BYTES);
    if (body == NULL || sig64 == NULL)
        goto done;
    rc = TAMGA_ERR_FORMAT;
    size_t bl = strlen(body), sl = strlen(sig64), seplen = sizeof SIG_SEP - 1;
    if (len != bl - 1 + seplen + sl + 2 || memcmp(line, body, bl - 1) != 0 ||
        memcmp(line + bl - 1, SIG_SEP, seplen) != 0 ||
        memcmp(line + bl - 1 + seplen, sig64, sl) != 0 ||
        memcmp(line + bl - 1 + seplen + sl, "\"}", 2) != 0) {
        why = "is not in canonical form (compact JSON, fields in order, sig last)";
        goto done;
    }
    rc = TAMGA_ERR_NOMEM;
    e->subject_json = tamga_json_dump(subject);
    e->line = malloc(len + 1);
    if (e->subject_json == NULL || e->line == NULL)
        goto done;
    memcpy(e->line, line, len);
    e->line[len] = '\0';
    e->body_len = bl;
    crypto_hash_sha256(e->line_sha256, (const unsigned char *)line, len);
    rc = TAMGA_OK;
done:
    free(body);
    free(sig64);
    json_decref(j);
    if (rc != TAMGA_OK) {
        entry_free(e);
        memset(case_id, 0, TAMGA_ID_BYTES);
        if (why != NULL)
            rc = tamga__fail(rc, "custody log line %zu: %s", lineno, why);
    }
    return rc;
}

int tamga__custody_make_line(const tamga__custody_body *b, tamga__custody_signer sign, void *ctx,
                             char **line, size_t *linelen)
{
    *line = NULL;
    *linelen = 0;
    if (b->seq < 1 || b->seq > TAMGA_CUSTODY_MAX_ENTRIES)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "custody log already holds %d entries",
                           TAMGA_CUSTODY_MAX_ENTRIES);
    if (!event_ok(b->event, strlen(b->event)))
        return tamga__fail(TAMGA_ERR_INVALID,
                           "custody event \"%.60s\" is not 1..47 characters a-z and '-'", b->event);
    if (!tamga__utc_valid(b->time, strlen(b->time)))
        return tamga__fail(TAMGA_ERR_INVALID, "custody time is not a UTC time");
    json_t *subject = tamga_json_parse_strict(b->subject, strlen(b->subject), "custody subject");
    if (subject == NULL)
        return TAMGA_ERR_INVALID; /* the detail names the subject */

    int rc = TAMGA_ERR_NOMEM;
    uint8_t *msg = NULL;
    char *sig64 = NULL, *out = NULL;
    char *body = body_text(b->seq, b->time, b->case_id, b->actor, b->event, subject, b->prev);
    if (body == NULL)
        goto done;
    size_t bl = strlen(body), msglen;
    msg = signed_message(body, bl, &msglen);
    if (msg == NULL)
        goto done;
    uint8_t sig[TAMGA_SIG_BYTES];
    rc = sign(ctx, msg, msglen, sig);
    if (rc != TAMGA_OK)
        goto done;
    rc = TAMGA_ERR_NOMEM;
    sig64 = tamga_b64_encode(sig, sizeof sig);
    if (sig64 == NULL)
        goto done;
    size_t sl = strlen(sig64), seplen = sizeof SIG_SEP - 1;
    size_t n = bl - 1 + seplen + sl + 2;
    if (n > TAMGA_CUSTODY_MAX_LINE) {
        rc = tamga__fail(TAMGA_ERR_TOO_LARGE, "custody entry would be %zu bytes (limit %d)", n,
                         TAMGA_CUSTODY_MAX_LINE);
        goto done;
    }
    out = malloc(n + 1);
    if (out == NULL)
        goto done;
    memcpy(out, body, bl - 1);
    memcpy(out + bl - 1, SIG_SEP, seplen);
    memcpy(out + bl - 1 + seplen, sig64, sl);
    memcpy(out + bl - 1 + seplen + sl, "\"}", 3);
    /* Write only what the parser accepts (e.g. a subject whose numbers do not
     * survive a round trip). */
    tamga_custody_entry e;
    uint8_t cid[TAMGA_ID_BYTES];
    rc = parse_line(out, n, b->seq, &e, cid);
    if (rc == TAMGA_OK)
        entry_free(&e);
    else if (rc != TAMGA_ERR_NOMEM) {
        char d[512];
        saved_detail(d);
        rc = tamga__fail(TAMGA_ERR_INVALID, "custody subject cannot be written canonically: %s", d);
    }
    if (rc == TAMGA_OK) {
        *line = out;
        *linelen = n;
        out = NULL;
    }
done:
    free(out);
    free(sig64);
    free(msg);
    free(body);
    json_decref(subject);
    return rc;
}

int tamga__custody_entry_case(const tamga_custody_entry *e, uint8_t case_id[TAMGA_ID_BYTES])
{
    tamga_custody_entry tmp;
    int rc = parse_line(e->line, strlen(e->line), e->seq, &tmp, case_id);
    if (rc == TAMGA_OK)
        entry_free(&tmp);
    return rc;
}

int tamga_custody_entry_verify(const tamga_custody_entry *e,
                               const uint8_t sign_pk[TAMGA_SIGN_PK_BYTES])
{
    if (e->line == NULL || e->body_len < 2 || e->body_len > strlen(e->line))
        return tamga__fail(TAMGA_ERR_FORMAT, "custody entry %llu holds no parsed line",
                           (unsigned long long)e->seq);
    size_t msglen;
    uint8_t *msg = signed_message(e->line, e->body_len, &msglen);
    if (msg == NULL)
        return TAMGA_ERR_NOMEM;
    int ok = crypto_sign_verify_detached(e->sig, msg, msglen, sign_pk) == 0;
    free(msg);
    if (!ok)
        return tamga__fail(TAMGA_ERR_AUTH, "custody log line %llu: signature does not verify",
                           (unsigned long long)e->seq);
    return TAMGA_OK;
}

/* ---- the whole log ---- */

void tamga_custody_log_clear(tamga_custody_log *log)
{
    if (log == NULL)
        return;
    for (size_t i = 0; i < log->count; i++)
        entry_free(&log->entries[i]);
    free(log->entries);
    log->entries = NULL;
    log->count = 0;
}

int tamga_custody_parse(const char *text, size_t len, tamga_custody_log *out)
{
    out->entries = NULL;
    out->count = 0;
    if (len > TAMGA_CUSTODY_MAX_FILE)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "custody log is larger than %u bytes",
                           TAMGA_CUSTODY_MAX_FILE);
    if (len == 0)
        return TAMGA_OK;
    if (text[len - 1] != '\n')
        return tamga__fail(TAMGA_ERR_FORMAT,
                           "custody log does not end with a newline (cut off or appended to "
                           "by hand)");
    size_t lines = 0;
    for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))) != NULL; p++)
        lines++;
    if (lines > TAMGA_CUSTODY_MAX_ENTRIES)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "custody log holds more than %d lines",
                           TAMGA_CUSTODY_MAX_ENTRIES);
    /* Grown as lines parse, so a file of a million empty lines costs no memory. */
    size_t cap = 0;

    int rc = TAMGA_OK;
    uint8_t first_case[TAMGA_ID_BYTES], cid[TAMGA_ID_BYTES];
    size_t off = 0;
    for (size_t i = 0; i < lines; i++) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t ll = (size_t)(nl - (text + off));
        if (i == cap) {
            size_t ncap = cap == 0 ? 16 : cap * 2;
            if (ncap > lines)
                ncap = lines;
            tamga_custody_entry *grown = realloc(out->entries, ncap * sizeof *grown);
            if (grown == NULL) {
                rc = TAMGA_ERR_NOMEM;
                break;
            }
            out->entries = grown;
            cap = ncap;
        }
        tamga_custody_entry *e = &out->entries[i];
        rc = parse_line(text + off, ll, i + 1, e, cid);
        if (rc != TAMGA_OK)
            break;
        out->count = i + 1;
        if (i == 0)
            memcpy(first_case, cid, sizeof cid);
        else if (memcmp(first_case, cid, sizeof cid) != 0) {
            rc = tamga__fail(TAMGA_ERR_WRONG_CASE,
                             "custody log line %zu belongs to another case than line 1", i + 1);
            break;
        }
        if (e->seq != i + 1) {
            rc = tamga__fail(TAMGA_ERR_AUTH,
                             "custody log line %zu: seq is %llu, expected %zu (chain broken: a "
                             "line was removed, inserted or moved)",
                             i + 1, (unsigned long long)e->seq, i + 1);
            break;
        }
        static const uint8_t zeros[TAMGA_SHA256_BYTES];
        const uint8_t *want = i == 0 ? zeros : out->entries[i - 1].line_sha256;
        if (memcmp(e->prev_sha256, want, TAMGA_SHA256_BYTES) != 0) {
            if (i == 0)
                rc = tamga__fail(TAMGA_ERR_AUTH,
                                 "custody log line 1: prev is not all zeros (chain broken)");
            else
                rc = tamga__fail(TAMGA_ERR_AUTH,
                                 "custody log line %zu: prev is not the SHA-256 of line %zu "
                                 "(chain broken: a line was changed, removed or inserted)",
                                 i + 1, i);
            break;
        }
        off += ll + 1;
    }
    if (rc != TAMGA_OK)
        tamga_custody_log_clear(out);
    return rc;
}

int tamga_custody_load(const char *case_dir, tamga_custody_log *out)
{
    out->entries = NULL;
    out->count = 0;
    char *path = tamga_path_join(case_dir, LOG_NAME);
    if (path == NULL)
        return TAMGA_ERR_NOMEM;
    uint8_t *data;
    size_t len;
    int rc = tamga_read_file(path, TAMGA_CUSTODY_MAX_FILE, &data, &len);
    free(path);
    if (rc != TAMGA_OK)
        return rc;
    rc = tamga_custody_parse((const char *)data, len, out);
    free(data);
    return rc;
}

/* ---- the head: last line of the log ---- */

typedef struct {
    int exists;    /* custody.jsonl exists */
    uint64_t size; /* its size */
    uint64_t seq;  /* 0 for an empty or missing log */
    uint8_t sha[TAMGA_SHA256_BYTES];
    uint8_t case_id[TAMGA_ID_BYTES];
} tail_info;

/* Reads and strictly parses only the last line (at most MAX_LINE + 1 bytes from
 * the end): appends stay cheap however long the log grows. */
static int read_tail(const char *path, tail_info *t)
{
    memset(t, 0, sizeof *t);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return TAMGA_OK;
        return tamga__errno_fail("cannot open", path);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int rc = tamga__errno_fail("cannot stat", path);
        close(fd);
        return rc;
    }
    t->exists = 1;
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return tamga__fail(TAMGA_ERR_IO, "%s is not a regular file", path);
    }
    if ((uint64_t)st.st_size > TAMGA_CUSTODY_MAX_FILE) {
        close(fd);
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "%s is larger than %u bytes", path,
                           TAMGA_CUSTODY_MAX_FILE);
    }
    t->size = (uint64_t)st.st_size;
    if (t->size == 0) {
        close(fd);
        return TAMGA_OK;
    }
    size_t want =
        t->size < TAMGA_CUSTODY_MAX_LINE + 1 ? (size_t)t->size : (size_t)TAMGA_CUSTODY_MAX_LINE + 1;
    char *buf = malloc(want);
    if (buf == NULL) {
        close(fd);
        return TAMGA_ERR_NOMEM;
    }
    size_t got = 0;
    off_t at = (off_t)(t->size - want);
    while (got < want) {
        ssize_t r = pread(fd, buf + got, want - got, at + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int rc = r < 0 ? tamga__errno_fail("cannot read", path)
                           : tamga__fail(TAMGA_ERR_IO, "%s changed while being read", path);
            free(buf);
            close(fd);
            return rc;
        }
        got += (size_t)r;
    }
    close(fd);
    int rc;
    if (buf[want - 1] != '\n') {
        rc = tamga__fail(TAMGA_ERR_FORMAT,
                         "%s does not end with a newline: its last line is cut off", path);
        goto out;
    }
    size_t start = want - 1;
    while (start > 0 && buf[start - 1] != '\n')
        start--;
    if (start == 0 && want < t->size) {
        rc = tamga__fail(TAMGA_ERR_FORMAT, "the last line of %s is longer than %d bytes", path,
                         TAMGA_CUSTODY_MAX_LINE);
        goto out;
    }
    tamga_custody_entry e;
    rc = parse_line(buf + start, want - 1 - start, 0, &e, t->case_id);
    if (rc != TAMGA_OK) {
        char d[512];
        saved_detail(d);
        rc = tamga__fail(rc, "the last line of %s is malformed: %s", path, d);
        goto out;
    }
    t->seq = e.seq;
    memcpy(t->sha, e.line_sha256, TAMGA_SHA256_BYTES);
    entry_free(&e);
out:
    free(buf);
    return rc;
}

int tamga_custody_head(const char *case_dir, uint64_t *seq, uint8_t sha[TAMGA_SHA256_BYTES])
{
    *seq = 0;
    memset(sha, 0, TAMGA_SHA256_BYTES);
    char *path = tamga_path_join(case_dir, LOG_NAME);
    if (path == NULL)
        return TAMGA_ERR_NOMEM;
    tail_info t;
    int rc = read_tail(path, &t);
    free(path);
    if (rc != TAMGA_OK)
        return rc;
    *seq = t.seq;
    memcpy(sha, t.sha, TAMGA_SHA256_BYTES);
    return TAMGA_OK;
}

/* ---- head.json ---- */

static json_t *head_json(const tamga_custody_headfile *h)
{
    int fail = 0;
    char kid[17];
    json_t *o = json_object();
    tamga__keyid_hex(h->signer, kid);
    set(o, "format", json_string(HEAD_FORMAT), &fail);
    set(o, "version", json_integer(HEAD_VERSION), &fail);
    set(o, "case", hex_json(h->case_id, TAMGA_ID_BYTES), &fail);
    set(o, "seq", json_integer((json_int_t)h->seq), &fail);
    set(o, "sha256", hex_json(h->sha256, TAMGA_SHA256_BYTES), &fail);
    set(o, "time", json_string(h->time), &fail);
    set(o, "signer", json_string(kid), &fail);
    if (fail) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static char *head_text(const tamga_custody_headfile *h, size_t *len)
{
    json_t *o = head_json(h);
    if (o == NULL)
        return NULL;
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (s == NULL)
        return NULL;
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (t == NULL) {
        free(s);
        return NULL;
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    *len = n + 1;
    return t;
}

int tamga_custody_headfile_parse(const char *text, size_t len, tamga_custody_headfile *out)
{
    static const char *const keys[] = {"format", "version", "case",  "seq",
                                       "sha256", "time",    "signer"};
    memset(out, 0, sizeof *out);
    if (len > HEAD_MAX_FILE)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "head.json is larger than %d bytes", HEAD_MAX_FILE);
    json_t *j = tamga_json_parse_strict(text, len, "head.json");
    if (j == NULL)
        return TAMGA_ERR_FORMAT;
    int rc = TAMGA_ERR_FORMAT;
    const char *why = NULL;
    json_t *v = json_object_get(j, "format");
    if (!json_is_string(v) || strcmp(json_string_value(v), HEAD_FORMAT) != 0) {
        why = "\"format\" is not \"" HEAD_FORMAT "\"";
        goto done;
    }
    v = json_object_get(j, "version");
    if (!json_is_integer(v)) {
        why = "\"version\" is missing or not an integer";
        goto done;
    }
    if (json_integer_value(v) != HEAD_VERSION) {
        rc = tamga__fail(TAMGA_ERR_UNSUPPORTED, "head.json version %lld is not supported",
                         (long long)json_integer_value(v));
        goto done;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (json_object_get(j, keys[i]) == NULL) {
            rc = tamga__fail(TAMGA_ERR_FORMAT, "head.json: field \"%s\" is missing", keys[i]);
            goto done;
        }
    if (json_object_size(j) != sizeof keys / sizeof keys[0]) {
        why = "unknown fields";
        goto done;
    }
    v = json_object_get(j, "case");
    if (!json_is_string(v) ||
        !lower_hex_ok(json_string_value(v), json_string_length(v), TAMGA_ID_HEX_LEN) ||
        tamga_hex_decode(json_string_value(v), TAMGA_ID_HEX_LEN, out->case_id, TAMGA_ID_BYTES) !=
            TAMGA_OK) {
        why = "\"case\" is not 32 lower-case hex digits";
        goto done;
    }
    v = json_object_get(j, "seq");
    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
        json_integer_value(v) > TAMGA_CUSTODY_MAX_ENTRIES) {
        why = "\"seq\" is not an integer 1..1000000";
        goto done;
    }
    out->seq = (uint64_t)json_integer_value(v);
    v = json_object_get(j, "sha256");
    if (!json_is_string(v) ||
        !lower_hex_ok(json_string_value(v), json_string_length(v), TAMGA_SHA256_HEX_LEN) ||
        tamga_hex_decode(json_string_value(v), TAMGA_SHA256_HEX_LEN, out->sha256,
                         TAMGA_SHA256_BYTES) != TAMGA_OK) {
        why = "\"sha256\" is not 64 lower-case hex digits";
        goto done;
    }
    v = json_object_get(j, "time");
    if (!json_is_string(v) || !tamga__utc_valid(json_string_value(v), json_string_length(v))) {
        why = "\"time\" is not a UTC time YYYY-MM-DDTHH:MM:SS.mmmZ";
        goto done;
    }
    memcpy(out->time, json_string_value(v), json_string_length(v) + 1);
    v = json_object_get(j, "signer");
    if (!json_is_string(v) ||
        !tamga__keyid_unhex(json_string_value(v), json_string_length(v), out->signer)) {
        why = "\"signer\" is not a key id (16 upper-case hex digits)";
        goto done;
    }
    size_t clen = 0;
    char *canon = head_text(out, &clen);
    if (canon == NULL) {
        rc = TAMGA_ERR_NOMEM;
        goto done;
    }
    int same = clen == len && memcmp(canon, text, len) == 0;
    free(canon);
    if (!same) {
        why = "not in canonical form";
        goto done;
    }
    rc = TAMGA_OK;
done:
    json_decref(j);
    if (why != NULL)
        rc = tamga__fail(rc, "head.json: %s", why);
    if (rc != TAMGA_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

/* ---- appending ---- */

static int identity_signer(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[TAMGA_SIG_BYTES])
{
    return tamga_identity_sign((const tamga_identity *)ctx, msg, len, sig);
}

static int write_head(const char *case_dir, const tamga_custody_headfile *h,
                      const tamga_identity *actor)
{
    size_t len = 0;
    char *text = head_text(h, &len);
    if (text == NULL)
        return TAMGA_ERR_NOMEM;
    char comment[96];
    char hex[TAMGA_ID_HEX_LEN + 1];
    tamga_hex_encode(h->case_id, TAMGA_ID_BYTES, hex);
    snprintf(comment, sizeof comment, "tamga custody head %s %llu", hex,
             (unsigned long long)h->seq);
    char *sig = NULL;
    char *hp = tamga_path_join(case_dir, HEAD_NAME);
    char *sp = tamga_path_join(case_dir, SIG_NAME);
    int rc = TAMGA_ERR_NOMEM;
    if (hp == NULL || sp == NULL)
        goto out;
    rc = tamga_minisig_sign(actor, (const uint8_t *)text, len, comment, &sig);
    if (rc != TAMGA_OK)
        goto out;
    rc = tamga_write_atomic(hp, text, len, 0644, 1);
    if (rc != TAMGA_OK)
        goto out;
    rc = tamga_write_atomic(sp, sig, strlen(sig), 0644, 1);
out:
    free(text);
    free(sig);
    free(hp);
    free(sp);
    return rc;
}

int tamga_custody_append(const char *case_dir, const uint8_t case_id[TAMGA_ID_BYTES],
                         const tamga_identity *actor, const char *event, const char *subject_json,
                         uint64_t *out_seq, uint8_t out_sha[TAMGA_SHA256_BYTES])
{
    if (out_seq != NULL)
        *out_seq = 0;
    if (out_sha != NULL)
        memset(out_sha, 0, TAMGA_SHA256_BYTES);
    if (!tamga_identity_is_unlocked(actor))
        return tamga__fail(TAMGA_ERR_LOCKED, "the identity must be unlocked to sign the log");
    if (subject_json == NULL)
        subject_json = "{}";

    char *log_path = tamga_path_join(case_dir, LOG_NAME);
    char *lock_path = tamga_path_join(case_dir, LOCK_NAME);
    char *line = NULL;
    int fd = -1, rc = TAMGA_ERR_NOMEM;
    if (log_path == NULL || lock_path == NULL)
        goto out;

    /* One writer at a time, across processes (and across threads, since each
     * call opens its own file description). */
    fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = tamga__errno_fail("cannot open", lock_path);
        goto out;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            rc = tamga__errno_fail("cannot lock", lock_path);
            goto out;
        }
    }

    tail_info t;
    rc = read_tail(log_path, &t);
    if (rc != TAMGA_OK) {
        char d[512];
        saved_detail(d);
        rc = tamga__fail(rc, "refusing to append: %s", d);
        goto out;
    }
    if (t.seq > 0 && memcmp(t.case_id, case_id, TAMGA_ID_BYTES) != 0) {
        rc = tamga__fail(TAMGA_ERR_WRONG_CASE, "%s belongs to another case", log_path);
        goto out;
    }
    if (t.seq >= TAMGA_CUSTODY_MAX_ENTRIES) {
        rc = tamga__fail(TAMGA_ERR_TOO_LARGE, "%s already holds %d entries", log_path,
                         TAMGA_CUSTODY_MAX_ENTRIES);
        goto out;
    }

    const tamga_pubid *pub = tamga_identity_get_public(actor);
    char now[32];
    tamga_utc_now(now, sizeof now);
    tamga__custody_body b = {
        .seq = t.seq + 1,
        .time = now,
        .case_id = case_id,
        .actor = pub->keynum,
        .event = event,
        .subject = subject_json,
        .prev = t.sha,
    };
    size_t n = 0;
    rc = tamga__custody_make_line(&b, identity_signer, (void *)actor, &line, &n);
    if (rc != TAMGA_OK)
        goto out;
    if (t.size + n + 1 > TAMGA_CUSTODY_MAX_FILE) {
        rc = tamga__fail(TAMGA_ERR_TOO_LARGE, "%s would grow past %u bytes", log_path,
                         TAMGA_CUSTODY_MAX_FILE);
        goto out;
    }
    line[n] = '\n'; /* replaces the NUL: the buffer holds n + 1 bytes */
    rc = tamga_append_sync(log_path, line, n + 1, 0644);
    if (rc != TAMGA_OK)
        goto out;

    tamga_custody_headfile h;
    memset(&h, 0, sizeof h);
    memcpy(h.case_id, case_id, TAMGA_ID_BYTES);
    h.seq = b.seq;
    crypto_hash_sha256(h.sha256, (const unsigned char *)line, n);
    memcpy(h.time, now, sizeof h.time);
    memcpy(h.signer, pub->keynum, TAMGA_KEYNUM_BYTES);
    rc = write_head(case_dir, &h, actor);
    if (rc != TAMGA_OK) {
        char d[512];
        saved_detail(d);
        rc = tamga__fail(rc, "entry %llu was appended but head.json was not updated: %s",
                         (unsigned long long)h.seq, d);
        goto out;
    }
    if (out_seq != NULL)
        *out_seq = h.seq;
    if (out_sha != NULL)
        memcpy(out_sha, h.sha256, TAMGA_SHA256_BYTES);
out:
    if (fd >= 0)
        close(fd); /* releases the lock */
    free(line);
    free(log_path);
    free(lock_path);
    return rc;
}
