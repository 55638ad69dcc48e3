/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The age layer of bundles: export streams the tar into an age writer (to a
 * temporary file renamed into place), import and unpack stream an age reader
 * into the checking tar unpacker. Constant memory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "bundle-internal.h"
#include "case-internal.h"
#include "tamga/age.h"
#include "tamga/verify.h"
#include "util.h"

typedef struct {
    int fd;
    const char *path;
    crypto_hash_sha256_state hs;
} file_sink;

static int fd_write(void *user, const uint8_t *data, size_t len)
{
    file_sink *s = user;
    crypto_hash_sha256_update(&s->hs, data, len);
    while (len > 0) {
        ssize_t k = write(s->fd, data, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return tamga__errno_fail("cannot write", s->path);
        data += k;
        len -= (size_t)k;
    }
    return TAMGA_OK;
}

static int age_sink(void *user, const uint8_t *data, size_t len)
{
    return tamga_age_writer_write(user, data, len);
}

int tamga_bundle_export(const tamga_case *c, const tamga_identity *id,
                        const tamga_bundle_export_opts *o, const char *out_path,
                        uint8_t sha[TAMGA_SHA256_BYTES])
{
    if (sha != NULL)
        memset(sha, 0, TAMGA_SHA256_BYTES);
    if (id == NULL || !tamga_identity_is_unlocked(id))
        return tamga__fail(TAMGA_ERR_LOCKED, "exporting signs a custody event: unlock first");
    if (o->n_recipients == 0 && o->passphrase == NULL)
        return tamga__fail(TAMGA_ERR_INVALID, "a bundle needs a recipient or a passphrase");
    if (tamga_file_exists(out_path))
        return tamga__fail(TAMGA_ERR_EXISTS, "%s already exists", out_path);
    size_t pl = strlen(out_path);
    char *tmp = malloc(pl + 32);
    if (tmp == NULL)
        return TAMGA_ERR_NOMEM;
    uint8_t rnd[6];
    char rh[13];
    randombytes_buf(rnd, sizeof rnd);
    tamga_hex_encode(rnd, sizeof rnd, rh);
    snprintf(tmp, pl + 32, "%s.part-%s", out_path, rh);
    file_sink fs;
    memset(&fs, 0, sizeof fs);
    fs.fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    fs.path = tmp;
    if (fs.fd < 0) {
        int rc = tamga__errno_fail("cannot create", tmp);
        free(tmp);
        return rc;
    }
    crypto_hash_sha256_init(&fs.hs);
    tamga_age_writer *w = NULL;
    int rc = tamga_age_writer_new(fd_write, &fs, o->n_recipients ? o->recipients : NULL,
                                  o->n_recipients, o->n_recipients ? NULL : o->passphrase,
                                  o->n_recipients ? 0 : o->passlen, o->log_n ? o->log_n : 18, &w);
    if (rc == TAMGA_OK)
        rc = tamga__bundle_write(c, id, o, age_sink, w);
    if (rc == TAMGA_OK)
        rc = tamga_age_writer_finish(w);
    tamga_age_writer_free(w);
    if (rc == TAMGA_OK && fsync(fs.fd) != 0)
        rc = tamga__errno_fail("cannot fsync", tmp);
    if (close(fs.fd) != 0 && rc == TAMGA_OK)
        rc = tamga__errno_fail("cannot close", tmp);
    /* link() never replaces an existing file: no overwrite even in a race. */
    if (rc == TAMGA_OK && link(tmp, out_path) != 0)
        rc = errno == EEXIST ? tamga__fail(TAMGA_ERR_EXISTS, "%s already exists", out_path)
                             : tamga__errno_fail("cannot create", out_path);
    unlink(tmp);
    free(tmp);
    if (rc != TAMGA_OK)
        return rc;
    uint8_t digest[32];
    char hex[65];
    crypto_hash_sha256_final(&fs.hs, digest);
    tamga_hex_encode(digest, 32, hex);
    if (sha != NULL)
        memcpy(sha, digest, 32);
    /* The custody event, logged after the bundle is complete (so not in it). */
    json_t *to = json_array();
    for (size_t i = 0; to != NULL && i < o->n_recipients; i++)
        json_array_append_new(to, json_string(o->recipient_labels && o->recipient_labels[i]
                                                  ? o->recipient_labels[i]
                                                  : "?"));
    if (to != NULL && o->n_recipients == 0)
        json_array_append_new(to, json_string("passphrase"));
    json_t *j = to ? json_pack("{s:s, s:o, s:b, s:b}", "bundle_sha256", hex, "to", to,
                               "plain_audio", (o->flags & TAMGA_BUNDLE_PLAIN_AUDIO) != 0,
                               "grant_case_key", (o->flags & TAMGA_BUNDLE_GRANT) != 0)
                   : NULL;
    char *subject = j ? tamga_json_dump(j) : NULL;
    json_decref(j);
    rc = subject ? tamga_case_log_event(c, id, TAMGA_EVENT_EXPORTED, subject) : TAMGA_ERR_NOMEM;
    free(subject);
    return rc;
}

typedef struct {
    int fd;
    const char *path;
} fd_src;

static long fd_read(void *user, uint8_t *buf, size_t len)
{
    fd_src *s = user;
    for (;;) {
        ssize_t k = read(s->fd, buf, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return tamga__errno_fail("cannot read", s->path);
        return (long)k;
    }
}

static long age_src(void *user, uint8_t *buf, size_t len)
{
    return tamga_age_reader_read(user, buf, len);
}

static int identity_age_key(const tamga_identity *id, uint8_t *sk)
{
    return tamga_identity_enc_secret(id, sk);
}

int tamga_bundle_unpack(const char *bundle_path, const tamga_identity *id, const char *passphrase,
                        size_t passlen, const char *parent_dir, char **staging, char **top)
{
    *staging = NULL;
    *top = NULL;
    uint8_t *sk = NULL;
    size_t nsk = 0;
    int rc = TAMGA_OK;
    if (passphrase == NULL) {
        if (id == NULL || !tamga_identity_is_unlocked(id))
            return tamga__fail(TAMGA_ERR_LOCKED, "decrypting a bundle needs the unlocked identity");
        sk = sodium_malloc(TAMGA_ENC_SK_BYTES);
        if (sk == NULL)
            return TAMGA_ERR_NOMEM;
        rc = identity_age_key(id, sk);
        nsk = 1;
        if (rc != TAMGA_OK) {
            sodium_free(sk);
            return rc;
        }
    }
    fd_src src = {open(bundle_path, O_RDONLY | O_CLOEXEC), bundle_path};
    if (src.fd < 0) {
        if (sk)
            sodium_free(sk);
        return errno == ENOENT ? tamga__fail(TAMGA_ERR_NOT_FOUND, "%s does not exist", bundle_path)
                               : tamga__errno_fail("cannot open", bundle_path);
    }
    tamga_age_reader *r = NULL;
    rc = tamga_age_reader_new(fd_read, &src, (const uint8_t(*)[TAMGA_ENC_SK_BYTES])sk, nsk,
                              passphrase, passlen, 0, &r);
    if (sk)
        sodium_free(sk);
    if (rc == TAMGA_OK)
        rc = tamga__bundle_staging_new(parent_dir, staging);
    if (rc == TAMGA_OK)
        rc = tamga__tar_unpack(age_src, r, *staging, 0, top);
    /* Everything must be authenticated, up to the last chunk. */
    if (rc == TAMGA_OK) {
        uint8_t extra[1];
        long k = tamga_age_reader_read(r, extra, sizeof extra);
        if (k != 0)
            rc = k < 0 ? (int)k
                       : tamga__fail(TAMGA_ERR_FORMAT, "the bundle holds data after its tar");
    }
    tamga_age_reader_free(r);
    close(src.fd);
    if (rc != TAMGA_OK) {
        if (*staging != NULL)
            tamga__rm_tree(*staging);
        free(*staging);
        free(*top);
        *staging = NULL;
        *top = NULL;
    }
    return rc;
}

int tamga_bundle_import(const char *home, const char *bundle_path, const tamga_identity *id,
                        const char *passphrase, size_t passlen, unsigned flags,
                        tamga_import_result *res)
{
    memset(res, 0, sizeof *res);
    char *staging = NULL, *top = NULL;
    int rc = tamga_home_prepare(home);
    if (rc == TAMGA_OK)
        rc = tamga_bundle_unpack(bundle_path, id, passphrase, passlen, home, &staging, &top);
    if (rc == TAMGA_OK)
        rc = tamga__bundle_store(home, staging, top, id, flags, res);
    if (staging != NULL)
        tamga__rm_tree(staging);
    free(staging);
    free(top);
    return rc;
}

int tamga_bundle_verify(const char *home, const char *bundle_path, const tamga_identity *id,
                        const char *passphrase, size_t passlen, unsigned flags, tamga_report **out)
{
    *out = NULL;
    char *staging = NULL, *top = NULL;
    int rc = tamga_home_prepare(home);
    if (rc == TAMGA_OK)
        rc = tamga_bundle_unpack(bundle_path, id, passphrase, passlen, home, &staging, &top);
    if (rc == TAMGA_OK)
        rc = tamga_verify(top, id, flags, out);
    if (staging != NULL)
        tamga__rm_tree(staging);
    free(staging);
    free(top);
    return rc;
}
