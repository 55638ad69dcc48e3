/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing the encrypted recording file. Format: docs/FORMAT.md (section 4). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "container-internal.h"
#include "util.h"

struct tamga_rec_writer {
    int fd;     /* -1 once finished */
    int failed; /* first error; every later call returns it */
    int finished;
    char *path;
    uint8_t header_hash[crypto_hash_sha256_BYTES];
    crypto_secretstream_xchacha20poly1305_state *ss; /* sodium_malloc */
    crypto_hash_sha256_state file_sha;
    crypto_hash_sha256_state stream_sha[TAMGA_STREAM_MAX + 1];
    uint64_t stream_bytes[TAMGA_STREAM_MAX + 1];
    uint64_t written;
    uint8_t cur_stream;
    size_t buf_len; /* data bytes buffered after plain[0] */
    uint8_t *plain; /* sodium_malloc: stream id + up to CHUNK data bytes */
    uint8_t *frame; /* frame header + ciphertext of one message */
};

/* Writes everything or fails; bytes that did reach the file are hashed either way,
 * so the digest always describes the file. */
static int write_frame(tamga_rec_writer *w, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(w->fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return tamga__errno_fail("cannot write", w->path);
        }
        if (k == 0) {
            errno = EIO;
            return tamga__errno_fail("cannot write", w->path);
        }
        crypto_hash_sha256_update(&w->file_sha, p, (size_t)k);
        w->written += (uint64_t)k;
        p += k;
        n -= (size_t)k;
    }
    return TAMGA_OK;
}

static int fail_writer(tamga_rec_writer *w, int rc)
{
    w->failed = rc;
    return rc;
}

static int check_writer(const tamga_rec_writer *w)
{
    if (w->failed != 0)
        return tamga__fail(w->failed, "%s: an earlier write failed (%s)", w->path,
                           tamga_strerror(w->failed));
    if (w->finished)
        return tamga__fail(TAMGA_ERR_INVALID, "%s: recording already finished", w->path);
    return TAMGA_OK;
}

/* Encrypts plain[0 .. 1+buf_len) as one message with `tag` and writes its frame. */
static int emit(tamga_rec_writer *w, unsigned char tag)
{
    int final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    size_t mlen = 1 + w->buf_len;
    size_t clen = mlen + TAMGA_REC_ABYTES;
    uint32_t fh = (uint32_t)clen | (final ? TAMGA_REC_FRAME_FINAL : 0);
    uint8_t ad[TAMGA_REC_AD_LEN];

    w->plain[0] = final ? 0 : w->cur_stream;
    tamga_store_le32(w->frame, fh);
    memcpy(ad, w->header_hash, sizeof w->header_hash);
    memcpy(ad + sizeof w->header_hash, w->frame, TAMGA_REC_FRAME_HDR);
    crypto_secretstream_xchacha20poly1305_push(w->ss, w->frame + TAMGA_REC_FRAME_HDR, NULL,
                                               w->plain, mlen, ad, sizeof ad, tag);
    int rc = write_frame(w, w->frame, TAMGA_REC_FRAME_HDR + clen);
    if (rc == TAMGA_OK && !final) {
        crypto_hash_sha256_update(&w->stream_sha[w->cur_stream], w->plain + 1, w->buf_len);
        w->stream_bytes[w->cur_stream] += w->buf_len;
    }
    sodium_memzero(w->plain, mlen);
    w->buf_len = 0;
    if (rc != TAMGA_OK)
        return fail_writer(w, rc);
    return TAMGA_OK;
}

static char *dir_of_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

