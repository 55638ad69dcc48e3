/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Verification of cases, recordings and manifests. Every problem with the
 * evidence becomes a failed check in the report; only a path that cannot be
 * read at all is an error. */
#include "tamga/verify.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audio-internal.h"
#include "bundle-internal.h"
#include "case-internal.h"
#include "record-internal.h"
#include "report-internal.h"
#include "trust-internal.h"
#include "tamga/audio.h"
#include "tamga/case.h"
#include "tamga/container.h"
#include "tamga/custody.h"
#include "tamga/manifest.h"
#include "tamga/minisig.h"
#include "tamga/privmeta.h"
#include "util.h"

#define PASS TAMGA_CHECK_PASS
#define FAIL TAMGA_CHECK_FAIL
#define WARN TAMGA_CHECK_WARN
#define INFO TAMGA_CHECK_INFO

/* What one recording contributed, for the chain and custody cross-checks. */
typedef struct {
    char id[TAMGA_ID_HEX_LEN + 1];
    int manifest_ok; /* parsed and signature verified */
    tamga_manifest m;
    uint8_t manifest_sha[32];
} rec_summary;

typedef struct {
    tamga_report *r;
    tamga_case *c;
    const tamga_identity *id;
    unsigned flags;
    tamga_custody_log log;
    int log_ok;
    uint8_t *case_sk; /* when decrypting */
    int key_state;    /* 0 untried, 1 unlocked, -1 not a keyholder */
} ctx;

static const char *detail_or(const char *fallback)
{
    const char *d = tamga_error_detail();
    return d[0] ? d : fallback;
}

static void short_id(const char *hex, char out[13])
{
    snprintf(out, 13, "%.12s", hex);
}

static void fmt_duration(int64_t ms, char *out, size_t n)
{
    int64_t s = ms / 1000;
    if (s >= 3600)
        snprintf(out, n, "%lld h %02lld min %02lld s", (long long)(s / 3600),
                 (long long)(s / 60 % 60), (long long)(s % 60));
    else if (s >= 60)
        snprintf(out, n, "%lld min %02lld s", (long long)(s / 60), (long long)(s % 60));
    else
        snprintf(out, n, "%lld.%01lld s", (long long)s, (long long)(ms % 1000 / 100));
}

/* ---- case description ---- */

static int check_case(ctx *x, const char *dir)
{
    int sig_ok = 0;
    tamga__clear_detail();
    int rc = tamga_case_open_dir_unchecked(dir, &x->c, &sig_ok);
    if (rc == TAMGA_ERR_NOT_FOUND || rc == TAMGA_ERR_NOMEM)
        return rc;
    if (rc != TAMGA_OK) {
        /* TRANSLATORS: the verification report (`tamga verify`, the app's
         * checklist) shows each check as "SUBJECT: MESSAGE", so messages go
         * on from the subject (several start in lower case). "case.json" is
         * a file name: keep it as it is. A %s after a colon is a technical
         * detail, in English. */
        tamga__report_add(x->r, FAIL, N_("case.json"), "cannot be read as a case description: %s",
                          detail_or(tamga_strerror(rc)));
        return TAMGA_OK;
    }
    char keyid[17];
    tamga_keyid_format(tamga_case_get_creator_keynum(x->c), keyid);
    if (sig_ok)
        tamga__report_add(x->r, PASS, N_("case.json"), "case \"%s\" (%s), signed by its creator %s",
                          tamga_case_get_title(x->c), tamga_case_get_id_hex(x->c), keyid);
    else
        tamga__report_add(x->r, FAIL, N_("case.json"),
                          "the creator's signature (%s) does not verify: the case description "
                          "was altered or its signature replaced",
                          keyid);
    return TAMGA_OK;
}

/* Every key file in signers/ must parse, name itself correctly and, for the
 * creator, agree with case.json. */
static void check_signers(ctx *x)
{
    char **ids = NULL;
    size_t n = 0;
    char *dir = tamga_path_join(tamga_case_get_dir(x->c), "signers");
    DIR *d = dir ? opendir(dir) : NULL;
    if (d == NULL) {
        tamga__report_add(x->r, FAIL, N_("signer keys"), "the signers folder is missing");
        free(dir);
        return;
    }
    size_t count = 0, bad = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        count++;
        uint8_t named[8], keynum[8], pk[32];
        char *p = tamga_path_join(dir, e->d_name);
        uint8_t *text = NULL;
        size_t len = 0;
        int ok = p != NULL && strlen(e->d_name) == 20 && strcmp(e->d_name + 16, ".pub") == 0;
        if (ok) {
            char k[17];
            snprintf(k, sizeof k, "%.16s", e->d_name);
            ok = tamga_keyid_parse(k, named) == TAMGA_OK &&
                 tamga_read_file(p, 4096, &text, &len) == TAMGA_OK &&
                 tamga_minisign_pubkey_parse((const char *)text, len, keynum, pk) == TAMGA_OK &&
                 memcmp(named, keynum, 8) == 0;
        }
        if (ok && memcmp(keynum, tamga_case_get_creator_keynum(x->c), 8) == 0)
            ok = sodium_memcmp(pk, tamga_case_get_creator_pk(x->c), 32) == 0;
        if (!ok) {
            tamga__report_add(x->r, FAIL, N_("signer keys"),
                              "signers/%s is malformed or does not match the key it names",
                              e->d_name);
            bad++;
        }
        free(text);
        free(p);
    }
    closedir(d);
    free(dir);
    tamga_strv_free(ids, n);
    if (bad == 0)
        tamga__report_addn(x->r, PASS, N_("signer keys"), count, "%zu public key, each well-formed",
                           "%zu public keys, each well-formed", count);
}

