/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recording manifests: one canonical JSON text per recording.
 *
 * There is exactly one accepted text for each manifest: the builder below
 * serialises with jansson (JSON_INDENT(2) | JSON_PRESERVE_ORDER, UTF-8 written
 * as is, a trailing "\n"), and the parser, after checking every field, builds
 * that text again from what it read and requires it to equal the input byte for
 * byte. So key order, whitespace, escapes and number spellings have one form. */
#include "tamga/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "custody-internal.h"
#include "tamga/error.h"
#include "minisig-internal.h"
#include "util.h"

#define WHAT "manifest"

/* ---- shared checks ---- */

/* Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF), no control
 * characters (C0, DEL). */
static int text_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c < 0x20 || c == 0x7f)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if ((c & 0xe0) == 0xc0) {
            n = 1, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (i + n >= len)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += n + 1;
    }
    return 1;
}

static int language_ok(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return 0;
    }
    return 1;
}

static int frame_us_ok(int64_t us)
{
    static const int64_t sizes[] = {2500, 5000, 10000, 20000, 40000, 60000, 80000, 100000, 120000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        if (us == sizes[i])
            return 1;
    return 0;
}

/* ---- building the canonical JSON ---- */

typedef struct {
    int bad; /* first failure: a field that cannot be represented */
    const char *field;
} builder;

static json_t *b_str(builder *b, const char *field, const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n == cap || !text_ok(s, n)) {
        if (!b->bad) {
            b->bad = 1;
            b->field = field;
        }
        return NULL;
    }
    return json_stringn(s, n);
}

static json_t *b_uint(builder *b, const char *field, uint64_t v)
{
    if (v > (uint64_t)TAMGA__JSON_INT_MAX) {
        if (!b->bad) {
            b->bad = 1;
            b->field = field;
        }
        return NULL;
    }
    return json_integer((json_int_t)v);
}

static json_t *b_hex(const uint8_t *bytes, size_t n)
{
    char buf[2 * 64 + 1];
    tamga_hex_encode(bytes, n, buf);
    return json_stringn(buf, 2 * n);
}

/* Sets o[k] = v (stealing v); any NULL along the way makes the build fail. */
static void put(json_t *o, const char *k, json_t *v, int *oom)
{
    if (o == NULL || v == NULL || json_object_set_new(o, k, v) != 0)
        *oom = 1;
}

/* Builds the canonical object. Returns NULL with b->bad set for a field that
 * cannot be written, or NULL with b->bad clear on out-of-memory. */