int tamga__rec_writer_open_ex(const char *path, const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                              const uint8_t case_id[TAMGA_ID_BYTES],
                              const uint8_t recording_id[TAMGA_ID_BYTES], int64_t created_ms,
                              tamga_rec_writer **out)
{
    *out = NULL;
    int rc = TAMGA_ERR_NOMEM;
    uint8_t *key = NULL;
    uint8_t hdr[TAMGA_REC_HEADER_V1];
    tamga_rec_writer *w = calloc(1, sizeof *w);
    if (w == NULL)
        return tamga__fail(TAMGA_ERR_NOMEM, "out of memory opening %s", path);
    w->fd = -1;
    w->path = strdup(path);
    w->ss = sodium_malloc(sizeof *w->ss);
    w->plain = sodium_malloc(1 + TAMGA_REC_WRITER_CHUNK);
    w->frame = malloc(TAMGA_REC_FRAME_HDR + 1 + TAMGA_REC_WRITER_CHUNK + TAMGA_REC_ABYTES);
    key = sodium_malloc(crypto_secretstream_xchacha20poly1305_KEYBYTES);
    if (w->path == NULL || w->ss == NULL || w->plain == NULL || w->frame == NULL || key == NULL) {
        rc = tamga__fail(TAMGA_ERR_NOMEM, "out of memory opening %s", path);
        goto fail;
    }

    memcpy(hdr, TAMGA_REC_MAGIC, TAMGA_REC_MAGIC_LEN);
    tamga_store_le16(hdr + TAMGA_REC_OFF_VERSION, TAMGA_REC_VERSION);
    tamga_store_le16(hdr + TAMGA_REC_OFF_FLAGS, 0);
    tamga_store_le32(hdr + TAMGA_REC_OFF_HEADER_LEN, TAMGA_REC_HEADER_V1);
    memcpy(hdr + TAMGA_REC_OFF_CASE_ID, case_id, TAMGA_ID_BYTES);
    memcpy(hdr + TAMGA_REC_OFF_REC_ID, recording_id, TAMGA_ID_BYTES);
    tamga_store_le64(hdr + TAMGA_REC_OFF_CREATED, (uint64_t)created_ms);
    crypto_secretstream_xchacha20poly1305_keygen(key);
    if (crypto_box_seal(hdr + TAMGA_REC_OFF_SEALED, key,
                        crypto_secretstream_xchacha20poly1305_KEYBYTES, case_pk) != 0) {
        rc = tamga__fail(TAMGA_ERR_INVALID, "%s: the case public key is not usable", path);
        goto fail;
    }
    crypto_secretstream_xchacha20poly1305_init_push(w->ss, hdr + TAMGA_REC_OFF_SS_HEADER, key);
    sodium_free(key);
    key = NULL;
    crypto_hash_sha256(w->header_hash, hdr, sizeof hdr);
    crypto_hash_sha256_init(&w->file_sha);
    for (int i = 0; i <= TAMGA_STREAM_MAX; i++)
        crypto_hash_sha256_init(&w->stream_sha[i]);

    w->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (w->fd < 0) {
        rc = tamga__errno_fail("cannot create", path);
        goto fail;
    }
    /* The header and the folder entry are made durable at once, so a crash at any
     * later moment leaves a recognisable interrupted recording. */
    rc = write_frame(w, hdr, sizeof hdr);
    if (rc == TAMGA_OK && fsync(w->fd) != 0)
        rc = tamga__errno_fail("cannot sync", path);
    if (rc == TAMGA_OK) {
        char *dir = dir_of_path(path);
        rc = dir == NULL ? TAMGA_ERR_NOMEM : tamga_fsync_dir(dir);
        free(dir);
    }
    if (rc != TAMGA_OK) {
        /* Nothing of the caller's was written yet: do not leave a stub behind. */
        close(w->fd);
        w->fd = -1;
        unlink(path);
        goto fail;
    }
    *out = w;
    return TAMGA_OK;

fail:
    if (key != NULL)
        sodium_free(key);
    tamga_rec_writer_free(w);
    return rc;
}

int tamga_rec_writer_open(const char *path, const uint8_t case_pk[TAMGA_ENC_PK_BYTES],
                          const uint8_t case_id[TAMGA_ID_BYTES],
                          const uint8_t recording_id[TAMGA_ID_BYTES], tamga_rec_writer **out)
{
    return tamga__rec_writer_open_ex(path, case_pk, case_id, recording_id, tamga_now_ms(), out);
}