/* ---- custody log ---- */

static void check_custody(ctx *x)
{
    const char *dir = tamga_case_get_dir(x->c);
    tamga__clear_detail();
    int rc = tamga_custody_load(dir, &x->log);
    if (rc != TAMGA_OK) {
        tamga__report_add_detail(x->r, FAIL, N_("custody log"), detail_or(tamga_strerror(rc)));
        return;
    }
    if (x->log.count == 0) {
        tamga__report_add(x->r, FAIL, N_("custody log"), "is empty: the case's history is missing");
        return;
    }
    size_t bad = 0;
    for (size_t i = 0; i < x->log.count; i++) {
        const tamga_custody_entry *e = &x->log.entries[i];
        char keyid[17];
        tamga__subject subject;
        /* TRANSLATORS: a report subject; %llu is the entry's number. */
        tamga__subject_set(&subject, "custody log entry %llu", (unsigned long long)e->seq);
        tamga_keyid_format(e->actor, keyid);
        uint8_t pk[TAMGA_SIGN_PK_BYTES];
        if (tamga_case_signer_key(x->c, e->actor, pk) != TAMGA_OK) {
            tamga__report_add_s(x->r, FAIL, &subject,
                                "signed by %s, whose public key is not in this case", keyid);
            bad++;
            continue;
        }
        if (tamga_custody_entry_verify(e, pk) != TAMGA_OK) {
            tamga__report_add_s(x->r, FAIL, &subject,
                                "the signature by %s does not verify: the entry was altered",
                                keyid);
            bad++;
        }
    }
    const tamga_custody_entry *first = &x->log.entries[0];
    if (strcmp(first->event, TAMGA_EVENT_CASE_CREATED) != 0 ||
        memcmp(first->actor, tamga_case_get_creator_keynum(x->c), TAMGA_KEYNUM_BYTES) != 0) {
        tamga__report_add(x->r, FAIL, N_("custody log"),
                          "does not begin with the case's creation by its creator");
        bad++;
    }
    if (bad == 0) {
        x->log_ok = 1;
        tamga__report_addn(x->r, PASS, N_("custody log"), x->log.count,
                           "%zu entry, hash chain unbroken, every entry signed by a key of "
                           "this case",
                           "%zu entries, hash chain unbroken, every entry signed by a key of "
                           "this case",
                           x->log.count);
    }
}