static json_t *build(const tamga_manifest *m, builder *b)
{
    int fail = 0;
    char kid[17];
    json_t *root = json_object();

    put(root, "format", json_string(TAMGA_MANIFEST_FORMAT), &fail);
    put(root, "version", json_integer(TAMGA_MANIFEST_VERSION), &fail);
    put(root, "case", b_hex(m->case_id, TAMGA_ID_BYTES), &fail);
    put(root, "recording", b_hex(m->recording_id, TAMGA_ID_BYTES), &fail);

    json_t *signer = json_object();
    tamga__keyid_hex(m->signer_keynum, kid);
    put(signer, "key_id", json_string(kid), &fail);
    char *pk64 = tamga__pk_blob_b64(m->signer_keynum, m->signer_pk);
    put(signer, "public_key", pk64 ? json_string(pk64) : NULL, &fail);
    free(pk64);
    put(root, "signer", signer, &fail);

    json_t *chain = json_object();
    put(chain, "seq", b_uint(b, "chain.seq", m->seq), &fail);
    put(chain, "previous_manifest_sha256",
        m->has_prev ? b_hex(m->prev_sha256, TAMGA_SHA256_BYTES) : json_null(), &fail);
    put(root, "chain", chain, &fail);

    json_t *t = json_object();
    put(t, "started", b_str(b, "time.started", m->started, sizeof m->started), &fail);
    put(t, "ended", b_str(b, "time.ended", m->ended, sizeof m->ended), &fail);
    put(t, "duration_ms", json_integer(m->duration_ms), &fail);
    put(root, "time", t, &fail);

    json_t *a = json_object();
    put(a, "codec", b_str(b, "audio.codec", m->codec, sizeof m->codec), &fail);
    put(a, "container", b_str(b, "audio.container", m->container, sizeof m->container), &fail);
    put(a, "sample_rate", json_integer(m->sample_rate), &fail);
    put(a, "input_rate", json_integer(m->input_rate), &fail);
    put(a, "channels", json_integer(m->channels), &fail);
    put(a, "bitrate", json_integer(m->bitrate), &fail);
    put(a, "frame_duration_us", json_integer((json_int_t)m->frame_ms10 * 100), &fail);
    put(a, "complexity", json_integer(m->complexity), &fail);
    put(root, "audio", a, &fail);

    json_t *src = json_object();
    put(src, "kind", b_str(b, "source.kind", m->source_kind, sizeof m->source_kind), &fail);
    put(src, "name", b_str(b, "source.name", m->source_name, sizeof m->source_name), &fail);
    put(src, "format", b_str(b, "source.format", m->source_format, sizeof m->source_format), &fail);
    put(src, "size", b_uint(b, "source.size", m->source_size), &fail);
    put(src, "sha256",
        m->has_source_hash ? b_hex(m->source_sha256, TAMGA_SHA256_BYTES) : json_null(), &fail);
    put(src, "original_stored", json_boolean(m->original_stored), &fail);
    put(root, "source", src, &fail);

    put(root, "status", b_str(b, "status", m->status, sizeof m->status), &fail);

    json_t *ef = json_object();
    put(ef, "name", b_str(b, "encrypted_file.name", m->file_name, sizeof m->file_name), &fail);
    put(ef, "size", b_uint(b, "encrypted_file.size", m->file_size), &fail);
    put(ef, "sha256", b_hex(m->file_sha256, TAMGA_SHA256_BYTES), &fail);
    put(root, "encrypted_file", ef, &fail);

    json_t *as = json_object();
    put(as, "size", b_uint(b, "audio_stream.size", m->audio_size), &fail);
    put(as, "sha256", b_hex(m->audio_sha256, TAMGA_SHA256_BYTES), &fail);
    put(root, "audio_stream", as, &fail);

    put(root, "overflows", b_uint(b, "overflows", m->overflows), &fail);

    json_t *pub = json_object();
    put(pub, "title", b_str(b, "public.title", m->title, sizeof m->title), &fail);
    put(pub, "language", b_str(b, "public.language", m->language, sizeof m->language), &fail);
    put(pub, "consent", b_str(b, "public.consent", m->consent, sizeof m->consent), &fail);
    put(pub, "embargo",
        m->embargo[0] ? b_str(b, "public.embargo", m->embargo, sizeof m->embargo) : json_null(),
        &fail);
    put(root, "public", pub, &fail);

    if (m->n_markers > TAMGA_MANIFEST_MAX_MARKERS && !b->bad) {
        b->bad = 1;
        b->field = "markers";
    }
    if (m->n_pauses > TAMGA_MANIFEST_MAX_PAUSES && !b->bad) {
        b->bad = 1;
        b->field = "pauses";
    }
    json_t *mk = json_array();
    for (size_t i = 0; !b->bad && !fail && i < m->n_markers; i++) {
        json_t *e = json_object();
        put(e, "at_ms", json_integer(m->markers[i].start_ms), &fail);
        if (e == NULL || json_array_append_new(mk, e) != 0)
            fail = 1;
    }
    put(root, "markers", mk, &fail);
    json_t *ps = json_array();
    for (size_t i = 0; !b->bad && !fail && i < m->n_pauses; i++) {
        json_t *e = json_object();
        put(e, "start_ms", json_integer(m->pauses[i].start_ms), &fail);
        put(e, "end_ms", json_integer(m->pauses[i].end_ms), &fail);
        if (e == NULL || json_array_append_new(ps, e) != 0)
            fail = 1;
    }
    put(root, "pauses", ps, &fail);

    json_t *pm = json_null();
    if (m->has_private) {
        pm = json_object();
        put(pm, "name", b_str(b, "private_metadata.name", m->private_name, sizeof m->private_name),
            &fail);
        put(pm, "sha256", b_hex(m->private_sha256, TAMGA_SHA256_BYTES), &fail);
    }
    put(root, "private_metadata", pm, &fail);

    json_t *ch = json_object();
    put(ch, "seq", b_uint(b, "custody_head.seq", m->custody_seq), &fail);
    put(ch, "sha256", b_hex(m->custody_sha256, TAMGA_SHA256_BYTES), &fail);
    put(root, "custody_head", ch, &fail);

    put(root, "software", b_str(b, "software", m->software, sizeof m->software), &fail);

    if (fail || b->bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static int dump_canonical(const json_t *root, char **out, size_t *outlen)
{
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s == NULL)
        return TAMGA_ERR_NOMEM;
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (t == NULL) {
        free(s);
        return TAMGA_ERR_NOMEM;
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    *out = t;
    *outlen = n + 1;
    return TAMGA_OK;
}

int tamga_manifest_to_json(const tamga_manifest *m, char **out, size_t *outlen)
{
    *out = NULL;
    if (outlen != NULL)
        *outlen = 0;
    builder b = {0};
    json_t *root = build(m, &b);
    if (root == NULL) {
        if (b.bad)
            return tamga__fail(TAMGA_ERR_INVALID,
                               "manifest field %s is too long, not UTF-8 text or out of range",
                               b.field);
        return TAMGA_ERR_NOMEM;
    }
    char *text;
    size_t len;
    int rc = dump_canonical(root, &text, &len);
    json_decref(root);
    if (rc != TAMGA_OK)
        return rc;
    /* Every range and consistency rule lives in the parser: write only what it accepts. */
    tamga_manifest check;
    rc = tamga_manifest_parse(text, len, &check);
    if (rc != TAMGA_OK) {
        free(text);
        if (rc == TAMGA_ERR_NOMEM)
            return rc;
        char d[512];
        snprintf(d, sizeof d, "%s", tamga_error_detail());
        return tamga__fail(TAMGA_ERR_INVALID, "cannot write this manifest: %s", d);
    }
    tamga_manifest_clear(&check);
    *out = text;
    if (outlen != NULL)
        *outlen = len;
    return TAMGA_OK;
}

/* ---- parsing ---- */

/* obj must be an object holding exactly `keys`. */
static int want_keys(const json_t *obj, const char *const *keys, size_t n, const char *name)
{
    if (!json_is_object(obj))
        return tamga__fail(TAMGA_ERR_FORMAT, WHAT ": \"%s\" is missing or not an object", name);
    for (size_t i = 0; i < n; i++)
        if (json_object_get(obj, keys[i]) == NULL)
            return tamga__fail(TAMGA_ERR_FORMAT, WHAT ": field \"%s\" is missing in \"%s\"",
                               keys[i], name);
    if (json_object_size(obj) != n) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)obj, k, v)
        {
            int known = 0;
            for (size_t i = 0; i < n; i++)
                known |= strcmp(k, keys[i]) == 0;
            if (!known)
                return tamga__fail(TAMGA_ERR_FORMAT, WHAT ": unknown field \"%s\" in \"%s\"", k,
                                   name);
        }
    }
    return TAMGA_OK;
}

