/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The custody log: appending, strict parsing, signatures, the hash chain and
 * head.json, and every kind of tampering with a small log. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "custody-internal.h"
#include "tamga/custody.h"
#include "tamga/error.h"
#include "tamga/identity.h"
#include "tamga/minisig.h"
#include "util.h"

#define KAT_LOG  TAMGA_TEST_VECTORS "/custody/kat.custody.jsonl"
#define KAT_HEAD TAMGA_TEST_VECTORS "/custody/kat.head.json"

/* ---- the known-answer key: Ed25519 from the seed 00 01 02 ... 1f ---- */

static uint8_t kat_pk[32], kat_sk[64];
static const uint8_t kat_keynum[8] = {0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7};
static const uint8_t kat_case[16] = {0x0c, 0xa5, 0xe0, 0x01, 0x02, 0x03, 0x04, 0x05,
                                     0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d};

static void kat_keys(void)
{
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    crypto_sign_seed_keypair(kat_pk, kat_sk, seed);
}

static int seed_signer(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[64])
{
    (void)ctx;
    crypto_sign_detached(sig, NULL, msg, len, kat_sk);
    return TAMGA_OK;
}

static char *kat_line(uint64_t seq, const char *time, const char *event, const char *subject,
                      const uint8_t prev[32], size_t *len)
{
    tamga__custody_body b = {seq, time, kat_case, kat_keynum, event, subject, prev};
    char *line;
    assert_int_equal(tamga__custody_make_line(&b, seed_signer, NULL, &line, len), TAMGA_OK);
    return line;
}

/* The three-line log of tests/vectors/custody/kat.custody.jsonl. */
static char *kat_log(size_t *len, uint8_t last_sha[32])
{
    static const struct {
        const char *time, *event, *subject;
    } ev[3] = {
        {"2026-11-27T05:10:00.000Z", "case-created", "{\"title\":\"Алматы 2026 — گۇۋاھلىق\"}"},
        {"2026-11-27T05:12:30.250Z", "recording-sealed",
         "{\"recording\":\"202122232425262728292a2b2c2d2e2f\",\"manifest_sha256\":"
         "\"303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f\",\"status\":"
         "\"complete\"}"},
        {"2026-11-27T06:00:00.999Z", "note", "{}"},
    };
    uint8_t prev[32] = {0};
    char *out = NULL;
    size_t total = 0;
    for (int i = 0; i < 3; i++) {
        size_t n;
        char *line = kat_line((uint64_t)i + 1, ev[i].time, ev[i].event, ev[i].subject, prev, &n);
        crypto_hash_sha256(prev, (const uint8_t *)line, n);
        out = realloc(out, total + n + 2);
        memcpy(out + total, line, n);
        out[total + n] = '\n';
        total += n + 1;
        out[total] = 0;
        free(line);
    }
    if (last_sha != NULL)
        memcpy(last_sha, prev, 32);
    *len = total;
    return out;
}

static int parse_rc(const char *text, size_t len, size_t *count)
{
    tamga_custody_log log;
    int rc = tamga_custody_parse(text, len, &log);
    if (count != NULL)
        *count = log.count;
    if (rc != TAMGA_OK) {
        assert_int_equal(log.count, 0);
        assert_null(log.entries);
    }
    tamga_custody_log_clear(&log);
    return rc;
}

/* 1 when the text is accepted as a log whose every line verifies under `pk`. */
static int accepted(const char *text, size_t len, const uint8_t pk[32], size_t *count)
{
    tamga_custody_log log;
    if (tamga_custody_parse(text, len, &log) != TAMGA_OK)
        return 0;
    int ok = 1;
    for (size_t i = 0; i < log.count; i++)
        ok &= tamga_custody_entry_verify(&log.entries[i], pk) == TAMGA_OK;
    if (count != NULL)
        *count = log.count;
    tamga_custody_log_clear(&log);
    return ok;
}

/* Splits text into line start offsets (n lines). */
static size_t line_starts(const char *text, size_t len, size_t starts[], size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < max; i++)
        if (i == 0 || text[i - 1] == '\n')
            starts[n++] = i;
    return n;
}

/* Builds a text from lines of `text` in the given order (indexes, -1 ends). */
static char *reorder(const char *text, size_t len, const int *order, size_t *outlen)
{
    size_t st[8];
    size_t n = line_starts(text, len, st, 8);
    char *out = malloc(2 * len + 1); /* a line may appear twice */
    size_t o = 0;
    for (const int *p = order; *p >= 0; p++) {
        size_t a = st[*p], b = (size_t)*p + 1 < n ? st[*p + 1] : len;
        memcpy(out + o, text + a, b - a);
        o += b - a;
    }
    out[o] = 0;
    *outlen = o;
    return out;
}