static void check_head(ctx *x)
{
    const char *dir = tamga_case_get_dir(x->c);
    char *hp = tamga_path_join(dir, "head.json");
    char *sp = tamga_path_join(dir, "head.json.minisig");
    uint8_t *text = NULL, *sigtext = NULL;
    size_t len = 0, siglen = 0;
    tamga_custody_headfile h;
    tamga_minisig sig;
    uint8_t pk[TAMGA_SIGN_PK_BYTES];
    tamga__clear_detail();
    if (hp == NULL || sp == NULL) {
        tamga__report_add(x->r, FAIL, N_("log head"), "out of memory");
    } else if (tamga_read_file(hp, 65536, &text, &len) != TAMGA_OK) {
        tamga__report_add(x->r, FAIL, N_("log head"),
                          "head.json is missing: the end of the custody log cannot be confirmed");
    } else if (tamga_custody_headfile_parse((const char *)text, len, &h) != TAMGA_OK) {
        tamga__report_add(x->r, FAIL, N_("log head"), "head.json is malformed: %s",
                          detail_or("unreadable"));
    } else if (tamga_read_file(sp, TAMGA_MINISIG_MAX_FILE, &sigtext, &siglen) != TAMGA_OK ||
               tamga_minisig_parse((const char *)sigtext, siglen, &sig) != TAMGA_OK ||
               tamga_case_signer_key(x->c, h.signer, pk) != TAMGA_OK ||
               tamga_minisig_verify(&sig, text, len, h.signer, pk) != TAMGA_OK) {
        tamga__report_add(x->r, FAIL, N_("log head"),
                          "the signature on head.json is missing or does not verify");
    } else if (memcmp(h.case_id, tamga_case_get_id(x->c), TAMGA_ID_BYTES) != 0) {
        tamga__report_add(x->r, FAIL, N_("log head"), "head.json belongs to another case");
    } else if (x->log.count == 0) {
        tamga__report_add(x->r, FAIL, N_("log head"),
                          "head.json names entry %llu but the custody log is empty or unreadable",
                          (unsigned long long)h.seq);
    } else {
        const tamga_custody_entry *last = &x->log.entries[x->log.count - 1];
        if (h.seq > last->seq)
            tamga__report_add(x->r, FAIL, N_("log head"),
                              "the custody log was cut off: the signed head names entry %llu, "
                              "the log ends at entry %llu",
                              (unsigned long long)h.seq, (unsigned long long)last->seq);
        else if (h.seq < last->seq && h.seq >= 1 &&
                 sodium_memcmp(h.sha256, x->log.entries[h.seq - 1].line_sha256, 32) == 0)
            /* A crash or a full disk between appending an entry and rewriting the
             * head leaves exactly this; the later entries are still signed and
             * chained, so this is worth reading but is not tampering. */
            tamga__report_add(x->r, WARN, N_("log head"),
                              "the signed head names entry %llu; entries %llu to %llu were "
                              "added after it without updating the head (a crash or a full "
                              "disk while writing); they are signed and chained",
                              (unsigned long long)h.seq, (unsigned long long)h.seq + 1,
                              (unsigned long long)last->seq);
        else if (h.seq < last->seq)
            tamga__report_add(x->r, FAIL, N_("log head"),
                              "the signed head names entry %llu, which differs from entry %llu "
                              "of the log: the history was rewritten",
                              (unsigned long long)h.seq, (unsigned long long)h.seq);
        else if (sodium_memcmp(h.sha256, last->line_sha256, 32) != 0)
            tamga__report_add(x->r, FAIL, N_("log head"),
                              "the last custody entry differs from the one the signed head names");
        else
            tamga__report_add(x->r, PASS, N_("log head"),
                              "the signed head matches the last custody entry (%llu)",
                              (unsigned long long)h.seq);
    }
    free(text);
    free(sigtext);
    free(hp);
    free(sp);
}

/* ---- recordings ---- */

typedef struct {
    tamga_rec_reader *r;
    const uint8_t *pending;
    size_t pending_len;
    int failed;
} audio_feed;

static long feed_read(void *user, uint8_t *buf, size_t len)
{
    audio_feed *f = user;
    while (f->pending_len == 0) {
        tamga_stream_id sid;
        const uint8_t *data;
        size_t n;
        int got = tamga_rec_reader_next(f->r, &sid, &data, &n);
        if (got < 0) {
            f->failed = 1;
            return -1;
        }
        if (got == 0)
            return 0;
        if (sid == TAMGA_STREAM_AUDIO) {
            f->pending = data;
            f->pending_len = n;
        }
    }
    size_t k = len < f->pending_len ? len : f->pending_len;
    memcpy(buf, f->pending, k);
    f->pending += k;
    f->pending_len -= k;
    return (long)k;
}

