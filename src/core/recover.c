/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recovery of unfinished recordings (a crash, power loss, a full disk): from
 * the progress record beside the encrypted file, never from its plaintext, so
 * it works on record-only machines. Procedure: docs/FORMAT.md (section 9). */
#define _DEFAULT_SOURCE /* flock */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "record-internal.h"
#include "tamga/container.h"
#include "tamga/custody.h"
#include "tamga/manifest.h"
#include "tamga/recorder.h"
#include "util.h"

#define NO_PROGRESS_GRACE_S 10 /* a stub younger than this may still be being created */

int tamga__lock_recording(const char *tamga_path, int *fd)
{
    *fd = -1;
    int f = open(tamga_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (f < 0)
        return tamga__errno_fail("cannot open", tamga_path);
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(f);
        if (e == EWOULDBLOCK)
            return tamga__fail(TAMGA_ERR_EXISTS, "%s is being written by a running recorder",
                               tamga_path);
        errno = e;
        return tamga__errno_fail("cannot lock", tamga_path);
    }
    *fd = f;
    return TAMGA_OK;
}

/* ---- the progress file ---- */

typedef struct {
    json_t *head;
    int have_cp;
    uint64_t framed_end, audio_bytes, overflows;
    uint8_t audio_sha[32];
    int64_t elapsed_ms;
    char time[32];
    tamga_interval *markers, *pauses;
    size_t n_markers, n_pauses;
    /* seen since the last checkpoint */
    tamga_interval *pend_markers, *pend_pauses;
    size_t n_pend_markers, n_pend_pauses;
} progress;

static void progress_clear(progress *p)
{
    json_decref(p->head);
    free(p->markers);
    free(p->pauses);
    free(p->pend_markers);
    free(p->pend_pauses);
    memset(p, 0, sizeof *p);
}

static int push_interval(tamga_interval **arr, size_t *n, int64_t a, int64_t b, size_t max)
{
    if (*n >= max)
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "the progress record holds too many entries");
    tamga_interval *v = realloc(*arr, (*n + 1) * sizeof **arr);
    if (v == NULL)
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
    v[*n].start_ms = a;
    v[*n].end_ms = b;
    *arr = v;
    (*n)++;
    return TAMGA_OK;
}

static int take_pending(tamga_interval **dst, size_t *ndst, tamga_interval **src, size_t *nsrc)
{
    for (size_t i = 0; i < *nsrc; i++) {
        int rc = push_interval(dst, ndst, (*src)[i].start_ms, (*src)[i].end_ms, 1000000);
        if (rc != TAMGA_OK)
            return rc;
    }
    *nsrc = 0;
    return TAMGA_OK;
}

/* One complete line. Returns TAMGA_OK, 1 to stop reading (a checkpoint beyond
 * what the encrypted file holds), or an error (the line is not ours). */