static int get_int(const json_t *o, const char *k, const char *name, int64_t min, int64_t max,
                   int64_t *out)
{
    const json_t *v = json_object_get(o, k);
    if (!json_is_integer(v))
        return tamga__fail(TAMGA_ERR_FORMAT, WHAT ": %s.%s is not an integer", name, k);
    int64_t x = (int64_t)json_integer_value(v);
    if (x < min || x > max)
        return tamga__fail(TAMGA_ERR_FORMAT,
                           WHAT ": %s.%s = %" PRId64 " is outside %" PRId64 "..%" PRId64, name, k,
                           x, min, max);
    *out = x;
    return TAMGA_OK;
}

/* A text field copied into dst[cap]; longer text is an error, never truncated. */
static int get_text(const json_t *o, const char *k, const char *name, char *dst, size_t cap,
                    size_t minlen, const char **sv)
{
    const json_t *v = json_object_get(o, k);
    if (!json_is_string(v))
        return tamga__fail(TAMGA_ERR_FORMAT, WHAT ": %s.%s is not a string", name, k);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n >= cap || n < minlen)
        return tamga__fail(TAMGA_ERR_FORMAT, WHAT ": %s.%s must be %zu..%zu bytes", name, k, minlen,
                           cap - 1);
    if (!text_ok(s, n))
        return tamga__fail(TAMGA_ERR_FORMAT, WHAT ": %s.%s holds control characters", name, k);
    memcpy(dst, s, n);
    dst[n] = '\0';
    if (sv != NULL)
        *sv = s;
    return TAMGA_OK;
}