static void check_decrypt(ctx *x, const tamga__subject *subject, const char *recpath,
                          rec_summary *s)
{
    if (x->key_state == 0) {
        int rc = tamga_case_unlock_key(x->c, x->id, &x->case_sk);
        x->key_state = rc == TAMGA_OK ? 1 : -1;
        if (rc != TAMGA_OK && tamga_case_has_grant(x->c, tamga_identity_get_public(x->id)))
            tamga__report_add(x->r, FAIL, N_("decryption"),
                              "this identity's case key grant does not open: it was altered");
        else if (rc != TAMGA_OK)
            tamga__report_add(x->r, WARN, N_("decryption"),
                              "not done: this identity is not a keyholder of the case");
    }
    if (x->key_state != 1)
        return;
    tamga_rec_reader *r = NULL;
    tamga__clear_detail();
    int rc = tamga_rec_reader_open(recpath, tamga_case_get_public_key(x->c), x->case_sk, &r);
    if (rc != TAMGA_OK) {
        tamga__report_add_s(x->r, FAIL, subject, "cannot be decrypted with the case key: %s",
                            detail_or(tamga_strerror(rc)));
        return;
    }
    audio_feed f = {r, NULL, 0, 0};
    tamga_opus_check_info oi;
    memset(&oi, 0, sizeof oi);
    tamga__clear_detail();
    /* A recording sealed by recovery legitimately ends without its
     * end-of-stream page: every page must still be whole and intact. */
    int orc = tamga__opus_check_ex(
        feed_read, &f, strcmp(s->m.status, "interrupted") == 0 ? TAMGA_OPUS_ALLOW_TRUNCATED : 0,
        &oi);
    char odetail[512];
    snprintf(odetail, sizeof odetail, "%s", detail_or(tamga_strerror(orc)));
    /* Drain the rest so the stream totals cover everything. */
    for (;;) {
        tamga_stream_id sid;
        const uint8_t *data;
        size_t n;
        if (tamga_rec_reader_next(r, &sid, &data, &n) <= 0)
            break;
    }
    uint64_t bad_off = 0;
    tamga_rec_status st = tamga_rec_reader_status(r, &bad_off);
    tamga_rec_streams streams;
    tamga_rec_reader_streams(r, &streams);
    tamga_rec_reader_free(r);
    const tamga_manifest *m = &s->m;
    if (st == TAMGA_REC_CORRUPT) {
        tamga__report_add_s(x->r, FAIL, subject,
                            "decryption fails at byte %llu: the file was altered or damaged",
                            (unsigned long long)bad_off);
        return;
    }
    if (st == TAMGA_REC_INTERRUPTED && strcmp(m->status, "complete") == 0) {
        tamga__report_add_s(x->r, FAIL, subject,
                            "the manifest says complete but the encrypted stream has no end mark");
        return;
    }
    if (streams.plain_bytes[TAMGA_STREAM_AUDIO] != m->audio_size ||
        sodium_memcmp(streams.plain_sha256[TAMGA_STREAM_AUDIO], m->audio_sha256, 32) != 0) {
        tamga__report_add_s(x->r, FAIL, subject,
                            "the decrypted Ogg Opus stream does not match the SHA-256 in the "
                            "signed manifest");
        return;
    }
    if (m->original_stored &&
        (streams.plain_bytes[TAMGA_STREAM_ORIGINAL] != m->source_size ||
         sodium_memcmp(streams.plain_sha256[TAMGA_STREAM_ORIGINAL], m->source_sha256, 32) != 0)) {
        tamga__report_add_s(x->r, FAIL, subject,
                            "the stored original input file does not match its signed SHA-256");
        return;
    }
    if (orc != TAMGA_OK) {
        tamga__report_add_s(x->r, FAIL, subject, "the Ogg Opus stream does not decode: %s",
                            odetail);
        return;
    }
    char dur[64];
    fmt_duration(oi.duration_ms, dur, sizeof dur);
    if (m->original_stored)
        tamga__report_addn_s(x->r, PASS, subject, (unsigned long)oi.channels,
                             "decrypted in memory: the Ogg Opus stream matches its signed "
                             "SHA-256 and decodes completely (%s, %d channel); the stored "
                             "original matches too",
                             "decrypted in memory: the Ogg Opus stream matches its signed "
                             "SHA-256 and decodes completely (%s, %d channels); the stored "
                             "original matches too",
                             dur, oi.channels);
    else
        tamga__report_addn_s(x->r, PASS, subject, (unsigned long)oi.channels,
                             "decrypted in memory: the Ogg Opus stream matches its signed "
                             "SHA-256 and decodes completely (%s, %d channel)",
                             "decrypted in memory: the Ogg Opus stream matches its signed "
                             "SHA-256 and decodes completely (%s, %d channels)",
                             dur, oi.channels);

    /* Private metadata opens with the case key. */
    char *pp = tamga__recording_path(x->c, s->id, ".private");
    uint8_t *pdata = NULL;
    size_t plen = 0;
    if (m->has_private && pp != NULL &&
        tamga_read_file(pp, TAMGA_PRIVMETA_MAX_PLAIN + 4096, &pdata, &plen) == TAMGA_OK) {
        char *json = NULL;
        size_t jlen = 0;
        if (tamga_privmeta_open(pdata, plen, tamga_case_get_public_key(x->c), x->case_sk,
                                tamga_case_get_id(x->c), m->recording_id, &json,
                                &jlen) == TAMGA_OK) {
            sodium_free(json);
            tamga__report_add_s(x->r, PASS, subject, "private metadata decrypts with the case key");
        } else {
            tamga__report_add_s(x->r, FAIL, subject, "private metadata does not decrypt: %s",
                                detail_or("altered"));
        }
    }
    free(pdata);
    free(pp);
}