/* ---- tests ---- */

static void test_kat(void **state)
{
    (void)state;
    kat_keys();
    size_t len;
    uint8_t last[32];
    char *text = kat_log(&len, last);

    /* head.json for this log, in the canonical spelling */
    char hex[65], kid[17];
    tamga_hex_encode(kat_case, 16, hex);
    tamga__keyid_hex(kat_keynum, kid);
    json_t *h = json_object();
    json_object_set_new(h, "format", json_string("tamga-custody-head"));
    json_object_set_new(h, "version", json_integer(1));
    json_object_set_new(h, "case", json_string(hex));
    json_object_set_new(h, "seq", json_integer(3));
    tamga_hex_encode(last, 32, hex);
    json_object_set_new(h, "sha256", json_string(hex));
    json_object_set_new(h, "time", json_string("2026-11-27T06:00:00.999Z"));
    json_object_set_new(h, "signer", json_string(kid));
    char *hs = json_dumps(h, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(h);
    size_t hl = strlen(hs);
    hs = realloc(hs, hl + 2);
    strcpy(hs + hl, "\n");
    hl++;

    if (getenv("TAMGA_WRITE_VECTORS") != NULL) {
        tu_write(KAT_LOG, text, len);
        tu_write(KAT_HEAD, hs, hl);
    }
    size_t klen, khl;
    uint8_t *kat = tu_read(KAT_LOG, &klen);
    uint8_t *khead = tu_read(KAT_HEAD, &khl);
    /* Ed25519 is deterministic: the same key, times and subjects give the same bytes. */
    assert_int_equal(klen, len);
    assert_memory_equal(kat, text, len);
    assert_int_equal(khl, hl);
    assert_memory_equal(khead, hs, hl);

    tamga_custody_log log;
    assert_int_equal(tamga_custody_parse((char *)kat, klen, &log), TAMGA_OK);
    assert_int_equal(log.count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(log.entries[i].seq, i + 1);
        assert_memory_equal(log.entries[i].actor, kat_keynum, 8);
        assert_int_equal(tamga_custody_entry_verify(&log.entries[i], kat_pk), TAMGA_OK);
        uint8_t cid[16];
        assert_int_equal(tamga__custody_entry_case(&log.entries[i], cid), TAMGA_OK);
        assert_memory_equal(cid, kat_case, 16);
    }
    assert_string_equal(log.entries[0].event, "case-created");
    assert_string_equal(log.entries[0].subject_json, "{\"title\":\"Алматы 2026 — گۇۋاھلىق\"}");
    assert_string_equal(log.entries[2].subject_json, "{}");
    assert_string_equal(log.entries[1].time, "2026-11-27T05:12:30.250Z");
    assert_memory_equal(log.entries[2].line_sha256, last, 32);
    assert_memory_equal(log.entries[1].prev_sha256, log.entries[0].line_sha256, 32);
    /* The signed message is the domain string and the body B, checked independently. */
    const tamga_custody_entry *e = &log.entries[1];
    char *sigpos = strstr(e->line, ",\"sig\":\"");
    assert_non_null(sigpos);
    assert_int_equal(e->body_len, (size_t)(sigpos - e->line) + 1);
    size_t dl = strlen("tamga-custody-v1\n");
    uint8_t *msg = malloc(dl + e->body_len);
    memcpy(msg, "tamga-custody-v1\n", dl);
    memcpy(msg + dl, e->line, e->body_len - 1);
    msg[dl + e->body_len - 1] = '}';
    assert_int_equal(crypto_sign_verify_detached(e->sig, msg, dl + e->body_len, kat_pk), 0);
    free(msg);
    /* a different key does not verify */
    uint8_t other[32];
    memcpy(other, kat_pk, 32);
    other[0] ^= 1;
    assert_int_equal(tamga_custody_entry_verify(&log.entries[0], other), TAMGA_ERR_AUTH);
    tamga_custody_log_clear(&log);

    tamga_custody_headfile hf;
    assert_int_equal(tamga_custody_headfile_parse((char *)khead, khl, &hf), TAMGA_OK);
    assert_int_equal(hf.seq, 3);
    assert_memory_equal(hf.sha256, last, 32);
    assert_memory_equal(hf.case_id, kat_case, 16);
    assert_memory_equal(hf.signer, kat_keynum, 8);
    assert_string_equal(hf.time, "2026-11-27T06:00:00.999Z");

    free(kat);
    free(khead);
    free(hs);
    free(text);
}

static void test_every_byte(void **state)
{
    (void)state;
    kat_keys();
    size_t len;
    char *text = kat_log(&len, NULL);
    assert_true(accepted(text, len, kat_pk, NULL));
    static const uint8_t masks[] = {0x01, 0x20, 0x80, 0xff};
    size_t tried = 0;
    for (size_t i = 0; i < len; i++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            char *t = malloc(len + 1);
            memcpy(t, text, len + 1);
            t[i] = (char)(t[i] ^ masks[m]);
            if (accepted(t, len, kat_pk, NULL))
                fail_msg("flipping byte %zu with 0x%02x went unnoticed", i, masks[m]);
            free(t);
            tried++;
        }
    }
    assert_int_equal(tried, len * 4);
    free(text);
}