/* Lower-case hex of exactly n bytes; with nullable, JSON null gives *present = 0. */
static int get_hex(const json_t *o, const char *k, const char *name, uint8_t *out, size_t n,
                   int nullable, int *present)
{
    const json_t *v = json_object_get(o, k);
    if (nullable && json_is_null(v)) {
        *present = 0;
        return TAMGA_OK;
    }
    if (!json_is_string(v))
        return tamga__fail(TAMGA_ERR_FORMAT, WHAT ": %s.%s is not a string%s", name, k,
                           nullable ? " or null" : "");
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return tamga__fail(TAMGA_ERR_FORMAT, WHAT ": %s.%s is not lower-case hex", name, k);
    if (len != 2 * n || tamga_hex_decode(s, len, out, n) != TAMGA_OK)
        return tamga__fail(TAMGA_ERR_FORMAT, WHAT ": %s.%s must be %zu hex digits", name, k, 2 * n);
    if (present != NULL)
        *present = 1;
    return TAMGA_OK;
}

static int one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return 1;
    return 0;
}

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))
#define TRY(x)                                                                                     \
    do {                                                                                           \
        rc = (x);                                                                                  \
        if (rc != TAMGA_OK)                                                                        \
            goto done;                                                                             \
    } while (0)
#define BAD(...)                                                                                   \
    do {                                                                                           \
        rc = tamga__fail(TAMGA_ERR_FORMAT, WHAT ": " __VA_ARGS__);                                 \
        goto done;                                                                                 \
    } while (0)

static const char *const k_root[] = {
    "format",    "version", "case",    "recording", "signer",           "chain",
    "time",      "audio",   "source",  "status",    "encrypted_file",   "audio_stream",
    "overflows", "public",  "markers", "pauses",    "private_metadata", "custody_head",
    "software"};
static const char *const k_signer[] = {"key_id", "public_key"};
static const char *const k_chain[] = {"seq", "previous_manifest_sha256"};
static const char *const k_time[] = {"started", "ended", "duration_ms"};
static const char *const k_audio[] = {"codec",    "container", "sample_rate",       "input_rate",
                                      "channels", "bitrate",   "frame_duration_us", "complexity"};
static const char *const k_source[] = {"kind", "name",   "format",
                                       "size", "sha256", "original_stored"};
static const char *const k_file[] = {"name", "size", "sha256"};
static const char *const k_stream[] = {"size", "sha256"};
static const char *const k_public[] = {"title", "language", "consent", "embargo"};
static const char *const k_marker[] = {"at_ms"};
static const char *const k_pause[] = {"start_ms", "end_ms"};
static const char *const k_private[] = {"name", "sha256"};
static const char *const k_head[] = {"seq", "sha256"};

static const char *const e_kind[] = {"file", "device"};
static const char *const e_status[] = {"complete", "interrupted"};
static const char *const e_consent[] = {"public", "anonymised", "internal"};