static int progress_line(progress *p, const char *line, size_t len, uint64_t scan_end,
                         const char *id)
{
    json_t *j = tamga_json_parse_strict(line, len, "progress record");
    if (j == NULL)
        return TAMGA_ERR_FORMAT;
    int rc = TAMGA_OK;
    if (p->head == NULL) {
        const char *fmt = NULL, *rec = NULL;
        int64_t ver = 0;
        rc = tamga_json_get_str(j, "format", &fmt, "progress header");
        if (rc == TAMGA_OK)
            rc = tamga_json_get_int(j, "version", &ver, "progress header");
        if (rc == TAMGA_OK)
            rc = tamga_json_get_str(j, "recording", &rec, "progress header");
        if (rc == TAMGA_OK && strcmp(fmt, TAMGA_PROGRESS_FORMAT) != 0)
            rc = tamga__fail(TAMGA_ERR_FORMAT, "not a tamga progress record");
        else if (rc == TAMGA_OK && ver != TAMGA_PROGRESS_VERSION)
            rc = tamga__fail(TAMGA_ERR_UNSUPPORTED, "progress record version %lld", (long long)ver);
        else if (rc == TAMGA_OK && strcmp(rec, id) != 0)
            rc = tamga__fail(TAMGA_ERR_FORMAT, "the progress record names another recording");
        if (rc == TAMGA_OK) {
            p->head = j;
            return TAMGA_OK;
        }
        json_decref(j);
        return rc;
    }
    const char *t = NULL;
    rc = tamga_json_get_str(j, "t", &t, "progress record");
    if (rc == TAMGA_OK && strcmp(t, "marker") == 0) {
        int64_t at = 0;
        rc = tamga_json_get_int(j, "at_ms", &at, "progress marker");
        if (rc == TAMGA_OK)
            rc = push_interval(&p->pend_markers, &p->n_pend_markers, at, at,
                               TAMGA_MANIFEST_MAX_MARKERS);
    } else if (rc == TAMGA_OK && strcmp(t, "pause") == 0) {
        int64_t a = 0, b = 0;
        rc = tamga_json_get_int(j, "start_ms", &a, "progress pause");
        if (rc == TAMGA_OK)
            rc = tamga_json_get_int(j, "end_ms", &b, "progress pause");
        if (rc == TAMGA_OK)
            rc = push_interval(&p->pend_pauses, &p->n_pend_pauses, a, b, TAMGA_MANIFEST_MAX_PAUSES);
    } else if (rc == TAMGA_OK && strcmp(t, "flush") == 0) {
        int64_t fe = 0, ab = 0, el = 0, ov = 0;
        const char *tm = NULL;
        uint8_t sha[32];
        rc = tamga_json_get_int(j, "framed_end", &fe, "progress flush");
        if (rc == TAMGA_OK)
            rc = tamga_json_get_int(j, "audio_bytes", &ab, "progress flush");
        if (rc == TAMGA_OK)
            rc = tamga_json_get_hex(j, "audio_sha256", sha, 32, "progress flush");
        if (rc == TAMGA_OK)
            rc = tamga_json_get_int(j, "elapsed_ms", &el, "progress flush");
        if (rc == TAMGA_OK)
            rc = tamga_json_get_str(j, "time", &tm, "progress flush");
        if (rc == TAMGA_OK)
            rc = tamga_json_get_int(j, "overflows", &ov, "progress flush");
        if (rc == TAMGA_OK && (fe < 0 || ab < 0 || el < 0 || ov < 0 || strlen(tm) >= 32))
            rc = tamga__fail(TAMGA_ERR_FORMAT, "progress flush values out of range");
        if (rc == TAMGA_OK && (uint64_t)fe > scan_end) {
            json_decref(j);
            return 1; /* that message never fully reached the disk */
        }
        if (rc == TAMGA_OK) {
            p->have_cp = 1;
            p->framed_end = (uint64_t)fe;
            p->audio_bytes = (uint64_t)ab;
            memcpy(p->audio_sha, sha, 32);
            p->elapsed_ms = el;
            p->overflows = (uint64_t)ov;
            snprintf(p->time, sizeof p->time, "%s", tm);
            rc = take_pending(&p->markers, &p->n_markers, &p->pend_markers, &p->n_pend_markers);
            if (rc == TAMGA_OK)
                rc = take_pending(&p->pauses, &p->n_pauses, &p->pend_pauses, &p->n_pend_pauses);
        }
    } else if (rc == TAMGA_OK) {
        rc = tamga__fail(TAMGA_ERR_FORMAT, "unknown progress record type \"%s\"", t);
    }
    json_decref(j);
    return rc;
}

/* Reads the progress file; a torn or unreadable tail (the crash) ends it. */
static int progress_load(const char *path, const char *id, uint64_t scan_end, progress *p)
{
    memset(p, 0, sizeof *p);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return tamga__errno_fail("cannot open", path);
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || (uint64_t)st.st_size > TAMGA_PROGRESS_MAX_FILE) {
        fclose(f);
        return tamga__fail(TAMGA_ERR_TOO_LARGE, "%s: too large for a progress record", path);
    }
    char *line = malloc(TAMGA_PROGRESS_MAX_LINE + 2);
    if (line == NULL) {
        fclose(f);
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
    }
    int rc = TAMGA_OK;
    while (fgets(line, TAMGA_PROGRESS_MAX_LINE + 2, f) != NULL) {
        size_t n = strlen(line);
        if (n == 0 || line[n - 1] != '\n')
            break; /* torn (or absurdly long): the end of what is usable */
        int r = progress_line(p, line, n - 1, scan_end, id);
        if (r == 1)
            break;
        if (r != TAMGA_OK) {
            /* The header must parse; after it, a bad line is a torn write. */
            if (p->head == NULL)
                rc = r;
            break;
        }
    }
    free(line);
    fclose(f);
    if (rc == TAMGA_OK && p->head == NULL)
        rc = tamga__fail(TAMGA_ERR_FORMAT, "%s: no progress header", path);
    if (rc != TAMGA_OK)
        progress_clear(p);
    return rc;
}

/* ---- sealing ---- */

static void unlink_suffix(tamga_case *c, const char *id, const char *suffix)
{
    char *p = tamga__recording_path(c, id, suffix);
    if (p != NULL)
        unlink(p);
    free(p);
}