static void test_lines_moved(void **state)
{
    (void)state;
    kat_keys();
    size_t len, n, count;
    uint8_t last[32];
    char *text = kat_log(&len, last);

    static const int removed_middle[] = {0, 2, -1}, removed_first[] = {1, 2, -1},
                     swapped[] = {0, 2, 1, -1}, swapped_first[] = {1, 0, 2, -1},
                     doubled[] = {0, 1, 1, 2, -1}, cut[] = {0, 1, -1};
    char *t = reorder(text, len, removed_middle, &n);
    assert_int_equal(parse_rc(t, n, NULL), TAMGA_ERR_AUTH);
    assert_non_null(strstr(tamga_error_detail(), "line 2"));
    free(t);
    t = reorder(text, len, removed_first, &n);
    assert_int_equal(parse_rc(t, n, NULL), TAMGA_ERR_AUTH);
    assert_non_null(strstr(tamga_error_detail(), "line 1"));
    free(t);
    t = reorder(text, len, swapped, &n);
    assert_int_equal(parse_rc(t, n, NULL), TAMGA_ERR_AUTH);
    free(t);
    t = reorder(text, len, swapped_first, &n);
    assert_int_equal(parse_rc(t, n, NULL), TAMGA_ERR_AUTH);
    free(t);
    t = reorder(text, len, doubled, &n);
    assert_int_equal(parse_rc(t, n, NULL), TAMGA_ERR_AUTH);
    assert_non_null(strstr(tamga_error_detail(), "line 3"));
    free(t);

    /* A cut-off tail is a valid shorter log: the parser reports 2 entries, and
     * head.json (signed) says 3. verify.c compares the two. */
    t = reorder(text, len, cut, &n);
    assert_int_equal(parse_rc(t, n, &count), TAMGA_OK);
    assert_int_equal(count, 2);
    size_t hl;
    uint8_t *head = tu_read(KAT_HEAD, &hl);
    tamga_custody_headfile hf;
    assert_int_equal(tamga_custody_headfile_parse((char *)head, hl, &hf), TAMGA_OK);
    assert_int_equal(hf.seq, 3);
    tamga_custody_log log;
    assert_int_equal(tamga_custody_parse(t, n, &log), TAMGA_OK);
    assert_memory_not_equal(log.entries[1].line_sha256, hf.sha256, 32);
    tamga_custody_log_clear(&log);
    free(head);
    free(t);

    /* A missing trailing newline (a tail cut inside the last line). */
    assert_int_equal(parse_rc(text, len - 1, NULL), TAMGA_ERR_FORMAT);
    /* Cut at every length: either a shorter valid log (cut at a line end) or refused. */
    size_t st[4];
    line_starts(text, len, st, 4);
    for (size_t k = 0; k < len; k++) {
        int rc = parse_rc(text, k, &count);
        if (k == 0 || k == st[1] || k == st[2]) {
            assert_int_equal(rc, TAMGA_OK);
            assert_int_equal(count, k == 0 ? 0 : k == st[1] ? 1 : 2);
        } else {
            assert_int_equal(rc, TAMGA_ERR_FORMAT);
        }
    }
    free(text);
}

