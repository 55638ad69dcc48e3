/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sealing a recording from an audio file, decrypting it back, and reading its
 * private metadata. The live recorder (later) reuses the same sealing steps. */
#include "tamga/record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "build-info.h"
#include "case-internal.h"
#include "record-internal.h"
#include "tamga/audio.h"
#include "tamga/container.h"
#include "tamga/custody.h"
#include "tamga/manifest.h"
#include "tamga/minisig.h"
#include "tamga/privmeta.h"
#include "util.h"

char *tamga__recording_path(const tamga_case *c, const char *id, const char *suffix)
{
    char name[128];
    snprintf(name, sizeof name, "recordings/%s%s", id, suffix);
    return tamga_path_join(tamga_case_get_dir(c), name);
}

int tamga__valid_consent(const char *s)
{
    return strcmp(s, "public") == 0 || strcmp(s, "anonymised") == 0 || strcmp(s, "internal") == 0;
}

int tamga__valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

int tamga__valid_language(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 15)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-'))
            return 0;
    }
    return 1;
}

static int valid_text(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t')
            return 0;
    return 1;
}

int tamga__find_chain_tip(const tamga_case *c, const uint8_t keynum[8], uint64_t *seq,
                          uint8_t prev_sha[32])
{
    *seq = 0;
    memset(prev_sha, 0, 32);
    char **ids;
    size_t n;
    int rc = tamga_case_list_recordings(c, &ids, &n);
    if (rc != TAMGA_OK)
        return rc;
    for (size_t i = 0; i < n && rc == TAMGA_OK; i++) {
        char *p = tamga__recording_path(c, ids[i], ".manifest.json");
        uint8_t *text = NULL;
        size_t len = 0;
        if (p == NULL) {
            rc = TAMGA_ERR_NOMEM;
            break;
        }
        int r = tamga_read_file(p, TAMGA_MANIFEST_MAX_FILE, &text, &len);
        free(p);
        if (r != TAMGA_OK)
            continue; /* a recording still being made, or damaged: verify reports it */
        tamga_manifest m;
        memset(&m, 0, sizeof m);
        if (tamga_manifest_parse((const char *)text, len, &m) == TAMGA_OK &&
            memcmp(m.signer_keynum, keynum, 8) == 0 && m.seq > *seq) {
            *seq = m.seq;
            crypto_hash_sha256(prev_sha, text, len);
        }
        tamga_manifest_clear(&m);
        free(text);
    }
    tamga_strv_free(ids, n);
    return rc;
}

/* ---- sealing from a file ---- */

typedef struct {
    tamga_rec_writer *w;
    uint64_t pages;
} sink;

static int push_audio(void *user, const uint8_t *data, size_t len)
{
    sink *s = user;
    s->pages++;
    return tamga_rec_writer_push(s->w, TAMGA_STREAM_AUDIO, data, len);
}

static int push_original(void *user, const uint8_t *data, size_t len)
{
    sink *s = user;
    return tamga_rec_writer_push(s->w, TAMGA_STREAM_ORIGINAL, data, len);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *tamga__private_json(const tamga_record_options *o, const tamga__marker *markers, size_t n)
{
    json_t *j = json_pack("{s:s, s:i}", "format", "tamga-private", "version", 1);
    if (j == NULL)
        return NULL;
    json_object_set_new(j, "interviewee",
                        o->interviewee ? json_string(o->interviewee) : json_null());
    json_object_set_new(j, "contact", o->contact ? json_string(o->contact) : json_null());
    json_object_set_new(j, "notes", o->notes ? json_string(o->notes) : json_null());
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < n; i++) {
        json_t *mk = json_pack("{s:I}", "at_ms", (json_int_t)markers[i].at_ms);
        if (mk != NULL)
            json_object_set_new(mk, "label",
                                markers[i].label ? json_string(markers[i].label) : json_null());
        json_array_append_new(arr, mk);
    }
    json_object_set_new(j, "markers", arr);
    char *text = tamga_json_dump(j);
    json_decref(j);
    return text;
}