static int parse_fields(const json_t *root, tamga_manifest *m)
{
    int rc;
    int64_t x;
    const char *s;
    int present;
    char rec_hex[TAMGA_ID_HEX_LEN + 1];

    /* format and version come first: an unknown version is reported as such,
     * whatever else it holds. */
    const json_t *fmt = json_object_get(root, "format");
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), TAMGA_MANIFEST_FORMAT) != 0)
        return tamga__fail(TAMGA_ERR_FORMAT, "not a tamga manifest (\"format\" is not \"%s\")",
                           TAMGA_MANIFEST_FORMAT);
    const json_t *ver = json_object_get(root, "version");
    if (!json_is_integer(ver))
        return tamga__fail(TAMGA_ERR_FORMAT, WHAT ": \"version\" is missing or not an integer");
    if (json_integer_value(ver) != TAMGA_MANIFEST_VERSION)
        return tamga__fail(TAMGA_ERR_UNSUPPORTED, WHAT " version %lld is not supported",
                           (long long)json_integer_value(ver));
    TRY(want_keys(root, k_root, NKEYS(k_root), "manifest"));

    TRY(get_hex(root, "case", "manifest", m->case_id, TAMGA_ID_BYTES, 0, NULL));
    TRY(get_hex(root, "recording", "manifest", m->recording_id, TAMGA_ID_BYTES, 0, NULL));
    tamga_hex_encode(m->recording_id, TAMGA_ID_BYTES, rec_hex);

    const json_t *o = json_object_get(root, "signer");
    TRY(want_keys(o, k_signer, NKEYS(k_signer), "signer"));
    {
        const json_t *kv = json_object_get(o, "key_id");
        const json_t *pv = json_object_get(o, "public_key");
        uint8_t kn[TAMGA_KEYNUM_BYTES], inner[TAMGA_KEYNUM_BYTES];
        if (!json_is_string(kv) ||
            !tamga__keyid_unhex(json_string_value(kv), json_string_length(kv), kn))
            BAD("signer.key_id is not 16 upper-case hex digits");
        if (!json_is_string(pv) || strlen(json_string_value(pv)) != json_string_length(pv) ||
            tamga__pk_blob_parse(json_string_value(pv), inner, m->signer_pk) != TAMGA_OK)
            BAD("signer.public_key is not a minisign Ed25519 public key");
        if (memcmp(inner, kn, TAMGA_KEYNUM_BYTES) != 0)
            BAD("signer.key_id does not match the key id inside signer.public_key");
        memcpy(m->signer_keynum, kn, TAMGA_KEYNUM_BYTES);
    }

    o = json_object_get(root, "chain");
    TRY(want_keys(o, k_chain, NKEYS(k_chain), "chain"));
    TRY(get_int(o, "seq", "chain", 1, TAMGA__JSON_INT_MAX, &x));
    m->seq = (uint64_t)x;
    TRY(get_hex(o, "previous_manifest_sha256", "chain", m->prev_sha256, TAMGA_SHA256_BYTES, 1,
                &present));
    m->has_prev = present;
    if ((m->seq == 1) != !m->has_prev)
        BAD("chain.previous_manifest_sha256 must be null exactly when chain.seq is 1");

    o = json_object_get(root, "time");
    TRY(want_keys(o, k_time, NKEYS(k_time), "time"));
    TRY(get_text(o, "started", "time", m->started, sizeof m->started, 0, &s));
    if (!tamga__utc_valid(s, strlen(s)))
        BAD("time.started is not a UTC time YYYY-MM-DDTHH:MM:SS.mmmZ");
    TRY(get_text(o, "ended", "time", m->ended, sizeof m->ended, 0, &s));
    if (!tamga__utc_valid(s, strlen(s)))
        BAD("time.ended is not a UTC time YYYY-MM-DDTHH:MM:SS.mmmZ");
    TRY(get_int(o, "duration_ms", "time", 0, TAMGA__JSON_INT_MAX, &m->duration_ms));

    o = json_object_get(root, "audio");
    TRY(want_keys(o, k_audio, NKEYS(k_audio), "audio"));
    TRY(get_text(o, "codec", "audio", m->codec, sizeof m->codec, 1, NULL));
    if (strcmp(m->codec, "opus") != 0) {
        rc = tamga__fail(TAMGA_ERR_UNSUPPORTED, WHAT ": audio.codec \"%s\" is not supported",
                         m->codec);
        goto done;
    }
    TRY(get_text(o, "container", "audio", m->container, sizeof m->container, 1, NULL));
    if (strcmp(m->container, "ogg") != 0) {
        rc = tamga__fail(TAMGA_ERR_UNSUPPORTED, WHAT ": audio.container \"%s\" is not supported",
                         m->container);
        goto done;
    }
    TRY(get_int(o, "sample_rate", "audio", 1, 768000, &x));
    m->sample_rate = (int32_t)x;
    TRY(get_int(o, "input_rate", "audio", 1, 768000, &x));
    m->input_rate = (int32_t)x;
    TRY(get_int(o, "channels", "audio", 1, 255, &x));
    m->channels = (int32_t)x;
    TRY(get_int(o, "bitrate", "audio", 1, 10000000, &x));
    m->bitrate = (int32_t)x;
    TRY(get_int(o, "frame_duration_us", "audio", 2500, 120000, &x));
    if (!frame_us_ok(x))
        BAD("audio.frame_duration_us %" PRId64 " is not an Opus frame duration", x);
    m->frame_ms10 = (int32_t)(x / 100);
    TRY(get_int(o, "complexity", "audio", 0, 10, &x));
    m->complexity = (int32_t)x;

    o = json_object_get(root, "source");
    TRY(want_keys(o, k_source, NKEYS(k_source), "source"));
    TRY(get_text(o, "kind", "source", m->source_kind, sizeof m->source_kind, 1, NULL));
    if (!one_of(m->source_kind, e_kind, NKEYS(e_kind)))
        BAD("source.kind must be \"file\" or \"device\"");
    TRY(get_text(o, "name", "source", m->source_name, sizeof m->source_name, 0, NULL));
    TRY(get_text(o, "format", "source", m->source_format, sizeof m->source_format, 0, NULL));
    TRY(get_int(o, "size", "source", 0, TAMGA__JSON_INT_MAX, &x));
    m->source_size = (uint64_t)x;
    TRY(get_hex(o, "sha256", "source", m->source_sha256, TAMGA_SHA256_BYTES, 1, &present));
    m->has_source_hash = present;
    if (!json_is_boolean(json_object_get(o, "original_stored")))
        BAD("source.original_stored is not true or false");
    m->original_stored = json_is_true(json_object_get(o, "original_stored"));

    TRY(get_text(root, "status", "manifest", m->status, sizeof m->status, 1, NULL));
    if (!one_of(m->status, e_status, NKEYS(e_status)))
        BAD("status must be \"complete\" or \"interrupted\"");

    o = json_object_get(root, "encrypted_file");
    TRY(want_keys(o, k_file, NKEYS(k_file), "encrypted_file"));
    TRY(get_text(o, "name", "encrypted_file", m->file_name, sizeof m->file_name, 1, NULL));
    if (strlen(m->file_name) != TAMGA_ID_HEX_LEN + 6 ||
        memcmp(m->file_name, rec_hex, TAMGA_ID_HEX_LEN) != 0 ||
        strcmp(m->file_name + TAMGA_ID_HEX_LEN, ".tamga") != 0)
        BAD("encrypted_file.name must be \"<recording>.tamga\"");
    TRY(get_int(o, "size", "encrypted_file", 0, TAMGA__JSON_INT_MAX, &x));
    m->file_size = (uint64_t)x;
    TRY(get_hex(o, "sha256", "encrypted_file", m->file_sha256, TAMGA_SHA256_BYTES, 0, NULL));

    o = json_object_get(root, "audio_stream");
    TRY(want_keys(o, k_stream, NKEYS(k_stream), "audio_stream"));
    TRY(get_int(o, "size", "audio_stream", 0, TAMGA__JSON_INT_MAX, &x));
    m->audio_size = (uint64_t)x;
    TRY(get_hex(o, "sha256", "audio_stream", m->audio_sha256, TAMGA_SHA256_BYTES, 0, NULL));

    TRY(get_int(root, "overflows", "manifest", 0, TAMGA__JSON_INT_MAX, &x));
    m->overflows = (uint64_t)x;

    o = json_object_get(root, "public");
    TRY(want_keys(o, k_public, NKEYS(k_public), "public"));
    TRY(get_text(o, "title", "public", m->title, sizeof m->title, 0, NULL));
    TRY(get_text(o, "language", "public", m->language, sizeof m->language, 0, &s));
    if (!language_ok(s, strlen(s)))
        BAD("public.language is not a BCP 47 tag (letters, digits, '-')");
    TRY(get_text(o, "consent", "public", m->consent, sizeof m->consent, 1, NULL));
    if (!one_of(m->consent, e_consent, NKEYS(e_consent)))
        BAD("public.consent must be \"public\", \"anonymised\" or \"internal\"");
    if (!json_is_null(json_object_get(o, "embargo"))) {
        TRY(get_text(o, "embargo", "public", m->embargo, sizeof m->embargo, 0, &s));
        if (!tamga__date_valid(s, strlen(s)))
            BAD("public.embargo is not a date YYYY-MM-DD or null");
    }

    const json_t *arr = json_object_get(root, "markers");
    if (!json_is_array(arr))
        BAD("markers is not an array");
    if (json_array_size(arr) > TAMGA_MANIFEST_MAX_MARKERS)
        BAD("more than %d markers", TAMGA_MANIFEST_MAX_MARKERS);
    if (json_array_size(arr) > 0) {
        m->markers = calloc(json_array_size(arr), sizeof *m->markers);
        if (m->markers == NULL)
            return TAMGA_ERR_NOMEM;
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        o = json_array_get(arr, i);
        TRY(want_keys(o, k_marker, NKEYS(k_marker), "markers[]"));
        TRY(get_int(o, "at_ms", "markers[]", 0, TAMGA__JSON_INT_MAX, &x));
        m->markers[i].start_ms = x;
        m->markers[i].end_ms = x;
        m->n_markers = i + 1;
    }

    arr = json_object_get(root, "pauses");
    if (!json_is_array(arr))
        BAD("pauses is not an array");
    if (json_array_size(arr) > TAMGA_MANIFEST_MAX_PAUSES)
        BAD("more than %d pauses", TAMGA_MANIFEST_MAX_PAUSES);
    if (json_array_size(arr) > 0) {
        m->pauses = calloc(json_array_size(arr), sizeof *m->pauses);
        if (m->pauses == NULL)
            return TAMGA_ERR_NOMEM;
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        o = json_array_get(arr, i);
        TRY(want_keys(o, k_pause, NKEYS(k_pause), "pauses[]"));
        TRY(get_int(o, "start_ms", "pauses[]", 0, TAMGA__JSON_INT_MAX, &m->pauses[i].start_ms));
        TRY(get_int(o, "end_ms", "pauses[]", 0, TAMGA__JSON_INT_MAX, &m->pauses[i].end_ms));
        if (m->pauses[i].end_ms < m->pauses[i].start_ms)
            BAD("pauses[%zu] ends before it starts", i);
        m->n_pauses = i + 1;
    }

    o = json_object_get(root, "private_metadata");
    if (!json_is_null(o)) {
        TRY(want_keys(o, k_private, NKEYS(k_private), "private_metadata"));
        TRY(get_text(o, "name", "private_metadata", m->private_name, sizeof m->private_name, 1,
                     NULL));
        if (strlen(m->private_name) != TAMGA_ID_HEX_LEN + 8 ||
            memcmp(m->private_name, rec_hex, TAMGA_ID_HEX_LEN) != 0 ||
            strcmp(m->private_name + TAMGA_ID_HEX_LEN, ".private") != 0)
            BAD("private_metadata.name must be \"<recording>.private\"");
        TRY(get_hex(o, "sha256", "private_metadata", m->private_sha256, TAMGA_SHA256_BYTES, 0,
                    NULL));
        m->has_private = 1;
    }

    o = json_object_get(root, "custody_head");
    TRY(want_keys(o, k_head, NKEYS(k_head), "custody_head"));
    TRY(get_int(o, "seq", "custody_head", 0, TAMGA_CUSTODY_MAX_ENTRIES, &x));
    m->custody_seq = (uint64_t)x;
    TRY(get_hex(o, "sha256", "custody_head", m->custody_sha256, TAMGA_SHA256_BYTES, 0, NULL));

    TRY(get_text(root, "software", "manifest", m->software, sizeof m->software, 1, NULL));
    rc = TAMGA_OK;