static void test_inserted_line(void **state)
{
    (void)state;
    kat_keys();
    size_t len, n1, n2;
    char *text = kat_log(&len, NULL);
    size_t st[4];
    line_starts(text, len, st, 4);
    uint8_t sha1[32], zeros[32] = {0};
    crypto_hash_sha256(sha1, (const uint8_t *)text, st[1] - 1);

    /* validly signed by the same key, claiming seq 2 after line 1 */
    char *ins = kat_line(2, "2026-11-27T05:11:00.000Z", "note", "{\"forged\":true}", sha1, &n1);
    /* validly signed, seq 3, but prev pointing at the wrong line */
    char *ins2 = kat_line(3, "2026-11-27T05:11:00.000Z", "note", "{}", zeros, &n2);
    for (int which = 0; which < 2; which++) {
        const char *l = which == 0 ? ins : ins2;
        size_t ln = which == 0 ? n1 : n2;
        size_t at = which == 0 ? st[1] : st[2];
        char *t = malloc(len + ln + 2);
        memcpy(t, text, at);
        memcpy(t + at, l, ln);
        t[at + ln] = '\n';
        memcpy(t + at + ln + 1, text + at, len - at);
        size_t tl = len + ln + 1;
        /* the inserted line verifies on its own, but the chain breaks */
        assert_int_equal(parse_rc(t, tl, NULL), TAMGA_ERR_AUTH);
        free(t);
    }
    /* appended at the end with a wrong prev: also refused */
    char *t = malloc(len + n2 + 2);
    memcpy(t, text, len);
    char *l4 = kat_line(4, "2026-11-27T07:00:00.000Z", "note", "{}", zeros, &n1);
    memcpy(t + len, l4, n1);
    t[len + n1] = '\n';
    assert_int_equal(parse_rc(t, len + n1 + 1, NULL), TAMGA_ERR_AUTH);
    assert_non_null(strstr(tamga_error_detail(), "line 4"));
    free(t);
    free(l4);
    free(ins);
    free(ins2);
    free(text);
}

static char *splice(const char *text, size_t len, const char *find, const char *repl,
                    size_t *outlen)
{
    const char *p = strstr(text, find);
    if (p == NULL)
        fail_msg("no \"%s\" in the log", find);
    size_t fl = strlen(find), rl = strlen(repl), off = (size_t)(p - text);
    char *t = malloc(len - fl + rl + 1);
    memcpy(t, text, off);
    memcpy(t + off, repl, rl);
    memcpy(t + off + rl, p + fl, len - off - fl + 1);
    *outlen = len - fl + rl;
    return t;
}

static void test_noncanonical(void **state)
{
    (void)state;
    kat_keys();
    size_t len, n;
    char *text = kat_log(&len, NULL);
    static const char *const edits[][2] = {
        {"{\"seq\":2,", "{\"seq\": 2,"},
        {"{\"seq\":2,", "{ \"seq\":2,"},
        {"{\"seq\":2,", "{\"seq\":2.0,"},
        {"{\"seq\":2,", "{\"seq\":2e0,"},
        {"\"event\":\"note\"", "\"event\":\"\\u006eote\""},
        {"Алматы", "\\u0410\\u043b\\u043c\\u0430\\u0442\\u044b"},
        {"\"status\":\"complete\"}", "\"status\":\"complete\" }"},
        {"\"event\":\"note\"", "\"event\":\"Note\""},
        {"\"event\":\"note\"", "\"event\":\"note_1\""},
        {"{\"seq\":1,\"time\":\"2026-11-27T05:10:00.000Z\",",
         "{\"time\":\"2026-11-27T05:10:00.000Z\",\"seq\":1,"},
        {"{\"seq\":1,", "{\"seq\":1,\"seq\":1,"},
        {"{\"seq\":1,", "{\"x\":0,\"seq\":1,"},
        {"\"case\":\"0ca5e0", "\"case\":\"0CA5E0"},
        {"\"time\":\"2026-11-27T05:10:00.000Z\"", "\"time\":\"2026-11-27T05:10:00Z\""},
        {"\"time\":\"2026-11-27T05:10:00.000Z\"", "\"time\":\"2026-11-31T05:10:00.000Z\""},
        {"\"subject\":{}", "\"subject\":[]"},
        {"\"subject\":{}", "\"subject\":null"},
        {"{\"seq\":3", "{\"seq\":\"3\""},
        {"\"}\n", "\"}\r\n"},
        {"\"}\n", "\"} \n"},
        {"\"}\n", "\"}\n\n"},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        char *t = splice(text, len, edits[i][0], edits[i][1], &n);
        int rc = parse_rc(t, n, NULL);
        if (rc != TAMGA_ERR_FORMAT)
            fail_msg("edit %zu (%s): got %d", i, edits[i][1], rc);
        free(t);
    }
    /* The sig field moved before prev: valid JSON with the same values, refused. */
    size_t st[4];
    line_starts(text, len, st, 4);
    const char *l3 = text + st[2];
    const char *sig = strstr(l3, ",\"sig\":\"");
    const char *prev = strstr(l3, ",\"prev\":\"");
    char moved[1024];
    int ml = snprintf(moved, sizeof moved, "%.*s%.*s%.*s}\n", (int)(prev - l3), l3,
                      (int)(strlen(sig) - 2), sig, (int)(sig - prev), prev);
    char *t = malloc(len + 16);
    memcpy(t, text, st[2]);
    memcpy(t + st[2], moved, (size_t)ml);
    assert_int_equal(parse_rc(t, st[2] + (size_t)ml, NULL), TAMGA_ERR_FORMAT);
    free(t);
    /* A line over the limit. */
    size_t big = TAMGA_CUSTODY_MAX_LINE + 1;
    char *b = malloc(big + 1);
    memset(b, ' ', big);
    b[0] = '{';
    b[big - 1] = '}';
    b[big] = '\n';
    assert_int_equal(parse_rc(b, big + 1, NULL), TAMGA_ERR_FORMAT);
    assert_non_null(strstr(tamga_error_detail(), "longer than"));
    free(b);
    assert_int_equal(parse_rc("\n", 1, NULL), TAMGA_ERR_FORMAT);
    free(text);
}