static void check_recording(ctx *x, rec_summary *s)
{
    char sid[13];
    tamga__subject subject;
    short_id(s->id, sid);
    /* TRANSLATORS: a report subject; %s is the start of the recording's id
     * (12 hex digits). */
    tamga__subject_set(&subject, "recording %s", sid);
    const tamga_case *c = x->c;
    char *mp = tamga__recording_path(c, s->id, ".manifest.json");
    char *sp = tamga__recording_path(c, s->id, ".manifest.json.minisig");
    char *rp = tamga__recording_path(c, s->id, ".tamga");
    char *pp = tamga__recording_path(c, s->id, ".private");
    uint8_t *text = NULL, *sigtext = NULL;
    size_t len = 0, siglen = 0;
    if (mp == NULL || sp == NULL || rp == NULL || pp == NULL) {
        tamga__report_add_s(x->r, FAIL, &subject, "out of memory");
        goto out;
    }
    tamga__clear_detail();
    int rc = tamga_read_file(mp, TAMGA_MANIFEST_MAX_FILE, &text, &len);
    if (rc != TAMGA_OK) {
        if (rc == TAMGA_ERR_NOT_FOUND)
            tamga__report_add_s(x->r, FAIL, &subject, "the manifest is missing");
        else
            tamga__report_add_s(x->r, FAIL, &subject, "the manifest cannot be read");
        goto out;
    }
    rc = tamga_manifest_parse((const char *)text, len, &s->m);
    if (rc != TAMGA_OK) {
        tamga__report_add_s(x->r, FAIL, &subject, "the manifest is malformed: %s",
                            detail_or(tamga_strerror(rc)));
        goto out;
    }
    crypto_hash_sha256(s->manifest_sha, text, len);
    tamga_manifest *m = &s->m;
    char keyid[17];
    tamga_keyid_format(m->signer_keynum, keyid);
    tamga_minisig sig;
    uint8_t known_pk[TAMGA_SIGN_PK_BYTES];
    if (tamga_read_file(sp, TAMGA_MINISIG_MAX_FILE, &sigtext, &siglen) != TAMGA_OK) {
        tamga__report_add_s(x->r, FAIL, &subject, "the manifest's signature file is missing");
        goto out;
    }
    if (tamga_minisig_parse((const char *)sigtext, siglen, &sig) != TAMGA_OK) {
        tamga__report_add_s(x->r, FAIL, &subject, "the manifest's signature file is malformed: %s",
                            detail_or("unreadable"));
        goto out;
    }
    if (tamga_minisig_verify(&sig, text, len, m->signer_keynum, m->signer_pk) != TAMGA_OK) {
        tamga__report_add_s(x->r, FAIL, &subject,
                            "the manifest's signature by %s does not verify: the manifest or its "
                            "signature was altered",
                            keyid);
        goto out;
    }
    if (tamga_case_signer_key(c, m->signer_keynum, known_pk) != TAMGA_OK ||
        sodium_memcmp(known_pk, m->signer_pk, 32) != 0) {
        tamga__report_add_s(x->r, FAIL, &subject,
                            "signed by %s, but that key is not the one recorded for this case",
                            keyid);
        goto out;
    }
    s->manifest_ok = 1;
    char dur[64];
    fmt_duration(m->duration_ms, dur, sizeof dur);
    tamga__report_add_s(x->r, PASS, &subject, "manifest signed by %s (%s, %s, started %s)", keyid,
                        dur, m->status, m->started);

    char rid[TAMGA_ID_HEX_LEN + 1];
    tamga_hex_encode(m->recording_id, TAMGA_ID_BYTES, rid);
    char expect_name[64];
    snprintf(expect_name, sizeof expect_name, "%s.tamga", s->id);
    if (memcmp(m->case_id, tamga_case_get_id(c), TAMGA_ID_BYTES) != 0 || strcmp(rid, s->id) != 0 ||
        strcmp(m->file_name, expect_name) != 0) {
        tamga__report_add_s(x->r, FAIL, &subject,
                            "the manifest belongs to another case or recording");
        goto out;
    }

    /* The encrypted file. */
    uint8_t fsha[32];
    uint64_t fsize = 0;
    tamga_rec_header hdr;
    /* (Import has just hashed a staged bundle's files for SHA256SUMS.) */
    if (!tamga__bundle_sha_memo(rp, fsha, &fsize) &&
        tamga_sha256_file(rp, fsha, &fsize) != TAMGA_OK) {
        tamga__report_add_s(x->r, FAIL, &subject, "the encrypted recording file is missing");
    } else if (fsize != m->file_size || sodium_memcmp(fsha, m->file_sha256, 32) != 0) {
        tamga__report_add_s(x->r, FAIL, &subject,
                            "the encrypted file (%llu bytes) does not match the size and SHA-256 "
                            "in the signed manifest: it was altered, truncated or replaced",
                            (unsigned long long)fsize);
    } else if (tamga_rec_read_header(rp, &hdr) != TAMGA_OK ||
               memcmp(hdr.case_id, tamga_case_get_id(c), TAMGA_ID_BYTES) != 0 ||
               memcmp(hdr.recording_id, m->recording_id, TAMGA_ID_BYTES) != 0) {
        tamga__report_add_s(x->r, FAIL, &subject,
                            "the encrypted file's header names another case or recording");
    } else {
        tamga__report_add_s(x->r, PASS, &subject,
                            "encrypted file: %llu bytes, SHA-256 matches the signed manifest",
                            (unsigned long long)fsize);
        if (x->flags & TAMGA_VERIFY_DECRYPT)
            check_decrypt(x, &subject, rp, s);
    }
    if (strcmp(m->status, "interrupted") == 0)
        tamga__report_add_s(x->r, WARN, &subject,
                            "was interrupted (crash or power loss) and recovered: %s of audio, "
                            "signed as recovered",
                            dur);

    /* Private metadata: its hash is signed. */
    if (m->has_private) {
        uint8_t psha[32];
        uint8_t *pdata = NULL;
        size_t plen = 0;
        uint8_t pcase[TAMGA_ID_BYTES], prec[TAMGA_ID_BYTES];
        if (tamga_read_file(pp, TAMGA_PRIVMETA_MAX_PLAIN + 4096, &pdata, &plen) != TAMGA_OK) {
            tamga__report_add_s(x->r, FAIL, &subject, "the private metadata file is missing");
        } else {
            crypto_hash_sha256(psha, pdata, plen);
            if (sodium_memcmp(psha, m->private_sha256, 32) != 0)
                tamga__report_add_s(x->r, FAIL, &subject,
                                    "the private metadata file does not match the SHA-256 in the "
                                    "signed manifest");
            else if (tamga_privmeta_check_header(pdata, plen, pcase, prec) != TAMGA_OK ||
                     memcmp(pcase, m->case_id, TAMGA_ID_BYTES) != 0 ||
                     memcmp(prec, m->recording_id, TAMGA_ID_BYTES) != 0)
                tamga__report_add_s(x->r, FAIL, &subject,
                                    "the private metadata file names another recording");
            else
                tamga__report_add_s(x->r, PASS, &subject,
                                    "private metadata (encrypted): SHA-256 matches the signed "
                                    "manifest");
        }
        free(pdata);
    } else if (tamga_file_exists(pp)) {
        tamga__report_add_s(x->r, FAIL, &subject,
                            "a private metadata file is present that the manifest does not name");
    }
out:
    free(text);
    free(sigtext);
    free(mp);
    free(sp);
    free(rp);
    free(pp);
}