done:
    return rc;
}

int tamga_manifest_parse(const char *text, size_t len, tamga_manifest *out)
{
    memset(out, 0, sizeof *out);
    if (len > TAMGA_MANIFEST_MAX_FILE)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, WHAT " is larger than %u bytes",
                           TAMGA_MANIFEST_MAX_FILE);
    json_t *root = tamga_json_parse_strict(text, len, WHAT);
    if (root == NULL)
        return TAMGA_ERR_FORMAT;
    int rc = parse_fields(root, out);
    json_decref(root);
    if (rc == TAMGA_OK) {
        /* Only the canonical spelling of these values is a manifest. */
        builder b = {0};
        json_t *again = build(out, &b);
        char *canon = NULL;
        size_t clen = 0;
        if (again == NULL)
            rc = b.bad ? tamga__fail(TAMGA_ERR_FORMAT, WHAT ": field %s cannot be represented",
                                     b.field)
                       : TAMGA_ERR_NOMEM;
        else
            rc = dump_canonical(again, &canon, &clen);
        json_decref(again);
        if (rc == TAMGA_OK && (clen != len || memcmp(canon, text, len) != 0)) {
            size_t at = 0;
            while (at < len && at < clen && canon[at] == text[at])
                at++;
            rc = tamga__fail(TAMGA_ERR_FORMAT,
                             WHAT " is not in canonical form (first difference at byte %zu)", at);
        }
        free(canon);
    }
    if (rc != TAMGA_OK) {
        tamga_manifest_clear(out);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

void tamga_manifest_clear(tamga_manifest *m)
{
    if (m == NULL)
        return;
    free(m->markers);
    free(m->pauses);
    m->markers = NULL;
    m->pauses = NULL;
    m->n_markers = 0;
    m->n_pauses = 0;
}