int tamga__seal_manifest(tamga_case *c, const tamga_identity *signer, tamga_manifest *m,
                         uint8_t manifest_sha[32])
{
    const tamga_pubid *me = tamga_identity_get_public(signer);
    const char *idhex;
    char rid[TAMGA_ID_HEX_LEN + 1];
    tamga_hex_encode(m->recording_id, TAMGA_ID_BYTES, rid);
    idhex = rid;

    uint64_t tip = 0;
    uint8_t prev[32];
    int rc = tamga__find_chain_tip(c, me->keynum, &tip, prev);
    if (rc != TAMGA_OK)
        return rc;
    m->seq = tip + 1;
    m->has_prev = tip > 0;
    memcpy(m->prev_sha256, prev, 32);
    memcpy(m->signer_keynum, me->keynum, 8);
    memcpy(m->signer_pk, me->sign_pk, 32);
    rc = tamga_custody_head(tamga_case_get_dir(c), &m->custody_seq, m->custody_sha256);
    if (rc != TAMGA_OK)
        return rc;
    snprintf(m->software, sizeof m->software, "tamga %s", TAMGA_VERSION_STRING);

    char *json = NULL, *sig = NULL;
    size_t jlen = 0;
    rc = tamga_manifest_to_json(m, &json, &jlen);
    if (rc != TAMGA_OK)
        return rc;
    char comment[160];
    snprintf(comment, sizeof comment, "tamga manifest case:%s recording:%s seq:%llu",
             tamga_case_get_id_hex(c), idhex, (unsigned long long)m->seq);
    rc = tamga_minisig_sign(signer, (const uint8_t *)json, jlen, comment, &sig);
    char *mp = tamga__recording_path(c, idhex, ".manifest.json");
    char *sp = tamga__recording_path(c, idhex, ".manifest.json.minisig");
    if (rc == TAMGA_OK && (mp == NULL || sp == NULL))
        rc = TAMGA_ERR_NOMEM;
    /* The signature first: a manifest is never on disk without its signature. */
    if (rc == TAMGA_OK)
        rc = tamga_write_atomic(sp, sig, strlen(sig), 0644, 0);
    if (rc == TAMGA_OK) {
        rc = tamga_write_atomic(mp, json, jlen, 0644, 0);
        if (rc != TAMGA_OK)
            unlink(sp);
    }
    if (rc == TAMGA_OK)
        crypto_hash_sha256(manifest_sha, (const uint8_t *)json, jlen);
    free(mp);
    free(sp);
    free(json);
    free(sig);
    return rc;
}

static void remove_recording_files(tamga_case *c, const char *id)
{
    static const char *const suffixes[] = {".tamga", ".private", ".manifest.json",
                                           ".manifest.json.minisig"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char *p = tamga__recording_path(c, id, suffixes[i]);
        if (p != NULL)
            unlink(p);
        free(p);
    }
}

int tamga__record_options_check(const tamga_record_options *in, tamga_record_options *out)
{
    tamga_record_options o = *in;
    if (o.consent == NULL)
        o.consent = "internal";
    if (!tamga__valid_consent(o.consent))
        return tamga__fail(TAMGA_ERR_INVALID, "consent must be public, anonymised or internal");
    if (o.embargo != NULL && !tamga__valid_date(o.embargo))
        return tamga__fail(TAMGA_ERR_INVALID, "the embargo date must look like 2027-01-31");
    if (o.language != NULL && !tamga__valid_language(o.language))
        return tamga__fail(TAMGA_ERR_INVALID, "the language must be a code like kk, ru or ug");
    if (o.title != NULL && !valid_text(o.title, TAMGA_NAME_MAX * 2))
        return tamga__fail(TAMGA_ERR_INVALID, "the title is too long or holds control characters");
    if ((o.interviewee && !valid_text(o.interviewee, 1024)) ||
        (o.contact && !valid_text(o.contact, 4096)) || (o.notes && !valid_text(o.notes, 65536)))
        return tamga__fail(TAMGA_ERR_INVALID, "a private field is too long");
    if (o.bitrate == 0)
        o.bitrate = 32000;
    if (o.bitrate < 6000 || o.bitrate > 256000)
        return tamga__fail(TAMGA_ERR_INVALID, "the bitrate must be between 6 and 256 kbit/s");
    if (o.complexity < 0)
        o.complexity = 10;
    if (o.complexity > 10)
        return tamga__fail(TAMGA_ERR_INVALID, "the complexity must be between 0 and 10");

    *out = o;
    return TAMGA_OK;
}