static void test_limits(void **state)
{
    (void)state;
    kat_keys();
    uint8_t zeros[32] = {0};
    /* subjects that make a line too long are refused by the writer */
    size_t sl = TAMGA_CUSTODY_MAX_LINE;
    char *subject = malloc(sl + 16);
    strcpy(subject, "{\"x\":\"");
    memset(subject + 6, 'a', sl);
    strcpy(subject + 6 + sl, "\"}");
    tamga__custody_body body = {
        1, "2026-11-27T05:10:00.000Z", kat_case, kat_keynum, "note", subject, zeros};
    char *line = (char *)1;
    size_t n = 9;
    assert_int_equal(tamga__custody_make_line(&body, seed_signer, NULL, &line, &n),
                     TAMGA_ERR_TOO_LARGE);
    assert_null(line);
    assert_int_equal(n, 0);
    free(subject);
    /* bad events, subjects, times */
    static const char *const events[] = {"", "Note", "note 2", "note_2",
                                         "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv"};
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        body.subject = "{}";
        body.event = events[i];
        assert_int_equal(tamga__custody_make_line(&body, seed_signer, NULL, &line, &n),
                         TAMGA_ERR_INVALID);
    }
    body.event = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstu"; /* 47: fine */
    assert_int_equal(tamga__custody_make_line(&body, seed_signer, NULL, &line, &n), TAMGA_OK);
    free(line);
    static const char *const subjects[] = {"", "[]", "1", "{", "{\"a\":1,\"a\":2}", "{} x"};
    body.event = "note";
    for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
        body.subject = subjects[i];
        assert_int_equal(tamga__custody_make_line(&body, seed_signer, NULL, &line, &n),
                         TAMGA_ERR_INVALID);
    }
    /* a subject with whitespace is stored compactly */
    body.subject = "{ \"a\" : [1, 2], \"b\": {\"c\": null} }";
    assert_int_equal(tamga__custody_make_line(&body, seed_signer, NULL, &line, &n), TAMGA_OK);
    assert_non_null(strstr(line, "\"subject\":{\"a\":[1,2],\"b\":{\"c\":null}},"));
    free(line);
    body.subject = "{}";
    body.time = "2026-11-27 05:10:00";
    assert_int_equal(tamga__custody_make_line(&body, seed_signer, NULL, &line, &n),
                     TAMGA_ERR_INVALID);
    body.time = "2026-11-27T05:10:00.000Z";
    body.seq = TAMGA_CUSTODY_MAX_ENTRIES + 1;
    assert_int_equal(tamga__custody_make_line(&body, seed_signer, NULL, &line, &n),
                     TAMGA_ERR_TOO_LARGE);
    /* parse: a file over the limit */
    assert_int_equal(parse_rc("", (size_t)TAMGA_CUSTODY_MAX_FILE + 1, NULL), TAMGA_ERR_TOO_LARGE);
    /* many empty lines: refused at line 1 (and without allocating for all of them) */
    char *blank = malloc(1000000);
    memset(blank, '\n', 1000000);
    assert_int_equal(parse_rc(blank, 1000000, NULL), TAMGA_ERR_FORMAT);
    assert_non_null(strstr(tamga_error_detail(), "line 1 is empty"));
    free(blank);
    /* an empty log is valid */
    size_t count = 99;
    assert_int_equal(parse_rc("", 0, &count), TAMGA_OK);
    assert_int_equal(count, 0);
}