/* ---- cross-checks ---- */

static int cmp_seq(const void *a, const void *b)
{
    const rec_summary *x = *(rec_summary *const *)a, *y = *(rec_summary *const *)b;
    return x->m.seq < y->m.seq ? -1 : x->m.seq > y->m.seq;
}

/* Appends "a" or "a-b" to a bounded list of seq numbers. */
static void gap_add(char *buf, size_t cap, uint64_t a, uint64_t b)
{
    size_t len = strlen(buf);
    if (len + 40 >= cap) {
        if (len + 4 < cap && strcmp(buf + len - (len >= 3 ? 3 : len), "...") != 0)
            snprintf(buf + len, cap - len, "...");
        return;
    }
    if (a == b)
        snprintf(buf + len, cap - len, "%s%llu", len ? ", " : "", (unsigned long long)a);
    else
        snprintf(buf + len, cap - len, "%s%llu-%llu", len ? ", " : "", (unsigned long long)a,
                 (unsigned long long)b);
}

/* In an extracted bundle folder of selected recordings, a signer's chain may
 * have gaps: those recordings are not included (INFO, naming them); links are
 * checked between recordings whose predecessor is included. Elsewhere a gap
 * is a removed recording (FAIL). */
static void check_chains(ctx *x, rec_summary *recs, size_t n)
{
    int in_bundle = tamga__bundle_is_folder(tamga_case_get_dir(x->c));
    rec_summary **order = calloc(n + 1, sizeof *order);
    int *done = calloc(n + 1, sizeof *done);
    if (order == NULL || done == NULL) {
        tamga__report_add(x->r, FAIL, N_("manifest chains"), "out of memory");
        free(order);
        free(done);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (!recs[i].manifest_ok || done[i])
            continue;
        size_t k = 0;
        for (size_t j = i; j < n; j++)
            if (recs[j].manifest_ok &&
                memcmp(recs[j].m.signer_keynum, recs[i].m.signer_keynum, 8) == 0) {
                order[k++] = &recs[j];
                done[j] = 1;
            }
        qsort(order, k, sizeof *order, cmp_seq);
        char keyid[17];
        tamga__subject subject;
        tamga_keyid_format(recs[i].m.signer_keynum, keyid);
        /* TRANSLATORS: a report subject; %s is a signer's key id. */
        tamga__subject_set(&subject, "manifest chain of %s", keyid);
        int ok = 1;
        uint64_t expect = 1;
        char gaps[200] = "";
        unsigned long missing = 0; /* recordings of this signer not in the bundle */
        for (size_t j = 0; j < k && ok; j++) {
            const tamga_manifest *m = &order[j]->m;
            if (in_bundle && m->seq > expect) {
                gap_add(gaps, sizeof gaps, expect, m->seq - 1);
                missing += (unsigned long)(m->seq - expect);
                expect = m->seq + 1; /* its predecessor is not here: no link to check */
                continue;
            }
            if (in_bundle && m->seq != expect) {
                tamga__report_add_s(x->r, FAIL, &subject,
                                    "recording number %llu appears more than once",
                                    (unsigned long long)m->seq);
                ok = 0;
            } else if (m->seq != j + 1 && !in_bundle) {
                tamga__report_add_s(x->r, FAIL, &subject,
                                    "recording number %llu is missing (the chain jumps to %llu): "
                                    "a recording was removed",
                                    (unsigned long long)(j + 1), (unsigned long long)m->seq);
                ok = 0;
            } else if (m->seq == 1 && m->has_prev) {
                tamga__report_add_s(x->r, FAIL, &subject,
                                    "the first recording names a predecessor that is missing");
                ok = 0;
            } else if (j > 0 && (!m->has_prev ||
                                 memcmp(m->prev_sha256, order[j - 1]->manifest_sha, 32) != 0)) {
                tamga__report_add_s(x->r, FAIL, &subject,
                                    "recording %llu does not link to recording %llu: a manifest "
                                    "was replaced",
                                    (unsigned long long)m->seq, (unsigned long long)(m->seq - 1));
                ok = 0;
            }
            expect = m->seq + 1;
        }
        if (ok && gaps[0] != '\0') {
            tamga__report_addn_s(x->r, PASS, &subject, k,
                                 "%zu recording included, each linked to the one before where "
                                 "that one is included too",
                                 "%zu recordings included, each linked to the one before where "
                                 "that one is included too",
                                 k);
            tamga__report_addn_s(x->r, INFO, &subject, missing,
                                 "recording number %s of this signer is not included in this "
                                 "bundle",
                                 "recording numbers %s of this signer are not included in this "
                                 "bundle",
                                 gaps);
        } else if (ok)
            tamga__report_addn_s(x->r, PASS, &subject, k,
                                 "%zu recording, each linked to the one before",
                                 "%zu recordings, each linked to the one before", k);
    }
    free(order);
    free(done);
}