int tamga_record_file(tamga_case *c, const tamga_identity *signer, const char *input_path,
                      const tamga_record_options *opts, tamga_record_result *result)
{
    memset(result, 0, sizeof *result);
    tamga_record_options o;
    if (!tamga_identity_is_unlocked(signer))
        return tamga__fail(TAMGA_ERR_LOCKED, "the identity must be unlocked to sign");
    int vrc = tamga__record_options_check(opts, &o);
    if (vrc != TAMGA_OK)
        return vrc;

    const tamga_pubid *me = tamga_identity_get_public(signer);
    uint8_t rid[TAMGA_ID_BYTES];
    tamga_random_id(rid);
    char idhex[TAMGA_ID_HEX_LEN + 1];
    tamga_hex_encode(rid, sizeof rid, idhex);

    tamga_manifest m;
    memset(&m, 0, sizeof m);
    memcpy(m.case_id, tamga_case_get_id(c), TAMGA_ID_BYTES);
    memcpy(m.recording_id, rid, TAMGA_ID_BYTES);
    tamga_utc_now(m.started, sizeof m.started);

    char *recpath = tamga__recording_path(c, idhex, ".tamga");
    char *privpath = tamga__recording_path(c, idhex, ".private");
    char *priv = tamga__private_json(&o, NULL, 0);
    tamga_rec_writer *w = NULL;
    int rc = (recpath && privpath && priv) ? TAMGA_OK : TAMGA_ERR_NOMEM;
    if (rc == TAMGA_OK)
        rc = tamga_rec_writer_open(recpath, tamga_case_get_public_key(c), m.case_id, rid, &w);
    /* Recovery leaves a recording alone while its writer holds this lock. */
    int lock_fd = -1;
    if (rc == TAMGA_OK)
        rc = tamga__lock_recording(recpath, &lock_fd);
    tamga_encode_info info;
    memset(&info, 0, sizeof info);
    if (rc == TAMGA_OK) {
        sink s = {w, 0};
        tamga_encode_params params = {o.bitrate, o.complexity};
        rc = tamga_encode_file(input_path, &params, push_audio, &s,
                               o.keep_original ? push_original : NULL, &s, &info);
    }
    if (rc == TAMGA_OK)
        rc = tamga_rec_writer_finish(w);
    tamga_rec_streams streams;
    memset(&streams, 0, sizeof streams);
    if (rc == TAMGA_OK)
        tamga_rec_writer_digest(w, m.file_sha256, &streams);
    if (rc == TAMGA_OK)
        m.file_size = tamga_rec_writer_bytes(w);
    tamga_rec_writer_free(w);
    w = NULL;
    if (rc == TAMGA_OK)
        rc = tamga_privmeta_write(privpath, tamga_case_get_public_key(c), m.case_id, rid, priv,
                                  strlen(priv));
    if (rc == TAMGA_OK) {
        uint64_t psize;
        rc = tamga_sha256_file(privpath, m.private_sha256, &psize);
        m.has_private = 1;
        snprintf(m.private_name, sizeof m.private_name, "%s.private", idhex);
    }
    if (rc == TAMGA_OK)
        rc = tamga_case_register_signer(c, me);
    /* For a file, the conversion happens before anything is logged, so a failed
     * conversion leaves no trace; the started event carries the real start time. */
    if (rc == TAMGA_OK) {
        json_t *sj = json_pack("{s:s, s:s, s:s}", "recording", idhex, "source", "file", "started",
                               m.started);
        char *st = sj ? tamga_json_dump(sj) : NULL;
        json_decref(sj);
        rc = st ? tamga_case_log_event(c, signer, TAMGA_EVENT_RECORDING_STARTED, st)
                : TAMGA_ERR_NOMEM;
        free(st);
    }
    if (rc == TAMGA_OK) {
        tamga_utc_now(m.ended, sizeof m.ended);
        m.duration_ms = info.duration_ms;
        snprintf(m.codec, sizeof m.codec, "opus");
        snprintf(m.container, sizeof m.container, "ogg");
        m.sample_rate = info.output_rate;
        m.input_rate = info.input_rate;
        m.channels = info.channels;
        m.bitrate = info.bitrate;
        m.frame_ms10 = info.frame_ms10;
        m.complexity = info.complexity;
        snprintf(m.source_kind, sizeof m.source_kind, "file");
        snprintf(m.source_name, sizeof m.source_name, "%s", base_name(input_path));
        snprintf(m.source_format, sizeof m.source_format, "%s", info.format);
        m.has_source_hash = 1;
        memcpy(m.source_sha256, info.input_sha256, 32);
        m.source_size = info.input_size;
        m.original_stored = o.keep_original != 0;
        snprintf(m.status, sizeof m.status, "complete");
        snprintf(m.file_name, sizeof m.file_name, "%s.tamga", idhex);
        m.audio_size = streams.plain_bytes[TAMGA_STREAM_AUDIO];
        memcpy(m.audio_sha256, streams.plain_sha256[TAMGA_STREAM_AUDIO], 32);
        snprintf(m.title, sizeof m.title, "%s", o.title ? o.title : "");
        snprintf(m.language, sizeof m.language, "%s", o.language ? o.language : "");
        snprintf(m.consent, sizeof m.consent, "%s", o.consent);
        snprintf(m.embargo, sizeof m.embargo, "%s", o.embargo ? o.embargo : "");
        rc = tamga__seal_manifest(c, signer, &m, result->manifest_sha256);
    }
    if (rc == TAMGA_OK) {
        char msha[65], fsha[65];
        tamga_hex_encode(result->manifest_sha256, 32, msha);
        tamga_hex_encode(m.file_sha256, 32, fsha);
        json_t *sj = json_pack("{s:s, s:s, s:s, s:s}", "recording", idhex, "status", "complete",
                               "manifest_sha256", msha, "file_sha256", fsha);
        char *st = sj ? tamga_json_dump(sj) : NULL;
        json_decref(sj);
        rc = st ? tamga_case_log_event(c, signer, TAMGA_EVENT_RECORDING_SEALED, st)
                : TAMGA_ERR_NOMEM;
        free(st);
    }
    if (rc == TAMGA_OK) {
        memcpy(result->recording_id, idhex, sizeof idhex);
        result->duration_ms = m.duration_ms;
        result->file_size = m.file_size;
        result->audio_size = m.audio_size;
    } else if (recpath != NULL) {
        int saved = rc;
        char detail[512];
        snprintf(detail, sizeof detail, "%s", tamga_error_detail());
        remove_recording_files(c, idhex);
        tamga__fail(saved, "%s", detail);
    }
    if (lock_fd >= 0)
        close(lock_fd);
    if (priv != NULL) {
        sodium_memzero(priv, strlen(priv));
        free(priv);
    }
    free(recpath);
    free(privpath);
    tamga_manifest_clear(&m);
    return rc;
}