static int log_recovered(tamga_case *c, const tamga_identity *signer, json_t *sj)
{
    char *st = sj ? tamga_json_dump(sj) : NULL;
    json_decref(sj);
    int rc = st ? tamga_case_log_event(c, signer, TAMGA_EVENT_RECOVERED, st) : TAMGA_ERR_NOMEM;
    free(st);
    return rc;
}

static int truncate_to(const char *path, uint64_t size)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return tamga__errno_fail("cannot open", path);
    int rc = TAMGA_OK;
    if (ftruncate(fd, (off_t)size) != 0)
        rc = tamga__errno_fail("cannot truncate", path);
    else if (fsync(fd) != 0)
        rc = tamga__errno_fail("cannot sync", path);
    close(fd);
    return rc;
}

static void copy_str(const json_t *head, const char *key, char *out, size_t outlen)
{
    const char *v = json_string_value(json_object_get(head, key));
    snprintf(out, outlen, "%s", v ? v : "");
}

static int head_int(const json_t *head, const char *key, int64_t lo, int64_t hi, int32_t *out)
{
    int64_t v = 0;
    int rc = tamga_json_get_int(head, key, &v, "progress header");
    if (rc == TAMGA_OK && (v < lo || v > hi))
        rc = tamga__fail(TAMGA_ERR_FORMAT, "progress header: %s out of range", key);
    if (rc == TAMGA_OK)
        *out = (int32_t)v;
    return rc;
}

static int build_manifest(tamga_case *c, const char *id, const progress *p, tamga_manifest *m)
{
    const json_t *h = p->head;
    memcpy(m->case_id, tamga_case_get_id(c), TAMGA_ID_BYTES);
    int rc = tamga_hex_decode(id, strlen(id), m->recording_id, TAMGA_ID_BYTES);
    copy_str(h, "started", m->started, sizeof m->started);
    snprintf(m->ended, sizeof m->ended, "%s", p->time);
    m->duration_ms = p->elapsed_ms;
    snprintf(m->codec, sizeof m->codec, "opus");
    snprintf(m->container, sizeof m->container, "ogg");
    m->sample_rate = 48000;
    if (rc == TAMGA_OK)
        rc = head_int(h, "input_rate", 8000, 384000, &m->input_rate);
    if (rc == TAMGA_OK)
        rc = head_int(h, "channels", 1, 8, &m->channels);
    if (rc == TAMGA_OK)
        rc = head_int(h, "bitrate", 6000, 256000, &m->bitrate);
    if (rc == TAMGA_OK)
        rc = head_int(h, "frame_ms10", 25, 1200, &m->frame_ms10);
    if (rc == TAMGA_OK)
        rc = head_int(h, "complexity", 0, 10, &m->complexity);
    copy_str(h, "source_kind", m->source_kind, sizeof m->source_kind);
    copy_str(h, "source_name", m->source_name, sizeof m->source_name);
    copy_str(h, "source_format", m->source_format, sizeof m->source_format);
    if (rc == TAMGA_OK && json_object_get(h, "source_sha256") != NULL) {
        int64_t sz = 0;
        rc = tamga_json_get_hex(h, "source_sha256", m->source_sha256, 32, "progress header");
        if (rc == TAMGA_OK)
            rc = tamga_json_get_int(h, "source_size", &sz, "progress header");
        m->has_source_hash = 1;
        m->source_size = sz > 0 ? (uint64_t)sz : 0;
    }
    snprintf(m->status, sizeof m->status, "interrupted");
    snprintf(m->file_name, sizeof m->file_name, "%s.tamga", id);
    m->audio_size = p->audio_bytes;
    memcpy(m->audio_sha256, p->audio_sha, 32);
    m->overflows = p->overflows;
    copy_str(h, "title", m->title, sizeof m->title);
    copy_str(h, "language", m->language, sizeof m->language);
    copy_str(h, "consent", m->consent, sizeof m->consent);
    copy_str(h, "embargo", m->embargo, sizeof m->embargo);
    if (rc == TAMGA_OK && p->n_markers > 0) {
        m->markers = calloc(p->n_markers, sizeof *m->markers);
        if (m->markers == NULL)
            return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < p->n_markers; i++) {
            int64_t at = p->markers[i].start_ms;
            m->markers[i].start_ms = m->markers[i].end_ms =
                at > m->duration_ms ? m->duration_ms : at;
        }
        m->n_markers = p->n_markers;
    }
    if (rc == TAMGA_OK && p->n_pauses > 0) {
        m->pauses = malloc(p->n_pauses * sizeof *m->pauses);
        if (m->pauses == NULL)
            return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
        memcpy(m->pauses, p->pauses, p->n_pauses * sizeof *m->pauses);
        m->n_pauses = p->n_pauses;
    }
    return rc;
}