/* Finds `"key":"value"` in a subject's compact JSON. */
static int subject_has(const char *subject_json, const char *key, const char *value)
{
    json_t *j = json_loads(subject_json, 0, NULL);
    int ok = 0;
    if (j != NULL) {
        json_t *v = json_object_get(j, key);
        ok = json_is_string(v) && strcmp(json_string_value(v), value) == 0;
        json_decref(j);
    }
    return ok;
}

static void check_custody_links(ctx *x, rec_summary *recs, size_t n, int all)
{
    if (!x->log_ok)
        return;
    const tamga_custody_log *log = &x->log;
    for (size_t i = 0; i < n; i++) {
        rec_summary *s = &recs[i];
        if (!s->manifest_ok)
            continue;
        char sid[13], msha[65];
        tamga__subject subject;
        short_id(s->id, sid);
        tamga__subject_set(&subject, "recording %s", sid);
        tamga_hex_encode(s->manifest_sha, 32, msha);
        const tamga_manifest *m = &s->m;
        /* Written on another machine: its custody log is kept as a branch. */
        if (tamga__branch_has_sealing(x->c, m->custody_seq, m->custody_sha256, s->id, msha,
                                      strcmp(m->status, "interrupted") == 0)) {
            tamga__report_add_s(x->r, PASS, &subject,
                                "sealing recorded in the custody branch of the machine that "
                                "recorded it");
            continue;
        }
        /* The manifest names the log head it was written after. */
        if (m->custody_seq == 0 || m->custody_seq > log->count) {
            tamga__report_add_s(x->r, FAIL, &subject,
                                "its manifest names custody entry %llu, which is not in the log "
                                "(the log was cut off)",
                                (unsigned long long)m->custody_seq);
            continue;
        }
        if (sodium_memcmp(log->entries[m->custody_seq - 1].line_sha256, m->custody_sha256, 32) !=
            0) {
            tamga__report_add_s(x->r, FAIL, &subject,
                                "custody entry %llu differs from the one its manifest names",
                                (unsigned long long)m->custody_seq);
            continue;
        }
        int sealed = 0;
        for (size_t k = m->custody_seq; k < log->count && !sealed; k++) {
            const tamga_custody_entry *e = &log->entries[k];
            /* An interrupted recording is sealed by recovery ("recovered"). */
            int sealing = strcmp(e->event, TAMGA_EVENT_RECORDING_SEALED) == 0 ||
                          (strcmp(m->status, "interrupted") == 0 &&
                           strcmp(e->event, TAMGA_EVENT_RECOVERED) == 0);
            sealed = sealing && subject_has(e->subject_json, "recording", s->id) &&
                     subject_has(e->subject_json, "manifest_sha256", msha);
        }
        if (!sealed)
            tamga__report_add_s(x->r, FAIL, &subject,
                                "the custody log has no sealing entry for this exact manifest");
        else
            tamga__report_add_s(x->r, PASS, &subject, "sealing recorded in the custody log");
    }
    if (!all)
        return;
    /* Every sealed recording in the log must still be here. */
    for (size_t k = 0; k < log->count; k++) {
        const tamga_custody_entry *e = &log->entries[k];
        if (strcmp(e->event, TAMGA_EVENT_RECORDING_SEALED) != 0 &&
            strcmp(e->event, TAMGA_EVENT_RECOVERED) != 0)
            continue;
        json_t *j = json_loads(e->subject_json, 0, NULL);
        /* A "recovered" entry without a manifest recorded an empty stub removed. */
        if (strcmp(e->event, TAMGA_EVENT_RECOVERED) == 0 &&
            json_object_get(j, "manifest_sha256") == NULL) {
            json_decref(j);
            continue;
        }
        const char *rid = j ? json_string_value(json_object_get(j, "recording")) : NULL;
        int found = 0;
        for (size_t i = 0; rid != NULL && i < n && !found; i++)
            found = strcmp(recs[i].id, rid) == 0;
        if (rid != NULL && !found) {
            char sid[13];
            tamga__subject subject;
            short_id(rid, sid);
            tamga__subject_set(&subject, "recording %s", sid);
            /* An extracted bundle may hold only some recordings. */
            if (tamga__bundle_is_folder(tamga_case_get_dir(x->c)))
                tamga__report_add_s(x->r, INFO, &subject,
                                    "not included in this bundle (per the signed index; sealed "
                                    "according to custody entry %llu)",
                                    (unsigned long long)e->seq);
            else
                tamga__report_add_s(
                    x->r, FAIL, &subject,
                    "sealed according to custody entry %llu, but its files are gone",
                    (unsigned long long)e->seq);
        }
        json_decref(j);
    }
}