/* ---- reading back ---- */

int tamga__load_manifest(const tamga_case *c, const char *id, tamga_manifest *m)
{
    memset(m, 0, sizeof *m);
    char *p = tamga__recording_path(c, id, ".manifest.json");
    char *sp = tamga__recording_path(c, id, ".manifest.json.minisig");
    uint8_t *text = NULL, *sigtext = NULL;
    size_t len = 0, siglen = 0;
    int rc = p && sp ? tamga_read_file(p, TAMGA_MANIFEST_MAX_FILE, &text, &len) : TAMGA_ERR_NOMEM;
    if (rc == TAMGA_OK)
        rc = tamga_manifest_parse((const char *)text, len, m);
    /* Audio is only ever played or written out against a manifest signed by a
     * key of this case: a forged manifest (and audio sealed to the public case
     * key to match it) is refused here, not only by `tamga verify`. */
    if (rc == TAMGA_OK) {
        tamga_minisig sig;
        uint8_t pk[TAMGA_SIGN_PK_BYTES];
        if (tamga_read_file(sp, TAMGA_MINISIG_MAX_FILE, &sigtext, &siglen) != TAMGA_OK ||
            tamga_minisig_parse((const char *)sigtext, siglen, &sig) != TAMGA_OK ||
            tamga_case_signer_key(c, m->signer_keynum, pk) != TAMGA_OK ||
            tamga_minisig_verify(&sig, text, len, m->signer_keynum, pk) != TAMGA_OK)
            rc = tamga__fail(TAMGA_ERR_AUTH,
                             "the manifest of recording %.12s is not signed by a key of this "
                             "case (run tamga verify)",
                             id);
    }
    if (rc != TAMGA_OK)
        tamga_manifest_clear(m);
    free(text);
    free(sigtext);
    free(p);
    free(sp);
    return rc;
}