int tamga__recover_one(tamga_case *c, const tamga_identity *signer, const char *id,
                       const char *end_reason, int64_t *duration_ms, uint8_t manifest_sha[32])
{
    *duration_ms = 0;
    memset(manifest_sha, 0, 32);
    char *rec = tamga__recording_path(c, id, ".tamga");
    char *prog = tamga__recording_path(c, id, ".progress");
    char *priv = tamga__recording_path(c, id, ".private");
    if (rec == NULL || prog == NULL || priv == NULL) {
        free(rec);
        free(prog);
        free(priv);
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory");
    }
    tamga_rec_scan_result scan;
    int rc = tamga_rec_scan(rec, &scan);
    if (rc == TAMGA_OK && (memcmp(scan.header.case_id, tamga_case_get_id(c), TAMGA_ID_BYTES) != 0))
        rc = tamga__fail(TAMGA_ERR_WRONG_CASE, "%s belongs to another case", rec);
    progress p;
    memset(&p, 0, sizeof p);
    int have_progress = 0;
    if (rc == TAMGA_OK && tamga_file_exists(prog)) {
        rc = progress_load(prog, id, scan.framed_end, &p);
        have_progress = rc == TAMGA_OK;
    }
    if (rc == TAMGA_OK && (!p.have_cp || p.audio_bytes == 0 || p.elapsed_ms == 0)) {
        /* No audio ever became durable (a crash in the first half second): the
         * stub holds nothing worth sealing. Remove it, and say so in the log. */
        json_t *sj =
            json_pack("{s:s, s:s, s:I, s:s}", "recording", id, "status", "empty", "duration_ms",
                      (json_int_t)0, "result", "removed: no audio had reached the disk");
        if (sj != NULL && end_reason != NULL)
            json_object_set_new(sj, "end_reason", json_string(end_reason));
        rc = log_recovered(c, signer, sj);
        if (rc == TAMGA_OK) {
            unlink(rec);
            unlink(priv);
            unlink(prog);
            unlink_suffix(c, id, ".manifest.json.minisig");
        }
        progress_clear(&p);
        free(rec);
        free(prog);
        free(priv);
        return rc;
    }
    (void)have_progress;
    tamga_manifest m;
    memset(&m, 0, sizeof m);
    if (rc == TAMGA_OK)
        rc = build_manifest(c, id, &p, &m);
    /* Not signed yet, so the torn tail may go: the file ends at the checkpoint. */
    if (rc == TAMGA_OK && scan.file_size != p.framed_end)
        rc = truncate_to(rec, p.framed_end);
    if (rc == TAMGA_OK)
        rc = tamga_sha256_file(rec, m.file_sha256, &m.file_size);
    if (rc == TAMGA_OK && tamga_file_exists(priv)) {
        uint64_t psize;
        rc = tamga_sha256_file(priv, m.private_sha256, &psize);
        m.has_private = 1;
        snprintf(m.private_name, sizeof m.private_name, "%s.private", id);
    }
    if (rc == TAMGA_OK) {
        unlink_suffix(c, id, ".manifest.json.minisig"); /* a seal cut short */
        rc = tamga__seal_manifest(c, signer, &m, manifest_sha);
    }
    if (rc == TAMGA_OK) {
        char mhex[65], fhex[65];
        tamga_hex_encode(manifest_sha, 32, mhex);
        tamga_hex_encode(m.file_sha256, 32, fhex);
        json_t *sj = json_pack("{s:s, s:s, s:I, s:s, s:s}", "recording", id, "status",
                               "interrupted", "duration_ms", (json_int_t)m.duration_ms,
                               "manifest_sha256", mhex, "file_sha256", fhex);
        if (sj != NULL && end_reason != NULL)
            json_object_set_new(sj, "end_reason", json_string(end_reason));
        rc = log_recovered(c, signer, sj);
    }
    if (rc == TAMGA_OK) {
        *duration_ms = m.duration_ms;
        unlink(prog);
    }
    tamga_manifest_clear(&m);
    progress_clear(&p);
    free(rec);
    free(prog);
    free(priv);
    return rc;
}

/* ---- finding unfinished recordings ---- */

/* 1 if `id` in `c` is unfinished and nobody is writing it; `*lock_fd` then holds
 * the lock (when want_lock). */