/* ---- entry points ---- */

static int verify_case_dir(const char *dir, const char *only, const tamga_identity *id,
                           unsigned flags, tamga_report *r)
{
    ctx x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.id = id;
    x.flags = flags;
    int rc = check_case(&x, dir);
    if (rc != TAMGA_OK)
        return rc;
    if (x.c == NULL)
        return TAMGA_OK; /* case.json unreadable: reported */
    check_signers(&x);
    check_custody(&x);
    check_head(&x);
    tamga__verify_branches(x.c, r);
    tamga__verify_bundle_extras(dir, r);
    tamga__verify_signer_names(x.c, r);

    char **ids = NULL;
    size_t n = 0;
    if (only != NULL) {
        ids = calloc(1, sizeof *ids);
        if (ids != NULL && (ids[0] = strdup(only)) != NULL)
            n = 1;
    } else if (tamga_case_list_recordings(x.c, &ids, &n) != TAMGA_OK) {
        tamga__report_add(r, FAIL, N_("recordings"), "the recordings folder cannot be read");
    }
    rec_summary *recs = calloc(n + 1, sizeof *recs);
    if (recs == NULL) {
        tamga__report_add(r, FAIL, N_("recordings"), "out of memory");
        n = 0;
    }
    if (only == NULL)
        tamga__report_addn(r, INFO, N_("recordings"), n, "%zu in this case", "%zu in this case", n);
    for (size_t i = 0; i < n; i++) {
        snprintf(recs[i].id, sizeof recs[i].id, "%s", ids[i]);
        check_recording(&x, &recs[i]);
    }
    if (only == NULL)
        check_chains(&x, recs, n);
    check_custody_links(&x, recs, n, only == NULL);

    for (size_t i = 0; i < n; i++)
        tamga_manifest_clear(&recs[i].m);
    free(recs);
    tamga_strv_free(ids, n);
    tamga_custody_log_clear(&x.log);
    if (x.case_sk != NULL)
        sodium_free(x.case_sk);
    tamga_case_free(x.c);
    return TAMGA_OK;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int tamga_verify(const char *path, const tamga_identity *id, unsigned flags, tamga_report **out)
{
    *out = NULL;
    if ((flags & TAMGA_VERIFY_DECRYPT) && (id == NULL || !tamga_identity_is_unlocked(id)))
        return tamga__fail(TAMGA_ERR_LOCKED, "decrypting needs an unlocked identity");
    tamga_report *r = tamga__report_new();
    if (r == NULL)
        return TAMGA_ERR_NOMEM;
    int rc;
    if (tamga_is_dir(path)) {
        rc = verify_case_dir(path, NULL, id, flags, r);
    } else if (!tamga_file_exists(path)) {
        rc = tamga__fail(TAMGA_ERR_NOT_FOUND, "%s does not exist", path);
    } else {
        const char *suffix = ends_with(path, ".manifest.json") ? ".manifest.json"
                             : ends_with(path, ".tamga")       ? ".tamga"
                                                               : NULL;
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        if (suffix == NULL || strlen(base) != TAMGA_ID_HEX_LEN + strlen(suffix)) {
            rc = tamga__fail(TAMGA_ERR_FORMAT,
                             "%s is not a case folder, a .tamga recording or a .manifest.json",
                             path);
        } else {
            /* <case>/recordings/<id><suffix> */
            char *dir = strndup(path, (size_t)(base - path));
            char idhex[TAMGA_ID_HEX_LEN + 1];
            snprintf(idhex, sizeof idhex, "%.32s", base);
            char *casedir = dir ? tamga_path_join(dir, "..") : NULL;
            if (casedir == NULL)
                rc = TAMGA_ERR_NOMEM;
            else
                rc = verify_case_dir(casedir, idhex, id, flags, r);
            free(dir);
            free(casedir);
        }
    }
    if (rc == TAMGA_OK && tamga__report_oom(r))
        rc = TAMGA_ERR_NOMEM;
    if (rc != TAMGA_OK) {
        tamga_report_free(r);
        return rc;
    }
    *out = r;
    return TAMGA_OK;
}