int tamga_recording_decrypt(tamga_case *c, const tamga_identity *id, const char *recording_id,
                            const char *out_path)
{
    if (tamga_file_exists(out_path))
        return tamga__fail(TAMGA_ERR_EXISTS, "%s already exists: not overwriting it", out_path);
    tamga_manifest m;
    int rc = tamga__load_manifest(c, recording_id, &m);
    if (rc != TAMGA_OK)
        return rc;
    uint8_t *sk = NULL;
    rc = tamga_case_unlock_key(c, id, &sk);
    if (rc != TAMGA_OK) {
        tamga_manifest_clear(&m);
        return rc;
    }
    char *recpath = tamga__recording_path(c, recording_id, ".tamga");
    tamga_rec_reader *r = NULL;
    if (recpath == NULL)
        rc = TAMGA_ERR_NOMEM;
    if (rc == TAMGA_OK)
        rc = tamga_rec_reader_open(recpath, tamga_case_get_public_key(c), sk, &r);
    sodium_free(sk);
    free(recpath);

    /* Write to a hidden temp file beside the output; link into place only once the
     * plaintext hash matches the signed manifest. */
    char *tmp = NULL;
    int fd = -1;
    if (rc == TAMGA_OK) {
        size_t n = strlen(out_path) + 16;
        tmp = malloc(n);
        if (tmp == NULL)
            rc = TAMGA_ERR_NOMEM;
        else {
            snprintf(tmp, n, "%s.tmp-XXXXXX", out_path);
            fd = mkstemp(tmp);
            if (fd < 0)
                rc = tamga__errno_fail("cannot create", out_path);
            else
                (void)fchmod(fd, 0600);
        }
    }
    crypto_hash_sha256_state hs;
    crypto_hash_sha256_init(&hs);
    uint64_t total = 0;
    while (rc == TAMGA_OK) {
        tamga_stream_id sid;
        const uint8_t *data;
        size_t len;
        int got = tamga_rec_reader_next(r, &sid, &data, &len);
        if (got < 0) {
            rc = got;
            break;
        }
        if (got == 0)
            break;
        if (sid != TAMGA_STREAM_AUDIO)
            continue;
        crypto_hash_sha256_update(&hs, data, len);
        total += len;
        while (len > 0) {
            ssize_t wr = write(fd, data, len);
            if (wr < 0 && errno == EINTR)
                continue;
            if (wr < 0) {
                rc = tamga__errno_fail("cannot write", out_path);
                break;
            }
            data += wr;
            len -= (size_t)wr;
        }
    }
    if (rc == TAMGA_OK) {
        uint64_t off = 0;
        tamga_rec_status st = tamga_rec_reader_status(r, &off);
        if (st == TAMGA_REC_CORRUPT)
            rc = tamga__fail(TAMGA_ERR_AUTH, "the recording is damaged or altered at byte %llu",
                             (unsigned long long)off);
    }
    if (rc == TAMGA_OK) {
        uint8_t h[32];
        crypto_hash_sha256_final(&hs, h);
        if (total != m.audio_size || sodium_memcmp(h, m.audio_sha256, 32) != 0)
            rc = tamga__fail(TAMGA_ERR_AUTH,
                             "the decrypted audio does not match its signed manifest");
    }
    if (rc == TAMGA_OK && fsync(fd) != 0)
        rc = tamga__errno_fail("cannot write", out_path);
    if (fd >= 0 && close(fd) != 0 && rc == TAMGA_OK)
        rc = tamga__errno_fail("cannot write", out_path);
    if (rc == TAMGA_OK && link(tmp, out_path) != 0)
        rc = tamga__errno_fail("cannot create", out_path);
    if (tmp != NULL) {
        unlink(tmp);
        free(tmp);
    }
    tamga_rec_reader_free(r);
    if (rc == TAMGA_OK) {
        char hex[65];
        tamga_hex_encode(m.audio_sha256, 32, hex);
        json_t *sj = json_pack("{s:s, s:s, s:s}", "recording", recording_id, "output", "ogg-opus",
                               "sha256", hex);
        char *st = sj ? tamga_json_dump(sj) : NULL;
        json_decref(sj);
        rc = st ? tamga_case_log_event(c, id, TAMGA_EVENT_DECRYPTED, st) : TAMGA_ERR_NOMEM;
        free(st);
    }
    tamga_manifest_clear(&m);
    return rc;
}

int tamga_recording_private(tamga_case *c, const tamga_identity *id, const char *recording_id,
                            char **json, size_t *len)
{
    *json = NULL;
    *len = 0;
    uint8_t *sk = NULL;
    int rc = tamga_case_unlock_key(c, id, &sk);
    if (rc != TAMGA_OK)
        return rc;
    char *p = tamga__recording_path(c, recording_id, ".private");
    uint8_t *data = NULL;
    size_t dlen = 0;
    rc = p ? tamga_read_file(p, TAMGA_PRIVMETA_MAX_PLAIN + 4096, &data, &dlen) : TAMGA_ERR_NOMEM;
    free(p);
    uint8_t rid[TAMGA_ID_BYTES];
    if (rc == TAMGA_OK)
        rc = tamga_hex_decode(recording_id, strlen(recording_id), rid, sizeof rid);
    if (rc == TAMGA_OK)
        rc = tamga_privmeta_open(data, dlen, tamga_case_get_public_key(c), sk, tamga_case_get_id(c),
                                 rid, json, len);
    free(data);
    sodium_free(sk);
    return rc;
}