static int is_unfinished(tamga_case *c, const char *id, int want_lock, int *lock_fd)
{
    *lock_fd = -1;
    char *rec = tamga__recording_path(c, id, ".tamga");
    char *man = tamga__recording_path(c, id, ".manifest.json");
    char *prog = tamga__recording_path(c, id, ".progress");
    int res = 0;
    if (rec && man && prog && tamga_file_exists(rec) && !tamga_file_exists(man)) {
        struct stat st;
        int young = !tamga_file_exists(prog) && stat(rec, &st) == 0 &&
                    time(NULL) - st.st_mtime < NO_PROGRESS_GRACE_S;
        int fd = -1;
        if (!young && tamga__lock_recording(rec, &fd) == TAMGA_OK) {
            res = 1;
            if (want_lock)
                *lock_fd = fd;
            else
                close(fd);
        }
    }
    free(rec);
    free(man);
    free(prog);
    return res;
}

typedef int (*case_visit_fn)(tamga_case *c, const char *id, void *ctx);

static int walk(const char *home, const char *case_ref, case_visit_fn visit, void *ctx)
{
    char *h = NULL;
    int rc = tamga_home_resolve(home, &h);
    if (rc != TAMGA_OK)
        return rc;
    char **cases = NULL;
    size_t nc = 0;
    if (case_ref != NULL) {
        tamga_case *c = NULL;
        rc = tamga_case_open(h, case_ref, &c);
        if (rc == TAMGA_OK) {
            cases = calloc(1, sizeof *cases);
            if (cases == NULL || (cases[0] = strdup(tamga_case_get_id_hex(c))) == NULL)
                rc = TAMGA_ERR_NOMEM;
            else
                nc = 1;
        }
        tamga_case_free(c);
    } else {
        rc = tamga_case_list(h, &cases, &nc);
        if (rc == TAMGA_ERR_NOT_FOUND) /* no cases folder yet */
            rc = TAMGA_OK;
    }
    int first_err = rc;
    for (size_t i = 0; rc == TAMGA_OK && i < nc; i++) {
        tamga_case *c = NULL;
        int r = tamga_case_open(h, cases[i], &c);
        if (r != TAMGA_OK) {
            if (first_err == TAMGA_OK)
                first_err = r;
            continue;
        }
        char **ids = NULL;
        size_t n = 0;
        r = tamga_case_list_recordings(c, &ids, &n);
        for (size_t k = 0; r == TAMGA_OK && k < n; k++) {
            int v = visit(c, ids[k], ctx);
            if (v != TAMGA_OK && first_err == TAMGA_OK)
                first_err = v;
        }
        if (r != TAMGA_OK && first_err == TAMGA_OK)
            first_err = r;
        tamga_strv_free(ids, n);
        tamga_case_free(c);
    }
    tamga_strv_free(cases, nc);
    free(h);
    return first_err;
}

typedef struct {
    const tamga_identity *signer;
    tamga_recover_fn fn;
    void *user;
    size_t n;
} recover_ctx;

static int visit_recover(tamga_case *c, const char *id, void *vctx)
{
    recover_ctx *x = vctx;
    int fd;
    if (!is_unfinished(c, id, 1, &fd))
        return TAMGA_OK;
    int64_t dur = 0;
    uint8_t msha[32];
    int rc = tamga__recover_one(c, x->signer, id, NULL, &dur, msha);
    close(fd);
    if (rc == TAMGA_OK)
        x->n++;
    if (x->fn != NULL)
        x->fn(x->user, tamga_case_get_id_hex(c), id, dur, rc);
    return rc;
}

int tamga_recover(const char *home, const char *case_ref, const tamga_identity *signer,
                  tamga_recover_fn fn, void *user, size_t *n_recovered)
{
    if (n_recovered != NULL)
        *n_recovered = 0;
    if (!tamga_identity_is_unlocked(signer))
        return tamga__fail(TAMGA_ERR_LOCKED, "the identity must be unlocked to sign");
    recover_ctx x = {signer, fn, user, 0};
    int rc = walk(home, case_ref, visit_recover, &x);
    if (n_recovered != NULL)
        *n_recovered = x.n;
    return rc;
}

static int visit_count(tamga_case *c, const char *id, void *vctx)
{
    size_t *n = vctx;
    int fd;
    if (is_unfinished(c, id, 0, &fd))
        (*n)++;
    return TAMGA_OK;
}

int tamga_recover_count(const char *home, size_t *n)
{
    *n = 0;
    return walk(home, NULL, visit_count, n);
}