int tamga_rec_writer_push(tamga_rec_writer *w, tamga_stream_id stream, const void *data, size_t len)
{
    int rc = check_writer(w);
    if (rc != TAMGA_OK)
        return rc;
    if (stream != TAMGA_STREAM_AUDIO && stream != TAMGA_STREAM_ORIGINAL)
        return tamga__fail(TAMGA_ERR_INVALID, "%s: unknown stream id %d", w->path, (int)stream);
    if (len == 0)
        return TAMGA_OK;
    if (w->buf_len > 0 && w->cur_stream != (uint8_t)stream) {
        rc = emit(w, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
        if (rc != TAMGA_OK)
            return rc;
    }
    w->cur_stream = (uint8_t)stream;
    const uint8_t *p = data;
    while (len > 0) {
        size_t n = TAMGA_REC_WRITER_CHUNK - w->buf_len;
        if (n > len)
            n = len;
        memcpy(w->plain + 1 + w->buf_len, p, n);
        w->buf_len += n;
        p += n;
        len -= n;
        if (w->buf_len == TAMGA_REC_WRITER_CHUNK) {
            rc = emit(w, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
            if (rc != TAMGA_OK)
                return rc;
        }
    }
    return TAMGA_OK;
}

int tamga_rec_writer_flush(tamga_rec_writer *w, int do_fsync)
{
    int rc = check_writer(w);
    if (rc != TAMGA_OK)
        return rc;
    if (w->buf_len > 0) {
        rc = emit(w, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
        if (rc != TAMGA_OK)
            return rc;
    }
    /* After a failed fsync the kernel may have dropped the pages: never trust the
     * file again. */
    if (do_fsync && fsync(w->fd) != 0)
        return fail_writer(w, tamga__errno_fail("cannot sync", w->path));
    return TAMGA_OK;
}

int tamga_rec_writer_finish(tamga_rec_writer *w)
{
    int rc = tamga_rec_writer_flush(w, 0);
    if (rc != TAMGA_OK)
        return rc;
    /* The FINAL message carries no data: stream id 0 alone. */
    rc = emit(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    if (rc != TAMGA_OK)
        return rc;
    if (fsync(w->fd) != 0)
        return fail_writer(w, tamga__errno_fail("cannot sync", w->path));
    int fd = w->fd;
    w->fd = -1;
    if (close(fd) != 0)
        return fail_writer(w, tamga__errno_fail("cannot close", w->path));
    w->finished = 1;
    return TAMGA_OK;
}

uint64_t tamga_rec_writer_bytes(const tamga_rec_writer *w)
{
    return w->written;
}

void tamga_rec_writer_digest(const tamga_rec_writer *w, uint8_t file_sha256[TAMGA_SHA256_BYTES],
                             tamga_rec_streams *streams)
{
    crypto_hash_sha256_state st;
    if (file_sha256 != NULL) {
        st = w->file_sha;
        crypto_hash_sha256_final(&st, file_sha256);
    }
    if (streams != NULL) {
        for (int i = 0; i <= TAMGA_STREAM_MAX; i++) {
            st = w->stream_sha[i];
            crypto_hash_sha256_final(&st, streams->plain_sha256[i]);
            streams->plain_bytes[i] = w->stream_bytes[i];
        }
    }
    sodium_memzero(&st, sizeof st);
}

void tamga_rec_writer_free(tamga_rec_writer *w)
{
    if (w == NULL)
        return;
    /* Without finish the file stays as it is: an interrupted recording. */
    if (w->fd >= 0)
        close(w->fd);
    if (w->ss != NULL)
        sodium_free(w->ss);
    if (w->plain != NULL)
        sodium_free(w->plain);
    free(w->frame);
    free(w->path);
    sodium_memzero(w, sizeof *w);
    free(w);
}