static void test_append(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("custody-append");
    tamga_identity *id;
    assert_int_equal(tamga_identity_generate("Custody Tester", &id), TAMGA_OK);
    const tamga_pubid *pub = tamga_identity_get_public(id);
    uint8_t case_id[16];
    randombytes_buf(case_id, sizeof case_id);

    /* nothing yet */
    uint64_t seq = 9;
    uint8_t sha[32];
    tamga_custody_log log;
    assert_int_equal(tamga_custody_load(dir, &log), TAMGA_ERR_NOT_FOUND);
    assert_int_equal(tamga_custody_head(dir, &seq, sha), TAMGA_OK);
    assert_int_equal(seq, 0);

    static const char *const events[] = {TAMGA_EVENT_CASE_CREATED, TAMGA_EVENT_RECORDING_STARTED,
                                         TAMGA_EVENT_RECORDING_SEALED, TAMGA_EVENT_VERIFIED,
                                         TAMGA_EVENT_DECRYPTED};
    uint8_t shas[5][32];
    for (int i = 0; i < 5; i++) {
        char subject[64];
        snprintf(subject, sizeof subject, "{\"n\":%d}", i);
        assert_int_equal(tamga_custody_append(dir, case_id, id, events[i], i == 4 ? NULL : subject,
                                              &seq, shas[i]),
                         TAMGA_OK);
        assert_int_equal(seq, (uint64_t)i + 1);
    }
    assert_int_equal(tamga_custody_load(dir, &log), TAMGA_OK);
    assert_int_equal(log.count, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(tamga_custody_entry_verify(&log.entries[i], pub->sign_pk), TAMGA_OK);
        assert_memory_equal(log.entries[i].actor, pub->keynum, 8);
        assert_memory_equal(log.entries[i].line_sha256, shas[i], 32);
        assert_string_equal(log.entries[i].event, events[i]);
    }
    assert_string_equal(log.entries[1].subject_json, "{\"n\":1}");
    assert_string_equal(log.entries[4].subject_json, "{}");
    tamga_custody_log_clear(&log);
    assert_int_equal(tamga_custody_head(dir, &seq, sha), TAMGA_OK);
    assert_int_equal(seq, 5);
    assert_memory_equal(sha, shas[4], 32);

    /* head.json and its minisign signature */
    char *hp = tu_path(dir, "head.json"), *sp = tu_path(dir, "head.json.minisig");
    char *lp = tu_path(dir, "custody.jsonl"), *kp = tu_path(dir, "custody.lock");
    size_t hl, sl;
    uint8_t *head = tu_read(hp, &hl), *sig = tu_read(sp, &sl);
    tamga_custody_headfile hf;
    assert_int_equal(tamga_custody_headfile_parse((char *)head, hl, &hf), TAMGA_OK);
    assert_int_equal(hf.seq, 5);
    assert_memory_equal(hf.sha256, shas[4], 32);
    assert_memory_equal(hf.case_id, case_id, 16);
    assert_memory_equal(hf.signer, pub->keynum, 8);
    tamga_minisig ms;
    assert_int_equal(tamga_minisig_parse((char *)sig, sl, &ms), TAMGA_OK);
    assert_int_equal(tamga_minisig_verify(&ms, head, hl, pub->keynum, pub->sign_pk), TAMGA_OK);
    char hex[33], want[128];
    tamga_hex_encode(case_id, 16, hex);
    snprintf(want, sizeof want, "tamga custody head %s 5", hex);
    assert_string_equal(ms.trusted_comment, want);
    head[10] ^= 1;
    assert_int_equal(tamga_minisig_verify(&ms, head, hl, pub->keynum, pub->sign_pk),
                     TAMGA_ERR_AUTH);
    free(head);
    free(sig);

    struct stat st;
    assert_int_equal(stat(lp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(stat(kp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(hp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);

    /* refusals leave the log as it was */
    size_t before;
    uint8_t *orig = tu_read(lp, &before);
    assert_int_equal(tamga_custody_append(dir, case_id, id, "Bad", "{}", &seq, sha),
                     TAMGA_ERR_INVALID);
    assert_int_equal(seq, 0);
    assert_int_equal(tamga_custody_append(dir, case_id, id, "note", "[1]", NULL, NULL),
                     TAMGA_ERR_INVALID);
    uint8_t other_case[16];
    memcpy(other_case, case_id, 16);
    other_case[15] ^= 1;
    assert_int_equal(tamga_custody_append(dir, other_case, id, "note", "{}", NULL, NULL),
                     TAMGA_ERR_WRONG_CASE);
    tamga_identity_lock(id);
    assert_int_equal(tamga_custody_append(dir, case_id, id, "note", "{}", NULL, NULL),
                     TAMGA_ERR_LOCKED);
    size_t after;
    uint8_t *now = tu_read(lp, &after);
    assert_int_equal(after, before);
    assert_memory_equal(now, orig, before);
    free(now);
    free(orig);
    tamga_identity_free(id);
    free(hp);
    free(sp);
    free(lp);
    free(kp);
    tu_rm_rf(dir);
    free(dir);
}

static void test_append_after_bad_tail(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("custody-tail");
    char *lp = tu_path(dir, "custody.jsonl");
    tamga_identity *id;
    assert_int_equal(tamga_identity_generate("Tail Tester", &id), TAMGA_OK);
    uint8_t case_id[16] = {1};
    for (int i = 0; i < 2; i++)
        assert_int_equal(tamga_custody_append(dir, case_id, id, "note", "{}", NULL, NULL),
                         TAMGA_OK);
    size_t len;
    uint8_t *good = tu_read(lp, &len);

    /* a cut-off last line (no newline), a garbage line, a non-canonical last
     * line, a blank last line, and a last line too long */
    const char *tails[] = {"{\"seq\":3", "garbage\n", NULL, "\n", NULL};
    for (int k = 0; k < 5; k++) {
        char *t = malloc(len + TAMGA_CUSTODY_MAX_LINE + 8);
        memcpy(t, good, len);
        size_t n = len;
        if (k == 2) {
            /* insert a space into the last line */
            char *p = strstr(t + len / 2, "\"seq\":2");
            assert_non_null(p);
            memmove(p + 7, p + 6, len - (size_t)(p + 6 - t));
            p[6] = ' ';
            n = len + 1;
        } else if (k == 4) {
            memset(t + len, 'x', TAMGA_CUSTODY_MAX_LINE + 1);
            t[len + TAMGA_CUSTODY_MAX_LINE + 1] = '\n';
            n = len + TAMGA_CUSTODY_MAX_LINE + 2;
        } else {
            memcpy(t + len, tails[k], strlen(tails[k]));
            n = len + strlen(tails[k]);
        }
        tu_write(lp, t, n);
        uint64_t seq = 7;
        assert_int_equal(tamga_custody_append(dir, case_id, id, "note", "{}", &seq, NULL),
                         TAMGA_ERR_FORMAT);
        assert_int_equal(seq, 0);
        assert_non_null(strstr(tamga_error_detail(), "refusing to append"));
        size_t l2;
        uint8_t *now = tu_read(lp, &l2);
        assert_int_equal(l2, n);
        assert_memory_equal(now, t, n);
        free(now);
        free(t);
    }
    /* restored, appending works again */
    tu_write(lp, good, len);
    uint64_t seq;
    assert_int_equal(tamga_custody_append(dir, case_id, id, "note", "{}", &seq, NULL), TAMGA_OK);
    assert_int_equal(seq, 3);
    /* an empty log file is an empty log: appending starts at 1 */
    tu_write(lp, "", 0);
    assert_int_equal(tamga_custody_append(dir, case_id, id, "note", "{}", &seq, NULL), TAMGA_OK);
    assert_int_equal(seq, 1);
    free(good);
    free(lp);
    tamga_identity_free(id);
    tu_rm_rf(dir);
    free(dir);
}

/* Two processes appending at once never interleave: the result is one chain. */
static void test_concurrent(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("custody-concurrent");
    uint8_t case_id[16] = {7};
    tamga_identity *id;
    assert_int_equal(tamga_identity_generate("Concurrent", &id), TAMGA_OK);
    enum { PER = 8, PROCS = 3 };
    pid_t pids[PROCS];
    for (int p = 0; p < PROCS; p++) {
        pids[p] = fork();
        assert_true(pids[p] >= 0);
        if (pids[p] == 0) {
            for (int i = 0; i < PER; i++)
                if (tamga_custody_append(dir, case_id, id, "note", "{}", NULL, NULL) != TAMGA_OK)
                    _exit(1);
            _exit(0);
        }
    }
    for (int p = 0; p < PROCS; p++) {
        int status;
        assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    tamga_custody_log log;
    assert_int_equal(tamga_custody_load(dir, &log), TAMGA_OK);
    assert_int_equal(log.count, PER * PROCS);
    const tamga_pubid *pub = tamga_identity_get_public(id);
    for (size_t i = 0; i < log.count; i++)
        assert_int_equal(tamga_custody_entry_verify(&log.entries[i], pub->sign_pk), TAMGA_OK);
    tamga_custody_log_clear(&log);
    tamga_identity_free(id);
    tu_rm_rf(dir);
    free(dir);
}

static void test_headfile(void **state)
{
    (void)state;
    size_t hl;
    uint8_t *head = tu_read(KAT_HEAD, &hl);
    json_t *good = json_loadb((char *)head, hl, 0, NULL);
    assert_non_null(good);
    static const struct {
        const char *key, *value;
        int rc;
    } cases[] = {
        {"format", "\"tamga-manifest\"", TAMGA_ERR_FORMAT},
        {"version", "2", TAMGA_ERR_UNSUPPORTED},
        {"version", "\"1\"", TAMGA_ERR_FORMAT},
        {"case", "\"0CA5E0\"", TAMGA_ERR_FORMAT},
        {"seq", "0", TAMGA_ERR_FORMAT},
        {"seq", "1000001", TAMGA_ERR_FORMAT},
        {"seq", "3.0", TAMGA_ERR_FORMAT},
        {"sha256", "null", TAMGA_ERR_FORMAT},
        {"time", "\"yesterday\"", TAMGA_ERR_FORMAT},
        {"signer", "\"c7c6c5c4c3c2c1c0\"", TAMGA_ERR_FORMAT},
        {"extra", "1", TAMGA_ERR_FORMAT},
    };
    tamga_custody_headfile hf;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = json_deep_copy(good);
        json_object_set_new(j, cases[i].key, json_loads(cases[i].value, JSON_DECODE_ANY, NULL));
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        size_t n = strlen(s);
        s = realloc(s, n + 2);
        strcpy(s + n, "\n");
        int rc = tamga_custody_headfile_parse(s, n + 1, &hf);
        if (rc != cases[i].rc)
            fail_msg("%s = %s: got %d", cases[i].key, cases[i].value, rc);
        assert_int_equal(hf.seq, 0);
        free(s);
        json_decref(j);
    }
    /* each field missing */
    const char *key;
    json_t *val;
    json_object_foreach(good, key, val)
    {
        json_t *j = json_deep_copy(good);
        json_object_del(j, key);
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        assert_int_equal(tamga_custody_headfile_parse(s, strlen(s), &hf), TAMGA_ERR_FORMAT);
        free(s);
        json_decref(j);
    }
    json_decref(good);
    /* non-canonical spellings and truncation */
    assert_int_equal(tamga_custody_headfile_parse((char *)head, hl - 1, &hf), TAMGA_ERR_FORMAT);
    for (size_t n = 0; n < hl; n++)
        assert_int_not_equal(tamga_custody_headfile_parse((char *)head, n, &hf), TAMGA_OK);
    json_t *again = json_loadb((char *)head, hl, 0, NULL);
    char *compact = json_dumps(again, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_int_equal(tamga_custody_headfile_parse(compact, strlen(compact), &hf), TAMGA_ERR_FORMAT);
    free(compact);
    json_decref(again);
    char dup[1024];
    int dl = snprintf(dup, sizeof dup, "{\n  \"seq\": 3,%s", (char *)head + 1);
    assert_int_equal(tamga_custody_headfile_parse(dup, (size_t)dl, &hf), TAMGA_ERR_FORMAT);
    free(head);
}

/* The checked-in vector, checked by stock tools (sha256sum, base64, openssl). */
static void test_stock_tools(void **state)
{
    (void)state;
    if (system("command -v openssl >/dev/null 2>&1 && command -v sha256sum >/dev/null 2>&1") != 0)
        skip();
    int rc = system("sh " TAMGA_TEST_VECTORS
                    "/custody/check-with-stock-tools.sh " TAMGA_TEST_VECTORS "/custody >/dev/null");
    assert_int_equal(rc, 0);
}

int main(void)
{
    if (tamga_init() != TAMGA_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kat),          cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_lines_moved),  cmocka_unit_test(test_inserted_line),
        cmocka_unit_test(test_noncanonical), cmocka_unit_test(test_limits),
        cmocka_unit_test(test_append),       cmocka_unit_test(test_append_after_bad_tail),
        cmocka_unit_test(test_concurrent),   cmocka_unit_test(test_headfile),
        cmocka_unit_test(test_stock_tools),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
